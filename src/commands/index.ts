import * as vscode from 'vscode';
import type { Services } from '../services';
import { showLogs } from './showLogs';
import { refreshBoards } from './refreshBoards';

type CommandHandler = (services: Services, ...args: unknown[]) => unknown;

/** Every command the extension contributes, by id. package.json's `contributes.commands` must list the same ids. */
export const commands: Record<string, CommandHandler> = {
  'paiTensorboard.showLogs': showLogs,
  'paiTensorboard.refresh': refreshBoards,
};

export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(commands).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => handler(services, ...args)),
  );
}
