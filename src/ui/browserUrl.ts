import * as vscode from 'vscode';
import { belowRoot, loopbackRoot } from '../core/forwardedUrl';

/**
 * Where the user's browser (or a webview) reaches `url`, an http(s) URL already checked: a URL on the extension
 * host's loopback through the window's port forwarding, any other URL as it is. For a port, code-server answers
 * its forwarder's root (`http://<server>/proxy/<port>/`) whatever path was asked for, and openExternal of the URL
 * itself opens just that root; so the root is resolved and the path, query and fragment appended to the answer.
 * Desktop VS Code answers the same root, or a forwarded port's, and the result is the URL or its forwarded twin.
 */
export async function browserUrl(url: string): Promise<string> {
  const root = loopbackRoot(url);
  if (!root) return url;
  const forwarded = await vscode.env.asExternalUri(vscode.Uri.parse(root, true));
  return belowRoot(forwarded.toString(true), url);
}

/** Opens `url` (an http(s) URL already checked) in the user's browser, as `browserUrl` gives it. */
export async function openExternally(url: string): Promise<boolean> {
  return vscode.env.openExternal(vscode.Uri.parse(await browserUrl(url), true));
}
