import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import type { RecordedRequest } from '../emulator/types';
import { emulator, extensionServices, signedInFresh, type Ui } from './support';

const RUNNING = 'tb4k8lc5xfu36opt';
const STOPPED = 'tb9w3n6c1r8m2qxd';

type Node = vscode.TreeItem & { board?: { tensorboardId: string; status: string } };

describe('the boards sidebar', () => {
  let services: Services;
  let ui: Ui;

  before(async () => {
    services = await extensionServices();
  });
  beforeEach(async () => {
    ui = await signedInFresh(1_000);
  });
  afterEach(() => ui.restore());

  async function nodes(): Promise<Node[]> {
    services.boards.refresh();
    return (await services.boards.getChildren()) as Node[];
  }

  function node(all: Node[], id: string): Node {
    const found = all.find((n) => n.board?.tensorboardId === id);
    assert.ok(found, `no tree item for ${id} among ${all.map((n) => n.label).join(', ')}`);
    return found;
  }

  async function calls(operation: string): Promise<RecordedRequest[]> {
    return (await emulator().requests()).filter((r) => r.operation === operation);
  }

  it('lists the boards of the workspace, newest first, including those older than the API\'s 7-day default', async () => {
    const all = await nodes();
    assert.deepEqual(all.map((n) => n.board?.tensorboardId), [RUNNING, STOPPED]);
    const [list] = await calls('ListTensorboards');
    assert.equal(list!.query.WorkspaceId, vscode.workspace.getConfiguration('paiTensorboard').get('workspaceId'));
    assert.equal(list!.query.SortBy, 'GmtCreateTime');
    assert.equal(list!.query.Order, 'desc');
    const days = (Date.now() - Date.parse(list!.query.StartTime!)) / 86_400_000;
    assert.ok(days > 7, `the window starts only ${days.toFixed(1)} days back`);
  });

  it('shows each board with its state, source and age, and escapes what the service names', async () => {
    const all = await nodes();
    const running = node(all, RUNNING);
    assert.equal(running.label, 'resnet50-imagenet');
    assert.equal(running.contextValue, 'board.running');
    assert.equal((running.iconPath as vscode.ThemeIcon).id, 'pass-filled');
    assert.match(String(running.description), /dlc1a9r0uhfn24cl · 1 h/);
    assert.match(String(running.description), /left/);
    const stopped = node(all, STOPPED);
    assert.equal(stopped.label, 'mnist-baseline <v1>');
    assert.equal(stopped.contextValue, 'board.stopped');
    assert.equal(stopped.description, 'd-k2x8vq3m9r1tzw/logs/ · 10 d · Stopped');
    const tooltip = (stopped.tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes('\\<v1\\>'), tooltip);
    assert.equal((stopped.tooltip as vscode.MarkdownString).isTrusted, false);
  });

  it('stops a running board and shows it Stopped once the service says so', async () => {
    const all = await nodes();
    await vscode.commands.executeCommand('paiTensorboard.stopBoard', node(all, RUNNING));
    const [stop] = await calls('StopTensorboard');
    assert.equal(stop!.method, 'PUT');
    assert.equal(stop!.path, `/api/v1/tensorboards/${RUNNING}/stop`);
    let item = node((await services.boards.getChildren()) as Node[], RUNNING);
    assert.equal(item.contextValue, 'board.pending');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'loading~spin');
    await emulator().advanceClock(1_500);
    item = node(await nodes(), RUNNING);
    assert.equal(item.contextValue, 'board.stopped');
  });

  it('starts a stopped board', async () => {
    await vscode.commands.executeCommand('paiTensorboard.startBoard', node(await nodes(), STOPPED));
    const [start] = await calls('StartTensorboard');
    assert.equal(start!.path, `/api/v1/tensorboards/${STOPPED}/start`);
    assert.equal(node((await services.boards.getChildren()) as Node[], STOPPED).contextValue, 'board.pending');
  });

  it('deletes a stopped board only after a modal confirmation', async () => {
    ui.press(undefined);
    await vscode.commands.executeCommand('paiTensorboard.deleteBoard', node(await nodes(), STOPPED));
    assert.equal((await calls('DeleteTensorboard')).length, 0, 'deleted without confirmation');
    assert.match(ui.last('warning')?.text ?? '', /Delete the TensorBoard "mnist-baseline <v1>"\?/);
    ui.press('Delete');
    await vscode.commands.executeCommand('paiTensorboard.deleteBoard', node(await nodes(), STOPPED));
    const [remove] = await calls('DeleteTensorboard');
    assert.equal(remove!.method, 'DELETE');
    assert.deepEqual((await nodes()).map((n) => n.board?.tensorboardId), [RUNNING]);
  });

  it('changes the max running time and the accessibility through UpdateTensorboard query parameters', async () => {
    ui.type('480');
    await vscode.commands.executeCommand('paiTensorboard.changeMaxRunningTime', node(await nodes(), RUNNING));
    ui.pick(/Public/);
    await vscode.commands.executeCommand('paiTensorboard.changeAccessibility', node(await nodes(), RUNNING));
    const updates = await calls('UpdateTensorboard');
    assert.deepEqual(updates.map((u) => [u.method, u.query.MaxRunningTimeMinutes, u.query.Accessibility]), [
      ['PUT', '480', undefined],
      ['PUT', undefined, 'PUBLIC'],
    ]);
    assert.equal(updates[0]!.body, undefined);
  });

  it('copies the URL and opens the board in the browser', async () => {
    await vscode.commands.executeCommand('paiTensorboard.copyBoardUrl', node(await nodes(), RUNNING));
    assert.match(await vscode.env.clipboard.readText(), new RegExp(`/tensorboard/${RUNNING}/`));
    await vscode.commands.executeCommand('paiTensorboard.openBoardInBrowser', node(await nodes(), RUNNING));
    assert.match(ui.opened.at(-1) ?? '', new RegExp(RUNNING));
  });

  it('asks which board when a board command is run from the palette', async () => {
    ui.pick(/resnet50/);
    await vscode.commands.executeCommand('paiTensorboard.stopBoard');
    assert.equal((await calls('StopTensorboard')).length, 1);
  });

  it('shows an error item that retries, and offers the logs, when the list fails', async () => {
    await emulator().injectFault({ kind: 'missingField', operation: 'ListTensorboards' });
    const [error] = await nodes();
    assert.equal(error?.contextValue, 'error');
    assert.equal(error?.command?.command, 'paiTensorboard.refresh');
    assert.match(String(error?.description), /Tensorboards/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(ui.last('error')?.buttons, ['Show Logs']);
    assert.equal((await nodes()).length, 2, 'retrying did not load the boards');
  });

  it('shows nothing (the sign-in welcome) when signed out', async () => {
    await services.connection.store.clear();
    assert.deepEqual(await nodes(), []);
    assert.equal((await calls('ListTensorboards')).length, 0);
  });
});
