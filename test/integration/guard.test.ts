import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BoardNode } from '../../src/boards/boardNodes';
import { formatDuration } from '../../src/boards/time';
import type { Services } from '../../src/services';
import { FakeTimer } from '../shared/fakeTimer';
import { calls, defaultSeed, resetToDefaultSeed, resetToSeed, updateUserSetting } from './flowSupport';
import { emulator, eventually, extensionServices, signedInFresh, type Ui } from './support';

const RUNNING = 'tb4k8lc5xfu36opt'; // resnet50-imagenet, over the running job dlc1a9r0uhfn24cl
const JOB = 'dlc1a9r0uhfn24cl';
const MIN = 60_000;

async function openPanel(services: Services): Promise<void> {
  await vscode.commands.executeCommand('paiTensorboard.openBoard', RUNNING);
  await eventually(
    () => services.panels.get(RUNNING)?.showing,
    (s) => s === 'running',
    'the board framed',
    20_000,
  );
}

/** The guard's clock and turns from here on move only as the test moves them. */
async function guardOnFakeTime(services: Services): Promise<FakeTimer & { restore(): void }> {
  const base = Date.now();
  const real = services.guard.timer;
  const timer = Object.assign(new FakeTimer(), { restore: () => void (services.guard.timer = real) });
  services.guard.timer = timer;
  services.guard.now = () => base + timer.now;
  // The sidebar reads the same clock, as the user's wall clock moves both.
  services.tree.now = services.guard.now;
  await emulator().clearRequests();
  return timer;
}

/** Moves the clock on by whole minutes, each turn of the guard finished before the next. */
async function turns(services: Services, timer: FakeTimer, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await timer.advance(MIN);
    // Joins the turn the minute started (or takes one at the same time, which decides the same).
    await services.guard.turn();
  }
}

async function stops(): Promise<string[]> {
  return (await calls('StopTensorboard')).map((r) => r.path);
}

describe('boards that stop when nobody needs them', () => {
  let services: Services;
  let ui: Ui;
  let timer: FakeTimer & { restore(): void };

  before(async () => {
    services = await extensionServices();
  });
  beforeEach(async () => {
    ui = await signedInFresh(500);
    await services.context.globalState.update('boardSeenTimes', undefined);
    // Opened in a panel, which is then closed: the board was looked at, and nobody looks at it any more.
    await openPanel(services);
    services.panels.get(RUNNING)!.panel.dispose();
    timer = await guardOnFakeTime(services);
  });
  afterEach(async () => {
    timer.restore();
    services.guard.now = Date.now;
    services.tree.now = Date.now;
    ui.restore();
    await updateUserSetting('idleStopMinutes', 60);
    await updateUserSetting('stopAfterJobEndsMinutes', 30);
  });

  const minutes = (count: number) => turns(services, timer, count);

  const notices = () => ui.messages.filter((m) => m.severity === 'warning');

  it('gives notice after 60 minutes unseen, then stops the board a minute later and says so', async () => {
    await minutes(59);
    assert.deepEqual(notices(), []);
    assert.deepEqual(await stops(), []);
    await minutes(1);
    assert.deepEqual(
      notices().map((m) => [m.text, m.buttons]),
      [
        [
          'TensorBoard "resnet50-imagenet" has not been looked at for 60 minutes: stopping in 1 minute',
          ['Keep Running', 'Stop Now', 'Never Stop It'],
        ],
      ],
    );
    assert.deepEqual(await stops(), []);
    await minutes(1);
    assert.deepEqual(await stops(), [`/api/v1/tensorboards/${RUNNING}/stop`]);
    const said = ui.last('info');
    assert.equal(said?.text, 'Stopped TensorBoard "resnet50-imagenet": nobody looked at it for 60 minutes.');
    assert.deepEqual(said?.buttons, ['Start']);
  });

  /** The running board's row in the sidebar, as the tree gives it to VS Code. */
  const row = async () =>
    ((await services.tree.getChildren()) as BoardNode[]).find((n) => n.board?.tensorboardId === RUNNING)!;
  const said = async () => String((await row()).description);

  it('says in the sidebar how long the board has been idle and when it stops', async () => {
    // Seen when its panel closed, less than a minute before the clock starts: it stops 61 minutes after that.
    assert.match(await said(), /^idle <1 min, stops in 1 h( 1 min)?$/);
    await minutes(19);
    assert.equal(await said(), 'idle 19 min, stops in 41 min');
    const tooltip = ((await row()).tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes('idle 19 min\\, stops in 41 min'), tooltip);
    assert.ok(tooltip.includes(JOB), tooltip);
    await minutes(41);
    // The notice is out: a minute to go.
    assert.equal(await said(), 'idle 1 h, stops in 1 min');
  });

  it("counts the max running time down between fetches, re-rendered at the guard's turns", async () => {
    await vscode.commands.executeCommand('paiTensorboard.boards.focus');
    await updateUserSetting('idleStopMinutes', 0);
    // The turn the change started, which withdraws what an earlier test left pending.
    await services.guard.turn();
    const board = services.boards.get(RUNNING)!;
    const fetchedAt = services.boards.fetchedAt(RUNNING)!;
    const left = () =>
      `${formatDuration(board.maxRunningTimeMinutes! * MIN - board.durationSeconds * 1_000 - (services.tree.now() - fetchedAt))} left`;
    const first = await said();
    assert.equal(first, left());
    assert.match(first, /^(3 h|2 h 5\d min) left$/);
    let renders = 0;
    const listening = services.tree.onDidChangeTreeData(() => renders++);
    try {
      await minutes(30);
      assert.ok(renders >= 30, `re-rendered ${renders} times in 30 turns`);
    } finally {
      listening.dispose();
    }
    // Nothing was fetched meanwhile: the time left still fell by the 30 minutes.
    assert.equal(services.boards.fetchedAt(RUNNING), fetchedAt);
    assert.equal(await said(), left());
    assert.match(await said(), /^2 h [23]\d min left$/);
  });

  const signedIn = async () => (await services.connection.store.get()) !== undefined;

  it('Sign Out names the board left running, and stops it first when asked', async () => {
    ui.press('Stop It and Sign Out');
    await vscode.commands.executeCommand('paiTensorboard.signOut');
    const asked = ui.messages.find((m) => m.severity === 'warning');
    assert.equal(asked?.text, 'TensorBoard "resnet50-imagenet" is still running. Stop it before signing out?');
    assert.deepEqual(asked?.buttons, ['Stop It and Sign Out', 'Sign Out']);
    assert.deepEqual(await stops(), [`/api/v1/tensorboards/${RUNNING}/stop`]);
    assert.equal(await signedIn(), false);
  });

  it('Sign Out can leave the board running, and Cancel keeps the user signed in', async () => {
    await vscode.commands.executeCommand('paiTensorboard.signOut');
    assert.equal(await signedIn(), true);
    ui.press('Sign Out');
    await vscode.commands.executeCommand('paiTensorboard.signOut');
    assert.equal(ui.messages.filter((m) => m.severity === 'warning').length, 2);
    assert.deepEqual(await stops(), []);
    assert.equal(await signedIn(), false);
  });

  it('Keep Running postpones the stop by 60 minutes', async () => {
    await minutes(59);
    ui.press('Keep Running');
    await minutes(1);
    assert.equal(notices().length, 1);
    await minutes(59);
    assert.deepEqual(await stops(), []);
    assert.equal(notices().length, 1);
    await minutes(1);
    assert.equal(notices().length, 2);
    await minutes(1);
    assert.deepEqual(await stops(), [`/api/v1/tensorboards/${RUNNING}/stop`]);
  });

  it('at the account limit, lists the idle board first, with when it was last seen', async () => {
    await updateUserSetting('idleStopMinutes', 0);
    await minutes(70);
    const client = services.connection.client();
    for (const name of ['a', 'b', 'c'])
      await client.createTensorboard({
        workspaceId: '86923',
        displayName: `filler-${name}`,
        uri: `oss://pai-emulator-demo.oss-cn-hangzhou-internal.aliyuncs.com/${name}/`,
        dataSourceType: 'OSS',
        summaryRelativePath: '/',
      });
    let offered: readonly vscode.QuickPickItem[] = [];
    ui.type('tb-at-limit').dismissPick((items) => (offered = items));
    await vscode.commands.executeCommand('paiTensorboard.createBoardForJob', 'dlc9s5e3m7h1q2x6');
    assert.deepEqual(
      offered.slice(0, 2).map((i) => [i.label, i.detail]),
      [
        ['resnet50-imagenet', 'last seen 1 h 10 min ago, idle'],
        ['mnist-baseline <v1>', 'never opened from this editor'],
      ],
    );
    // The fillers follow once they run (still Creating, they can be neither stopped nor deleted).
    for (const item of offered.slice(2)) assert.match(item.label, /^filler-[abc]$/);
  });

  it('stops the board 30 minutes after its job ended', async () => {
    await updateUserSetting('idleStopMinutes', 0);
    await emulator().endJob(JOB, 'Succeeded');
    await minutes(1);
    assert.match(await said(), /^job ended, stops in (29|30) min$/);
    await minutes(28);
    assert.deepEqual(notices(), []);
    await minutes(2);
    assert.deepEqual(
      notices().map((m) => m.text),
      ['The jobs of TensorBoard "resnet50-imagenet" have ended: stopping in 1 minute'],
    );
    await minutes(1);
    assert.deepEqual(await stops(), [`/api/v1/tensorboards/${RUNNING}/stop`]);
    assert.equal(ui.last('info')?.text, 'Stopped TensorBoard "resnet50-imagenet": its jobs have ended.');
  });
});

describe('a watched board near its max running time', () => {
  let services: Services;
  let ui: Ui;
  let timer: FakeTimer & { restore(): void };

  before(async () => {
    services = await extensionServices();
  });
  beforeEach(async () => {
    // The seeded board has run for an hour: 5 minutes left of 65.
    const seed = defaultSeed();
    seed.tensorboards = seed.tensorboards!.map((b) =>
      b.tensorboardId === RUNNING ? { ...b, maxRunningTimeMinutes: 65 } : b,
    );
    await resetToSeed(seed);
    ui = await signedInFresh(500);
    await services.context.globalState.update('boardSeenTimes', undefined);
    await openPanel(services);
    timer = await guardOnFakeTime(services);
  });
  afterEach(async () => {
    timer.restore();
    services.guard.now = Date.now;
    ui.restore();
    // The panel this test opened closes with it: a later test's panel must not find it framed already.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetToDefaultSeed();
  });

  it('offers Extend in the panel, and the longer cap reaches the service', async () => {
    const panel = services.panels.get(RUNNING)!;
    assert.equal(panel.extendOffer, undefined);
    // The bar has the button, hidden until the extension offers it (no re-render, so the frame is not reloaded).
    assert.match(
      panel.panel.webview.html,
      /<span id="extend-offer" hidden>.*<button type="button" id="extend">Extend by 1 Hour</,
    );
    await turns(services, timer, 1);
    assert.match(panel.extendOffer ?? '', /^Stops at its max running time in [1-5] min$/);
    // In the panel, not a notification.
    const warnings = () => ui.messages.filter((m) => m.severity !== 'info');
    assert.deepEqual(warnings(), []);
    // The user presses Extend: the page posts its message.
    panel.receive({ type: 'extend' });
    const updates = await eventually(
      () => calls('UpdateTensorboard'),
      (c) => c.length > 0,
      'the update',
      10_000,
    );
    assert.equal(updates.length, 1);
    assert.equal(updates[0]!.path, `/api/v1/tensorboards/${RUNNING}`);
    assert.equal(updates[0]!.query.MaxRunningTimeMinutes, '125');
    await eventually(
      () => services.boards.get(RUNNING)?.maxRunningTimeMinutes,
      (m) => m === 125,
      'the new cap',
      10_000,
    );
    // An hour more: the offer goes, and the next minutes do not bring it back.
    await turns(services, timer, 3);
    assert.equal(panel.extendOffer, undefined);
    assert.deepEqual(warnings(), []);
  });
});
