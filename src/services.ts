import type * as vscode from 'vscode';
import type { AccountStatus } from './account/accountStatus';
import type { ContextKey } from './base/contextKeys';
import type { BoardTreeProvider } from './boards/boardTree';
import type { RunningStatus } from './boards/runningStatus';
import type { PanelServices } from './panel/boardPanels';
import type { Timer } from './boards/timer';

/**
 * What activate() builds once. Commands and views are handed it but each reads only its subject's part
 * (`AccountServices`, `BoardServices`, `PanelServices`); the rest is here for the integration tests, which receive
 * this object from activate() in test mode only.
 */
export interface Services extends PanelServices {
  readonly context: vscode.ExtensionContext;
  readonly tree: BoardTreeProvider;
  readonly running: RunningStatus;
  /** The account's status bar item. */
  readonly account: AccountStatus;
  /** The context keys as last set, for tests of `when` clauses and walkthrough steps. */
  readonly contextValue: (key: ContextKey) => boolean | undefined;
  /**
   * The timer of the boards' polling and of the waits the user watches in a progress notification. Not readonly: an
   * integration test puts a fake in its place, so a 15-minute time-out is reached without waiting for it.
   */
  timer: Timer;
}
