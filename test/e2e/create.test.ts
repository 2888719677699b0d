import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { currentSession, openWorkbench, screenshotPath } from './harness';
import { boardInPanel, createBoardForJob, signIn } from './steps';
import type { Workbench } from './workbench';

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

  it('restores the open board panel after the window reloads', async () => {
    await workbench.runCommand('Developer: Reload Window');
    await workbench.ready();
    await boardInPanel(workbench, 'tb-xgboost');
    assert.deepEqual(await workbench.editorTabs(), ['tb-xgboost']);
    await workbench.screenshot(screenshotPath('panel restored'));
  });

  /** Creates a board for an OSS folder typed in the palette, and waits for TensorBoard in its panel. */
  async function boardForFolder(uri: string, name: string): Promise<string> {
    await workbench.runCommand('View: Close All Editors');
    await workbench.runCommand('PAI: Create TensorBoard…');
    await workbench.pickQuickItem(/OSS or NAS folder/);
    await workbench.answerInputBox(uri, { prompt: /folder that holds the summaries/ });
    await workbench.answerInputBox(name, { prompt: /Name of the new TensorBoard/ });
    return boardInPanel(workbench, name);
  }

  for (const [mode, switches, folder] of [
    ['framing limits (X-Frame-Options, frame-ancestors)', { frameLimits: true }, 'mnist/logs/'],
    ['a share link that swaps its token for a cookie', { shareCookie: true }, 'mnist/logs/run2/'],
  ] as const) {
    it(`shows the board through the loopback proxy when it sends ${mode}`, async () => {
      const { emulator } = currentSession().host;
      // A fresh world: the account's board limit (5) would stop the create.
      emulator.reset();
      emulator.setTimings({ createMs: 2_000, startMs: 2_000, stopMs: 2_000 });
      emulator.setPageSwitches(switches);
      try {
        const name = `tb-${Object.keys(switches)[0]}`;
        const page = await boardForFolder(`${BUCKET}/${folder}`, name);
        if (folder === 'mnist/logs/')
          assert.match(page, /run1[\s\S]*run2[\s\S]*run3/, "the folder's three runs are not listed");
        const frame = await workbench.webviewInnerFrameUrl('iframe#board');
        assert.match(
          frame,
          /^http:\/\/127\.0\.0\.1:\d+\/proxy\/\d+\/[A-Za-z0-9_-]{32}\//,
          `the board was not framed through the proxy: ${frame}`,
        );
        await workbench.screenshot(screenshotPath(`panel through the proxy ${Object.keys(switches)[0]}`));
      } finally {
        emulator.setPageSwitches({ frameLimits: false, shareCookie: false });
      }
    });
  }
});
