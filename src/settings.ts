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
  readonly regionId: string;
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

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    regionId: optionalText(c.get<string>('regionId')) ?? 'cn-hangzhou',
    workspaceId: optionalText(c.get<string>('workspaceId')),
    endpoint: optionalText(c.get<string>('endpoint')),
    boardWindowDays: c.get<number>('boardWindowDays') ?? 90,
    newBoard: {
      maxRunningTimeMinutes: c.get<number>('newBoard.maxRunningTimeMinutes') ?? 240,
      cpu: optionalNumber(c.get<number | null>('newBoard.cpu')),
      memory: optionalNumber(c.get<number | null>('newBoard.memory')),
      accessibility: c.get<string>('newBoard.accessibility') === 'PUBLIC' ? 'PUBLIC' : 'PRIVATE',
      priority: c.get<string>('newBoard.priority') ?? '1',
      quotaId: optionalText(c.get<string>('newBoard.quotaId')),
    },
    sharedLinkLifetimeHours: c.get<number>('sharedLinkLifetimeHours') ?? 24,
    advanced: {
      tensorboardSpec: nonEmptyObject(c.get<Record<string, string>>('newBoard.tensorboardSpec')),
      dataSources: c.get<AdvancedBoardOptions['dataSources']>('newBoard.dataSources') ?? [],
      mountPath: optionalText(c.get<string>('newBoard.mountPath')),
    },
    pathMappings: c.get<PathMapping[]>('pathMappings') ?? [],
  };
}

export async function updateSetting(key: 'regionId' | 'workspaceId' | 'endpoint', value: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}

/** Fires when any setting that changes where requests go, or what the sidebar shows, changes. */
export function onDidChangeConnectionSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (['regionId', 'workspaceId', 'endpoint', 'boardWindowDays'].some((key) => event.affectsConfiguration(`${SECTION}.${key}`))) {
      listener();
    }
  });
}
