import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Credential, { Config } from '@alicloud/credentials';
import OpenApiClient, { Config as OpenApiConfig, OpenApiRequest, Params } from '@alicloud/openapi-client';
import { RuntimeOptions } from '@alicloud/tea-util';
import { ManualClock, startEmulator, type Emulator } from '../../emulator';
import { rpcSign, rpcStringToSign } from '../../emulator/signatureRpc';
import { expirationOfIssued, runCredentialFlow, type FlowResult } from './credentialsFlow';

/**
 * @alicloud/credentials 2.4.7's own providers against the emulator's STS, instance metadata and
 * credentials URI (credentials.md §5.5 for how each is pointed at loopback).
 *
 * Time: the library decides staleness with Date.now(), the emulator with its clock. The emulator clock
 * is frozen 1-2 s behind real time (whole seconds); credentials live the minimum 900 s, so the library
 * refetches them on every call (≤ 15 min left); moving the clock to their Expiration makes the
 * gateway refuse them, while real-time timestamps stay inside the 15-minute skew window (899 s off).
 */

const roleArn = 'acs:ram::1157703270994901:role/pai-tensorboard-user';
const imdsHost = '100.100.100.200';

interface LibraryRequest {
  host: string;
}
type DoRequest = (request: LibraryRequest) => Promise<unknown>;
/** The library's own HTTP layer; its providers copy `doRequest` from here when built (the library's hook "for mock"). */
const libraryHttp = require('@alicloud/credentials/dist/src/providers/http') as { doRequest: DoRequest };
const realDoRequest = libraryHttp.doRequest;

/** Sends the library's IMDS requests to the emulator instead of 100.100.100.200, and nothing anywhere else. */
function loopbackMetadata(emulator: Emulator): DoRequest {
  const host = new URL(emulator.endpoint).host;
  return (request) => {
    if (request.host !== imdsHost) return Promise.reject(new Error(`test refuses a request to ${request.host}`));
    request.host = host;
    return realDoRequest(request);
  };
}

function frozenClock(): ManualClock {
  return new ManualClock(Math.floor(Date.now() / 1000) * 1000 - 1000);
}

function assertFlow(flow: FlowResult): void {
  assert.ok(flow.firstCallOk);
  assert.match(flow.first.accessKeyId, /^STS\./);
  assert.match(flow.first.expiration, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  assert.equal(flow.expiredCode, 'InvalidSecurityToken.Expired');
  assert.notEqual(flow.second.accessKeyId, flow.first.accessKeyId, 'the library fetched new credentials');
  assert.ok(flow.secondCallOk);
}

async function errorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected the call to fail');
}

describe('emulator: credential services with @alicloud/credentials 2.4.7', () => {
  describe('RPC V1 signature (credentials.md §2 R1)', () => {
    it('reproduces the string to sign and signature of the library', () => {
      const params: Array<[string, string]> = [
        ['Version', '2015-04-01'],
        ['Action', 'AssumeRole'],
        ['Format', 'JSON'],
        ['Timestamp', '2025-01-02T03:04:05Z'],
        ['SignatureMethod', 'HMAC-SHA1'],
        ['SignatureVersion', '1.0'],
        ['SignatureNonce', '3156853299f313e23d1673dc12e1703d'],
        ['AccessKeyId', 'testAccessKeyId'],
        ['Signature', 'coSZc5Iep13kEz1JFQh8dFmEFag='],
        ['RoleArn', 'acs:ram::1234567890123456:role/test-role'],
        ['Policy', '{"Statement":[{"Action":["*"],"Effect":"Allow","Resource":["*"]}],"Version":"1"}'],
        ['RoleSessionName', 'session-1'],
        ['DurationSeconds', '3600'],
      ];
      const stringToSign = rpcStringToSign('POST', params);
      assert.equal(
        stringToSign,
        'POST&%2F&AccessKeyId%3DtestAccessKeyId%26Action%3DAssumeRole%26DurationSeconds%3D3600%26Format%3DJSON%26Policy%3D%257B%2522Statement%2522%253A%255B%257B%2522Action%2522%253A%255B%2522%252A%2522%255D%252C%2522Effect%2522%253A%2522Allow%2522%252C%2522Resource%2522%253A%255B%2522%252A%2522%255D%257D%255D%252C%2522Version%2522%253A%25221%2522%257D%26RoleArn%3Dacs%253Aram%253A%253A1234567890123456%253Arole%252Ftest-role%26RoleSessionName%3Dsession-1%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3156853299f313e23d1673dc12e1703d%26SignatureVersion%3D1.0%26Timestamp%3D2025-01-02T03%253A04%253A05Z%26Version%3D2015-04-01',
      );
      assert.equal(rpcSign(stringToSign, 'testAccessKeySecret'), 'coSZc5Iep13kEz1JFQh8dFmEFag=');
    });
  });

  describe('over loopback', () => {
    let emulator: Emulator;
    let clock: ManualClock;
    const saved = { ...process.env };
    // What the library's HTTP layer was before each test: the extension's test-seam wrapper (credentialLibrary.ts)
    // may be installed by then, and later suites rely on it.
    let installed: DoRequest = realDoRequest;

    beforeEach(async () => {
      installed = libraryHttp.doRequest;
      clock = frozenClock();
      emulator = await startEmulator({ clock, instanceCredentialSeconds: 900 });
    });
    afterEach(async () => {
      libraryHttp.doRequest = installed;
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      await emulator.stop();
    });

    const flow = (credential: Credential): Promise<FlowResult> =>
      runCredentialFlow(
        emulator.endpoint,
        credential,
        async (ms) => clock.set(ms),
        async (accessKeyId) => expirationOfIssued(emulator, accessKeyId),
      );

    it('credentials URI provider: fetches, signs a DLC call, is refused at expiry, refreshes', async () => {
      const credentialsURI = `${emulator.endpoint}/api/v1/credentials/pai-tensorboard-user?DurationSeconds=900`;
      assertFlow(await flow(new Credential(new Config({ type: 'credentials_uri', credentialsURI }))));
      const uriRequests = emulator.requests.filter((request) => request.operation === 'GetUriCredentials');
      assert.ok(uriRequests.length >= 2);
      assert.deepEqual(uriRequests[0].query, { DurationSeconds: '900' });
      assert.ok(emulator.issuedCredentials().every((issued) => issued.source === 'uri' && issued.roleArn === roleArn));
    });

    it('ECS RAM role provider (IMDSv2 token, role name lookup): same flow', async () => {
      const credential = new Credential(new Config({ type: 'ecs_ram_role' }));
      const provider = (credential as unknown as { credential: { provider: { doRequest: DoRequest } } }).credential
        .provider;
      provider.doRequest = loopbackMetadata(emulator);
      assertFlow(await flow(credential));
      const operations = emulator.requests
        .filter((request) => request.operation !== 'ListTensorboards')
        .map((request) => request.operation);
      assert.deepEqual(operations.slice(0, 4), [
        'GetMetadataToken',
        'GetInstanceRoleName',
        'GetMetadataToken',
        'GetInstanceRoleCredentials',
      ]);
      assert.equal(emulator.requests[0].headers['x-aliyun-ecs-metadata-token-ttl-seconds'], '21600');
      assert.equal(emulator.requests[1].headers['x-aliyun-ecs-metadata-token'], '***');
      assert.ok(
        emulator
          .issuedCredentials()
          .every((issued) => issued.source === 'metadata' && issued.sessionName === 'i-emulator0000000000'),
      );
    });

    it('instance metadata in hardening-only mode refuses a request without a token', async () => {
      await emulator.stop();
      emulator = await startEmulator({ clock, metadataTokenRequired: true });
      const v1 = await fetch(`${emulator.endpoint}/latest/meta-data/ram/security-credentials/`);
      assert.equal(v1.status, 401);
      const token = await fetch(`${emulator.endpoint}/latest/api/token`, {
        method: 'PUT',
        headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': '60' },
      });
      const role = await fetch(`${emulator.endpoint}/latest/meta-data/ram/security-credentials/`, {
        headers: { 'x-aliyun-ecs-metadata-token': await token.text() },
      });
      assert.equal(await role.text(), 'pai-tensorboard-user');
      clock.advance(60_000);
      const expired = await fetch(`${emulator.endpoint}/latest/meta-data/ram/security-credentials/`, {
        headers: { 'x-aliyun-ecs-metadata-token': 'stale' },
      });
      assert.equal(expired.status, 401);
    });

    it('default chain via ALIBABA_CLOUD_CREDENTIALS_URI (no AK env, empty HOME, ECS metadata disabled)', async () => {
      const home = mkdtempSync(path.join(tmpdir(), 'pai-creds-home-'));
      try {
        for (const name of Object.keys(process.env)) if (name.startsWith('ALIBABA_CLOUD_')) delete process.env[name];
        process.env.HOME = home;
        process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
        process.env.ALIBABA_CLOUD_CREDENTIALS_URI = `${emulator.endpoint}/api/v1/credentials/0?DurationSeconds=900`;
        const credential = new Credential();
        assert.match((await credential.getCredential()).providerName ?? '', /credential_uri/);
        assertFlow(await flow(credential));
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });

    it('default chain reaching the instance metadata (the library http module redirected to loopback)', async () => {
      const home = mkdtempSync(path.join(tmpdir(), 'pai-creds-home-'));
      try {
        for (const name of Object.keys(process.env)) if (name.startsWith('ALIBABA_CLOUD_')) delete process.env[name];
        process.env.HOME = home;
        libraryHttp.doRequest = loopbackMetadata(emulator);
        const credential = new Credential();
        assert.match((await credential.getCredential()).providerName ?? '', /ecs_ram_role/);
        assertFlow(await flow(credential));
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });

    it('credentials URI errors: unknown role', async () => {
      const credentialsURI = `${emulator.endpoint}/api/v1/credentials/nobody`;
      const message = await errorOf(
        new Credential(new Config({ type: 'credentials_uri', credentialsURI })).getCredential(),
      );
      assert.match(message, /httpStatus: 404/);
    });
  });

  describe('STS AssumeRole', () => {
    let emulator: Emulator;
    let clock: ManualClock;

    before(async () => {
      clock = frozenClock();
      emulator = await startEmulator({ clock, https: true });
    });
    after(() => emulator.stop());

    it('RAM role ARN provider over https (child process trusting the test CA): flow, wrong secret, unknown role', async function () {
      this.timeout(30_000);
      const input = {
        endpoint: emulator.endpoint,
        stsEndpoint: emulator.stsEndpoint,
        ...emulator.credentials,
        roleArn,
        durationSeconds: 900,
      };
      const child = path.join(__dirname, 'stsChild.js');
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          [child],
          {
            env: { ...process.env, NODE_EXTRA_CA_CERTS: emulator.caCertPath, EMULATOR_STS_FLOW: JSON.stringify(input) },
            timeout: 25_000,
          },
          (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
        );
      });
      const result = JSON.parse(stdout) as {
        wrongSecret: string;
        unknownRole: string;
        tooLong: string;
        flow: FlowResult;
      };
      // The library recognises our SignatureDoesNotMatch message as its own string to sign.
      assert.equal(result.wrongSecret, 'the access key secret is invalid');
      assert.match(result.unknownRole, /^refresh session token failed: .*EntityNotExist\.Role/);
      assertFlow(result.flow);

      const sts = emulator.requests.filter((request) => request.operation === 'AssumeRole');
      assert.match(result.tooLong, /InvalidParameter\.DurationSeconds/);
      assert.deepEqual(
        sts.slice(0, 5).map((request) => [request.method, request.path, request.status, request.code]),
        [
          ['POST', '/', 400, 'SignatureDoesNotMatch'],
          ['POST', '/', 404, 'EntityNotExist.Role'],
          ['POST', '/', 400, 'InvalidParameter.DurationSeconds'],
          ['POST', '/', 200, undefined],
          ['POST', '/', 200, undefined],
        ],
      );
      assert.equal(sts[3].query.Signature, '***');
      assert.equal(sts[3].headers['x-acs-credentials-provider'], 'static_ak');
      assert.deepEqual(
        sts[3].body,
        'RoleArn=acs%3Aram%3A%3A1157703270994901%3Arole%2Fpai-tensorboard-user&RoleSessionName=emulator-test&DurationSeconds=900',
      );
      const issued = emulator.issuedCredentials();
      assert.ok(
        issued.length >= 2 && issued.every((entry) => entry.source === 'sts' && entry.sessionName === 'emulator-test'),
      );
      for (const entry of issued) assert.ok(emulator.secrets().includes(entry.securityToken));
    });

    describe('signed V3 by @alicloud/openapi-client (RPC style, over http)', () => {
      const params = new Params({
        action: 'AssumeRole',
        version: '2015-04-01',
        protocol: 'HTTP',
        pathname: '/',
        method: 'POST',
        authType: 'AK',
        style: 'RPC',
        reqBodyType: 'formData',
        bodyType: 'json',
      });
      const call = (
        credentials: { accessKeyId: string; accessKeySecret: string },
        query: Record<string, string>,
      ): Promise<unknown> =>
        new OpenApiClient(
          new OpenApiConfig({ ...credentials, endpoint: new URL(emulator.endpoint).host, protocol: 'http' }),
        ).callApi(params, new OpenApiRequest({ query }), new RuntimeOptions({ autoretry: false }));
      const codeOf = async (promise: Promise<unknown>): Promise<string> => {
        try {
          await promise;
        } catch (error) {
          return String((error as { code?: unknown }).code);
        }
        throw new Error('expected the call to fail');
      };

      it('hands out STS credentials, and answers the documented codes', async () => {
        const answer = (await call(emulator.credentials, { RoleArn: roleArn, RoleSessionName: 'v3-session' })) as {
          body: Record<string, Record<string, string>>;
        };
        assert.match(answer.body.Credentials.AccessKeyId, /^STS\./);
        assert.equal(Date.parse(answer.body.Credentials.Expiration), clock.now() + 3600_000);
        assert.equal(answer.body.AssumedRoleUser.Arn, 'acs:ram::1157703270994901:role/pai-tensorboard-user/v3-session');
        assert.equal(
          await codeOf(call(emulator.credentials, { RoleArn: roleArn, RoleSessionName: 's', DurationSeconds: '3600' })),
          'InvalidParameter.RoleSessionName',
        );
        assert.equal(
          await codeOf(
            call(emulator.credentials, { RoleArn: roleArn, RoleSessionName: 'ok-1', DurationSeconds: '899' }),
          ),
          'InvalidParameter.DurationSeconds',
        );
        assert.equal(await codeOf(call(emulator.credentials, { RoleSessionName: 'ok-1' })), 'MissingRoleArn');
        assert.equal(
          await codeOf(call(emulator.credentials, { RoleArn: 'acs:ram::999:role/x', RoleSessionName: 'ok-1' })),
          'EntityNotExist.Role',
        );
        assert.equal(
          await codeOf(
            call({ ...emulator.credentials, accessKeySecret: 'wrong' }, { RoleArn: roleArn, RoleSessionName: 'ok-1' }),
          ),
          'SignatureDoesNotMatch',
        );
        assert.equal(
          await codeOf(
            call({ accessKeyId: 'NOSUCHKEY', accessKeySecret: 'x' }, { RoleArn: roleArn, RoleSessionName: 'ok-1' }),
          ),
          'InvalidAccessKeyId.NotFound',
        );
      });
    });
  });
});
