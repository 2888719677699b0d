import { posix } from 'node:path';
import { nasFromMountTarget, parseDataUri } from './dataUris';

/** One line of `/proc/mounts` (or `/etc/fstab`, which has the same shape). */
export interface Mount {
  readonly device: string;
  readonly mountPoint: string;
  readonly fsType: string;
  readonly options: readonly string[];
}

export type SummaryUriCheck =
  | { readonly ok: true; readonly uri: string; readonly type: 'OSS' | 'NAS'; readonly mount: Mount }
  | { readonly ok: false; readonly reason: string; readonly mount?: Mount };

/** The kernel writes space, tab, newline and backslash in paths as `\040`, `\011`, `\012` and `\134`. */
function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMounts(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/\s+/);
    if (fields.length < 3) continue;
    mounts.push({
      device: unescapeOctal(fields[0]!),
      mountPoint: unescapeOctal(fields[1]!),
      fsType: fields[2]!,
      options: fields[3] ? fields[3].split(',').map(unescapeOctal) : [],
    });
  }
  return mounts;
}

const mappingHint = 'add a paiTensorboard.pathMappings entry for it';

/**
 * Where a TensorBoard in PAI can read `localPath`: the OSS or NAS location of the mount that holds it (the longest
 * mount point that is a prefix of it; the later line wins a tie, as a later mount covers an earlier one). A mount
 * whose storage cannot be read off the table is reported with the reason, never guessed.
 */
export function summaryUriFor(localPath: string, mounts: readonly Mount[]): SummaryUriCheck {
  if (!localPath.startsWith('/')) return { ok: false, reason: `"${localPath}" is not an absolute Linux path.` };
  const path = trimSlash(posix.normalize(localPath));
  let best: Mount | undefined;
  for (const mount of mounts) {
    const point = trimSlash(posix.normalize(mount.mountPoint));
    if (!contains(point, path)) continue;
    if (!best || point.length >= trimSlash(posix.normalize(best.mountPoint)).length) best = mount;
  }
  if (!best) return { ok: false, reason: `No mount holds ${path}.` };
  const point = trimSlash(posix.normalize(best.mountPoint));
  const rest = point === '/' ? path : path.slice(point.length);
  return locate(best, rest);
}

function locate(mount: Mount, rest: string): SummaryUriCheck {
  const fail = (reason: string): SummaryUriCheck => ({ ok: false, reason, mount });
  const where = mount.mountPoint;
  const kind = mountKind(mount);
  switch (kind) {
    case 'nfs': {
      const colon = mount.device.indexOf(':');
      const host = colon > 0 ? mount.device.slice(0, colon) : '';
      const exported = colon > 0 ? mount.device.slice(colon + 1) : '';
      const nas = nasFromMountTarget(host);
      if (nas) return located(mount, `nas://${nas.fileSystemId}.${nas.region}${join(exported, rest)}`);
      if (/\.extreme\.nas\.aliyuncs\.com$/i.test(host)) {
        // Extreme NAS IDs are `extreme-<hex>`, but that the mount target's prefix is that hex is not documented.
        return fail(
          `${where} is an Extreme NAS file system (${host}), whose file system ID the mount table does not show; ${mappingHint}, ` +
            `e.g. { "local": "${where}", "remote": "nas://extreme-<id>.<region>${exported || '/'}" }.`,
        );
      }
      return fail(
        `${where} is NFS from ${host || mount.device}, which is not a NAS mount target this extension recognises; ${mappingHint}.`,
      );
    }
    case 'ossfs':
    case 'jindo': {
      const tool = kind === 'ossfs' ? 'ossfs' : 'JindoFuse';
      const uriOption = optionValue(mount, 'uri');
      if (uriOption) {
        const location = parseDataUri(uriOption);
        if (location.ok) return located(mount, `${location.uri}${rest}`);
      }
      const bucket = kind === 'ossfs' ? ossfsBucket(mount.device) : undefined;
      const endpoint = optionValue(mount, 'url')
        ?.replace(/^[a-z]+:\/\//i, '')
        .replace(/\/+$/, '');
      if (bucket && endpoint) {
        const location = parseDataUri(`oss://${bucket.name}.${endpoint}${join(bucket.prefix, rest)}`);
        if (location.ok) return located(mount, location.uri);
      }
      if (bucket) {
        return fail(
          `${where} is the OSS bucket ${bucket.name} mounted with ${tool}, but the mount table does not show its endpoint; ${mappingHint}, ` +
            `e.g. { "local": "${where}", "remote": "oss://${bucket.name}.oss-<region>-internal.aliyuncs.com${bucket.prefix}" }.`,
        );
      }
      return fail(
        `${where} is mounted with ${tool}, and the mount table does not show which OSS bucket; ${mappingHint}.`,
      );
    }
    case 'local':
      return fail(
        `${where} is on this machine's own ${mount.fsType} file system, which a TensorBoard in PAI cannot read. ` +
          `Write the summaries under a mounted OSS or NAS folder (in DSW, /mnt/data or /mnt/workspace), or ${mappingHint} if it is synced to one.`,
      );
    case 'other':
      return fail(`${where} is a ${mount.fsType} mount this extension cannot map to OSS or NAS; ${mappingHint}.`);
  }
}

type MountKind = 'nfs' | 'ossfs' | 'jindo' | 'local' | 'other';

function mountKind(mount: Mount): MountKind {
  const type = mount.fsType.toLowerCase();
  const device = mount.device.toLowerCase();
  if (/^nfs\d?$/.test(type)) return 'nfs';
  if (/^fuse\.(ossfs2?|s3fs)$/.test(type) || (type === 'fuse' && /^(ossfs2?|s3fs)#/.test(device))) return 'ossfs';
  if (/^fuse\.jindo(fs)?-fuse$/.test(type) || /^jindo(fs)?-fuse$/.test(device)) return 'jindo';
  if (localTypes.has(type)) return 'local';
  return 'other';
}

const localTypes = new Set([
  'overlay',
  'ext2',
  'ext3',
  'ext4',
  'xfs',
  'btrfs',
  'zfs',
  'tmpfs',
  'devtmpfs',
  'vfat',
  'ntfs',
  'rootfs',
  'squashfs',
]);

/**
 * ossfs 1.x (s3fs) shows its program name as the device, and ossfs 2 always shows `ossfs2`; the bucket appears only
 * when the mount came from an fstab line (`bucket[:/prefix]`, or `ossfs#bucket` with type `fuse`) or `-o fsname`.
 */
function ossfsBucket(device: string): { name: string; prefix: string } | undefined {
  const value = device.replace(/^(ossfs2?|s3fs)#/i, '');
  if (/^(ossfs2?|s3fs)$/i.test(value)) return undefined;
  const match = /^([a-z0-9-]{3,63})(?::(\/.*))?$/.exec(value);
  return match ? { name: match[1]!, prefix: match[2] ?? '/' } : undefined;
}

function optionValue(mount: Mount, key: string): string | undefined {
  const option = mount.options.find((item) => item.startsWith(`${key}=`));
  return option?.slice(key.length + 1) || undefined;
}

function located(mount: Mount, raw: string): SummaryUriCheck {
  const location = parseDataUri(raw);
  if (!location.ok) return { ok: false, reason: location.reason, mount };
  return { ok: true, uri: location.uri, type: location.type, mount };
}

function join(base: string, rest: string): string {
  return `/${[base, rest].join('/').split('/').filter(Boolean).join('/')}/`;
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

function contains(point: string, path: string): boolean {
  return point === '/' || path === point || path.startsWith(`${point}/`);
}
