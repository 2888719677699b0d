/**
 * When each board was last looked at, kept for every window of the user (the extension's global state). Each field
 * only grows (a later time, a flag set), so two windows that write at once merge to the same answer whichever writes
 * last: merging is the union of what both knew.
 */
export interface SeenRecord {
  /** When a visible panel showed the board, or the extension opened it in a browser (ms since the epoch). */
  readonly seenAt: number;
  /** The extension created or opened the board: only such boards are ever stopped by it. */
  readonly owned?: boolean;
  /** The user chose Keep Running for good: never stopped by the extension. */
  readonly keep?: boolean;
  /** Keep Running: no automatic stop before this time. */
  readonly postponedUntil?: number;
}

export type SeenTimes = Readonly<Record<string, SeenRecord>>;

/** How long a record is kept after the board was last seen: a board's list window is at most this old. */
const FORGET_AFTER_MS = 30 * 86_400_000;

function mergeRecord(a: SeenRecord | undefined, b: SeenRecord | undefined): SeenRecord {
  if (!a || !b) return (a ?? b)!;
  const record: { -readonly [K in keyof SeenRecord]: SeenRecord[K] } = { seenAt: Math.max(a.seenAt, b.seenAt) };
  if (a.owned || b.owned) record.owned = true;
  if (a.keep || b.keep) record.keep = true;
  const postponedUntil = Math.max(a.postponedUntil ?? 0, b.postponedUntil ?? 0);
  if (postponedUntil) record.postponedUntil = postponedUntil;
  return record;
}

/** Both windows' knowledge; records not seen for 30 days are dropped. */
export function mergeSeen(a: SeenTimes, b: SeenTimes, now: number): SeenTimes {
  const merged: Record<string, SeenRecord> = {};
  for (const id of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const record = mergeRecord(a[id], b[id]);
    if (record.seenAt >= now - FORGET_AFTER_MS) merged[id] = record;
  }
  return merged;
}

/** Reads what global state holds, dropping anything that is not a record (an older or foreign shape). */
export function parseSeen(value: unknown): SeenTimes {
  if (typeof value !== 'object' || value === null) return {};
  const parsed: Record<string, SeenRecord> = {};
  for (const [id, raw] of Object.entries(value as Record<string, unknown>)) {
    const record = raw as Partial<SeenRecord> | null;
    if (typeof record?.seenAt !== 'number' || !Number.isFinite(record.seenAt)) continue;
    parsed[id] = {
      seenAt: record.seenAt,
      ...(record.owned === true ? { owned: true } : {}),
      ...(record.keep === true ? { keep: true } : {}),
      ...(typeof record.postponedUntil === 'number' ? { postponedUntil: record.postponedUntil } : {}),
    };
  }
  return parsed;
}
