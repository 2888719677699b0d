import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BoardFrame, type BoardFrameOptions, type FrameProxy, type FrameSettings } from '../../../src/panel/boardFrame';
import { BoardProxy, type BoardProxyOptions } from '../../../src/panel/boardProxy';
import type { ProbeResult } from '../../../src/panel/probe';
import { FakeTimer, settle } from '../../shared/fakeTimer';

const HOUR_MS = 3_600_000;

/** A board's page on loopback, answering as the test tells it to. */
async function boardPage(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ origin: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const allowsFraming = (_: IncomingMessage, response: ServerResponse) => response.end('board');
const refusesFraming = (_: IncomingMessage, response: ServerResponse) =>
  response.writeHead(200, { 'x-frame-options': 'DENY' }).end('board');

/** Whether anything still answers at `url`: a closed proxy refuses the connection. */
async function answers(url: string): Promise<boolean> {
  try {
    await (await fetch(url)).text();
    return true;
  } catch {
    return false;
  }
}

/** Resolves when `open()` is called; until then, whatever waits on it waits. */
function gate(): { wait: Promise<void>; open(): void } {
  let open = () => undefined as void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('the board frame', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function page(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
    const { origin, server } = await boardPage(handler);
    cleanup.push(() => new Promise((resolve) => server.close(resolve)));
    return origin;
  }

  /** A frame for board tb1 with every VS Code call and the service faked, and what it did recorded. */
  function frameFor(link: string | (() => Promise<string>), overrides: Partial<BoardFrameOptions> = {}) {
    const timer = new FakeTimer();
    const settings: { -readonly [K in keyof FrameSettings]: FrameSettings[K] } = {
      sharedLinkLifetimeHours: 24,
      boardFraming: 'auto',
    };
    const asked: number[] = [];
    const logged: string[] = [];
    /** The entry URL of each proxy started, in order. */
    const proxies: string[] = [];
    let renewals = 0;
    /** Each proxy start waits for the gate the test puts here, if any. */
    const proxyGates: Promise<void>[] = [];
    const frame = new BoardFrame({
      tensorboardId: 'tb1',
      sharedUrl: async (lifetimeSeconds) => {
        asked.push(lifetimeSeconds);
        return typeof link === 'string' ? link : link();
      },
      settings: () => settings,
      // As a port forwarder would: another name for the extension host's loopback.
      webviewUrl: async (url) => url.replace('//127.0.0.1:', '//localhost:'),
      onRenew: () => renewals++,
      log: { info: (line) => logged.push(line), warn: (line) => logged.push(line) },
      timer,
      startProxy: async (options: BoardProxyOptions) => {
        const proxy: FrameProxy = await BoardProxy.start(options);
        proxies.push(proxy.entryUrl);
        cleanup.push(() => proxy.close());
        await proxyGates.shift();
        return proxy;
      },
      ...overrides,
    });
    cleanup.push(() => frame.dispose());
    return { frame, timer, settings, asked, logged, proxies, proxyGates, renewals: () => renewals };
  }

  it('frames directly a board that allows it, through a fresh shared link of the configured lifetime', async () => {
    const link = `${await page(allowsFraming)}/share/tb1/token/abc/`;
    const { frame, settings, asked, proxies } = frameFor(link);
    settings.sharedLinkLifetimeHours = 2;
    assert.deepEqual(await frame.load({ url: 'https://console.example/tb1' }), {
      kind: 'framed',
      url: link,
      framing: 'direct',
    });
    assert.deepEqual(asked, [7_200]);
    assert.equal(frame.link, link);
    assert.equal(frame.framing, 'direct');
    assert.equal(proxies.length, 0);
  });

  it('renews the shared link when a tenth of its lifetime is left, once, and not after dispose', async () => {
    const link = `${await page(allowsFraming)}/share/tb1/token/abc/`;
    const { frame, timer, settings, renewals } = frameFor(link);
    settings.sharedLinkLifetimeHours = 1;
    await frame.load({});
    await frame.load({});
    assert.equal(timer.pendingCount, 1, 'each load left a renewal of its own');
    await timer.advance(0.9 * HOUR_MS - 1);
    assert.equal(renewals(), 0);
    await timer.advance(1);
    assert.equal(renewals(), 1);

    settings.sharedLinkLifetimeHours = 2;
    await frame.load({});
    // The last timer of a minute or more (the probes' deadlines and intervals are shorter).
    assert.equal(timer.delays.filter((ms) => ms >= 60_000).at(-1), 1.8 * HOUR_MS);
    await frame.dispose();
    assert.equal(timer.pendingCount, 0);
    await timer.advance(2 * HOUR_MS);
    assert.equal(renewals(), 1);
  });

  it('frames the TensorboardUrl when GetTensorboardSharedUrl fails, with nothing to renew', async () => {
    const boardUrl = `${await page(allowsFraming)}/tensorboard/tb1/`;
    const { frame, timer, logged } = frameFor(() =>
      Promise.reject(new Error('Forbidden.RAM: no paidlc:GetTensorboardSharedUrl')),
    );
    assert.deepEqual(await frame.load({ url: boardUrl }), { kind: 'framed', url: boardUrl, framing: 'direct' });
    assert.equal(frame.link, boardUrl);
    assert.equal(timer.pendingCount, 0);
    assert.ok(
      logged.some((line) => /No shared link for tb1, framing its TensorboardUrl: Forbidden\.RAM/.test(line)),
      logged.join('\n'),
    );
  });

  it('frames no URL that is not https or loopback http, and keeps a plain http one for the browser', async () => {
    const failing = () => Promise.reject(new Error('Timeout'));
    assert.deepEqual(await frameFor(failing).frame.load({}), { kind: 'notFrameable' });
    const plain = frameFor('http://pai-dlc-proxy.example/share/tb1/');
    assert.deepEqual(await plain.frame.load({}), { kind: 'notFrameable' });
    assert.equal(plain.frame.link, 'http://pai-dlc-proxy.example/share/tb1/');
    const script = frameFor('javascript:alert(1)');
    assert.deepEqual(await script.frame.load({}), { kind: 'notFrameable' });
    assert.equal(script.frame.link, undefined);
  });

  it("marks the probe's answer, then the frame URL's choice, only once the proxy listens (#23)", async () => {
    const link = `${await page(refusesFraming)}/share/tb1/token/abc/`;
    const marks: string[] = [];
    const { frame, proxyGates } = frameFor(link, { timeline: { mark: (id, step) => marks.push(`${id} ${step}`) } });
    let openGate!: () => void;
    proxyGates.push(new Promise<void>((resolve) => (openGate = resolve)));
    const loading = frame.load({});
    while (marks.length === 0) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(marks, ['tb1 probeAnswered'], 'the proxy is still starting');
    openGate();
    assert.equal((await loading)?.kind, 'framed');
    assert.deepEqual(marks, ['tb1 probeAnswered', 'tb1 frameUrl']);
  });

  it('waits for the page to answer, saying so once, and gives up with the last problem', async () => {
    const statuses = [503, 503, 200];
    let probes = 0;
    const probe = async (): Promise<ProbeResult> => {
      probes++;
      const status = statuses.shift() ?? 503;
      return {
        ready: status < 500,
        status,
        framingLimited: false,
        needsCookie: false,
        problem: status >= 500 ? `HTTP ${status}` : undefined,
      };
    };
    const { frame, timer, logged } = frameFor('https://board.example/share/tb1/', { probe });
    /** Once the load's first probe is out, the rest of its waits are on the fake timer. */
    const firstProbe = async (since: number) => {
      while (probes === since) await settle();
    };
    // Told once, with the URL the frame gets if the board allows framing: the panel readies that frame's page.
    const told: (string | undefined)[] = [];
    const waiting = frame.load({}, (likely) => told.push(likely));
    await firstProbe(0);
    await timer.advance(1_000);
    assert.deepEqual(await waiting, { kind: 'framed', url: 'https://board.example/share/tb1/', framing: 'direct' });
    assert.deepEqual(told.slice(), ['https://board.example/share/tb1/']);
    assert.equal(probes, 3);

    const givingUp = frame.load({}, (likely) => told.push(likely));
    await firstProbe(3);
    await timer.advance(130_000);
    assert.deepEqual(await givingUp, { kind: 'notAnswering' });
    assert.equal(told.length, 2);

    // With the bridge, where each port has an origin of its own, the proxy will show it: no frame URL is known yet.
    statuses.push(503, 200);
    const bridged = frameFor('https://board.example/share/tb1/', { probe, bridgeScript: () => '' });
    const proxied: (string | undefined)[] = [];
    const loading = bridged.frame.load({}, (likely) => proxied.push(likely));
    await firstProbe(probes);
    await bridged.timer.advance(1_000);
    assert.equal((await loading)?.kind, 'framed');
    assert.deepEqual(proxied, [undefined]);
    assert.ok(
      logged.some((line) => line === 'TensorBoard tb1 runs but its page does not answer: HTTP 503'),
      logged.join('\n'),
    );
  });

  it('shows a board that refuses framing through a loopback proxy, as the webview reaches it, closed on dispose', async () => {
    const link = `${await page(refusesFraming)}/share/tb1/token/abc/`;
    const { frame, logged, proxies } = frameFor(link);
    const result = await frame.load({});
    assert.equal(result?.kind === 'framed' && result.framing, 'proxy');
    const url = result?.kind === 'framed' ? result.url : '';
    assert.equal(url, proxies[0]!.replace('//127.0.0.1:', '//localhost:'));
    assert.match(url, /^http:\/\/localhost:\d+\/[A-Za-z0-9_-]{32}\/share\/tb1\/token\/abc\/$/);
    assert.equal(await (await fetch(url)).text(), 'board');
    assert.equal(frame.link, link, 'the browser would open the proxy');
    assert.ok(logged.includes('Showing tb1 through a loopback proxy: it refuses to be framed'), logged.join('\n'));
    await frame.dispose();
    assert.equal(await answers(proxies[0]!), false, 'the proxy outlived the frame');
  });

  it("where ports share the workbench's origin, frames no proxy: a refusing board goes to the browser", async () => {
    const pathForwarding = async () => ({
      first: 'http://127.0.0.1:8080/proxy/6006/',
      second: 'http://127.0.0.1:8080/proxy/6007/',
    });
    const refusing = `${await page(refusesFraming)}/share/tb1/token/abc/`;
    const { frame, logged, proxies } = frameFor(refusing, { portForwarding: pathForwarding });
    assert.deepEqual(await frame.load({}), { kind: 'browserOnly' });
    assert.equal(proxies.length, 0, 'a proxy was started');
    assert.equal(frame.framing, undefined);
    assert.equal(frame.link, refusing, 'Open in Browser has no link');
    assert.ok(
      logged.some((line) =>
        /^Not showing tb1 in the editor: it refuses to be framed, but the proxy would share/.test(line),
      ),
      logged.join('\n'),
    );

    const cookieBoard = `${await page((_, response) => response.writeHead(200, { 'set-cookie': 's=1' }).end('board'))}/b/`;
    const cookie = frameFor(cookieBoard, { portForwarding: pathForwarding });
    assert.deepEqual(await cookie.frame.load({}), { kind: 'framed', url: cookieBoard, framing: 'direct' });
    assert.equal(cookie.proxies.length, 0, 'a proxy was started');
  });

  it('uses the proxy where the window gives each port an origin of its own', async () => {
    const link = `${await page(refusesFraming)}/share/tb1/token/abc/`;
    const { frame, proxies } = frameFor(link, {
      portForwarding: async () => ({ first: 'http://6006.localhost:8080/', second: 'http://6007.localhost:8080/' }),
    });
    const result = await frame.load({});
    assert.equal(result?.kind === 'framed' && result.framing, 'proxy');
    assert.equal(proxies.length, 1);
  });

  it('keeps the proxy for the same link, replaces it for a new one, and closes it once framing is direct', async () => {
    const origin = await page(refusesFraming);
    let link = `${origin}/share/tb1/token/first/`;
    const { frame, settings, proxies } = frameFor(async () => link);
    await frame.load({});
    await frame.load({});
    assert.equal(proxies.length, 1, 'a reload of the same link started a second proxy');
    link = `${origin}/share/tb1/token/renewed/`;
    const renewed = await frame.load({});
    assert.equal(proxies.length, 2);
    assert.equal(await answers(proxies[0]!), false, 'the replaced proxy still answers');
    assert.equal(renewed?.kind === 'framed' && (await (await fetch(renewed.url)).text()), 'board');
    settings.boardFraming = 'direct';
    // Framed as it is though it refuses framing: the panel's Blank? hint shows at once.
    assert.deepEqual(await frame.load({}), { kind: 'framed', url: link, framing: 'direct', framingLimited: true });
    assert.equal(await answers(proxies[1]!), false, 'the proxy outlived its use');
  });

  it('a second load that overtakes the first closes the proxy the first one was starting', async () => {
    const link = `${await page(refusesFraming)}/share/tb1/token/abc/`;
    const { frame, proxies, proxyGates } = frameFor(link);
    const slow = gate();
    proxyGates.push(slow.wait, Promise.resolve());
    const first = frame.load({});
    while (proxies.length < 1) await new Promise((resolve) => setImmediate(resolve));
    const second = await frame.load({});
    slow.open();
    assert.equal(await first, undefined, 'the overtaken load still rendered');
    assert.equal(proxies.length, 2);
    assert.equal(await answers(proxies[0]!), false, 'the overtaken load left its proxy running');
    assert.equal(second?.kind === 'framed' && (await (await fetch(second.url)).text()), 'board');
    await frame.dispose();
    assert.equal(await answers(proxies[1]!), false);
  });

  it('closes a proxy that finishes starting after the frame was disposed', async () => {
    const link = `${await page(refusesFraming)}/share/tb1/token/abc/`;
    const { frame, proxies, proxyGates } = frameFor(link);
    const slow = gate();
    proxyGates.push(slow.wait);
    const loading = frame.load({});
    while (proxies.length < 1) await new Promise((resolve) => setImmediate(resolve));
    await frame.dispose();
    slow.open();
    assert.equal(await loading, undefined);
    assert.equal(await answers(proxies[0]!), false);
  });

  it('clear() forgets the link, cancels the renewal and an unfinished load, and closes the proxy', async () => {
    const link = `${await page(refusesFraming)}/share/tb1/token/abc/`;
    let linkGate: Promise<void> | undefined;
    const { frame, timer, proxies } = frameFor(async () => (await linkGate, link));
    await frame.load({});
    await frame.clear();
    assert.deepEqual([frame.link, frame.framing, timer.pendingCount], [undefined, undefined, 0]);
    assert.equal(await answers(proxies[0]!), false);

    const slow = gate();
    linkGate = slow.wait;
    const loading = frame.load({});
    await settle();
    await frame.clear();
    slow.open();
    assert.equal(await loading, undefined);
    assert.equal(timer.pendingCount, 0, 'a cleared load scheduled a renewal');
    assert.equal(proxies.length, 1);
  });

  it('clear() forgets the link and the framing at once, before a slow proxy has closed (Sign Out shows its page first)', async () => {
    const link = `${await page(refusesFraming)}/share/tb1/token/abc/`;
    const closing = gate();
    let closed = false;
    const { frame } = frameFor(link, {
      startProxy: async (options) => {
        const proxy = await BoardProxy.start(options);
        cleanup.push(() => proxy.close());
        return {
          target: proxy.target,
          entryUrl: proxy.entryUrl,
          close: async () => {
            await closing.wait;
            await proxy.close();
            closed = true;
          },
        };
      },
    });
    await frame.load({});
    assert.equal(frame.framing, 'proxy');
    const clearing = frame.clear();
    assert.deepEqual([frame.link, frame.framing], [undefined, undefined], 'the link outlived the call to clear()');
    await settle();
    assert.equal(closed, false);
    closing.open();
    await clearing;
    assert.equal(closed, true, 'clear() resolved before the proxy closed');
  });
});
