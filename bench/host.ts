import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { openWorkbench, setSession } from '../test/e2e/harness';
import type { Workbench } from '../test/e2e/workbench';
import { launchCodeServer, subFolder, type CodeServer, type RunFolder } from '../test/runner/testHost';
import { CONTROL_VARIABLE, PAYLOAD_FILE, type Instruction, type Reply } from './protocol';

const CONNECT_MS = 90_000;
/** A long poll is answered with `wait` after this, well inside Node's HTTP client and server time-outs. */
const IDLE_MS = 20_000;

/**
 * The benchmark's end of the payload (bench/payload.ts) running in an extension host: the payload long-polls
 * `POST /next` with the result of the previous instruction and gets the next one.
 */
export class PayloadChannel {
  private held: ServerResponse | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly queue: Instruction[] = [];
  private readonly calls: Array<{ resolve: (value: unknown) => void; reject: (error: Error) => void }> = [];
  private onReady: (reply: Extract<Reply, { kind: 'ready' }>) => void = () => {};
  /** Resolves when the payload has started in the extension host. */
  readonly ready = new Promise<Extract<Reply, { kind: 'ready' }>>((resolve) => (this.onReady = resolve));

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<PayloadChannel> {
    let channel: PayloadChannel | undefined;
    const server = createServer((request, response) => void channel?.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    channel = new PayloadChannel(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return channel;
  }

  /** Sends an instruction and resolves with the payload's result (rejects with its error). */
  call<T>(instruction: Instruction): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.calls.push({ resolve: resolve as (value: unknown) => void, reject });
      this.queue.push(instruction);
      this.flush();
    });
  }

  /** Lets the payload return; VS Code then ends the extension tests. */
  exit(): void {
    this.queue.push({ op: 'exit' });
    this.flush();
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    this.held?.end(JSON.stringify({ op: 'exit' }));
    this.held = undefined;
    for (const call of this.calls.splice(0)) call.reject(new Error('the benchmark closed the payload channel'));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.url !== '/next') {
      response.writeHead(404).end();
      return;
    }
    const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Reply;
    if (reply.kind === 'ready') this.onReady(reply);
    if (reply.kind === 'result') {
      const call = this.calls.shift();
      if (reply.ok) call?.resolve(reply.value);
      else call?.reject(new Error(`in the extension host: ${reply.error}`));
    }
    this.held = response;
    this.idleTimer = setTimeout(() => {
      if (this.held !== response) return;
      this.held = undefined;
      response.end(JSON.stringify({ op: 'wait' } satisfies Instruction));
    }, IDLE_MS);
    this.flush();
  }

  private flush(): void {
    const response = this.held;
    const next = this.queue[0];
    if (!response || !next) return;
    this.queue.shift();
    this.held = undefined;
    clearTimeout(this.idleTimer);
    response.end(JSON.stringify(next));
  }
}

/**
 * VS Code runs `extensionTestsPath` only beside an `extensionDevelopmentPath`. That is an empty extension of the
 * benchmark's own (a manifest, no code), so that the PAI extension is still the one installed from the .vsix.
 */
function payloadEntries(server: CodeServer): Array<[string, string]> {
  const probe = server.dir('bench-probe');
  writeFileSync(
    path.join(probe, 'package.json'),
    JSON.stringify({ name: 'pai-bench-probe', publisher: 'pai-bench', version: '0.0.0', engines: { vscode: '*' } }),
  );
  return [
    ['extensionDevelopmentPath', server.remoteUri(probe)],
    ['extensionTestsPath', server.remoteUri(path.join(server.root, PAYLOAD_FILE))],
  ];
}

/** A fresh code-server with the .vsix installed, a workbench on it, and, optionally, the payload in its extension host. */
export interface BenchHost {
  readonly server: CodeServer;
  readonly workbench: Workbench;
  /** Present when started `withPayload`. */
  readonly payload?: PayloadChannel;
  /** Closes the workbench, lets the payload end, stops the server. */
  close(): Promise<void>;
}

/**
 * Starts code-server in `<run folder>/<name>` with the .vsix installed (no development folder), opens the workspace
 * in a fresh browser context and, `withPayload`, runs bench/payload.ts in its extension host. The e2e helpers
 * (`Workbench`, test/e2e/steps.ts) work on it: it becomes the e2e session's host.
 */
export async function startBenchHost(
  root: string,
  folder: RunFolder,
  name: string,
  {
    vsix,
    browser,
    resultsDir,
    withPayload = false,
    proxyDomain = false,
  }: {
    vsix: string;
    browser: Browser;
    resultsDir: string;
    withPayload?: boolean;
    /**
     * Every forwarded port on an origin of its own (`<port>.cs.localhost`), as in a desktop window: since #22 the
     * panel frames its proxy only there, never on the workbench's origin (code-server's `/proxy/<port>/`).
     */
    proxyDomain?: boolean;
  },
): Promise<BenchHost> {
  const payload = withPayload ? await PayloadChannel.start() : undefined;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      payload?.exit();
      await workbench?.close().catch(() => undefined);
      await server?.stop();
      await payload?.close();
    })());
  try {
    server = await launchCodeServer(root, subFolder(folder, name), {
      vsix,
      label: `bench ${name}`,
      proxyDomain,
      extraEnv: payload ? { [CONTROL_VARIABLE]: payload.url } : {},
    });
    setSession({ host: server, browser, resultsDir });
    workbench = await openWorkbench(server, {
      payload: payload ? payloadEntries(server) : [],
      beforeLoad: async (page) => {
        // Where VS Code reports the extension tests' console and end: shown with PAI_TEST_VERBOSE=1.
        await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
          if (process.env.PAI_TEST_VERBOSE === '1')
            console.error(
              `[bench ${name}] extension host ${type}: ${(Array.isArray(args) ? args : [args]).map(String).join(' ')}`,
            );
        });
        await page.exposeFunction('codeAutomationExit', () => undefined);
      },
    });
    if (payload) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the payload did not start within ${CONNECT_MS / 1000} s`)),
          CONNECT_MS,
        );
      });
      await Promise.race([payload.ready, late]).finally(() => clearTimeout(timer));
    }
    return { server, workbench, payload, close };
  } catch (error) {
    await close();
    throw error;
  }
}
