import * as vscode from 'vscode';
import { showInformation, showWarning } from '../base/notify';
import { executeCommand } from '../base/commandCalls';
import type { Tensorboard } from '../api';
import { boardName, boardPhase, type BoardPhase } from './status';
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

export async function startBoard(services: BoardServices, arg?: unknown): Promise<void> {
  let started: Tensorboard | undefined;
  await act(
    services,
    arg,
    ['stopped', 'failed'],
    (b) => vscode.l10n.t('Could not start {0}', boardName(b)),
    async (b, o) => {
      await services.connection.client().startTensorboard(b.tensorboardId, o);
      started = b;
    },
  );
  // A panel's Start (given the board's ID) shows the board in that panel; from the sidebar or the palette the user
  // hears when it runs, with the way to open it.
  if (started && typeof arg !== 'string') void sayWhenRunning(services, started);
}

async function sayWhenRunning(services: BoardServices, board: Tensorboard): Promise<void> {
  let result;
  try {
    result = await services.boards.whenSettled(board.tensorboardId);
  } catch {
    return; // Deleted or lost meanwhile: the sidebar shows that.
  }
  if (result.outcome !== 'running') return;
  const open = vscode.l10n.t('Open');
  const choice = await showInformation(vscode.l10n.t('TensorBoard "{0}" is running.', boardName(result.board)), open);
  if (choice === open) await executeCommand('paiTensorboard.openBoard', board.tensorboardId);
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
      const phase = boardPhase(services.boards.get(b.tensorboardId)?.status ?? b.status);
      // PAI-DLC deletes only a stopped board: one still starting or running (a cancelled wait's Delete) stops first.
      if (phase === 'running' || phase === 'pending') await stopToDelete(services, b, o);
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

/** Stops the board and waits, with progress, until it reads Stopped, so that it can be deleted. */
async function stopToDelete(services: BoardServices, board: Tensorboard, options: { workspaceId?: string }) {
  await services.connection.client().stopTensorboard(board.tensorboardId, options);
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Stopping TensorBoard "{0}" to delete it', boardName(board)),
    },
    () => services.boards.whenSettled(board.tensorboardId),
  );
  if (result.outcome !== 'stopped') {
    throw new Error(vscode.l10n.t('It did not stop ({0}); delete it from the sidebar once it has.', result.outcome));
  }
}
