/**
 * Where signed requests may go. An endpoint override is accepted only over https, or over http on this machine's
 * loopback (the local emulator), so a typo or a hostile setting cannot send signatures in clear text elsewhere.
 */
export type EndpointCheck = { readonly ok: true; readonly endpoint: string } | { readonly ok: false; readonly reason: string };

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return loopbackHosts.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export function checkEndpoint(value: string): EndpointCheck {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false, reason: `"${value}" is not a URL. Use the form https://pai-dlc.<region>.aliyuncs.com.` };
  }
  if (url.username || url.password) return { ok: false, reason: 'The endpoint must not contain a user name or password.' };
  if (url.search || url.hash) return { ok: false, reason: 'The endpoint must not have a query or fragment.' };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return { ok: false, reason: `Refusing to send signed requests over plain http to ${url.host}: use https.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: `The endpoint must use https, not ${url.protocol.replace(':', '')}.` };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, endpoint: `${url.protocol}//${url.host}${path}` };
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
