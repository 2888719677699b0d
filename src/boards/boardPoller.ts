import type { Tensorboard } from '../api';
import { DlcError } from '../api/errors';
import { safeHttpUrl } from '../net/safeUrl';
import type { Disposable } from './emitter';
import type { Timeline } from '../base/timeline';
import { boardPhase, isTransient } from './status';
import { realTimer, type Timer } from './timer';

/**
 * Why a board is polled, which sets how often: `listed` in the visible sidebar and `shown` in a panel, while it is on
 * its way (pending); `shown` also in a visible panel once it has settled, rarely, since another client (the console,
 * a script, its own time cap) may stop or start it; `awaited` by a create or a start that waits for it to settle,
 * whatever it reads meanwhile.
 */
export type WatchReason = 'listed' | 'shown' | 'awaited';

/** Listed or shown: from 2 s, backing off by 1.6 to 30 s while its status stays the same; a new status starts again. */
const BACKGROUND_FIRST_MS = 2_000;
const BACKGROUND_FACTOR = 1.6;
const BACKGROUND_MAX_MS = 30_000;
/** Shown in a visible panel and settled: asked again every minute, so the panel follows changes made elsewhere. */
const SHOWN_SETTLED_MS = 60_000;
/**
 * Awaited: a steady poll while the user waits, so a board is seen running at most this late at one GetTensorboard per
 * interval (pai-python-sdk polls every 5 s; 2 s keeps the wait short and the rate at the budget of one call per 2 s).
 */
const AWAITED_MS = 2_000;
/**
 * Awaited while its page is watched: the page shows when the board runs, so the polls are left to see what it
 * cannot (a failure, a stop), at pai-python-sdk's own interval.
 */
const AWAITED_WATCHED_MS = 5_000;
/**
 * How often an awaited board's page is asked whether it answers yet (a GET of its headers, not an API call): every
 * 250 ms for two minutes, which covers most provisioning, then every second, to be gentle with the board's proxy.
 * `n` counts the probes made so far.
 */
const pageWatchDelay = (n: number) => (n < 480 ? 250 : 1_000);
/** A wait gives up after this; the board is still followed for its other reasons. */
const WAIT_TIMEOUT_MS = 15 * 60_000;
/**
 * A board that still reads Stopped this long after the wait began, without having been seen in any other state, is
 * taken as stopped; before that it is assumed that a StartTensorboard has not shown in its status yet.
 */
const STOPPED_GRACE_MS = 10_000;
/** The longest a service-given retry-after is waited for before polling again; a wait's deadline still applies. */
const MAX_RETRY_AFTER_MS = 60_000;

/** The shape of a VS Code CancellationToken. */
/** A panel's hold on its board: polled while it is on its way, and while the panel can be seen, now and then. */
export interface Following extends Disposable {
  setVisible(visible: boolean): void;
}

export interface CancellationLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export type WaitResult =
  | { readonly outcome: 'running'; readonly board: Tensorboard }
  | {
      readonly outcome: 'failed';
      readonly board: Tensorboard;
      readonly reasonCode: string;
      readonly reasonMessage: string;
    }
  | { readonly outcome: 'stopped'; readonly board: Tensorboard }
  | { readonly outcome: 'cancelled'; readonly board?: Tensorboard }
  | { readonly outcome: 'timeout'; readonly board?: Tensorboard };

export interface WaitOptions {
  readonly token?: CancellationLike;
  /** Each poll's board while the wait lasts, for a progress message; a throw ends the wait with that error. */
  readonly onProgress?: (board: Tensorboard) => void;
}

export interface BoardPollerOptions {
  /** GetTensorboard through the model, which applies the answer: the board, or undefined when the service lost it. */
  readonly reload: (tensorboardId: string) => Promise<Tensorboard | undefined>;
  /** What the model knows of the board now. */
  readonly current: (tensorboardId: string) => Tensorboard | undefined;
  /** Every board the model knows. */
  readonly known: () => Iterable<string>;
  readonly isListed: (tensorboardId: string) => boolean;
  /**
   * Whether the board's page answers (not a 5xx, not unreachable). An awaited board's page answering is a sign, free
   * of API calls, that it may run now: it is polled at once instead of at its next turn.
   */
  readonly pageAnswers?: (url: string) => Promise<boolean>;
  /** Where an awaited board's Running and its page's first answer are marked, for the bench's split (#23). */
  readonly timeline?: Timeline;
  readonly timer?: Timer;
  readonly now?: () => number;
}

/** One wait on a board, until it settles, is cancelled or times out. */
interface Wait {
  readonly started: number;
  seenOtherThanStopped: boolean;
  /** The last board a poll brought during this wait. */
  last?: Tensorboard;
  readonly onProgress?: (board: Tensorboard) => void;
  end(result: WaitResult | { readonly error: unknown }): void;
}

/** The waits on one board, and the watch on its page they share. */
interface Awaited {
  readonly waits: Set<Wait>;
  page?: Disposable;
  /** The page answered while the service still said pending: its answers mean nothing for this board. */
  distrusted: boolean;
}

/** One watched board's turns: at most one timer and one poll out at a time. */
interface Turns {
  handle?: unknown;
  dueAt: number;
  polling: boolean;
  /** The poll out was asked for by the page's sign. */
  woken: boolean;
  /** The page's sign came while a poll was out, which may have left before the board ran: poll again after it. */
  again: boolean;
  /** The next back-off delay for the listed and shown reasons. */
  backoffMs: number;
  /** The status the back-off is for. */
  status: string | undefined;
}

/**
 * The one owner of polling: every board someone watches is polled on one timer of its own, at the cadence of the
 * most pressing reason it is watched for, and never by two loops at once. An awaited board's page is watched too,
 * and its answering polls at once. Transient errors keep every reason going (honouring a capped retry-after);
 * another error ends the waits on that board, as does a board the service no longer has.
 */
export class BoardPoller implements Disposable {
  private readonly timer: Timer;
  private readonly now: () => number;
  private listVisible = false;
  /** By board: the panels that show it, each visible or not. */
  private readonly shown = new Map<string, Map<object, boolean>>();
  private readonly awaited = new Map<string, Awaited>();
  private readonly turns = new Map<string, Turns>();
  private disposed = false;

  constructor(private readonly options: BoardPollerOptions) {
    this.timer = options.timer ?? realTimer;
    this.now = options.now ?? Date.now;
  }

  /** Why the board is polled now (none: it is not). */
  reasons(tensorboardId: string): WatchReason[] {
    const reasons: WatchReason[] = [];
    if (this.awaited.has(tensorboardId)) reasons.push('awaited');
    const board = this.options.current(tensorboardId);
    if (!board) return reasons;
    const panels = this.shown.get(tensorboardId);
    if (!isTransient(boardPhase(board.status))) {
      if (panels && [...panels.values()].includes(true)) reasons.push('shown');
      return reasons;
    }
    if (panels) reasons.push('shown');
    if (this.listVisible && this.options.isListed(tensorboardId)) reasons.push('listed');
    return reasons;
  }

  /** Listed boards are polled while the sidebar can be seen. */
  setListVisible(visible: boolean): void {
    this.listVisible = visible;
    this.syncAll();
  }

  /**
   * While the returned hold lives, the board is polled until it settles, whether or not the sidebar shows, and once
   * settled every minute while the hold says its panel is visible.
   */
  follow(tensorboardId: string, visible = false): Following {
    const panel = {};
    const panels = this.shown.get(tensorboardId) ?? new Map<object, boolean>();
    this.shown.set(tensorboardId, panels.set(panel, visible));
    this.sync(tensorboardId);
    return {
      setVisible: (nowVisible) => {
        if (panels.get(panel) === undefined || panels.get(panel) === nowVisible) return;
        panels.set(panel, nowVisible);
        this.sync(tensorboardId);
      },
      dispose: () => {
        if (!panels.delete(panel)) return;
        if (panels.size === 0 && this.shown.get(tensorboardId) === panels) this.shown.delete(tensorboardId);
        this.sync(tensorboardId);
      },
    };
  }

  /**
   * Polls the board until it runs, fails, stops, the token is cancelled or 15 minutes pass; the first poll comes a
   * turn later, not at once (a board just created or started is never ready yet). Cancellation settles at once,
   * without waiting for a poll out. Rejects on an error that will not go away, and on a board the service lost.
   */
  whenSettled(tensorboardId: string, options: WaitOptions = {}): Promise<WaitResult> {
    return new Promise<WaitResult>((resolve, reject) => {
      if (this.disposed || options.token?.isCancellationRequested) return resolve({ outcome: 'cancelled' });
      let ended = false;
      const withLast = <T extends 'cancelled' | 'timeout'>(outcome: T) =>
        wait.last ? { outcome, board: wait.last } : { outcome };
      const wait: Wait = {
        started: this.now(),
        seenOtherThanStopped: false,
        onProgress: options.onProgress,
        end: (result) => {
          if (ended) return;
          ended = true;
          this.timer.clearTimeout(deadline);
          cancellation?.dispose();
          const awaited = this.awaited.get(tensorboardId);
          awaited?.waits.delete(wait);
          if (awaited?.waits.size === 0) {
            awaited.page?.dispose();
            this.awaited.delete(tensorboardId);
          }
          this.sync(tensorboardId);
          if ('error' in result) reject(result.error);
          else resolve(result);
        },
      };
      // A timer of its own, so that a poll that never answers cannot hold the wait past its deadline.
      const deadline = this.timer.setTimeout(() => wait.end(withLast('timeout')), WAIT_TIMEOUT_MS);
      const cancellation = options.token?.onCancellationRequested(() => wait.end(withLast('cancelled')));
      const awaited = this.awaited.get(tensorboardId);
      if (awaited) awaited.waits.add(wait);
      else this.awaited.set(tensorboardId, { waits: new Set([wait]), distrusted: false });
      this.sync(tensorboardId);
    });
  }

  /** The model learnt something about the board: start, move or stop its turns to fit why it is watched now. */
  sync(tensorboardId: string): void {
    if (this.disposed) return;
    let turns = this.turns.get(tensorboardId);
    if (this.reasons(tensorboardId).length === 0) {
      if (turns) this.stop(tensorboardId, turns);
      return;
    }
    const status = this.options.current(tensorboardId)?.status;
    if (!turns) {
      turns = { dueAt: 0, polling: false, woken: false, again: false, backoffMs: BACKGROUND_FIRST_MS, status };
      this.turns.set(tensorboardId, turns);
    } else if (status !== turns.status) {
      // News about the board (an action, or it moved on by itself): watch it closely again.
      turns.status = status;
      turns.backoffMs = BACKGROUND_FIRST_MS;
    }
    // A poll out schedules the next turn when it is back.
    if (turns.polling) return;
    // A turn already due sooner than the cadence asks for now is kept.
    if (turns.handle !== undefined && turns.dueAt <= this.now() + this.cadence(tensorboardId, turns)) return;
    this.schedule(tensorboardId, turns);
  }

  /** `sync` for every board the model knows or that is watched: after a list, a reset or a change of visibility. */
  syncAll(): void {
    for (const id of new Set([
      ...this.options.known(),
      ...this.turns.keys(),
      ...this.awaited.keys(),
      ...this.shown.keys(),
    ]))
      this.sync(id);
  }

  dispose(): void {
    for (const awaited of [...this.awaited.values()]) {
      for (const wait of [...awaited.waits])
        wait.end(wait.last ? { outcome: 'cancelled', board: wait.last } : { outcome: 'cancelled' });
    }
    this.disposed = true;
    for (const [id, turns] of [...this.turns]) this.stop(id, turns);
  }

  private cadence(tensorboardId: string, turns: Turns): number {
    const awaited = this.awaited.get(tensorboardId);
    if (awaited) return awaited.page ? AWAITED_WATCHED_MS : AWAITED_MS;
    return isTransient(boardPhase(this.options.current(tensorboardId)?.status)) ? turns.backoffMs : SHOWN_SETTLED_MS;
  }

  private schedule(tensorboardId: string, turns: Turns, atLeastMs = 0): void {
    if (turns.handle !== undefined) this.timer.clearTimeout(turns.handle);
    const delay = Math.max(this.cadence(tensorboardId, turns), atLeastMs);
    if (!this.awaited.has(tensorboardId))
      turns.backoffMs = Math.min(Math.round(turns.backoffMs * BACKGROUND_FACTOR), BACKGROUND_MAX_MS);
    turns.dueAt = this.now() + delay;
    turns.handle = this.timer.setTimeout(() => {
      turns.handle = undefined;
      void this.poll(tensorboardId, turns);
    }, delay);
  }

  private stop(tensorboardId: string, turns: Turns): void {
    if (turns.handle !== undefined) this.timer.clearTimeout(turns.handle);
    turns.handle = undefined;
    this.turns.delete(tensorboardId);
  }

  private async poll(tensorboardId: string, turns: Turns): Promise<void> {
    turns.polling = true;
    let board: Tensorboard | undefined;
    let failure: { readonly error: unknown } | undefined;
    try {
      board = await this.options.reload(tensorboardId);
    } catch (error) {
      failure = { error };
    }
    const woken = turns.woken;
    turns.woken = false;
    if (this.disposed) return;
    let atLeastMs = 0;
    if (failure) {
      if (isRetryable(failure.error)) atLeastMs = retryAfter(failure.error);
      else this.endWaits(tensorboardId, failure);
    } else if (!board) {
      const error = new DlcError({
        code: 'TensorboardNotFound',
        message: `TensorBoard ${tensorboardId} no longer exists.`,
        operation: 'GetTensorboard',
        httpStatus: 404,
      });
      this.endWaits(tensorboardId, { error });
    } else {
      this.answerWaits(tensorboardId, board, woken);
    }
    // Until here a sync (the model applying the answer, a wait ending) leaves the next turn to this poll.
    turns.polling = false;
    // The reasons may have changed while the poll was out: the turns ended, or new turns began.
    if (this.turns.get(tensorboardId) !== turns) return;
    if (this.reasons(tensorboardId).length === 0) return this.stop(tensorboardId, turns);
    this.schedule(tensorboardId, turns, atLeastMs);
    if (turns.again) {
      turns.again = false;
      this.wake(tensorboardId);
    }
  }

  private endWaits(tensorboardId: string, result: WaitResult | { readonly error: unknown }): void {
    for (const wait of [...(this.awaited.get(tensorboardId)?.waits ?? [])]) wait.end(result);
  }

  /** Each wait on the board learns the poll's answer; the page watch starts with the first pending answer. */
  private answerWaits(tensorboardId: string, board: Tensorboard, woken: boolean): void {
    const phase = boardPhase(board.status);
    if (phase === 'running' && this.awaited.get(tensorboardId)?.waits.size)
      this.options.timeline?.mark(tensorboardId, 'runningSeen');
    for (const wait of [...(this.awaited.get(tensorboardId)?.waits ?? [])]) {
      wait.last = board;
      try {
        wait.onProgress?.(board);
      } catch (error) {
        wait.end({ error });
        continue;
      }
      if (phase === 'running') wait.end({ outcome: 'running', board });
      else if (phase === 'failed' || phase === 'deleted')
        wait.end({ outcome: 'failed', board, reasonCode: board.reasonCode, reasonMessage: board.reasonMessage });
      else if (phase === 'stopped') {
        if (wait.seenOtherThanStopped || this.now() - wait.started >= STOPPED_GRACE_MS)
          wait.end({ outcome: 'stopped', board });
      } else {
        // Pending, or a status nobody has documented: keep waiting either way.
        wait.seenOtherThanStopped = true;
      }
    }
    const awaited = this.awaited.get(tensorboardId);
    if (!awaited || phase === 'stopped') return;
    if (woken) {
      // The page answered, but the service says the board is not there yet: the sign is no sign for this board.
      awaited.distrusted = true;
      awaited.page?.dispose();
      awaited.page = undefined;
    } else if (!awaited.page && !awaited.distrusted) {
      awaited.page = this.watchPage(tensorboardId, board);
    }
  }

  /** Probes the board's page until it answers, then polls at once; undefined when there is no page to watch yet. */
  private watchPage(tensorboardId: string, board: Tensorboard): Disposable | undefined {
    const pageAnswers = this.options.pageAnswers;
    const url = board.url && safeHttpUrl(board.url);
    if (!pageAnswers || !url) return undefined;
    let disposed = false;
    let handle: unknown;
    const probe = async (n: number): Promise<void> => {
      let answers: boolean;
      try {
        answers = await pageAnswers(url);
      } catch {
        return;
      }
      if (disposed) return;
      if (answers) {
        this.options.timeline?.mark(tensorboardId, 'pageAnswered');
        return this.wake(tensorboardId);
      }
      handle = this.timer.setTimeout(() => void probe(n + 1), pageWatchDelay(n));
    };
    void probe(1);
    return {
      dispose: () => {
        disposed = true;
        if (handle !== undefined) this.timer.clearTimeout(handle);
      },
    };
  }

  /** The page's sign: poll now rather than at the next turn, the turn after being a full interval later. */
  private wake(tensorboardId: string): void {
    const turns = this.turns.get(tensorboardId);
    if (this.disposed || !this.awaited.get(tensorboardId)?.page || !turns) return;
    if (turns.polling) return void (turns.again = true);
    if (turns.handle !== undefined) this.timer.clearTimeout(turns.handle);
    turns.handle = undefined;
    turns.woken = true;
    void this.poll(tensorboardId, turns);
  }
}

const isRetryable = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true;

function retryAfter(error: unknown): number {
  const ms =
    typeof error === 'object' && error !== null ? (error as { retryAfterMs?: unknown }).retryAfterMs : undefined;
  return typeof ms === 'number' && ms > 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : 0;
}
