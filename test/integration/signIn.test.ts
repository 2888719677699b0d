import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import { demoKey, emulator, eventually, extensionServices, resetEmulator, Ui } from './support';

const ENV_CHOICE = /environment variables/;
const TYPED_CHOICE = /Enter an AccessKey pair/;
const CLI_CHOICE = /aliyun CLI profile/;

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
  afterEach(() => {
    ui.restore();
    delete process.env.ALIBABA_CLOUD_CONFIG_FILE;
  });

  // The LogOutputChannel writes <user data>/logs/<session>/exthost*/<extension id>/PAI TensorBoard.log.
  function readLog(): string {
    const logsRoot = path.resolve(services.context.logUri.fsPath, '..', '..');
    const files = readdirSync(logsRoot, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('PAI TensorBoard.log'));
    assert.equal(files.length, 1, `log files under ${logsRoot}: ${files.join(', ')}`);
    return readFileSync(path.join(logsRoot, files[0]!), 'utf8');
  }

  async function signIn(): Promise<boolean> {
    return (await vscode.commands.executeCommand<boolean>('paiTensorboard.signIn')) === true;
  }

  it('signs in from the environment after one cheap check, and keeps the key only in SecretStorage', async () => {
    ui.pick(ENV_CHOICE);
    assert.equal(await signIn(), true);
    const stored = await services.connection.store.get();
    assert.equal(stored?.accessKeyId, demoKey().accessKeyId);
    assert.equal(stored?.source, 'environment');
    assert.match(ui.last('info')?.text ?? '', /Signed in .* EMULAT…/);
    const checks = (await emulator().requests()).filter((r) => r.operation === 'ListTensorboards');
    assert.equal(checks.length, 1);
    assert.equal(checks[0]!.query.PageSize, '1');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('paiTensorboard'));
    assert.ok(!settings.includes(demoKey().accessKeySecret), 'the secret is in the settings');
  });

  it('logs every API call with its operation, duration and RequestId, and an error code when it fails', async () => {
    ui.pick(ENV_CHOICE);
    assert.equal(await signIn(), true);
    ui.pick(TYPED_CHOICE).type(demoKey().accessKeyId, 'wrong-secret-for-the-log', '');
    assert.equal(await signIn(), false);
    // The channel writes its file asynchronously: wait for the last line, not for a guessed time.
    const log = await eventually(readLog, (text) => text.includes('SignatureDoesNotMatch'));
    assert.match(log, /\[info\] ListTensorboards · \d+ ms · RequestId [0-9A-F-]{36} · HTTP 200/);
    assert.match(log, /\[warning\] ListTensorboards · \d+ ms · RequestId [0-9A-F-]{36} · HTTP 400 · code SignatureDoesNotMatch/);
    assert.ok(!log.includes('wrong-secret-for-the-log') && !log.includes(demoKey().accessKeySecret));
  });

  it('signs in with a typed key pair', async () => {
    ui.pick(TYPED_CHOICE).type(demoKey().accessKeyId, demoKey().accessKeySecret, '');
    assert.equal(await signIn(), true);
    assert.equal((await services.connection.store.get())?.source, 'typed');
    assert.deepEqual(ui.inputPrompts.length, 3);
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

  it("shows its own sentence with code and RequestId on a wrong secret, and the gateway's string to sign only in the log, redacted", async () => {
    // With an STS token the gateway's string to sign quotes the x-acs-security-token header.
    const sts = await emulator().issueStsCredentials(3_600_000);
    ui.pick(TYPED_CHOICE).type(sts.accessKeyId, 'not-the-sts-secret-456', sts.securityToken);
    assert.equal(await signIn(), false);
    const error = ui.last('error')?.text ?? '';
    assert.match(error, /secret does not match/);
    assert.match(error, /\(SignatureDoesNotMatch, RequestId [0-9A-F-]{36}\)/);
    assert.doesNotMatch(error, /string ?to ?sign|x-acs-|nonce/i);
    const log = await eventually(readLog, (text) => /Sign-in failed: \[SignatureDoesNotMatch\]/.test(text));
    // The gateway's message spans lines (its string to sign has one per header).
    const entry = log.slice(log.search(/Sign-in failed: \[SignatureDoesNotMatch\]/));
    assert.match(entry, /server string to sign is:[\s\S]*x-acs-security-token:\*\*\*/);
    assert.ok(!log.includes(sts.securityToken) && !log.includes(sts.accessKeySecret) && !log.includes('not-the-sts-secret-456'));
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
    assert.equal((await services.connection.store.get())?.securityToken, sts.securityToken);
  });

  it("names a clock more than 15 minutes off the service's", async () => {
    await emulator().advanceClock(20 * 60_000);
    ui.pick(ENV_CHOICE);
    assert.equal(await signIn(), false);
    assert.match(ui.last('error')?.text ?? '', /clock/i);
  });

  describe('from the aliyun CLI configuration', () => {
    function cliConfig(contents: string): void {
      const folder = mkdtempSync(path.join(tmpdir(), 'aliyun-'));
      process.env.ALIBABA_CLOUD_CONFIG_FILE = path.join(folder, 'config.json');
      writeFileSync(process.env.ALIBABA_CLOUD_CONFIG_FILE, contents);
    }

    it('imports an AK profile', async () => {
      cliConfig(JSON.stringify({
        current: 'work',
        profiles: [
          { name: 'role', mode: 'RamRoleArn', access_key_id: 'x', access_key_secret: 'y', ram_role_arn: 'acs:ram::1:role/r' },
          { name: 'work', mode: 'AK', access_key_id: demoKey().accessKeyId, access_key_secret: demoKey().accessKeySecret, region_id: 'cn-hangzhou' },
        ],
      }));
      ui.pick(CLI_CHOICE).pick(/^\S+ work$/);
      assert.equal(await signIn(), true);
      const stored = await services.connection.store.get();
      assert.equal(stored?.source, 'cliProfile');
      assert.equal(stored?.origin, 'work');
    });

    it('explains a profile mode it cannot import, and keeps nothing', async () => {
      cliConfig(JSON.stringify({ profiles: [{ name: 'role', mode: 'RamRoleArn', access_key_id: 'x', access_key_secret: 'y' }] }));
      ui.pick(CLI_CHOICE).pick(/role/);
      assert.equal(await signIn(), false);
      assert.match(ui.last('error')?.text ?? '', /cannot be imported: it assumes a RAM role/);
      assert.equal(await services.connection.store.get(), undefined);
    });

    it('says a broken file is broken, without quoting it', async () => {
      cliConfig('{"profiles": [{"name": "x", "access_key_secret": "half-written-secret"');
      ui.pick(CLI_CHOICE);
      assert.equal(await signIn(), false);
      const error = ui.last('error')?.text ?? '';
      assert.match(error, /not valid JSON/);
      assert.ok(!error.includes('half-written-secret'));
      assert.equal(await services.connection.store.get(), undefined);
    });

    it('says where the file was looked for when there is none', async () => {
      process.env.ALIBABA_CLOUD_CONFIG_FILE = path.join(tmpdir(), 'no-such-folder', 'config.json');
      ui.pick(CLI_CHOICE);
      assert.equal(await signIn(), false);
      assert.match(ui.last('error')?.text ?? '', /No aliyun CLI configuration at .*no-such-folder/);
    });
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
        Promise.resolve(vscode.workspace.getConfiguration('paiTensorboard').update(key, 'http://evil.example', vscode.ConfigurationTarget.Workspace)),
        /does not support the folder resource scope|machine|Unable to write/i,
        key,
      );
    }
  });

  it('are restricted in untrusted workspaces', () => {
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of ['endpoint', 'regionId', 'workspaceId']) assert.ok(restricted.includes(`paiTensorboard.${key}`), key);
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
