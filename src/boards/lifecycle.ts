import * as vscode from 'vscode';
import { showWarning } from '../base/notify';
import type { Tensorboard } from '../api';
import { boardName, type BoardPhase } from './status';
import type { BoardServices } from './services';
import { ActionFailed } from '../base/reportError';
import { boardFrom } from './pickBoard';
import { followUp } from './followUp';

/** Runs one lifecycle call on the board the command was given (or the user picks), then shows its new state. */
async function act(
  services: BoardServices,
  arg: unknown,
  phases: readonly BoardPhase[],
  failure: (board: Tensorboard) => string,
  call: (board: Tensorboard, options: { workspaceId?: string }) => Promise<unknown>,
  confirm?: (board: Tensorboard) => Promise<boolean>,
): Promise<void> {
  const board = await boardFrom(services, arg, phases);
  if (!board || (confirm && !(await confirm(board)))) return;
  try {
    await call(board, { workspaceId: services.connection.workspaceId });
  } catch (error) {
    throw new ActionFailed(failure(board), error);
  }
  await followUp(services, board);
}

export function startBoard(services: BoardServices, arg?: unknown): Promise<void> {
  return act(
    services,
    arg,
    ['stopped', 'failed'],
    (b) => vscode.l10n.t('Could not start {0}', boardName(b)),
    (b, o) => services.connection.client().startTensorboard(b.tensorboardId, o),
  );
}

export function stopBoard(services: BoardServices, arg?: unknown): Promise<void> {
  return act(
    services,
    arg,
    ['running', 'pending'],
    (b) => vscode.l10n.t('Could not stop {0}', boardName(b)),
    (b, o) => services.connection.client().stopTensorboard(b.tensorboardId, o),
  );
}

export function deleteBoard(services: BoardServices, arg?: unknown): Promise<void> {
  return act(
    services,
    arg,
    ['stopped', 'failed', 'unknown'],
    (b) => vscode.l10n.t('Could not delete {0}', boardName(b)),
    async (b, o) => {
      await services.connection.client().deleteTensorboard(b.tensorboardId, o);
      services.boards.removeDeleted(b.tensorboardId);
    },
    async (board) => {
      const remove = vscode.l10n.t('Delete');
      const choice = await showWarning(
        vscode.l10n.t('Delete the TensorBoard "{0}"?', boardName(board)),
        { modal: true, detail: vscode.l10n.t('The board is removed from PAI-DLC. Its summary files are not touched.') },
        remove,
      );
      return choice === remove;
    },
  );
}
