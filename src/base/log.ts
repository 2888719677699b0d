import * as vscode from 'vscode';

/** The extension's one log, "PAI TensorBoard" in the Output panel. Never given a secret. */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('PAI TensorBoard', { log: true });
}
