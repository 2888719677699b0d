import type { Tensorboard } from '../api';
import { realTimer, type Timer } from './pendingPoller';
import { boardPhase } from './status';

/** The shape of an AbortSignal. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The shape of a VS Code CancellationToken. */
export interface CancellationLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export interface WaitOptions {
  /** GetTensorboard for the board being waited on. */
  readonly poll: () => Promise<Tensorboard>;
  readonly timer?: Timer;
  readonly signal?: AbortSignalLike | CancellationLike;
  /** The first poll comes after this, not at once: a board just created or started is never ready yet. */
  readonly firstDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly factor?: number;
  /** From the start of the wait; a poll in flight at the deadline is not waited for. */
  readonly timeoutMs?: number;
  /**
   * A board that still reads Stopped this long after the wait began, without having been seen in any other state, is
   * taken as stopped; before that it is assumed that a StartTensorboard has not shown in its status yet.
   */
  readonly stoppedGraceMs?: number;
  readonly now?: () => number;
  /** Each successful poll's board, for a progress message. */
  readonly onProgress?: (board: Tensorboard) => void;
  /** Whether a failed poll may succeed later; by default an error's own `retryable` flag (DlcError has one). */
  readonly isRetryable?: (error: unknown) => boolean;
}

export type WaitResult =
  | { readonly outcome: 'running'; readonly board: Tensorboard }
  | { readonly outcome: 'failed'; readonly board: Tensorboard; readonly reasonCode: string; readonly reasonMessage: string }
  | { readonly outcome: 'stopped'; readonly board: Tensorboard }
  | { readonly outcome: 'cancelled'; readonly board?: Tensorboard }
  | { readonly outcome: 'timeout'; readonly board?: Tensorboard };

/** The longest a service-given retry-after is waited for before polling again; the deadline still applies. */
const MAX_RETRY_AFTER_MS = 60_000;

const defaultRetryable = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true;

/**
 * Polls until the board runs, fails, stops, the wait is cancelled or it times out, backing off from `firstDelayMs`
 * to `maxDelayMs`. Transient poll errors keep the wait going (honouring a retry-after); any other rejects it.
 * Cancellation settles at once, without waiting for a poll in flight.
 */
export function waitUntilRunning(options: WaitOptions): Promise<WaitResult> {
  const timer = options.timer ?? realTimer;
  const now = options.now ?? Date.now;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const factor = options.factor ?? 1.5;
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  const stoppedGraceMs = options.stoppedGraceMs ?? 10_000;
  const isRetryable = options.isRetryable ?? defaultRetryable;
  const started = now();

  return new Promise<WaitResult>((resolve, reject) => {
    let delayMs = options.firstDelayMs ?? 1_000;
    let handle: unknown;
    let deadlineHandle: unknown;
    let stopListening: () => void = () => undefined;
    let last: Tensorboard | undefined;
    let seenOtherThanStopped = false;
    let settled = false;

    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      if (handle !== undefined) timer.clearTimeout(handle);
      if (deadlineHandle !== undefined) timer.clearTimeout(deadlineHandle);
      stopListening();
      finish();
    };
    const done = (result: WaitResult) => settle(() => resolve(result));
    const fail = (error: unknown) => settle(() => reject(error));
    const withLast = <T extends 'cancelled' | 'timeout'>(outcome: T) => (last ? { outcome, board: last } : { outcome });

    if (isCancelled(options.signal)) return done(withLast('cancelled'));
    stopListening = listen(options.signal, () => done(withLast('cancelled')));
    // A timer of its own, so that a poll that never answers cannot hold the wait past its deadline.
    deadlineHandle = timer.setTimeout(() => done(withLast('timeout')), timeoutMs);

    const schedule = (atLeastMs = 0) => {
      const wait = Math.max(delayMs, atLeastMs);
      delayMs = Math.min(Math.round(delayMs * factor), maxDelayMs);
      handle = timer.setTimeout(() => {
        handle = undefined;
        void tick();
      }, wait);
    };

    const tick = async () => {
      let board: Tensorboard;
      try {
        board = await options.poll();
      } catch (error) {
        if (settled) return;
        if (!isRetryable(error)) return fail(error);
        const retryAfter = typeof error === 'object' && error !== null ? (error as { retryAfterMs?: unknown }).retryAfterMs : undefined;
        return schedule(typeof retryAfter === 'number' && retryAfter > 0 ? Math.min(retryAfter, MAX_RETRY_AFTER_MS) : 0);
      }
      if (settled) return;
      last = board;
      try {
        options.onProgress?.(board);
      } catch (error) {
        return fail(error);
      }
      switch (boardPhase(board.status)) {
        case 'running':
          return done({ outcome: 'running', board });
        case 'failed':
        case 'deleted':
          return done({ outcome: 'failed', board, reasonCode: board.reasonCode, reasonMessage: board.reasonMessage });
        case 'stopped':
          if (seenOtherThanStopped || now() - started >= stoppedGraceMs) return done({ outcome: 'stopped', board });
          break;
        default:
          // Pending, or a status nobody has documented: keep waiting either way.
          seenOtherThanStopped = true;
      }
      return schedule();
    };

    schedule();
  });
}

function isCancelled(signal: AbortSignalLike | CancellationLike | undefined): boolean {
  if (!signal) return false;
  return 'aborted' in signal ? signal.aborted : signal.isCancellationRequested;
}

/** Subscribes to cancellation; returns the unsubscribe. */
function listen(signal: AbortSignalLike | CancellationLike | undefined, onCancel: () => void): () => void {
  if (!signal) return () => undefined;
  if ('aborted' in signal) {
    signal.addEventListener('abort', onCancel);
    return () => signal.removeEventListener('abort', onCancel);
  }
  const subscription = signal.onCancellationRequested(onCancel);
  return () => subscription.dispose();
}
