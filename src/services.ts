import type * as vscode from 'vscode';
import type { Connection } from './connection';
import type { BoardTreeProvider } from './views/boardTree';
import type { BoardPanels } from './webview/boardPanels';

/** What activate() builds once and hands to every command and view. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly connection: Connection;
  readonly boards: BoardTreeProvider;
  readonly panels: BoardPanels;
  /** Wall clock; tests of pure logic inject their own, the extension uses Date.now. */
  readonly now: () => number;
}
