import assert from 'node:assert/strict';
import { currentSession, openWorkbench, screenshotPath } from './harness';
import type { Workbench } from './workbench';

const CONTAINER = 'PAI TensorBoards';
const VIEW = 'PAI TensorBoards';
const STEP_MS = 15_000;

/** Polls the UI until `read` gives what `ok` wants: the tree updates by itself, so a test waits for it, not for time. */
async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeout = STEP_MS,
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read().catch(() => undefined as T);
    if (last !== undefined && ok(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeout} ms`);
}

describe('signing in and managing boards from the sidebar', () => {
  let workbench: Workbench;

  before(async () => {
    const { emulator } = currentSession().host;
    emulator.reset();
    emulator.setTimings({ createMs: 2_000, startMs: 2_000, stopMs: 2_000 });
    workbench = await openWorkbench();
  });
  after(async () => {
    await workbench.close();
  });

  it('signs in with a typed AccessKey pair and lists the seeded boards', async () => {
    const { credentials } = currentSession().host.emulator;
    await workbench.openViewContainer(CONTAINER);
    await workbench.welcome(VIEW).getByRole('button', { name: 'Sign In' }).click({ timeout: STEP_MS });
    await workbench.pickQuickItem(/Enter an AccessKey pair/);
    await workbench.answerInputBox(credentials.accessKeyId, { prompt: /AccessKey ID/ });
    await workbench.answerInputBox(credentials.accessKeySecret, { prompt: /AccessKey secret/ });
    await workbench.answerInputBox('', { prompt: /STS token/ });
    await workbench.waitForNotification(/Signed in to Alibaba Cloud with AccessKey EMULAT…/);
    const items = await eventually(
      () => workbench.treeItems(VIEW),
      (labels) => labels.length === 2,
      'the tree',
    );
    assert.deepEqual(items, ['resnet50-imagenet', 'mnist-baseline <v1>']);
    assert.match(
      await workbench.treeItemDescription(VIEW, 'resnet50-imagenet'),
      // Short enough for the default sidebar width: the time left, counted down; source and age are in the tooltip.
      /^\d h( \d+ min)? left$/,
    );
    const status = await workbench.page.locator('.statusbar-item').filter({ hasText: 'PAI EMULAT…' }).innerText();
    assert.match(status, /PAI EMULAT…EYID · cn-hangzhou$/);
    await workbench.screenshot(screenshotPath('sidebar signed in'));
  });

  it('stops the running board and shows it Stopped when the service has stopped it', async () => {
    await workbench.clickTreeItemAction(VIEW, 'resnet50-imagenet', 'Stop TensorBoard');
    await eventually(
      () => workbench.treeItemDescription(VIEW, 'resnet50-imagenet'),
      (d) => d.endsWith('Stopping'),
      'the board stopping',
    );
    const stopped = await eventually(
      () => workbench.treeItemDescription(VIEW, 'resnet50-imagenet'),
      (d) => d.endsWith('Stopped'),
      'the board stopped (polled while pending)',
    );
    assert.match(stopped, /^dlc1a9r0uhfn24cl · 1 h · Stopped$/);
    await workbench.screenshot(screenshotPath('sidebar board stopped'));
  });

  it('deletes the stopped board after the modal confirmation', async () => {
    await workbench.treeItemContextMenu(VIEW, 'resnet50-imagenet', 'Delete TensorBoard…');
    assert.equal(await workbench.dialogMessage(), 'Delete the TensorBoard "resnet50-imagenet"?');
    await workbench.clickDialogButton('Delete');
    const items = await eventually(
      () => workbench.treeItems(VIEW),
      (labels) => labels.length === 1,
      'the tree after delete',
    );
    assert.deepEqual(items, ['mnist-baseline <v1>']);
    const deletes = currentSession().host.emulator.requests.filter((r) => r.operation === 'DeleteTensorboard');
    assert.deepEqual(
      deletes.map((r) => [r.method, r.path, r.status]),
      [['DELETE', '/api/v1/tensorboards/tb4k8lc5xfu36opt', 200]],
    );
  });
});
