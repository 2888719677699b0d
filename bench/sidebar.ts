import { ServerResponse } from 'node:http';
import path from 'node:path';
import { readManifest } from '../test/runner/manifest';
import type { BenchHost } from './host';
import type { MemoryResult } from './protocol';
import { manyBoardsSeed, newestBoardName } from './seed';
import type { Context } from './startup';
import { median, MiB, ms, spread, type Row } from './table';

const BOARDS = 1_000;
const PAGE_SIZE = 50;

/**
 * When the emulator (in this process) finished sending each answer to a list of boards: `ServerResponse.end` is
 * wrapped for the benchmark's lifetime. Loopback delivery to the extension host adds well under a millisecond.
 */
class ListAnswers {
  readonly times: number[] = [];
  private readonly original = ServerResponse.prototype.end;

  constructor() {
    const times = this.times;
    const original = this.original;
    ServerResponse.prototype.end = function (this: ServerResponse, ...args: unknown[]) {
      const result = (original as (...a: unknown[]) => ServerResponse).apply(this, args);
      const request = this.req;
      if (request?.method === 'GET' && /^\/api\/v1\/tensorboards(\?|$)/.test(request.url ?? '')) times.push(Date.now());
      return result;
    } as typeof ServerResponse.prototype.end;
  }

  after(time: number): number | undefined {
    return this.times.find((t) => t >= time);
  }

  dispose(): void {
    ServerResponse.prototype.end = this.original;
  }
}

/** Marks, in the page, when a tree row labelled `label` is in the DOM and the next animation frame has come. */
async function watchForRow(host: BenchHost, label: string): Promise<() => Promise<number>> {
  const { page } = host.workbench;
  await page.evaluate((wanted) => {
    const state = window as unknown as { benchRendered?: number };
    state.benchRendered = undefined;
    const observer = new MutationObserver(() => check());
    const check = () => {
      for (const element of Array.from(document.querySelectorAll('.part.sidebar .monaco-list-row .label-name'))) {
        if (element.textContent?.trim() !== wanted) continue;
        observer.disconnect();
        requestAnimationFrame(() => (state.benchRendered = Date.now()));
        return;
      }
    };
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    check();
  }, label);
  return async () => {
    const handle = await page.waitForFunction(
      () => (window as unknown as { benchRendered?: number }).benchRendered,
      undefined,
      { timeout: 30_000 },
    );
    return (await handle.jsonValue()) as number;
  };
}

function heap(result: MemoryResult): string {
  return `${(result.heapUsed / MiB).toFixed(1)} MiB`;
}

/**
 * The sidebar over 1,000 boards, in a VS Code signed in with the .vsix installed and the payload in its extension
 * host: first open of the view, then refreshes onto a re-seeded emulator (new IDs and names each time), each timed
 * from the emulator's answer to ListTensorboards to the first row in the DOM; the API calls while the view sits open
 * with nothing pending; and the extension host's heap before the view opened and after all 20 pages were loaded.
 */
export async function measureSidebar(
  context: Context,
  host: BenchHost,
  { refreshes, idleSeconds }: { refreshes: number; idleSeconds: number },
): Promise<Row[]> {
  const { emulator } = context.folder;
  const payload = host.payload!;
  const answers = new ListAnswers();
  try {
    emulator.reset(manyBoardsSeed(BOARDS, 0));
    await host.workbench.runCommand('View: Close All Editors');
    const before = await payload.call<MemoryResult>({ op: 'memory', gc: true });
    console.log(`[bench] extension host heap before the sidebar: ${heap(before)} (collector: ${before.collector})`);

    const container = readManifest(context.root).contributes.viewsContainers?.activitybar?.[0]?.title;
    if (!container) throw new Error('package.json contributes no activity-bar view container');
    const firstOpen = await (async () => {
      const rendered = await watchForRow(host, newestBoardName(0));
      const started = Date.now();
      const requestsBefore = emulator.requests.length;
      await host.workbench.openViewContainer(container);
      const renderedAt = await rendered();
      const answeredAt = answers.after(started);
      if (answeredAt === undefined) throw new Error('the sidebar showed boards without a ListTensorboards answer');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return {
        latency: renderedAt - answeredAt,
        calls: emulator.requests.slice(requestsBefore).map((r) => r.operation ?? r.path),
      };
    })();
    console.log(
      `[bench] sidebar first open: answer → row ${ms(firstOpen.latency)}, calls ${firstOpen.calls.join(', ')}`,
    );
    await host.workbench.screenshot(path.join(context.resultsDir, 'sidebar-1000-boards.png'));

    const latencies: number[] = [];
    const calls: number[] = [];
    for (let variant = 1; variant <= refreshes; variant++) {
      emulator.reset(manyBoardsSeed(BOARDS, variant));
      const rendered = await watchForRow(host, newestBoardName(variant));
      const started = Date.now();
      const requestsBefore = emulator.requests.length;
      await payload.call({ op: 'command', id: 'paiTensorboard.refresh' });
      const renderedAt = await rendered();
      const answeredAt = answers.after(started);
      if (answeredAt === undefined)
        throw new Error('the refreshed sidebar showed boards without a ListTensorboards answer');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      latencies.push(renderedAt - answeredAt);
      calls.push(emulator.requests.length - requestsBefore);
      console.log(
        `[bench] sidebar refresh #${variant}: answer → row ${ms(renderedAt - answeredAt)}, ${calls.at(-1)} call(s)`,
      );
    }

    const idleFrom = emulator.requests.length;
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1_000));
    const idleCalls = emulator.requests.slice(idleFrom).map((r) => r.operation ?? r.path);
    console.log(
      `[bench] ${idleSeconds} s with the sidebar open and nothing pending: ${idleCalls.length} call(s) ${idleCalls.join(', ')}`,
    );

    const pages = Math.ceil(BOARDS / PAGE_SIZE);
    for (let page = 2; page <= pages; page++)
      await payload.call({ op: 'command', id: 'paiTensorboard.loadMoreBoards' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const lastPage = emulator.requests.filter((r) => r.operation === 'ListTensorboards').at(-1)?.query.PageNumber;
    if (lastPage !== String(pages)) throw new Error(`the last page loaded is ${lastPage}, not ${pages}`);
    const after = await payload.call<MemoryResult>({ op: 'memory', gc: true });
    const growth = after.heapUsed - before.heapUsed;
    console.log(
      `[bench] extension host heap with ${BOARDS} boards loaded: ${heap(after)} (+${(growth / MiB).toFixed(1)} MiB)`,
    );

    return [
      {
        figure: `sidebar first page (${BOARDS.toLocaleString('en-US')} boards): answer → rows in the DOM`,
        measured: `refresh median ${spread(latencies)}; first open ${ms(firstOpen.latency)}`,
        target: '≤ 300 ms',
        ok: median(latencies) <= 300 && firstOpen.latency <= 300,
      },
      {
        figure: 'API calls for the first page',
        measured: `${firstOpen.calls.length} on first open (${firstOpen.calls.join(', ')}); refreshes ${calls.join(', ')}`,
        target: '1 ListTensorboards',
        ok: firstOpen.calls.length === 1 && calls.every((n) => n === 1),
      },
      {
        figure: `API calls in ${idleSeconds} s, sidebar open, nothing pending`,
        measured: String(idleCalls.length),
        target: '0',
        ok: idleCalls.length === 0,
      },
      {
        figure: `extension host heap growth, ${BOARDS.toLocaleString('en-US')} boards loaded (${pages} pages)`,
        measured: `${(growth / MiB).toFixed(1)} MiB (${heap(before)} → ${heap(after)}, ${after.collector})`,
        target: '≤ 20 MiB',
        ok: growth <= 20 * MiB,
      },
    ];
  } finally {
    answers.dispose();
  }
}
