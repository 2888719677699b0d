import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  authenticate,
  v1StringToSign,
  v4CanonicalRequest,
  v4Signature,
  v4StringToSign,
  type AuthContext,
  type SignedRequest,
} from '../../emulator/oss/auth';
import { OssError } from '../../emulator/oss/errors';
import { parseQuery } from '../../emulator/oss/server';

/** oss.md §2.1's fixed inputs. */
const D = 'Tue, 02 Jan 2024 03:04:05 GMT';
const at = Date.UTC(2024, 0, 2, 3, 4, 5);

function v1(request: SignedRequest, secret = 'test-secret'): string {
  return `OSS LTAI-test:${createHmac('sha1', secret).update(v1StringToSign(request)).digest('base64')}`;
}

function context(overrides: Partial<AuthContext> = {}): AuthContext {
  return {
    nowMs: at,
    region: 'cn-hangzhou',
    findKey: (id) => (id === 'LTAI-test' ? { accessKeySecret: 'test-secret' } : undefined),
    isSomeToken: () => false,
    acceptV1: true,
    emptyQueryValue: 'either',
    guess: (key, message, ec) => new OssError(403, key, message, ec),
    ...overrides,
  };
}

describe("emulated OSS: the signature checks, on the reference's vectors", () => {
  const v1Vectors: Array<{ name: string; request: SignedRequest; authorization: string }> = [
    {
      name: 'V1-A PutObject',
      request: {
        method: 'PUT',
        bucket: 'examplebucket',
        key: 'logs/run1/a.txt',
        query: [],
        headers: { 'content-md5': 'XUFAKrxLKna5cZ2REBfFkg==', 'content-type': 'text/plain', 'x-oss-date': D },
      },
      authorization: 'OSS LTAI-test:UNn/J6SNiGXs2oURVp+dXH4IB78=',
    },
    {
      name: 'V1-B AppendObject',
      request: {
        method: 'POST',
        bucket: 'examplebucket',
        key: 'logs/run1/events.out.tfevents.1',
        query: parseQuery('append=&position=5'),
        headers: { 'content-md5': 'fXkwN6B2AYZXSwKC8vQ15w==', 'x-oss-date': D },
      },
      authorization: 'OSS LTAI-test:Tk+g+cMFswG6p+OLY7mFw9BQJdA=',
    },
    {
      name: 'V1-C ListObjectsV2 with a token (list-type and prefix not signed)',
      request: {
        method: 'GET',
        bucket: 'examplebucket',
        query: parseQuery('list-type=2&prefix=logs%2F&continuation-token=abc'),
        headers: { 'x-oss-date': D, 'x-oss-security-token': 'STS.tok' },
      },
      authorization: 'OSS LTAI-test:rZlrupRvzEWheqJAv/A9Qoc9ytc=',
    },
    {
      name: 'V1-D UploadPart',
      request: {
        method: 'PUT',
        bucket: 'examplebucket',
        key: 'big.bin',
        query: parseQuery('partNumber=1&uploadId=0004B9894A22E5B1888A1E29F823****'),
        headers: { 'x-oss-date': D },
      },
      authorization: 'OSS LTAI-test:AIUyJJPH5EUekT98LC0iraTTIHk=',
    },
    {
      name: 'V1-E a raw UTF-8 key',
      request: {
        method: 'PUT',
        bucket: 'examplebucket',
        key: 'logs/run 1/événement+1.txt',
        query: [],
        headers: { 'content-md5': 'kAFQmDzST7DWlj99KOF/cg==', 'content-type': 'text/plain', 'x-oss-date': D },
      },
      authorization: 'OSS LTAI-test:HeWT3W6PWNgGKrYXJ7we+euHiQo=',
    },
  ];
  for (const vector of v1Vectors) {
    it(`V1: reproduces ${vector.name} and accepts it`, () => {
      assert.equal(v1(vector.request), vector.authorization);
      assert.equal(
        authenticate(
          { ...vector.request, headers: { ...vector.request.headers, authorization: vector.authorization } },
          context({
            isSomeToken: () => true,
            findKey: () =>
              vector.request.headers['x-oss-security-token']
                ? { accessKeySecret: 'test-secret', sts: { securityToken: 'STS.tok' } }
                : { accessKeySecret: 'test-secret' },
          }),
        ),
        'LTAI-test',
      );
    });
  }

  it("V1: reproduces the Go SDK v2's official case, Date and x-oss-meta headers, with and without ?acl", () => {
    const date = 'Wed, 28 Dec 2022 10:27:41 GMT';
    const request: SignedRequest = {
      method: 'PUT',
      bucket: 'examplebucket',
      key: 'nelson',
      query: [],
      headers: {
        'content-md5': 'eB5eJF1ptWaXm4bijSPyxw==',
        'content-type': 'text/html',
        date,
        'x-oss-date': date,
        'x-oss-meta-author': 'alice',
        'x-oss-meta-magic': 'abracadabra',
      },
    };
    const sign = (r: SignedRequest): string => createHmac('sha1', 'sk').update(v1StringToSign(r)).digest('base64');
    assert.equal(sign(request), 'kSHKmLxlyEAKtZPkJhG9bZb5k7M=');
    assert.equal(sign({ ...request, query: parseQuery('acl') }), '/afkugFbmWDQ967j1vr6zygBLQk=');
  });

  const H = 'x-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20240102T030405Z\n';
  const v4Headers = { 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', 'x-oss-date': '20240102T030405Z' };
  const v4Vectors: Array<{
    name: string;
    request: SignedRequest;
    additional?: string[];
    canonical: string;
    signature: string;
  }> = [
    {
      name: 'V4-A',
      request: {
        method: 'PUT',
        bucket: 'examplebucket',
        key: 'logs/run1/a.txt',
        query: [],
        headers: { 'content-md5': 'XUFAKrxLKna5cZ2REBfFkg==', 'content-type': 'text/plain', ...v4Headers },
      },
      canonical: `PUT\n/examplebucket/logs/run1/a.txt\n\ncontent-md5:XUFAKrxLKna5cZ2REBfFkg==\ncontent-type:text/plain\n${H}\n\nUNSIGNED-PAYLOAD`,
      signature: 'd16ffad988c2b8be084d09be08fe8aa4242a6806be016fdb4e0ca1ea1eb2638b',
    },
    {
      name: 'V4-B',
      request: {
        method: 'POST',
        bucket: 'examplebucket',
        key: 'logs/run1/events.out.tfevents.1',
        query: parseQuery('append=&position=5'),
        headers: { 'content-md5': 'fXkwN6B2AYZXSwKC8vQ15w==', 'x-oss-security-token': 'STS.tok', ...v4Headers },
      },
      canonical: `POST\n/examplebucket/logs/run1/events.out.tfevents.1\nappend&position=5\ncontent-md5:fXkwN6B2AYZXSwKC8vQ15w==\n${H}x-oss-security-token:STS.tok\n\n\nUNSIGNED-PAYLOAD`,
      signature: '37dbcf1877366230bf5416b83cbc467874ada8c15731fd121d325e0fbd9db135',
    },
    {
      name: 'V4-C',
      request: {
        method: 'GET',
        bucket: 'examplebucket',
        query: parseQuery('list-type=2&prefix=logs%2Frun%201%2F&delimiter=%2F&max-keys=100&continuation-token=abc'),
        headers: { host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com', ...v4Headers },
      },
      additional: ['host'],
      canonical: `GET\n/examplebucket/\ncontinuation-token=abc&delimiter=%2F&list-type=2&max-keys=100&prefix=logs%2Frun%201%2F\nhost:examplebucket.oss-cn-hangzhou.aliyuncs.com\n${H}\nhost\nUNSIGNED-PAYLOAD`,
      signature: '7a1a5b1c91b2d0c6320c1f0f21b48b2c334cea7ce91565be6dc8c4e350c6dbc5',
    },
    {
      name: 'V4-D',
      request: { method: 'GET', query: [], headers: { ...v4Headers } },
      canonical: `GET\n/\n\n${H}\n\nUNSIGNED-PAYLOAD`,
      signature: 'd7665cde08c47867a5fd468c45d08e03c371166f6cb8a0c607fec2563ce7244b',
    },
    {
      name: 'V4-E',
      request: {
        method: 'PUT',
        bucket: 'examplebucket',
        key: 'logs/run 1/événement+1.txt',
        query: [],
        headers: { 'content-md5': 'kAFQmDzST7DWlj99KOF/cg==', 'content-type': 'text/plain', ...v4Headers },
      },
      canonical: `PUT\n/examplebucket/logs/run%201/%C3%A9v%C3%A9nement%2B1.txt\n\ncontent-md5:kAFQmDzST7DWlj99KOF/cg==\ncontent-type:text/plain\n${H}\n\nUNSIGNED-PAYLOAD`,
      signature: 'fbd9f5ef39d4669ddc2d782e06ffe8c475f623a279e979cae5acfb3a7131d6c8',
    },
  ];
  for (const vector of v4Vectors) {
    it(`V4: reproduces ${vector.name} and accepts it, with spaces after the commas too`, () => {
      const canonical = v4CanonicalRequest(vector.request, vector.additional ?? [], 'bare');
      assert.equal(canonical, vector.canonical);
      assert.equal(
        v4Signature(
          'test-secret',
          '20240102',
          'cn-hangzhou',
          v4StringToSign(canonical, '20240102T030405Z', 'cn-hangzhou'),
        ),
        vector.signature,
      );
      const additional = vector.additional ? `, AdditionalHeaders=${vector.additional.join(';')}` : '';
      const authorization = `OSS4-HMAC-SHA256 Credential=LTAI-test/20240102/cn-hangzhou/oss/aliyun_v4_request${additional}, Signature=${vector.signature}`;
      const token = vector.request.headers['x-oss-security-token'];
      const found = context({
        findKey: () =>
          token
            ? { accessKeySecret: 'test-secret', sts: { securityToken: token } }
            : { accessKeySecret: 'test-secret' },
      });
      assert.equal(
        authenticate({ ...vector.request, headers: { ...vector.request.headers, authorization } }, found),
        'LTAI-test',
      );
    });
  }

  it('V4: refuses a signature one character off, naming the string to sign; the wrong region; a date of another day', () => {
    const request = v4Vectors[0].request;
    const bad = `OSS4-HMAC-SHA256 Credential=LTAI-test/20240102/cn-hangzhou/oss/aliyun_v4_request,Signature=${v4Vectors[0].signature.replace(/.$/, '0')}`;
    assert.throws(
      () => authenticate({ ...request, headers: { ...request.headers, authorization: bad } }, context()),
      (error: OssError) =>
        error.code === 'SignatureDoesNotMatch' &&
        error.status === 403 &&
        error.extra.some(
          ([name, value]) => name === 'StringToSign' && value.startsWith('OSS4-HMAC-SHA256\n20240102T030405Z\n'),
        ),
    );
    const region = `OSS4-HMAC-SHA256 Credential=LTAI-test/20240102/cn-beijing/oss/aliyun_v4_request,Signature=${v4Vectors[0].signature}`;
    assert.throws(
      () => authenticate({ ...request, headers: { ...request.headers, authorization: region } }, context()),
      (error: OssError) => error.ec === '0002-00000226',
    );
    const day = `OSS4-HMAC-SHA256 Credential=LTAI-test/20240101/cn-hangzhou/oss/aliyun_v4_request,Signature=${v4Vectors[0].signature}`;
    assert.throws(
      () => authenticate({ ...request, headers: { ...request.headers, authorization: day } }, context()),
      (error: OssError) => error.ec === '0002-00000225',
    );
  });

  it('V4: an empty query value is signed bare or as `k=`, whichever the client used, unless told to insist on one', () => {
    const request: SignedRequest = {
      method: 'POST',
      bucket: 'b',
      key: 'k',
      query: parseQuery('uploads='),
      headers: { ...v4Headers },
    };
    const signatureFor = (form: 'bare' | 'equals'): string =>
      v4Signature(
        'test-secret',
        '20240102',
        'cn-hangzhou',
        v4StringToSign(v4CanonicalRequest(request, [], form), '20240102T030405Z', 'cn-hangzhou'),
      );
    const withForm = (form: 'bare' | 'equals'): SignedRequest => ({
      ...request,
      headers: {
        ...request.headers,
        authorization: `OSS4-HMAC-SHA256 Credential=LTAI-test/20240102/cn-hangzhou/oss/aliyun_v4_request,Signature=${signatureFor(form)}`,
      },
    });
    assert.equal(authenticate(withForm('bare'), context()), 'LTAI-test');
    assert.equal(authenticate(withForm('equals'), context()), 'LTAI-test');
    assert.throws(() => authenticate(withForm('equals'), context({ emptyQueryValue: 'bare' })), /does not match/);
  });

  it('refuses a V1 signature when V1 is turned off, and a request without Authorization', () => {
    const request = v1Vectors[0].request;
    assert.throws(
      () =>
        authenticate(
          { ...request, headers: { ...request.headers, authorization: v1(request) } },
          context({ acceptV1: false }),
        ),
      (error: OssError) => error.ec === '0002-00000080',
    );
    assert.throws(
      () => authenticate(request, context()),
      (error: OssError) => error.code === 'AccessDenied',
    );
  });
});
