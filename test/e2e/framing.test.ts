import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { launchCodeServer, subFolder, type CodeServer } from '../runner/testHost';
import { currentSession, openWorkbench, screenshotPath } from './harness';
import { boardInPanel, boardInTab, signIn, tabAddress } from './steps';
import type { Workbench } from './workbench';

const CONTAINER = 'PAI TensorBoards';
const VIEW = 'PAI TensorBoards';
/** The seed's running board, over the sample runs of its job. */
const BOARD = 'resnet50-imagenet';
const BOARD_ID = 'tb4k8lc5xfu36opt';
const STEP_MS = 15_000;
/** A real TensorBoard starting and drawing its charts in the panel, on a machine as busy as a shared CI runner. */
const BOARD_MS = 60_000;

/** What the board's own document in the panel sees of itself and of the workbench around it. */
async function seenFromBoard(frame: Frame): Promise<{ origin: string; top: string }> {
  return frame.evaluate(() => {
    let top: string;
    try {
      top = window.top!.location.href;
    } catch {
      top = 'blocked';
    }
    return { origin: window.location.origin, top };
  });
}

/** The frame that shows the board in the panel (its shared link's page, or where that sent it), once it is there. */
function boardFrame(workbench: Workbench): Frame {
  const [frame] = workbench.frames((url) => /^https?:/.test(url) && url.includes(`/${BOARD_ID}/`));
  assert.ok(frame, 'no frame shows the board');
  return frame;
}

async function openBoard(workbench: Workbench): Promise<void> {
  await workbench.openViewContainer(CONTAINER);
  await workbench.clickTreeItemAction(VIEW, BOARD, 'Open TensorBoard');
}

describe("a board in the panel never runs in the workbench's origin (#22)", function () {
  // A real TensorBoard starts for the board, and a second code-server for the window with a proxy domain.
  this.timeout(240_000);

  afterEach(() => currentSession().host.emulator.setPageSwitches({ frameLimits: false, shareCookie: false }));

  describe('code-server with a proxy domain: every forwarded port has an origin of its own', () => {
    let server: CodeServer;
    let workbench: Workbench;
    before(async () => {
      const { host } = currentSession();
      host.emulator.reset();
      server = await launchCodeServer(host.root, subFolder(host, 'proxy-domain'), {
        label: 'e2e proxy domain',
        proxyDomain: true,
      });
      workbench = await openWorkbench(server);
      await signIn(workbench);
    });
    after(async () => {
      await workbench?.close();
      await server?.stop();
    });

    for (const [why, switches] of [
      ['refuses framing (X-Frame-Options, frame-ancestors)', { frameLimits: true }],
      ['swaps its share token for a cookie', { shareCookie: true }],
    ] as const) {
      it(`shows a board that ${why} through the proxy, at <port>.cs.localhost, cut off from the workbench`, async () => {
        currentSession().host.emulator.setPageSwitches(switches);
        await workbench.runCommand('View: Close All Editors');
        await openBoard(workbench);
        await boardInPanel(workbench, BOARD, BOARD_MS);
        const src = await workbench.webviewInnerFrameUrl('iframe#board');
        assert.match(
          src,
          /^http:\/\/\d+\.cs\.localhost:\d+\/[A-Za-z0-9_-]{32}\/share\//,
          'not framed through the proxy',
        );
        const seen = await seenFromBoard(boardFrame(workbench));
        const workbenchOrigin = await workbench.page.evaluate(() => window.location.origin);
        assert.equal(seen.origin, new URL(src).origin);
        assert.notEqual(seen.origin, workbenchOrigin, "the board runs in the workbench's origin");
        assert.equal(seen.top, 'blocked', 'the board reads the workbench');
        await workbench.screenshot(screenshotPath(`framing proxy on its own origin ${Object.keys(switches)[0]}`));
      });
    }
  });

  describe("code-server without a proxy domain: every port forwarded onto /proxy/<port>/ of the workbench's origin", () => {
    let workbench: Workbench;
    before(async () => {
      currentSession().host.emulator.reset();
      workbench = await openWorkbench();
      await signIn(workbench);
    });
    after(async () => {
      await workbench?.close();
    });

    it('shows a board that refuses framing in the browser only, never through the proxy', async () => {
      currentSession().host.emulator.setPageSwitches({ frameLimits: true });
      await openBoard(workbench);
      const heading = workbench.webview().getByRole('heading', { name: `TensorBoard "${BOARD}" opens in the browser` });
      await heading.waitFor({ timeout: BOARD_MS });
      assert.equal(await workbench.webview().locator('iframe').count(), 0, 'the panel still frames something');
      const workbenchOrigin = await workbench.page.evaluate(() => window.location.origin);
      assert.deepEqual(
        workbench.frames((url) => url.startsWith(`${workbenchOrigin}/proxy/`)).map((frame) => frame.url()),
        [],
        "a frame runs a forwarded port in the workbench's origin",
      );
      await workbench.screenshot(screenshotPath('framing browser only without a proxy domain'));

      // Its button opens the board in a tab of its own, through the forwarding, where framing limits do not matter.
      const opened = workbench.page.context().waitForEvent('page', { timeout: STEP_MS });
      await workbench.webview().locator('#open-in-browser').click({ timeout: STEP_MS });
      const tab: Page = await opened;
      try {
        await boardInTab(tab, BOARD, BOARD_MS);
        const port = new URL(currentSession().host.emulator.endpoint).port;
        assert.ok(
          tab.url().startsWith(`${currentSession().host.url}/proxy/${port}/share/${BOARD_ID}/token/`),
          tabAddress(tab),
        );
      } finally {
        await tab.close();
      }
    });

    it('frames a board that needs a cookie as it is, in its own origin, not through the proxy', async () => {
      currentSession().host.emulator.setPageSwitches({ shareCookie: true });
      await workbench.runCommand('View: Close All Editors');
      await openBoard(workbench);
      await boardInPanel(workbench, BOARD, BOARD_MS);
      const src = await workbench.webviewInnerFrameUrl('iframe#board');
      assert.ok(src.startsWith(`${currentSession().host.emulator.endpoint}/share/${BOARD_ID}/token/`), src);
      const seen = await seenFromBoard(boardFrame(workbench));
      assert.notEqual(seen.origin, await workbench.page.evaluate(() => window.location.origin));
      assert.equal(seen.top, 'blocked', 'the board reads the workbench');
      await workbench.screenshot(screenshotPath('framing direct without a proxy domain'));
    });
  });
});
