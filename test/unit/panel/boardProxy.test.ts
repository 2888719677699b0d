import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BoardProxy, relativeUrl } from '../../../src/panel/boardProxy';
import {
  chooseFraming,
  framingLimited,
  PROBE_DEADLINE_MS,
  probeBoard,
  waitUntilAnswers,
  type ProbeResult,
} from '../../../src/panel/probe';
import { ManualClock, startEmulator, type Emulator } from '../../emulator';
import { FakeTimer, settle } from '../../shared/fakeTimer';
import { api } from '../emulator/helpers';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

/** A board origin that answers as each test tells it to, and records what reached it. */
async function upstream(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ origin: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

/** fetch without following redirects, as the frame's first request sees the answer. */
function get(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { redirect: 'manual', ...init });
}

describe('the board proxy', () => {
  const open: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const item of open.splice(0)) await item.close();
  });
  async function proxyFor(target: string): Promise<BoardProxy> {
    const proxy = await BoardProxy.start({ target });
    open.push(proxy);
    return proxy;
  }

  it('listens on loopback and answers only below its unguessable token', async () => {
    const board = await upstream((_, response) => response.end('board'));
    open.push(board.server);
    const proxy = await proxyFor(`${board.origin}/tensorboard/tb1/`);
    const entry = new URL(proxy.entryUrl);
    assert.equal(entry.hostname, '127.0.0.1');
    const token = entry.pathname.split('/')[1]!;
    assert.ok(token.length >= 32, `token ${token.length} characters`);
    assert.equal(entry.pathname, `/${token}/tensorboard/tb1/`);
    // One character off (never the same character: a random token may end with the one put in its place).
    const oneOff = `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`;
    for (const path of ['/tensorboard/tb1/', `/${oneOff}/tensorboard/tb1/`, `/${token}x/`, '/']) {
      assert.equal((await get(`http://127.0.0.1:${proxy.port}${path}`)).status, 404, path);
    }
    assert.equal(board.seen.length, 0, 'a request without the token reached the board');
    assert.equal(await (await get(proxy.entryUrl)).text(), 'board');
    const other = await proxyFor(`${board.origin}/tensorboard/tb1/`);
    assert.notEqual(new URL(other.entryUrl).pathname, entry.pathname, 'two proxies share a token');
  });

  it("reaches the board's origin only, whatever the request names", async () => {
    const board = await upstream((_, response) => response.end('ok'));
    open.push(board.server);
    const proxy = await proxyFor(`${board.origin}/tensorboard/tb1/`);
    const token = new URL(proxy.entryUrl).pathname.split('/')[1];
    await get(`http://127.0.0.1:${proxy.port}/${token}/data/plugins_listing?x=1`, {
      headers: { host: 'evil.example', cookie: 'vscode=secret', referer: 'vscode-webview://x' },
    });
    const [seen] = board.seen;
    assert.equal(seen?.url, '/data/plugins_listing?x=1');
    assert.equal(seen?.headers.host, new URL(board.origin).host);
    assert.equal(seen?.headers.cookie, undefined, "the frame's own cookies went to the board");
    assert.equal(seen?.headers.referer, undefined);
  });

  it('drops the framing limits and keeps the rest of the policy', async () => {
    const board = await upstream((_, response) => {
      // As the emulator sends it in front of TensorBoard: the app's own policy, then a second one with the limit.
      response.setHeader('content-security-policy', [
        "default-src 'self'; frame-ancestors 'self'",
        "frame-ancestors 'none'",
      ]);
      response.writeHead(200, { 'content-type': 'text/html', 'x-frame-options': 'DENY' });
      response.end('<html>board</html>');
    });
    open.push(board.server);
    const answer = await get((await proxyFor(`${board.origin}/`)).entryUrl);
    assert.equal(answer.headers.get('x-frame-options'), null);
    assert.equal(answer.headers.get('content-security-policy'), "default-src 'self'");
    assert.equal(answer.headers.get('content-type'), 'text/html');
    assert.equal(await answer.text(), '<html>board</html>');
  });

  it("keeps the board's cookies itself and sends them back, never to the frame", async () => {
    const board = await upstream((request, response) => {
      if (request.url === '/share/tb1/token/abc/') {
        response
          .writeHead(302, {
            location: '/share/tb1/',
            'set-cookie': 'share=abc; Path=/share/tb1/; HttpOnly; SameSite=Lax',
          })
          .end();
      } else if (request.url === '/share/tb1/' && request.headers.cookie === 'share=abc') {
        response.end('board');
      } else {
        response.writeHead(302, { location: '/login' }).end();
      }
    });
    open.push(board.server);
    const proxy = await proxyFor(`${board.origin}/share/tb1/token/abc/`);
    const first = await get(proxy.entryUrl);
    assert.equal(first.status, 302);
    assert.equal(first.headers.get('set-cookie'), null, 'the cookie reached the frame');
    assert.equal(first.headers.get('location'), '../../');
    const next = await get(new URL(first.headers.get('location')!, proxy.entryUrl).toString());
    assert.equal(next.status, 200);
    assert.equal(await next.text(), 'board');
  });

  it('keeps redirects relative within the board, and refuses one to another site', async () => {
    const board = await upstream((request, response) => {
      if (request.url === '/tb/')
        response
          .writeHead(301, {
            location: `http://127.0.0.1:${(board.server.address() as AddressInfo).port}/tb/index.html?x=1`,
          })
          .end();
      else if (request.url === '/away')
        response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      else if (request.url === '/scheme') response.writeHead(302, { location: 'javascript:alert(1)' }).end();
      else response.end('page');
    });
    open.push(board.server);
    const proxy = await proxyFor(`${board.origin}/tb/`);
    const moved = await get(proxy.entryUrl);
    assert.equal(moved.headers.get('location'), 'index.html?x=1');
    const token = new URL(proxy.entryUrl).pathname.split('/')[1];
    for (const path of ['/away', '/scheme']) {
      const away = await get(`http://127.0.0.1:${proxy.port}/${token}${path}`);
      assert.equal(away.status, 502, path);
      assert.equal(away.headers.get('location'), null, path);
      assert.match(await away.text(), /another site/);
    }
    assert.deepEqual(
      board.seen.map((s) => s.url),
      ['/tb/', '/away', '/scheme'],
    );
  });

  it('streams an answer as it comes, and forwards request bodies', async () => {
    let release: () => void = () => undefined;
    const board = await upstream((request, response) => {
      if (request.method === 'POST') {
        const chunks: Buffer[] = [];
        request
          .on('data', (c: Buffer) => chunks.push(c))
          .on('end', () => response.end(`got ${Buffer.concat(chunks).toString()}`));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first ');
      release = () => response.end('last');
    });
    open.push(board.server);
    const proxy = await proxyFor(`${board.origin}/`);
    const answer = await get(proxy.entryUrl);
    const reader = answer.body!.getReader();
    const { value } = await reader.read();
    assert.equal(Buffer.from(value!).toString(), 'first ', 'the proxy held the answer back');
    release();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += Buffer.from(r.value).toString();
    assert.equal(rest, 'last');
    const posted = await get(proxy.entryUrl, { method: 'POST', body: 'tags=loss' });
    assert.equal(await posted.text(), 'got tags=loss');
  });

  it('relative URLs go up and down the path', () => {
    assert.equal(relativeUrl('/share/tb/token/jwt/', '/share/tb/'), '../../');
    assert.equal(relativeUrl('/tb', '/tb/'), 'tb/');
    assert.equal(relativeUrl('/a/b/c', '/a/x?y=1'), '../x?y=1');
    assert.equal(relativeUrl('/a/', '/a/'), './');
    assert.equal(relativeUrl('/', '/a:b'), './a:b');
  });
});

describe('the framing probe', () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  async function sharedLink(options: { frameLimits?: boolean; shareCookie?: boolean } = {}): Promise<string> {
    emulator = await startEmulator({ clock: new ManualClock(Date.now()), tensorboard: false, ...options });
    const answer = await api(emulator, 'GET', '/api/v1/tensorboards/tb4k8lc5xfu36opt/sharedurl', {
      query: { ExpireTimeSeconds: '600' },
    });
    return String(answer.TensorboardSharedUrl);
  }

  it('frames directly a board that allows it', async () => {
    const probe = await probeBoard(await sharedLink());
    assert.deepEqual([probe.ready, probe.framingLimited, probe.needsCookie], [true, false, false]);
    assert.equal(chooseFraming('auto', probe, undefined).framing, 'direct');
  });

  it('takes the proxy for a board with framing limits', async () => {
    const probe = await probeBoard(await sharedLink({ frameLimits: true }));
    assert.equal(probe.framingLimited, true);
    assert.equal(framingLimited({ 'content-security-policy': ["default-src 'self'", "frame-ancestors 'none'"] }), true);
    assert.equal(framingLimited({ 'content-security-policy': ["default-src 'self'", 'frame-ancestors *'] }), false);
    assert.equal(chooseFraming('auto', probe, undefined).framing, 'proxy');
  });

  it('takes the proxy for a board that needs a cookie, and follows it to the page', async () => {
    const probe = await probeBoard(await sharedLink({ shareCookie: true }));
    assert.deepEqual([probe.ready, probe.status, probe.needsCookie], [true, 200, true]);
    assert.equal(chooseFraming('auto', probe, undefined).framing, 'proxy');
  });

  it('the setting wins over the probe', () => {
    const limited = { framingLimited: true, needsCookie: false };
    assert.equal(chooseFraming('direct', limited, undefined).framing, 'direct');
    assert.equal(chooseFraming('proxy', { framingLimited: false, needsCookie: false }, undefined).framing, 'proxy');
  });

  it('the proxy shows a board behind a share cookie and framing limits', async () => {
    const link = await sharedLink({ shareCookie: true, frameLimits: true });
    const proxy = await BoardProxy.start({ target: link });
    try {
      let answer = await get(proxy.entryUrl);
      for (let hops = 0; answer.status >= 300 && answer.status < 400 && hops < 5; hops++) {
        answer = await get(new URL(answer.headers.get('location')!, answer.url || proxy.entryUrl).toString());
      }
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('x-frame-options'), null);
      assert.match(await answer.text(), /resnet50-imagenet/);
    } finally {
      await proxy.close();
    }
  });

  it('is not ready while the board answers 5xx, or not at all', async () => {
    const board = await upstream((_, response) => response.writeHead(503).end());
    try {
      const probe = await probeBoard(`http://127.0.0.1:${(board.server.address() as AddressInfo).port}/`);
      assert.deepEqual([probe.ready, probe.status], [false, 503]);
    } finally {
      board.server.close();
    }
    const unreachable = await probeBoard('http://127.0.0.1:9/');
    assert.equal(unreachable.ready, false);
    assert.ok(unreachable.problem);
  });

  it('waits for the app to answer, probing at its interval on an injected timer', async () => {
    const timer = new FakeTimer();
    const answers: ProbeResult[] = [503, 503, 200].map((status) => ({
      ready: status < 500,
      status,
      framingLimited: false,
      needsCookie: false,
    }));
    let probes = 0;
    const waiting = waitUntilAnswers('http://board/', {
      timer,
      intervalMs: 500,
      probe: async () => answers[probes++]!,
    });
    await settle();
    assert.equal(probes, 1);
    await timer.advance(500);
    assert.equal(probes, 2);
    await timer.advance(500);
    assert.equal((await waiting).status, 200);
    assert.equal(probes, 3);
  });

  it('counts the interval from the start of each probe: a slow answer does not stretch it, and probes never overlap (#23)', async () => {
    const timer = new FakeTimer();
    const started: number[] = [];
    // Each answer takes 100 ms, the fourth 400 ms (longer than the interval); the fifth says the app answers.
    const waiting = waitUntilAnswers('http://board/', {
      timer,
      intervalMs: 250,
      probe: () => {
        started.push(timer.now);
        const n = started.length;
        return new Promise((resolve) =>
          timer.setTimeout(
            () => resolve({ ready: n === 5, status: n === 5 ? 200 : 503, framingLimited: false, needsCookie: false }),
            n === 4 ? 400 : 100,
          ),
        );
      },
    });
    await timer.advance(2_000);
    assert.equal((await waiting).status, 200);
    assert.deepEqual(started, [0, 250, 500, 750, 1_150]);
    assert.equal(timer.pendingCount, 0, 'a timer left behind');
  });

  it('by default probes every 250 ms for 30 s, then every second, and gives up after two minutes with the last answer', async () => {
    const timer = new FakeTimer();
    let probes = 0;
    const waiting = waitUntilAnswers('http://board/', {
      timer,
      probe: async () => (probes++, { ready: false, status: 503, framingLimited: false, needsCookie: false }),
    });
    await settle();
    await timer.advance(130_000);
    assert.equal((await waiting).status, 503);
    assert.equal(probes, 210);
    const [deadlines, intervals] = [true, false].map((deadline) =>
      timer.delays.filter((ms) => (ms === PROBE_DEADLINE_MS) === deadline),
    );
    assert.deepEqual(intervals, [...Array<number>(119).fill(250), ...Array<number>(90).fill(1_000)]);
    assert.equal(deadlines?.length, 210, 'a probe without its deadline');
    // Issue #23: at most 4 probes in any second of the first two minutes, and 1 a second once past the first 30 s.
    const startsAt = [0];
    for (const ms of intervals ?? []) startsAt.push(startsAt.at(-1)! + ms);
    const busiest = (from: number, to: number) =>
      Math.max(
        ...startsAt
          .filter((t) => t >= from && t < to)
          .map((t) => startsAt.filter((u) => u >= t && u < t + 1_000).length),
      );
    assert.ok(busiest(0, 120_000) <= 4, `${busiest(0, 120_000)} probes in one second`);
    assert.ok(busiest(30_000, Infinity) <= 1, `${busiest(30_000, Infinity)} probes in one second after 30 s`);
  });
});
