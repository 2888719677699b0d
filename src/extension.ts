import * as vscode from 'vscode';
import { CredentialStore } from './auth/credentialStore';
import { registerCommands } from './commands';
import { Connection } from './connection';
import { createLog } from './log';
import type { Services } from './services';
import { AccountStatus } from './ui/accountStatus';
import { BoardTreeProvider } from './views/boardTree';
import { BoardPanels } from './webview/boardPanels';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  const store = new CredentialStore(context.secrets);
  const connection = new Connection(store, log);
  const boards = new BoardTreeProvider(connection, log);
  const view = vscode.window.createTreeView('paiTensorboard.boards', { treeDataProvider: boards, showCollapseAll: false });
  boards.attach(view);
  const panels = new BoardPanels(connection, log, context.extensionUri);
  const services: Services = { context, log, connection, boards, panels, now: Date.now };
  context.subscriptions.push(log, store, connection, boards, view, panels, new AccountStatus(connection), ...registerCommands(services));
}

export function deactivate(): void {}
