import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readTimeline, type TimelineStep } from '../src/base/timeline';
import type { ConsoleMessage } from 'playwright-core';
import { loadSeed } from '../test/emulator';
import { boardInPanel, createBoardForJob, signIn } from '../test/e2e/steps';
import { startBenchHost, type BenchHost } from './host';
import { oracleChart, sdkWait, type SdkSample } from './sdkWaiter';
import type { Context } from './startup';
import { median, ms, spread, type Row } from './table';

/** A job with sample event files, so its board shows real charts. */
const JOB = /xgboost-ctr/;

interface Sample {
  /** From the emulator's board turning Running to the board page painted inside the panel's frame. */
  readonly latencyMs: number;
  /** How the page's paint time was read: `first-contentful-paint`, or the load event where Chromium gave none. */
  readonly paint: string;
  /** From Running to the first GetTensorboard after it: the waiter's back-off. */
  readonly detectMs: number;
  /** From that call to the page painted: the panel's calls, the webview, the frame's page. */
  readonly openMs: number;
  /** From Running to TensorBoard's `loss` chart card shown in the panel. */
  readonly chartMs: number;
  /** From CreateTensorboard's arrival at the emulator to that chart (boardInPanel resolving). */
  readonly createToChartMs: number;
  /** GetTensorboard calls from CreateTensorboard to that chart. */
  readonly getCalls: number;
  /** When each of them arrived, after CreateTensorboard. */
  readonly getCallsAtMs: readonly number[];
  /** The CreateTensorboard body the extension sent. */
  readonly createBody: unknown;
  /** From the frame's navigation start to that chart: the part a proxy can slow down. */
  readonly frameToChartMs: number;
  /** GetTensorboard calls from CreateTensorboard until the board turned Running. */
  readonly pollsWhileWaiting: number;
  /** Every API call in that time, by operation. */
  readonly callsWhileWaiting: Record<string, number>;
  /** Page requests of the extension host (its probes), per second, from the create to the frame starting. */
  readonly probesPerSecond: number;
  /** From Running to the board's TensorBoard answering (the emulator starts it at Running): the app's own start. */
  readonly appStartMs: number;
  /**
   * From the later of the poll that saw Running and the app's first answer to the extension host (a probe answered
   * 2xx, as the emulator sent it) to the frame's navigation start: the extension's own share.
   */
  readonly extensionMs: number;
  /** From the app answering (readyAt) to that first answer: the wait for the next probe, bounded by the probe budget. */
  readonly probeWaitMs: number;
  /** The issue's first reading of the share: from the later of Running seen and readyAt; includes the probe's wait. */
  readonly extensionFromReadyMs: number;
  /** From the frame's navigation start to its first paint: TensorBoard's page loading (its scripts). */
  readonly pagePaintMs: number;
  /** From the board's TensorBoard answering to its `loss` chart in the panel. */
  readonly appToChartMs: number;
  /**
   * The extension's share split by its own log (`timeline <id> <step> <epoch ms>`, src/base/timeline.ts): each step's
   * time after the share's start (Running seen or the app's first answer, whichever is later); negative: before it.
   */
  readonly split: Partial<Record<TimelineStep, number>>;
}

/** The steps of the split, in the order they happen. */
const SPLIT_STEPS: readonly TimelineStep[] = [
  'pageAnswered',
  'runningSeen',
  'panelAsked',
  'probeAnswered',
  'frameUrl',
  'htmlSet',
];

/** The extension's log in a bench host (`<data>/user-data/logs/<session>/exthost<n>/<extension>/PAI TensorBoard.log`). */
function extensionLog(host: BenchHost): string {
  const logs = path.join(host.server.dataDir, 'user-data', 'logs');
  const files = readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('PAI TensorBoard.log'),
  );
  return files.map((f) => readFileSync(path.join(logs, f), 'utf8')).join('\n');
}

/**
 * The palette's create flow (`PAI: Create TensorBoard…` › A DLC job › llm-pretrain-7b › name) against an emulator
 * whose boards take `createMs` to provision, in real time, with the sidebar closed. The board turns Running at
 * CreateTensorboard's arrival + createMs (the emulator's lifecycle is a pure function of its clock, which runs at
 * real time here and is never moved); the page is visible when Chromium paints it inside the panel's frame
 * (`first-contentful-paint` of that frame, as an epoch time: timeOrigin + startTime).
 */
async function sample(
  context: Context,
  host: BenchHost,
  createMs: number,
  index: number,
  proxy: boolean,
): Promise<Sample> {
  const { emulator } = context.folder;
  emulator.reset(loadSeed());
  emulator.setTimings({ createMs, startMs: createMs, stopMs: 1_000 });
  // Framing limits make the panel show the board through its loopback proxy; the setting says so too, since `auto`
  // frames every board through the proxy wherever ports have origins of their own: each sample measures what it says.
  emulator.setPageSwitches({ frameLimits: proxy });
  await host.payload?.call({ op: 'setting', key: 'boardFraming', value: proxy ? 'proxy' : 'direct' });
  // The extension's board list still holds the previous sample's board, which the reset removed: unrefreshed, the
  // create flow would offer to open that one ("already exists") instead of asking for a name.
  await host.payload?.call({ op: 'command', id: 'paiTensorboard.refresh' });
  const { workbench } = host;
  // The page's errors and warnings (the board's frame's among them), shown when the chart does not come.
  const logged: string[] = [];
  const onConsole = (m: ConsoleMessage) => {
    if (m.type() === 'error' || m.type() === 'warning') logged.push(`${m.type()} ${m.text()}`);
  };
  workbench.page.on('console', onConsole);
  await workbench.runCommand('View: Close All Editors');
  const name = `bench-${createMs / 1000}s-${proxy ? 'proxy-' : ''}${index}`;
  await createBoardForJob(workbench, JOB, name);
  try {
    await boardInPanel(workbench, name, createMs + 30_000);
  } catch (error) {
    // What the panel showed instead, for whoever reads the failed run.
    await workbench.screenshot(path.join(context.resultsDir, `failed-${name}.png`)).catch(() => undefined);
    const pages = emulator.pageRequests.map(
      (r) => `${r.fromBrowser ? 'browser' : 'host'} ${r.method} ${r.path.replace(/\/token\/[^/]+/, '/token/…')}`,
    );
    console.error(`[bench] ${name}: the board's page requests, last 20:\n  ${pages.slice(-20).join('\n  ')}`);
    // What the board's frame loaded, with each answer's status (0: blocked or failed in the browser).
    for (const f of workbench.page.frames().filter((f) => f.url().includes('/share/'))) {
      const seen = await f
        .evaluate(() =>
          performance
            .getEntriesByType('resource')
            .map((e) => `${(e as PerformanceResourceTiming & { responseStatus?: number }).responseStatus} ${e.name}`),
        )
        .catch((e: unknown) => [String(e)]);
      console.error(
        `[bench] ${name}: its frame loaded:\n  ${seen.map((line) => line.replace(/\/token\/[^/]+/, '/token/…')).join('\n  ')}`,
      );
    }
    console.error(`[bench] ${name}: the page's console, last 30:\n  ${logged.slice(-30).join('\n  ')}`);
    throw error;
  } finally {
    workbench.page.off('console', onConsole);
  }
  const seenAt = Date.now();

  const create = emulator.requests.find((r) => r.operation === 'CreateTensorboard' && r.status === 200);
  if (!create) throw new Error('no CreateTensorboard was answered');
  const board = emulator.boards().find((b) => b.DisplayName === name);
  const id = String(board?.TensorboardId ?? '');
  if (!id) throw new Error(`the emulator has no board ${name}`);
  const runningAt = create.at + createMs;

  const frame = workbench.page
    .frames()
    .find((f) => f.url().includes(`/share/${id}/`) || f.url().includes(`/tensorboard/${id}/`));
  if (!frame) throw new Error(`no frame shows the board ${id}`);
  // Through the proxy, the board must be on a forwarded port's own origin, never on the workbench's (#22).
  const onProxy = /^http:\/\/\d+\.cs\.localhost:\d+\//.test(frame.url());
  if (proxy !== onProxy)
    throw new Error(`the board is framed ${onProxy ? 'through' : 'without'} the proxy, not as asked: ${frame.url()}`);
  const frameStartedAt = await frame.evaluate(() => performance.timeOrigin);
  const painted = await frame.evaluate(() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    if (paint) return { at: performance.timeOrigin + paint.startTime, how: 'first-contentful-paint' };
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return navigation ? { at: performance.timeOrigin + navigation.loadEventEnd, how: 'load event' } : undefined;
  });
  const visibleAt = painted?.at ?? seenAt;

  const waiting = emulator.requests.filter((r) => r.at >= create.at && r.at < runningAt && r !== create);
  const callsWhileWaiting: Record<string, number> = {};
  for (const r of waiting)
    callsWhileWaiting[r.operation ?? r.path] = (callsWhileWaiting[r.operation ?? r.path] ?? 0) + 1;
  const probes = emulator.pageRequests.filter(
    (r) => !r.fromBrowser && r.path.includes(id) && r.at >= create.at && r.at <= frameStartedAt,
  ).length;
  const seenRunning = emulator.requests.find((r) => r.operation === 'GetTensorboard' && r.at >= runningAt);
  if (!seenRunning) throw new Error('no GetTensorboard after the board turned Running');
  const app = emulator.realBoards().processes.find((p) => p.tensorboardId === id);
  if (app?.readyAt === undefined) throw new Error(`the emulator has no answering TensorBoard for ${id}`);
  // The app answers when asked: its first 2xx answer to the extension host (a probe) ends the wait for it.
  const firstAnswer = emulator.pageRequests
    .filter((r) => !r.fromBrowser && r.path.includes(id) && r.status !== undefined && r.status < 300)
    .map((r) => r.answeredAt!)
    .filter((at) => at >= app.readyAt! && at <= frameStartedAt)
    .sort((a, b) => a - b)[0];
  if (firstAnswer === undefined) throw new Error(`no probe of the extension host had an answer from ${id}`);
  const shareStart = Math.max(firstAnswer, seenRunning.at);
  const marks = readTimeline(extensionLog(host), id);
  const split = Object.fromEntries(
    SPLIT_STEPS.filter((step) => marks[step] !== undefined).map((step) => [step, marks[step]! - shareStart]),
  );
  const getCallsAtMs = emulator.requests
    .filter((r) => r.operation === 'GetTensorboard' && r.at >= create.at && r.at <= seenAt)
    .map((r) => r.at - create.at);
  if (index === 1) await workbench.screenshot(path.join(context.resultsDir, `provisioning-${createMs / 1000}s.png`));
  return {
    chartMs: seenAt - runningAt,
    createToChartMs: seenAt - create.at,
    getCalls: getCallsAtMs.length,
    getCallsAtMs,
    createBody: create.body,
    frameToChartMs: seenAt - frameStartedAt,
    latencyMs: visibleAt - runningAt,
    detectMs: seenRunning.at - runningAt,
    openMs: visibleAt - seenRunning.at,
    paint: painted?.how ?? 'seen by Playwright',
    pollsWhileWaiting: callsWhileWaiting.GetTensorboard ?? 0,
    callsWhileWaiting,
    probesPerSecond: probes / Math.max(0.001, (frameStartedAt - create.at) / 1000),
    appStartMs: app.readyAt - runningAt,
    extensionMs: frameStartedAt - shareStart,
    probeWaitMs: firstAnswer - app.readyAt,
    extensionFromReadyMs: frameStartedAt - Math.max(app.readyAt, seenRunning.at),
    pagePaintMs: visibleAt - frameStartedAt,
    appToChartMs: seenAt - app.readyAt,
    split: { ...split, frameStart: frameStartedAt - shareStart } as Sample['split'],
  };
}

async function samples(
  context: Context,
  host: BenchHost,
  createMs: number,
  runs: number,
  proxy: boolean,
): Promise<Sample[]> {
  const taken: Sample[] = [];
  for (let i = 1; i <= runs; i++) {
    const s = await sample(context, host, createMs, i, proxy);
    taken.push(s);
    console.log(
      `[bench] provisioning ${createMs / 1000} s${proxy ? ' (proxy)' : ''} #${i}: Running → painted ${ms(s.latencyMs)} (${s.paint}) = next poll ${ms(s.detectMs)} + open ${ms(s.openMs)}; TensorBoard ready ${ms(s.appStartMs)} after Running, answered a probe ${ms(s.probeWaitMs)} later, framed ${ms(s.extensionMs)} after that, its page painted ${ms(s.pagePaintMs)} after that; first chart ${ms(s.chartMs)} (frame → chart ${ms(s.frameToChartMs)}); calls while waiting ${JSON.stringify(s.callsWhileWaiting)}; the share's steps ${JSON.stringify(s.split)}`,
    );
  }
  return taken;
}

/** Running → TensorBoard's first chart, framed directly and through the loopback proxy, and the proxy's overhead. */
export async function measureCharts(context: Context, host: BenchHost, runs: number): Promise<Row[]> {
  const direct = await samples(context, host, 5_000, runs, false);
  // Since #22 the panel uses its proxy only where the frame gets an origin of its own: a code-server with a proxy
  // domain (`<port>.cs.localhost`), as desktop VS Code gives each port. Direct framing stays on the default server:
  // there the board is same-site with the workbench (127.0.0.1), while a cross-site frame in a Playwright context
  // (off the record, third-party storage blocked like an Incognito window) cannot read localStorage, which
  // TensorBoard needs for its data.
  const proxyHost = await startBenchHost(context.root, context.folder, 'proxy-domain', {
    ...context,
    withPayload: true,
    proxyDomain: true,
  });
  let proxied: Sample[];
  try {
    await signIn(proxyHost.workbench);
    proxied = await samples(context, proxyHost, 5_000, runs, true);
  } finally {
    await proxyHost.close();
  }
  const ratio = median(proxied.map((s) => s.frameToChartMs)) / median(direct.map((s) => s.frameToChartMs));
  const { emulator } = context.folder;
  const oracle: number[] = [];
  for (let i = 1; i <= runs; i++) {
    await host.workbench.runCommand('View: Close All Editors');
    emulator.reset(loadSeed());
    emulator.setTimings({ createMs: 5_000, startMs: 5_000, stopMs: 1_000 });
    oracle.push(await oracleChart(emulator, context.browser, direct[0]!.createBody, `bench-oracle-${i}`, 120_000));
  }
  const panel = median(direct.map((s) => s.appToChartMs));
  return [
    {
      figure: 'first chart after the app answers: the panel (direct) / a plain browser tab opened at that instant',
      measured: `${(panel / median(oracle)).toFixed(2)}× (${ms(panel)} / ${spread(oracle)})`,
      target: '≤ 1.15×',
      ok: panel / median(oracle) <= 1.15,
    },
    ...(
      [
        ['direct (5 s provisioning)', direct],
        ['through the proxy', proxied],
      ] as const
    ).map(([how, taken]) => ({
      // Mostly TensorBoard's page and Chromium on this machine (the plain tab above takes as long): the panel's own
      // part has its targets in the rows against that tab and against direct framing.
      figure: `TensorBoard's first chart in the panel, ${how}: after the app answers (after Running)`,
      measured: `median ${spread(taken.map((s) => s.appToChartMs))} (${ms(median(taken.map((s) => s.chartMs)))})`,
      target: '— (was ≤ 2,000 ms after the app answers)',
      ok: null,
    })),
    {
      figure: 'proxy overhead: frame start → first chart, proxy / direct',
      measured: `${ratio.toFixed(2)}× (${ms(median(proxied.map((s) => s.frameToChartMs)))} / ${ms(median(direct.map((s) => s.frameToChartMs)))})`,
      // Issue #23: on the WAN profile too (keep-alive upstream, requests in parallel, streamed answers).
      target: '≤ 1.1×',
      ok: ratio <= 1.1,
    },
  ];
}

export async function measureProvisioning(
  context: Context,
  host: BenchHost,
  createMs: number,
  runs: number,
): Promise<Row[]> {
  const taken = await samples(context, host, createMs, runs, false);
  const seconds = createMs / 1000;
  const polls = taken.map((s) => s.pollsWhileWaiting);
  const perTwoSeconds = median(polls) / (seconds / 2);
  return [
    {
      // Mostly TensorBoard's own start and painting: shown for comparison, the extension's share has the target.
      figure: `board Running → page painted in the panel (${seconds} s provisioning)`,
      measured: `median ${spread(taken.map((s) => s.latencyMs))} = next poll ${ms(median(taken.map((s) => s.detectMs)))} + open ${ms(median(taken.map((s) => s.openMs)))}`,
      target: '— (was ≤ 1,000 ms)',
      ok: null,
    },
    {
      figure: `  of which: TensorBoard starts (Running → ready); a probe finds it; the extension (→ frame starts); its page paints (${seconds} s)`,
      measured: `medians ${ms(median(taken.map((s) => s.appStartMs)))}; ${ms(median(taken.map((s) => s.probeWaitMs)))}; ${ms(median(taken.map((s) => s.extensionMs)))}; ${ms(median(taken.map((s) => s.pagePaintMs)))}`,
      target: '—',
      ok: null,
    },
    {
      figure: `the extension's share: Running seen or the app's first answer, whichever is later → the frame starts (${seconds} s)`,
      measured: `median ${spread(taken.map((s) => s.extensionMs))}`,
      target: '≤ 50 ms',
      ok: median(taken.map((s) => s.extensionMs)) <= 50,
    },
    {
      // The app answers only when asked: at ≤ 4 probes/s the next probe comes on average 125 ms after it is ready.
      figure: `  the probe's wait: TensorBoard ready → its first answer to a probe (${seconds} s)`,
      measured: `median ${spread(taken.map((s) => s.probeWaitMs))}`,
      target: '≤ 250 ms (one probe at ≤ 4/s)',
      ok: median(taken.map((s) => s.probeWaitMs)) <= 250,
    },
    {
      figure: `  the share as first read: Running seen or TensorBoard ready → the frame starts, probe's wait included (${seconds} s)`,
      measured: `median ${spread(taken.map((s) => s.extensionFromReadyMs))}`,
      target: '— (was ≤ 50 ms)',
      ok: null,
    },
    {
      figure: `  the share's steps after its start, from the extension's log (${seconds} s)`,
      measured: `medians ${[...SPLIT_STEPS, 'frameStart' as const]
        .map((step) => {
          const at = taken
            .map((s) => (s.split as Record<string, number | undefined>)[step])
            .filter((t) => t !== undefined);
          return `${step} ${at.length ? ms(median(at)) : '—'}`;
        })
        .join('; ')}`,
      target: '—',
      ok: null,
    },
    {
      figure: `GetTensorboard calls while provisioning (${seconds} s)`,
      measured: `median ${median(polls)} in ${seconds} s = ${perTwoSeconds.toFixed(2)} per 2 s (${polls.join(', ')})`,
      target: '≤ 1 per 2 s',
      ok: perTwoSeconds <= 1,
    },
    {
      figure: `the extension host's page probes, create → frame starts (${seconds} s)`,
      measured: `median ${median(taken.map((s) => s.probesPerSecond)).toFixed(2)}/s (max ${Math.max(...taken.map((s) => s.probesPerSecond)).toFixed(2)}/s)`,
      // The first two minutes of a wait; after that the page watch slows to 1/s.
      target: '≤ 4/s',
      ok: Math.max(...taken.map((s) => s.probesPerSecond)) <= 4,
    },
  ];
}

/**
 * Side by side, in turns on the same emulator at the same provisioning times, spread over pai-python-sdk's 5 s poll
 * interval (at exactly 5 s its second poll lands just after Running, its best case): the extension's create flow (create →
 * `loss` chart in the panel) and a pai-python-sdk-style waiter (sdkWaiter.ts) creating a board with the very request
 * the extension just sent, renamed, from CreateTensorboard's arrival to the same chart in a fresh browser page.
 * The editors are closed and the emulator reset between the two, so neither's TensorBoard runs during the other.
 */
export async function measureSideBySide(
  context: Context,
  host: BenchHost,
  provisioningMs: readonly number[],
): Promise<Row[]> {
  const { emulator } = context.folder;
  const ours: Sample[] = [];
  const sdk: SdkSample[] = [];
  const ratios: number[] = [];
  const afterRunning: number[] = [];
  for (const [n, createMs] of provisioningMs.entries()) {
    const i = n + 1;
    // Both sides cold: the waiter's browser context is new each time, so the panel's page cache is emptied first.
    const cdp = await host.workbench.page.context().newCDPSession(host.workbench.page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
    const own = await sample(context, host, createMs, i, false);
    ours.push(own);
    await host.workbench.runCommand('View: Close All Editors');
    emulator.reset(loadSeed());
    emulator.setTimings({ createMs, startMs: createMs, stopMs: 1_000 });
    const theirs = await sdkWait(
      emulator,
      context.browser,
      own.createBody,
      `bench-sdk-${createMs / 1000}s-${i}`,
      createMs + 60_000,
    );
    sdk.push(theirs);
    ratios.push(theirs.createToChartMs / own.createToChartMs);
    afterRunning.push((theirs.createToChartMs - createMs) / (own.createToChartMs - createMs));
    console.log(
      `[bench] side by side #${i} (${createMs} ms provisioning): create → chart, extension ${ms(own.createToChartMs)} (${own.getCalls} GetTensorboard, at ${own.getCallsAtMs.map(ms).join(', ')}), ` +
        `pai-python-sdk-style ${ms(theirs.createToChartMs)} (${theirs.getCalls} GetTensorboard, ${theirs.urlPolls} URL polls, ${theirs.pageLoads} page loads)`,
    );
  }
  const times = (from: readonly { createToChartMs: number }[]) => from.map((s) => s.createToChartMs);
  const calls = (from: readonly { getCalls: number }[]) => from.map((s) => s.getCalls).join(', ');
  const provisioning = provisioningMs.map((p) => (p / 1000).toFixed(1)).join(', ');
  const ratio = median(ratios);
  const ourCalls = ours.reduce((sum, s) => sum + s.getCalls, 0);
  const theirCalls = sdk.reduce((sum, s) => sum + s.getCalls, 0);
  return [
    {
      figure: `create → first chart, this extension (panel; provisioning ${provisioning} s)`,
      measured: `median ${spread(times(ours))}; GetTensorboard ${calls(ours)}`,
      target: '—',
      ok: null,
    },
    {
      figure: `create → first chart, pai-python-sdk-style waiter (browser; same)`,
      measured: `median ${spread(times(sdk))}; GetTensorboard ${calls(sdk)}`,
      target: '—',
      ok: null,
    },
    {
      // Provisioning (5-8.75 s) is on both sides: whatever the extension does, this ratio stays under about 2×.
      figure: 'side by side: pai-python-sdk-style / extension, create → chart (same run, same emulator, both cold)',
      measured: `median ${ratio.toFixed(2)}× sooner (${ratios.map((r) => r.toFixed(2)).join(', ')}); GetTensorboard ${ourCalls} vs ${theirCalls}`,
      target: '— (was ≥ 3×)',
      ok: null,
    },
    {
      figure: 'side by side, after Running only: (create → chart − provisioning), pai-python-sdk-style / extension',
      measured: `median ${median(afterRunning).toFixed(2)}× sooner (${afterRunning.map((r) => r.toFixed(2)).join(', ')}); GetTensorboard ${ourCalls} vs ${theirCalls}`,
      target: '≥ 2× sooner, no more calls',
      ok: median(afterRunning) >= 2 && ourCalls <= theirCalls,
    },
  ];
}
