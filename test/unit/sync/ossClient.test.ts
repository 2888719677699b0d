import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { HttpFailure } from '../../../src/api/http';
import { crc64 } from '../../../src/sync/crc64';
import { OssClient, OssRequestError } from '../../../src/sync/ossClient';
import { leanClient } from './helpers';
import type { OssCredentials } from '../../../src/sync/signer';
import { ManualClock, startEmulator, type Emulator } from '../../emulator';
import { bucket } from '../oss/helpers';

async function rejection(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('sync: the lean OSS client against the emulated OSS', () => {
  let emulator: Emulator;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    emulator = await startEmulator({ clock, tensorboard: false });
  });
  afterEach(() => emulator.stop());

  it('appends and reads back: next position, whole-object CRC64, HEAD, ranged GET', async () => {
    const client = leanClient(emulator);
    const a = randomBytes(1000);
    const b = randomBytes(333);
    const first = await client.append('run/events.out.tfevents.1', 0, a);
    assert.deepEqual(first, { nextPosition: 1000, crc64: crc64(a) });
    const second = await client.append('run/events.out.tfevents.1', 1000, b);
    assert.deepEqual(second, { nextPosition: 1333, crc64: crc64(b, crc64(a)) });
    const head = await client.head('run/events.out.tfevents.1');
    assert.equal(head?.size, 1333);
    assert.equal(head?.type, 'Appendable');
    assert.equal(head?.crc64, crc64(Buffer.concat([a, b])));
    assert.deepEqual(await client.get('run/events.out.tfevents.1', { start: 1000, end: 1332 }), b);
    assert.deepEqual(readFileSync(emulator.oss.fileOf(bucket, 'run/events.out.tfevents.1')), Buffer.concat([a, b]));
    assert.equal(await client.head('run/none'), undefined);
  });

  it('carries the next append position of a 409 and the code, EC and request id of any error', async () => {
    const client = leanClient(emulator);
    await client.append('e.tfevents', 0, Buffer.from('hello'));
    const error = await rejection(client.append('e.tfevents', 2, Buffer.from('x')));
    assert.ok(error instanceof OssRequestError);
    assert.equal(error.status, 409);
    assert.equal(error.code, 'PositionNotEqualToLength');
    assert.equal(error.nextAppendPosition, 5);
    assert.equal(error.ec, '0026-00000016');
    assert.match(error.requestId ?? '', /^[0-9A-F]{24}$/);
    assert.equal(error.retryable, false);

    emulator.oss.injectFault({ kind: 'throttling' });
    const throttled = await rejection(client.head('e.tfevents'));
    assert.ok(throttled instanceof OssRequestError);
    assert.equal(throttled.code, 'SlowDown', 'read from x-oss-err on a HEAD');
    assert.ok(throttled.throttled && throttled.retryable);
  });

  it('puts, lists with prefixes and continuation, uploads in parts, deletes', async () => {
    const client = leanClient(emulator);
    for (const key of ['t/a/1', 't/a/2', 't/b/1', 't/c 1/é+', 't/top']) await client.put(key, Buffer.from(key));
    const top = await client.list({ prefix: 't/', delimiter: '/' });
    assert.deepEqual(
      top.objects.map((o) => o.key),
      ['t/top'],
    );
    assert.deepEqual(top.prefixes, ['t/a/', 't/b/', 't/c 1/']);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.list({ prefix: 't/', maxKeys: 2, continuationToken: token });
      keys.push(...page.objects.map((o) => o.key));
      token = page.nextContinuationToken;
    } while (token);
    assert.deepEqual(keys, ['t/a/1', 't/a/2', 't/b/1', 't/c 1/é+', 't/top']);

    const data = randomBytes(300 * 1024);
    const uploadId = await client.initiateMultipart('t/big.bin');
    const parts = [];
    for (let i = 0; i < 3; i++) {
      parts.push({
        partNumber: i + 1,
        etag: await client.uploadPart('t/big.bin', uploadId, i + 1, data.subarray(i * 102_400, (i + 1) * 102_400)),
      });
    }
    const done = await client.completeMultipart('t/big.bin', uploadId, parts);
    assert.equal(done.crc64, crc64(data));
    assert.equal((await client.head('t/big.bin'))?.type, 'Multipart');
    const aborted = await client.initiateMultipart('t/gone.bin');
    await client.abortMultipart('t/gone.bin', aborted);
    assert.equal(
      ((await rejection(client.abortMultipart('t/gone.bin', aborted))) as OssRequestError).code,
      'NoSuchUpload',
    );

    await client.delete('t/top');
    await client.delete('t/top');
    assert.equal(await client.head('t/top'), undefined);
  });

  it('signs with STS credentials, and is refused once they expire', async () => {
    const sts = emulator.issueStsCredentials(15 * 60_000);
    const client = leanClient(emulator, sts);
    await client.put('sts.txt', Buffer.from('x'));
    clock.advance(15 * 60_000);
    const expired = (await rejection(client.put('sts.txt', Buffer.from('y')))) as OssRequestError;
    assert.equal(expired.code, 'SecurityTokenExpired');
    assert.equal(expired.status, 403);
  });

  it('after an STS rotation it missed, refreshes the credentials and sends the request once more', async () => {
    const first = emulator.issueStsCredentials(15 * 60_000);
    let current = first;
    let refreshes = 0;
    const client = new OssClient({
      target: { bucket, region: 'cn-hangzhou', endpoint: emulator.oss.endpoint },
      credentials: () => Promise.resolve(current),
      refreshCredentials: () => {
        refreshes += 1;
        current = emulator.issueStsCredentials(15 * 60_000);
      },
      now: () => clock.now(),
    });
    await client.append('rot.tfevents', 0, Buffer.from('abc'));
    clock.advance(15 * 60_000);
    // Sliced bodies are read afresh for the second try: what OSS holds is each byte once.
    const body = Buffer.from('defgh');
    const answer = await client.append('rot.tfevents', 3, {
      length: body.length,
      slices: async function* () {
        yield body.subarray(0, 2);
        yield body.subarray(2);
      },
    });
    assert.equal(refreshes, 1);
    assert.equal(answer.nextPosition, 8);
    assert.equal((await client.get('rot.tfevents')).toString(), 'abcdefgh');
    assert.notEqual(current.accessKeyId, first.accessKeyId);
  });

  it('refreshes once only: credentials refused again are the error the sync shows, and a 403 of another kind is not retried', async () => {
    const expired = emulator.issueStsCredentials(60_000);
    let refreshes = 0;
    const client = new OssClient({
      target: { bucket, region: 'cn-hangzhou', endpoint: emulator.oss.endpoint },
      // The source keeps handing out the same expired token: a loop would never end.
      credentials: () => Promise.resolve(expired),
      refreshCredentials: () => {
        refreshes += 1;
      },
      now: () => clock.now(),
    });
    clock.advance(60_000);
    const before = emulator.oss.requests.length;
    const refused = (await rejection(client.put('loop.txt', Buffer.from('x')))) as OssRequestError;
    assert.equal(refused.code, 'SecurityTokenExpired');
    assert.equal(refreshes, 1);
    assert.equal(emulator.oss.requests.length - before, 2);

    const wrongSecret = new OssClient({
      target: { bucket, region: 'cn-hangzhou', endpoint: emulator.oss.endpoint },
      credentials: () => Promise.resolve({ ...emulator.credentials, accessKeySecret: 'not-the-secret' }),
      refreshCredentials: () => {
        refreshes += 1;
      },
      now: () => clock.now(),
    });
    const mismatch = (await rejection(wrongSecret.put('sig.txt', Buffer.from('x')))) as OssRequestError;
    assert.equal(mismatch.code, 'SignatureDoesNotMatch');
    assert.equal(refreshes, 1);
  });

  it('reports a connection dropped mid-append as a network failure, and nothing was applied', async () => {
    const client = leanClient(emulator);
    emulator.oss.injectFault({ kind: 'dropMidBody', operation: 'AppendObject' });
    const failure = await rejection(client.append('d.tfevents', 0, randomBytes(512 * 1024)));
    assert.ok(failure instanceof HttpFailure, String(failure));
    assert.equal(failure.kind, 'network');
    assert.equal(await client.head('d.tfevents'), undefined);
  });

  it('lists the buckets the credentials see, with their regions (a service-level request)', async () => {
    const client = leanClient(emulator);
    assert.deepEqual(await client.listBuckets(), [{ name: bucket, region: 'cn-hangzhou' }]);
    const [request] = emulator.oss.requests;
    assert.equal(request.operation, 'ListBuckets');
    assert.equal(request.headers.host, 'oss-cn-hangzhou.aliyuncs.com');
    assert.equal(request.status, 200);
  });

  it('sends signed requests only over https, or http on loopback', () => {
    const credentials = (): Promise<OssCredentials> => Promise.resolve({ accessKeyId: 'a', accessKeySecret: 'b' });
    assert.throws(
      () =>
        new OssClient({ target: { bucket, region: 'cn-hangzhou', endpoint: 'http://oss.example.com' }, credentials }),
      /loopback/,
    );
    assert.throws(
      () =>
        new OssClient({ target: { bucket, region: 'cn-hangzhou', endpoint: 'ftp://oss.example.com' }, credentials }),
      /https/,
    );
    assert.throws(
      () => new OssClient({ target: { bucket: 'Bad_Bucket', region: 'cn-hangzhou' }, credentials }),
      /bucket name/,
    );
    assert.doesNotThrow(() => new OssClient({ target: { bucket, region: 'cn-hangzhou' }, credentials }));
  });
});
