import assert from 'node:assert/strict';
import { buildStringToSign, contentMd5, ManualClock, signString, startEmulator, type Emulator } from '../../emulator';
import { httpDate, popClient, popFailure, signedFetch } from './helpers';

const vectorHeaders = {
  accept: 'application/json',
  date: 'Fri, 02 Jan 2026 03:04:05 GMT',
  'x-acs-signature-nonce': 'c7e3b1c0d5f84a1e9b2f6a0d3e4c5b6a',
  'x-acs-signature-method': 'HMAC-SHA1',
  'x-acs-signature-version': '1.0',
  'x-acs-version': '2020-12-03',
};

describe('emulator: ROA V2 signature', () => {
  describe('reference test vectors (§6.3)', () => {
    it('GET with a query: string to sign and signature', () => {
      const stringToSign = buildStringToSign({
        method: 'GET',
        headers: { ...vectorHeaders, 'content-md5': contentMd5('') },
        path: '/api/v1/tensorboards',
        query: [
          ['WorkspaceId', '12345'],
          ['JobId', 'dlc1abc'],
          ['PageSize', '50'],
        ],
      });
      assert.equal(
        stringToSign,
        'GET\napplication/json\n1B2M2Y8AsgTpgAmY7PhCfg==\n\nFri, 02 Jan 2026 03:04:05 GMT\n' +
          'x-acs-signature-method:HMAC-SHA1\nx-acs-signature-nonce:c7e3b1c0d5f84a1e9b2f6a0d3e4c5b6a\n' +
          'x-acs-signature-version:1.0\nx-acs-version:2020-12-03\n' +
          '/api/v1/tensorboards?JobId=dlc1abc&PageSize=50&WorkspaceId=12345',
      );
      assert.equal(signString(stringToSign, 'testSecret'), 'JtzfAxSvD+bS1BakqPnQoQWteHY=');
    });

    it('POST with a JSON body: content-md5, string to sign and signature', () => {
      const body = '{"JobId":"dlc1abc","WorkspaceId":"12345","SummaryRelativePath":"/logs/"}';
      assert.equal(contentMd5(body), 'QMAb2VR5llAuJlwl7Q/gOw==');
      const stringToSign = buildStringToSign({
        method: 'POST',
        headers: { ...vectorHeaders, 'content-md5': contentMd5(body), 'content-type': 'application/json' },
        path: '/api/v1/tensorboards',
        query: [],
      });
      assert.equal(
        stringToSign,
        'POST\napplication/json\nQMAb2VR5llAuJlwl7Q/gOw==\napplication/json\nFri, 02 Jan 2026 03:04:05 GMT\n' +
          'x-acs-signature-method:HMAC-SHA1\nx-acs-signature-nonce:c7e3b1c0d5f84a1e9b2f6a0d3e4c5b6a\n' +
          'x-acs-signature-version:1.0\nx-acs-version:2020-12-03\n/api/v1/tensorboards',
      );
      assert.equal(signString(stringToSign, 'testSecret'), '06TJ6Q9Ej86HDqVXSBpOBEkwAOs=');
    });
  });

  describe('against the server', () => {
    let emulator: Emulator;
    let clock: ManualClock;

    beforeEach(async () => {
      clock = new ManualClock(Date.now());
      emulator = await startEmulator({ clock });
    });
    afterEach(() => emulator.stop());

    it('accepts a GET signed by pop-core with spaces, &, = and non-ASCII in query values', async () => {
      const answer = (await popClient(emulator).request('GET', '/api/v1/tensorboards', {
        WorkspaceId: emulator.workspaceId,
        DisplayName: 'a b&c=d 训练 é',
        PageSize: 50,
        ShowOwn: true,
      })) as Record<string, unknown>;
      assert.deepEqual(answer.Tensorboards, []);
      assert.equal(emulator.requests[0].query.DisplayName, 'a b&c=d 训练 é');
    });

    it('accepts POST (JSON body), PUT and DELETE signed by pop-core', async () => {
      const client = popClient(emulator);
      const created = (await client.request(
        'POST',
        '/api/v1/tensorboards',
        {},
        JSON.stringify({ WorkspaceId: emulator.workspaceId, JobId: 'dlc1a9r0uhfn24cl', DisplayName: '看板 one' }),
        { 'content-type': 'application/json' },
      )) as Record<string, unknown>;
      const id = String(created.TensorboardId);
      assert.match(id, /^tb[a-z0-9]{14}$/);
      await client.request('PUT', `/api/v1/tensorboards/${id}`, { MaxRunningTimeMinutes: 60, Accessibility: 'PUBLIC' });
      await client.request('PUT', `/api/v1/tensorboards/${id}/stop`, { WorkspaceId: emulator.workspaceId });
      clock.advance(5000);
      const deleted = (await client.request('DELETE', `/api/v1/tensorboards/${id}`, {
        WorkspaceId: emulator.workspaceId,
      })) as Record<string, unknown>;
      assert.equal(deleted.TensorboardId, id);
      assert.deepEqual(
        emulator.requests.map((request) => [request.operation, request.status]),
        [
          ['CreateTensorboard', 200],
          ['UpdateTensorboard', 200],
          ['StopTensorboard', 200],
          ['DeleteTensorboard', 200],
        ],
      );
      assert.deepEqual(emulator.requests[0].body, {
        WorkspaceId: emulator.workspaceId,
        JobId: 'dlc1a9r0uhfn24cl',
        DisplayName: '看板 one',
      });
      assert.equal(emulator.requests[0].headers.authorization, '***');
    });

    it('answers SignatureDoesNotMatch with the server string to sign for a wrong secret', async () => {
      const client = popClient(emulator, { accessKeyId: emulator.credentials.accessKeyId, accessKeySecret: 'wrong' });
      const error = await popFailure(client.request('GET', '/api/v1/jobs', { PageSize: 5 }));
      assert.equal(error.code, 'SignatureDoesNotMatch');
      assert.equal(error.statusCode, 400);
      const message = String(error.result.Message);
      assert.ok(
        message.startsWith(
          'Specified signature is not matched with our calculation. server string to sign is:GET\napplication/json\n',
        ),
      );
      assert.ok(message.endsWith('x-acs-version:2020-12-03\n/api/v1/jobs?PageSize=5'), message);
      for (const field of ['RequestId', 'HostId', 'Code', 'Message', 'Recommend'])
        assert.ok(field in error.result, field);
      assert.equal(emulator.requests[0].code, 'SignatureDoesNotMatch');
    });

    it('answers InvalidAccessKeyId.NotFound for an unknown key', async () => {
      const client = popClient(emulator, { accessKeyId: 'EMULATORUNKNOWNKEY', accessKeySecret: 'x' });
      const error = await popFailure(client.request('GET', '/api/v1/tensorboards'));
      assert.equal(error.code, 'InvalidAccessKeyId.NotFound');
      assert.equal(error.statusCode, 404);
    });

    it('answers InvalidTimeStamp.Expired for a date more than 15 minutes off the emulator clock', async () => {
      const client = popClient(emulator);
      const stale = httpDate(clock.now() - 16 * 60_000);
      const error = await popFailure(client.request('GET', '/api/v1/tensorboards', {}, '', { date: stale }));
      assert.equal(error.code, 'InvalidTimeStamp.Expired');
      // 14 minutes is inside the window.
      await client.request('GET', '/api/v1/tensorboards', {}, '', { date: httpDate(clock.now() + 14 * 60_000) });
    });

    it('follows the emulator clock: a far-advanced clock needs a matching date', async () => {
      clock.advance(3 * 24 * 60 * 60_000);
      const client = popClient(emulator);
      assert.equal((await popFailure(client.request('GET', '/api/v1/jobs'))).code, 'InvalidTimeStamp.Expired');
      await client.request('GET', '/api/v1/jobs', {}, '', { date: httpDate(clock.now()) });
    });

    it('answers SignatureNonceUsed for a replayed nonce', async () => {
      const client = popClient(emulator);
      const nonce = 'c7e3b1c0d5f84a1e9b2f6a0d3e4c5b6a';
      await client.request('GET', '/api/v1/tensorboards', {}, '', { 'x-acs-signature-nonce': nonce });
      const error = await popFailure(
        client.request('GET', '/api/v1/tensorboards', {}, '', { 'x-acs-signature-nonce': nonce }),
      );
      assert.equal(error.code, 'SignatureNonceUsed');
    });

    it('answers ContentMD5NotMatched when content-md5 does not match the body', async () => {
      const answer = await signedFetch(emulator, 'POST', '/api/v1/tensorboards', {
        body: { JobId: 'dlc1a9r0uhfn24cl' },
        headers: { 'content-md5': contentMd5('something else') },
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.json().Code, 'ContentMD5NotMatched');
    });

    describe('STS credentials', () => {
      it('accepts a pop-core request with a valid security token', async () => {
        const sts = emulator.issueStsCredentials();
        const answer = (await popClient(emulator, sts).request('GET', '/api/v1/tensorboards')) as Record<
          string,
          unknown
        >;
        assert.equal(answer.TotalCount, 1);
        assert.equal(emulator.requests[0].headers['x-acs-security-token'], '***');
      });

      it('answers MissingSecurityToken without the token', async () => {
        const { accessKeyId, accessKeySecret } = emulator.issueStsCredentials();
        const error = await popFailure(
          popClient(emulator, { accessKeyId, accessKeySecret }).request('GET', '/api/v1/jobs'),
        );
        assert.equal(error.code, 'MissingSecurityToken');
      });

      it('answers InvalidSecurityToken.* for a wrong or mismatched token', async () => {
        const sts = emulator.issueStsCredentials();
        const other = emulator.issueStsCredentials();
        const wrong = await popFailure(
          popClient(emulator, { ...sts, securityToken: 'CAISnotatoken' }).request('GET', '/api/v1/jobs'),
        );
        assert.equal(wrong.code, 'InvalidSecurityToken.Malformed');
        const mismatch = await popFailure(
          popClient(emulator, { ...sts, securityToken: other.securityToken }).request('GET', '/api/v1/jobs'),
        );
        assert.equal(mismatch.code, 'InvalidSecurityToken.MismatchWithAccessKey');
        const header = await signedFetch(emulator, 'GET', '/api/v1/jobs', {
          credentials: sts,
          headers: { 'x-acs-accesskey-id': other.accessKeyId },
        });
        assert.equal(header.json().Code, 'InvalidSecurityToken.MismatchWithAccessKey');
      });

      it('answers InvalidSecurityToken.Expired once the token has expired', async () => {
        const sts = emulator.issueStsCredentials(60_000);
        await popClient(emulator, sts).request('GET', '/api/v1/jobs');
        clock.advance(61_000);
        const error = await popFailure(
          popClient(emulator, sts).request('GET', '/api/v1/jobs', {}, '', { date: httpDate(clock.now()) }),
        );
        assert.equal(error.code, 'InvalidSecurityToken.Expired');
      });

      it('accepts the seeded STS credentials', async () => {
        const answer = await signedFetch(emulator, 'GET', '/api/v1/jobs', {
          credentials: {
            accessKeyId: 'STS.EMULATORDEMOSTSKEYID',
            accessKeySecret: 'EmulatorDemoStsSecret0NotForRealUse',
            securityToken: 'CAISemulatorDemoSecurityToken0NotForRealUse',
          },
        });
        assert.equal(answer.status, 200);
      });
    });

    it('rejects a missing or wrong x-acs-version', async () => {
      const missing = await signedFetch(emulator, 'GET', '/api/v1/tensorboards', { headers: { 'x-acs-version': '' } });
      assert.equal(missing.status, 400);
      assert.equal(missing.json().Code, 'MissingVersion');
      const wrong = await popFailure(
        popClient(emulator).request('GET', '/api/v1/tensorboards', {}, '', { 'x-acs-version': '2017-01-01' }),
      );
      assert.equal(wrong.code, 'InvalidVersion');
    });

    it('answers InvalidApi.NotFound 404 for an unknown path or method', async () => {
      const unknownPath = await signedFetch(emulator, 'GET', '/api/v1/notebooks');
      assert.equal(unknownPath.status, 404);
      assert.equal(unknownPath.json().Code, 'InvalidApi.NotFound');
      assert.match(unknownPath.headers.get('content-type') ?? '', /^application\/json/);
      const unknownMethod = await popFailure(popClient(emulator).request('PATCH', '/api/v1/tensorboards'));
      assert.equal(unknownMethod.code, 'InvalidApi.NotFound');
      assert.equal(unknownMethod.statusCode, 404);
    });

    it('answers IncompleteSignature without an Authorization header', async () => {
      const answer = await fetch(`${emulator.endpoint}/api/v1/tensorboards`, {
        headers: { 'x-acs-version': '2020-12-03', date: httpDate(clock.now()) },
      });
      assert.equal(answer.status, 400);
      assert.equal(((await answer.json()) as Record<string, unknown>).Code, 'IncompleteSignature');
    });

    it('answers IncompleteSignature for an Authorization of no known scheme', async () => {
      for (const authorization of ['garbage', 'acs EMULATORDEMOKEYID', 'Bearer abc']) {
        const answer = await fetch(`${emulator.endpoint}/api/v1/tensorboards`, {
          headers: { 'x-acs-version': '2020-12-03', date: httpDate(clock.now()), authorization },
        });
        assert.equal(answer.status, 400, authorization);
        assert.equal(((await answer.json()) as Record<string, unknown>).Code, 'IncompleteSignature', authorization);
      }
    });
  });
});
