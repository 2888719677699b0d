import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { BoardProxy } from '../../../src/panel/boardProxy';

const PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>TensorBoard</title></head><body></body></html>';

describe('the board proxy with the bridge', () => {
  const open: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const item of open.splice(0)) await item.close();
  });

  async function board(
    handler: (request: IncomingMessage, response: ServerResponse) => void,
  ): Promise<{ origin: string; seen: IncomingMessage['headers'][] }> {
    const seen: IncomingMessage['headers'][] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers);
      handler(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push(server);
    return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
  }

  async function proxyFor(target: string, bridgeScript?: () => string): Promise<BoardProxy> {
    const proxy = await BoardProxy.start({ target, ...(bridgeScript ? { bridgeScript } : {}) });
    open.push(proxy);
    return proxy;
  }

  const navigation = { 'sec-fetch-dest': 'iframe', accept: 'text/html', 'accept-encoding': 'gzip, br' };

  it("serves the bridge's script below its token only, never cached", async () => {
    const upstream = await board((_, response) => response.end('upstream'));
    const proxy = await proxyFor(`${upstream.origin}/tb/`, () => 'bridge();');
    const root = new URL(proxy.entryUrl);
    const token = root.pathname.split('/')[1]!;
    const script = await fetch(`${root.origin}/${token}/__pai/bridge.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(script.headers.get('cache-control'), 'no-store');
    assert.equal(await script.text(), 'bridge();');
    assert.equal((await fetch(`${root.origin}/__pai/bridge.js`)).status, 404);
    assert.equal(upstream.seen.length, 0);
  });

  it("adds the script tag to the board's page, asked for uncompressed, and decompresses one compressed anyway", async () => {
    for (const compressed of [false, true]) {
      const upstream = await board((_, response) => {
        response.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "script-src 'self' 'unsafe-eval'",
          ...(compressed ? { 'content-encoding': 'gzip' } : {}),
        });
        response.end(compressed ? gzipSync(PAGE) : PAGE);
      });
      const proxy = await proxyFor(`${upstream.origin}/tb/`, () => '');
      const answer = await fetch(proxy.entryUrl, { headers: navigation });
      const text = await answer.text();
      assert.equal(upstream.seen[0]?.['accept-encoding'], 'identity');
      assert.equal(answer.headers.get('content-encoding'), null);
      assert.equal(answer.headers.get('content-security-policy'), "script-src 'self' 'unsafe-eval'");
      assert.equal(text, PAGE.replace('<head>', '<head><script src="./../__pai/bridge.js"></script>'), `${compressed}`);
      assert.equal(Number(answer.headers.get('content-length')), Buffer.byteLength(text));
    }
  });

  it("leaves the board's data and scripts, and every page when it has no bridge, as they are", async () => {
    const upstream = await board((request, response) => {
      response.writeHead(200, { 'content-type': request.url?.endsWith('.js') ? 'text/javascript' : 'text/html' });
      response.end(request.url?.endsWith('.js') ? 'x()' : PAGE);
    });
    const bridged = await proxyFor(`${upstream.origin}/tb/`, () => '');
    const script = await fetch(bridged.entryUrl.replace(/\/tb\/$/, '/tb/index.js'), {
      headers: { 'sec-fetch-dest': 'script', 'accept-encoding': 'gzip' },
    });
    assert.equal(await script.text(), 'x()');
    assert.equal(upstream.seen.at(-1)?.['accept-encoding'], 'gzip');
    const plain = await proxyFor(`${upstream.origin}/tb/`);
    assert.equal(await (await fetch(plain.entryUrl, { headers: navigation })).text(), PAGE);
    const token = new URL(plain.entryUrl).pathname.split('/')[1]!;
    await fetch(`${new URL(plain.entryUrl).origin}/${token}/__pai/bridge.js`);
    assert.equal(upstream.seen.at(-1) !== undefined, true);
    assert.equal(upstream.seen.length, 3, 'without a bridge the path is the board’s own');
  });
});
