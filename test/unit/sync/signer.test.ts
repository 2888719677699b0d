import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import OSS from 'ali-oss';
import { canonicalRequest, signingKey, signV4, type QueryParam, type RequestToSign } from '../../../src/sync/signer';

/** oss.md §2.2's fixed inputs. */
const credentials = { accessKeyId: 'LTAI-test', accessKeySecret: 'test-secret' };
const at = Date.UTC(2024, 0, 2, 3, 4, 5);
const H = 'x-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20240102T030405Z\n';

function signatureOf(authorization: string): string {
  return /Signature=([0-9a-f]{64})$/.exec(authorization)?.[1] ?? '';
}

function withSigningHeaders(request: RequestToSign, token?: string): RequestToSign {
  return {
    ...request,
    headers: {
      ...request.headers,
      'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-oss-date': '20240102T030405Z',
      ...(token ? { 'x-oss-security-token': token } : {}),
    },
  };
}

describe('sync: the OSS V4 signer', () => {
  it("derives the reference's signing key", () => {
    assert.equal(
      signingKey('test-secret', '20240102', 'cn-hangzhou').toString('hex'),
      'a162b70e7d813d666891080581e35d60c898d1eb8147d2cdde9f2cbc7b32b84d',
    );
  });

  const vectors: Array<{
    name: string;
    request: RequestToSign;
    token?: string;
    canonical: string;
    signature: string;
    header?: string;
  }> = [
    {
      name: 'V4-A PutObject',
      request: {
        method: 'PUT',
        bucket: 'examplebucket',
        key: 'logs/run1/a.txt',
        query: [],
        headers: { 'content-md5': 'XUFAKrxLKna5cZ2REBfFkg==', 'content-type': 'text/plain' },
      },
      canonical: `PUT\n/examplebucket/logs/run1/a.txt\n\ncontent-md5:XUFAKrxLKna5cZ2REBfFkg==\ncontent-type:text/plain\n${H}\n\nUNSIGNED-PAYLOAD`,
      signature: 'd16ffad988c2b8be084d09be08fe8aa4242a6806be016fdb4e0ca1ea1eb2638b',
      header:
        'OSS4-HMAC-SHA256 Credential=LTAI-test/20240102/cn-hangzhou/oss/aliyun_v4_request,Signature=d16ffad988c2b8be084d09be08fe8aa4242a6806be016fdb4e0ca1ea1eb2638b',
    },
    {
      name: 'V4-B AppendObject with an STS token',
      request: {
        method: 'POST',
        bucket: 'examplebucket',
        key: 'logs/run1/events.out.tfevents.1',
        query: [
          ['append', null],
          ['position', '5'],
        ],
        headers: { 'content-md5': 'fXkwN6B2AYZXSwKC8vQ15w==' },
      },
      token: 'STS.tok',
      canonical: `POST\n/examplebucket/logs/run1/events.out.tfevents.1\nappend&position=5\ncontent-md5:fXkwN6B2AYZXSwKC8vQ15w==\n${H}x-oss-security-token:STS.tok\n\n\nUNSIGNED-PAYLOAD`,
      signature: '37dbcf1877366230bf5416b83cbc467874ada8c15731fd121d325e0fbd9db135',
    },
    {
      name: 'V4-C ListObjectsV2 signing host',
      request: {
        method: 'GET',
        bucket: 'examplebucket',
        query: [
          ['list-type', '2'],
          ['prefix', 'logs/run 1/'],
          ['delimiter', '/'],
          ['max-keys', '100'],
          ['continuation-token', 'abc'],
        ],
        headers: { host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com' },
        additionalHeaders: ['host'],
      },
      canonical: `GET\n/examplebucket/\ncontinuation-token=abc&delimiter=%2F&list-type=2&max-keys=100&prefix=logs%2Frun%201%2F\nhost:examplebucket.oss-cn-hangzhou.aliyuncs.com\n${H}\nhost\nUNSIGNED-PAYLOAD`,
      signature: '7a1a5b1c91b2d0c6320c1f0f21b48b2c334cea7ce91565be6dc8c4e350c6dbc5',
      header:
        'OSS4-HMAC-SHA256 Credential=LTAI-test/20240102/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=host,Signature=7a1a5b1c91b2d0c6320c1f0f21b48b2c334cea7ce91565be6dc8c4e350c6dbc5',
    },
    {
      name: 'V4-D ListBuckets',
      request: { method: 'GET', query: [], headers: {} },
      canonical: `GET\n/\n\n${H}\n\nUNSIGNED-PAYLOAD`,
      signature: 'd7665cde08c47867a5fd468c45d08e03c371166f6cb8a0c607fec2563ce7244b',
    },
    {
      name: 'V4-E a key with a space, accents and a plus',
      request: {
        method: 'PUT',
        bucket: 'examplebucket',
        key: 'logs/run 1/événement+1.txt',
        query: [],
        headers: { 'content-md5': 'kAFQmDzST7DWlj99KOF/cg==', 'content-type': 'text/plain' },
      },
      canonical: `PUT\n/examplebucket/logs/run%201/%C3%A9v%C3%A9nement%2B1.txt\n\ncontent-md5:kAFQmDzST7DWlj99KOF/cg==\ncontent-type:text/plain\n${H}\n\nUNSIGNED-PAYLOAD`,
      signature: 'fbd9f5ef39d4669ddc2d782e06ffe8c475f623a279e979cae5acfb3a7131d6c8',
    },
  ];

  for (const vector of vectors) {
    it(`reproduces ${vector.name}: canonical request and signature`, () => {
      assert.equal(canonicalRequest(withSigningHeaders(vector.request, vector.token)), vector.canonical);
      const signed = signV4(vector.request, { ...credentials, securityToken: vector.token }, 'cn-hangzhou', at);
      assert.equal(signatureOf(signed.authorization), vector.signature);
      if (vector.header) assert.equal(signed.authorization, vector.header);
      assert.equal(signed['x-oss-date'], '20240102T030405Z');
      assert.equal(signed['x-oss-security-token'], vector.token);
    });
  }

  it("reproduces the Go SDK v2's official V4-G: sorted encoded query names, flags without value, unsigned headers left out", () => {
    const query: QueryParam[] = [
      ['param1', 'value1'],
      ['+param1', 'value3'],
      ['|param1', 'value4'],
      ['+param2', null],
      ['|param2', null],
      ['param2', null],
    ];
    const request: RequestToSign = {
      method: 'PUT',
      bucket: 'bucket',
      key: '1234+-/123/1.txt',
      query,
      headers: { 'x-oss-head1': 'value', 'content-type': 'text/plain', abc: 'value', zabc: 'value', xyz: 'value' },
    };
    const signed = signV4(request, { accessKeyId: 'ak', accessKeySecret: 'sk' }, 'cn-hangzhou', 1702743657_000);
    assert.equal(
      canonicalRequest({
        ...request,
        headers: { ...request.headers, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', 'x-oss-date': '20231216T162057Z' },
      }),
      'PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n\n\nUNSIGNED-PAYLOAD',
    );
    assert.equal(
      signed.authorization,
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
    );
  });

  it('signs exactly as ali-oss 6.23.0 does, for every request of the sync, as captured on the wire', async () => {
    const captured: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }> = [];
    const server = createServer((request, response) => {
      captured.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
      request.resume();
      request.on('end', () => {
        // Enough of an answer for each call to finish: ali-oss checks only a few fields.
        const xml = request.url?.includes('uploads')
          ? '<?xml version="1.0"?><InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>U1</UploadId></InitiateMultipartUploadResult>'
          : request.url?.includes('list-type')
            ? '<?xml version="1.0"?><ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount></ListBucketResult>'
            : '';
        response.writeHead(request.method === 'DELETE' ? 204 : 200, {
          etag: '"E"',
          'x-oss-next-append-position': '1',
          'content-type': xml ? 'application/xml' : 'text/plain',
          'x-oss-request-id': 'AB',
        });
        response.end(xml);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const secrets = { accessKeyId: 'LTAI-wire', accessKeySecret: 'wire-secret', stsToken: 'CAIS.wire-token' };
    const client = new OSS({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'oss-cn-hangzhou',
      bucket: 'examplebucket',
      authorizationV4: true,
      ...secrets,
      refreshSTSToken: () => Promise.reject(new Error('unused')),
      refreshSTSTokenInterval: 3_600_000,
    });
    try {
      await client.put('tb-sync/run 1/a+b.txt', Buffer.from('hello'));
      await client.append('tb-sync/run 1/events.out.tfevents.1700000000.host.1.0', Buffer.from('world'), {
        position: '0',
      });
      await client.append('tb-sync/run 1/events.out.tfevents.1700000000.host.1.0', Buffer.from('more'), {
        position: '5',
      });
      await client.head('tb-sync/run 1/events.out.tfevents.1700000000.host.1.0');
      await client.delete('tb-sync/événement.txt');
      await client.listV2({ prefix: 'tb-sync/', delimiter: '/', 'max-keys': '1000', 'continuation-token': 'tok' });
      await client.initMultipartUpload('tb-sync/big.bin');
      await client.uploadPart('tb-sync/big.bin', 'U1', 1, Buffer.alloc(10), 0, 10);
      await client.abortMultipartUpload('tb-sync/big.bin', 'U1');
    } finally {
      server.close();
    }
    assert.equal(captured.length, 9);
    for (const request of captured) {
      const [path, search = ''] = request.url.split('?');
      const query: QueryParam[] = search
        .split('&')
        .filter(Boolean)
        .map((pair) => {
          const [name, value = ''] = pair.split('=');
          // ali-oss sends a sub-resource flag as `append=` and signs it as the bare name.
          return [decodeURIComponent(name), value === '' ? null : decodeURIComponent(value)];
        });
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => name === 'content-type' || name === 'content-md5') as Array<
          [string, string]
        >,
      );
      const date = String(request.headers['x-oss-date']);
      const nowMs = Date.UTC(
        +date.slice(0, 4),
        +date.slice(4, 6) - 1,
        +date.slice(6, 8),
        +date.slice(9, 11),
        +date.slice(11, 13),
        +date.slice(13, 15),
      );
      const signed = signV4(
        {
          method: request.method,
          bucket: 'examplebucket',
          key: decodeURIComponent(path.slice(1)) || undefined,
          query,
          headers,
        },
        { accessKeyId: secrets.accessKeyId, accessKeySecret: secrets.accessKeySecret, securityToken: secrets.stsToken },
        'cn-hangzhou',
        nowMs,
      );
      assert.equal(signed.authorization, request.headers['authorization'], `${request.method} ${request.url}`);
      assert.equal(signed['x-oss-security-token'], request.headers['x-oss-security-token']);
      assert.equal(signed['x-oss-content-sha256'], request.headers['x-oss-content-sha256']);
    }
  });
});
