import type * as vscode from 'vscode';
import type { BoardTreeProvider } from './views/boardTree';

/** What activate() builds once and hands to every command and view. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly boards: BoardTreeProvider;
}
