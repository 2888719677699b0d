import * as vscode from 'vscode';
import { optionalNumber, optionalText, SECTION, settingOrigin, type SettingOrigin } from '../base/settings';
import { newBoardSettingFields, type NewBoardSetting, type RawAdvancedSettings } from './newBoardSettings';

export interface NewBoardDefaults {
  readonly maxRunningTimeMinutes: number;
  readonly cpu?: number;
  readonly memory?: number;
  readonly accessibility: 'PRIVATE' | 'PUBLIC';
  readonly priority: string;
  readonly quotaId?: string;
}

/** What a new board gets from the settings, and where each value came from. */
export interface NewBoardSettings {
  readonly defaults: NewBoardDefaults;
  /** Unchecked: ./newBoardSettings validates them against the API's shapes. */
  readonly advanced: RawAdvancedSettings;
  readonly origins: Readonly<Record<NewBoardSetting, SettingOrigin>>;
}

export function readNewBoardSettings(): NewBoardSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const read = <T>(name: NewBoardSetting): T => c.get<T>(`newBoard.${name}`) as T;
  const names = Object.keys(newBoardSettingFields) as NewBoardSetting[];
  const origins = Object.fromEntries(names.map((name) => [name, settingOrigin(`newBoard.${name}`)])) as Record<
    NewBoardSetting,
    SettingOrigin
  >;
  return {
    defaults: {
      maxRunningTimeMinutes: read<number>('maxRunningTimeMinutes'),
      cpu: optionalNumber(read<number | null>('cpu')),
      memory: optionalNumber(read<number | null>('memory')),
      accessibility: read<string>('accessibility') === 'PUBLIC' ? 'PUBLIC' : 'PRIVATE',
      priority: read<string>('priority'),
      quotaId: optionalText(read<string>('quotaId')),
    },
    advanced: {
      tensorboardSpec: read<unknown>('tensorboardSpec'),
      dataSources: read<unknown>('dataSources'),
      mountPath: optionalText(read<string>('mountPath')),
    },
    origins,
  };
}
