import * as vscode from 'vscode';
import type { Tensorboard } from '../api';
import type { Services } from '../services';
import { boardFrom, boardName } from '../ui/pickBoard';

function urlOf(board: Tensorboard): vscode.Uri | undefined {
  if (!board.url) {
    void vscode.window.showWarningMessage(vscode.l10n.t('PAI-DLC gave no URL for "{0}" yet. Try again when it is running.', boardName(board)));
    return undefined;
  }
  return vscode.Uri.parse(board.url, true);
}

/** Open inside the editor; until the board panel exists this opens the browser. */
export async function openBoard(services: Services, arg?: unknown): Promise<void> {
  await openBoardInBrowser(services, arg);
}

export async function openBoardInBrowser(services: Services, arg?: unknown): Promise<void> {
  const board = await boardFrom(services, arg, ['running']);
  const url = board && urlOf(board);
  if (url) await vscode.env.openExternal(url);
}

export async function copyBoardUrl(services: Services, arg?: unknown): Promise<void> {
  const board = await boardFrom(services, arg, ['running']);
  const url = board && urlOf(board);
  if (!url) return;
  await vscode.env.clipboard.writeText(url.toString(true));
  void vscode.window.showInformationMessage(vscode.l10n.t('Copied the URL of "{0}".', boardName(board)));
}
