import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import OpenApiClient, { Config, OpenApiRequest, Params } from '@alicloud/openapi-client';
import { RuntimeOptions } from '@alicloud/tea-util';
import { ManualClock, startEmulator, type Emulator, type Seed } from '../../emulator';
import { canonicalRequest, sha256Hex, v3Sign, v3StringToSign } from '../../emulator/signatureV3';
import { loadSeed } from '../../emulator/seed';

/** credentials.md §2: fixed inputs of the vectors. */
const vectorKey = { accessKeyId: 'testAccessKeyId', accessKeySecret: 'testAccessKeySecret' };
const vectorDate = '2025-01-02T03:04:05Z';
const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const commonHeaders = {
  host: 'pai-dlc.cn-hangzhou.aliyuncs.com',
  'x-acs-date': vectorDate,
  'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
  'x-acs-version': '2020-12-03',
  'user-agent': 'test-agent',
  accept: 'application/json',
};
const t1Query: Array<[string, string]> = [
  ['WorkspaceId', '12345'],
  ['PageSize', '10'],
  ['DisplayName', "a b*c~d!'()中"],
  ['Tag.1.Key', 'k1'],
  ['Tag.1.Value', 'v1'],
];
const t1Signed = [
  'host',
  'x-acs-action',
  'x-acs-content-sha256',
  'x-acs-date',
  'x-acs-signature-nonce',
  'x-acs-version',
];
const t1Headers = { ...commonHeaders, 'x-acs-action': 'GetTensorboard', 'x-acs-content-sha256': emptyHash };
const t2Body = '{"DisplayName":"tb 1","WorkspaceId":"12345","MaxRunningTimeMinutes":60}';
const t2Headers = {
  ...commonHeaders,
  'x-acs-action': 'CreateTensorboard',
  'content-type': 'application/json; charset=utf-8',
  'x-acs-content-sha256': sha256Hex(t2Body),
};
const t2Signed = ['content-type', ...t1Signed];

describe('emulator: ACS3-HMAC-SHA256 (V3) signature', () => {
  describe('reference test vectors (credentials.md §2)', () => {
    it('T1: GET with a query and an encoded path parameter', () => {
      const canonical = canonicalRequest({
        method: 'GET',
        rawPath: '/api/v1/tensorboards/tb%201%2Fx',
        query: t1Query,
        headers: t1Headers,
        signedHeaders: t1Signed,
        hashedPayload: emptyHash,
      });
      assert.equal(
        canonical,
        'GET\n/api/v1/tensorboards/tb%201%2Fx\n' +
          'DisplayName=a%20b%2Ac~d%21%27%28%29%E4%B8%AD&PageSize=10&Tag.1.Key=k1&Tag.1.Value=v1&WorkspaceId=12345\n' +
          'host:pai-dlc.cn-hangzhou.aliyuncs.com\nx-acs-action:GetTensorboard\n' +
          `x-acs-content-sha256:${emptyHash}\nx-acs-date:2025-01-02T03:04:05Z\n` +
          'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2020-12-03\n\n' +
          `${t1Signed.join(';')}\n${emptyHash}`,
      );
      assert.equal(sha256Hex(canonical), 'f3f098721ca2fd5105c7c9708d2c0ecd97ae25f2dc2bf244f32d83c2df650392');
      assert.equal(
        v3Sign(v3StringToSign(canonical), vectorKey.accessKeySecret),
        'ff1c5a09295da82ec07a5ae51bc7ee4d28edac0c47a058d4a099b894f7e9ad8d',
      );
    });

    it('T1b: with x-acs-credentials-provider signed too', () => {
      const signedHeaders = [...t1Signed.slice(0, 3), 'x-acs-credentials-provider', ...t1Signed.slice(3)];
      const canonical = canonicalRequest({
        method: 'GET',
        rawPath: '/api/v1/tensorboards/tb%201%2Fx',
        query: t1Query,
        headers: { ...t1Headers, 'x-acs-credentials-provider': 'static_ak' },
        signedHeaders,
        hashedPayload: emptyHash,
      });
      assert.equal(
        v3Sign(v3StringToSign(canonical), vectorKey.accessKeySecret),
        '5f39b7fd831ffa8621c4ceb4099e3fbe7653684732ad321f063d3f71ac7e19cb',
      );
    });

    it('T2: POST with a JSON body', () => {
      assert.equal(
        t2Headers['x-acs-content-sha256'],
        'e4ae57937f93503a0856f13076d888a30c8ba8464607892f5ef8eec8a768d2e2',
      );
      const canonical = canonicalRequest({
        method: 'POST',
        rawPath: '/api/v1/tensorboards',
        query: [],
        headers: t2Headers,
        signedHeaders: t2Signed,
        hashedPayload: t2Headers['x-acs-content-sha256'],
      });
      assert.equal(sha256Hex(canonical), '1c25d0e1fefa06e35846160c761a6b5234dcbaed785faa3580c450985a946403');
      assert.equal(
        v3Sign(v3StringToSign(canonical), vectorKey.accessKeySecret),
        '3e1ddf04061ec6c6a275967d109fff4719c5d4e114a28bccffd485134ea4fb44',
      );
    });

    it('T3: RPC-style AssumeRole with STS credentials', () => {
      const signedHeaders = [
        'host',
        'x-acs-accesskey-id',
        'x-acs-action',
        'x-acs-content-sha256',
        'x-acs-date',
        'x-acs-security-token',
        'x-acs-signature-nonce',
        'x-acs-version',
      ];
      const canonical = canonicalRequest({
        method: 'POST',
        rawPath: '/',
        query: [
          ['RoleArn', 'acs:ram::1234567890123456:role/test-role'],
          ['RoleSessionName', 'session-1'],
          ['DurationSeconds', '3600'],
        ],
        headers: {
          ...commonHeaders,
          host: 'sts.aliyuncs.com',
          'x-acs-version': '2015-04-01',
          'x-acs-action': 'AssumeRole',
          'x-acs-content-sha256': emptyHash,
          'x-acs-accesskey-id': 'testAccessKeyId',
          'x-acs-security-token': 'testSecurityToken',
        },
        signedHeaders,
        hashedPayload: emptyHash,
      });
      assert.equal(sha256Hex(canonical), '8d255aa5c4e4e8fc49fe6ef31c59e819b25c6270a39c99a89aaee2e4d8409fb4');
      assert.equal(
        v3Sign(v3StringToSign(canonical), vectorKey.accessKeySecret),
        '8926eb0fe85bad811f9d1b1d6bb4f779c072782cc593d79d07764bddacf09560',
      );
    });
  });

  describe('the gateway, replaying the vectors as they went over the wire', () => {
    let emulator: Emulator;

    beforeEach(async () => {
      const seed = loadSeed();
      seed.accounts[0].users[0].accessKeys.push(vectorKey);
      emulator = await startEmulator({ clock: new ManualClock(Date.parse(vectorDate)), seed: seed as Seed });
    });
    afterEach(() => emulator.stop());

    /** node:http, because fetch may not set the Host header the vectors were signed with. */
    function send(
      method: string,
      target: string,
      headers: Record<string, string>,
      body = '',
    ): Promise<{ status: number; json: Record<string, unknown> }> {
      const { port } = new URL(emulator.endpoint);
      return new Promise((resolve, reject) => {
        const request = httpRequest({ host: '127.0.0.1', port, method, path: target, headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
            }),
          );
        });
        request.on('error', reject);
        request.end(body);
      });
    }

    const authorization = (signed: string[], signature: string): string =>
      `ACS3-HMAC-SHA256 Credential=testAccessKeyId,SignedHeaders=${signed.join(';')},Signature=${signature}`;
    const t1Target =
      '/api/v1/tensorboards/tb%201%2Fx?WorkspaceId=12345&PageSize=10&DisplayName=a%20b*c~d!%27()%E4%B8%AD&Tag.1.Key=k1&Tag.1.Value=v1';

    it('T1 passes the gateway (the operation then answers not found)', async () => {
      const answer = await send('GET', t1Target, {
        ...t1Headers,
        authorization: authorization(t1Signed, 'ff1c5a09295da82ec07a5ae51bc7ee4d28edac0c47a058d4a099b894f7e9ad8d'),
      });
      assert.equal(answer.json.Code, 'TensorboardNotFound');
      assert.equal(emulator.requests[0].operation, 'GetTensorboard');
    });

    it('T2 passes the gateway (the operation then rejects the unknown workspace)', async () => {
      const answer = await send(
        'POST',
        '/api/v1/tensorboards',
        {
          ...t2Headers,
          authorization: authorization(t2Signed, '3e1ddf04061ec6c6a275967d109fff4719c5d4e114a28bccffd485134ea4fb44'),
        },
        t2Body,
      );
      assert.equal(answer.json.Code, 'InvalidParameter');
      assert.match(String(answer.json.Message), /WorkspaceId/);
    });

    it('a changed byte gives SignatureDoesNotMatch with the server string to sign', async () => {
      const answer = await send('GET', t1Target.replace('PageSize=10', 'PageSize=11'), {
        ...t1Headers,
        authorization: authorization(t1Signed, 'ff1c5a09295da82ec07a5ae51bc7ee4d28edac0c47a058d4a099b894f7e9ad8d'),
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.json.Code, 'SignatureDoesNotMatch');
      assert.match(
        String(answer.json.Message),
        /^Specified signature does not match our calculation\. server StringToSign is \[ACS3-HMAC-SHA256\n[0-9a-f]{64}\]$/,
      );
    });

    it('a body that does not match x-acs-content-sha256 is refused', async () => {
      const answer = await send(
        'POST',
        '/api/v1/tensorboards',
        {
          ...t2Headers,
          authorization: authorization(t2Signed, '3e1ddf04061ec6c6a275967d109fff4719c5d4e114a28bccffd485134ea4fb44'),
        },
        t2Body.replace('60', '61'),
      );
      assert.equal(answer.json.Code, 'ContentSHA256NotMatched');
    });

    it('an x-acs-* header left out of SignedHeaders, or a missing part, gives IncompleteSignature', async () => {
      const unsigned = await send('GET', t1Target, {
        ...t1Headers,
        'x-acs-extra': '1',
        authorization: authorization(t1Signed, 'ff1c5a09295da82ec07a5ae51bc7ee4d28edac0c47a058d4a099b894f7e9ad8d'),
      });
      assert.equal(unsigned.json.Code, 'IncompleteSignature');
      assert.match(String(unsigned.json.Message), /x-acs-extra/);
      const partial = await send('GET', t1Target, {
        ...t1Headers,
        authorization: 'ACS3-HMAC-SHA256 Credential=testAccessKeyId',
      });
      assert.equal(partial.json.Code, 'IncompleteSignature');
    });

    it('checks x-acs-date (not date) against the clock: bad format and 15-minute skew', async () => {
      const signature = authorization(t1Signed, 'ff1c5a09295da82ec07a5ae51bc7ee4d28edac0c47a058d4a099b894f7e9ad8d');
      const stale = await send('GET', t1Target, {
        ...t1Headers,
        date: 'Thu, 01 Jan 2015 00:00:00 GMT',
        'x-acs-date': '2025-01-02T02:49:04Z',
        authorization: signature,
      });
      assert.equal(stale.json.Code, 'InvalidTimeStamp.Expired');
      const badFormat = await send('GET', t1Target, {
        ...t1Headers,
        'x-acs-date': 'Thu, 02 Jan 2025 03:04:05 GMT',
        authorization: signature,
      });
      assert.equal(badFormat.json.Code, 'InvalidTimeStamp.Format');
    });

    it('refuses a replayed nonce with SignatureNonceUsed', async () => {
      const headers = {
        ...t1Headers,
        authorization: authorization(t1Signed, 'ff1c5a09295da82ec07a5ae51bc7ee4d28edac0c47a058d4a099b894f7e9ad8d'),
      };
      assert.equal((await send('GET', t1Target, headers)).json.Code, 'TensorboardNotFound');
      assert.equal((await send('GET', t1Target, headers)).json.Code, 'SignatureNonceUsed');
    });
  });

  describe('@alicloud/openapi-client 0.4.15 callApi against the emulator', () => {
    let emulator: Emulator;
    let clock: ManualClock;

    beforeEach(async () => {
      clock = new ManualClock(Date.now());
      emulator = await startEmulator({ clock });
    });
    afterEach(() => emulator.stop());

    type Credentials = { accessKeyId: string; accessKeySecret: string; securityToken?: string };

    function client(credentials: Credentials, signatureAlgorithm?: 'v2'): OpenApiClient {
      return new OpenApiClient(
        new Config({ ...credentials, endpoint: new URL(emulator.endpoint).host, protocol: 'http', signatureAlgorithm }),
      );
    }

    function params(action: string, method: string, pathname: string): Params {
      return new Params({
        action,
        version: '2020-12-03',
        protocol: 'HTTP',
        pathname,
        method,
        authType: 'AK',
        style: 'ROA',
        reqBodyType: 'json',
        bodyType: 'json',
      });
    }

    const noRetry = new RuntimeOptions({ autoretry: false });

    async function list(credentials: Credentials, signatureAlgorithm?: 'v2'): Promise<Record<string, unknown>> {
      const request = new OpenApiRequest({
        query: { WorkspaceId: emulator.workspaceId, DisplayName: "a b*c~d!'()中", PageSize: '10' },
      });
      const answer = (await client(credentials, signatureAlgorithm).callApi(
        params('ListTensorboards', 'GET', '/api/v1/tensorboards'),
        request,
        noRetry,
      )) as {
        body: Record<string, unknown>;
      };
      return answer.body;
    }

    async function failure(call: Promise<unknown>): Promise<{ code: string; data: Record<string, unknown> }> {
      try {
        await call;
      } catch (error) {
        return error as { code: string; data: Record<string, unknown> };
      }
      throw new Error('expected the call to fail');
    }

    for (const scheme of ['v3', 'v2'] as const) {
      const algorithm = scheme === 'v2' ? 'v2' : undefined;

      it(`${scheme}: ListTensorboards (GET with a query) and CreateTensorboard (POST with a JSON body) succeed`, async () => {
        const listed = await list(emulator.credentials, algorithm);
        assert.equal(listed.TotalCount, 0);
        const body = { WorkspaceId: emulator.workspaceId, JobId: 'dlc1a9r0uhfn24cl', DisplayName: '看板 one' };
        const created = (await client(emulator.credentials, algorithm).callApi(
          params('CreateTensorboard', 'POST', '/api/v1/tensorboards'),
          new OpenApiRequest({ body }),
          noRetry,
        )) as { body: Record<string, unknown> };
        assert.match(String(created.body.TensorboardId), /^tb[a-z0-9]{14}$/);
        const [listRequest, createRequest] = emulator.requests;
        assert.deepEqual([listRequest.status, createRequest.status], [200, 200]);
        assert.deepEqual(createRequest.body, body);
        assert.equal(listRequest.headers.authorization, '***');
        if (scheme === 'v3') {
          assert.equal(createRequest.headers['x-acs-credentials-provider'], 'static_ak');
          assert.equal(createRequest.headers['x-acs-content-sha256'], sha256Hex(JSON.stringify(body)));
        } else {
          assert.equal(createRequest.headers['x-acs-content-sha256'], undefined);
        }
      });

      it(`${scheme}: STS credentials are accepted, and a bad or expired token gets the real codes`, async () => {
        const sts = emulator.issueStsCredentials(60_000);
        assert.equal((await list(sts, algorithm)).TotalCount, 0);
        assert.equal(
          (await failure(list({ ...sts, securityToken: 'CAISnotatoken' }, algorithm))).code,
          'InvalidSecurityToken.Malformed',
        );
        clock.advance(60_000);
        assert.equal((await failure(list(sts, algorithm))).code, 'InvalidSecurityToken.Expired');
      });

      it(`${scheme}: a wrong secret gives SignatureDoesNotMatch, an unknown key InvalidAccessKeyId.NotFound`, async () => {
        const wrong = await failure(
          list({ accessKeyId: emulator.credentials.accessKeyId, accessKeySecret: 'wrong' }, algorithm),
        );
        assert.equal(wrong.code, 'SignatureDoesNotMatch');
        assert.equal(wrong.data.statusCode, 400);
        const expectedPrefix =
          scheme === 'v3'
            ? 'Specified signature does not match our calculation. server StringToSign is [ACS3-HMAC-SHA256\n'
            : 'Specified signature is not matched with our calculation. server string to sign is:GET\n';
        assert.ok(String(wrong.data.Message).startsWith(expectedPrefix), String(wrong.data.Message));
        const unknown = await failure(list({ accessKeyId: 'EMULATORUNKNOWNKEY', accessKeySecret: 'x' }, algorithm));
        assert.equal(unknown.code, 'InvalidAccessKeyId.NotFound');
        assert.equal(unknown.data.statusCode, 404);
      });
    }
  });
});
