import type * as z from 'zod/mini';
import type { CreateTensorboardRequest } from '../api/schemas';
import { wireSchemas } from '../api/wireSchemas';
import { BoardRequestError, type AdvancedBoardOptions } from './boardRequest';

/**
 * The settings of a new board, each with the CreateTensorboard field it fills. Every one of them can cost money
 * (running time, resources, quota, priority, a pay-as-you-go spec), widen who sees a board, or mount data, so
 * package.json restricts them all in untrusted workspaces and the create flow names them when a workspace sets them.
 */
export const newBoardSettingFields = {
  maxRunningTimeMinutes: 'MaxRunningTimeMinutes',
  cpu: 'Cpu',
  memory: 'Memory',
  accessibility: 'Accessibility',
  priority: 'Priority',
  quotaId: 'QuotaId',
  mountPath: 'Options',
  tensorboardSpec: 'TensorboardSpec',
  dataSources: 'DataSources',
} as const;

export type NewBoardSetting = keyof typeof newBoardSettingFields;

/** `paiTensorboard.newBoard.<name>`, as the user finds it in Settings. */
export function newBoardSettingId(setting: NewBoardSetting): string {
  return `paiTensorboard.newBoard.${setting}`;
}

/** The advanced settings as VS Code hands them over: JSON of any shape. */
export interface RawAdvancedSettings {
  readonly tensorboardSpec?: unknown;
  readonly dataSources?: unknown;
  readonly mountPath?: string;
}

/**
 * The advanced settings, checked against CreateTensorboard's shapes. Keys are taken as the API documents them
 * (`EcsType`) or in camelCase (`ecsType`); a key the API does not have, a value of the wrong type or the same key
 * twice is a BoardRequestError naming the setting, so nothing is silently dropped. Empty objects and lists are absent.
 */
export function parseAdvancedSettings(raw: RawAdvancedSettings): AdvancedBoardOptions {
  const specSetting = newBoardSettingId('tensorboardSpec');
  const sourcesSetting = newBoardSettingId('dataSources');
  const spec =
    raw.tensorboardSpec === undefined || raw.tensorboardSpec === null
      ? undefined
      : checkedObject(
          raw.tensorboardSpec,
          specSetting,
          wireSchemas().createTensorboardParts.tensorboardSpec,
          'TensorboardSpec',
        );
  let dataSources: AdvancedBoardOptions['dataSources'];
  if (raw.dataSources !== undefined && raw.dataSources !== null) {
    if (!Array.isArray(raw.dataSources))
      throw new BoardRequestError(
        sourcesSetting,
        `The setting ${sourcesSetting} must be a list of data sources, not ${kindOf(raw.dataSources)}.`,
      );
    dataSources = raw.dataSources.map((item, index) =>
      checkedObject(
        item,
        `${sourcesSetting}[${index}]`,
        wireSchemas().createTensorboardParts.dataSourceItem,
        'DataSources item',
        sourcesSetting,
      ),
    );
  }
  return {
    ...(spec && Object.keys(spec).length > 0 ? { tensorboardSpec: spec } : {}),
    ...(dataSources && dataSources.length > 0 ? { dataSources } : {}),
    ...(raw.mountPath?.trim() ? { mountPath: raw.mountPath.trim() } : {}),
  };
}

/** A CreateTensorboard field a setting fills, as it goes on the wire. */
export interface SettingField {
  readonly setting: NewBoardSetting;
  /** The wire name, e.g. `TensorboardSpec`. */
  readonly field: string;
  /** The wire value as text, e.g. `{"EcsType":"ecs.g6.large"}`. */
  readonly value: string;
}

/** Every field of `request` that a new-board setting fills, with the value that will be sent, in the settings' order. */
export function settingFieldsOf(request: CreateTensorboardRequest): SettingField[] {
  const parsed = wireSchemas().requestSchemas.createTensorboard.safeParse(request);
  if (!parsed.success) return [];
  const body = parsed.data as Record<string, unknown>;
  const fields: SettingField[] = [];
  for (const [setting, field] of Object.entries(newBoardSettingFields) as [NewBoardSetting, string][]) {
    const value = body[field];
    if (value !== undefined)
      fields.push({ setting, field, value: typeof value === 'string' ? value : JSON.stringify(value) });
  }
  return fields;
}

type Shape = Record<string, z.ZodMiniType>;

function checkedObject<S extends Shape>(
  raw: unknown,
  where: string,
  schema: z.ZodMiniObject<S>,
  what: string,
  setting = where,
): z.output<z.ZodMiniObject<S>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new BoardRequestError(setting, `The setting ${where} must be an object (${what}), not ${kindOf(raw)}.`);
  }
  const keys = Object.keys(schema.shape);
  const allowed = keys.map(pascal).join(', ');
  const camel: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = key.charAt(0).toLowerCase() + key.slice(1);
    // Own keys only: `constructor` or `__proto__` must not pass as known.
    if (!Object.prototype.hasOwnProperty.call(schema.shape, name)) {
      throw new BoardRequestError(
        setting,
        `The setting ${where} has an unknown key "${key}". ${what} takes ${allowed}.`,
      );
    }
    if (Object.prototype.hasOwnProperty.call(camel, name)) {
      throw new BoardRequestError(
        setting,
        `The setting ${where} gives ${pascal(name)} twice (as ${pascal(name)} and ${name}).`,
      );
    }
    Object.defineProperty(camel, name, { value, enumerable: true, writable: true, configurable: true });
  }
  const result = wireSchemas().strictObject(schema.shape).safeParse(camel, { reportInput: true });
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      ...issue,
      path: issue.path.map((part) => (typeof part === 'string' ? pascal(part) : part)),
    }));
    throw new BoardRequestError(setting, `The setting ${where} is not valid: ${wireSchemas().describeIssues(issues)}.`);
  }
  return result.data as z.output<z.ZodMiniObject<S>>;
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
