import * as vscode from 'vscode';
import { belowRoot, loopbackRoot, type PortForwarding } from '../net/forwardedUrl';
import { isLoopbackHost } from '../net/safeUrl';

/**
 * Where the user's browser (or a webview) reaches `url`, an http(s) URL already checked: a URL on the extension
 * host's loopback through the window's port forwarding, any other URL as it is. For a port, code-server answers
 * its forwarder's root (`http://<server>/proxy/<port>/`, or `http://<port>.<proxy-domain>/`) whatever path was asked
 * for, and openExternal of the URL itself opens just that root; so the root is resolved and the path, query and
 * fragment appended to the answer. Desktop VS Code answers the same root, or a forwarded port's, and the result is
 * the URL or its forwarded twin.
 */
export async function browserUrl(url: string): Promise<string> {
  const root = await forwardedRoot(url);
  return root ? belowRoot(root, url) : url;
}

/**
 * Opens `url` (an http(s) URL already checked) in the user's browser. openExternal forwards a loopback URL by
 * itself: a forwarder that maps ports onto paths or onto other hosts (code-server's `/proxy/<port>/` and its
 * `--proxy-domain`) then drops the URL's path, so it is given the URL below the forwarded root; one that maps ports
 * onto loopback ports (desktop Remote-SSH) keeps the path, and is given the URL itself, not one already forwarded
 * that it would forward again as a port of the remote.
 */
export async function openExternally(url: string): Promise<boolean> {
  const root = await forwardedRoot(url);
  const rootUrl = root ? new URL(root) : undefined;
  const portToPort = rootUrl && rootUrl.pathname === '/' && isLoopbackHost(rootUrl.hostname);
  const target = rootUrl && !portToPort ? belowRoot(root!, url) : url;
  return vscode.env.openExternal(vscode.Uri.parse(target, true));
}

/** Where the window forwards the root of a loopback `url`; undefined for any other URL. */
async function forwardedRoot(url: string): Promise<string | undefined> {
  const root = loopbackRoot(url);
  return root && (await vscode.env.asExternalUri(vscode.Uri.parse(root, true))).toString(true);
}

let forwarding: Promise<PortForwarding | undefined> | undefined;

/**
 * How this window forwards loopback ports, asked once: undefined in desktop VS Code, whose forwarded ports each keep
 * an origin of their own (and where asking would open tunnels for nothing); in a browser window, what two ports'
 * roots become.
 */
export function portForwarding(): Promise<PortForwarding | undefined> {
  if (vscode.env.uiKind === vscode.UIKind.Desktop) return Promise.resolve(undefined);
  forwarding ??= sampleForwarding().catch((error: unknown) => {
    forwarding = undefined;
    throw error;
  });
  return forwarding;
}

async function sampleForwarding(): Promise<PortForwarding> {
  const [first = '', second = ''] = await Promise.all(
    [SAMPLE_PORT, SAMPLE_PORT + 1].map((port) => forwardedRoot(`http://127.0.0.1:${port}/`)),
  );
  return { first, second };
}

/** Any two ports do: in a browser window asExternalUri only computes an address for them. */
const SAMPLE_PORT = 6006;
