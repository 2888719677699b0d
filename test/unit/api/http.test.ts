import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { until } from '../../shared/until';
import { exchange, freshConnectionAgent, HttpFailure, type HttpExchange } from '../../../src/api/http';

describe('api/http: one bounded exchange', () => {
  let server: Server;
  let origin: URL;
  const received: Array<{ method: string; bytes: number; complete: boolean }> = [];

  beforeEach(async () => {
    received.length = 0;
    server = createServer((request, response) => {
      let bytes = 0;
      request.on('data', (chunk: Buffer) => (bytes += chunk.length));
      request.on('close', () => received.push({ method: request.method ?? '', bytes, complete: request.complete }));
      request.on('end', () => {
        // A HEAD of a 100 MiB object: its length, and no body.
        response.writeHead(200, { 'content-length': request.method === 'HEAD' ? String(100 * 1024 * 1024) : '0' });
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const request = (method: string, body: HttpExchange['body'], length = 0): Promise<unknown> =>
    exchange({
      origin,
      path: '/object',
      method,
      headers: { 'content-length': String(length) },
      body,
      agent: freshConnectionAgent(false),
      connectTimeoutMs: 5_000,
      readTimeoutMs: 5_000,
      maxBodyBytes: 1024 * 1024,
    });

  it("takes a HEAD's content-length for the object's, not for an answer too large to read", async () => {
    const answer = (await request('HEAD', '')) as { status: number; body: Buffer };
    assert.deepEqual([answer.status, answer.body.length], [200, 0]);
  });

  it('sends a body of slices as read, and fails the exchange when reading one fails: the server gets less', async () => {
    async function* slices() {
      yield Buffer.alloc(64 * 1024, 1);
      yield Buffer.alloc(64 * 1024, 2);
    }
    await request('PUT', slices(), 128 * 1024);
    async function* failing() {
      yield Buffer.alloc(64 * 1024, 1);
      throw new Error('run1/events shrank while it was read');
    }
    const failure = await request('PUT', failing(), 128 * 1024).then(
      () => assert.fail('expected a failure'),
      (error: unknown) => error,
    );
    assert.ok(failure instanceof HttpFailure);
    assert.equal(failure.kind, 'body');
    assert.match(failure.message, /shrank while it was read/);
    await until('the server saw the failed request end', () => received.length === 2, 5_000);
    assert.deepEqual(
      received.map(({ bytes, complete }) => [bytes, complete]),
      [
        [128 * 1024, true],
        [64 * 1024, false],
      ],
    );
  });
});
