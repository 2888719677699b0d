import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import type { IssuedCredentials } from '../emulator/types';
import { demoKey, emulator, eventually, extensionServices, resetEmulator, Ui } from './support';

const ENV_CHOICE = /environment variables/;
const TYPED_CHOICE = /Enter an AccessKey pair/;
const ROLE_ARN = 'acs:ram::1157703270994901:role/pai-tensorboard-user';
const FREE_JOB = 'dlc9s5e3m7h1q2x6'; // llm-pretrain-7b, no board yet

/** The run's HOME is its own folder: the aliyun CLI file is written where @alicloud/credentials reads it. */
const CLI_CONFIG = path.join(homedir(), '.aliyun', 'config.json');

function writeCliConfig(config: unknown): void {
  mkdirSync(path.dirname(CLI_CONFIG), { recursive: true });
  writeFileSync(CLI_CONFIG, typeof config === 'string' ? config : JSON.stringify(config));
}

/** The list line of a profile: its icon, then exactly its name. */
function profileLine(name: string): RegExp {
  return new RegExp(`^\\$\\([\\w-]+\\) ${name}$`);
}

async function issued(source: IssuedCredentials['source']): Promise<IssuedCredentials[]> {
  return (await emulator().issuedCredentials()).filter((c) => c.source === source);
}

describe('sign in and out', () => {
  let services: Services;
  let ui: Ui;

  before(async () => {
    services = await extensionServices();
  });
  beforeEach(async () => {
    await resetEmulator();
    await services.connection.store.clear();
    ui = new Ui();
  });
  afterEach(async () => {
    ui.restore();
    rmSync(CLI_CONFIG, { force: true });
    delete process.env.ALIBABA_CLOUD_CREDENTIALS_URI;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  // The LogOutputChannel writes <user data>/logs/<session>/exthost*/<extension id>/PAI TensorBoard.log.
  function readLog(): string {
    const logsRoot = path.resolve(services.context.logUri.fsPath, '..', '..');
    const files = readdirSync(logsRoot, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('PAI TensorBoard.log'),
    );
    assert.equal(files.length, 1, `log files under ${logsRoot}: ${files.join(', ')}`);
    return readFileSync(path.join(logsRoot, files[0]!), 'utf8');
  }

  async function signIn(): Promise<boolean> {
    return (await vscode.commands.executeCommand<boolean>('paiTensorboard.signIn')) === true;
  }

  it('signs in from the environment after one cheap check, and remembers only the choice', async () => {
    ui.pick(ENV_CHOICE);
    assert.equal(await signIn(), true);
    const stored = await services.connection.store.get();
    assert.deepEqual(stored, { source: { kind: 'environment' } });
    assert.match(ui.last('info')?.text ?? '', /Signed in to Alibaba Cloud with the environment variables/);
    const checks = (await emulator().requests()).filter((r) => r.operation === 'ListTensorboards');
    assert.equal(checks.length, 1);
    assert.equal(checks[0]!.query.PageSize, '1');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('paiTensorboard'));
    assert.ok(!settings.includes(demoKey().accessKeySecret), 'the secret is in the settings');
    await eventually(
      () => services.account.shown.text,
      (text) => text.includes('PAI env'),
      'the account item',
    );
    assert.match(services.account.shown.text, /PAI env · cn-hangzhou/);
    assert.match(
      services.account.shown.tooltip,
      /with the environment variables in cn-hangzhou \(chosen in the settings\)/,
    );
  });

  it('logs every API call with its operation, duration and RequestId, and an error code when it fails', async () => {
    ui.pick(ENV_CHOICE);
    assert.equal(await signIn(), true);
    ui.pick(TYPED_CHOICE).type(demoKey().accessKeyId, 'wrong-secret-for-the-log', '');
    assert.equal(await signIn(), false);
    // The channel writes its file asynchronously: wait for the last line, not for a guessed time.
    const log = await eventually(
      readLog,
      (text) => text.includes('SignatureDoesNotMatch'),
      'the refused call in the log',
    );
    assert.match(log, /\[info\] ListTensorboards · \d+ ms · RequestId [0-9A-F-]{36} · HTTP 200/);
    assert.match(
      log,
      /\[warning\] ListTensorboards · \d+ ms · RequestId [0-9A-F-]{36} · HTTP 400 · code SignatureDoesNotMatch/,
    );
    assert.ok(!log.includes('wrong-secret-for-the-log') && !log.includes(demoKey().accessKeySecret));
  });

  it('signs in with a typed key pair, kept in SecretStorage', async () => {
    ui.pick(TYPED_CHOICE).type(demoKey().accessKeyId, demoKey().accessKeySecret, '');
    assert.equal(await signIn(), true);
    const stored = await services.connection.store.get();
    assert.equal(stored?.source.kind, 'typed');
    assert.equal(stored?.keys?.accessKeyId, demoKey().accessKeyId);
    assert.deepEqual(ui.inputPrompts.length, 3);
    assert.match(ui.last('info')?.text ?? '', /Signed in .* AccessKey EMULAT…/);
  });

  it('refuses a wrong secret, says so, and keeps nothing', async () => {
    ui.pick(TYPED_CHOICE).type(demoKey().accessKeyId, 'not-the-secret-123', '');
    assert.equal(await signIn(), false);
    const error = ui.last('error');
    assert.match(error?.text ?? '', /secret/i);
    assert.ok(!error?.text.includes('not-the-secret-123'), 'the typed secret is shown');
    assert.deepEqual(error?.buttons, ['Sign In', 'Show Logs']);
    assert.equal(await services.connection.store.get(), undefined);
  });

  it('after a wrong secret, Sign In asks for the pair again with the AccessKey ID as typed, not from the start', async () => {
    ui.pick(TYPED_CHOICE)
      .type(demoKey().accessKeyId, 'not-the-secret-123', '')
      .press('Sign In')
      .type(demoKey().accessKeyId, demoKey().accessKeySecret, '');
    assert.equal(await signIn(), true);
    assert.match(ui.messages.find((m) => m.severity === 'error')?.text ?? '', /secret does not match/);
    assert.equal(ui.quickPickTitles.length, 1, `went back to the source list: ${JSON.stringify(ui.quickPickTitles)}`);
    assert.deepEqual(ui.inputPrompts.slice(3, 5), ['AccessKey ID', 'AccessKey secret']);
    assert.deepEqual(ui.inputValues.slice(3, 5), [demoKey().accessKeyId, undefined]);
    assert.equal((await services.connection.store.get())?.keys?.accessKeyId, demoKey().accessKeyId);
  });

  it("shows its own sentence with code and RequestId on a wrong secret, and the gateway's string to sign only in the log, redacted", async () => {
    // With an STS token the gateway's string to sign quotes the x-acs-security-token header.
    const sts = await emulator().issueStsCredentials(3_600_000);
    ui.pick(TYPED_CHOICE).type(sts.accessKeyId, 'not-the-sts-secret-456', sts.securityToken);
    assert.equal(await signIn(), false);
    const error = ui.last('error')?.text ?? '';
    assert.match(error, /secret does not match/);
    assert.match(error, /\(SignatureDoesNotMatch, RequestId [0-9A-F-]{36}\)/);
    assert.doesNotMatch(error, /string ?to ?sign|x-acs-|nonce/i);
    const log = await eventually(
      readLog,
      (text) => /Sign-in failed: \[SignatureDoesNotMatch\]/.test(text),
      'the failed sign-in in the log',
    );
    // The gateway's message spans lines (its string to sign has one per header).
    const entry = log.slice(log.search(/Sign-in failed: \[SignatureDoesNotMatch\]/));
    assert.match(entry, /server string to sign is:[\s\S]*x-acs-security-token:\*\*\*/);
    assert.ok(
      !log.includes(sts.securityToken) && !log.includes(sts.accessKeySecret) && !log.includes('not-the-sts-secret-456'),
    );
  });

  it('names an unknown AccessKey ID', async () => {
    ui.pick(TYPED_CHOICE).type('NOSUCHKEYID000', 'whatever-secret', '');
    assert.equal(await signIn(), false);
    assert.match(ui.last('error')?.text ?? '', /AccessKey ID/i);
    assert.equal(await services.connection.store.get(), undefined);
  });

  it('names an expired STS token', async () => {
    const sts = await emulator().issueStsCredentials(60_000);
    await emulator().advanceClock(120_000);
    ui.pick(TYPED_CHOICE).type(sts.accessKeyId, sts.accessKeySecret, sts.securityToken);
    assert.equal(await signIn(), false);
    const error = ui.last('error')?.text ?? '';
    assert.match(error, /STS|token/i);
    assert.match(error, /expired/i);
    assert.ok(!error.includes(sts.securityToken) && !error.includes(sts.accessKeySecret));
    assert.equal(await services.connection.store.get(), undefined);
  });

  it('signs in with a fresh STS token and sends it with every call', async () => {
    const sts = await emulator().issueStsCredentials(3_600_000);
    ui.pick(TYPED_CHOICE).type(sts.accessKeyId, sts.accessKeySecret, sts.securityToken);
    assert.equal(await signIn(), true);
    assert.equal((await services.connection.store.get())?.keys?.securityToken, sts.securityToken);
    await services.connection.client().listTensorboards({ workspaceId: services.connection.workspaceId });
    // The emulator records the token redacted; it answers 200 only for the token it issued.
    const calls = (await emulator().requests()).filter((r) => r.operation === 'ListTensorboards');
    assert.ok(calls.length >= 2, `${calls.length} calls`);
    assert.deepEqual(
      calls.filter((r) => r.status !== 200 || r.headers['x-acs-security-token'] !== '***'),
      [],
    );
  });

  it("names a clock more than 15 minutes off the service's", async () => {
    await emulator().advanceClock(20 * 60_000);
    ui.pick(ENV_CHOICE);
    assert.equal(await signIn(), false);
    assert.match(ui.last('error')?.text ?? '', /clock/i);
  });

  it('says "not signed in" with its own code when signed out', async () => {
    await assert.rejects(
      services.connection.client().listTensorboards(),
      (error: { code?: string; nextStep?: string }) => {
        assert.equal(error.code, 'NotSignedIn');
        assert.equal(error.nextStep, 'signIn');
        return true;
      },
    );
  });

  describe('from the aliyun CLI configuration', () => {
    /** A RamRoleArn profile whose role is assumed through the emulator's STS (https, trusted through NODE_EXTRA_CA_CERTS). */
    async function roleProfile(extra: Record<string, unknown> = {}): Promise<void> {
      const { stsEndpoint } = await emulator().state();
      assert.ok(stsEndpoint, 'the emulator runs without its https listener');
      writeCliConfig({
        current: 'work',
        profiles: [
          {
            name: 'work',
            mode: 'AK',
            access_key_id: demoKey().accessKeyId,
            access_key_secret: demoKey().accessKeySecret,
            region_id: 'cn-hangzhou',
          },
          {
            name: 'role',
            mode: 'RamRoleArn',
            access_key_id: demoKey().accessKeyId,
            access_key_secret: demoKey().accessKeySecret,
            ram_role_arn: ROLE_ARN,
            ram_session_name: 'vscode-test',
            expired_seconds: 900,
            sts_endpoint: stsEndpoint,
            region_id: 'cn-hangzhou',
            ...extra,
          },
          {
            name: 'sso',
            mode: 'CloudSSO',
            cloud_sso_sign_in_url: 'https://signin.example.com',
            access_token: 'expired-sso-token',
            cloud_sso_access_token_expire: 1,
            region_id: 'cn-beijing',
          },
          { name: 'uri', mode: 'CredentialsURI', credentials_uri: 'http://127.0.0.1:1/', region_id: 'cn-beijing' },
        ],
      });
    }

    it('lists every profile with its mode and region, and signs in from an AK one remembering only its name', async () => {
      await roleProfile();
      let items: readonly vscode.QuickPickItem[] = [];
      ui.dismissPick((seen) => (items = seen));
      assert.equal(await signIn(), false);
      const profile = (name: string) => items.find((i) => profileLine(name).test(i.label));
      assert.equal(profile('work')?.description, 'AK · cn-hangzhou · current');
      assert.equal(profile('role')?.description, 'RamRoleArn · cn-hangzhou');
      assert.match(profile('sso')?.label ?? '', /circle-slash/);
      assert.match(profile('uri')?.detail ?? '', /does not support the mode "CredentialsURI"/);

      ui.pick(profileLine('work'));
      assert.equal(await signIn(), true);
      assert.deepEqual(await services.connection.store.get(), { source: { kind: 'cliProfile', profile: 'work' } });
      assert.match(ui.last('info')?.text ?? '', /with the aliyun CLI profile "work"/);
    });

    it('says a CloudSSO sign-in that has run out needs `aliyun configure` again', async () => {
      await roleProfile();
      ui.pick(profileLine('sso'));
      assert.equal(await signIn(), false);
      assert.match(
        ui.last('error')?.text ?? '',
        /CloudSSO sign-in of this profile has expired: run `aliyun configure --profile sso` again/,
      );
      assert.equal(await services.connection.store.get(), undefined);
    });

    it('says a broken file is broken, without quoting it', async () => {
      writeCliConfig('{"profiles": [{"name": "x", "access_key_secret": "half-written-secret"');
      ui.pick(/config\.json/);
      assert.equal(await signIn(), false);
      const error = ui.last('error')?.text ?? '';
      assert.match(error, /Cannot read .*config\.json: it is not valid JSON/);
      assert.ok(!error.includes('half-written-secret'));
      assert.equal(await services.connection.store.get(), undefined);
    });

    it('signs in from a RamRoleArn profile, creates a board, and goes on with a new STS token after the last one expired', async function () {
      this.timeout(60_000);
      const control = emulator();
      await control.setTimings({ createMs: 300, startMs: 300, stopMs: 300 });
      // @alicloud/credentials refreshes a session 15 minutes before its Expiration by Date.now(); the tokens last
      // 900 s, so it fetches a new one for every request. The emulator's clock runs 3 s behind real time, so a
      // token's Expiration minus 900 s is always already past by the extension's clock: no waiting, no timing luck.
      await control.setClock(Date.now() - 3000);
      await roleProfile();
      ui.pick(profileLine('role'));
      assert.equal(await signIn(), true, JSON.stringify(ui.messages));
      assert.deepEqual(await services.connection.store.get(), { source: { kind: 'cliProfile', profile: 'role' } });
      const assumed = await issued('sts');
      assert.ok(assumed.length >= 1 && assumed.every((c) => c.roleArn === ROLE_ARN && c.sessionName === 'vscode-test'));

      ui.type('tb-from-a-role');
      await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB);
      const created = (await control.requests()).filter((r) => r.operation === 'CreateTensorboard');
      assert.deepEqual(
        created.map((r) => r.status),
        [200],
      );
      assert.equal(ui.last('error'), undefined, JSON.stringify(ui.messages));

      // Every token handed out so far expires; the library fetches another before the next request.
      const last = (await issued('sts')).at(-1)!;
      await control.setClock(last.expiresAt);
      await control.clearRequests();
      const { tensorboards } = await services.connection
        .client()
        .listTensorboards({ workspaceId: services.connection.workspaceId });
      assert.ok(tensorboards.some((b) => b.displayName === 'tb-from-a-role'));
      const requests = (await control.requests()).map((r) => [r.operation, r.status]);
      assert.deepEqual(requests, [
        ['AssumeRole', 200],
        ['ListTensorboards', 200],
      ]);
      assert.ok((await issued('sts')).at(-1)!.issuedAt >= last.expiresAt, 'no new token was assumed after the expiry');
      // And the emulator does refuse the expired one (checked last: a refusal makes the extension start afresh).
      await assert.rejects(
        services.connection
          .createClient({ getCredentials: async () => last })
          .listTensorboards({ workspaceId: services.connection.workspaceId }),
        (error: { code?: string }) => error.code === 'InvalidSecurityToken.Expired',
      );
    });

    it('a revoked role leads back to Sign In, saying why', async function () {
      this.timeout(30_000);
      const control = emulator();
      await control.setClock(Date.now() - 3000);
      await roleProfile();
      ui.pick(profileLine('role'));
      assert.equal(await signIn(), true, JSON.stringify(ui.messages));

      // The role is gone: the emulator forgets it and every session of it.
      const seedFile = path.join(services.context.extensionPath, 'test/emulator/seed.json');
      const seed = JSON.parse(readFileSync(seedFile, 'utf8')) as { accounts: { roles?: unknown[] }[] };
      for (const account of seed.accounts) account.roles = [];
      await control.reset(seed);
      try {
        // The library keeps serving its last session when the refresh fails; the service refuses that one.
        await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB);
        const refused = ui.last('error');
        assert.match(refused?.text ?? '', /Could not find DLC job .*(AccessKey|token)/);
        assert.deepEqual(refused?.buttons, ['Sign In', 'Show Logs']);
        // The next request starts the source afresh and says why there are no credentials.
        await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB);
        const reason = ui.last('error');
        assert.match(
          reason?.text ?? '',
          /Could not get credentials from the aliyun CLI profile "role": refresh session token failed: EntityNotExist\.Role/,
        );
        assert.deepEqual(reason?.buttons, ['Sign In', 'Show Logs']);
      } finally {
        await control.reset(seedFile);
      }
    });
  });

  it('signs in from ALIBABA_CLOUD_CREDENTIALS_URI and lists boards with what it hands out', async () => {
    process.env.ALIBABA_CLOUD_CREDENTIALS_URI = `${process.env.PAI_EMULATOR_ENDPOINT}/api/v1/credentials/pai-tensorboard-user?DurationSeconds=900`;
    ui.pick(/credentials URI/);
    assert.equal(await signIn(), true);
    assert.deepEqual(await services.connection.store.get(), { source: { kind: 'credentialsUri' } });
    await services.connection.client().listTensorboards({ workspaceId: services.connection.workspaceId });
    const fromUri = await issued('uri');
    assert.ok(fromUri.length >= 1 && fromUri.every((c) => c.roleArn === ROLE_ARN));
    const operations = (await emulator().requests()).map((r) => r.operation);
    assert.deepEqual(operations.filter((op) => op === 'GetUriCredentials' || op === 'ListTensorboards').slice(0, 2), [
      'GetUriCredentials',
      'ListTensorboards',
    ]);
  });

  it('offers the instance role where the metadata service answers, and signs in with it', async () => {
    ui.pick(/instance RAM role/);
    assert.equal(await signIn(), true);
    assert.deepEqual(await services.connection.store.get(), { source: { kind: 'instanceRole' } });
    await services.connection.client().listTensorboards({ workspaceId: services.connection.workspaceId });
    assert.ok((await issued('metadata')).length >= 1);
    assert.ok(
      (await emulator().requests()).some((r) => r.operation === 'GetInstanceRoleCredentials' && r.status === 200),
    );
  });

  it('signs in with the default chain (here: the environment comes first)', async () => {
    const fromMetadata = (await issued('metadata')).length; // earlier tests' (the list outlives resets)
    ui.pick(/default chain/);
    assert.equal(await signIn(), true);
    assert.deepEqual(await services.connection.store.get(), { source: { kind: 'defaultChain' } });
    await eventually(
      () => services.account.shown.text,
      (text) => text.includes('default chain'),
      'the account item',
    );
    // The instance role answers in this VS Code too; the chain never got that far.
    const operations = (await emulator().requests()).map((r) => r.operation);
    assert.ok(operations.includes('ListTensorboards'), operations.join(', '));
    assert.deepEqual(
      operations.filter((op) => op !== 'ListTensorboards'),
      [],
      'the chain went past the environment',
    );
    assert.equal((await issued('metadata')).length, fromMetadata, 'the chain took the instance role');
  });

  it('switches to another profile with one pick from the account menu', async () => {
    writeCliConfig({
      profiles: [
        {
          name: 'work',
          mode: 'AK',
          access_key_id: demoKey().accessKeyId,
          access_key_secret: demoKey().accessKeySecret,
          region_id: 'cn-hangzhou',
        },
      ],
    });
    ui.pick(ENV_CHOICE);
    assert.equal(await signIn(), true);
    let labels: string[] = [];
    ui.pick(profileLine('work'));
    const original = ui.quickPickTitles.length;
    await vscode.commands.executeCommand('paiTensorboard.account');
    assert.equal(ui.quickPickTitles.length, original + 1, 'more than one pick');
    assert.deepEqual(await services.connection.store.get(), { source: { kind: 'cliProfile', profile: 'work' } });
    ui.dismissPick((items) => (labels = items.map((i) => i.label)));
    await vscode.commands.executeCommand('paiTensorboard.account');
    assert.ok(
      labels.some((l) => l === '$(check) work'),
      labels.join(' | '),
    );
    assert.match(
      await eventually(
        () => services.account.shown.text,
        (text) => text.includes('work'),
        'the account item',
      ),
      /PAI work · cn-hangzhou/,
    );
  });

  it('signs out: the key is gone and the sidebar asks to sign in', async () => {
    ui.pick(ENV_CHOICE);
    assert.equal(await signIn(), true);
    await vscode.commands.executeCommand('paiTensorboard.signOut');
    assert.equal(await services.connection.store.get(), undefined);
    assert.match(ui.last('info')?.text ?? '', /Signed out/);
    await services.boards.refresh();
    assert.deepEqual(await services.tree.getChildren(), []);
  });
});

describe('settings that decide where signed requests go', () => {
  const manifest = vscode.extensions.all.find((e) => e.packageJSON?.name === 'pai-tensorboard')!.packageJSON as {
    contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations: string[] } };
  };

  it('cannot be written to the workspace', async () => {
    for (const key of ['endpoint', 'regionId']) {
      await assert.rejects(
        Promise.resolve(
          vscode.workspace
            .getConfiguration('paiTensorboard')
            .update(key, 'http://evil.example', vscode.ConfigurationTarget.Workspace),
        ),
        /does not support the folder resource scope|machine|Unable to write/i,
        key,
      );
    }
  });

  it('are restricted in untrusted workspaces', () => {
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of ['endpoint', 'regionId', 'workspaceId'])
      assert.ok(restricted.includes(`paiTensorboard.${key}`), key);
    assert.equal(manifest.contributes.configuration.properties['paiTensorboard.endpoint']?.scope, 'machine');
  });

  it('refuse a plain-http endpoint that is not on this machine', async () => {
    const services = await extensionServices();
    const config = vscode.workspace.getConfiguration('paiTensorboard');
    const original = config.get<string>('endpoint');
    await config.update('endpoint', 'http://pai-dlc.example.com', vscode.ConfigurationTarget.Global);
    try {
      assert.throws(() => services.connection.client(), /plain http/);
    } finally {
      await config.update('endpoint', original, vscode.ConfigurationTarget.Global);
    }
  });
});
