import * as vscode from 'vscode';
import { describeError } from '../api/errors';

// Bound rather than called as `vscode.l10n.t(text, …)`: its messages are the sentences of src/api/errors.ts, which
// scripts/l10nStrings.mjs finds where they are written; a call here with a variable would read as a missing literal.
const translate = vscode.l10n.t.bind(vscode.l10n);

/** A failure for the user, in their language: this extension's sentences translated; codes and IDs as they are. */
export function describe(error: unknown): string {
  return describeError(error, (text, args) => translate(text, ...args));
}
