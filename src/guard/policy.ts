import { timeLeftMs } from '../boards/time';
import type { SeenTimes } from './seen';

/** Why the extension stops a board by itself. */
export type StopReason = 'idle' | 'jobEnded';

export interface GuardSettings {
  /** 0: never stopped for idleness. */
  readonly idleStopMinutes: number;
  /** 0: never stopped because its jobs ended. */
  readonly stopAfterJobEndsMinutes: number;
}

/** A board as the policy needs it. */
export interface GuardedBoard {
  readonly tensorboardId: string;
  readonly running: boolean;
  /**
   * When the last of its DLC jobs ended; undefined while one still runs, when it watches no job, or while that is not
   * known yet.
   */
  readonly jobsEndedAt?: number;
}

/** A notice shown: the board stops at `stopAt` unless it is seen, kept or no longer due meanwhile. */
export interface PendingStop {
  readonly reason: StopReason;
  readonly stopAt: number;
}

export interface GuardState {
  readonly now: number;
  readonly settings: GuardSettings;
  readonly boards: readonly GuardedBoard[];
  readonly seen: SeenTimes;
  /** Boards in a visible panel of this window. */
  readonly shown: ReadonlySet<string>;
  readonly pending: ReadonlyMap<string, PendingStop>;
}

export type GuardAction =
  | { readonly type: 'notice'; readonly tensorboardId: string; readonly reason: StopReason; readonly stopAt: number }
  | { readonly type: 'stop'; readonly tensorboardId: string; readonly reason: StopReason }
  | { readonly type: 'withdraw'; readonly tensorboardId: string };

/** How long a notice gives the user before the board stops. */
export const NOTICE_MS = 60_000;

/** How often the guard takes its turn; a visible panel's board is marked seen at each. */
export const TURN_MS = 60_000;

/**
 * Another window marks the boards of its visible panels seen at each of its turns: a board seen within two turns
 * is still shown somewhere.
 */
const SHOWN_ELSEWHERE_MS = 2 * TURN_MS;

/** Why the board should stop now, if it should: never one shown, not owned, kept for good, or postponed. */
export function dueReason(board: GuardedBoard, state: GuardState): StopReason | undefined {
  const record = state.seen[board.tensorboardId];
  if (!board.running || !record?.owned || record.keep) return undefined;
  const { now, settings } = state;
  if (state.shown.has(board.tensorboardId) || record.seenAt > now - SHOWN_ELSEWHERE_MS) return undefined;
  if ((record.postponedUntil ?? 0) > now) return undefined;
  const idle = settings.idleStopMinutes;
  if (idle > 0 && now - record.seenAt >= idle * 60_000) return 'idle';
  const afterJob = settings.stopAfterJobEndsMinutes;
  if (afterJob > 0 && board.jobsEndedAt !== undefined && now - board.jobsEndedAt >= afterJob * 60_000) {
    return 'jobEnded';
  }
  return undefined;
}

/**
 * One turn of the guard: a notice for each board newly due, the stop of each whose notice has run out, and the
 * withdrawal of each notice no longer due (seen again, kept, stopped, a setting turned off). A stop that failed stays
 * pending, so it is tried again at the next turn and not before.
 */
export function guardTurn(state: GuardState): GuardAction[] {
  const actions: GuardAction[] = [];
  const due = new Map<string, StopReason>();
  for (const board of state.boards) {
    const reason = dueReason(board, state);
    if (reason) due.set(board.tensorboardId, reason);
  }
  for (const [tensorboardId, pending] of state.pending) {
    if (!due.has(tensorboardId)) actions.push({ type: 'withdraw', tensorboardId });
    else if (state.now >= pending.stopAt) actions.push({ type: 'stop', tensorboardId, reason: pending.reason });
  }
  for (const [tensorboardId, reason] of due) {
    if (!state.pending.has(tensorboardId)) {
      actions.push({ type: 'notice', tensorboardId, reason, stopAt: state.now + NOTICE_MS });
    }
  }
  return actions;
}

/** When the board stops by itself at the earliest, if nobody looks at it, for the sidebar's "stops in …". */
export function stopsAt(
  board: GuardedBoard,
  state: Omit<GuardState, 'pending' | 'boards'> & { pending?: PendingStop },
): { readonly reason: StopReason; readonly at: number } | undefined {
  if (state.pending) return { reason: state.pending.reason, at: state.pending.stopAt };
  const record = state.seen[board.tensorboardId];
  if (!board.running || !record?.owned || record.keep || state.shown.has(board.tensorboardId)) return undefined;
  const { settings } = state;
  const from = (at: number) => Math.max(at, record.postponedUntil ?? 0) + NOTICE_MS;
  const candidates: { reason: StopReason; at: number }[] = [];
  if (settings.idleStopMinutes > 0) {
    candidates.push({ reason: 'idle', at: from(record.seenAt + settings.idleStopMinutes * 60_000) });
  }
  if (settings.stopAfterJobEndsMinutes > 0 && board.jobsEndedAt !== undefined) {
    candidates.push({ reason: 'jobEnded', at: from(board.jobsEndedAt + settings.stopAfterJobEndsMinutes * 60_000) });
  }
  return candidates.sort((a, b) => a.at - b.at)[0];
}

/** The DLC jobs a board shows: its JobId, and each data source that is a job. */
export function boardJobIds(board: {
  readonly jobId?: string;
  readonly tensorboardDataSources?: readonly { readonly sourceType?: string; readonly id?: string }[];
}): string[] {
  const fromSources = (board.tensorboardDataSources ?? [])
    .filter((source) => source.sourceType?.toLowerCase() === 'dlcjob' && source.id)
    .map((source) => source.id!);
  return [...new Set([board.jobId, ...fromSources].filter((id): id is string => Boolean(id)))];
}

/** Whether a DLC job's Status means it has ended. */
export function jobHasEnded(status: string): boolean {
  return ['succeeded', 'failed', 'stopped'].includes(status.trim().toLowerCase());
}

/** A board in a visible panel this close to its max running time is offered a longer one. */
export const EXTEND_WITHIN_MS = 10 * 60_000;
export const EXTEND_BY_MINUTES = 60;

/**
 * Whether to offer Extend for a running board: the minutes it has left before its max running time stops it, and the
 * cap that would give it another hour.
 */
export function extendOffer(board: {
  readonly maxRunningTimeMinutes?: number;
  readonly durationSeconds: number;
}): { readonly leftMinutes: number; readonly newCap: number } | undefined {
  const leftMs = timeLeftMs(board.maxRunningTimeMinutes, board.durationSeconds);
  if (leftMs === undefined || leftMs <= 0 || leftMs > EXTEND_WITHIN_MS) return undefined;
  return { leftMinutes: Math.ceil(leftMs / 60_000), newCap: board.maxRunningTimeMinutes! + EXTEND_BY_MINUTES };
}
