import * as vscode from 'vscode';
import type { Tensorboard } from '../api';
import { signOut } from '../account/signIn';
import { showWarning } from '../base/notify';
import { ActionFailed } from '../base/reportError';
import { followUp } from '../boards/followUp';
import { boardName, boardPhase } from '../boards/status';
import type { GuardServices } from './guard';

/** The running boards this extension created or opened: signed out, it can no longer stop them. */
function runningOwned(services: GuardServices): Tensorboard[] {
  const seen = services.guard.read();
  return Object.keys(seen)
    .filter((id) => seen[id]?.owned)
    .map((id) => services.boards.get(id))
    .filter((board): board is Tensorboard => board !== undefined && boardPhase(board.status) === 'running');
}

/**
 * Sign Out, naming the boards it leaves running and offering to stop them first: stopping needs the credentials, so
 * the question comes before they are cleared. A stop that fails keeps the user signed in, to try again.
 */
export async function signOutStopping(services: GuardServices): Promise<void> {
  const running = (await services.connection.store.get()) ? runningOwned(services) : [];
  if (running.length > 0) {
    const stopThem =
      running.length === 1 ? vscode.l10n.t('Stop It and Sign Out') : vscode.l10n.t('Stop Them and Sign Out');
    const leave = vscode.l10n.t('Sign Out');
    const names = running.map((board) => `"${boardName(board)}"`).join(', ');
    const choice = await showWarning(
      running.length === 1
        ? vscode.l10n.t('TensorBoard {0} is still running. Stop it before signing out?', names)
        : vscode.l10n.t(
            '{0} TensorBoards are still running: {1}. Stop them before signing out?',
            running.length,
            names,
          ),
      {
        modal: true,
        detail:
          running.length === 1
            ? vscode.l10n.t(
                'Signed out, this editor can no longer stop it: it runs, and may cost money, until its max running time.',
              )
            : vscode.l10n.t(
                'Signed out, this editor can no longer stop them: they run, and may cost money, until their max running time.',
              ),
      },
      stopThem,
      leave,
    );
    if (choice === undefined) return;
    if (choice === stopThem) await stopAll(services, running);
  }
  await signOut(services.connection, services.log);
}

async function stopAll(services: GuardServices, running: readonly Tensorboard[]): Promise<void> {
  const { connection } = services;
  const results = await Promise.allSettled(
    running.map((b) => connection.client().stopTensorboard(b.tensorboardId, { workspaceId: connection.workspaceId })),
  );
  const failed = running.filter((_, i) => results[i]!.status === 'rejected');
  for (const board of running.filter((_, i) => results[i]!.status === 'fulfilled')) {
    services.log.info(`Stopped ${board.tensorboardId} at Sign Out`);
    await followUp(services, board);
  }
  if (failed.length > 0) {
    const reason = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
    throw new ActionFailed(
      vscode.l10n.t('Could not stop {0}; still signed in, so you can try again', failed.map(boardName).join(', ')),
      reason,
    );
  }
}
