import * as vscode from 'vscode';
import { inertText } from './inertText';

/**
 * The extension's notifications: every text and detail goes through `inertText`, since most of them quote a board's
 * name or the service's words. eslint allows `vscode.window.show…Message` nowhere else in src/.
 */
type Rest = [options: vscode.MessageOptions, ...buttons: string[]] | string[];

function inert(rest: Rest): Rest {
  const [first, ...buttons] = rest;
  if (typeof first !== 'object') return rest;
  return [first.detail === undefined ? first : { ...first, detail: inertText(first.detail) }, ...(buttons as string[])];
}

export function showInformation(text: string, ...rest: Rest): Thenable<string | undefined> {
  return vscode.window.showInformationMessage(inertText(text), ...(inert(rest) as string[]));
}

export function showWarning(text: string, ...rest: Rest): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(inertText(text), ...(inert(rest) as string[]));
}

export function showError(text: string, ...rest: Rest): Thenable<string | undefined> {
  return vscode.window.showErrorMessage(inertText(text), ...(inert(rest) as string[]));
}
