import * as vscode from 'vscode';
import type { Services } from '../services';
import { reportError } from '../ui/reportError';
import { boardFrom, boardName } from '../ui/pickBoard';

export async function startBoard(services: Services, arg?: unknown): Promise<void> {
  const board = await boardFrom(services, arg, ['stopped', 'failed']);
  if (!board) return;
  try {
    await services.connection.client().startTensorboard(board.tensorboardId, { workspaceId: services.connection.workspaceId });
    services.log.info(`Started ${board.tensorboardId}`);
    await services.boards.afterChange(board.tensorboardId);
  } catch (error) {
    await reportError(services.log, vscode.l10n.t('Could not start {0}', boardName(board)), error);
  }
}

export async function stopBoard(services: Services, arg?: unknown): Promise<void> {
  const board = await boardFrom(services, arg, ['running', 'pending']);
  if (!board) return;
  try {
    await services.connection.client().stopTensorboard(board.tensorboardId, { workspaceId: services.connection.workspaceId });
    services.log.info(`Stopped ${board.tensorboardId}`);
    await services.boards.afterChange(board.tensorboardId);
  } catch (error) {
    await reportError(services.log, vscode.l10n.t('Could not stop {0}', boardName(board)), error);
  }
}

export async function deleteBoard(services: Services, arg?: unknown): Promise<void> {
  const board = await boardFrom(services, arg, ['stopped', 'failed', 'unknown']);
  if (!board) return;
  const remove = vscode.l10n.t('Delete');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Delete the TensorBoard "{0}"?', boardName(board)),
    { modal: true, detail: vscode.l10n.t('The board is removed from PAI-DLC. Its summary files are not touched.') },
    remove,
  );
  if (choice !== remove) return;
  try {
    await services.connection.client().deleteTensorboard(board.tensorboardId, { workspaceId: services.connection.workspaceId });
    services.log.info(`Deleted ${board.tensorboardId}`);
    await services.boards.afterChange(board.tensorboardId);
  } catch (error) {
    await reportError(services.log, vscode.l10n.t('Could not delete {0}', boardName(board)), error);
  }
}
