import type { Timings } from './types';

/**
 * A board's lifecycle, evaluated lazily: nothing runs on a timer. Each read first "settles" the
 * board against the clock, replaying every transition whose moment has passed, so advancing a
 * ManualClock shows the next state at once and an idle emulator holds no timers.
 */

export type BoardStatus = 'Creating' | 'Running' | 'Stopping' | 'Stopped' | 'Failed';

export const defaultTimings: Timings = { createMs: 3000, startMs: 3000, stopMs: 1000 };

/** What CreateTensorboard accepted, kept as given (camelCase) for the wire view. */
export interface BoardSpec {
  jobId?: string;
  dataSourceId?: string;
  dataSourceType?: string;
  uri?: string;
  options?: string;
  summaryPath?: string;
  summaryRelativePath?: string;
  sourceType?: string;
  sourceId?: string;
  maxRunningTimeMinutes?: number;
  cpu?: number;
  memory?: number;
  priority: string;
  accessibility: string;
  quotaId?: string;
  dataSources?: unknown[];
  tensorboardDataSources?: unknown[];
  tensorboardSpec?: unknown;
}

export interface Reason {
  code: string;
  message: string;
}

export interface BoardRecord {
  tensorboardId: string;
  displayName: string;
  userId: string;
  username: string;
  accountId: string;
  workspaceId: string;
  spec: BoardSpec;
  createdAt: number;
  modifiedAt: number;
  finishedAt?: number;
  status: BoardStatus;
  statusSince: number;
  /** Which timing ends the current Creating phase. */
  creatingTiming: 'createMs' | 'startMs';
  /** Set when the board's source does not exist: every Creating phase then ends in Failed. */
  sourceProblem?: Reason;
  reason?: Reason;
  runningSince?: number;
  /** Running time accumulated before the current run, for Duration. */
  runMsBefore: number;
  autoStopAt?: number;
}

function enter(board: BoardRecord, status: BoardStatus, at: number, reason?: Reason): void {
  board.status = status;
  board.statusSince = at;
  board.modifiedAt = at;
  board.reason = reason;
}

function leaveRunning(board: BoardRecord, at: number): void {
  if (board.runningSince !== undefined) board.runMsBefore += at - board.runningSince;
  board.runningSince = undefined;
  board.autoStopAt = undefined;
}

function enterRunning(board: BoardRecord, at: number): void {
  enter(board, 'Running', at);
  board.runningSince = at;
  board.finishedAt = undefined;
  const limit = board.spec.maxRunningTimeMinutes;
  board.autoStopAt = limit === undefined ? undefined : at + limit * 60_000;
}

function enterStopped(board: BoardRecord, at: number, reason?: Reason): void {
  enter(board, 'Stopped', at, reason);
  board.finishedAt = at;
}

/** Applies every transition due by `now`. */
export function settle(board: BoardRecord, now: number, timings: Timings): void {
  for (;;) {
    if (board.status === 'Creating') {
      const end = board.statusSince + timings[board.creatingTiming];
      if (now < end) return;
      if (board.sourceProblem) {
        enter(board, 'Failed', end, board.sourceProblem);
        board.finishedAt = end;
      } else {
        enterRunning(board, end);
      }
    } else if (board.status === 'Running') {
      const stopAt = board.autoStopAt;
      if (stopAt === undefined || now < stopAt) return;
      leaveRunning(board, stopAt);
      enter(board, 'Stopping', stopAt, {
        code: 'MaxRunningTimeExceeded',
        message: `Tensorboard is stopped because it reached MaxRunningTimeMinutes (${board.spec.maxRunningTimeMinutes}).`,
      });
    } else if (board.status === 'Stopping') {
      const end = board.statusSince + timings.stopMs;
      if (now < end) return;
      // The reason of the stop (user or time limit) stays on the stopped board.
      enterStopped(board, end, board.reason);
    } else {
      return;
    }
  }
}

export const stoppedByUser: Reason = { code: 'Stop by user', message: 'Tensorboard is stopped' };

/** Running or Creating -> Stopping. The caller settles first and decides what the other states mean. */
export function beginStop(board: BoardRecord, now: number): void {
  leaveRunning(board, now);
  enter(board, 'Stopping', now, stoppedByUser);
}

/** Stopped or Failed -> Creating, ending after `startMs`. */
export function beginStart(board: BoardRecord, now: number): void {
  enter(board, 'Creating', now);
  board.creatingTiming = 'startMs';
  board.finishedAt = undefined;
}

/** A new MaxRunningTimeMinutes takes effect on the current run, but never stops a board in the past. */
export function changeMaxRunningTime(board: BoardRecord, minutes: number, now: number): void {
  board.spec.maxRunningTimeMinutes = minutes;
  if (board.status === 'Running' && board.runningSince !== undefined) {
    board.autoStopAt = Math.max(now, board.runningSince + minutes * 60_000);
  }
}

/** Test helper: puts a board straight into a state, as if it had just got there. */
export function forceStatus(board: BoardRecord, status: BoardStatus, now: number, reason?: Reason): void {
  if (board.status === 'Running') leaveRunning(board, now);
  if (status === 'Running') {
    enterRunning(board, now);
  } else if (status === 'Stopped' || status === 'Failed') {
    enter(board, status, now, reason);
    board.finishedAt = now;
  } else {
    enter(board, status, now, reason);
    if (status === 'Creating') board.creatingTiming = 'startMs';
  }
  if (reason) board.reason = reason;
}

export function runningMs(board: BoardRecord, now: number): number {
  return board.runMsBefore + (board.runningSince === undefined ? 0 : now - board.runningSince);
}
