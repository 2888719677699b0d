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
  /**
   * A sign, free of API calls, that the board may be up: for example its page starting to answer. Called with each
   * pending board a poll returns until it gives a watch (the board may have no URL yet); it calls `wake` when the
   * sign shows, and the waiter polls at once instead of at its next turn, the turn after being a full interval later
   * (so no more calls are made than without it). A sign that shows while the poll still says pending is no sign: the
   * watch is disposed and not started again.
   */
  readonly watch?: (board: Tensorboard, wake: () => void) => { dispose(): void } | undefined;
  /** The interval between polls while a watch is on; by default the usual back-off. */
  readonly watchedDelayMs?: number;
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
    let watching: { dispose(): void } | undefined;
    /** The watch's sign showed while the board was pending. */
    let distrusted = false;
    let polling = false;
    /** The poll in flight was asked for by the watch's sign. */
    let woken = false;
    let wakeQueued = false;

    const unwatch = () => {
      watching?.dispose();
      watching = undefined;
    };
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      unwatch();
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
      // While the watch looks out for the board's page, polls only need to catch what the page cannot show (a
      // failure, a stop), so they may be further apart.
      const wait = Math.max(watching && options.watchedDelayMs !== undefined ? options.watchedDelayMs : delayMs, atLeastMs);
      delayMs = Math.min(Math.round(delayMs * factor), maxDelayMs);
      handle = timer.setTimeout(() => {
        handle = undefined;
        void tick();
      }, wait);
    };

    // Later than the call, so that a watch may call it while it is being set up (the turn is scheduled by then).
    const wake = () => void Promise.resolve().then(pollNow);
    const pollNow = () => {
      if (settled || !watching) return;
      // The sign came while a poll was out, which may have left before the board ran: poll again after it.
      if (polling) return void (wakeQueued = true);
      if (handle !== undefined) timer.clearTimeout(handle);
      handle = undefined;
      woken = true;
      void tick();
    };

    const tick = async () => {
      let board: Tensorboard;
      polling = true;
      try {
        board = await options.poll();
      } catch (error) {
        polling = false;
        woken = false;
        if (settled) return;
        if (!isRetryable(error)) return fail(error);
        const retryAfter = typeof error === 'object' && error !== null ? (error as { retryAfterMs?: unknown }).retryAfterMs : undefined;
        return schedule(typeof retryAfter === 'number' && retryAfter > 0 ? Math.min(retryAfter, MAX_RETRY_AFTER_MS) : 0);
      }
      polling = false;
      const wasWoken = woken;
      woken = false;
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
          if (wasWoken) {
            distrusted = true;
            unwatch();
          } else if (!watching && !distrusted) watching = options.watch?.(board, wake);
      }
      schedule();
      if (wakeQueued) {
        wakeQueued = false;
        wake();
      }
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
