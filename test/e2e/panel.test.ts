import assert from 'node:assert/strict';
import { currentSession, openWorkbench, screenshotPath } from './harness';
import { boardInPanel, signIn, typeAccessKeyPair } from './steps';
import type { Workbench } from './workbench';

const CONTAINER = 'PAI TensorBoards';
const VIEW = 'PAI TensorBoards';
/** The seed's running board, over the sample runs of its job. */
const BOARD = 'resnet50-imagenet';
const BOARD_ID = 'tb4k8lc5xfu36opt';
const STEP_MS = 15_000;
/** A real TensorBoard (re)starting and drawing its charts in the panel, on a machine as busy as a shared CI runner. */
const BOARD_MS = 60_000;

/** Polls until `read` gives what `ok` wants, else fails saying what it saw last. */
async function eventually<T>(
  read: () => Promise<T> | T,
  ok: (value: T) => boolean,
  what: string,
  timeout = STEP_MS,
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeout} ms`);
}

describe("the board panel's buttons", function () {
  // Each step waits for a real TensorBoard to (re)start and answer in the panel: more than mocha's minute on a busy machine.
  this.timeout(180_000);
  let workbench: Workbench;

  const requests = (operation: string) =>
    currentSession().host.emulator.requests.filter((r) => r.operation === operation);
  /** The board's own frames inside the panel: its shared link's pages. */
  const boardFrames = () => workbench.frames((url) => url.includes(`/share/${BOARD_ID}/token/`));
  const heading = (name: string | RegExp) => workbench.webview().getByRole('heading', { name });

  before(async () => {
    const { emulator } = currentSession().host;
    emulator.reset();
    emulator.setTimings({ createMs: 2_000, startMs: 2_000, stopMs: 1_000 });
    workbench = await openWorkbench();
    await signIn(workbench);
  });
  after(async () => {
    await workbench?.close();
  });

  it('Reload loads the board again: a new shared link, and a new page in the frame', async () => {
    await workbench.openViewContainer(CONTAINER);
    await workbench.clickTreeItemAction(VIEW, BOARD, 'Open TensorBoard');
    await boardInPanel(workbench, BOARD, BOARD_MS);
    const links = requests('GetTensorboardSharedUrl').length;
    const [before] = boardFrames();
    assert.ok(before, 'no frame shows the board');
    // A mark on the page the frame shows now: a page loaded anew has none.
    await before.evaluate(() => void ((window as unknown as { marked?: boolean }).marked = true));
    await workbench.webview().getByRole('button', { name: 'Reload' }).click({ timeout: STEP_MS });
    await eventually(
      () => requests('GetTensorboardSharedUrl').length,
      (n) => n === links + 1,
      'GetTensorboardSharedUrl after Reload',
    );
    const unmarked = async () => {
      const marks = await Promise.all(
        boardFrames().map((f) =>
          f.evaluate(() => (window as unknown as { marked?: boolean }).marked === true).catch(() => true),
        ),
      );
      return marks.length > 0 && !marks.includes(true);
    };
    await eventually(unmarked, (fresh) => fresh, 'a new page in the frame');
    await boardInPanel(workbench, BOARD, BOARD_MS);
  });

  it("Start on a stopped board's panel starts it: StartTensorboard, the panel on its way, then the board", async () => {
    await workbench.clickTreeItemAction(VIEW, BOARD, 'Stop TensorBoard');
    await workbench.page.mouse.move(800, 400); // off the row, so that its tooltip does not cover the panel
    await heading(`TensorBoard "${BOARD}" is stopped`).waitFor({ timeout: STEP_MS });
    assert.equal(await workbench.webview().locator('iframe#board').count(), 0, 'the stopped board is still framed');
    await workbench.screenshot(screenshotPath('panel of a stopped board'));

    await workbench.webview().getByRole('button', { name: 'Start' }).click({ timeout: STEP_MS });
    await heading(`TensorBoard "${BOARD}" is Creating…`).waitFor({ timeout: STEP_MS });
    assert.deepEqual(
      requests('StartTensorboard').map((r) => [r.method, r.path, r.status]),
      [['PUT', `/api/v1/tensorboards/${BOARD_ID}/start`, 200]],
    );
    await boardInPanel(workbench, BOARD, BOARD_MS);
  });

  it('Sign In on the signed-out panel runs Sign In, and the panel shows the board again', async () => {
    await workbench.runCommand('PAI: Sign Out');
    // The board this editor opened still runs: Sign Out names it and offers to stop it first.
    assert.equal(
      await workbench.dialogMessage(),
      `TensorBoard "${BOARD}" is still running. Stop it before signing out?`,
    );
    await workbench.screenshot(screenshotPath('sign out names the running board'));
    await workbench.clickDialogButton('Sign Out');
    await heading('Signed out').waitFor({ timeout: STEP_MS });
    assert.equal(
      await workbench.webview().locator('iframe#board').count(),
      0,
      'the signed-out panel still frames the board',
    );
    await workbench.screenshot(screenshotPath('panel signed out'));

    await workbench.webview().getByRole('button', { name: 'Sign In' }).click({ timeout: STEP_MS });
    await typeAccessKeyPair(workbench);
    await boardInPanel(workbench, BOARD, BOARD_MS);
  });
});
