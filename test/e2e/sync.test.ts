import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sampleRecords } from '../unit/sync/helpers';
import { currentSession, openWorkbench, screenshotPath } from './harness';
import { boardInPanel, signIn } from './steps';
import type { Workbench } from './workbench';

describe('syncing a log folder to OSS and watching its board', function () {
  this.timeout(240_000);
  let workbench: Workbench;
  const workspace = () => currentSession().host.workspaceFolder;
  const folder = () => path.join(workspace(), 'livelogs');
  const settingsFolder = () => path.join(workspace(), '.vscode');
  let hadSettings = false;
  // run1 of the samples writes steps 0…49, one record each after the file's version record.
  const records = sampleRecords('run1');
  const half = Math.floor(records.length / 2);
  const eventFile = () => path.join(folder(), 'train', 'events.out.tfevents.1700000009.host.1.0');

  before(async () => {
    const { emulator } = currentSession().host;
    emulator.reset();
    emulator.setTimings({ createMs: 2_000, startMs: 2_000, stopMs: 2_000 });
    hadSettings = existsSync(settingsFolder());
    mkdirSync(path.join(folder(), 'train'), { recursive: true });
    writeFileSync(eventFile(), Buffer.concat(records.slice(0, half)));
    workbench = await openWorkbench();
  });
  after(async () => {
    await workbench.close();
    rmSync(folder(), { recursive: true, force: true });
    // The sync wrote its path mapping into the workspace's settings.
    if (!hadSettings) rmSync(settingsFolder(), { recursive: true, force: true });
  });

  it('right-click an unmapped folder › Sync to OSS and Create Board: the board shows its curves, and gains new steps', async () => {
    await signIn(workbench);
    await workbench.explorerContextMenu('livelogs', 'Create PAI TensorBoard for this Folder');
    await workbench.pickQuickItem(/Sync to OSS and Create Board/);
    await workbench.pickQuickItem(/pai-emulator-demo/);
    await workbench.answerInputBox('tensorboard/e2e-live/', { prompt: /OSS prefix/ });
    await workbench.answerInputBox('tb-live', { prompt: /Name of the new TensorBoard/ });
    // The panel's line says when the board's TensorBoard serves the synced steps; a page that loaded before it did
    // shows "No dashboards are active" until its next reload, so the panel's Reload draws it now.
    const lag = workbench.webview().locator('#sync-lag');
    await lag.filter({ hasText: `board shows step ${half - 2} of ${half - 2}` }).waitFor({ timeout: 60_000 });
    await workbench.webview().locator('#reload').click();
    await boardInPanel(workbench, 'tb-live', 60_000);

    // The sidebar's view of the syncs shows this one.
    await workbench.openViewContainer('PAI TensorBoards');
    await workbench.treeItem('Log Folder Syncs', 'livelogs').waitFor({ timeout: 20_000 });
    await workbench.screenshot(screenshotPath('sync live first half'));

    // Training writes on: the synced board serves the new steps, the panel says so, the chart draws them.
    appendFileSync(eventFile(), Buffer.concat(records.slice(half)));
    const last = records.length - 2;
    await workbench
      .webview()
      .locator('#sync-lag')
      .filter({ hasText: `board shows step ${last} of ${last}` })
      .waitFor({ timeout: 60_000 });
    // TensorBoard's page reloads its charts every 30 s by itself; the panel's Reload draws them now.
    await workbench.webview().locator('#reload').click();
    await boardInPanel(workbench, 'tb-live', 60_000);
    // The x axis of the charts reaches 40 only once they draw the new steps (the first half ends at step 23).
    await workbench
      .webviewInnerFrame('iframe#board')
      .locator('svg text, .tick text, text')
      .getByText('40', { exact: true })
      .first()
      .waitFor({ timeout: 45_000 });
    // For the picture only: the chart draws its line a moment after its axis.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await workbench.screenshot(screenshotPath('sync live all steps'));
  });
});
