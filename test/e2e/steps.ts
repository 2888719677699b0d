import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { currentSession } from './harness';
import type { Workbench } from './workbench';

/** How long the board page may take to show in the panel: the board's provisioning plus the wait's back-off. */
const BOARD_MS = 20_000;

/** Signs in through the palette with the emulator's demo key typed in, as a user would; waits for the confirmation. */
export async function signIn(workbench: Workbench): Promise<void> {
  await workbench.runCommand('PAI: Sign In');
  await typeAccessKeyPair(workbench);
}

/**
 * Sign In's questions, however it was started (palette, welcome view, panel, walkthrough): the emulator's demo key
 * typed in as a user would, no STS token; waits for the confirmation.
 */
export async function typeAccessKeyPair(workbench: Workbench): Promise<void> {
  const { credentials } = currentSession().host.emulator;
  await workbench.pickQuickItem(/Enter an AccessKey pair/);
  await workbench.answerInputBox(credentials.accessKeyId, { prompt: /AccessKey ID/ });
  await workbench.answerInputBox(credentials.accessKeySecret, { prompt: /AccessKey secret/ });
  await workbench.answerInputBox('', { prompt: /STS token/ });
  await workbench.waitForNotification(/Signed in to Alibaba Cloud/);
}

/**
 * The board as it shows inside the panel's frame: TensorBoard's own UI (the emulator runs a real TensorBoard for
 * each running board, titled with the board's name) with the sample runs' `loss` chart. Returns the page's text.
 */
export async function boardInPanel(workbench: Workbench, name: string, timeout = BOARD_MS): Promise<string> {
  return boardShown(workbench.webviewInnerFrame('iframe#board').locator(':root'), name, timeout);
}

/**
 * The same board as a browser tab of its own shows it (Open in Browser): TensorBoard's UI with the `loss` chart.
 * When it does not, the error says what the tab shows instead.
 */
export async function boardInTab(tab: Page, name: string, timeout = BOARD_MS): Promise<string> {
  try {
    return await boardShown(tab.locator(':root'), name, timeout);
  } catch (error) {
    const text = await tab
      .locator('body')
      .innerText({ timeout: 1_000 })
      .catch(() => '');
    throw new Error(
      `the tab at ${tabAddress(tab)} does not show the board "${name}" but ${JSON.stringify(text.slice(0, 200))}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** A tab's address for a message, without a shared link's token. */
export function tabAddress(tab: Page): string {
  return tab.url().replace(/\/token\/[^/?#]+/, '/token/…');
}

async function boardShown(document: Locator, name: string, timeout: number): Promise<string> {
  // A scalar card's title: accuracy heads the list; TensorBoard may not draw a card below the fold (loss) yet.
  await document
    .getByText(/^\s*(accuracy|loss)\s*$/)
    .filter({ visible: true })
    .first()
    .waitFor({ timeout });
  // After a reload, the old page's words can be found while the new page has not set its title yet.
  const title = document.locator('head > title');
  let shown = await title.textContent();
  for (
    const deadline = Date.now() + timeout;
    shown !== name && Date.now() < deadline;
    shown = await title.textContent()
  )
    await new Promise((resolve) => setTimeout(resolve, 250));
  assert.equal(shown, name, 'another board is shown');
  // The chart itself: TensorBoard draws each scalar card's lines into a canvas or an SVG.
  await document.locator('canvas, svg path.line, .line-chart').first().waitFor({ timeout });
  return document.locator('body').innerText();
}

/**
 * "PAI: Create TensorBoard…" › "A DLC job" › the job › the name: the board is created and the wait for it starts
 * (follow with `boardInPanel`).
 */
export async function createBoardForJob(workbench: Workbench, job: string | RegExp, name: string): Promise<void> {
  await workbench.runCommand('PAI: Create TensorBoard…');
  await workbench.pickQuickItem(/A DLC job/);
  await workbench.pickQuickItem(job);
  await workbench.answerInputBox(name, { prompt: /Name of the new TensorBoard/ });
}
