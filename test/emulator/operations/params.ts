import { invalidParameter } from '../errors';

/** Reading typed query parameters; a bad value names the parameter, as InvalidParameter does. */

export type Query = ReadonlyMap<string, string>;

export function intParam(query: Query, name: string, bounds: { min: number; max: number }): number | undefined;
export function intParam(query: Query, name: string, bounds: { min: number; max: number; fallback: number }): number;
export function intParam(
  query: Query,
  name: string,
  { min, max, fallback }: { min: number; max: number; fallback?: number },
): number | undefined {
  const raw = query.get(name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
    throw invalidParameter(name, `must be an integer from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

export function boolParam(query: Query, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === undefined || raw === '') return fallback;
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw invalidParameter(name, `must be true or false, got "${raw}".`);
}

export function timeParam(query: Query, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === undefined || raw === '') return fallback;
  const value = Date.parse(raw);
  if (Number.isNaN(value))
    throw invalidParameter(name, `must be an ISO-8601 UTC time such as 2021-01-12T14:35:00Z, got "${raw}".`);
  return value;
}

export function enumParam<T extends string>(query: Query, name: string, allowed: readonly T[]): T | undefined {
  const raw = query.get(name);
  if (raw === undefined || raw === '') return undefined;
  const found = allowed.find((value) => value.toLowerCase() === raw.toLowerCase());
  if (!found) throw invalidParameter(name, `must be one of ${allowed.join(', ')}, got "${raw}".`);
  return found;
}

export function textParam(query: Query, name: string): string | undefined {
  const raw = query.get(name);
  return raw === undefined || raw === '' ? undefined : raw;
}
