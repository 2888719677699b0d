import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { currentSession, openWorkbench, screenshotPath } from './harness';
import { boardInPanel, createBoardForJob, signIn } from './steps';
import type { Workbench } from './workbench';

/** How long the window's reload, the panel's restore and TensorBoard's page together may take. */
const RESTORE_MS = 60_000;
const BUCKET = 'oss://pai-emulator-demo.oss-cn-hangzhou-internal.aliyuncs.com';

describe('creating a TensorBoard and seeing it in the editor', () => {
  let workbench: Workbench;
  const settingsFolder = () => path.join(currentSession().host.workspaceFolder, '.vscode');

  before(async () => {
    const { emulator, workspaceFolder } = currentSession().host;
    emulator.reset();
    emulator.setTimings({ createMs: 2_000, startMs: 2_000, stopMs: 2_000 });
    mkdirSync(settingsFolder(), { recursive: true });
    writeFileSync(
      path.join(settingsFolder(), 'settings.json'),
      JSON.stringify({
        'paiTensorboard.pathMappings': [{ local: '${workspaceFolder}/logs', remote: `${BUCKET}/experiments/logs/` }],
      }),
    );
    assert.ok(workspaceFolder);
    workbench = await openWorkbench();
  });
  after(async () => {
    await workbench.close();
    rmSync(settingsFolder(), { recursive: true, force: true });
  });

  it('signs in through the palette', async () => {
    await signIn(workbench);
  });

  it('right-click a mapped folder: the board is created, runs, and its page shows in the panel', async () => {
    await workbench.explorerContextMenu('logs/run1', 'Create PAI TensorBoard for this Folder');
    await workbench.answerInputBox('tb-run1', { prompt: /Name of the new TensorBoard/ });
    await boardInPanel(workbench, 'tb-run1');
    assert.ok((await workbench.editorTabs()).includes('tb-run1'));
    const create = currentSession().host.emulator.requests.find((r) => r.operation === 'CreateTensorboard');
    assert.equal((create?.body as Record<string, unknown>)?.Uri, `${BUCKET}/experiments/logs/run1/`);
    // TensorBoard's run list names the one run after the folder, not ".".
    const board = workbench.webviewInnerFrame('iframe#board');
    await board.getByText('run1', { exact: true }).first().waitFor({ timeout: 15_000 });
    assert.equal(await board.getByText('.', { exact: true }).count(), 0, 'a run is named "."');
    await workbench.screenshot(screenshotPath('panel from folder'));
  });

  it('palette: pick a job, and its board opens in the panel', async () => {
    await workbench.runCommand('View: Close All Editors');
    await createBoardForJob(workbench, /xgboost-ctr/, 'tb-xgboost');
    await boardInPanel(workbench, 'tb-xgboost');
    const creates = currentSession().host.emulator.requests.filter((r) => r.operation === 'CreateTensorboard');
    assert.equal((creates.at(-1)?.body as Record<string, unknown>)?.JobId, 'dlc4n8w1r6t2v9b3');
    await workbench.screenshot(screenshotPath('panel from job'));
  });

  it('restores the open board panel after the window reloads', async function () {
    this.timeout(2 * RESTORE_MS);
    await workbench.runCommand('Developer: Reload Window');
    await workbench.ready();
    // After a reload the window restores the panel, then TensorBoard's page loads anew: 15 to 19 s in CI's runs, so
    // the 20 s bound of a first open was a race. The bridge's reload test gives it a minute too.
    await boardInPanel(workbench, 'tb-xgboost', RESTORE_MS);
    assert.deepEqual(await workbench.editorTabs(), ['tb-xgboost']);
    await workbench.screenshot(screenshotPath('panel restored'));
  });

  // A board that refuses framing or needs a cookie, shown through the loopback proxy where the window gives it an
  // origin of its own (and never where it would share the workbench's): framing.test.ts.
});
