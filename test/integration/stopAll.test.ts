import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import { calls, defaultSeed, resetToDefaultSeed, resetToSeed } from './flowSupport';
import { emulator, extensionServices, signedInFresh, type Ui } from './support';

const SEEDED_RUNNING = 'tb4k8lc5xfu36opt'; // resnet50-imagenet
const MORE_RUNNING = [
  { tensorboardId: 'tbstopall0000001', displayName: 'gan-sweep-a' },
  { tensorboardId: 'tbstopall0000002', displayName: 'gan-sweep-b' },
];

describe('stopping every running board', () => {
  let services: Services;
  let ui: Ui;

  before(async () => {
    services = await extensionServices();
  });
  beforeEach(async () => {
    const seed = defaultSeed();
    for (const [i, board] of MORE_RUNNING.entries()) {
      seed.tensorboards!.push({
        ...board,
        status: 'Running',
        userId: '1157703270994901',
        workspaceId: '86923',
        createdMinutesAgo: 30 + i,
        jobId: 'dlc7yq2c8kd0hx1m',
        maxRunningTimeMinutes: 240,
      });
    }
    await resetToSeed(seed);
    ui = await signedInFresh(500);
  });
  afterEach(async () => {
    ui.restore();
    await resetToDefaultSeed();
  });

  async function stopPaths(): Promise<string[]> {
    return (await calls('StopTensorboard')).map((r) => r.path);
  }

  it('stops each running board once, after one confirmation that names them, and says how many', async () => {
    ui.press('Stop All');
    await vscode.commands.executeCommand('paiTensorboard.stopAllRunning');
    const confirmations = ui.messages.filter((m) => m.severity === 'warning');
    assert.equal(confirmations.length, 1);
    assert.equal(confirmations[0]!.text, 'Stop 3 running TensorBoards?');
    assert.deepEqual(confirmations[0]!.detail?.split('\n').sort(), ['gan-sweep-a', 'gan-sweep-b', 'resnet50-imagenet']);
    assert.deepEqual(confirmations[0]!.buttons, ['Stop All']);
    const ids = [SEEDED_RUNNING, ...MORE_RUNNING.map((b) => b.tensorboardId)];
    assert.deepEqual((await stopPaths()).sort(), ids.map((id) => `/api/v1/tensorboards/${id}/stop`).sort());
    assert.equal(ui.last('info')?.text, 'Stopped 3 TensorBoards.');
    for (const id of ids) assert.match(services.boards.get(id)?.status ?? '', /^(Stopping|Stopped)$/, id);
  });

  it('names the board whose stop failed, and stops the others', async () => {
    // Every attempt, retries included, fails for this one board.
    await emulator().injectFault({
      kind: 'internalError',
      operation: 'StopTensorboard',
      id: 'tbstopall0000002',
      times: 20,
    });
    ui.press('Stop All');
    await vscode.commands.executeCommand('paiTensorboard.stopAllRunning');
    const error = ui.last('error');
    assert.match(error?.text ?? '', /^Could not stop gan-sweep-b: /);
    assert.doesNotMatch(error?.text ?? '', /resnet50-imagenet|gan-sweep-a/);
    assert.ok(error?.buttons.includes('Retry'), JSON.stringify(error));
    const stops = await calls('StopTensorboard');
    const answered = (id: string) =>
      stops.filter((s) => s.path === `/api/v1/tensorboards/${id}/stop`).map((s) => s.status);
    assert.deepEqual(answered(SEEDED_RUNNING), [200]);
    assert.deepEqual(answered('tbstopall0000001'), [200]);
    assert.ok(
      answered('tbstopall0000002').length >= 1 && answered('tbstopall0000002').every((status) => status === 500),
    );
    assert.match(services.boards.get(SEEDED_RUNNING)?.status ?? '', /^(Stopping|Stopped)$/);
    assert.equal(services.boards.get('tbstopall0000002')?.status, 'Running');
    assert.equal(
      ui.messages.some((m) => /^Stopped \d/.test(m.text)),
      false,
      'said all were stopped',
    );
  });

  it('sends nothing when the confirmation is dismissed', async () => {
    ui.press(undefined);
    await vscode.commands.executeCommand('paiTensorboard.stopAllRunning');
    assert.equal(ui.last('warning')?.text, 'Stop 3 running TensorBoards?');
    assert.deepEqual(await stopPaths(), []);
    assert.equal(services.boards.get(SEEDED_RUNNING)?.status, 'Running');
  });

  it('says that none runs, and sends nothing, when no board runs', async () => {
    for (const id of [SEEDED_RUNNING, ...MORE_RUNNING.map((b) => b.tensorboardId)])
      await emulator().setBoardStatus(id, 'Stopped');
    await vscode.commands.executeCommand('paiTensorboard.stopAllRunning');
    assert.equal(ui.last('info')?.text, 'No TensorBoard is running in this workspace.');
    assert.equal(ui.messages.filter((m) => m.severity === 'warning').length, 0, 'asked to confirm stopping nothing');
    assert.deepEqual(await stopPaths(), []);
  });
});
