import { createHash, createHmac } from 'node:crypto';

/**
 * ACS3-HMAC-SHA256 (V3), written from the algorithm in credentials.md §1 rather than taken from
 * @alicloud/openapi-util, so that a signing bug on either side shows up as a mismatch.
 */

export const v3Algorithm = 'ACS3-HMAC-SHA256';

export interface V3Authorization {
  accessKeyId: string;
  /** As listed in `SignedHeaders`, lower-cased, in the client's order. */
  signedHeaders: string[];
  signature: string;
}

export interface CanonicalRequestInput {
  method: string;
  /** The request-target path exactly as received. */
  rawPath: string;
  /** Decoded query pairs. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  signedHeaders: readonly string[];
  /** Lower-case hex SHA-256 of the body, as sent in `x-acs-content-sha256`. */
  hashedPayload: string;
}

/** RFC 3986 percent-encoding of UTF-8: only A–Z a–z 0–9 `-_.~` stay as they are. */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * `ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex`; undefined for another scheme,
 * a missing part or an unknown field. Spaces after the commas are tolerated (UNCONFIRMED, §1.5).
 */
export function parseV3Authorization(value: string | undefined): V3Authorization | undefined {
  if (!value?.startsWith(`${v3Algorithm} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.slice(v3Algorithm.length + 1).split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) return undefined;
    fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (fields.size !== 3 || !accessKeyId || !signedHeaders || !signature) return undefined;
  return { accessKeyId, signedHeaders: signedHeaders.split(';').map((name) => name.toLowerCase()), signature };
}

/** Sorted by name (UTF-16 code units, then value), each `rfc3986(name)=rfc3986(value)`, joined with `&`. */
export function canonicalQuery(query: ReadonlyArray<readonly [string, string]>): string {
  const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...query]
    .sort(([nameA, valueA], [nameB, valueB]) => byCodeUnits(nameA, nameB) || byCodeUnits(valueA, valueB))
    .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`)
    .join('&');
}

export function canonicalRequest(input: CanonicalRequestInput): string {
  const headerBlock = input.signedHeaders.map((name) => `${name}:${(input.headers[name] ?? '').trim()}\n`).join('');
  return [
    input.method.toUpperCase(),
    input.rawPath,
    canonicalQuery(input.query),
    headerBlock,
    input.signedHeaders.join(';'),
    input.hashedPayload,
  ].join('\n');
}

export function v3StringToSign(canonical: string): string {
  return `${v3Algorithm}\n${sha256Hex(Buffer.from(canonical, 'utf8'))}`;
}

export function v3Sign(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha256', Buffer.from(accessKeySecret, 'utf8'))
    .update(Buffer.from(stringToSign, 'utf8'))
    .digest('hex');
}
