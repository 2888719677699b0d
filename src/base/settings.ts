import * as vscode from 'vscode';

/** Every setting the extension reads, typed, in one place. Keys match package.json's `contributes.configuration`. */
export interface Settings {
  /** The region chosen in the settings, else the setting's default (see `chosenRegionId`). */
  readonly regionId: string;
  /** Set only when the user chose a region; otherwise the connection takes the profile's or the environment's. */
  readonly chosenRegionId?: string;
  readonly workspaceId?: string;
  readonly endpoint?: string;
  readonly boardWindowDays: number;
  readonly sharedLinkLifetimeHours: number;
  /** Raw; validated by create/pathMappings when used. */
  readonly pathMappings: readonly { readonly local: string; readonly remote: string }[];
  /** How a board panel reaches the board: as the board's answer calls for, straight, or through the loopback proxy. */
  readonly boardFraming: 'auto' | 'direct' | 'proxy';
  /** A board nobody looked at for this long is stopped (0: never). */
  readonly idleStopMinutes: number;
  /** A board whose jobs all ended this long ago is stopped (0: never). */
  readonly stopAfterJobEndsMinutes: number;
  /** The longest max running time Change Max Running Time accepts (the service documents no bound). */
  readonly maxRunningTimeLimitMinutes: number;
}

export const SECTION = 'paiTensorboard';

export function optionalText(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function optionalNumber(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Reads every setting. Defaults come from package.json's contributions, which VS Code always applies, so they are
 * not restated here; values are only normalised (trimmed, empty as absent).
 */
export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const read = <T>(key: string): T => c.get<T>(key) as T;
  const region = c.inspect<string>('regionId');
  return {
    regionId: optionalText(read<string>('regionId')) ?? (region?.defaultValue as string),
    chosenRegionId: optionalText(region?.workspaceFolderValue ?? region?.workspaceValue ?? region?.globalValue),
    workspaceId: optionalText(read<string>('workspaceId')),
    endpoint: optionalText(read<string>('endpoint')),
    boardWindowDays: read<number>('boardWindowDays'),
    sharedLinkLifetimeHours: read<number>('sharedLinkLifetimeHours'),
    pathMappings: read<{ local: string; remote: string }[] | undefined>('pathMappings') ?? [],
    boardFraming: ((value) => (value === 'direct' || value === 'proxy' ? value : 'auto'))(read<string>('boardFraming')),
    idleStopMinutes: Math.max(0, optionalNumber(read<number>('idleStopMinutes')) ?? 0),
    stopAfterJobEndsMinutes: Math.max(0, optionalNumber(read<number>('stopAfterJobEndsMinutes')) ?? 0),
    maxRunningTimeLimitMinutes: Math.max(1, optionalNumber(read<number>('maxRunningTimeLimitMinutes')) ?? 10_080),
  };
}

/**
 * Where a setting's value comes from: the highest scope that sets it, as VS Code applies them. A workspace's (or
 * folder's) settings file may come with a cloned repository, so the create flow names such values before using them.
 */
export type SettingOrigin = 'default' | 'user' | 'workspace' | 'workspaceFolder';

export function settingOrigin(key: string, scope?: vscode.ConfigurationScope): SettingOrigin {
  const found = vscode.workspace.getConfiguration(SECTION, scope).inspect(key);
  if (found?.workspaceFolderValue !== undefined) return 'workspaceFolder';
  if (found?.workspaceValue !== undefined) return 'workspace';
  if (found?.globalValue !== undefined) return 'user';
  return 'default';
}

export async function updateSetting(
  key: 'regionId' | 'workspaceId' | 'endpoint',
  value: string | undefined,
): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}

type SettingKey =
  'regionId' | 'workspaceId' | 'endpoint' | 'boardWindowDays' | 'idleStopMinutes' | 'stopAfterJobEndsMinutes';

function onDidChange(keys: readonly SettingKey[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (keys.some((key) => event.affectsConfiguration(`${SECTION}.${key}`))) listener();
  });
}

/** Fires when a setting that changes where requests go changes: the client is built again. */
export function onDidChangeConnectionSettings(listener: () => void): vscode.Disposable {
  return onDidChange(['regionId', 'workspaceId', 'endpoint'], listener);
}

/** Fires when the sidebar's look-back window changes: the list is loaded again, with the same client. */
export function onDidChangeListSettings(listener: () => void): vscode.Disposable {
  return onDidChange(['boardWindowDays'], listener);
}

/** What a log folder sync reads; the endpoint raw, checked by the sync (https, or http on loopback). */
export interface SyncSettings {
  readonly ossEndpoint?: string;
  /** `oss-<region>-internal.aliyuncs.com`: `auto` where this machine runs in the bucket's region (internalEndpoint.ts). */
  readonly internalEndpoint: 'auto' | 'always' | 'never';
  readonly intervalMs: number;
  readonly include: readonly string[];
}

export function readSyncSettings(): SyncSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const seconds = optionalNumber(c.get<number>('sync.intervalSeconds')) ?? 5;
  const include = c.get<unknown>('sync.include');
  return {
    ossEndpoint: optionalText(c.get<string>('ossEndpoint')),
    internalEndpoint:
      (['always', 'never'] as const).find((value) => value === c.get('sync.internalEndpoint')) ?? 'auto',
    intervalMs: Math.min(300, Math.max(1, seconds)) * 1000,
    include: Array.isArray(include) ? include.filter((glob): glob is string => typeof glob === 'string') : [],
  };
}

/** Adds a path mapping where the folder's workspace keeps its settings (the user's settings without a workspace). */
export async function addPathMapping(mapping: { local: string; remote: string }): Promise<void> {
  const c = vscode.workspace.getConfiguration(SECTION);
  const target = vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  const found = c.inspect<unknown[]>('pathMappings');
  const current = (target === vscode.ConfigurationTarget.Workspace ? found?.workspaceValue : found?.globalValue) ?? [];
  await c.update('pathMappings', [...(Array.isArray(current) ? current : []), mapping], target);
}

/** Fires when the settings of when boards stop by themselves change: the guard takes its turn at once. */
export function onDidChangeGuardSettings(listener: () => void): vscode.Disposable {
  return onDidChange(['idleStopMinutes', 'stopAfterJobEndsMinutes'], listener);
}
