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

/** Every listed region follows the SDK's fallback rule, so unlisted regions get the same pattern. */
export function endpointForRegion(regionId: string): string {
  const region = regionId.trim().toLowerCase();
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(region)) throw new RangeError(`"${regionId}" is not a region ID such as cn-hangzhou.`);
  return `https://pai-dlc.${region}.aliyuncs.com`;
}

/**
 * The form pop-core needs: a scheme, and no trailing slash (ROAClient appends the path as is, so `…com/` would
 * request `//api/v1/…` and sign a path the gateway never sees). Returns undefined for anything else.
 */
export function normalizeEndpoint(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint.trim()) ? endpoint.trim() : `https://${endpoint.trim()}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.search || url.hash || url.username || url.password) return undefined;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
