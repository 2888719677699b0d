import { isLoopbackHost } from '../net/safeUrl';

/** The regions whose PAI-DLC endpoint the service metadata lists (reference §1.2). */
export const PAI_DLC_REGIONS: readonly string[] = Object.freeze([
  'cn-beijing',
  'cn-wulanchabu',
  'cn-hangzhou',
  'cn-shanghai',
  'cn-shenzhen',
  'cn-guangzhou',
  'cn-hongkong',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-3',
  'ap-southeast-5',
  'us-east-1',
  'us-west-1',
  'eu-central-1',
  'cn-shanghai-finance-1',
]);

/**
 * What a region ID looks like (`cn-hangzhou`, `ap-southeast-1`, `cn-shanghai-finance-1`): the one pattern every check
 * of a region uses. The source is exported for patterns that embed a region (OSS and NAS host names).
 */
export const REGION_ID_SOURCE = '[a-z]{2,}(?:-[a-z0-9]+)+';
const regionId = new RegExp(`^${REGION_ID_SOURCE}$`);

export function isRegionId(value: string): boolean {
  return regionId.test(value);
}

/** Every listed region follows the SDK's fallback rule, so unlisted regions get the same pattern. */
export function endpointForRegion(input: string): string {
  const region = input.trim().toLowerCase();
  if (!isRegionId(region)) throw new RangeError(`"${input}" is not a region ID such as cn-hangzhou.`);
  return `https://pai-dlc.${region}.aliyuncs.com`;
}

export type EndpointCheck =
  { readonly ok: true; readonly endpoint: string } | { readonly ok: false; readonly reason: string };

/**
 * Where signed requests may go, parsed once, here: https, or http on this machine's loopback (the local emulator), so
 * a typo or a hostile setting cannot send signatures in clear text elsewhere. The endpoint comes in the form pop-core
 * needs: a scheme, and no trailing slash (ROAClient appends the path as is, so `…com/` would request `//api/v1/…` and
 * sign a path the gateway never sees).
 */
export function checkEndpoint(value: string): EndpointCheck {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false, reason: `"${value}" is not a URL. Use the form https://pai-dlc.<region>.aliyuncs.com.` };
  }
  if (url.username || url.password)
    return { ok: false, reason: 'The endpoint must not contain a user name or password.' };
  if (url.search || url.hash) return { ok: false, reason: 'The endpoint must not have a query or fragment.' };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return { ok: false, reason: `Refusing to send signed requests over plain http to ${url.host}: use https.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: `The endpoint must use https, not ${url.protocol.replace(':', '')}.` };
  }
  if (!url.hostname) return { ok: false, reason: `"${value}" names no host.` };
  return { ok: true, endpoint: `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}` };
}
