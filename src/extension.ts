import * as vscode from 'vscode';
import { CredentialStore } from './auth/credentialStore';
import { registerCommands } from './commands';
import { Connection } from './connection';
import { createLog } from './log';
import type { Services } from './services';
import { registerJobHover } from './create/jobHover';
import { AccountStatus } from './ui/accountStatus';
import { RunningStatus } from './ui/runningStatus';
import { BoardTreeProvider } from './views/boardTree';
import { BoardPanels } from './webview/boardPanels';

/**
 * Builds the services once and registers everything. In test mode only, the services are returned as the
 * extension's exports so integration tests can reach the running instance; otherwise nothing is exported, since any
 * extension can read another's exports.
 */
export function activate(context: vscode.ExtensionContext): Services | undefined {
  const log = createLog();
  const store = new CredentialStore(context.secrets);
  const connection = new Connection(store, log);
  const boards = new BoardTreeProvider(connection, log);
  const view = vscode.window.createTreeView('paiTensorboard.boards', { treeDataProvider: boards, showCollapseAll: false });
  boards.attach(view);
  const panels = new BoardPanels(connection, log, context.extensionUri);
  const services: Services = { context, log, connection, boards, panels, now: Date.now };
  context.subscriptions.push(log, store, connection, boards, view, panels, new AccountStatus(connection), new RunningStatus(boards), registerJobHover(), ...registerCommands(services));
  return context.extensionMode === vscode.ExtensionMode.Test ? services : undefined;
}

export function deactivate(): void {}
