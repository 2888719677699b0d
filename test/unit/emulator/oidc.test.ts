import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Credential, { Config } from '@alicloud/credentials';
import { ManualClock, startEmulator, type Emulator, type Seed } from '../../emulator';
import { defaultSeedPath } from '../../emulator/seed';
import { expirationOfIssued, runCredentialFlow } from './credentialsFlow';
import { popClient } from './helpers';

/**
 * STS AssumeRoleWithOIDC (credentials.md §4.2): anonymous, the OIDC token proves who calls. First with
 * @alicloud/credentials 2.4.7's own OIDC provider, exactly as it sends (switched from https to the emulator's plain
 * http listener, the one change), then the checks STS makes, request by request.
 *
 * Time: as in credentials.test.ts, the emulator clock is frozen 1 s behind real time; role sessions last 900 s.
 */

const ROLE_ARN = 'acs:ram::1157703270994901:role/pai-tensorboard-user';
const PROVIDER_ARN = 'acs:ram::1157703270994901:oidc-provider/ack-rrsa-emulator';

interface LibraryRequest {
  protocol: string;
  host: string;
}
type DoRequest = (request: LibraryRequest) => Promise<unknown>;
const libraryHttp = require('@alicloud/credentials/dist/src/providers/http') as { doRequest: DoRequest };

interface StsAnswer {
  status: number;
  text: string;
  json: Record<string, unknown>;
}

describe('emulator: STS AssumeRoleWithOIDC', () => {
  let emulator: Emulator;
  let clock: ManualClock;
  let folder: string;

  beforeEach(async () => {
    clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000 - 1000);
    emulator = await startEmulator({ clock });
    folder = mkdtempSync(path.join(tmpdir(), 'pai-oidc-'));
  });
  afterEach(async () => {
    rmSync(folder, { recursive: true, force: true });
    await emulator.stop();
  });

  function tokenFile(token: string): string {
    const file = path.join(folder, 'token');
    writeFileSync(file, token);
    return file;
  }

  /** The library's credential for the token file, its STS requests sent to the emulator over http. */
  function libraryCredential(file: string, extra: Record<string, unknown> = {}): Credential {
    const credential = new Credential(
      new Config({
        type: 'oidc_role_arn',
        roleArn: ROLE_ARN,
        oidcProviderArn: PROVIDER_ARN,
        oidcTokenFilePath: file,
        roleSessionName: 'pod-session',
        roleSessionExpiration: 900,
        stsEndpoint: new URL(emulator.endpoint).host,
        ...extra,
      }),
    );
    const provider = (credential as unknown as { credential: { provider: { doRequest: DoRequest } } }).credential
      .provider;
    provider.doRequest = (request) => {
      request.protocol = 'http';
      return libraryHttp.doRequest(request);
    };
    return credential;
  }

  /** A request shaped like the library's: common parameters in the query, the rest in an urlencoded body. */
  async function assume(params: Record<string, string | undefined>): Promise<StsAnswer> {
    const query = new URLSearchParams({
      Version: '2015-04-01',
      Action: 'AssumeRoleWithOIDC',
      Format: 'JSON',
      Timestamp: new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    const body = new URLSearchParams(
      Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const response = await fetch(`${emulator.endpoint}/?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const text = await response.text();
    return { status: response.status, text, json: JSON.parse(text) as Record<string, unknown> };
  }

  const valid = (token: string): Record<string, string> => ({
    OIDCProviderArn: PROVIDER_ARN,
    OIDCToken: token,
    RoleArn: ROLE_ARN,
    RoleSessionName: 'pod-session',
    DurationSeconds: '900',
  });

  /** An STS error: its code, status and message, in STS's JSON shape, never quoting the token. */
  function assertRefused(answer: StsAnswer, status: number, code: string, token?: string): string {
    assert.equal(answer.status, status, answer.text);
    assert.equal(answer.json.Code, code, answer.text);
    assert.equal(typeof answer.json.Message, 'string', 'the library needs a string Message');
    assert.equal(answer.json.HostId, 'sts.aliyuncs.com');
    assert.match(String(answer.json.RequestId), /^[0-9A-F-]{36}$/);
    if (token)
      assert.ok(
        !answer.text.includes(token) && !answer.text.includes(token.split('.')[2]!),
        'the token is quoted back',
      );
    return String(answer.json.Message);
  }

  it("the library's OIDC provider gets role credentials that sign PAI-DLC calls, and new ones after they expire", async () => {
    const { token } = emulator.issueOidcToken({ ttlMs: 2 * 3600_000 });
    const flow = await runCredentialFlow(
      emulator.endpoint,
      libraryCredential(tokenFile(token)),
      async (ms) => clock.set(ms),
      async (accessKeyId) => expirationOfIssued(emulator, accessKeyId),
    );
    assert.ok(flow.firstCallOk && flow.secondCallOk);
    assert.match(flow.first.accessKeyId, /^STS\./);
    assert.equal(flow.expiredCode, 'InvalidSecurityToken.Expired');
    assert.notEqual(flow.second.accessKeyId, flow.first.accessKeyId);

    const issued = emulator.issuedCredentials();
    assert.ok(issued.length >= 2);
    assert.ok(
      issued.every(
        (c) =>
          c.source === 'oidc' &&
          c.roleArn === ROLE_ARN &&
          c.sessionName === 'pod-session' &&
          c.expiresAt - c.issuedAt === 900_000,
      ),
    );
    // PAI-DLC saw the keys STS handed out, and nothing else.
    const dlcKeys = emulator.requests
      .filter((r) => r.operation === 'ListTensorboards' && r.status === 200)
      .map((r) => r.accessKeyId);
    assert.deepEqual(dlcKeys, [flow.first.accessKeyId, flow.second.accessKeyId]);

    const sts = emulator.requests.filter((r) => r.operation === 'AssumeRoleWithOIDC');
    assert.ok(sts.length >= 2 && sts.every((r) => r.status === 200 && r.method === 'POST' && r.path === '/'));
    const first = sts[0]!;
    assert.deepEqual(
      Object.keys(first.query),
      ['Version', 'Action', 'Format', 'Timestamp'],
      'anonymous: no AccessKeyId, no signature',
    );
    assert.equal(first.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(
      first.body,
      `OIDCProviderArn=${encodeURIComponent(PROVIDER_ARN)}&OIDCToken=***&RoleArn=${encodeURIComponent(ROLE_ARN)}&RoleSessionName=pod-session&DurationSeconds=900`,
    );
    assert.ok(emulator.secrets().includes(token), 'the token is a secret the leak searches look for');
  });

  it('answers what the real one does: the session, the role user and what the token said', async () => {
    const { token, expiresAt } = emulator.issueOidcToken({ subject: 'system:serviceaccount:ml:trainer' });
    const answer = await assume(valid(token));
    assert.equal(answer.status, 200, answer.text);
    const credentials = answer.json.Credentials as Record<string, string>;
    assert.match(credentials.AccessKeyId!, /^STS\./);
    assert.equal(credentials.Expiration, new Date(clock.now() + 900_000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    assert.equal((answer.json.AssumedRoleUser as Record<string, string>).Arn, `${ROLE_ARN}/pod-session`);
    assert.deepEqual(answer.json.OIDCTokenInfo, {
      Subject: 'system:serviceaccount:ml:trainer',
      Issuer: 'https://oidc-ack-cn-hangzhou.oss-cn-hangzhou.aliyuncs.com/c0emulator0000000000000000000000',
      ClientIds: 'sts.aliyuncs.com',
      ExpirationTime: new Date(Math.floor(expiresAt / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      IssuanceTime: new Date(Math.floor(clock.now() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      VerificationInfo: 'Success',
    });
    // The session is the role's: it may list the boards of the user the role acts as.
    await popClient(emulator, {
      accessKeyId: credentials.AccessKeyId!,
      accessKeySecret: credentials.AccessKeySecret!,
      securityToken: credentials.SecurityToken,
    }).request('GET', '/api/v1/tensorboards', { PageSize: 1 });
  });

  it('refuses a token whose time is up, from its exp on, by the emulator clock', async () => {
    const { token } = emulator.issueOidcToken({ ttlMs: 60_000 });
    clock.advance(59_000);
    assert.equal((await assume(valid(token))).status, 200);
    clock.advance(1_000);
    const message = assertRefused(await assume(valid(token)), 400, 'AuthenticationFail.OIDCToken.Expired', token);
    assert.equal(message, 'This JsonWebToken is expired.');
  });

  it('refuses what is not a token it can verify: not a JWT, a changed claim, another signer', async () => {
    assertRefused(await assume(valid('not-a-jwt')), 400, 'AuthenticationFail.OIDCToken.Invalid');
    assertRefused(await assume(valid('a.b.c')), 400, 'AuthenticationFail.OIDCToken.Invalid');

    const { token } = emulator.issueOidcToken();
    const [head, body, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:kube-system:admin' })).toString(
      'base64url',
    );
    const message = assertRefused(
      await assume(valid(`${head}.${forged}.${signature}`)),
      400,
      'AuthenticationFail.OIDCToken.Invalid',
      token,
    );
    assert.match(message, /signature/);

    const other = await startEmulator({ clock });
    try {
      const foreign = other.issueOidcToken().token;
      assertRefused(await assume(valid(foreign)), 400, 'AuthenticationFail.OIDCToken.Invalid', foreign);
    } finally {
      await other.stop();
    }
  });

  it("refuses a token of another issuer or for another audience than the provider's", async () => {
    const wrongIssuer = emulator.issueOidcToken({ issuer: 'https://kubernetes.default.svc' }).token;
    assertRefused(await assume(valid(wrongIssuer)), 400, 'AuthenticationFail.OIDCToken.IssuerNotMatch', wrongIssuer);
    const wrongAudience = emulator.issueOidcToken({ audience: 'https://kubernetes.default.svc' }).token;
    const message = assertRefused(
      await assume(valid(wrongAudience)),
      400,
      'AuthenticationFail.OIDCToken.AudienceNotMatch',
      wrongAudience,
    );
    assert.equal(message, 'Invalid audience.');
  });

  it('knows its providers and roles, and which roles trust which provider', async () => {
    const { token } = emulator.issueOidcToken();
    assertRefused(
      await assume({ ...valid(token), OIDCProviderArn: 'acs:ram::1157703270994901:oidc-provider/nobody' }),
      403,
      'AuthenticationFail.NoPermission',
      token,
    );
    assertRefused(
      await assume({ ...valid(token), OIDCProviderArn: 'ack-rrsa-emulator' }),
      400,
      'InvalidParameter.OIDCProviderArn',
      token,
    );
    assertRefused(
      await assume({ ...valid(token), RoleArn: 'acs:ram::1157703270994901:role/nobody' }),
      404,
      'EntityNotExist.Role',
      token,
    );
    assertRefused(
      await assume({ ...valid(token), RoleArn: 'pai-tensorboard-user' }),
      400,
      'InvalidParameter.RoleArn',
      token,
    );

    // A role of another account does not trust this account's provider.
    const seed = JSON.parse(readFileSync(defaultSeedPath(), 'utf8')) as Seed;
    seed.accounts.push({
      accountId: '1999999999999999',
      users: [{ userId: '1999999999999999', username: 'other' }],
      roles: [{ roleName: 'theirs' }],
    });
    emulator.reset(seed);
    const message = assertRefused(
      await assume({ ...valid(token), RoleArn: 'acs:ram::1999999999999999:role/theirs' }),
      403,
      'AuthenticationFail.NoPermission',
      token,
    );
    assert.equal(message, 'There is no permission');
  });

  it("names a missing parameter and a session outside the role's limits", async () => {
    const { token } = emulator.issueOidcToken();
    for (const name of ['OIDCToken', 'OIDCProviderArn', 'RoleArn', 'RoleSessionName']) {
      const answer = await assume({ ...valid(token), [name]: undefined });
      assert.equal(assertRefused(answer, 400, `Missing${name}`, token), `${name} is mandatory for this action.`);
    }
    assertRefused(
      await assume({ ...valid(token), DurationSeconds: '7200' }),
      400,
      'InvalidParameter.DurationSeconds',
      token,
    );
    assertRefused(
      await assume({ ...valid(token), RoleSessionName: 'x' }),
      400,
      'InvalidParameter.RoleSessionName',
      token,
    );
    assert.equal(emulator.issuedCredentials().length, 0);
  });

  it('keeps the token out of what it records, also when it comes in the query', async () => {
    const { token } = emulator.issueOidcToken();
    const query = new URLSearchParams({
      Version: '2015-04-01',
      Action: 'AssumeRoleWithOIDC',
      Format: 'JSON',
      ...valid(token),
    });
    assert.equal((await fetch(`${emulator.endpoint}/?${query}`)).status, 200);
    await assume(valid(token));
    const recorded = JSON.stringify(emulator.requests);
    assert.equal(emulator.requests.filter((r) => r.operation === 'AssumeRoleWithOIDC').length, 2);
    assert.ok(!recorded.includes(token.split('.')[2]!), recorded);
    assert.equal(emulator.requests[0]!.query.OIDCToken, '***');
  });

  it("the library's message for a refused token quotes STS's answer, which holds no token", async () => {
    const { token } = emulator.issueOidcToken({ ttlMs: -1000 });
    let message = '';
    try {
      await libraryCredential(tokenFile(token)).getCredential();
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    assert.match(message, /^get sts token failed with OIDC: \{.*"Code":"AuthenticationFail\.OIDCToken\.Expired"/);
    assert.ok(!message.includes(token.split('.')[2]!));
  });
});
