import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { createLog } from './log';
import type { Services } from './services';
import { BoardTreeProvider } from './views/boardTree';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  const boards = new BoardTreeProvider();
  const services: Services = { context, log, boards };
  context.subscriptions.push(
    log,
    boards,
    vscode.window.registerTreeDataProvider('paiTensorboard.boards', boards),
    ...registerCommands(services),
  );
}

export function deactivate(): void {}
