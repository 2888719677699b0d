import * as vscode from 'vscode';
import type { AdvancedBoardOptions } from './core/boardRequest';
import type { PathMapping } from './core/pathMappings';

/** Every setting the extension reads, typed, in one place. Keys match package.json's `contributes.configuration`. */
export interface NewBoardDefaults {
  readonly maxRunningTimeMinutes: number;
  readonly cpu?: number;
  readonly memory?: number;
  readonly accessibility: 'PRIVATE' | 'PUBLIC';
  readonly priority: string;
  readonly quotaId?: string;
}

export interface Settings {
  /** The region chosen in the settings, else the setting's default (see `chosenRegionId`). */
  readonly regionId: string;
  /** Set only when the user chose a region; otherwise the connection takes the profile's or the environment's. */
  readonly chosenRegionId?: string;
  readonly workspaceId?: string;
  readonly endpoint?: string;
  readonly boardWindowDays: number;
  readonly newBoard: NewBoardDefaults;
  readonly sharedLinkLifetimeHours: number;
  /** The rare CreateTensorboard fields, for those who need them. */
  readonly advanced: AdvancedBoardOptions;
  /** Raw; validated by core/pathMappings when used. */
  readonly pathMappings: readonly PathMapping[];
}

export const SECTION = 'paiTensorboard';

function optionalText(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function optionalNumber(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function nonEmptyObject<T extends object>(value: T | undefined): T | undefined {
  return value && Object.keys(value).length > 0 ? value : undefined;
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
    newBoard: {
      maxRunningTimeMinutes: read<number>('newBoard.maxRunningTimeMinutes'),
      cpu: optionalNumber(read<number | null>('newBoard.cpu')),
      memory: optionalNumber(read<number | null>('newBoard.memory')),
      accessibility: read<string>('newBoard.accessibility') === 'PUBLIC' ? 'PUBLIC' : 'PRIVATE',
      priority: read<string>('newBoard.priority'),
      quotaId: optionalText(read<string>('newBoard.quotaId')),
    },
    sharedLinkLifetimeHours: read<number>('sharedLinkLifetimeHours'),
    advanced: {
      tensorboardSpec: nonEmptyObject(read<Record<string, string> | undefined>('newBoard.tensorboardSpec')),
      dataSources: read<AdvancedBoardOptions['dataSources'] | undefined>('newBoard.dataSources') ?? [],
      mountPath: optionalText(read<string>('newBoard.mountPath')),
    },
    pathMappings: read<PathMapping[] | undefined>('pathMappings') ?? [],
  };
}

export async function updateSetting(key: 'regionId' | 'workspaceId' | 'endpoint', value: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}

type SettingKey = 'regionId' | 'workspaceId' | 'endpoint' | 'boardWindowDays';

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
