import { createHmac } from 'node:crypto';
import { rfc3986 } from './signatureV3';

/**
 * RPC V1 (HMAC-SHA1), what @alicloud/credentials sends to STS (credentials.md §4.2, vector R1):
 * every parameter of the query and the urlencoded body but `Signature`, sorted by name,
 * `rfc3986(name)=rfc3986(value)` joined with `&`, then `METHOD&%2F&` + rfc3986(that).
 */

export function rpcStringToSign(method: string, params: ReadonlyArray<readonly [string, string]>): string {
  const canonical = params
    .filter(([name]) => name !== 'Signature')
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return `${method.toUpperCase()}&${rfc3986('/')}&${rfc3986(canonical)}`;
}

/** Base64 HMAC-SHA1 keyed with `secret&`. */
export function rpcSign(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(Buffer.from(stringToSign, 'utf8')).digest('base64');
}
