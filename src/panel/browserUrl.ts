import * as vscode from 'vscode';
import { belowRoot, loopbackRoot } from '../net/forwardedUrl';

/**
 * Where the user's browser (or a webview) reaches `url`, an http(s) URL already checked: a URL on the extension
 * host's loopback through the window's port forwarding, any other URL as it is. For a port, code-server answers
 * its forwarder's root (`http://<server>/proxy/<port>/`) whatever path was asked for, and openExternal of the URL
 * itself opens just that root; so the root is resolved and the path, query and fragment appended to the answer.
 * Desktop VS Code answers the same root, or a forwarded port's, and the result is the URL or its forwarded twin.
 */
export async function browserUrl(url: string): Promise<string> {
  const root = await forwardedRoot(url);
  return root ? belowRoot(root, url) : url;
}

/**
 * Opens `url` (an http(s) URL already checked) in the user's browser. openExternal forwards a loopback URL by
 * itself: a forwarder that maps ports onto paths (code-server's `/proxy/<port>/`) then drops the URL's path, so it
 * is given the URL below the forwarded root; one that maps ports onto ports (desktop Remote-SSH) keeps the path,
 * and is given the URL itself, not one already forwarded that it would forward again as a port of the remote.
 */
export async function openExternally(url: string): Promise<boolean> {
  const root = await forwardedRoot(url);
  const target = root && new URL(root).pathname !== '/' ? belowRoot(root, url) : url;
  return vscode.env.openExternal(vscode.Uri.parse(target, true));
}

/** Where the window forwards the root of a loopback `url`; undefined for any other URL. */
async function forwardedRoot(url: string): Promise<string | undefined> {
  const root = loopbackRoot(url);
  return root && (await vscode.env.asExternalUri(vscode.Uri.parse(root, true))).toString(true);
}
