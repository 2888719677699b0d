/**
 * What the board's frame may ask of the extension through the bridge (media/bridge.js in the board's page, relayed by
 * media/board.js): open a link, save a download, remember the view. The frame runs the board's page, which is not
 * trusted: every message is parsed here, strictly, before anything is done with it. Pure, unit-tested in plain Node.
 */
import { safeHttpUrl } from '../net/safeUrl';

/** The largest download the bridge passes on (TensorBoard's CSV/JSON of one run and tag, a chart's SVG or PNG). */
export const MAX_DOWNLOAD_BYTES = 32 * 1024 * 1024;
/** Base64 of the largest download. */
const MAX_DOWNLOAD_BASE64 = Math.ceil(MAX_DOWNLOAD_BYTES / 3) * 4;
const MAX_URL_LENGTH = 8192;
const MAX_NAME_LENGTH = 1024;
/** TensorBoard's view in its URL: the query and the hash (smoothing, pinned cards, filters, the dashboard). */
const MAX_VIEW_PART = 16 * 1024;
/** TensorBoard's localStorage: `_tb_global_settings` and a few more, a few KiB in all. */
export const MAX_STORAGE_ENTRIES = 64;
const MAX_STORAGE_KEY = 256;
export const MAX_STORAGE_BYTES = 256 * 1024;

/** Where TensorBoard was, below the board's entry page, and what it kept in localStorage. */
export interface BoardView {
  /** The entry page's query with TensorBoard's own parameters, e.g. `?smoothing=0.9&pinnedCards=…`; or ''. */
  readonly search: string;
  /** e.g. `#timeseries`; or ''. */
  readonly hash: string;
  readonly storage: { readonly [key: string]: string };
}

export type BridgeMessage =
  | { readonly type: 'bridgeOpen'; readonly url: string }
  | { readonly type: 'bridgeDownload'; readonly name: string; readonly data: Uint8Array; readonly source?: string }
  | { readonly type: 'bridgeDownloadFailed'; readonly name: string }
  | { readonly type: 'bridgeView'; readonly view: BoardView };

function record(data: unknown, keys: readonly string[], optional: readonly string[] = []): boolean {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const given = Object.keys(data);
  return keys.every((key) => given.includes(key)) && given.every((key) => keys.includes(key) || optional.includes(key));
}

function shortString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

/** The message `data` is when it is exactly one of the bridge's; undefined for anything else. */
export function bridgeMessage(data: unknown): BridgeMessage | undefined {
  const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
  const fields = data as Record<string, unknown>;
  if (type === 'bridgeOpen') {
    if (!record(data, ['type', 'url']) || !shortString(fields.url, MAX_URL_LENGTH)) return undefined;
    const url = safeHttpUrl(fields.url);
    return url ? { type, url } : undefined;
  }
  if (type === 'bridgeDownload') {
    if (!record(data, ['type', 'name', 'data'], ['source'])) return undefined;
    const { name, data: base64, source } = fields;
    if (!shortString(name, MAX_NAME_LENGTH) || !shortString(base64, MAX_DOWNLOAD_BASE64)) return undefined;
    if (source !== undefined && !shortString(source, MAX_URL_LENGTH)) return undefined;
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) return undefined;
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.length > MAX_DOWNLOAD_BYTES) return undefined;
    return {
      type,
      name: sanitizeFileName(name),
      data: new Uint8Array(bytes),
      ...(source !== undefined ? { source } : {}),
    };
  }
  if (type === 'bridgeDownloadFailed') {
    if (!record(data, ['type', 'name']) || !shortString(fields.name, MAX_NAME_LENGTH)) return undefined;
    return { type, name: sanitizeFileName(fields.name) };
  }
  if (type === 'bridgeView') {
    if (!record(data, ['type', 'search', 'hash', 'storage'])) return undefined;
    const view = boardView({ search: fields.search, hash: fields.hash, storage: fields.storage });
    return view && { type, view };
  }
  return undefined;
}

/** A view read back (from the bridge, or from the extension's own storage, which a hand could have edited). */
export function boardView(data: unknown): BoardView | undefined {
  if (!record(data, ['search', 'hash', 'storage'])) return undefined;
  const { search, hash, storage } = data as Record<string, unknown>;
  if (!shortString(search, MAX_VIEW_PART) || !shortString(hash, MAX_VIEW_PART)) return undefined;
  if ((search && !search.startsWith('?')) || (hash && !hash.startsWith('#'))) return undefined;
  // eslint-disable-next-line no-control-regex -- a control character has no place in a URL
  if (/[\s\u0000-\u001f\u007f]/.test(search + hash)) return undefined;
  if (typeof storage !== 'object' || storage === null || Array.isArray(storage)) return undefined;
  const entries = Object.entries(storage);
  if (entries.length > MAX_STORAGE_ENTRIES) return undefined;
  let bytes = 0;
  const kept: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (!/^[\w.:-]+$/.test(key) || key.length > MAX_STORAGE_KEY || typeof value !== 'string') return undefined;
    if (key === '__proto__') return undefined;
    bytes += key.length + value.length;
    if (bytes > MAX_STORAGE_BYTES) return undefined;
    kept[key] = value;
  }
  return { search, hash, storage: kept };
}

/** A name that is one plain file name on every system: no folder, no reserved or control character, not hidden. */
export function sanitizeFileName(raw: string, fallback = 'download'): string {
  const cleaned = raw
    .normalize('NFC')
    // Folders and the characters Windows reserves, controls and the Unicode direction overrides.
    // eslint-disable-next-line no-control-regex -- removing them is the point
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const reserved = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
  const named = cleaned && !reserved.test(cleaned) ? cleaned : fallback;
  if (named.length <= 120) return named;
  const dot = named.lastIndexOf('.');
  const extension = dot > 0 && named.length - dot <= 10 ? named.slice(dot) : '';
  return named.slice(0, 120 - extension.length) + extension;
}

/**
 * The name the save dialog proposes: the board's name, then the run and tag of a TensorBoard data link
 * (`data/plugin/scalars/scalars?run=…&tag=…&format=csv`), else the name the page gave.
 */
export function downloadName(boardName: string, given: string, source: string | undefined): string {
  let run: string | null = null;
  let tag: string | null = null;
  let format: string | null = null;
  try {
    const url = source ? new URL(source) : undefined;
    run = url?.searchParams.get('run') ?? null;
    tag = url?.searchParams.get('tag') ?? null;
    format = url?.searchParams.get('format') ?? null;
  } catch {
    // A blob: or data: source, or none: the page's name is all there is.
  }
  const givenName = sanitizeFileName(given, '');
  const dot = givenName.lastIndexOf('.');
  const extension =
    format && /^(csv|json)$/.test(format) ? `.${format}` : dot > 0 ? givenName.slice(dot).toLowerCase() : '';
  const stem = run || tag ? [run, tag].filter(Boolean).join(' ') : dot > 0 ? givenName.slice(0, dot) : givenName;
  const parts = [boardName, stem].filter((part) => part && part.trim());
  return sanitizeFileName(`${parts.join(' - ')}${extension}`, `tensorboard${extension}`);
}

/** The view's query without the parameters the board's own link already has (a share token, say): never kept. */
export function ownSearch(search: string, link: string | undefined): string {
  let taken: URLSearchParams;
  try {
    taken = link ? new URL(link).searchParams : new URLSearchParams();
  } catch {
    taken = new URLSearchParams();
  }
  const params = new URLSearchParams(search);
  for (const name of [...params.keys()]) if (taken.has(name)) params.delete(name);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `url` (the frame's entry page) showing `view`: its own query first, then the view's other parameters and hash. */
export function withView(url: string, view: Pick<BoardView, 'search' | 'hash'> | undefined): string {
  if (!view) return url;
  const target = new URL(url);
  const params = new URLSearchParams(view.search);
  for (const [name, value] of params) if (!target.searchParams.has(name)) target.searchParams.append(name, value);
  if (view.hash) target.hash = view.hash;
  return target.href;
}
