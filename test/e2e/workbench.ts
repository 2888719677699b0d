import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';

/** How long a UI step may take before a helper gives up (the extension host starts in a few seconds). */
const STEP_MS = 15_000;

/**
 * What a user does in VS Code, for the e2e tests: the command palette, quick picks and input boxes, notifications,
 * the extension's view container and tree, the Explorer's context menu, and webviews. Locators follow VS Code
 * 1.100's DOM; where the DOM changes, only this file changes.
 */
export class Workbench {
  constructor(
    readonly page: Page,
    private readonly onClose: () => void,
  ) {}

  /** Waits for the workbench to be laid out (the extension activates on its first command or view). */
  async ready(): Promise<void> {
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 30_000 });
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 30_000 });
  }

  async close(): Promise<void> {
    this.onClose();
    await this.page.context().close();
  }

  /** Saves a screenshot, after letting a toast finish sliding in (about a second) and the side bar's progress end. */
  async screenshot(file: string): Promise<void> {
    if ((await this.toasts.count()) > 0) await this.page.waitForTimeout(1_000);
    await this.sideBar
      .locator('.monaco-progress-container.active')
      .first()
      .waitFor({ state: 'hidden', timeout: 5_000 })
      .catch(() => {}); // still loading: the screenshot shows it
    await this.page.screenshot({ path: file });
  }

  // --- command palette, quick picks, input boxes ------------------------------------------------------------------

  private get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  private get quickInputBox(): Locator {
    return this.quickInput.locator('.quick-input-box input');
  }

  private quickInputRows(): Locator {
    return this.quickInput.locator('.quick-input-list .monaco-list-row');
  }

  /** F1, `>Category: Title`, then the entry with exactly that title (not a longer one that also matches). */
  async runCommand(title: string): Promise<void> {
    const typed = `>${title}`;
    // The palette lists the commands known when it opens: right after the workbench loads, an extension's commands
    // may not be known yet, so a palette without the entry is closed and opened again until the deadline.
    const deadline = Date.now() + 2 * STEP_MS;
    for (;;) {
      await this.page.keyboard.press('F1');
      // Right after a window reload the workbench may not take keys yet: F1 is pressed again until the palette opens.
      const opened = await this.quickInputBox.waitFor({ timeout: 3_000 }).then(
        () => true,
        () => false,
      );
      if (!opened) {
        if (Date.now() > deadline) throw new Error(`the command palette did not open for "${title}"`);
        continue;
      }
      // …and may redraw the palette under the cursor: a fill that does not take is tried again.
      const filled = await this.quickInputBox.fill(typed, { timeout: 3_000 }).then(
        () => true,
        () => false,
      );
      if (!filled) {
        if (Date.now() > deadline) throw new Error(`the command palette did not take "${typed}"`);
        await this.page.keyboard.press('Escape');
        continue;
      }
      const found = await this.quickInputRow(title)
        .waitFor({ timeout: 3_000 })
        .then(
          () => true,
          () => false,
        );
      if (found) break;
      if (Date.now() > deadline) throw new Error(`the command palette has no entry "${title}"`);
      await this.page.keyboard.press('Escape');
    }
    await this.quickInputRow(title).click({ timeout: STEP_MS });
    // The palette closes, or gives way to the command's own quick pick or input box.
    await this.page.waitForFunction(
      (text) => {
        const widget = document.querySelector<HTMLElement>('.quick-input-widget');
        const input = widget?.querySelector<HTMLInputElement>('.quick-input-box input');
        return !widget || widget.style.display === 'none' || input?.value !== text;
      },
      typed,
      { timeout: STEP_MS },
    );
  }

  /** The row of the open quick pick whose label is exactly `label` (or matches it). */
  private quickInputRow(label: string | RegExp): Locator {
    const exact = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}$`) : label;
    // Match the label's whole text: getByText would also match a highlighted part of a longer label.
    return this.quickInputRows().filter({ has: this.page.locator('.label-name', { hasText: exact }) });
  }

  /** The labels of the open quick pick, as shown (filtered by whatever is typed). */
  async quickPickItems(): Promise<string[]> {
    await this.quickInputRows().first().waitFor({ timeout: STEP_MS });
    return (await this.quickInputRows().locator('.label-name').allInnerTexts()).map((s) => s.trim());
  }

  /** Picks the quick-pick item with this label; in a multi-select pick, toggles it (then call `acceptQuickInput`). */
  async pickQuickItem(label: string | RegExp): Promise<void> {
    const row = this.quickInputRow(label);
    await row.first().waitFor({ timeout: STEP_MS });
    await row.first().click();
  }

  /**
   * Types into the open input box (or quick pick filter) and, unless `submit` is false, presses Enter. Give the
   * box's `prompt` when one input box follows another: the widget is reused, so only its prompt tells them apart.
   */
  async answerInputBox(
    text: string,
    { submit = true, prompt }: { submit?: boolean; prompt?: string | RegExp } = {},
  ): Promise<void> {
    await this.quickInputBox.waitFor({ timeout: STEP_MS });
    if (prompt) await this.quickInput.locator('.quick-input-message').getByText(prompt).waitFor({ timeout: STEP_MS });
    await this.quickInputBox.fill(text);
    if (submit) await this.quickInputBox.press('Enter');
  }

  /**
   * Answers a save dialog (in a browser window, VS Code's quick-input form) with `file`. The form can swallow Enter
   * while it still lists the typed folder, so its OK button is pressed while the form stays open, within a bound.
   */
  async answerSaveDialog(file: string): Promise<void> {
    await this.answerInputBox(file, { submit: false });
    const ok = this.quickInput.getByRole('button', { name: 'OK', exact: true });
    for (let tries = 0, deadline = Date.now() + STEP_MS; ; tries++) {
      if (await this.quickInput.isHidden()) return;
      if (Date.now() > deadline) throw new Error(`the save dialog did not take ${file}`);
      if ((await this.quickInputBox.inputValue()) !== file) throw new Error(`the save dialog lost the path ${file}`);
      await (tries === 0 ? this.quickInputBox.press('Enter') : ok.click({ timeout: 1_000 })).catch(() => undefined);
      await this.quickInput.waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => undefined);
    }
  }

  /** The input box's prompt or validation message. */
  async quickInputMessage(): Promise<string> {
    return (await this.quickInput.locator('.quick-input-message').innerText()).trim();
  }

  async acceptQuickInput(): Promise<void> {
    await this.quickInputBox.press('Enter');
  }

  async dismissQuickInput(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.quickInput.waitFor({ state: 'hidden', timeout: STEP_MS });
  }

  // --- notifications ----------------------------------------------------------------------------------------------

  private get toasts(): Locator {
    return this.page.locator('.notifications-toasts .notification-toast');
  }

  /** The messages of the notifications on screen. */
  async notifications(): Promise<string[]> {
    return (await this.toasts.locator('.notification-list-item-message').allInnerTexts()).map((s) => s.trim());
  }

  /** Waits for a notification whose message contains `text` (or matches it) and returns it. */
  async waitForNotification(text: string | RegExp, timeout = STEP_MS): Promise<Locator> {
    const toast = this.toasts
      .filter({ has: this.page.locator('.notification-list-item-message', { hasText: text }) })
      .first();
    await toast.waitFor({ timeout });
    return toast;
  }

  /** Clicks a button of the notification whose message contains `text`. */
  async clickNotificationButton(text: string | RegExp, button: string): Promise<void> {
    const toast = await this.waitForNotification(text);
    await toast.getByRole('button', { name: button, exact: true }).click();
  }

  // --- the extension's view container and its tree ----------------------------------------------------------------

  private get sideBar(): Locator {
    return this.page.locator('.part.sidebar');
  }

  /** Clicks the activity-bar item with this title (e.g. "PAI TensorBoards") unless its container is already open. */
  async openViewContainer(title: string): Promise<void> {
    const item = this.page.locator('.part.activitybar').getByRole('tab', { name: title });
    await item.waitFor({ timeout: STEP_MS });
    if ((await item.getAttribute('aria-selected')) !== 'true') {
      await item.click();
      await this.page.mouse.move(640, 0); // off the item, so that its tooltip does not cover the side bar
    }
    await this.page
      .locator('.part.activitybar')
      .getByRole('tab', { name: title, selected: true })
      .waitFor({ timeout: STEP_MS });
  }

  /**
   * The title of the open side bar as written (VS Code shows it in upper case). A container with one view shows
   * `Container: View`.
   */
  async sideBarTitle(): Promise<string> {
    return ((await this.sideBar.locator('.composite.title .title-label h2').textContent()) ?? '').trim();
  }

  /** A view of the open side bar by its name (e.g. "TensorBoards"); its header is hidden when it is the only view. */
  view(name: string): Locator {
    return this.sideBar
      .locator('.pane')
      .filter({ has: this.page.locator('.pane-header h3.title').getByText(name, { exact: true }) });
  }

  /** The text of a view's welcome content (shown while its tree is empty): paragraphs and buttons. */
  welcome(viewName: string): Locator {
    return this.view(viewName).locator('.welcome-view-content');
  }

  /** The row of a tree item in a view, by its label. */
  treeItem(viewName: string, label: string | RegExp): Locator {
    const exact = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}$`) : label;
    return this.view(viewName)
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name').getByText(exact) })
      .first();
  }

  /** The labels of a view's tree items, top to bottom (expanded children included). */
  async treeItems(viewName: string): Promise<string[]> {
    return (await this.view(viewName).locator('.monaco-list-row .label-name').allInnerTexts()).map((s) => s.trim());
  }

  /** A tree item's description (the grey text after its label). */
  async treeItemDescription(viewName: string, label: string | RegExp): Promise<string> {
    return (await this.treeItem(viewName, label).locator('.label-description').innerText()).trim();
  }

  /** Hovers a tree item and clicks its inline action with this title (the icon's tooltip). */
  async clickTreeItemAction(viewName: string, label: string | RegExp, actionTitle: string): Promise<void> {
    const row = this.treeItem(viewName, label);
    await row.hover();
    await row.locator('.actions').getByRole('button', { name: actionTitle }).click();
  }

  /** Clicks an action in a view's title bar (e.g. Refresh). */
  async clickViewAction(viewName: string, actionTitle: string): Promise<void> {
    const header = this.view(viewName).locator('.pane-header');
    await header.hover();
    await header.locator('.actions').getByRole('button', { name: actionTitle }).click();
  }

  /** Right-clicks a tree item and picks an entry of its context menu. */
  async treeItemContextMenu(viewName: string, label: string | RegExp, entry: string): Promise<void> {
    await this.treeItem(viewName, label).click({ button: 'right' });
    await this.pickContextMenuEntry(entry);
  }

  // --- the Explorer -----------------------------------------------------------------------------------------------

  /** Shows the Explorer and returns the row of a file or folder, expanding its parents (`logs/run1`). */
  async explorerItem(relativePath: string): Promise<Locator> {
    await this.openViewContainer('Explorer');
    const explorer = this.sideBar.locator('.explorer-folders-view');
    const parts = relativePath.split('/').filter(Boolean);
    let row: Locator | undefined;
    for (const [index, part] of parts.entries()) {
      row = explorer.getByRole('treeitem', { name: part, exact: true }).first();
      await row.waitFor({ timeout: STEP_MS });
      if (index < parts.length - 1 && (await row.getAttribute('aria-expanded')) === 'false') await row.click();
    }
    if (!row) throw new Error('explorerItem needs a path');
    return row;
  }

  /** Right-clicks a folder (or file) in the Explorer and picks an entry of its context menu. */
  async explorerContextMenu(relativePath: string, entry: string): Promise<void> {
    await (await this.explorerItem(relativePath)).click({ button: 'right' });
    await this.pickContextMenuEntry(entry);
  }

  /**
   * Picks an entry of the open context menu. VS Code draws the menu in a shadow root (role locators reach into it)
   * and ignores a synthetic click on an entry, so the entry is focused and Enter runs it.
   */
  async pickContextMenuEntry(entry: string): Promise<void> {
    const item = this.page.locator('.context-view').getByRole('menuitem', { name: entry }).first();
    await item.waitFor({ timeout: STEP_MS });
    await item.hover();
    await item.focus(); // the menu runs its focused entry on Enter; hovering alone can lose a race with its layout
    await this.page.keyboard.press('Enter');
    await this.page.locator('.context-view .monaco-menu').waitFor({ state: 'detached', timeout: STEP_MS });
  }

  /** The entries of the open context menu. */
  async contextMenuEntries(): Promise<string[]> {
    const items = this.page.locator('.context-view').getByRole('menuitem');
    await items.first().waitFor({ timeout: STEP_MS });
    return (await items.locator('.action-label').allInnerTexts()).map((s) => s.trim()).filter(Boolean);
  }

  // --- dialogs --------------------------------------------------------------------------------------------------

  /** Waits for a modal dialog (drawn in the page by the web workbench) and returns its message. */
  async dialogMessage(): Promise<string> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: STEP_MS });
    return (await dialog.locator('.dialog-message-text').innerText()).trim();
  }

  async clickDialogButton(label: string): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.getByRole('button', { name: label, exact: true }).click({ timeout: STEP_MS });
    await dialog.waitFor({ state: 'detached', timeout: STEP_MS });
  }

  // --- webviews ---------------------------------------------------------------------------------------------------

  /**
   * The content of a webview: VS Code puts it in an outer `iframe.webview` whose `#active-frame` holds the
   * extension's HTML. With several webviews, the one created last.
   */
  webview(): FrameLocator {
    return this.page.locator('iframe.webview.ready').last().contentFrame().locator('#active-frame').contentFrame();
  }

  /** A frame inside the webview's HTML (the TensorBoard itself, for a board panel). */
  webviewInnerFrame(selector = 'iframe'): FrameLocator {
    return this.webview().locator(selector).first().contentFrame();
  }

  /** The `src` of a frame inside the webview's HTML: where the board panel frames the board from. */
  async webviewInnerFrameUrl(selector = 'iframe'): Promise<string> {
    return (await this.webview().locator(selector).first().getAttribute('src')) ?? '';
  }

  /** The titles of the open editor tabs. */
  async editorTabs(): Promise<string[]> {
    return (await this.page.locator('.tabs-container .tab .label-name').allInnerTexts()).map((s) => s.trim());
  }

  /**
   * The page's frames (at any depth: a webview's frame inside VS Code's, inside that the board) whose address
   * `matches`, for what a FrameLocator cannot do: tell one navigation of a frame from the next.
   */
  frames(matches: (url: string) => boolean): Frame[] {
    return this.page.frames().filter((frame) => !frame.isDetached() && matches(frame.url()));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
