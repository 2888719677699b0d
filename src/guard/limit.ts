import type { SeenTimes } from './seen';

/** A board the limit offer may suggest, with what the user is shown of when it was last seen. */
export interface RoomCandidate<B> {
  readonly board: B;
  /** When a panel or browser of this extension last showed it; undefined if never. */
  readonly seenAt?: number;
  /** Seen, but not for the idle time (or an hour when the idle stop is off). */
  readonly idle: boolean;
}

/**
 * The boards to suggest at the account's limit, by idleness: those seen long ago first (least recently seen first),
 * then those never seen from this editor (oldest first), then those seen lately; never the board in the active panel.
 */
export function roomCandidates<B extends { readonly tensorboardId: string; readonly gmtCreateTime: string }>(
  boards: readonly B[],
  seen: SeenTimes,
  options: { now: number; idleMinutes: number; activeId?: string },
): RoomCandidate<B>[] {
  const idleMs = (options.idleMinutes > 0 ? options.idleMinutes : 60) * 60_000;
  const rank = (c: RoomCandidate<B>) => (c.seenAt === undefined ? 1 : c.idle ? 0 : 2);
  return boards
    .filter((board) => board.tensorboardId !== options.activeId)
    .map((board): RoomCandidate<B> => {
      const seenAt = seen[board.tensorboardId]?.seenAt;
      return { board, seenAt, idle: seenAt !== undefined && options.now - seenAt >= idleMs };
    })
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (a.seenAt ?? 0) - (b.seenAt ?? 0) ||
        a.board.gmtCreateTime.localeCompare(b.board.gmtCreateTime),
    );
}
