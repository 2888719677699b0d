import * as vscode from 'vscode';
import { showError, showInformation, showWarning } from '../base/notify';
import type { Tensorboard } from '../api';
import { safeHttpUrl } from '../net/safeUrl';
import type { PanelServices } from './boardPanels';
import { browserUrl, openExternally } from './browserUrl';
import { boardFrom } from '../boards/pickBoard';
import { boardName } from '../boards/status';
import { savedViewOf } from './bridge';
import { withView } from './bridgeMessages';

/** The board's URL when it is one a browser may open: only http(s), never `command:`, `file:`, `vscode:` and the like. */
function urlOf(services: PanelServices, board: Tensorboard): string | undefined {
  if (!board.url) {
    void showWarning(
      vscode.l10n.t('PAI-DLC gave no URL for "{0}" yet. Try again when it is running.', boardName(board)),
    );
    return undefined;
  }
  const safe = safeHttpUrl(board.url);
  if (!safe) {
    // The service's text, in the log only: it may be long or made to look like something else.
    services.log.warn(
      `Refused the URL of ${board.tensorboardId}: not a plain http(s) URL: ${JSON.stringify(board.url.slice(0, 200))}`,
    );
    void showError(
      vscode.l10n.t(
        'The URL PAI-DLC gave for "{0}" is not a plain http(s) link, so it was neither opened nor copied. See the log for it.',
        boardName(board),
      ),
    );
    return undefined;
  }
  return safe;
}

/** Opens the board in an editor panel (reused when already open). */
export async function openBoard(services: PanelServices, arg?: unknown): Promise<void> {
  const board = await boardFrom(services, arg, ['running']);
  if (board) await services.panels.open(board);
}

/**
 * The panel's "Open in Browser" (its title bar, or its page's button with the board's ID): the shared link, which
 * works without a console login.
 */
export async function openPanelInBrowser(services: PanelServices, arg?: unknown): Promise<void> {
  const panel = (typeof arg === 'string' && services.panels.get(arg)) || services.panels.active;
  if (panel) services.guard.seen(panel.tensorboardId);
  await panel?.openInBrowser();
}

export async function reloadPanel(services: PanelServices): Promise<void> {
  await services.panels.active?.load();
}

export async function openBoardInBrowser(services: PanelServices, arg?: unknown): Promise<void> {
  const board = await boardFrom(services, arg, ['running']);
  const url = board && urlOf(services, board);
  if (!url) return;
  services.guard.seen(board.tensorboardId);
  await openExternally(url);
}

export async function copyBoardUrl(services: PanelServices, arg?: unknown): Promise<void> {
  const board = await boardFrom(services, arg, ['running']);
  const url = board && urlOf(services, board);
  if (!url) return;
  // With the view the user left the board in (dashboard, smoothing, filters, pins in the URL), when the panel kept one.
  const view = savedViewOf(services.panels.state, board.tensorboardId);
  await vscode.env.clipboard.writeText(await browserUrl(withView(url, view)));
  // The board's own address, not a shared link: it asks for a console sign-in, so a copy passed on is no bearer
  // link to a private board. The panel's Open in Browser uses a shared link that expires instead.
  void showInformation(
    vscode.l10n.t('Copied the URL of "{0}". It opens after signing in to the Alibaba Cloud console.', boardName(board)),
  );
}
