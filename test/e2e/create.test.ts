import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { currentSession, openWorkbench, screenshotPath } from './harness';
import type { Workbench } from './workbench';

const BUCKET = 'oss://pai-emulator-demo.oss-cn-hangzhou-internal.aliyuncs.com';
const STEP_MS = 20_000;

async function signIn(workbench: Workbench): Promise<void> {
  const { credentials } = currentSession().host.emulator;
  await workbench.runCommand('PAI: Sign In');
  await workbench.pickQuickItem(/Enter an AccessKey pair/);
  await workbench.answerInputBox(credentials.accessKeyId, { prompt: /AccessKey ID/ });
  await workbench.answerInputBox(credentials.accessKeySecret, { prompt: /AccessKey secret/ });
  await workbench.answerInputBox('', { prompt: /STS token/ });
  await workbench.waitForNotification(/Signed in to Alibaba Cloud/);
}

/** The board page the emulator serves, as it shows inside the panel's frame. */
async function boardInPanel(workbench: Workbench, name: string): Promise<string> {
  const heading = workbench.webviewInnerFrame('iframe#board').locator('main h1');
  await heading.waitFor({ timeout: STEP_MS });
  assert.equal(await heading.innerText(), 'TensorBoard');
  const page = await workbench.webviewInnerFrame('iframe#board').locator('main').innerText();
  assert.ok(page.includes(name), `the framed page shows ${JSON.stringify(page)}`);
  return page;
}

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
      JSON.stringify({ 'paiTensorboard.pathMappings': [{ local: '${workspaceFolder}/logs', remote: `${BUCKET}/experiments/logs/` }] }),
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
    await workbench.runCommand('PAI: Create TensorBoard…');
    await workbench.pickQuickItem(/A DLC job/);
    await workbench.pickQuickItem(/llm-pretrain-7b/);
    await workbench.answerInputBox('tb-llm', { prompt: /Name of the new TensorBoard/ });
    await boardInPanel(workbench, 'tb-llm');
    const creates = currentSession().host.emulator.requests.filter((r) => r.operation === 'CreateTensorboard');
    assert.equal((creates.at(-1)?.body as Record<string, unknown>)?.JobId, 'dlc9s5e3m7h1q2x6');
    await workbench.screenshot(screenshotPath('panel from job'));
  });
});
