/**
 * How the loopback proxy adds the bridge (media/bridge.js) to a board's pages, and what the script is told. Pure,
 * unit-tested in plain Node.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { BoardView } from './bridgeMessages';

/** Where the proxy serves the bridge's script, below its token (a path TensorBoard does not use). */
export const BRIDGE_PATH = '/__pai/bridge.js';
/** A page larger than this is not rewritten but cut off (TensorBoard's index.html is about 200 KB). */
export const MAX_INJECTED_HTML_BYTES = 16 * 1024 * 1024;

/** A request for a page the frame shows (a navigation), not one of its scripts, styles or data. */
export function isHtmlNavigation(method: string | undefined, headers: IncomingHttpHeaders): boolean {
  if (method !== 'GET') return false;
  const dest = headers['sec-fetch-dest'];
  if (dest !== undefined) return dest === 'iframe' || dest === 'document' || dest === 'frame';
  return /\btext\/html\b/i.test(headers.accept ?? '');
}

/**
 * The page with a script tag for the bridge as the first thing in its head, so that it runs before the board's own
 * scripts (it restores the saved localStorage before TensorBoard reads it). Relative to the page, so a forwarder's
 * path prefix is kept; the board's CSP allows it as a same-origin script (`script-src 'self'`). Bytes in, bytes out:
 * the page's encoding is not touched.
 */
export function injectBridge(page: Buffer, pagePath: string): Buffer {
  // Up from the page's folder to the token's root, e.g. `/share/tb1/` → `../../__pai/bridge.js`.
  const depth = (pagePath.split(/[?#]/)[0] ?? '/').split('/').length - 2;
  const src = `./${'../'.repeat(Math.max(0, depth))}${BRIDGE_PATH.slice(1)}`;
  const tag = Buffer.from(`<script src="${src.replace(/[&"<>]/g, '')}"></script>`, 'latin1');
  // latin1 maps each byte to one character: the index found is the byte offset.
  const text = page.toString('latin1');
  const head = /<head(\s[^>]*)?>/i.exec(text);
  const html = head ? undefined : /<html(\s[^>]*)?>/i.exec(text);
  const doctype = head || html ? undefined : /^\s*(<!--[\s\S]*?-->\s*)*<!doctype[^>]*>/i.exec(text);
  const found = head ?? html ?? doctype;
  const at = found ? found.index + found[0].length : 0;
  return Buffer.concat([page.subarray(0, at), tag, page.subarray(at)]);
}

export interface BridgeConfig {
  /** The panel's secret: media/board.js takes only messages that carry it. */
  readonly secret: string;
  /** The localStorage to bring back in a new origin (a new proxy port): set where the key is missing. */
  readonly storage: BoardView['storage'];
}

/** The marker in media/bridge.js that the configuration replaces. */
export const CONFIG_MARKER = '/*PAI_BRIDGE_CONFIG*/ null';

/** media/bridge.js with the panel's configuration, as JSON that no string in it can end or escape from. */
export function bridgeScript(template: string, config: BridgeConfig): string {
  const json = JSON.stringify(config).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  if (!template.includes(CONFIG_MARKER)) throw new Error('media/bridge.js has no configuration marker');
  return template.replace(CONFIG_MARKER, () => json);
}
