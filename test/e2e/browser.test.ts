import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { currentSession, openWorkbench, screenshotPath } from './harness';
import { boardInPanel, boardInTab, signIn, tabAddress } from './steps';
import type { Workbench } from './workbench';

const CONTAINER = 'PAI TensorBoards';
const VIEW = 'PAI TensorBoards';
/** The seed's running board, over the sample runs of its job. */
const BOARD = 'resnet50-imagenet';
const BOARD_ID = 'tb4k8lc5xfu36opt';
const STEP_MS = 15_000;

describe('opening a board in the browser', () => {
  let workbench: Workbench;

  before(async () => {
    currentSession().host.emulator.reset();
    workbench = await openWorkbench();
    await signIn(workbench);
  });
  after(async () => {
    await workbench.close();
  });

  /**
   * Runs `action` and returns the browser tab it opens: the web workbench opens an external http(s) link with
   * `window.open(url, '_blank', 'noopener')`, a new page of the same browser context.
   */
  async function tabOpenedBy(action: () => Promise<void>): Promise<Page> {
    const opened = workbench.page.context().waitForEvent('page', { timeout: STEP_MS });
    await action();
    return opened;
  }

  /**
   * Where a browser reaches the emulator's port through code-server: its port forwarding, `/proxy/<port>/`. The
   * emulator's board URLs are loopback ones of the machine code-server runs on, which a user's browser cannot reach.
   */
  function forwardedEmulator(): string {
    const { host } = currentSession();
    return `${host.url}/proxy/${new URL(host.emulator.endpoint).port}/`;
  }

  /**
   * For the screenshot: the `loss` group opened (TensorBoard opens only the first two groups by itself) and its card
   * in view, once the card's table lists the runs' values. Its lines are drawn in a worker's offscreen canvas, which
   * the page does not tell about: they may still be on their way.
   */
  async function screenshotLossCard(tab: Page, file: string): Promise<void> {
    const group = tab.locator('div.card-group').filter({ has: tab.locator('.group-title', { hasText: /^loss$/ }) });
    const heading = group.locator('button.group-toolbar');
    if ((await heading.getAttribute('aria-expanded', { timeout: STEP_MS })) !== 'true')
      await heading.click({ timeout: STEP_MS });
    const card = group.locator('scalar-card').first();
    await card.scrollIntoViewIfNeeded({ timeout: STEP_MS });
    await card.locator('scalar-card-data-table').getByText('run1', { exact: true }).waitFor({ timeout: STEP_MS });
    await tab.screenshot({ path: screenshotPath(file) });
  }

  it("the panel's Open in Browser opens a tab that shows the board, through code-server's port forwarding", async () => {
    await workbench.openViewContainer(CONTAINER);
    await workbench.clickTreeItemAction(VIEW, BOARD, 'Open TensorBoard');
    await boardInPanel(workbench, BOARD);
    const tab = await tabOpenedBy(() => workbench.webview().locator('#open-in-browser').click({ timeout: STEP_MS }));
    try {
      await boardInTab(tab, BOARD);
      // The board's shared link, its path and token kept, below the port's forwarded root.
      assert.ok(
        tab.url().startsWith(`${forwardedEmulator()}share/${BOARD_ID}/token/`),
        `the tab shows ${tabAddress(tab)}`,
      );
      await screenshotLossCard(tab, 'browser tab opened from the panel');
    } finally {
      await tab.close();
    }
  });

  it("the sidebar's Open TensorBoard in Browser opens a tab that shows the board at its TensorboardUrl", async () => {
    const { emulator } = currentSession().host;
    // Real boards' TensorboardUrl wants a console login; the emulator's login page sends the browser to its own
    // origin, so here the board is served without one, to see the board's own address through the forwarding.
    const { tensorboardUrlNeedsLogin } = emulator.setPageSwitches({});
    emulator.setPageSwitches({ tensorboardUrlNeedsLogin: false });
    try {
      await workbench.openViewContainer(CONTAINER);
      const tab = await tabOpenedBy(() => workbench.treeItemContextMenu(VIEW, BOARD, 'Open TensorBoard in Browser'));
      try {
        await boardInTab(tab, BOARD);
        assert.ok(
          tab.url().startsWith(`${forwardedEmulator()}tensorboard/${BOARD_ID}/`),
          `the tab shows ${tabAddress(tab)}`,
        );
        await screenshotLossCard(tab, 'browser tab opened from the sidebar');
      } finally {
        await tab.close();
      }
    } finally {
      emulator.setPageSwitches({ tensorboardUrlNeedsLogin });
    }
  });
});
