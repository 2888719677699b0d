import * as vscode from 'vscode';
import type { CommandId } from './commandIds';

/** Runs one of the extension's own commands: the id is checked against the contributed list at compile time. */
export function executeCommand(id: CommandId, ...args: unknown[]): Thenable<unknown> {
  return vscode.commands.executeCommand(id, ...args);
}

/** One of the extension's own commands for a tree item or a status bar item. */
export function commandTo(id: CommandId, title: string, ...args: unknown[]): vscode.Command {
  return args.length > 0 ? { command: id, title, arguments: args } : { command: id, title };
}
