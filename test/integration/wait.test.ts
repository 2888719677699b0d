import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Tensorboard } from '../../src/api';
import type { Services } from '../../src/services';
import type { FakeTimer } from '../shared/fakeTimer';
import { calls, cancellableProgress, fakeWaitTimer } from './flowSupport';
import { emulator, eventually, extensionServices, signedInFresh, type Ui } from './support';

const FREE_JOB = 'dlc9s5e3m7h1q2x6'; // llm-pretrain-7b, no board yet
/** Long enough that a new board stays Creating until the test moves the emulator's clock. */
const CREATE_MS = 10 * 60_000;
/** More than any interval between the wait's polls (2 s, or 5 s while it watches the board's page). */
const POLL_TURN_MS = 5_000;

describe('waiting for a new board to run', () => {
  let services: Services;
  let ui: Ui;
  let timer: FakeTimer & { restore(): void };
  let command: Thenable<unknown>;
  let ended: boolean;

  before(async () => {
    services = await extensionServices();
  });
  beforeEach(async () => {
    ui = await signedInFresh(CREATE_MS);
    timer = fakeWaitTimer(services);
    ended = false;
  });
  afterEach(async () => {
    timer.restore();
    ui.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Starts a create for FREE_JOB and resolves, once its wait has begun, to the new board. */
  async function createAndWait(name: string): Promise<Tensorboard> {
    ui.type(name);
    command = vscode.commands.executeCommand('paiTensorboard.createBoardForJob', FREE_JOB);
    command.then(() => (ended = true));
    // The wait's deadline is the first timer it sets.
    const started = await eventually(
      () => ended || timer.delays.length >= 2,
      Boolean,
      'the wait to schedule its turns',
      10_000,
    );
    assert.ok(started && !ended, `the create ended before its wait began: ${JSON.stringify(ui.messages)}`);
    const board = services.boards.boards.find((b) => b.displayName === name);
    assert.ok(board, 'the new board is not in the sidebar');
    return board;
  }

  /** Lets the wait make its next poll and waits until it has acted on the answer (scheduled its next turn or ended). */
  async function nextPoll(): Promise<void> {
    const turns = timer.delays.length;
    const polls = (await calls('GetTensorboard')).length;
    await timer.advance(POLL_TURN_MS);
    const answered = await eventually(
      async () => ended || (timer.delays.length > turns && (await calls('GetTensorboard')).length > polls),
      Boolean,
      'the next poll to be answered',
      10_000,
    );
    assert.ok(answered, 'the wait did not poll');
  }

  async function commandEnded(): Promise<void> {
    await command;
    assert.ok(ended);
  }

  /** The panel, which opened with the wait, follows the board to Running after the wait without it. */
  async function panelFollowsToRunning(id: string): Promise<void> {
    assert.equal(services.panels.get(id)?.showing, 'pending');
    await emulator().advanceClock(CREATE_MS);
    // The model's polling runs on the swapped timer too: its turns come as the test moves that timer on.
    const showing = await eventually(
      async () => {
        await timer.advance(2_000);
        return services.panels.get(id)?.showing;
      },
      (s) => s === 'running',
      'the panel showing the running board',
      20_000,
    );
    assert.equal(showing, 'running');
    assert.equal(services.boards.get(id)?.status, 'Running');
  }

  async function lifecycleCalls(): Promise<string[]> {
    return (await emulator().requests())
      .filter((r) => ['StopTensorboard', 'DeleteTensorboard', 'StartTensorboard'].includes(r.operation ?? ''))
      .map((r) => r.operation!);
  }

  it('cancelled: says the board keeps starting, leaves it so, and its panel follows it until it runs', async () => {
    const progress = cancellableProgress(/^Starting TensorBoard "tb-cancelled"/);
    try {
      await createAndWait('tb-cancelled');
      await progress.started;
      await nextPoll();
      progress.cancel();
      await commandEnded();
    } finally {
      progress.restore();
    }
    assert.match(ui.last('info')?.text ?? '', /^"tb-cancelled" keeps starting; its panel shows it when it runs\.$/);
    assert.deepEqual(await lifecycleCalls(), []);
    const board = services.boards.boards.find((b) => b.displayName === 'tb-cancelled')!;
    assert.equal(board.status, 'Creating');
    await panelFollowsToRunning(board.tensorboardId);
  });

  /** Creates a board, cancels its wait, and answers the message that follows with `button`. */
  async function cancelAndPress(name: string, ...buttons: string[]): Promise<Tensorboard> {
    const progress = cancellableProgress(/^Starting TensorBoard /);
    let board: Tensorboard;
    try {
      board = await createAndWait(name);
      await progress.started;
      await nextPoll();
      ui.press(...buttons);
      progress.cancel();
      await commandEnded();
    } finally {
      progress.restore();
    }
    const said = ui.messages.find((m) => m.text.startsWith(`"${name}" keeps starting`));
    assert.deepEqual(said?.buttons, ['Stop', 'Delete']);
    return board;
  }

  it('cancelled: Stop stops the starting board', async () => {
    const board = await cancelAndPress('tb-cancel-stop', 'Stop');
    await eventually(lifecycleCalls, (c) => c.length > 0, 'the stop', 10_000);
    assert.deepEqual(await lifecycleCalls(), ['StopTensorboard']);
    assert.equal((await calls('StopTensorboard'))[0]!.path, `/api/v1/tensorboards/${board.tensorboardId}/stop`);
  });

  it('cancelled: Delete asks as the sidebar does, stops the starting board, then deletes it', async () => {
    const board = await cancelAndPress('tb-cancel-delete', 'Delete', 'Delete');
    await eventually(lifecycleCalls, (c) => c.length > 0, 'the stop', 10_000);
    const confirm = ui.messages.find((m) => m.severity === 'warning');
    assert.equal(confirm?.text, 'Delete the TensorBoard "tb-cancel-delete"?');
    assert.deepEqual(confirm?.buttons, ['Delete']);
    // PAI-DLC deletes only a stopped board: the stop settles first.
    await emulator().advanceClock(CREATE_MS);
    await eventually(
      async () => {
        await timer.advance(2_000);
        return lifecycleCalls();
      },
      (c) => c.length > 1,
      'the delete',
      20_000,
    );
    assert.deepEqual(await lifecycleCalls(), ['StopTensorboard', 'DeleteTensorboard']);
    assert.equal((await calls('DeleteTensorboard'))[0]!.path, `/api/v1/tensorboards/${board.tensorboardId}`);
    await eventually(() => services.boards.isRemoved(board.tensorboardId), Boolean, 'the board gone', 10_000);
    assert.deepEqual(
      ui.messages.filter((m) => m.severity === 'error'),
      [],
    );
  });

  it('times out after 15 minutes: says the board keeps starting, and its panel follows it until it runs', async () => {
    const board = await createAndWait('tb-slow');
    await nextPoll();
    // A millisecond short of the deadline: the poll due by then is made, and the wait goes on to its next turn.
    const turns = timer.delays.length;
    await timer.advance(15 * 60_000 - 1 - timer.now);
    await eventually(() => ended || timer.delays.length > turns, Boolean, 'the next turn of the wait', 10_000);
    assert.ok(!ended, 'the wait ended before 15 minutes');
    await timer.advance(1);
    await commandEnded();
    assert.match(
      ui.last('warning')?.text ?? '',
      /TensorBoard "tb-slow" is still not running after 15 minutes\. It keeps starting in PAI-DLC; its panel and the sidebar follow it\./,
    );
    assert.deepEqual(await lifecycleCalls(), []);
    await panelFollowsToRunning(board.tensorboardId);
  });

  it('the board stops during the wait: says so, and its panel offers to start it', async () => {
    const board = await createAndWait('tb-stopped');
    await nextPoll();
    await emulator().setBoardStatus(board.tensorboardId, 'Stopped');
    await nextPoll();
    await commandEnded();
    assert.match(
      ui.last('warning')?.text ?? '',
      /TensorBoard "tb-stopped" stopped before it was ready\. Start it again from the sidebar\./,
    );
    assert.equal(services.panels.get(board.tensorboardId)?.showing, 'stopped');
    assert.equal(services.boards.get(board.tensorboardId)?.status, 'Stopped');
  });

  it("the board fails during the wait: says why, in the service's words, with Show Logs", async () => {
    const board = await createAndWait('tb-failing');
    await nextPoll();
    await emulator().setBoardStatus(board.tensorboardId, 'Failed', {
      code: 'ImagePullBackOff',
      message: 'Back-off pulling image.',
    });
    await nextPoll();
    await commandEnded();
    const error = ui.last('error');
    assert.equal(error?.text, 'TensorBoard "tb-failing" failed to start: ImagePullBackOff: Back-off pulling image.');
    assert.deepEqual(error?.buttons, ['Show Logs']);
    assert.equal(services.panels.get(board.tensorboardId)?.showing, 'failed');
  });

  it('the board is deleted during the wait: the wait ends and its panel says the board was deleted', async () => {
    const board = await createAndWait('tb-deleted');
    await nextPoll();
    // Deleted elsewhere (the console, another window): a board is stopped before it can be deleted.
    await emulator().setBoardStatus(board.tensorboardId, 'Stopped');
    await services.connection.client().deleteTensorboard(board.tensorboardId, { workspaceId: '86923' });
    await nextPoll();
    await commandEnded();
    assert.deepEqual(
      ui.messages.filter((m) => m.severity !== 'info'),
      [],
    );
    assert.equal(services.panels.get(board.tensorboardId)?.showing, 'deleted');
    assert.equal(
      services.boards.boards.find((b) => b.tensorboardId === board.tensorboardId),
      undefined,
    );
  });

  it('loses track of the board when a poll fails for good: says so, and its panel still follows the board', async () => {
    const board = await createAndWait('tb-lost');
    await nextPoll();
    await emulator().injectFault({
      kind: 'missingField',
      operation: 'GetTensorboard',
      id: board.tensorboardId,
      times: 1,
    });
    await nextPoll();
    await commandEnded();
    const error = ui.last('error');
    assert.match(error?.text ?? '', /^Lost track of TensorBoard "tb-lost": .*unexpected shape/);
    assert.ok(error?.buttons.includes('Show Logs'));
    await panelFollowsToRunning(board.tensorboardId);
  });
});
