import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import {
  closed,
  credentials,
  looseClient,
  sendJson,
  startLooseServer,
  streamPaddedJson,
  type Handler,
  type LooseServer,
} from '../../shared/looseClient';
import { rejection } from './rejection';

const job = { JobId: 'dlc1a9r0uhfn24cl', Status: 'Running', RequestId: 'REQ-1' };
const created = { TensorboardId: 'tb1', RequestId: 'REQ-2' };

describe('api/transport against misbehaving servers', function () {
  this.timeout(10_000);
  let server: LooseServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const serve = async (handler: Handler) => (server = await startLooseServer(handler));

  describe('bounded I/O (#12 item 4)', () => {
    it('a read time-out destroys the socket instead of leaving it open', async () => {
      const loose = await serve((_, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"JobId": "dlc1", "Pad": "');
        // …and nothing more: the rest never comes.
      });
      const { client } = looseClient(loose, { readTimeoutMs: 100, retry: { maxAttempts: 1 } });
      const error = await rejection(client.getJob('dlc1'));
      assert.equal(error.code, 'Timeout');
      await closed(loose.sockets[0]);
    });

    it('stops reading an answer beyond the size cap, and closes its connection', async () => {
      let written = () => 0;
      // 64 MiB at most, at the pace the client reads.
      const loose = await serve(
        (_, response) => (written = streamPaddedJson(response, { JobId: 'dlc1', Status: 'Running' }, 64 * 2 ** 20)),
      );
      const { client } = looseClient(loose, { retry: { maxAttempts: 1 } });
      const error = await rejection(client.getJob('dlc1'));
      assert.equal(error.code, 'ResponseTooLarge');
      assert.match(error.message, /larger than 8 MiB/);
      assert.equal(error.retryable, false);
      assert.match(error.hint ?? '', /endpoint setting/);
      await closed(loose.sockets[0]);
      // The cap plus what the loopback socket buffers hold: far below the 64 MiB on offer.
      assert.ok(written() < 32 * 2 ** 20, `${written()} bytes were written before the client hung up`);
    });

    it('refuses an answer whose Content-Length is beyond the cap without reading it', async () => {
      const loose = await serve((_, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
        response.write('{"JobId":');
      });
      const { client } = looseClient(loose, { maxResponseBytes: 999, retry: { maxAttempts: 1 } });
      assert.equal((await rejection(client.getJob('dlc1'))).code, 'ResponseTooLarge');
      await closed(loose.sockets[0]);
    });

    it('asks for identity encoding and does not inflate a gzip answer', async () => {
      // 299 KiB of gzip took the extension host to 984 MB in the probes; this one inflates to 64 MiB.
      const inflated = JSON.stringify({ ...job, Pad: ' '.repeat(64 * 2 ** 20) });
      const bomb = gzipSync(inflated);
      const loose = await serve((_, response) => {
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': bomb.length,
        });
        response.end(bomb);
      });
      const { client } = looseClient(loose, { retry: { maxAttempts: 1 } });
      const error = await rejection(client.getJob('dlc1'));
      assert.equal(error.code, 'BadResponse');
      assert.match(error.message, /gzip-compressed answer although none was asked for/);
      assert.equal(loose.requests[0]['accept-encoding'], 'identity');
    });
  });

  describe('keep-alive (#12 item 7)', () => {
    /** Answers the first request of each connection and resets the connection on any later one, as a server
     * does that has closed a connection the client still thinks idle. */
    const dropsReusedConnections: Handler = (request, response, loose) => {
      if (loose.earlierOnSocket(request) > 0) return void request.socket.resetAndDestroy();
      sendJson(response, 200, request.method === 'POST' ? created : job);
    };

    it('60 creates all succeed against a server that drops kept-alive connections: each gets a new one', async () => {
      const loose = await serve(dropsReusedConnections);
      const { client, delays } = looseClient(loose);
      for (let i = 0; i < 60; i++)
        assert.equal((await client.createTensorboard({ jobId: 'dlc1' })).tensorboardId, 'tb1');
      assert.equal(loose.requests.length, 60, 'no create was sent twice');
      assert.equal(loose.sockets.length, 60);
      assert.deepEqual(delays, []);
    });

    it('a GET reset on a reused connection before any answer is sent again at once, on a new one', async () => {
      const loose = await serve(dropsReusedConnections);
      const { client, delays, events } = looseClient(loose);
      for (let i = 0; i < 60; i++) assert.equal((await client.getJob('dlc1')).jobId, 'dlc1a9r0uhfn24cl');
      const resets = loose.requests.length - 60;
      assert.ok(resets >= 29, `${resets} reused connections were reset`);
      assert.deepEqual(delays, [], 'no back-off: the resend is not a retry of a failure');
      assert.ok(events.every((event) => event.attempt === 1 && event.code === undefined));
    });

    it('a reset of a new connection is not mistaken for a stale one: create is not repeated', async () => {
      const loose = await serve((request) => request.socket.resetAndDestroy());
      const { client } = looseClient(loose);
      const error = await rejection(client.createTensorboard({ jobId: 'dlc1' }));
      assert.equal(error.code, 'NetworkError');
      assert.match(error.message, /ECONNRESET/);
      assert.equal(loose.requests.length, 1);
    });

    it('closes a kept-alive connection after it has idled for keepAliveIdleMs', async () => {
      const loose = await serve((_, response) => sendJson(response, 200, job));
      const { client } = looseClient(loose, { keepAliveIdleMs: 50 });
      await client.getJob('dlc1');
      // The server would keep it for 60 s: only the client's idle time-out closes it.
      await closed(loose.sockets[0]);
    });

    it('the idle time-out does not cut short an answer that takes longer', async () => {
      const loose = await serve((_, response) => setTimeout(() => sendJson(response, 200, job), 200));
      const { client } = looseClient(loose, { keepAliveIdleMs: 20, retry: { maxAttempts: 1 } });
      assert.equal((await client.getJob('dlc1')).jobId, 'dlc1a9r0uhfn24cl');
    });
  });

  describe('answers that are not a JSON object (#12 item 10)', () => {
    it('a 400 with a JSON null body is an HTTP 400 error, not "Could not reach", and is not retried', async () => {
      const loose = await serve((_, response) => sendJson(response, 400, null));
      const { client, delays } = looseClient(loose);
      const error = await rejection(client.getJob('dlc1'));
      assert.equal(error.code, 'Http400');
      assert.equal(error.httpStatus, 400);
      assert.match(error.message, /HTTP 400 with a JSON null/);
      assert.equal(error.retryable, false);
      assert.equal(loose.requests.length, 1);
      assert.deepEqual(delays, []);
    });

    it('a 503 with a JSON array is retried like any 503', async () => {
      const loose = await serve((_, response) => sendJson(response, 503, []));
      const { client } = looseClient(loose, { retry: { maxAttempts: 3 } });
      const error = await rejection(client.getJob('dlc1'));
      assert.equal(error.code, 'Http503');
      assert.equal(error.retryable, true);
      assert.equal(loose.requests.length, 3);
    });

    it("reads the gateway's XML error shape", async () => {
      const xml =
        '<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>REQ-X</RequestId><HostId>pai-dlc.cn-hangzhou.aliyuncs.com</HostId>' +
        '<Code>Forbidden.RAM</Code><Message>User not authorized &amp; so on.</Message></Error>';
      const loose = await serve((_, response) => {
        response.writeHead(403, { 'content-type': 'text/xml;charset=utf-8' });
        response.end(xml);
      });
      const { client } = looseClient(loose);
      const error = await rejection(client.getJob('dlc1'));
      assert.deepEqual(
        [error.code, error.message, error.requestId, error.httpStatus],
        ['Forbidden.RAM', 'User not authorized & so on.', 'REQ-X', 403],
      );
      assert.match(error.hint ?? '', /paidlc:GetJob/);
      assert.equal(loose.requests.length, 1);
    });

    it('an XML answer without an error code is a BadResponse with its status', async () => {
      const loose = await serve((_, response) => {
        response.writeHead(404, { 'content-type': 'application/xml' });
        response.end('<html><body>Not here</body></html>');
      });
      const error = await rejection(looseClient(loose).client.getJob('dlc1'));
      assert.equal(error.code, 'BadResponse');
      assert.equal(error.httpStatus, 404);
      assert.equal(loose.requests.length, 1);
    });

    it('keys containing __proto__ or constructor are dropped without failing the answer or polluting prototypes', async () => {
      const text =
        '{"JobId":"dlc1","Status":"Running","RequestId":"REQ-3","Envs":{"__proto__":{"polluted":true},' +
        '"constructor":{"prototype":{"polluted":true}},"MY_CONSTRUCTOR_FLAG":"1","PATH":"/bin"}}';
      const loose = await serve((_, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(text);
      });
      const fetched = await looseClient(loose).client.getJob('dlc1');
      assert.equal(fetched.jobId, 'dlc1');
      assert.equal(({} as { polluted?: unknown }).polluted, undefined);
    });
  });

  describe('redaction (#12 item 6)', () => {
    it('a secret echoed in any field, plainly, URL-encoded in either case or cut off, reaches neither the error nor the log', async () => {
      const token = 'CAIS+sts/Token=0123456789abcdefghijKLMNOP';
      const lowerHex = encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
      const loose = await serve((_, response) =>
        sendJson(response, 400, {
          Code: `Bad.${token}`,
          Message: `string to sign: x-acs-security-token:${token.slice(0, 20)}`,
          RequestId: `REQ-${encodeURIComponent(token)}`,
          HostId: `${Buffer.from(token).toString('base64')}.example`,
          Recommend: `https://api.alibabacloud.com/troubleshoot?q=${lowerHex}`,
        }),
      );
      const { client, events } = looseClient(loose, {
        credentials: { getCredentials: async () => ({ ...credentials, securityToken: token }) },
      });
      const error = await rejection(client.getJob('dlc1'));
      const everything = JSON.stringify({ error, message: error.message, stack: error.stack, events });
      for (const form of [
        token,
        token.slice(0, 20),
        encodeURIComponent(token),
        lowerHex,
        Buffer.from(token).toString('base64'),
      ]) {
        assert.ok(!everything.includes(form), `${form} leaked: ${everything}`);
      }
      assert.equal(error.code, 'Bad.***');
      assert.equal(error.requestId, 'REQ-***');
      assert.equal(error.hostId, '***.example');
      assert.equal(events[0].code, 'Bad.***');
    });

    it('a secret echoed in the request ID of a successful answer is redacted from the call event', async () => {
      const loose = await serve((_, response) =>
        sendJson(response, 200, { ...job, RequestId: `echo-${credentials.accessKeySecret}` }),
      );
      const { client, events } = looseClient(loose);
      await client.getJob('dlc1');
      assert.equal(events[0].requestId, 'echo-***');
    });
  });
});
