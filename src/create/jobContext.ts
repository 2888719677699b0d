import * as vscode from 'vscode';
import { ContextKeys, setContext } from '../base/contextKeys';
import { findJobIds, isJobId, jobIdAt } from './jobIds';

/** The job ID in the editor's selection, or under its cursor. */
export function jobIdInEditor(editor: vscode.TextEditor | undefined): string | undefined {
  if (!editor) return undefined;
  const selected = editor.document.getText(editor.selection).trim();
  if (selected) return isJobId(selected) ? selected : findJobIds(selected)[0]?.jobId;
  const position = editor.selection.active;
  return jobIdAt(editor.document.lineAt(position.line).text, position.character);
}

/**
 * Keeps `paiTensorboard.jobIdAtCursor` true while a job ID is under the cursor (or selected), for the editor's context
 * menu. Each selection change reads the cursor's line only, and the key is sent to VS Code only when it flips.
 */
export function trackJobIdAtCursor(): vscode.Disposable {
  const update = (editor: vscode.TextEditor | undefined) =>
    void setContext(ContextKeys.jobIdAtCursor, jobIdInEditor(editor) !== undefined);
  update(vscode.window.activeTextEditor);
  return vscode.Disposable.from(
    vscode.window.onDidChangeTextEditorSelection((event) => update(event.textEditor)),
    vscode.window.onDidChangeActiveTextEditor(update),
  );
}
