import * as vscode from 'vscode';
import { CredentialStore } from './account/credentialStore';
import { BoardModel, type CreatedSource, type SourceMemory } from './boards/boardModel';
import type { CommandId } from './base/commandIds';
import { runCommand } from './commands';
import { Connection } from './account/connection';
import { contextValue } from './base/contextKeys';
import { createLog } from './base/log';
import { logTimeline } from './base/timeline';
import { useTestSeams } from './account/credentialLibrary';
import { testSeams } from './base/testSeams';
import { SwappableTimer } from './boards/timer';
import type { Services } from './services';
import { onDidChangeListSettings } from './base/settings';
import { AccountStatus } from './account/accountStatus';
import { RunningStatus } from './boards/runningStatus';
import { bindBoardContext, BoardTreeProvider } from './boards/boardTree';
import type { TreeNode } from './boards/boardNodes';
import type { PanelState } from './panel/boardPanels';
import { BoardPanels } from './panel/boardPanels';
import { probeBoard } from './panel/probe';
import { findExistingBoard } from './create/duplicates';
import { boardPhase } from './boards/status';
import { SyncAccess } from './sync/syncServices';
import { newestBoardStep } from './export/newestStep';
import { Guard } from './guard/guard';

/** What the activation bundle created before this one was loaded, for the app to take over. */
export interface Shell {
  readonly view: vscode.TreeView<TreeNode>;
  readonly treeChanged: vscode.EventEmitter<TreeNode | undefined>;
  /** The context keys the activation bundle sets (its own copy of contextKeys.ts), such as jobIdAtCursor. */
  readonly contextValue: typeof contextValue;
}

/** The extension behind the registrations: dist/app.js, loaded at the first command, sidebar look or restored panel. */
export interface App {
  readonly services: Services;
  run(id: CommandId, args: readonly unknown[]): Promise<unknown>;
  getChildren(node?: TreeNode): Promise<TreeNode[]>;
  restorePanel(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  /** The ID of the running board of a job among the known boards, for the job ID hover. */
  runningBoardOf(jobId: string): string | undefined;
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
  // Each awaited board's way from Running to its frame, in the log for the bench's split (#23).
  const timeline = logTimeline((line) => log.info(line));
  const store = new CredentialStore(context.secrets);
  const connection = new Connection(store, log);
  // The timer of every board's polling and every wait on one; an integration test may swap in a fake (services.timer).
  const timer = new SwappableTimer();
  const boards = new BoardModel({
    scope: () => connection.boardScope(),
    timer,
    sources: sourceMemory(context.globalState),
    onListenerError: (error) => log.error(`A view failed to follow the boards: ${String(error)}`),
    pageAnswers: async (url) => (await probeBoard(url)).ready,
    timeline,
  });
  const tree = new BoardTreeProvider(boards, log, shell.treeChanged);
  tree.attach(shell.view);
  const panels = new BoardPanels(connection, boards, log, context.extensionUri, context.globalState);
  panels.timeline = timeline;
  const guard = new Guard({
    services: { log, connection, boards },
    state: context.globalState,
    shown: () => panels.visibleIds(),
    afterTurn: () => tree.tick(),
    offerExtend: (id, why) => panels.get(id)?.offerExtend(why),
  });
  tree.forecast = (board) => guard.forecast(board);
  const running = new RunningStatus(boards);
  const account = new AccountStatus(connection);
  // Kept out of this bundle by esbuild.mjs: dist/sync.js beside it, loaded at the first sync.
  const syncs = new SyncAccess(
    { connection, log, state: context.workspaceState, timer, metadataOrigin: seams.metadataOrigin },
    () => require('./sync.js') as typeof import('./sync/syncFace'),
  );
  // The lag line of a board over a synced folder: only a window with a sync has one to show.
  panels.syncLag = (board, link) =>
    syncs.loaded?.boardLag(board, () => newestBoardStep(link)) ?? Promise.resolve(undefined);
  const services: Services = {
    context,
    log,
    connection,
    boards,
    tree,
    panels,
    guard,
    running,
    account,
    syncs,
    contextValue: (key) => contextValue(key) ?? shell.contextValue(key),
    now: Date.now,
    testSeams: seams,
    get timer() {
      return timer.current;
    },
    set timer(replacement) {
      timer.current = replacement;
    },
  };
  context.subscriptions.push(
    log,
    store,
    connection,
    boards,
    tree,
    panels,
    running,
    bindBoardContext(boards),
    guard,
    panels.onDidShow((id) => guard.seen(id)),
    panels.onDidAskExtend((id) => void guard.extend(id)),
    connection.onDidChange(() => boards.reset()),
    onDidChangeListSettings(() => void boards.refresh()),
    account,
    syncs,
  );
  syncs.resumeSaved();
  return {
    services,
    run: (id, args) => runCommand(services, id, args),
    getChildren: (node) => tree.getChildren(node),
    restorePanel: (panel, state) => panels.restore(panel, state as PanelState | undefined),
    runningBoardOf: (jobId) => {
      const board = findExistingBoard(boards.boards, { kind: 'job', jobId });
      return board && boardPhase(board.status) === 'running' ? board.tensorboardId : undefined;
    },
  };
}
