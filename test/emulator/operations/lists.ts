import { boolParam, enumParam, intParam, timeParam, type Query } from './params';

/** Paging, time window, ownership and ordering shared by ListTensorboards and ListJobs. */

const sevenDaysMs = 7 * 24 * 60 * 60_000;

export interface ListParams {
  pageNumber: number;
  pageSize: number;
  /** Creation-time window, inclusive. */
  from: number;
  to: number;
  showOwn: boolean;
  order: 'asc' | 'desc';
}

export function listParams(query: Query, now: number): ListParams {
  return {
    pageNumber: intParam(query, 'PageNumber', { min: 1, max: 1000, fallback: 1 }),
    pageSize: intParam(query, 'PageSize', { min: 1, max: 100, fallback: 10 }),
    // Each end defaults on its own: without StartTime only the last 7 days are listed.
    from: timeParam(query, 'StartTime', now - sevenDaysMs),
    to: timeParam(query, 'EndTime', now),
    showOwn: boolParam(query, 'ShowOwn', true),
    order: enumParam(query, 'Order', ['asc', 'desc'] as const) ?? 'desc',
  };
}

export type SortKey = string | number;

/** Sorts, then cuts out the requested page. */
export function page<T>(
  items: T[],
  params: ListParams,
  sortKey: (item: T) => SortKey,
  tieBreak: (item: T) => string,
): { items: T[]; totalCount: number } {
  const direction = params.order === 'asc' ? 1 : -1;
  const sorted = [...items].sort((a, b) => {
    const ka = sortKey(a);
    const kb = sortKey(b);
    if (ka !== kb) return (ka < kb ? -1 : 1) * direction;
    const ta = tieBreak(a);
    const tb = tieBreak(b);
    return ta === tb ? 0 : (ta < tb ? -1 : 1) * direction;
  });
  const start = (params.pageNumber - 1) * params.pageSize;
  return { items: sorted.slice(start, start + params.pageSize), totalCount: sorted.length };
}

export function containsIgnoringCase(value: string | undefined, needle: string | undefined): boolean {
  if (needle === undefined) return true;
  return (value ?? '').toLowerCase().includes(needle.toLowerCase());
}

export function equalsIgnoringCase(value: string | undefined, wanted: string | undefined): boolean {
  if (wanted === undefined) return true;
  return (value ?? '').toLowerCase() === wanted.toLowerCase();
}
