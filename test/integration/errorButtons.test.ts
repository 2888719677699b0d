import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import { emulator, eventually, extensionServices, resetEmulator, Ui } from './support';

/**
 * The buttons of the extension's error messages do what they say: a real failure is provoked, the button pressed
 * as a user would (through the Ui helper), and its effect looked for in the workbench.
 */

const ENV_CHOICE = /environment variables/;
const TYPED_CHOICE = /Enter an AccessKey pair/;
const SIGN_IN_TITLE = 'Sign In to Alibaba Cloud';
const FREE_JOB = 'dlc9s5e3m7h1q2x6'; // llm-pretrain-7b, no board yet
const NO_SUCH_JOB = 'dlc0nosuchjob0001';

describe('the buttons of error messages', () => {
  let services: Services;
  let ui: Ui;
  /** Every command run while a test watches them (the extension and the test share one `vscode`). */
  let ran: unknown[][];
  let restoreCommands: (() => void) | undefined;
  /** The runner's endpoint setting (the emulator), put back after each test. */
  let endpoint: string | undefined;

  before(async () => {
    services = await extensionServices();
  });
  beforeEach(async () => {
    await resetEmulator();
    await services.connection.store.clear();
    ui = new Ui();
    ran = [];
    endpoint = vscode.workspace.getConfiguration('paiTensorboard').inspect<string>('endpoint')?.globalValue;
  });
  afterEach(async () => {
    restoreCommands?.();
    restoreCommands = undefined;
    ui.restore();
    await vscode.workspace
      .getConfiguration('paiTensorboard')
      .update('endpoint', endpoint, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  /** Records every command run from here on, and still runs it. */
  function watchCommands(): void {
    const commands = vscode.commands as unknown as Record<string, unknown>;
    const original = vscode.commands.executeCommand;
    commands.executeCommand = (id: string, ...args: unknown[]) => {
      ran.push([id, ...args]);
      return original.call(vscode.commands, id, ...args);
    };
    restoreCommands = () => (commands.executeCommand = original);
  }

  async function signIn(): Promise<void> {
    assert.equal(
      await vscode.commands.executeCommand<boolean>('paiTensorboard.signIn'),
      true,
      JSON.stringify(ui.messages),
    );
  }

  it('Sign In, after the STS token expired, opens the sign-in list, and signing in there works', async () => {
    const sts = await emulator().issueStsCredentials(60_000);
    ui.pick(TYPED_CHOICE).type(sts.accessKeyId, sts.accessKeySecret, sts.securityToken);
    await signIn();
    await emulator().advanceClock(120_000);
    const picksBefore = ui.quickPickTitles.length;
    const promptsBefore = ui.inputPrompts.length;

    // The resumed create's name prompt is dismissed, so that nothing of this test goes on into the next one.
    ui.press('Sign In').pick(ENV_CHOICE).type(undefined);
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB);
    const refused = ui.last('error');
    assert.match(refused?.text ?? '', /STS token has expired/);
    assert.deepEqual(refused?.buttons, ['Sign In', 'Show Logs']);

    // The button's command runs after the message resolves: wait for its quick pick, then for its outcome.
    const titles = await eventually(
      () => ui.quickPickTitles.slice(picksBefore),
      (seen) => seen.length > 0,
    );
    assert.deepEqual(titles, [SIGN_IN_TITLE]);
    const stored = await eventually(
      () => services.connection.store.get(),
      (signedIn) => signedIn?.source.kind === 'environment',
    );
    assert.deepEqual(stored, { source: { kind: 'environment' } });
    // Signed in, the create the user asked for goes on: it asks for the new board's name.
    const prompts = await eventually(
      () => ui.inputPrompts.slice(promptsBefore),
      (seen) => seen.length > 0,
      'the create to resume after Sign In',
    );
    assert.match(prompts[0] ?? '', /Name of the new TensorBoard/);
  });

  it('Open Settings, for an endpoint the extension refuses, opens the Settings editor on that setting', async () => {
    ui.pick(ENV_CHOICE);
    await signIn();
    await vscode.workspace
      .getConfiguration('paiTensorboard')
      .update('endpoint', 'http://pai-dlc.example.com', vscode.ConfigurationTarget.Global);
    watchCommands();

    ui.press('Open Settings');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB);
    const refused = ui.last('error');
    assert.match(refused?.text ?? '', /plain http/);
    assert.deepEqual(refused?.buttons, ['Open Settings', 'Show Logs']);

    const opened = await eventually(
      () => ran.filter(([id]) => id === 'workbench.action.openSettings'),
      (calls) => calls.length > 0,
    );
    assert.deepEqual(opened, [['workbench.action.openSettings', 'paiTensorboard.endpoint']]);
    const tab = await eventually(
      () => vscode.window.tabGroups.activeTabGroup.activeTab?.label,
      (label) => label === 'Settings',
    );
    assert.equal(tab, 'Settings');
    // Nothing was sent to the refused endpoint, nor anywhere else.
    assert.deepEqual(
      (await emulator().requests()).filter((r) => r.operation === 'GetJob'),
      [],
    );
  });

  it('Retry, after a throttled stop, sends the stop again, and the board stops', async () => {
    const RUNNING = 'tb4k8lc5xfu36opt'; // resnet50-imagenet
    ui.pick(ENV_CHOICE);
    await signIn();
    // Longer than the client waits by itself: the user is asked instead.
    await emulator().injectFault({
      kind: 'throttling',
      operation: 'StopTensorboard',
      times: 1,
      retryAfterSeconds: 120,
    });

    ui.press('Retry');
    await vscode.commands.executeCommand('paiTensorboard.stopBoard', RUNNING);
    const refused = ui.last('error');
    assert.match(refused?.text ?? '', /^Could not stop resnet50-imagenet: PAI-DLC is throttling requests/);
    assert.deepEqual(refused?.buttons, ['Retry', 'Show Logs']);

    const stops = await eventually(
      async () => (await emulator().requests()).filter((r) => r.operation === 'StopTensorboard'),
      (sent) => sent.length >= 2,
    );
    assert.deepEqual(
      stops.map((r) => [r.fault, r.status]),
      [
        ['throttling', stops[0]!.status],
        [undefined, 200],
      ],
    );
    assert.notEqual(stops[0]!.status, 200);
    const board = (await emulator().state()).boards.find((b) => b.TensorboardId === RUNNING);
    assert.match(String(board?.Status), /^(Stopping|Stopped)$/);
  });

  it("Show Logs reveals the extension's output channel, where the failure is logged", async () => {
    ui.pick(ENV_CHOICE);
    await signIn();
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const channelShown = () =>
      vscode.window.visibleTextEditors
        .map((editor) => editor.document)
        .filter((document) => document.uri.scheme === 'output' && /PAI TensorBoard/.test(document.uri.path));
    assert.deepEqual(channelShown(), [], 'the output channel is shown before the button is pressed');

    ui.press('Show Logs');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', NO_SUCH_JOB);
    const refused = ui.last('error');
    assert.match(refused?.text ?? '', new RegExp(`Could not find DLC job ${NO_SUCH_JOB}`));
    assert.deepEqual(refused?.buttons, ['Show Logs']);

    const shown = await eventually(channelShown, (documents) => documents.length > 0);
    assert.equal(shown.length, 1, vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()).join(', '));
    const text = await eventually(
      () => shown[0]!.getText(),
      (logged) => logged.includes(NO_SUCH_JOB),
    );
    assert.match(text, new RegExp(`Could not find DLC job ${NO_SUCH_JOB} .*\\[JobNotFound\\]`));
  });
});
