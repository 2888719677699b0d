import * as vscode from 'vscode';
import { CredentialStore } from './auth/credentialStore';
import { BoardModel, type CreatedSource, type SourceMemory } from './boards/boardModel';
import { registerCommands } from './commands';
import { Connection } from './connection';
import { bindBoardContext, contextValue } from './contextKeys';
import { registerJobHover } from './create/jobHover';
import { createLog } from './log';
import type { Services } from './services';
import { onDidChangeListSettings } from './settings';
import { AccountStatus } from './ui/accountStatus';
import { RunningStatus } from './ui/runningStatus';
import { BoardTreeProvider } from './views/boardTree';
import { BoardPanels } from './webview/boardPanels';

/** Created sources, kept for the boards' lifetime in the extension's global state (no secret is ever in one). */
function sourceMemory(state: vscode.Memento): SourceMemory {
  const key = 'createdSources';
  const read = () => state.get<Record<string, CreatedSource>>(key) ?? {};
  return {
    get: (id) => read()[id],
    set: (id, source) => void state.update(key, { ...read(), [id]: source }),
  };
}

/**
 * Builds the services once and registers everything. In test mode only, the services are returned as the
 * extension's exports so integration tests can reach the running instance; otherwise nothing is exported, since any
 * extension can read another's exports.
 */
export function activate(context: vscode.ExtensionContext): Services | undefined {
  const log = createLog();
  const store = new CredentialStore(context.secrets);
  const connection = new Connection(store, log);
  const boards = new BoardModel({
    scope: () => connection.boardScope(),
    sources: sourceMemory(context.globalState),
    onListenerError: (error) => log.error(`A view failed to follow the boards: ${String(error)}`),
  });
  const tree = new BoardTreeProvider(boards, log);
  const view = vscode.window.createTreeView('paiTensorboard.boards', { treeDataProvider: tree, showCollapseAll: false });
  tree.attach(view);
  const panels = new BoardPanels(connection, boards, log, context.extensionUri);
  const running = new RunningStatus(boards);
  const account = new AccountStatus(connection);
  const services: Services = { context, log, connection, boards, tree, panels, running, account, contextValue, now: Date.now };
  context.subscriptions.push(
    log,
    store,
    connection,
    boards,
    tree,
    view,
    panels,
    running,
    bindBoardContext(boards),
    connection.onDidChange(() => boards.reset()),
    onDidChangeListSettings(() => void boards.refresh()),
    account,
    registerJobHover(),
    ...registerCommands(services),
  );
  return context.extensionMode === vscode.ExtensionMode.Test ? services : undefined;
}

export function deactivate(): void {}
