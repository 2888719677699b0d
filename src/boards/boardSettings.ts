import * as vscode from 'vscode';
import type { BoardServices } from './services';
import { followUp } from './followUp';
import { ActionFailed } from '../base/reportError';
import { boardFrom } from './pickBoard';
import { boardName, boardPhase } from './status';
import { showInformation, showWarning } from '../base/notify';
import { readSettings } from '../base/settings';
import { checkMaxRunningTime, ranMs, stopsAtOnce } from './maxRunningTime';
import { formatDuration } from './time';
import { durationUnits } from './durationUnits';

const changeable = ['running', 'pending', 'stopped', 'failed', 'unknown'] as const;

/**
 * Change Max Running Time: whole minutes up to the configured limit; asks before a cap that a running board has
 * already passed (the service then stops it at once), and says what changed, or that the board stopped.
 */
export async function changeMaxRunningTime(services: BoardServices, arg?: unknown): Promise<void> {
  const board = await boardFrom(services, arg, changeable);
  if (!board) return;
  const name = boardName(board);
  const limit = readSettings().maxRunningTimeLimitMinutes;
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Max running time of "{0}"', name),
    prompt: vscode.l10n.t('Minutes before the board stops by itself (1 to {0})', limit),
    value: String(board.maxRunningTimeMinutes ?? ''),
    validateInput: (v) => {
      const check = checkMaxRunningTime(v, limit);
      if (check.ok) return undefined;
      return check.problem === 'tooLong'
        ? vscode.l10n.t(
            'At most {0} minutes ({1}): the limit set in paiTensorboard.maxRunningTimeLimitMinutes.',
            limit,
            formatDuration(limit * 60_000, durationUnits()),
          )
        : vscode.l10n.t('Enter a whole number of minutes, 1 or more.');
    },
  });
  if (!typed) return;
  const check = checkMaxRunningTime(typed, limit);
  if (!check.ok) return;
  const minutes = check.minutes;
  const current = services.boards.get(board.tensorboardId) ?? board;
  const running = boardPhase(current.status) === 'running';
  const ran = ranMs(current.durationSeconds, Date.now(), services.boards.fetchedAt(board.tensorboardId));
  const stops = running && stopsAtOnce(minutes, ran);
  if (stops) {
    const stopIt = vscode.l10n.t('Change and Stop It');
    const choice = await showWarning(
      vscode.l10n.t(
        'TensorBoard "{0}" has run for {1}: a max running time of {2} min stops it at once.',
        name,
        formatDuration(ran, durationUnits()),
        minutes,
      ),
      { modal: true },
      stopIt,
    );
    if (choice !== stopIt) return;
  }
  try {
    await services.connection.client().updateTensorboard(board.tensorboardId, {
      workspaceId: services.connection.workspaceId,
      maxRunningTimeMinutes: minutes,
    });
  } catch (error) {
    throw new ActionFailed(vscode.l10n.t('Could not change {0}', name), error);
  }
  services.log.info(
    `Changed the max running time of ${board.tensorboardId} to ${minutes} minutes${stops ? ', which stops it' : ''}`,
  );
  await followUp(services, board);
  void showInformation(
    stops
      ? vscode.l10n.t(
          'TensorBoard "{0}" is stopping: its max running time is now {1} min, less than it had run.',
          name,
          minutes,
        )
      : running
        ? vscode.l10n.t(
            'The max running time of "{0}" is now {1} min: it stops by itself in {2}.',
            name,
            minutes,
            formatDuration(minutes * 60_000 - ran, durationUnits()),
          )
        : vscode.l10n.t('The max running time of "{0}" is now {1} min.', name, minutes),
  );
}

export async function changeAccessibility(services: BoardServices, arg?: unknown): Promise<void> {
  const board = await boardFrom(services, arg, changeable);
  if (!board) return;
  const items = [
    {
      value: 'PRIVATE' as const,
      label: vscode.l10n.t('Private'),
      detail: vscode.l10n.t('Only you and the workspace administrators.'),
    },
    {
      value: 'PUBLIC' as const,
      label: vscode.l10n.t('Public'),
      detail: vscode.l10n.t('Every member of the workspace.'),
    },
  ].map((item) => ({
    ...item,
    description: item.value === board.accessibility?.toUpperCase() ? vscode.l10n.t('current') : undefined,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Who can see "{0}"?', boardName(board)),
  });
  if (!picked) return;
  try {
    await services.connection.client().updateTensorboard(board.tensorboardId, {
      workspaceId: services.connection.workspaceId,
      accessibility: picked.value,
    });
  } catch (error) {
    throw new ActionFailed(vscode.l10n.t('Could not change {0}', boardName(board)), error);
  }
  await followUp(services, board);
}
