import * as vscode from 'vscode';

/** Context keys that package.json's `when` clauses read. */
export const ContextKeys = {
  signedIn: 'paiTensorboard.signedIn',
  hasWorkspace: 'paiTensorboard.hasWorkspace',
  boardsLoaded: 'paiTensorboard.boardsLoaded',
} as const;

export function setContext(key: (typeof ContextKeys)[keyof typeof ContextKeys], value: boolean): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
