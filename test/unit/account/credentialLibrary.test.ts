import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DlcClient, type CredentialsProvider } from '../../../src/api';
import {
  CredentialSourceError,
  probeInstanceRole,
  providerFor,
  readCliProfiles,
  readIniProfiles,
  testTarget,
  useTestSeams,
} from '../../../src/account/credentialLibrary';
import type { CredentialSource } from '../../../src/account/credentialSource';
import {
  MOUNTS_FILE_VARIABLE,
  noTestSeams,
  TEST_METADATA_VARIABLE,
  TEST_STS_VARIABLE,
  testSeams,
} from '../../../src/base/testSeams';
import { ManualClock, startEmulator, type Emulator } from '../../emulator';
import { defaultSeedPath, type Seed } from '../../emulator/seed';
import { rejection } from '../api/rejection';
import { closedPort } from '../../shared/ports';

/**
 * The sources through @alicloud/credentials 2.4.7 against the emulator's DLC gateway, instance metadata and
 * credentials URI (STS needs https and a trusted CA at process start: the integration suite covers RamRoleArn).
 *
 * Time: the library judges staleness by Date.now(); the emulator's clock is frozen 1 s behind real time and
 * credentials last 900 s, so the library fetches new ones for every request, and moving the emulator's clock to
 * their Expiration makes the gateway refuse the old ones.
 */
const ROLE_ARN = 'acs:ram::1157703270994901:role/pai-tensorboard-user';

describe('core/credentialLibrary against the emulator', function () {
  this.timeout(10_000);
  let emu: Emulator;
  let clock: ManualClock;
  let home: string;
  const saved = { ...process.env };

  beforeEach(async () => {
    clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000 - 1000);
    emu = await startEmulator({ clock, instanceCredentialSeconds: 900 });
    home = mkdtempSync(path.join(tmpdir(), 'pai-cred-home-'));
    for (const name of Object.keys(process.env)) if (name.startsWith('ALIBABA_CLOUD_')) delete process.env[name];
    process.env.HOME = home;
    // Never 100.100.100.200: every instance-metadata request of these tests goes to the emulator, as in the
    // extension's test mode.
    process.env[TEST_METADATA_VARIABLE] = emu.endpoint;
    useTestSeams(testSeams(true, process.env));
  });
  afterEach(async () => {
    useTestSeams(noTestSeams);
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    rmSync(home, { recursive: true, force: true });
    await emu.stop();
  });

  const client = (credentials: CredentialsProvider) =>
    new DlcClient({ endpoint: emu.endpoint, credentials, sleep: async () => {} });
  const list = (source: CredentialSource) => client(providerFor(source)).listTensorboards({ pageSize: 1 });

  function writeHomeFile(relative: string, contents: string): string {
    const file = path.join(home, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, contents);
    return file;
  }

  function cliConfig(profiles: object[], current = 'default'): void {
    writeHomeFile('.aliyun/config.json', JSON.stringify({ current, profiles }));
  }

  async function failure(source: CredentialSource): Promise<CredentialSourceError> {
    try {
      await providerFor(source).getCredentials();
    } catch (error) {
      assert.ok(error instanceof CredentialSourceError, String(error));
      return error;
    }
    assert.fail('expected the source to fail');
  }

  it('an aliyun CLI profile chosen by name, not the current one', async () => {
    cliConfig([
      { name: 'default', mode: 'AK', access_key_id: 'NOPE', access_key_secret: 'x' },
      {
        name: 'work',
        mode: 'AK',
        access_key_id: emu.credentials.accessKeyId,
        access_key_secret: emu.credentials.accessKeySecret,
        region_id: 'cn-hangzhou',
      },
    ]);
    await list({ kind: 'cliProfile', profile: 'work' });
    assert.deepEqual(
      (await readCliProfiles(Date.now()))?.map((p) => [p.name, p.regionId, p.current]),
      [
        ['default', undefined, true],
        ['work', 'cn-hangzhou', false],
      ],
    );
  });

  it('a section of the INI credentials file, also at ALIBABA_CLOUD_CREDENTIALS_FILE', async () => {
    const ini = `[default]\ntype = access_key\naccess_key_id = NOPE\naccess_key_secret = x\n\n[work]\ntype = access_key\naccess_key_id = ${emu.credentials.accessKeyId}\naccess_key_secret = ${emu.credentials.accessKeySecret}\n`;
    writeHomeFile('.alibabacloud/credentials', ini);
    await list({ kind: 'iniProfile', profile: 'work' });
    assert.deepEqual(
      (await readIniProfiles())?.map((p) => p.name),
      ['default', 'work'],
    );
    process.env.ALIBABA_CLOUD_CREDENTIALS_FILE = writeHomeFile('elsewhere.ini', ini.replace('[work]', '[moved]'));
    await list({ kind: 'iniProfile', profile: 'moved' });
    assert.equal(await readIniProfiles(path.join(home, 'none')), undefined);
  });

  it('the environment, and the default chain: the environment first, before the instance role that answers too', async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = emu.credentials.accessKeyId;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = emu.credentials.accessKeySecret;
    await list({ kind: 'environment' });
    await list({ kind: 'defaultChain' });
    assert.equal(
      (await providerFor({ kind: 'defaultChain' }).getCredentials()).accessKeyId,
      emu.credentials.accessKeyId,
    );
    assert.deepEqual(
      emu.requests.map((r) => r.operation),
      ['ListTensorboards', 'ListTensorboards'],
      'the chain asked the metadata service',
    );
    // Without the environment the same chain goes on to the instance role: it was there to be taken.
    delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
    delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
    await list({ kind: 'defaultChain' });
    assert.equal(emu.issuedCredentials().at(-1)?.source, 'metadata');
  });

  it('the credentials URI: the next request after the token expired on the emulator clock goes out with a new one', async () => {
    process.env.ALIBABA_CLOUD_CREDENTIALS_URI = `${emu.endpoint}/api/v1/credentials/pai-tensorboard-user?DurationSeconds=900`;
    const signed = client(providerFor({ kind: 'credentialsUri' }));
    await signed.listTensorboards({ pageSize: 1 });
    const first = emu.issuedCredentials().at(-1)!;
    assert.deepEqual([first.source, first.roleArn], ['uri', ROLE_ARN]);
    clock.set(first.expiresAt);
    const expired = await rejection(client({ getCredentials: async () => first }).listTensorboards({ pageSize: 1 }));
    assert.equal(expired.code, 'InvalidSecurityToken.Expired');
    await signed.listTensorboards({ pageSize: 1 });
    const second = emu.issuedCredentials().at(-1)!;
    assert.notEqual(second.accessKeyId, first.accessKeyId);
    assert.ok(second.issuedAt >= first.expiresAt);
  });

  it('the instance role, through the emulator standing in for the metadata service', async () => {
    await list({ kind: 'instanceRole' });
    assert.deepEqual(
      emu.requests.filter((r) => r.operation !== 'ListTensorboards').map((r) => r.operation),
      ['GetMetadataToken', 'GetInstanceRoleName', 'GetMetadataToken', 'GetInstanceRoleCredentials'],
    );
    assert.equal(emu.issuedCredentials().at(-1)?.source, 'metadata');
  });

  describe('probeInstanceRole', () => {
    it('says yes where the metadata service answers', async () => {
      // A generous time-out: this is about the answer; the time-out itself is the next test's.
      assert.equal(await probeInstanceRole(10_000), true);
    });

    it('says no within its time-out where nothing answers, and when the instance role is turned off', async () => {
      process.env[TEST_METADATA_VARIABLE] = `http://127.0.0.1:${await closedPort()}`;
      const started = Date.now();
      assert.equal(await probeInstanceRole(600), false);
      assert.ok(Date.now() - started < 1500, `${Date.now() - started} ms`);
      process.env[TEST_METADATA_VARIABLE] = emu.endpoint;
      process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
      assert.equal(await probeInstanceRole(600), false);
      assert.equal(emu.requests.length, 0);
    });

    it('sends nothing when the test variable is not a loopback origin', async () => {
      process.env[TEST_METADATA_VARIABLE] = 'http://10.1.2.3';
      assert.equal(await probeInstanceRole(600), false);
      const error = await failure({ kind: 'instanceRole' });
      assert.match(error.message, /must be http:\/\/127\.0\.0\.1:<port>; no instance metadata request was sent/);
    });
  });

  describe('test seams: honoured in test mode only', () => {
    const env = {
      [TEST_METADATA_VARIABLE]: 'http://127.0.0.1:4567',
      [TEST_STS_VARIABLE]: '127.0.0.1:4568',
      [MOUNTS_FILE_VARIABLE]: '/tmp/planted-mounts',
    };

    it('a production window ignores every test variable, whatever it says', () => {
      const production = testSeams(false, env);
      assert.deepEqual(
        [production.metadataOrigin(), production.stsHost(), production.mountsFile()],
        [undefined, undefined, undefined],
      );
      for (const host of [
        '100.100.100.200',
        'sts.aliyuncs.com',
        'sts.cn-hangzhou.aliyuncs.com',
        'sts-vpc.cn-hangzhou.aliyuncs.com',
      ]) {
        assert.equal(testTarget(host, production), undefined, host);
      }
    });

    it('the test mode sends the metadata service and STS, and only those, to loopback', () => {
      const test = testSeams(true, env);
      assert.equal(test.mountsFile(), '/tmp/planted-mounts');
      assert.equal(testTarget('100.100.100.200', test), '127.0.0.1:4567');
      assert.equal(testTarget('sts.aliyuncs.com', test), '127.0.0.1:4568');
      assert.equal(testTarget('sts-vpc.cn-shanghai.aliyuncs.com', test), '127.0.0.1:4568');
      for (const host of ['pai-dlc.cn-hangzhou.aliyuncs.com', 'sts.aliyuncs.com.evil.example', '127.0.0.1:9'])
        assert.equal(testTarget(host, test), undefined, host);
      const remote = testSeams(true, {
        [TEST_STS_VARIABLE]: '10.0.0.1:443',
        [TEST_METADATA_VARIABLE]: 'https://127.0.0.1:1',
      });
      assert.match(
        String(testTarget('sts.aliyuncs.com', remote)),
        /PAI_TENSORBOARD_TEST_STS must be 127\.0\.0\.1:<port>/,
      );
      assert.match(
        String(testTarget('100.100.100.200', remote)),
        /PAI_TENSORBOARD_TEST_IMDS must be http:\/\/127\.0\.0\.1:<port>/,
      );
    });

    it('with the production configuration, the instance-role probe never reaches the stand-in', async () => {
      // As app.ts configures a window that is not the test runner's, with the stand-in's address set.
      useTestSeams(testSeams(false, process.env));
      // Whatever the real address answers here, the stand-in must hear nothing.
      await probeInstanceRole(300);
      assert.deepEqual(
        emu.requests.map((r) => r.operation),
        [],
        'the emulator standing in for 100.100.100.200 was asked',
      );
      useTestSeams(testSeams(true, process.env));
      assert.equal(await probeInstanceRole(10_000), true);
      assert.ok(emu.requests.some((r) => r.operation === 'GetInstanceRoleCredentials'));
    });
  });

  describe('failures say why, and quote nothing secret', () => {
    it('a config.json that is not JSON', async () => {
      writeHomeFile('.aliyun/config.json', '{"profiles": [{"name": "x", "access_key_secret": "half-written-secret"');
      const error = await failure({ kind: 'cliProfile', profile: 'x' });
      assert.match(
        error.message,
        /parse aliyun cli config from '.*config\.json' failed \(what it quoted is not shown\)/,
      );
      assert.ok(!error.message.includes('half-written-secret'));
    });

    it('a profile that is not there, and no file at all', async () => {
      cliConfig([{ name: 'default', mode: 'AK', access_key_id: 'a', access_key_secret: 'b' }]);
      assert.match(
        (await failure({ kind: 'cliProfile', profile: 'gone' })).message,
        /unable to get profile with 'gone'/,
      );
      rmSync(path.join(home, '.aliyun'), { recursive: true });
      assert.match(
        (await failure({ kind: 'cliProfile', profile: 'gone' })).message,
        /reading aliyun cli config from '.*' failed/,
      );
      assert.equal(await readCliProfiles(Date.now()), undefined);
    });

    it('a CloudSSO profile whose sign-in has run out', async () => {
      cliConfig(
        [
          {
            name: 'sso',
            mode: 'CloudSSO',
            cloud_sso_sign_in_url: 'https://signin.example.com',
            access_token: 'old',
            cloud_sso_access_token_expire: 1,
          },
        ],
        'sso',
      );
      assert.deepEqual((await failure({ kind: 'cliProfile', profile: 'sso' })).failure, { kind: 'signInExpired' });
      assert.deepEqual((await readCliProfiles(Date.now()))?.[0]?.problem, {
        kind: 'signInExpired',
        method: 'CloudSSO',
      });
    });

    it('a role the credentials URI does not know', async () => {
      process.env.ALIBABA_CLOUD_CREDENTIALS_URI = `${emu.endpoint}/api/v1/credentials/nobody`;
      assert.match((await failure({ kind: 'credentialsUri' })).message, /^get sts token failed, httpStatus: 404/);
    });

    it('a revoked role: the service refuses the last session, and a new provider says why', async () => {
      process.env.ALIBABA_CLOUD_CREDENTIALS_URI = `${emu.endpoint}/api/v1/credentials/pai-tensorboard-user?DurationSeconds=900`;
      const provider = providerFor({ kind: 'credentialsUri' });
      await client(provider).listTensorboards({ pageSize: 1 });
      const seed = JSON.parse(readFileSync(defaultSeedPath(), 'utf8')) as Seed;
      for (const account of seed.accounts) account.roles = [];
      emu.reset(seed);
      // The library keeps its last session when a refresh fails; the emulator no longer knows that one.
      const refused = await rejection(client(provider).listTensorboards({ pageSize: 1 }));
      assert.equal(refused.nextStep, 'signIn');
      const fresh = await rejection(client(providerFor({ kind: 'credentialsUri' })).listTensorboards({ pageSize: 1 }));
      assert.equal(fresh.code, 'CredentialsUnavailable');
      assert.match(fresh.message, /get sts token failed, httpStatus: 404/);
    });
  });
});
