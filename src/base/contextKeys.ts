import * as vscode from 'vscode';

/**
 * Context keys that package.json's `when` clauses and the walkthrough's completion events read.
 *
 * Each walkthrough step completes on `onContext:<key>` and on `onContext:<key> && activeEditor == gettingStartedPage`.
 * VS Code ticks a step only when such a clause turns true while its walkthrough service runs, and it starts that
 * service when the walkthrough is first opened: a key that already holds then (signed in, boards listed) is taken as
 * seen without ticking. The second clause turns true as the walkthrough page shows, after the service started.
 */
export const ContextKeys = {
  /** Owned by the connection. */
  signedIn: 'paiTensorboard.signedIn',
  /** Owned by the connection. */
  hasWorkspace: 'paiTensorboard.hasWorkspace',
  /** Owned by the board model: the list loaded without error. */
  boardsLoaded: 'paiTensorboard.boardsLoaded',
  /** Owned by the board model: at least one board is listed. */
  hasBoards: 'paiTensorboard.hasBoards',
  /** Owned by the editor tracking (create/jobContext.ts): a job ID is under the active editor's cursor. */
  jobIdAtCursor: 'paiTensorboard.jobIdAtCursor',
  /** Owned by the sync face (dist/sync.js): at least one log folder sync is listed, so the sidebar shows them. */
  hasSyncs: 'paiTensorboard.hasSyncs',
} as const;

export type ContextKey = (typeof ContextKeys)[keyof typeof ContextKeys];

const current = new Map<ContextKey, boolean>();

/** The value last set for a key, as `when` clauses see it. */
export function contextValue(key: ContextKey): boolean | undefined {
  return current.get(key);
}

/** Sets a key, skipping the command when the value is unchanged. */
export function setContext(key: ContextKey, value: boolean): Thenable<unknown> {
  if (current.get(key) === value) return Promise.resolve();
  current.set(key, value);
  return vscode.commands.executeCommand('setContext', key, value);
}
