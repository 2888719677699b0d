import { isLoopbackHost } from '../net/safeUrl';
import type { SyncTarget } from './syncManager';

/** Where a folder's sync goes, and the forms of it the user sees and the settings keep. Pure: unit-tested. */

/** `tensorboard/<workspace folder>/<relative path>/`, each segment kept to what reads well in an OSS key. */
export function defaultPrefix(workspaceFolder: string | undefined, relativePath: string): string {
  const segments = [workspaceFolder ?? '', ...relativePath.split(/[\\/]+/)]
    .map((segment) =>
      segment
        .trim()
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^-+|-+$/g, ''),
    )
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
  return `${['tensorboard', ...segments].join('/')}/`;
}

/** A prefix as typed: no leading `/`, one trailing `/`; undefined when it climbs (`..`) or is empty. */
export function normalPrefix(typed: string): string | undefined {
  const segments = typed
    .trim()
    .split('/')
    .filter((segment) => segment !== '');
  if (segments.length === 0 || segments.some((segment) => segment === '.' || segment === '..')) return undefined;
  return `${segments.join('/')}/`;
}

/** The `oss://` URI a board takes for the synced prefix, which also becomes the folder's path mapping. */
export function ossUriOf(target: SyncTarget): string {
  return `oss://${target.bucket}.oss-${target.region}.aliyuncs.com/${target.prefix}`;
}

export type OssEndpointCheck = { ok: true; endpoint?: string } | { ok: false; reason: string };

/**
 * `paiTensorboard.ossEndpoint`, by the rule of `paiTensorboard.endpoint`: https, or http on this machine's loopback
 * (the emulator), so signed requests never go in clear text elsewhere; empty means `oss-<region>.aliyuncs.com`.
 */
export function checkOssEndpoint(value: string | undefined): OssEndpointCheck {
  if (value === undefined || value.trim() === '') return { ok: true };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false, reason: `"${value}" is not a URL. Use the form https://oss-<region>.aliyuncs.com.` };
  }
  if (url.username || url.password)
    return { ok: false, reason: 'The OSS endpoint must not contain a user name or password.' };
  if (url.search || url.hash || url.pathname !== '/')
    return { ok: false, reason: 'The OSS endpoint must be a scheme and a host only.' };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
    return { ok: false, reason: `Refusing to send signed requests over plain http to ${url.host}: use https.` };
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, reason: `The OSS endpoint must use https, not ${url.protocol.replace(':', '')}.` };
  return { ok: true, endpoint: `${url.protocol}//${url.host}` };
}
