import { parseDataUri, type DataLocation } from './dataUris';

/** One entry of the `paiTensorboard.pathMappings` setting: a local folder and the OSS/NAS folder it mirrors. */
export interface PathMapping {
  readonly local: string;
  readonly remote: string;
}

/** A workspace folder's path, or its path and name (for `${workspaceFolder:name}`; the name defaults to the basename). */
export type WorkspaceFolderRef = string | { readonly name: string; readonly path: string };

export interface MappingContext {
  readonly workspaceFolders: readonly WorkspaceFolderRef[];
  /** Expands `~` and `${userHome}`. */
  readonly home?: string;
  /** Completes a remote given as `oss://bucket/path` (see ParseDataUriOptions). */
  readonly region?: string;
}

export interface MappedPath {
  readonly uri: string;
  readonly type: 'OSS' | 'NAS';
  readonly mapping: PathMapping;
}

export interface MappingProblem {
  /** Position in the setting's array. */
  readonly index: number;
  readonly reason: string;
}

export interface ResolvedMapping {
  readonly mapping: PathMapping;
  /** The local folder with variables expanded, `/` separators, no trailing `/`. */
  readonly local: string;
  readonly remote: DataLocation;
}

/**
 * Validates the setting's raw value (it comes from JSON, so anything goes) and expands each local folder. A mapping
 * with `${workspaceFolder}` yields one entry per open folder, and none while no folder is open: that is not the
 * mapping's fault, so it is not reported.
 */
export function resolveMappings(
  value: unknown,
  context: MappingContext,
): { mappings: ResolvedMapping[]; problems: MappingProblem[] } {
  const mappings: ResolvedMapping[] = [];
  const problems: MappingProblem[] = [];
  if (value === undefined || value === null) return { mappings, problems };
  if (!Array.isArray(value))
    return {
      mappings,
      problems: [{ index: -1, reason: 'pathMappings must be an array of { "local": …, "remote": … }.' }],
    };
  value.forEach((entry: unknown, index) => {
    const problem = (reason: string) => problems.push({ index, reason: `pathMappings[${index}]: ${reason}` });
    if (typeof entry !== 'object' || entry === null) return problem('must be an object with "local" and "remote".');
    const { local, remote } = entry as Record<string, unknown>;
    if (typeof local !== 'string' || local.trim() === '') return problem('"local" must be a folder path.');
    if (typeof remote !== 'string' || remote.trim() === '') return problem('"remote" must be an oss:// or nas:// URI.');
    const location = parseDataUri(remote, context.region ? { region: context.region } : {});
    if (!location.ok) return problem(`"remote": ${location.reason}`);
    const expanded = expand(local.trim(), context);
    if (typeof expanded === 'string') return problem(expanded);
    for (const path of expanded) {
      const folder = normaliseLocal(path);
      if (!folder)
        return problem(`"local" must be an absolute folder (or start with \${workspaceFolder} or ~), not "${local}".`);
      mappings.push({ mapping: { local, remote }, local: folder, remote: location });
    }
    return undefined;
  });
  return { mappings, problems };
}

/**
 * The remote location of `localPath` under the mapping with the longest local folder that contains it, matching
 * whole path segments (`/data/logs` does not hold `/data/logs2`). Windows paths compare case-insensitively.
 */
export function mapLocalPath(
  localPath: string,
  mappings: readonly PathMapping[],
  context: MappingContext,
): MappedPath | undefined {
  return mapResolved(localPath, resolveMappings(mappings, context).mappings);
}

/** `mapLocalPath` over mappings already resolved, for callers that validate the setting once. */
export function mapResolved(localPath: string, resolved: readonly ResolvedMapping[]): MappedPath | undefined {
  const path = normaliseLocal(localPath);
  if (!path) return undefined;
  let best: ResolvedMapping | undefined;
  for (const candidate of resolved) {
    if (contains(candidate.local, path) && (!best || candidate.local.length > best.local.length)) best = candidate;
  }
  if (!best) return undefined;
  const rest = best.local.endsWith('/') ? path.slice(best.local.length) : path.slice(best.local.length + 1);
  const location = parseDataUri(`${best.remote.uri}${rest}`);
  return location.ok ? { uri: location.uri, type: location.type, mapping: best.mapping } : undefined;
}

const variable = /\$\{([^}]*)\}/g;

/** Every expansion of `local`, or why it cannot be expanded. */
function expand(local: string, context: MappingContext): string[] | string {
  const home = context.home?.replace(/[\\/]+$/, '');
  let text = local;
  if (text === '~' || /^~[\\/]/.test(text)) {
    if (!home) return '"~" needs a home folder, and none is known.';
    text = home + text.slice(1);
  }
  for (const [, name] of text.matchAll(variable)) {
    if (name === 'workspaceFolder' || name === 'userHome' || name!.startsWith('workspaceFolder:')) continue;
    return `"\${${name}}" is not supported here; use \${workspaceFolder}, \${workspaceFolder:name}, \${userHome} or ~.`;
  }
  if (text.includes('${userHome}')) {
    if (!home) return '"${userHome}" needs a home folder, and none is known.';
    text = text.split('${userHome}').join(home);
  }
  const folders = context.workspaceFolders.map((folder) =>
    typeof folder === 'string' ? { name: basename(folder), path: folder } : folder,
  );
  const named = /\$\{workspaceFolder:([^}]*)\}/.exec(text);
  if (named) {
    const folder = folders.find((candidate) => candidate.name === named[1]);
    // A folder that is not open now may be open another time; the mapping simply does not apply.
    if (!folder) return [];
    text = text.split(named[0]).join(folder.path);
  }
  if (!text.includes('${workspaceFolder}')) return [text];
  return folders.map((folder) => text.split('${workspaceFolder}').join(folder.path));
}

/**
 * `/`-separated, no `.`, `..` resolved, no trailing `/` (except a root: `/`, `c:/`), drive letter lowercased;
 * undefined when not absolute. UNC paths keep their leading `//`.
 */
function normaliseLocal(path: string): string | undefined {
  const slashed = path.trim().replace(/\\/g, '/');
  const drive = /^([A-Za-z]):(\/|$)/.exec(slashed);
  const unc = !drive && slashed.startsWith('//');
  const root = drive ? `${drive[1]!.toLowerCase()}:/` : unc ? '//' : slashed.startsWith('/') ? '/' : undefined;
  if (root === undefined) return undefined;
  const body = slashed.slice(drive ? 2 : unc ? 2 : 1);
  const segments: string[] = [];
  for (const segment of body.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return root + segments.join('/');
}

function isWindows(path: string): boolean {
  return /^[a-z]:\//.test(path) || path.startsWith('//');
}

function contains(folder: string, path: string): boolean {
  const [a, b] = isWindows(folder) ? [folder.toLowerCase(), path.toLowerCase()] : [folder, path];
  if (a.endsWith('/')) return b.startsWith(a);
  return b === a || b.startsWith(`${a}/`);
}

function basename(path: string): string {
  return (
    path
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .at(-1) ?? ''
  );
}
