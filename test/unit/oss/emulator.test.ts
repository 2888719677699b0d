import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { crc64Reference } from '../../emulator/oss/crc64';
import { ManualClock, startEmulator, type Emulator } from '../../emulator';
import { aliOss, bucket, failure, rawOss } from './helpers';

/** Reference oss.md §5's vectors: "hello" then "world" appended. */
const crcHello = '11177612005948864433';
const crcHelloWorld = '10826451443916115081';

describe('emulated OSS, driven by ali-oss 6.23.0', () => {
  let emulator: Emulator;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    emulator = await startEmulator({ clock, tensorboard: false });
  });
  afterEach(() => emulator.stop());

  for (const authorizationV4 of [true, false]) {
    const scheme = authorizationV4 ? 'V4' : 'V1';

    it(`${scheme}: puts, heads, gets and deletes an object kept as a file in the boards' storage folder`, async () => {
      const client = aliOss(emulator, { authorizationV4 });
      const put = await client.put('tb-sync/run 1/événement+1.txt', Buffer.from('hello'), { mime: 'text/plain' });
      assert.equal(put.res.status, 200);
      assert.equal(
        put.res.headers['etag' as never],
        `"${createHash('md5').update('hello').digest('hex').toUpperCase()}"`,
      );
      assert.equal((put.res.headers as Record<string, string>)['x-oss-hash-crc64ecma'], crcHello);
      assert.equal(readFileSync(emulator.oss.fileOf(bucket, 'tb-sync/run 1/événement+1.txt'), 'utf8'), 'hello');

      const head = await client.head('tb-sync/run 1/événement+1.txt');
      const headers = head.res.headers as Record<string, string>;
      assert.equal(headers['content-length'], '5');
      assert.equal(headers['content-type'], 'text/plain');
      assert.equal(headers['x-oss-object-type'], 'Normal');
      assert.equal(headers['x-oss-hash-crc64ecma'], crcHello);

      assert.equal(String((await client.get('tb-sync/run 1/événement+1.txt')).content), 'hello');
      const ranged = await client.get('tb-sync/run 1/événement+1.txt', { headers: { Range: 'bytes=1-3' } });
      assert.equal(ranged.res.status, 206);
      assert.equal(String(ranged.content), 'ell');

      assert.equal((await client.delete('tb-sync/run 1/événement+1.txt')).res.status, 204);
      assert.equal(
        (await client.delete('tb-sync/run 1/événement+1.txt')).res.status,
        204,
        'a missing key is deleted too',
      );
      const missing = await failure(client.head('tb-sync/run 1/événement+1.txt'));
      assert.equal(missing.status, 404);
      assert.equal(missing.code, 'NoSuchKey');
    });

    it(`${scheme}: appends at the object's length and answers the next position and the whole object's CRC64`, async () => {
      const client = aliOss(emulator, { authorizationV4 });
      const first = await client.append('logs/events.out.tfevents.1', Buffer.from('hello'));
      assert.equal(first.nextAppendPosition, '5');
      assert.equal((first.res.headers as Record<string, string>)['x-oss-hash-crc64ecma'], crcHello);
      const second = await client.append('logs/events.out.tfevents.1', Buffer.from('world'), { position: '5' });
      assert.equal(second.nextAppendPosition, '10');
      assert.equal((second.res.headers as Record<string, string>)['x-oss-hash-crc64ecma'], crcHelloWorld);
      const head = (await client.head('logs/events.out.tfevents.1')).res.headers as Record<string, string>;
      assert.equal(head['x-oss-object-type'], 'Appendable');
      assert.equal(head['x-oss-next-append-position'], '10');
      assert.equal(readFileSync(emulator.oss.fileOf(bucket, 'logs/events.out.tfevents.1'), 'utf8'), 'helloworld');

      const wrong = await failure(client.append('logs/events.out.tfevents.1', Buffer.from('again'), { position: '5' }));
      assert.equal(wrong.status, 409);
      assert.equal(wrong.code, 'PositionNotEqualToLength');
      assert.equal(wrong.ecCode, '0026-00000016');
    });

    it(`${scheme}: uploads in parts, and aborts an upload`, async () => {
      const client = aliOss(emulator, { authorizationV4 });
      const data = Buffer.alloc(250 * 1024);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 251;
      const progress: number[] = [];
      const done = await client.multipartUpload('big/model.bin', data, {
        partSize: 100 * 1024,
        parallel: 2,
        progress: (p: number) => void progress.push(p),
      });
      assert.equal(done.res.status, 200);
      assert.ok(progress.at(-1) === 1, progress.join());
      assert.deepEqual(readFileSync(emulator.oss.fileOf(bucket, 'big/model.bin')), data);
      const head = (await client.head('big/model.bin')).res.headers as Record<string, string>;
      assert.equal(head['x-oss-object-type'], 'Multipart');
      assert.equal(head['content-length'], String(data.length));

      const { uploadId } = await client.initMultipartUpload('big/aborted.bin');
      await client.uploadPart('big/aborted.bin', uploadId, 1, data, 0, 1024);
      const aborted = (await client.abortMultipartUpload('big/aborted.bin', uploadId)) as unknown as {
        res: { status: number };
      };
      assert.equal(aborted.res.status, 204);
      const gone = await failure(client.abortMultipartUpload('big/aborted.bin', uploadId));
      assert.equal(gone.status, 404);
      assert.equal(gone.code, 'NoSuchUpload');
      assert.equal((await failure(client.head('big/aborted.bin'))).status, 404);
    });

    it(`${scheme}: keeps each part in a file until complete or abort, never the whole object in memory`, async () => {
      const client = aliOss(emulator, { authorizationV4 });
      const storage = path.resolve(path.dirname(emulator.oss.fileOf(bucket, 'x')), '..', '..');
      const partFiles = (): string[] =>
        existsSync(path.join(storage, '.oss-tmp'))
          ? readdirSync(path.join(storage, '.oss-tmp'), { recursive: true, encoding: 'utf8' }).filter((name) =>
              /^upload-[^/\\]+[/\\]\d+$/.test(name),
            )
          : [];
      const data = randomBytes(300 * 1024 + 17);
      const { uploadId } = await client.initMultipartUpload('big/disk.bin');
      const parts = [];
      for (let number = 1; number <= 3; number++) {
        const start = (number - 1) * 100 * 1024;
        const end = number === 3 ? data.length : number * 100 * 1024;
        const answer = await client.uploadPart(
          'big/disk.bin',
          uploadId,
          number,
          data.subarray(start, end),
          0,
          end - start,
        );
        parts.push({ number, etag: answer.etag });
      }
      assert.equal(partFiles().length, 3, 'three part files on disk');
      const done = await client.completeMultipartUpload('big/disk.bin', uploadId, parts);
      assert.equal(done.res.status, 200);
      assert.deepEqual(partFiles(), [], 'the parts are gone once the object is whole');
      assert.deepEqual(readFileSync(emulator.oss.fileOf(bucket, 'big/disk.bin')), data);
      const head = (await client.head('big/disk.bin')).res.headers as Record<string, string>;
      assert.equal(head['x-oss-hash-crc64ecma'], crc64Reference(0n, data).toString());

      const aborted = await client.initMultipartUpload('big/dropped.bin');
      await client.uploadPart('big/dropped.bin', aborted.uploadId, 1, data, 0, 1024);
      assert.equal(partFiles().length, 1);
      await client.abortMultipartUpload('big/dropped.bin', aborted.uploadId);
      assert.deepEqual(partFiles(), [], 'an aborted upload leaves no file');
    });

    it(`${scheme}: lists objects with prefix, delimiter and continuation, keys in byte order`, async () => {
      const client = aliOss(emulator, { authorizationV4 });
      for (const key of [
        'runs/b/events.out.tfevents.2',
        'runs/a/events.out.tfevents.1',
        'runs/a/plugins/x.pb',
        'runs/top.txt',
        'runs/Z.txt',
      ]) {
        await client.put(key, Buffer.from(key));
      }
      const top = await client.listV2({ prefix: 'runs/', delimiter: '/' });
      assert.deepEqual(
        top.objects.map((o) => o.name),
        ['runs/Z.txt', 'runs/top.txt'],
      );
      assert.deepEqual(top.prefixes, ['runs/a/', 'runs/b/']);
      assert.equal(top.keyCount, 4);

      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.listV2({
          prefix: 'runs/',
          'max-keys': '2',
          ...(token ? { 'continuation-token': token } : {}),
        });
        seen.push(...page.objects.map((o) => o.name));
        assert.ok(page.objects.length <= 2);
        token = page.isTruncated ? (page.nextContinuationToken ?? undefined) : undefined;
      } while (token);
      assert.deepEqual(seen, [
        'runs/Z.txt',
        'runs/a/events.out.tfevents.1',
        'runs/a/plugins/x.pb',
        'runs/b/events.out.tfevents.2',
        'runs/top.txt',
      ]);
      const one = await client.listV2({ prefix: 'runs/a/' });
      assert.deepEqual(
        one.objects.map((o) => [o.name, o.size, o.type]),
        [
          ['runs/a/events.out.tfevents.1', 28, 'Normal'],
          ['runs/a/plugins/x.pb', 19, 'Normal'],
        ],
      );
    });

    it(`${scheme}: lists buckets, tells a bucket's location and info`, async () => {
      const client = aliOss(emulator, { authorizationV4 });
      const buckets = await client.listBuckets({});
      const listed = (buckets as unknown as { buckets: Array<{ name: string; region: string }> }).buckets;
      assert.deepEqual(
        listed.map((b) => [b.name, b.region]),
        [[bucket, 'oss-cn-hangzhou']],
      );
      assert.equal((await client.getBucketLocation(bucket)).location, 'oss-cn-hangzhou');
      const info = (await client.getBucketInfo(bucket)) as { bucket: Record<string, string> };
      assert.equal(info.bucket.Name, bucket);
      assert.equal(info.bucket.IntranetEndpoint, 'oss-cn-hangzhou-internal.aliyuncs.com');
    });

    it(`${scheme}: refuses a wrong secret, an unknown key, and a clock more than 15 minutes off`, async () => {
      const wrongSecret = await failure(
        aliOss(emulator, { authorizationV4, accessKeySecret: 'not-the-secret' }).put('a.txt', Buffer.from('x')),
      );
      assert.equal(wrongSecret.status, 403);
      assert.equal(wrongSecret.code, 'SignatureDoesNotMatch');
      assert.equal(wrongSecret.ecCode, authorizationV4 ? '0002-00000201' : '0002-00000040');
      const unknown = await failure(
        aliOss(emulator, { authorizationV4, accessKeyId: 'LTAI-unknown' }).put('a.txt', Buffer.from('x')),
      );
      assert.equal(unknown.code, 'InvalidAccessKeyId');
      clock.advance(15 * 60_000 + 5_000);
      const skewed = await failure(aliOss(emulator, { authorizationV4 }).put('a.txt', Buffer.from('x')));
      assert.equal(skewed.status, 403);
      assert.equal(skewed.code, 'RequestTimeTooSkewed');
      assert.equal(
        (await failure(aliOss(emulator, { authorizationV4 }).head('a.txt'))).status,
        403,
        'HEAD too, with no body',
      );
    });

    it(`${scheme}: takes STS credentials with their token, and refuses them once expired`, async () => {
      const sts = emulator.issueStsCredentials(10 * 60_000);
      const client = aliOss(emulator, {
        authorizationV4,
        accessKeyId: sts.accessKeyId,
        accessKeySecret: sts.accessKeySecret,
        stsToken: sts.securityToken,
      });
      assert.equal((await client.put('sts.txt', Buffer.from('x'))).res.status, 200);
      const put = emulator.oss.requests.find((request) => request.operation === 'PutObject');
      assert.equal(put?.headers['x-oss-security-token'], '***', 'the token is not recorded');
      const noToken = await failure(
        aliOss(emulator, { authorizationV4, accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret }).put(
          'sts.txt',
          Buffer.from('x'),
        ),
      );
      assert.equal(noToken.code, 'InvalidAccessKeyId');
      clock.advance(10 * 60_000);
      const expired = await failure(
        aliOss(emulator, {
          authorizationV4,
          accessKeyId: sts.accessKeyId,
          accessKeySecret: sts.accessKeySecret,
          stsToken: sts.securityToken,
        }).put('sts.txt', Buffer.from('x')),
      );
      assert.equal(expired.status, 403);
      assert.equal(expired.code, 'SecurityTokenExpired');
      assert.equal(expired.ecCode, '0002-00000007');
    });
  }

  it('answers a wrong append position with 409 and x-oss-next-append-position, a Normal object with ObjectNotAppendable', async () => {
    const client = aliOss(emulator);
    await client.append('events.out.tfevents.9', Buffer.from('hello'));
    const wrong = await rawOss(emulator, 'POST', 'events.out.tfevents.9', {
      query: [
        ['append', null],
        ['position', '2'],
      ],
      body: 'xx',
    });
    assert.equal(wrong.status, 409);
    assert.equal(wrong.headers.get('x-oss-next-append-position'), '5');
    assert.equal(wrong.headers.get('x-oss-ec'), '0026-00000016');
    assert.match(wrong.headers.get('x-oss-request-id') ?? '', /^[0-9A-F]{24}$/);
    assert.equal(wrong.headers.get('content-type'), 'application/xml');
    assert.match(
      wrong.text,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error>\n {2}<Code>PositionNotEqualToLength<\/Code>\n {2}<Message>Position is not equal to file length<\/Message>\n {2}<RequestId>[0-9A-F]{24}<\/RequestId>\n {2}<HostId>pai-emulator-demo.oss-cn-hangzhou.aliyuncs.com<\/HostId>\n {2}<EC>0026-00000016<\/EC>\n {2}<RecommendDoc>https:\/\/api.aliyun.com\/troubleshoot\?q=0026-00000016<\/RecommendDoc>\n<\/Error>\n$/,
    );
    await client.put('normal.bin', Buffer.from('abc'));
    const normal = await failure(client.append('normal.bin', Buffer.from('d'), { position: '3' }));
    assert.equal(normal.status, 409);
    assert.equal(normal.code, 'ObjectNotAppendable');
    // A PutObject over an appendable object makes it Normal (oss.md §0.3).
    await client.put('events.out.tfevents.9', Buffer.from('new'));
    assert.equal(
      (await failure(client.append('events.out.tfevents.9', Buffer.from('d'), { position: '3' }))).code,
      'ObjectNotAppendable',
    );
  });

  it('sends a HEAD error without a body, the XML base64 in x-oss-err', async () => {
    const answer = await rawOss(emulator, 'HEAD', 'missing.txt');
    assert.equal(answer.status, 404);
    assert.equal(answer.body.length, 0);
    assert.equal(answer.headers.get('x-oss-ec'), '0026-00000001');
    assert.match(
      Buffer.from(answer.headers.get('x-oss-err') ?? '', 'base64').toString('utf8'),
      /<Code>NoSuchKey<\/Code>[\s\S]*<Key>missing.txt<\/Key>/,
    );
  });

  it('serves a range as OSS does: one range, an unsatisfiable one ignored unless the standard behaviour is asked', async () => {
    await aliOss(emulator).put('r.txt', Buffer.from('0123456789'));
    const suffix = await rawOss(emulator, 'GET', 'r.txt', { headers: { range: 'bytes=-3' } });
    assert.equal(suffix.status, 206);
    assert.equal(suffix.text, '789');
    assert.equal(suffix.headers.get('content-range'), 'bytes 7-9/10');
    const open = await rawOss(emulator, 'GET', 'r.txt', { headers: { range: 'bytes=8-' } });
    assert.equal(open.text, '89');
    const beyond = await rawOss(emulator, 'GET', 'r.txt', { headers: { range: 'bytes=5-20' } });
    assert.equal(beyond.status, 200);
    assert.equal(beyond.text, '0123456789');
    const clipped = await rawOss(emulator, 'GET', 'r.txt', {
      headers: { range: 'bytes=5-20', 'x-oss-range-behavior': 'standard' },
    });
    assert.equal(clipped.status, 206);
    assert.equal(clipped.text, '56789');
    const past = await rawOss(emulator, 'GET', 'r.txt', {
      headers: { range: 'bytes=10-', 'x-oss-range-behavior': 'standard' },
    });
    assert.equal(past.status, 416);
    assert.match(past.text, /<Code>InvalidRange<\/Code>/);
  });

  it('checks Content-MD5, refuses a bucket it does not have and another region’s endpoint', async () => {
    const badDigest = await rawOss(emulator, 'PUT', 'x.txt', {
      body: 'abc',
      headers: { 'content-md5': createHash('md5').update('abd').digest('base64') },
    });
    assert.equal(badDigest.status, 400);
    assert.match(badDigest.text, /<Code>InvalidDigest<\/Code>/);
    const noBucket = await failure(aliOss(emulator, { bucket: 'no-such-bucket' }).put('x.txt', Buffer.from('x')));
    assert.equal(noBucket.status, 404);
    assert.equal(noBucket.code, 'NoSuchBucket');
    const elsewhere = await failure(aliOss(emulator, { region: 'oss-cn-beijing' }).put('x.txt', Buffer.from('x')));
    assert.equal(elsewhere.status, 403);
    assert.equal(elsewhere.code, 'AccessDenied');
  });

  it('injects throttling, an internal error and dropped connections, and counts billed requests', async () => {
    const client = aliOss(emulator, { timeout: 5_000 });
    emulator.oss.injectFault({ kind: 'throttling', operation: 'AppendObject' });
    const throttled = await failure(client.append('t.bin', Buffer.from('abc')));
    assert.equal(throttled.status, 503);
    assert.equal(throttled.code, 'SlowDown');
    emulator.oss.injectFault({ kind: 'internalError' });
    assert.equal((await failure(client.head('t.bin'))).status, 500);

    emulator.oss.injectFault({ kind: 'dropMidBody', operation: 'AppendObject' });
    const midBody = await failure(client.append('t.bin', Buffer.alloc(256 * 1024, 1)));
    assert.ok(
      midBody.status === -1 || midBody.status === undefined || /socket|ECONNRESET|hang up/i.test(midBody.message),
      midBody.message,
    );
    assert.equal((await failure(client.head('t.bin'))).status, 404, 'nothing was applied');

    emulator.oss.injectFault({ kind: 'dropAfterCommit', operation: 'AppendObject' });
    await failure(client.append('t.bin', Buffer.from('abc')));
    const applied = (await client.head('t.bin')).res.headers as Record<string, string>;
    assert.equal(applied['content-length'], '3', 'applied although the answer never came');

    assert.deepEqual(
      emulator.oss.requests.map((r) => [r.operation, r.status, r.fault]),
      [
        ['AppendObject', 503, 'throttling'],
        ['HeadObject', 500, 'internalError'],
        ['AppendObject', 0, 'dropMidBody'],
        ['HeadObject', 404, undefined],
        ['AppendObject', 0, 'dropAfterCommit'],
        ['HeadObject', 200, undefined],
      ],
    );
    assert.deepEqual(emulator.oss.billed(), { put: 0, get: 1 });
  });
});
