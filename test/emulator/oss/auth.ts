import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { OssError, type OssGuessKey } from './errors';

/**
 * The emulator's check of OSS signatures, V4 (OSS4-HMAC-SHA256) and V1 (HMAC-SHA1), written from the reference
 * (oss.md §2) and independent of src/sync/signer.ts. It rebuilds what was signed from the request as received.
 */

/** A query parameter as received: decoded name and value, and whether the wire had `=` (for `k` versus `k=`). */
export interface ReceivedParam {
  name: string;
  value: string;
  hadEquals: boolean;
}

export interface SignedRequest {
  method: string;
  /** Lower-case names, values as Node joined them. */
  headers: Readonly<Record<string, string | undefined>>;
  query: readonly ReceivedParam[];
  bucket?: string;
  key?: string;
}

export interface KeyLookup {
  accessKeySecret: string;
  /** STS keys: their token and its expiry (emulator clock, ms). */
  sts?: { securityToken: string; expiresAt?: number };
}

export interface AuthContext {
  nowMs: number;
  /** The bucket's region, e.g. `cn-hangzhou`; undefined for service-level requests (any region signs those). */
  region: string | undefined;
  findKey(accessKeyId: string): KeyLookup | undefined;
  isSomeToken(token: string): boolean;
  acceptV1: boolean;
  /** V4 canonical query form of an empty value: the SDKs differ (oss.md §10.2). */
  emptyQueryValue: 'either' | 'bare' | 'equals';
  guess(key: OssGuessKey, message: string, ec: string): OssError;
}

export const maxSkewMs = 15 * 60_000;

/** V1 sub-resources that are signed (oss.md §2.1); also any parameter whose name starts with `x-oss-`. */
const v1SignedParams = new Set(
  (
    'acl bucketInfo location stat delete append tagging objectMeta uploads uploadId partNumber security-token position ' +
    'response-content-type response-content-language response-content-disposition response-content-encoding ' +
    'response-expires response-cache-control restore callback callback-var versions versioning versionId sequential ' +
    'continuation-token regionList cloudboxes symlink'
  ).split(' '),
);

function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function accessDenied(message: string, ec: string): OssError {
  return new OssError(403, 'AccessDenied', message, ec);
}

/** The caller's AccessKey ID once the signature, time and token check out. */
export function authenticate(request: SignedRequest, context: AuthContext): string {
  const authorization = request.headers['authorization'];
  if (!authorization)
    throw accessDenied('You have no right to access this object because of bucket acl.', '0003-00000001');
  if (authorization.startsWith('OSS4-HMAC-SHA256 ')) return verifyV4(request, authorization, context);
  if (authorization.startsWith('OSS ')) {
    if (!context.acceptV1)
      throw context.guess(
        'v1Disabled',
        'The V1 signature is not available for this account; use the V4 signature.',
        '0002-00000080',
      );
    return verifyV1(request, authorization, context);
  }
  throw new OssError(400, 'InvalidArgument', 'Authorization header is invalid.', '0002-00000001', [
    ['Authorization', authorization.split(' ')[0]],
  ]);
}

function checkSkew(sentMs: number, sentText: string, context: AuthContext): void {
  if (Number.isNaN(sentMs)) {
    throw accessDenied('Invalid date format of the request.', sentText === '' ? '0002-00000503' : '0002-00000502');
  }
  if (Math.abs(context.nowMs - sentMs) > maxSkewMs) {
    throw new OssError(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      '0002-00000504',
      [
        ['MaxAllowedSkewMilliseconds', String(maxSkewMs)],
        ['RequestTime', new Date(sentMs).toISOString()],
        ['ServerTime', new Date(context.nowMs).toISOString()],
      ],
    );
  }
}

/** The key's secret after the STS rule: an STS key only with its own, unexpired token. */
function secretOf(accessKeyId: string, token: string | undefined, context: AuthContext): string {
  const key = context.findKey(accessKeyId);
  if (!key)
    throw new OssError(
      403,
      'InvalidAccessKeyId',
      'The OSS Access Key Id you provided does not exist in our records.',
      '0002-00000902',
      [['OSSAccessKeyId', accessKeyId]],
    );
  if (!key.sts) {
    if (token !== undefined)
      throw new OssError(403, 'InvalidSecurityToken', 'The security token you provided is invalid.', '0002-00000008');
    return key.accessKeySecret;
  }
  if (token === undefined)
    throw new OssError(
      403,
      'InvalidAccessKeyId',
      'The OSS Access Key Id you provided does not exist in our records.',
      '0002-00000902',
      [['OSSAccessKeyId', accessKeyId]],
    );
  if (token !== key.sts.securityToken) {
    if (context.isSomeToken(token)) {
      throw new OssError(
        403,
        'AccessKeyIdAndSecurityTokenNotMatch',
        'The OSS access key id and security token you provided does not match.',
        '0002-00000009',
      );
    }
    throw new OssError(403, 'InvalidSecurityToken', 'The security token you provided is invalid.', '0002-00000006');
  }
  if (key.sts.expiresAt !== undefined && context.nowMs >= key.sts.expiresAt) {
    throw context.guess('securityTokenExpired', 'The security token you provided has expired.', '0002-00000007');
  }
  return key.accessKeySecret;
}

function hexBytes(text: string): string {
  return [...Buffer.from(text)].map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

// --- V1 -----------------------------------------------------------------------------------------------------------

export function v1StringToSign(request: SignedRequest): string {
  const { headers } = request;
  const ossHeaders = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-oss-') && value !== undefined) ossHeaders.set(name, value.trim());
  }
  const canonicalHeaders = [...ossHeaders.keys()]
    .sort()
    .map((name) => `${name}:${ossHeaders.get(name)}\n`)
    .join('');
  const subresources = request.query
    .filter(({ name }) => v1SignedParams.has(name) || name.startsWith('x-oss-'))
    .map(({ name, value }) => (value === '' ? name : `${name}=${value}`))
    .sort();
  const resource = request.bucket === undefined ? '/' : `/${request.bucket}/${request.key ?? ''}`;
  return (
    [
      request.method,
      headers['content-md5'] ?? '',
      headers['content-type'] ?? '',
      headers['date'] ?? headers['x-oss-date'] ?? '',
    ].join('\n') +
    '\n' +
    canonicalHeaders +
    resource +
    (subresources.length > 0 ? `?${subresources.join('&')}` : '')
  );
}

function verifyV1(request: SignedRequest, authorization: string, context: AuthContext): string {
  const match = /^OSS ([^:\s]+):(\S+)$/.exec(authorization.trim());
  if (!match) throw new OssError(400, 'InvalidArgument', 'Authorization header is invalid.', '0002-00000001');
  const [, accessKeyId, provided] = match;
  // ali-oss sends only x-oss-date, the Go SDKs Date: the signed line is Date when present (oss.md §10.1).
  const dateText = request.headers['date'] ?? request.headers['x-oss-date'] ?? '';
  checkSkew(dateText === '' ? NaN : Date.parse(dateText), dateText, context);
  const secret = secretOf(accessKeyId, request.headers['x-oss-security-token'], context);
  const toSign = v1StringToSign(request);
  const expected = createHmac('sha1', secret).update(toSign, 'utf8').digest('base64');
  if (!sameText(expected, provided)) {
    throw new OssError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      '0002-00000040',
      [
        ['OSSAccessKeyId', accessKeyId],
        ['SignatureProvided', provided],
        ['StringToSign', toSign],
        ['StringToSignBytes', hexBytes(toSign)],
      ],
    );
  }
  return accessKeyId;
}

// --- V4 -----------------------------------------------------------------------------------------------------------

interface V4Authorization {
  accessKeyId: string;
  day: string;
  region: string;
  additionalHeaders: string[];
  signature: string;
}

function parseV4(authorization: string): V4Authorization | undefined {
  const fields = new Map<string, string>();
  for (const part of authorization.slice('OSS4-HMAC-SHA256 '.length).split(',')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const credential = /^([^/]+)\/(\d{8})\/([^/]+)\/oss\/aliyun_v4_request$/.exec(fields.get('Credential') ?? '');
  const signature = fields.get('Signature');
  if (!credential || !signature) return undefined;
  const additional = fields.get('AdditionalHeaders');
  return {
    accessKeyId: credential[1],
    day: credential[2],
    region: credential[3],
    additionalHeaders: additional ? additional.split(';').map((name) => name.trim().toLowerCase()) : [],
    signature,
  };
}

export function v4CanonicalRequest(
  request: SignedRequest,
  additionalHeaders: readonly string[],
  emptyAs: 'bare' | 'equals',
): string {
  const uri = encode(request.bucket === undefined ? '/' : `/${request.bucket}/${request.key ?? ''}`).replace(
    /%2F/g,
    '/',
  );
  const query = request.query
    .map(({ name, value }) => [encode(name), encode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value === '' && emptyAs === 'bare' ? name : `${name}=${value}`))
    .join('&');
  const names = new Set(additionalHeaders);
  for (const name of Object.keys(request.headers)) {
    if (name === 'content-type' || name === 'content-md5' || name.startsWith('x-oss-')) names.add(name);
  }
  const headers = [...names]
    .sort()
    .map((name) => `${name}:${(request.headers[name] ?? '').trim()}\n`)
    .join('');
  return [
    request.method,
    uri,
    query,
    headers,
    [...additionalHeaders].sort().join(';'),
    request.headers['x-oss-content-sha256'] ?? '',
  ].join('\n');
}

export function v4StringToSign(canonical: string, date: string, region: string): string {
  return [
    'OSS4-HMAC-SHA256',
    date,
    `${date.slice(0, 8)}/${region}/oss/aliyun_v4_request`,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
}

export function v4Signature(secret: string, day: string, region: string, toSign: string): string {
  let key: Buffer | string = `aliyun_v4${secret}`;
  for (const part of [day, region, 'oss', 'aliyun_v4_request']) key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(toSign).digest('hex');
}

function verifyV4(request: SignedRequest, authorization: string, context: AuthContext): string {
  const parsed = parseV4(authorization);
  if (!parsed) throw new OssError(400, 'InvalidArgument', 'Authorization header is invalid.', '0002-00000001');
  const date = request.headers['x-oss-date'] ?? '';
  const dateMatch = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  checkSkew(
    dateMatch
      ? Date.UTC(+dateMatch[1], +dateMatch[2] - 1, +dateMatch[3], +dateMatch[4], +dateMatch[5], +dateMatch[6])
      : NaN,
    date,
    context,
  );
  if (parsed.day !== date.slice(0, 8)) {
    throw new OssError(400, 'InvalidArgument', 'Invalid signing date in Authorization header.', '0002-00000225');
  }
  if (context.region !== undefined && parsed.region !== context.region) {
    throw new OssError(
      400,
      'InvalidArgument',
      `Invalid signing region in Authorization header: expected ${context.region}.`,
      '0002-00000226',
    );
  }
  const payload = request.headers['x-oss-content-sha256'];
  if (payload === undefined) {
    throw new OssError(
      400,
      'InvalidArgument',
      'Missing required header for this request: x-oss-content-sha256.',
      '0002-00000214',
    );
  }
  for (const name of parsed.additionalHeaders) {
    if (request.headers[name] === undefined) {
      throw new OssError(
        400,
        'InvalidArgument',
        `The additional header ${name} is not in the request.`,
        '0002-00000215',
      );
    }
  }
  const secret = secretOf(parsed.accessKeyId, request.headers['x-oss-security-token'], context);
  const forms: Array<'bare' | 'equals'> =
    context.emptyQueryValue === 'either' ? ['bare', 'equals'] : [context.emptyQueryValue];
  let first = '';
  for (const form of forms) {
    const canonical = v4CanonicalRequest(request, parsed.additionalHeaders, form);
    const toSign = v4StringToSign(canonical, date, parsed.region);
    first ||= toSign;
    if (sameText(v4Signature(secret, parsed.day, parsed.region, toSign), parsed.signature)) return parsed.accessKeyId;
    if (!request.query.some(({ value }) => value === '')) break;
  }
  throw new OssError(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    '0002-00000201',
    [
      ['OSSAccessKeyId', parsed.accessKeyId],
      ['SignatureProvided', parsed.signature],
      ['StringToSign', first],
      ['StringToSignBytes', hexBytes(first)],
      ['CanonicalRequest', v4CanonicalRequest(request, parsed.additionalHeaders, forms[0])],
    ],
  );
}

/** The body's SHA-256 must match a signed payload hash other than UNSIGNED-PAYLOAD. */
export function checkPayloadHash(headers: SignedRequest['headers'], body: Buffer): void {
  const declared = headers['x-oss-content-sha256'];
  if (declared === undefined || declared === 'UNSIGNED-PAYLOAD') return;
  if (createHash('sha256').update(body).digest('hex') !== declared) {
    throw new OssError(
      400,
      'InvalidDigest',
      'The x-oss-content-sha256 you specified did not match what we received.',
      '0002-00000216',
    );
  }
}
