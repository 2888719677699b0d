/**
 * A URL from the service (a board's TensorboardUrl or shared link) in a form that is safe to open, copy or put into
 * a webview's CSP; undefined when it is anything else. Only http(s) with a plain host name or IP address passes: no
 * other scheme (`vscode:`, `command:`, `file:`, `javascript:`, …), no user or password, no whitespace or control
 * character anywhere, and no character in the host that would end a CSP source (WHATWG URL parsing lets `;`, `'`,
 * `*` and `,` through in hosts). Returns the parsed, normalised form.
 */
export function safeHttpUrl(raw: string): string | undefined {
  // \s covers Unicode spaces; the classes add the C0 and C1 controls, which \s does not all cover.
  // eslint-disable-next-line no-control-regex -- matching them is the point
  if (typeof raw !== 'string' || /[\s\u0000-\u001f\u007f-\u009f]/.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) return undefined;
  // The parser has already lower-cased the host and turned an international name into xn-- labels.
  const host = /^(\[[0-9a-f:.]+\]|[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?)$/;
  return host.test(url.hostname) ? url.href : undefined;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** This machine's loopback, as URL parsing gives the host name: the one check every rule here uses. */
export function isLoopbackHost(hostname: string): boolean {
  return loopbackHosts.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** A URL that may be shown inside the editor: https anywhere, http only on loopback. */
export function isFrameableUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  } catch {
    return false;
  }
}
