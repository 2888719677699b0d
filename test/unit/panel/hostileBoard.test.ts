import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, createServer as createTcpServer, type Socket } from 'node:net';
import { BoardProxy, type BoardProxyOptions } from '../../../src/panel/boardProxy';
import { probeBoard, waitUntilAnswers } from '../../../src/panel/probe';
import { FakeTimer } from '../../shared/fakeTimer';
import { closed, startLooseServer, type Handler, type LooseServer } from '../../shared/looseServer';
import { until } from '../../shared/until';

// Hostile boards and local clients, scripted on loopback: each test is an attack the proxy or the probe must hold.

/** A board that speaks raw bytes, for answers no HTTP server would send. */
async function rawBoard(onSocket: (socket: Socket) => void): Promise<{ origin: string; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server = createTcpServer((socket) => {
    sockets.push(socket);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers each request on `socket` with `head` (status line and headers, no body) once its headers are in. */
function answerWith(head: string): (socket: Socket) => void {
  return (socket) => {
    let seen = '';
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.includes('\r\n\r\n')) socket.end(`${head}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
    });
    socket.on('error', () => undefined);
  };
}

interface Received {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** One GET with Node's client (which, unlike fetch, sends any header given), the whole answer read. */
function send(url: string, headers: Record<string, string> = {}): Promise<Received> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers, agent: false }, (answer) => {
      let body = '';
      answer.setEncoding('utf8');
      answer.on('data', (chunk: string) => (body += chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, headers: answer.headers, body }));
      answer.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/** Rejects if `promise` is still pending after `withinMs`, a bound far above need: a hang fails, never stalls. */
function within<T>(what: string, promise: Promise<T>, withinMs = 3000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${withinMs} ms`)), withinMs);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('the board proxy against a hostile board or local client', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function board(handler: Handler): Promise<LooseServer> {
    const server = await startLooseServer(handler);
    cleanup.push(() => server.close());
    return server;
  }
  async function raw(onSocket: (socket: Socket) => void): Promise<string> {
    const { origin, close } = await rawBoard(onSocket);
    cleanup.push(close);
    return origin;
  }
  async function proxyFor(target: string, options: Partial<BoardProxyOptions> = {}): Promise<BoardProxy> {
    const proxy = await BoardProxy.start({ target, ...options });
    cleanup.push(() => proxy.close());
    return proxy;
  }
  function rawClient(proxy: BoardProxy): Socket {
    const socket = connect(proxy.port, '127.0.0.1');
    // Flowing, so that it reads the proxy's end of the connection after any answer.
    socket.on('error', () => undefined).resume();
    cleanup.push(() => socket.destroy());
    return socket;
  }
  const tokenOf = (proxy: BoardProxy) => new URL(proxy.entryUrl).pathname.split('/')[1]!;

  it('closes at once, whatever its clients and the board are in the middle of', async () => {
    let streaming: (() => void) | undefined;
    const upstream = await board((_, response) => {
      // The board never finishes this answer.
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first ');
      streaming = () => undefined;
    });
    const proxy = await proxyFor(`${upstream.endpoint}/`);
    const token = tokenOf(proxy);
    // A local process that sends half a request line, and one that sends headers but half the body it announced.
    const halfLine = rawClient(proxy);
    halfLine.write(`GET /${token}/ HT`);
    const halfBody = rawClient(proxy);
    halfBody.write(`POST /${token}/ HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\nten bytes.`);
    // A frame that reads an answer the board keeps streaming.
    const reading = rawClient(proxy);
    reading.write(`GET /${token}/ HTTP/1.1\r\nhost: x\r\n\r\n`);
    await until('the board streams', () => streaming !== undefined && upstream.requests.length >= 1, 3000);
    await within('close()', proxy.close());
    await Promise.all([halfLine, halfBody, reading].map((socket) => closed(socket)));
    for (const socket of upstream.sockets) await closed(socket);
  });

  it("ends the frame's answer when the board dies in the middle of it", async () => {
    const upstream = await board((_, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first ', () => setImmediate(() => response.socket?.destroy()));
    });
    const proxy = await proxyFor(`${upstream.endpoint}/`);
    const ended = new Promise<string>((resolve) => {
      httpRequest(proxy.entryUrl, { agent: false }, (answer) => {
        answer.on('error', () => resolve('error'));
        answer.on('end', () => resolve('end'));
        answer.resume();
      })
        .on('error', () => resolve('error'))
        .end();
    });
    // A chunked answer cut short is an error for the frame, not a complete page.
    assert.equal(await within("the frame's answer", ended), 'error');
  });

  for (const status of ['000', '099', '600', '999']) {
    it(`answers 502 for an upstream status of ${status}`, async () => {
      const origin = await raw(answerWith(`HTTP/1.1 ${status} Odd`));
      const proxy = await proxyFor(`${origin}/`);
      const answer = await within('the answer', send(proxy.entryUrl));
      assert.equal(answer.status, 502);
      assert.match(answer.body, /did not answer properly/);
    });
  }

  it('keeps every redirect of a board at the root under its token, or refuses it', async () => {
    const locations = [
      '/.//evil/x',
      '/.///evil/x',
      '//x',
      '///x',
      '\\\\evil\\x',
      '/\\evil/x',
      '\\/evil/x',
      '/%2F%2Fevil/x',
      '/%2e%2e/%2e%2e/x',
      '/a//b',
      './/evil/x',
      '/..//evil/x',
      'http://127.0.0.1:1/x',
    ];
    const upstream = await board((request, response) => {
      const n = Number(new URL(request.url!, 'http://x').searchParams.get('n'));
      response.writeHead(302, { location: locations[n]! }).end();
    });
    const proxy = await proxyFor(`${upstream.endpoint}/`);
    const token = tokenOf(proxy);
    for (const [n, location] of locations.entries()) {
      for (const path of [`/?n=${n}`, `/a/b/c?n=${n}`, `/a//?n=${n}`]) {
        const url = `http://127.0.0.1:${proxy.port}/${token}${path}`;
        const answer = await send(url);
        if (answer.status === 502) continue;
        assert.equal(answer.status, 302, `${location} from ${path}`);
        const next = new URL(answer.headers.location!, url);
        assert.equal(next.origin, `http://127.0.0.1:${proxy.port}`, `${location} from ${path}`);
        assert.ok(next.pathname.startsWith(`/${token}/`), `${location} from ${path} left the token: ${next.href}`);
        const meant = new URL(location, new URL(path, upstream.endpoint));
        assert.equal(next.pathname, `/${token}${meant.pathname}`, `${location} from ${path}`);
      }
    }
  });

  it('answers 504 when the board sends no headers within its deadline', async () => {
    const timer = new FakeTimer();
    const upstream = await board(() => undefined);
    const proxy = await proxyFor(`${upstream.endpoint}/`, { timer, upstreamDeadlineMs: 30_000 });
    const answering = send(proxy.entryUrl);
    await until('the board has the request', () => upstream.requests.length === 1, 3000);
    await timer.advance(29_999);
    let answered = false;
    void answering.then(() => (answered = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(answered, false, 'answered before the deadline');
    await timer.advance(1);
    const answer = await within('the answer', answering);
    assert.equal(answer.status, 504);
    for (const socket of upstream.sockets) await closed(socket);
  });

  it('a header drip cannot hold a request past the deadline', async () => {
    const timer = new FakeTimer();
    const drips: NodeJS.Timeout[] = [];
    cleanup.push(() => drips.forEach(clearInterval));
    const origin = await raw((socket) => {
      socket.on('error', () => undefined);
      socket.write('HTTP/1.1 200 OK\r\n');
      drips.push(setInterval(() => socket.write('x-drip: 1\r\n'), 5));
    });
    const proxy = await proxyFor(`${origin}/`, { timer, upstreamDeadlineMs: 30_000 });
    const answering = send(proxy.entryUrl);
    await until('the deadline is set', () => timer.pendingCount === 1, 3000);
    await timer.advance(30_000);
    assert.equal((await within('the answer', answering)).status, 504);
  });

  it('forwards no header that a Connection header names, either way', async () => {
    const upstream = await board((_, response) => {
      response.writeHead(200, {
        connection: 'keep-alive, X-Board-Internal',
        'x-board-internal': 'secret',
        'x-kept': 'yes',
      });
      response.end('ok');
    });
    const proxy = await proxyFor(`${upstream.endpoint}/`);
    const answer = await send(proxy.entryUrl, {
      connection: 'close, X-Frame-Hop, Authorization',
      'x-frame-hop': 'hop',
      authorization: 'Bearer local',
      'x-other': 'kept',
    });
    assert.equal(answer.body, 'ok');
    assert.equal(answer.headers['x-board-internal'], undefined);
    assert.equal(answer.headers['x-kept'], 'yes');
    const [seen] = upstream.requests;
    assert.equal(seen?.['x-frame-hop'], undefined);
    assert.equal(seen?.authorization, undefined);
    assert.equal(seen?.['x-other'], 'kept');
  });
});

describe('the framing probe against a hostile board', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('a header drip cannot keep a probe pending past its whole deadline', async () => {
    const timer = new FakeTimer();
    const drips: NodeJS.Timeout[] = [];
    const { origin, close } = await rawBoard((socket) => {
      socket.on('error', () => undefined);
      socket.write('HTTP/1.1 200 OK\r\n');
      drips.push(setInterval(() => socket.write('x-drip: 1\r\n'), 5));
    });
    cleanup.push(close);
    cleanup.push(() => drips.forEach(clearInterval));
    const probing = probeBoard(`${origin}/`, { timeoutMs: 5_000, timer });
    await until('the deadline is set', () => timer.pendingCount === 1, 3000);
    await timer.advance(5_000);
    const probe = await within('the probe', probing);
    assert.equal(probe.ready, false);
    assert.match(probe.problem ?? '', /no answer within 5000 ms/);
  });

  it('resolves with a problem for a redirect it cannot parse', async () => {
    const { origin, close } = await rawBoard(answerWith('HTTP/1.1 302 Found\r\nlocation: http://[oops/'));
    cleanup.push(close);
    const probe = await within('the probe', probeBoard(`${origin}/`));
    assert.equal(probe.ready, false);
    assert.equal(probe.status, 302);
    assert.match(probe.problem ?? '', /redirect/);
  });

  it('bounds each probe of the page watch, even one that never settles', async () => {
    const timer = new FakeTimer();
    let probes = 0;
    const waiting = waitUntilAnswers('http://board/', {
      timer,
      maxProbes: 2,
      intervalMs: 100,
      probeDeadlineMs: 10_000,
      probe: () => (probes++, new Promise(() => undefined)),
    });
    await timer.advance(9_999);
    assert.equal(probes, 1);
    // The interval ran while the first probe hung: the second starts as soon as its deadline gives up on it.
    await timer.advance(1);
    assert.equal(probes, 2);
    await timer.advance(10_000);
    const last = await within('the watch', waiting);
    assert.equal(last.ready, false);
    assert.match(last.problem ?? '', /no answer within 10000 ms/);
  });
});
