import * as vscode from 'vscode';
import { CredentialStore } from './auth/credentialStore';
import { BoardModel, type CreatedSource, type SourceMemory } from './boards/boardModel';
import type { CommandId } from './commandIds';
import { runCommand } from './commands';
import { Connection } from './connection';
import { bindBoardContext, contextValue } from './contextKeys';
import { useTestSeams } from './core/credentialLibrary';
import { testSeams } from './core/testSeams';
import { realTimer } from './core/pendingPoller';
import { createLog } from './log';
import type { Services } from './services';
import { onDidChangeListSettings } from './settings';
import { AccountStatus } from './ui/accountStatus';
import { RunningStatus } from './ui/runningStatus';
import { BoardTreeProvider } from './views/boardTree';
import type { TreeNode } from './views/boardNodes';
import type { PanelState } from './webview/boardPanels';
import { BoardPanels } from './webview/boardPanels';

/** What the activation bundle created before this one was loaded, for the app to take over. */
export interface Shell {
  readonly view: vscode.TreeView<TreeNode>;
  readonly treeChanged: vscode.EventEmitter<TreeNode | undefined>;
}

/** The extension behind the registrations: dist/app.js, loaded at the first command, sidebar look or restored panel. */
export interface App {
  readonly services: Services;
  run(id: CommandId, args: readonly unknown[]): Promise<unknown>;
  getChildren(node?: TreeNode): Promise<TreeNode[]>;
  restorePanel(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
}

/** Created sources, kept for the boards' lifetime in the extension's global state (no secret is ever in one). */
function sourceMemory(state: vscode.Memento): SourceMemory {
  const key = 'createdSources';
  const read = () => state.get<Record<string, CreatedSource>>(key) ?? {};
  return {
    get: (id) => read()[id],
    set: (id, source) => void state.update(key, { ...read(), [id]: source }),
  };
}

/** Builds the services once; everything they own is disposed with the extension. */
export function startApp(context: vscode.ExtensionContext, shell: Shell): App {
  // Only the test runner's window honours the test variables; a user's window ignores them whatever is set.
  const seams = testSeams(context.extensionMode === vscode.ExtensionMode.Test, process.env);
  useTestSeams(seams);
  const log = createLog();
  const store = new CredentialStore(context.secrets);
  const connection = new Connection(store, log);
  const boards = new BoardModel({
    scope: () => connection.boardScope(),
    sources: sourceMemory(context.globalState),
    onListenerError: (error) => log.error(`A view failed to follow the boards: ${String(error)}`),
  });
  const tree = new BoardTreeProvider(boards, log, shell.treeChanged);
  tree.attach(shell.view);
  const panels = new BoardPanels(connection, boards, log, context.extensionUri);
  const running = new RunningStatus(boards);
  const account = new AccountStatus(connection);
  const services: Services = { context, log, connection, boards, tree, panels, running, account, contextValue, now: Date.now, testSeams: seams, timer: realTimer };
  context.subscriptions.push(
    log,
    store,
    connection,
    boards,
    tree,
    panels,
    running,
    bindBoardContext(boards),
    connection.onDidChange(() => boards.reset()),
    onDidChangeListSettings(() => void boards.refresh()),
    account,
  );
  return {
    services,
    run: (id, args) => runCommand(services, id, args),
    getChildren: (node) => tree.getChildren(node),
    restorePanel: (panel, state) => panels.restore(panel, state as PanelState | undefined),
  };
}
