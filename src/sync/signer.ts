import { createHash, createHmac } from 'node:crypto';

/**
 * OSS4-HMAC-SHA256, the V4 signature of OSS (reference oss.md §2.2). Every client since 2025 must use it; the
 * emulator verifies it with its own code (test/emulator/oss/auth.ts), and a unit test holds this signer to the
 * reference's vectors and to ali-oss 6.23.0's output byte for byte.
 */

export const v4Algorithm = 'OSS4-HMAC-SHA256';
/** The only payload hash the signer uses: the body is covered by Content-MD5 and the answer's CRC64 instead. */
export const unsignedPayload = 'UNSIGNED-PAYLOAD';

export interface OssCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** For STS credentials: sent and signed as `x-oss-security-token`. */
  securityToken?: string;
}

/** A query parameter: a sub-resource flag such as `append` or `uploads` has the value null (written `append`, not `append=`). */
export type QueryParam = readonly [name: string, value: string | null];

export interface RequestToSign {
  method: string;
  /** Absent for service-level requests (ListBuckets). */
  bucket?: string;
  /** The object key, not encoded; absent for bucket-level requests. */
  key?: string;
  query: readonly QueryParam[];
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** Header names to sign besides the required ones (e.g. `host`), lower-case. */
  additionalHeaders?: readonly string[];
}

/** RFC 3986: `A-Za-z0-9-._~` kept, every other UTF-8 byte `%XX` in upper case. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `/<bucket>/<key>` with `/` kept: both the canonical URI and the path sent on the wire (virtual-hosted style). */
export function canonicalUri(bucket: string | undefined, key: string | undefined): string {
  return uriEncode(`/${bucket === undefined ? '' : `${bucket}/`}${key ?? ''}`).replace(/%2F/g, '/');
}

/** Every parameter, name and value encoded, sorted by encoded name; a flag without value is its bare name. */
export function canonicalQuery(query: readonly QueryParam[]): string {
  return query
    .map(([name, value]) => [uriEncode(name), value === null ? null : uriEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value === null ? name : `${name}=${value}`))
    .join('&');
}

function signedHeaderNames(request: RequestToSign): string[] {
  const names = new Set(request.additionalHeaders ?? []);
  for (const name of Object.keys(request.headers)) {
    if (name === 'content-type' || name === 'content-md5' || name.startsWith('x-oss-')) names.add(name);
  }
  return [...names].sort();
}

function extraHeaderNames(request: RequestToSign): string[] {
  return [...new Set(request.additionalHeaders ?? [])]
    .filter((name) => name !== 'content-type' && name !== 'content-md5' && !name.startsWith('x-oss-'))
    .sort();
}

export function canonicalRequest(request: RequestToSign): string {
  const headers = signedHeaderNames(request)
    .map((name) => `${name}:${(request.headers[name] ?? '').trim()}\n`)
    .join('');
  return [
    request.method.toUpperCase(),
    canonicalUri(request.bucket, request.key),
    canonicalQuery(request.query),
    headers,
    extraHeaderNames(request).join(';'),
    request.headers['x-oss-content-sha256'] ?? unsignedPayload,
  ].join('\n');
}

/** `yyyymmddTHHMMSSZ`, the V4 `x-oss-date`. */
export function v4Date(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function scope(date: string, region: string): string {
  return `${date.slice(0, 8)}/${region}/oss/aliyun_v4_request`;
}

export function stringToSign(canonical: string, date: string, region: string): string {
  return [v4Algorithm, date, scope(date, region), createHash('sha256').update(canonical).digest('hex')].join('\n');
}

export function signingKey(secret: string, day: string, region: string): Buffer {
  const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
  return hmac(hmac(hmac(hmac(`aliyun_v4${secret}`, day), region), 'oss'), 'aliyun_v4_request');
}

/**
 * The headers that sign `request` at `nowMs` for `region` (e.g. `cn-hangzhou`, never `oss-cn-hangzhou`):
 * `x-oss-date`, `x-oss-content-sha256`, `x-oss-security-token` for STS credentials, and `authorization`.
 * Merge them into the request's own headers.
 */
export function signV4(
  request: RequestToSign,
  credentials: OssCredentials,
  region: string,
  nowMs: number,
): Record<string, string> {
  const date = v4Date(nowMs);
  const added: Record<string, string> = {
    'x-oss-content-sha256': unsignedPayload,
    'x-oss-date': date,
    ...(credentials.securityToken ? { 'x-oss-security-token': credentials.securityToken } : {}),
  };
  const signed = { ...request, headers: { ...request.headers, ...added } };
  const toSign = stringToSign(canonicalRequest(signed), date, region);
  const signature = createHmac('sha256', signingKey(credentials.accessKeySecret, date.slice(0, 8), region))
    .update(toSign)
    .digest('hex');
  const extra = extraHeaderNames(request);
  const authorization =
    `${v4Algorithm} Credential=${credentials.accessKeyId}/${scope(date, region)},` +
    (extra.length > 0 ? `AdditionalHeaders=${extra.join(';')},` : '') +
    `Signature=${signature}`;
  return { ...added, authorization };
}
