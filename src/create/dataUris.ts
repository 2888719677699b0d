import { isRegionId, REGION_ID_SOURCE } from '../api/endpoint';
/**
 * The storage URIs CreateTensorboard takes: `oss://<bucket>.<endpoint>/<path>` and `nas://<file-system-id>.<region>/<path>`
 * (reference §2, Appendix A). Parsed by hand rather than with `URL`, whose rules for unknown schemes would percent-encode
 * or mangle object keys.
 */
export interface OssLocation {
  readonly type: 'OSS';
  /** Normalised: lowercase scheme and host, one `/` between segments, a trailing `/`. */
  readonly uri: string;
  readonly bucket: string;
  /** e.g. `oss-cn-hangzhou-internal.aliyuncs.com`. */
  readonly endpoint: string;
  /** Read from the endpoint when it names one; `oss-accelerate.aliyuncs.com` does not. */
  readonly region?: string;
  /** Starts and ends with `/`. */
  readonly path: string;
}

export interface NasLocation {
  readonly type: 'NAS';
  readonly uri: string;
  readonly fileSystemId: string;
  readonly region: string;
  readonly path: string;
}

export type DataLocation = OssLocation | NasLocation;
export type DataUriCheck = ({ readonly ok: true } & DataLocation) | { readonly ok: false; readonly reason: string };

export interface ParseDataUriOptions {
  /**
   * Completes an OSS URI given without an endpoint (`oss://bucket/path`, the form ossutil and the OSS console show)
   * with this region's internal endpoint: boards run inside PAI's network in the workspace's region. Without it such
   * a URI is rejected, because the bucket's region cannot be known from its name.
   */
  readonly region?: string;
}

const ossExample = 'oss://bucket.oss-cn-hangzhou.aliyuncs.com/path/';
const nasExample = 'nas://1ca404xxxx.cn-hangzhou/path/';
const aliyunHost = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.aliyuncs\.com$/;
// The region's last part is lazy, so that `-internal` is left to its own group.
const ossEndpointRegion = new RegExp(`^oss-(${REGION_ID_SOURCE}?)(-internal)?\\.aliyuncs\\.com$`);
// General-purpose NAS mount targets are `<file-system-id>-<suffix>.<region>.nas.aliyuncs.com`, the ID being hex.
const nasMountTarget = new RegExp(
  `^([0-9a-f]{6,16})-[a-z0-9]+\\.(?:dualstack\\.)?(${REGION_ID_SOURCE})\\.nas\\.aliyuncs\\.com$`,
);
const extremeMountTarget = /\.extreme\.nas\.aliyuncs\.com$/;

export function parseDataUri(text: string, options: ParseDataUriOptions = {}): DataUriCheck {
  const value = text.trim();
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/]*)(.*)$/s.exec(value);
  if (!match) {
    return { ok: false, reason: `"${value}" is not an OSS or NAS URI. Use ${ossExample} or ${nasExample}` };
  }
  const scheme = match[1]!.toLowerCase();
  const host = match[2]!.toLowerCase();
  const path = normalisePath(match[3]!);
  if (typeof path !== 'string') return path;
  if (scheme === 'oss') return parseOss(host, path, options);
  if (scheme === 'nas') return parseNas(host, path);
  if ((scheme === 'http' || scheme === 'https') && /\.aliyuncs\.com$/.test(host) && host.includes('.oss-')) {
    return { ok: false, reason: `That is the bucket's web address. Use the oss:// form instead: oss://${host}${path}` };
  }
  return {
    ok: false,
    reason: `"${scheme}://" is not supported: a TensorBoard reads from OSS (${ossExample}) or NAS (${nasExample}).`,
  };
}

/** Why a bucket name breaks OSS's naming rules, or undefined when it keeps them. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `The bucket name "${name}" must be 3 to 63 characters long.`;
  if (!/^[a-z0-9-]+$/.test(name))
    return `The bucket name "${name}" may hold only lowercase letters, digits and hyphens.`;
  if (name.startsWith('-') || name.endsWith('-'))
    return `The bucket name "${name}" must not start or end with a hyphen.`;
  return undefined;
}

/**
 * PAI dataset IDs seen in the API: `d-vf2fdhxxxxxx` (AI workspace datasets), `data-20210114104214-xxxxxxx` (older DLC
 * data sources) and `ds-20210126170216-xxxxxxxx` (CreateTensorboard's response example). No format is published, so
 * anything of those prefixes followed by letters, digits and hyphens is accepted.
 */
export function isDatasetId(text: string): boolean {
  return /^(d|ds|data)-[A-Za-z0-9][A-Za-z0-9-]{3,62}[A-Za-z0-9]$/.test(text.trim());
}

export function datasetIdProblem(text: string): string | undefined {
  if (isDatasetId(text)) return undefined;
  return `"${text.trim()}" does not look like a PAI dataset ID (d-… or data-…). Copy it from the dataset's page in the PAI console.`;
}

/** `nas://<id>.<region>/` for a general-purpose NAS mount target such as `1ca404a666-x1234.cn-hangzhou.nas.aliyuncs.com`. */
export function nasFromMountTarget(host: string): { fileSystemId: string; region: string } | undefined {
  const match = nasMountTarget.exec(host.toLowerCase());
  return match ? { fileSystemId: match[1]!, region: match[2]! } : undefined;
}

/**
 * One key per storage location, independent of the endpoint used to reach it (a bucket is the same through its
 * internal and public endpoints, and the service reports `FullSummaryPath` as `oss://bucket/path` without one):
 * `oss://bucket/path/` or `nas://id/path/`. Undefined when `text` is not such a URI.
 */
export function locationKey(text: string): string | undefined {
  const match = /^(oss|nas):\/\/([^/]*)(.*)$/is.exec(text.trim());
  if (!match) return undefined;
  const host = match[2]!.toLowerCase();
  const path = normalisePath(match[3]!);
  if (typeof path !== 'string' || host === '') return undefined;
  const scheme = match[1]!.toLowerCase();
  const owner =
    scheme === 'nas' ? (nasFromMountTarget(host)?.fileSystemId ?? host.split('.')[0]!) : host.split('.')[0]!;
  return owner ? `${scheme}://${owner}${path}` : undefined;
}

/** `/a//b/./c` → `/a/b/c/`; `..` is refused because the service would resolve it nowhere the user meant. */
export function normalisePath(raw: string): string | { readonly ok: false; readonly reason: string } {
  // Control characters cannot be part of an object key or file name the user meant.
  // eslint-disable-next-line no-control-regex -- matching them is the point
  if (/[\u0000-\u001f\u007f]/.test(raw)) return { ok: false, reason: 'The path contains control characters.' };
  const segments = raw.split(/\/+/).filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { ok: false, reason: 'The path must not contain "..".' };
  return segments.length === 0 ? '/' : `/${segments.join('/')}/`;
}

function parseOss(host: string, path: string, options: ParseDataUriOptions): DataUriCheck {
  if (host === '') return { ok: false, reason: `The OSS URI has no bucket. OSS URIs look like ${ossExample}` };
  const dot = host.indexOf('.');
  const bucket = dot < 0 ? host : host.slice(0, dot);
  const bucketProblem = bucketNameProblem(bucket);
  if (bucketProblem) return { ok: false, reason: bucketProblem };
  let endpoint = dot < 0 ? '' : host.slice(dot + 1);
  if (endpoint === '' && path === '/') {
    // Completed with the workspace's region this would be a board over a whole bucket, which is rarely what was meant
    // by a URI that names neither where the bucket is nor which folder holds the summaries.
    return {
      ok: false,
      reason: `"oss://${bucket}" names neither the bucket's endpoint nor a folder. Name the folder that holds the event files, e.g. oss://${bucket}.oss-cn-hangzhou-internal.aliyuncs.com/logs/ or oss://${bucket}/logs/`,
    };
  }
  if (endpoint === '') {
    const region = options.region?.trim().toLowerCase();
    if (!region || !isRegionId(region)) {
      return {
        ok: false,
        reason: `Add the bucket's endpoint: oss://${bucket}.oss-<region>-internal.aliyuncs.com${path} (e.g. oss-cn-hangzhou-internal.aliyuncs.com).`,
      };
    }
    endpoint = `oss-${region}-internal.aliyuncs.com`;
  }
  if (!aliyunHost.test(endpoint)) {
    return { ok: false, reason: `"${endpoint}" is not an OSS endpoint. OSS URIs look like ${ossExample}` };
  }
  const region = ossEndpointRegion.exec(endpoint)?.[1];
  return {
    ok: true,
    type: 'OSS',
    uri: `oss://${bucket}.${endpoint}${path}`,
    bucket,
    endpoint,
    ...(region ? { region } : {}),
    path,
  };
}

function parseNas(host: string, path: string): DataUriCheck {
  const fromTarget = nasFromMountTarget(host);
  if (fromTarget) return nasLocation(fromTarget.fileSystemId, fromTarget.region, path);
  if (extremeMountTarget.test(host)) {
    return {
      ok: false,
      reason: `"${host}" is an Extreme NAS mount target. Use nas://<file-system-id>.<region>${path} with the file system ID (extreme-…) from the NAS console.`,
    };
  }
  const dot = host.indexOf('.');
  const fileSystemId = dot < 0 ? host : host.slice(0, dot);
  const region = dot < 0 ? '' : host.slice(dot + 1);
  if (!/^[a-z0-9][a-z0-9-]{3,62}[a-z0-9]$/.test(fileSystemId)) {
    return { ok: false, reason: `"${fileSystemId}" is not a NAS file system ID. NAS URIs look like ${nasExample}` };
  }
  if (!isRegionId(region)) {
    return {
      ok: false,
      reason: `Add the file system's region: nas://${fileSystemId}.<region>${path} (e.g. ${fileSystemId}.cn-hangzhou).`,
    };
  }
  return nasLocation(fileSystemId, region, path);
}

function nasLocation(fileSystemId: string, region: string, path: string): DataUriCheck {
  return { ok: true, type: 'NAS', uri: `nas://${fileSystemId}.${region}${path}`, fileSystemId, region, path };
}
