import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * ROA V2 ("acs AK:signature", HMAC-SHA1), written from the algorithm in the reference §6.3 rather
 * than taken from pop-core, so that a signing bug on either side shows up as a mismatch.
 */

export interface StringToSignInput {
  method: string;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** The path as the client signed it: pop-core signs its uriPattern without encoding. */
  path: string;
  /** Decoded query values: pop-core signs the raw values, not the percent-encoded ones it sends. */
  query: ReadonlyArray<readonly [string, string]>;
}

export function canonicalizedHeaders(headers: Record<string, string | undefined>): string {
  return Object.keys(headers)
    .filter((name) => name.startsWith('x-acs-'))
    .sort()
    .map((name) => `${name}:${(headers[name] ?? '').replace(/[\t\n\r\f]/g, ' ').trim()}\n`)
    .join('');
}

export function canonicalizedResource(path: string, query: ReadonlyArray<readonly [string, string]>): string {
  if (query.length === 0) return path;
  // JS default sort (UTF-16 code units, upper case before lower case), as pop-core does.
  const sorted = [...query].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${path}?${sorted.map(([key, value]) => `${key}=${value}`).join('&')}`;
}

export function buildStringToSign({ method, headers, path, query }: StringToSignInput): string {
  const line = (name: string): string => headers[name] ?? '';
  return (
    `${method}\n${line('accept')}\n${line('content-md5')}\n${line('content-type')}\n${line('date')}\n` +
    canonicalizedHeaders(headers) +
    canonicalizedResource(path, query)
  );
}

export function signString(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha1', accessKeySecret).update(Buffer.from(stringToSign, 'utf8')).digest('base64');
}

export function contentMd5(body: Buffer | string): string {
  return createHash('md5').update(body).digest('base64');
}

/** `acs <AccessKeyId>:<signature>`; undefined when the header has another shape. */
export function parseAuthorization(value: string | undefined): { accessKeyId: string; signature: string } | undefined {
  const match = /^acs ([^:\s]+):(\S+)$/.exec(value ?? '');
  return match ? { accessKeyId: match[1], signature: match[2] } : undefined;
}

/** Constant-time comparison, so a probing client cannot learn the signature byte by byte. */
export function signaturesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
