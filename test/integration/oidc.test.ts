import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import { emulator, eventually, extensionServices, resetEmulator, Ui } from './support';

/**
 * Sign-in with the OIDC role (ACK's RRSA): the three variables a pod gets, the token file, and the emulator's STS
 * answering AssumeRoleWithOIDC over https. The library's STS host (sts.aliyuncs.com) reaches the emulator through the
 * test-mode seam PAI_TENSORBOARD_TEST_STS; NODE_EXTRA_CA_CERTS trusts its certificate.
 */

const ROLE_ARN = 'acs:ram::1157703270994901:role/pai-tensorboard-user';
const OIDC_CHOICE = /Assume the OIDC role/;
const VARIABLES = [
  'ALIBABA_CLOUD_ROLE_ARN',
  'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
  'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
  'ALIBABA_CLOUD_ROLE_SESSION_NAME',
  'PAI_TENSORBOARD_TEST_STS',
];

describe('sign in with the OIDC role', () => {
  let services: Services;
  let ui: Ui;
  let folder: string;
  let tokenFile: string;

  before(async () => {
    services = await extensionServices();
  });
  beforeEach(async () => {
    await resetEmulator();
    await services.connection.store.clear();
    ui = new Ui();
    folder = mkdtempSync(path.join(tmpdir(), 'pai-oidc-'));
    tokenFile = path.join(folder, 'token');
  });
  afterEach(async () => {
    ui.restore();
    for (const name of VARIABLES) delete process.env[name];
    // Signed out, so no provider of this test's variables outlives it.
    await services.connection.store.clear();
    rmSync(folder, { recursive: true, force: true });
  });

  /** What an ACK pod with RRSA has: the role, the provider, and the token file the kubelet keeps fresh. */
  async function podEnvironment(token: string, providerArn: string): Promise<void> {
    const { stsEndpoint } = await emulator().state();
    assert.ok(stsEndpoint, 'the emulator runs without its https listener');
    writeFileSync(tokenFile, token);
    Object.assign(process.env, {
      ALIBABA_CLOUD_ROLE_ARN: ROLE_ARN,
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: providerArn,
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
      ALIBABA_CLOUD_ROLE_SESSION_NAME: 'vscode-oidc',
      PAI_TENSORBOARD_TEST_STS: stsEndpoint,
    });
  }

  async function signIn(): Promise<boolean> {
    return (await vscode.commands.executeCommand<boolean>('paiTensorboard.signIn')) === true;
  }

  // The LogOutputChannel writes <user data>/logs/<session>/exthost*/<extension id>/PAI TensorBoard.log.
  function readLog(): string {
    const logsRoot = path.resolve(services.context.logUri.fsPath, '..', '..');
    const file = readdirSync(logsRoot, { recursive: true, encoding: 'utf8' }).find((f) =>
      f.endsWith('PAI TensorBoard.log'),
    );
    return file ? readFileSync(path.join(logsRoot, file), 'utf8') : '';
  }

  it('is offered where the variables are set, assumes the role, and PAI-DLC gets the STS credentials it issued', async () => {
    const control = emulator();
    const minted = await control.issueOidcToken();
    await podEnvironment(minted.token, minted.providerArn);

    let offered: readonly vscode.QuickPickItem[] = [];
    ui.dismissPick((items) => (offered = items));
    assert.equal(await signIn(), false);
    const line = offered.find((item) => OIDC_CHOICE.test(item.label));
    assert.equal(
      line?.detail,
      'ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE',
    );

    ui.pick(OIDC_CHOICE);
    assert.equal(await signIn(), true, JSON.stringify(ui.messages));
    assert.deepEqual(await services.connection.store.get(), { source: { kind: 'oidc' } });
    assert.match(ui.last('info')?.text ?? '', /Signed in to Alibaba Cloud with/);
    await services.connection.client().listTensorboards({ workspaceId: services.connection.workspaceId });

    const issued = (await control.issuedCredentials()).filter((c) => c.source === 'oidc');
    assert.ok(issued.length >= 1, 'STS issued nothing through AssumeRoleWithOIDC');
    assert.ok(issued.every((c) => c.roleArn === ROLE_ARN && c.sessionName === 'vscode-oidc'));
    const requests = await control.requests();
    const assumed = requests.filter((r) => r.operation === 'AssumeRoleWithOIDC');
    assert.ok(assumed.length >= 1 && assumed.every((r) => r.status === 200), JSON.stringify(assumed));
    assert.equal(assumed[0]!.query.AccessKeyId, undefined, 'AssumeRoleWithOIDC is anonymous');
    assert.match(
      String(assumed[0]!.body),
      new RegExp(`^OIDCProviderArn=${encodeURIComponent(minted.providerArn)}&OIDCToken=\\*\\*\\*&RoleArn=`),
    );
    // Every PAI-DLC call (the sign-in check, the list) was signed with a key this STS handed out, with its token.
    const dlc = requests.filter((r) => r.operation === 'ListTensorboards');
    assert.ok(dlc.length >= 2, JSON.stringify(requests.map((r) => r.operation)));
    const issuedKeys = new Set(issued.map((c) => c.accessKeyId));
    for (const call of dlc) {
      assert.equal(call.status, 200);
      assert.ok(
        call.accessKeyId && issuedKeys.has(call.accessKeyId),
        `${call.accessKeyId} was not issued by AssumeRoleWithOIDC`,
      );
      assert.equal(call.headers['x-acs-security-token'], '***');
    }
  });

  it('says why an expired token is refused, quoting no token, and keeps nothing', async () => {
    const minted = await emulator().issueOidcToken({ ttlMs: -60_000 });
    await podEnvironment(minted.token, minted.providerArn);
    ui.pick(OIDC_CHOICE);
    assert.equal(await signIn(), false);
    const error = ui.last('error');
    assert.match(
      error?.text ?? '',
      /^Sign-in failed: Could not get credentials from .*: get sts token failed with OIDC: AuthenticationFail\.OIDCToken\.Expired: This JsonWebToken is expired\./,
    );
    assert.deepEqual(error?.buttons, ['Sign In', 'Show Logs']);
    const signature = minted.token.split('.')[2]!;
    assert.ok(!error?.text.includes(signature), 'the token is in the message');
    assert.equal(await services.connection.store.get(), undefined);
    const log = await eventually(readLog, (text) => text.includes('AuthenticationFail.OIDCToken.Expired'));
    assert.match(log, /AuthenticationFail\.OIDCToken\.Expired/);
    assert.ok(!log.includes(signature), 'the token is in the log');
  });

  it('says a token file that holds no JWT is refused, without quoting it', async () => {
    const { providerArn } = await emulator().issueOidcToken();
    const garbage = 'half-written-token-file-content-0123456789';
    await podEnvironment(garbage, providerArn);
    ui.pick(OIDC_CHOICE);
    assert.equal(await signIn(), false);
    const text = ui.last('error')?.text ?? '';
    assert.match(text, /AuthenticationFail\.OIDCToken\.Invalid: The OIDC token is not a well-formed JsonWebToken\./);
    assert.ok(!text.includes(garbage));
    assert.equal(await services.connection.store.get(), undefined);
    const refused = (await emulator().requests()).filter((r) => r.operation === 'AssumeRoleWithOIDC');
    assert.deepEqual(
      refused.map((r) => [r.status, r.code]),
      [[400, 'AuthenticationFail.OIDCToken.Invalid']],
    );
  });
});
