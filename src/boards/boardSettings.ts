import * as vscode from 'vscode';
import type { BoardServices } from './services';
import { followUp } from './followUp';
import { ActionFailed } from '../base/reportError';
import { boardFrom } from './pickBoard';
import { boardName } from './status';

const changeable = ['running', 'pending', 'stopped', 'failed', 'unknown'] as const;

export async function changeMaxRunningTime(services: BoardServices, arg?: unknown): Promise<void> {
  const board = await boardFrom(services, arg, changeable);
  if (!board) return;
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Max running time of "{0}"', boardName(board)),
    prompt: vscode.l10n.t('Minutes before the board stops by itself'),
    value: String(board.maxRunningTimeMinutes ?? ''),
    validateInput: (v) =>
      /^[1-9]\d{0,5}$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter a whole number of minutes, 1 or more.'),
  });
  if (!typed) return;
  try {
    await services.connection.client().updateTensorboard(board.tensorboardId, {
      workspaceId: services.connection.workspaceId,
      maxRunningTimeMinutes: Number(typed.trim()),
    });
  } catch (error) {
    throw new ActionFailed(vscode.l10n.t('Could not change {0}', boardName(board)), error);
  }
  await followUp(services, board);
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
