import * as vscode from 'vscode';
import { showInformation } from '../base/notify';
import type { Tensorboard } from '../api';
import { boardName, boardPhase, type BoardPhase } from './status';
import type { BoardServices } from './services';
import { BoardNode, sourceOf } from './boardNodes';

/**
 * The board a command acts on: the tree item it was run from, the board whose ID it was given (a panel's button),
 * or, from the palette, one the user picks among the sidebar's boards in the phases where the command makes sense.
 */
export async function boardFrom(
  services: BoardServices,
  arg: unknown,
  phases: readonly BoardPhase[],
): Promise<Tensorboard | undefined> {
  if (arg instanceof BoardNode) return services.boards.get(arg.board.tensorboardId) ?? arg.board;
  if (typeof arg === 'string') {
    const known = await services.boards.lookUp(arg);
    if (known) return known;
  }
  await services.boards.ensureLoaded();
  const candidates = services.boards.boards.filter((b) => phases.includes(boardPhase(b.status)));
  if (candidates.length === 0) {
    void showInformation(vscode.l10n.t('No TensorBoard in the sidebar can do that right now.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((board) => ({ board, label: boardName(board), description: board.status, detail: sourceOf(board) })),
    { title: vscode.l10n.t('Select a TensorBoard') },
  );
  return picked?.board;
}
