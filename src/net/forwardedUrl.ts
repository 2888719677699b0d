import { isLoopbackHost, safeHttpUrl } from './safeUrl';

/**
 * The root (`<origin>/`) of an http(s) URL on this machine's loopback, or undefined for any other URL. In a remote
 * window "this machine" is the extension host's, which the user's browser reaches only through the window's port
 * forwarding. `0.0.0.0` counts: VS Code forwards it like 127.0.0.1.
 */
export function loopbackRoot(url: string): string | undefined {
  const safe = safeHttpUrl(url);
  if (!safe) return undefined;
  const { hostname, origin } = new URL(safe);
  return isLoopbackHost(hostname) || hostname === '0.0.0.0' ? `${origin}/` : undefined;
}

/**
 * `url` as reached below `root`, the address its origin's root is forwarded to: the root's path with the URL's path,
 * query and fragment appended (`http://host/proxy/6006/` and `http://127.0.0.1:6006/b/?t=1` give
 * `http://host/proxy/6006/b/?t=1`). The root's own query and fragment, if it had any, are not kept.
 */
export function belowRoot(root: string, url: string): string {
  const base = new URL(root);
  const target = new URL(url);
  const path = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return new URL(`${base.origin}${path}${target.pathname.slice(1)}${target.search}${target.hash}`).href;
}

/**
 * How a browser window forwards this machine's loopback ports, as `asExternalUri` answers for the roots of two
 * different ports (`http://127.0.0.1:A/` and `…:B/`).
 */
export interface PortForwarding {
  readonly first: string;
  readonly second: string;
}

/**
 * Why a page reached through `forwarding` would share its origin with other pages (and so with the workbench, whose
 * own server does the forwarding), or undefined when every port gets an origin of its own. code-server's
 * `/proxy/<port>/` maps every port onto paths of the workbench's origin; its `--proxy-domain` (`<port>.example`) and
 * desktop VS Code's port-to-port tunnels give each port its own. An answer that is not an http(s) URL counts as
 * shared: nothing says it is not.
 */
export function sharedOrigin(forwarding: PortForwarding): string | undefined {
  const first = httpOrigin(forwarding.first);
  const second = httpOrigin(forwarding.second);
  if (!first || !second) return 'the window did not say where it forwards ports';
  if (first === second) return `the window forwards every port onto paths of one origin (${first})`;
  return undefined;
}

function httpOrigin(url: string): string | undefined {
  const safe = safeHttpUrl(url);
  return safe && new URL(safe).origin;
}
