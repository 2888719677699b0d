import type * as vscode from 'vscode';
import type { BoardModel } from './boards/boardModel';
import type { Connection } from './connection';
import type { TestSeams } from './core/testSeams';
import type { Timer } from './core/pendingPoller';
import type { ContextKey } from './contextKeys';
import type { AccountStatus } from './ui/accountStatus';
import type { RunningStatus } from './ui/runningStatus';
import type { BoardTreeProvider } from './views/boardTree';
import type { BoardPanels } from './webview/boardPanels';

/** What activate() builds once and hands to every command and view. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly connection: Connection;
  /** The one store of boards that every view follows. */
  readonly boards: BoardModel;
  readonly tree: BoardTreeProvider;
  readonly panels: BoardPanels;
  readonly running: RunningStatus;
  /** The account's status bar item. */
  readonly account: AccountStatus;
  /** The context keys as last set, for tests of `when` clauses and walkthrough steps. */
  readonly contextValue: (key: ContextKey) => boolean | undefined;
  /** Wall clock; tests of pure logic inject their own, the extension uses Date.now. */
  readonly now: () => number;
  /** The test suites' stand-ins (a mount table); none outside the extension's test mode. */
  readonly testSeams: TestSeams;
  /**
   * The timers of the waits the user watches in a progress notification (a create's, a start's). Not readonly: an
   * integration test puts a fake in its place, so a 15-minute time-out is reached without waiting for it.
   */
  timer: Timer;
}
