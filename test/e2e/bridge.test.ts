import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import {
  launchCodeServer,
  subFolder,
  testSettings,
  writeSettings,
  type CodeServer,
  type RunFolder,
} from '../runner/testHost';
import { currentSession, openWorkbench, screenshotPath } from './harness';
import { boardInPanel, signIn, typeAccessKeyPair } from './steps';
import type { Workbench } from './workbench';

const CONTAINER = 'PAI TensorBoards';
const VIEW = 'PAI TensorBoards';
/** The seed's running board, over the sample runs of its job. */
const BOARD = 'resnet50-imagenet';
const BOARD_ID = 'tb4k8lc5xfu36opt';
const STEP_MS = 15_000;
const BOARD_MS = 60_000;
const README = 'https://github.com/tensorflow/tensorboard/blob/master/README.md';

async function openBoard(workbench: Workbench): Promise<FrameLocator> {
  await workbench.openViewContainer(CONTAINER);
  await workbench.clickTreeItemAction(VIEW, BOARD, 'Open TensorBoard');
  await boardInPanel(workbench, BOARD, BOARD_MS);
  return workbench.webviewInnerFrame('iframe#board');
}

/** What the board's own data API answers for a run and tag, from its real TensorBoard (`--path_prefix`). */
async function dataApi(run: string, tag: string): Promise<string> {
  const processes = currentSession().host.emulator.realBoards().processes;
  const port = processes.find((process) => process.tensorboardId === BOARD_ID)?.port;
  assert.ok(port, 'no TensorBoard runs for the board');
  const query = new URLSearchParams({ run, tag, format: 'csv' });
  const answer = await fetch(`http://127.0.0.1:${port}/tensorboard/${BOARD_ID}/data/plugin/scalars/scalars?${query}`);
  assert.equal(answer.status, 200);
  return answer.text();
}

describe('the board bridge in the panel (#20): downloads, links, keys and the view', function () {
  // A real TensorBoard starts for the board, and a second code-server for the window with a proxy domain.
  this.timeout(300_000);
  let server: CodeServer;
  let workbench: Workbench;
  let folder: RunFolder;

  before(async () => {
    const { host } = currentSession();
    host.emulator.reset();
    folder = subFolder(host, 'bridge');
    server = await launchCodeServer(host.root, folder, { label: 'e2e bridge', proxyDomain: true });
    // In a browser window the bridge comes with the proxy the setting asks for (desktop takes it by itself).
    writeSettings(folder.userDataDir, { ...testSettings(host.emulator), 'paiTensorboard.boardFraming': 'proxy' });
    workbench = await openWorkbench(server);
    await signIn(workbench);
  });
  after(async () => {
    await workbench?.close();
    await server?.stop();
  });

  it('frames a board that allows framing through the proxy it is set to, with the bridge, and its settings pane closed', async () => {
    const board = await openBoard(workbench);
    const src = await workbench.webviewInnerFrameUrl('iframe#board');
    assert.match(src, /^http:\/\/\d+\.cs\.localhost:\d+\/[A-Za-z0-9_-]{32}\/share\//, 'not framed through the proxy');
    await board.locator('script[src$="__pai/bridge.js"]').waitFor({ state: 'attached', timeout: STEP_MS });
    assert.equal(await workbench.webview().locator('#no-bridge').count(), 0, 'the panel says the bridge is missing');
    // TensorBoard's settings pane does not cover the charts at the panel's width.
    await board.locator('.card-grid, metrics-main-view').first().waitFor({ timeout: STEP_MS });
    assert.equal(await board.locator('metrics-dashboard-right-pane').count(), 0, 'the settings pane is open');
    await workbench.screenshot(screenshotPath('bridge board through the proxy'));
  });

  it("TensorBoard's help link opens in the browser, not in the panel", async () => {
    const board = workbench.webviewInnerFrame('iframe#board');
    const context = workbench.page.context();
    await context.route(`${README}*`, (route) => route.fulfill({ contentType: 'text/plain', body: 'README' }));
    await board.locator('a[aria-label="Help"]').click({ timeout: STEP_MS });
    // VS Code asks before opening a site outside its trusted domains: the link reached openExternal.
    assert.match(await workbench.dialogMessage(), /open the external website/i);
    const detail = await workbench.page.locator('.monaco-dialog-box .dialog-message-detail').innerText();
    assert.equal(detail.trim(), README);
    await workbench.screenshot(screenshotPath('bridge help link asks to open'));
    const opened = context.waitForEvent('page', { timeout: STEP_MS });
    await workbench.clickDialogButton('Open');
    const tab: Page = await opened;
    try {
      await tab.waitForURL(README, { timeout: STEP_MS });
    } finally {
      await tab.close();
    }
    await boardInPanel(workbench, BOARD, STEP_MS);
  });

  it("a chart's CSV download is saved through the save dialog, holding the data API's rows", async () => {
    const board = workbench.webviewInnerFrame('iframe#board');
    // The Scalars dashboard's data links (Time Series' download dialog has no link behind a path prefix).
    await board.getByRole('tab', { name: /^scalars$/i }).click({ timeout: STEP_MS });
    await board.locator('paper-checkbox', { hasText: 'Show data download links' }).click({ timeout: STEP_MS });
    const links = board.locator('.download-links').first();
    await links.locator('paper-dropdown-menu').click({ timeout: STEP_MS });
    const run = 'run1';
    await links.locator('paper-item', { hasText: new RegExp(`^\\s*${run}\\s*$`) }).click({ timeout: STEP_MS });
    const csv = links.locator('a', { hasText: /^\s*CSV\s*$/ });
    // The run and tag the download is of, from TensorBoard's own link.
    const href = new URL((await csv.getAttribute('href', { timeout: STEP_MS })) ?? '', 'http://board/');
    const tag = href.searchParams.get('tag') ?? '';
    assert.equal(href.searchParams.get('run'), run);
    await workbench.screenshot(screenshotPath('bridge download links'));
    await csv.click({ timeout: STEP_MS });
    // VS Code's save dialog (in a browser window, its quick-input form) proposes the board, run and tag.
    const proposed = await proposedFile(workbench, '.csv');
    assert.ok(proposed.endsWith('.csv'), proposed);
    assert.ok(path.basename(proposed).startsWith(`${BOARD} - ${run}`), proposed);
    // Outside the workspace, which the other e2e tests share.
    const target = path.join(folder.dir('downloads'), 'saved-chart.csv');
    rmSync(target, { force: true });
    await workbench.answerSaveDialog(target);
    await workbench.waitForNotification(/Saved "saved-chart\.csv" from TensorBoard/);
    await workbench.screenshot(screenshotPath('bridge download saved'));
    assert.ok(existsSync(target), `nothing at ${target}: ${readdirSync(path.dirname(target)).join(', ')}`);
    assert.equal(readFileSync(target, 'utf8'), await dataApi(run, tag));
    rmSync(target);
  });

  it('F1 with the focus inside the board opens the command palette', async () => {
    const board = workbench.webviewInnerFrame('iframe#board');
    await workbench.page.keyboard.press('Escape');
    await board.locator('mat-toolbar .brand, .brand').first().click({ timeout: STEP_MS });
    const focused = await board.locator(':root').evaluate(() => document.hasFocus());
    assert.ok(focused, 'the focus is not inside the board');
    await workbench.page.keyboard.press('F1');
    const palette = workbench.page.locator('.quick-input-widget');
    await palette.waitFor({ state: 'visible', timeout: STEP_MS });
    assert.match(await palette.locator('.quick-input-box input').inputValue(), /^>/);
    await workbench.screenshot(screenshotPath('bridge F1 inside the board'));
    await workbench.dismissQuickInput();
  });

  it('a tag filter, smoothing and a pinned card survive a window reload', async () => {
    let board = workbench.webviewInnerFrame('iframe#board');
    await board.getByRole('tab', { name: /^time series$/i }).click({ timeout: STEP_MS });
    const filter = board.locator('metrics-tag-filter input, input[placeholder*="Filter tags"]').first();
    await filter.fill('loss', { timeout: STEP_MS });
    // Pins the first card: TensorBoard keeps its pins in the URL (`pinnedCards`) and shows them in a Pinned section.
    const card = board.locator('scalar-card:visible').first();
    await card.hover({ timeout: STEP_MS }); // the card's buttons show on hover
    await card.locator('button[title="Pin card"]').click({ timeout: STEP_MS });
    await board.locator('button[title="Unpin card"]').first().waitFor({ timeout: STEP_MS });
    // TensorBoard writes the filter into its URL; the bridge reports the view, the extension keeps it.
    await board.locator(':root').evaluate(() => {
      const settings = JSON.parse(localStorage.getItem('_tb_global_settings') ?? '{}') as Record<string, unknown>;
      localStorage.setItem('_tb_global_settings', JSON.stringify({ ...settings, scalarSmoothing: 0.95 }));
    });
    await workbench.page.waitForTimeout(3_000); // the bridge looks at localStorage every 2 s
    await workbench.runCommand('Developer: Reload Window');
    await workbench.ready();
    await boardInPanel(workbench, BOARD, BOARD_MS);
    board = workbench.webviewInnerFrame('iframe#board');
    const src = await workbench.webviewInnerFrameUrl('iframe#board');
    assert.match(src, /tagFilter=loss/, src);
    assert.equal(
      await board.locator('metrics-tag-filter input, input[placeholder*="Filter tags"]').first().inputValue(),
      'loss',
    );
    const smoothing = await board
      .locator(':root')
      .evaluate(
        () =>
          (JSON.parse(localStorage.getItem('_tb_global_settings') ?? '{}') as { scalarSmoothing?: number })
            .scalarSmoothing,
      );
    assert.equal(smoothing, 0.95);
    await assertPinned(board, src);
    await workbench.screenshot(screenshotPath('bridge view after window reload'));
  });

  it('the view survives closing and reopening the panel, and Sign Out / Sign In', async () => {
    await workbench.runCommand('View: Close All Editors');
    let board = await openBoard(workbench);
    let src = await workbench.webviewInnerFrameUrl('iframe#board');
    assert.match(src, /tagFilter=loss/, src);
    await assertPinned(board, src);
    await workbench.screenshot(screenshotPath('bridge view after reopening the panel'));

    await workbench.runCommand('PAI: Sign Out');
    await workbench.dialogMessage();
    await workbench.clickDialogButton('Sign Out');
    await workbench.webview().getByRole('heading', { name: 'Signed out' }).waitFor({ timeout: STEP_MS });
    await workbench.webview().getByRole('button', { name: 'Sign In' }).click({ timeout: STEP_MS });
    await typeAccessKeyPair(workbench);
    await boardInPanel(workbench, BOARD, BOARD_MS);
    board = workbench.webviewInnerFrame('iframe#board');
    src = await workbench.webviewInnerFrameUrl('iframe#board');
    assert.match(src, /tagFilter=loss/, src);
    await assertPinned(board, src);
    await workbench.screenshot(screenshotPath('bridge view after sign out and in'));
  });

  it("Time Series' Download data link, an absolute /experiment/… path, is saved from the board behind the token", async () => {
    const board = workbench.webviewInnerFrame('iframe#board');
    await workbench.page.keyboard.press('Escape');
    await board.getByRole('tab', { name: /^time series$/i }).click({ timeout: STEP_MS });
    const card = board.locator('scalar-card:visible').first();
    await card.hover({ timeout: STEP_MS });
    await card.locator('button[aria-label="More line chart options"]').click({ timeout: STEP_MS });
    await board.locator('button', { hasText: 'Download data' }).click({ timeout: STEP_MS });
    const dialog = board.locator('data_download_dialog_component');
    const csv = dialog.locator('a', { hasText: /CSV/ });
    // TensorBoard's own link leaves the proxy's token (it would answer 404 as it is).
    const link = await downloadLink(dialog, csv);
    assert.match(
      link,
      /^\/experiment\/[^/]+\/data\/plugin\/scalars\/scalars\?/,
      `the CSV link: "${link}"; the dialog: ${await dialog.evaluate((element) => element.outerHTML)}`,
    );
    const href = new URL(link, 'http://board/');
    const run = href.searchParams.get('run') ?? '';
    const tag = href.searchParams.get('tag') ?? '';
    await workbench.screenshot(screenshotPath('bridge time series download dialog'));
    await csv.click({ timeout: STEP_MS });
    const proposed = await proposedFile(workbench, '.csv');
    assert.ok(path.basename(proposed).startsWith(`${BOARD} - ${run} ${tag}`), proposed);
    const target = path.join(folder.dir('downloads'), 'time-series.csv');
    rmSync(target, { force: true });
    await workbench.answerSaveDialog(target);
    await workbench.waitForNotification(/Saved "time-series\.csv" from TensorBoard/);
    assert.equal(readFileSync(target, 'utf8'), await dataApi(run, tag));
    rmSync(target);
    await board.locator('data_download_dialog_component button', { hasText: /close/i }).click({ timeout: STEP_MS });
    await dialog.waitFor({ state: 'detached', timeout: STEP_MS });
  });
});

/**
 * The link TensorBoard's Time Series "Download data" dialog gives for its first run. TensorBoard 2.21 (in a plain
 * Chromium tab too, 155 and 156 alike) sets it late: its `includeFeatureFlags` directive gets the URL, resolves it in
 * a promise and asks for change detection, which often does not reach the link, so the `href` shows up only at the
 * dialog's next change detection, and at the next pick names the run picked before. A second `change` event on the
 * select (the same run) is that next change detection: it brings the link, and nothing is left pending, so the link
 * does not change under the click. Waits until the link names the run picked.
 */
async function downloadLink(dialog: Locator, anchor: Locator): Promise<string> {
  const select = dialog.locator('select[name="run"]');
  await select.selectOption({ index: 1 }, { timeout: STEP_MS });
  await select.dispatchEvent('change', undefined, { timeout: STEP_MS });
  const picked = (await select.locator('option:checked').textContent({ timeout: STEP_MS }))?.trim() ?? '';
  const names = (link: string) => new URL(link, 'http://board/').searchParams.get('run') === picked;
  let link = '';
  for (const deadline = Date.now() + STEP_MS; !(link && names(link)) && Date.now() < deadline;)
    link = (await anchor.getAttribute('href', { timeout: STEP_MS })) ?? '';
  return link;
}

/** The board's frame shows a pinned card, brought back by the `pinnedCards` in the frame's URL. */
async function assertPinned(board: FrameLocator, src: string): Promise<void> {
  assert.match(new URL(src).searchParams.get('pinnedCards') ?? '', /loss/, src);
  await board.locator('button[title="Unpin card"]').first().waitFor({ timeout: STEP_MS });
}

/** The file VS Code's save dialog (in a browser window, its quick-input form) proposes, once it ends with `ext`. */
async function proposedFile(workbench: Workbench, ext: string): Promise<string> {
  const box = workbench.page.locator('.quick-input-widget .quick-input-box input');
  await box.waitFor({ timeout: STEP_MS });
  let proposed = '';
  for (const deadline = Date.now() + STEP_MS; !proposed.endsWith(ext) && Date.now() < deadline;)
    proposed = await box.inputValue();
  return proposed;
}
