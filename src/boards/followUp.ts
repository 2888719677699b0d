import * as vscode from 'vscode';
import { showWarning } from '../base/notify';
import type { Tensorboard } from '../api';
import { errorMessage } from '../api/errors';
import { describe } from '../base/describe';
import type { BoardServices } from './services';
import { boardName } from './status';

/**
 * After an action the service accepted: reload the board so every view shows its new state (a new status is polled
 * closely again).
 * A failure here is not the action's: the user is told the action went through and the view may lag.
 */
export async function followUp(services: BoardServices, board: Tensorboard): Promise<void> {
  if (services.boards.isRemoved(board.tensorboardId)) return;
  try {
    await services.boards.reload(board.tensorboardId);
  } catch (error) {
    services.log.warn(`Reload of ${board.tensorboardId} after an action failed: ${errorMessage(error)}`);
    void showWarning(
      vscode.l10n.t(
        'PAI-DLC accepted the change to "{0}", but its new state could not be loaded: {1} Refresh the sidebar to see it.',
        boardName(board),
        describe(error),
      ),
    );
  }
}
