import * as vscode from 'vscode';
import type { Tensorboard } from '../api';
import { errorMessage } from '../api/errors';
import { executeCommand } from '../base/commandCalls';
import { showError, showInformation, showWarning } from '../base/notify';
import { onDidChangeGuardSettings, readSettings } from '../base/settings';
import type { BoardServices } from '../boards/services';
import { boardName, boardPhase } from '../boards/status';
import type { StopForecast } from '../boards/time';
import { SwappableTimer, type Timer } from '../boards/timer';
import {
  boardJobIds,
  extendOffer,
  guardTurn,
  jobHasEnded,
  stopsAt,
  TURN_MS,
  type GuardedBoard,
  type GuardSettings,
  type PendingStop,
  type StopReason,
} from './policy';
import { mergeSeen, parseSeen, type SeenRecord, type SeenTimes } from './seen';

/** The global-state key of the seen times, shared by every window of the user. */
const SEEN_KEY = 'boardSeenTimes';

export interface GuardOptions {
  readonly services: Pick<BoardServices, 'log' | 'connection' | 'boards'>;
  readonly state: vscode.Memento;
  /** The boards of this window's visible panels. */
  readonly shown: () => Iterable<string>;
  /** After each turn (each minute, and when a setting changed): the sidebar re-renders its countdowns then. */
  readonly afterTurn?: () => void;
  /** Shows (with why) or withdraws (undefined) Extend in the board's panel. */
  readonly offerExtend?: (tensorboardId: string, why: string | undefined) => void;
}

function guardSettings(): GuardSettings {
  const { idleStopMinutes, stopAfterJobEndsMinutes } = readSettings();
  return { idleStopMinutes, stopAfterJobEndsMinutes };
}

/**
 * Stops the boards nobody needs: each minute it marks the boards of visible panels seen, asks the policy what is due,
 * shows the notices, and stops the boards whose notice ran out. The decisions are the policy's (./policy.ts).
 */
export class Guard implements vscode.Disposable {
  /** The guard's clock; an integration test moves it with its fake timer. */
  now: () => number = Date.now;
  private readonly pending = new Map<string, PendingStop>();
  /** When each ended job ended: an ended job does not run again, so it is asked about once. */
  private readonly jobEnds = new Map<string, number>();
  /** Boards whose failed stop was reported: reported once, then tried again each turn quietly. */
  private readonly reported = new Set<string>();
  private handle: unknown;
  /** The guard's own timer: an integration test swaps in a fake, leaving the boards' polling as it is. */
  private readonly timers = new SwappableTimer();
  private turning: Promise<void> | undefined;
  private readonly subscription: vscode.Disposable;
  private disposed = false;

  constructor(private readonly options: GuardOptions) {
    this.subscription = onDidChangeGuardSettings(() => void this.turn());
    this.schedule();
  }

  /** A visible panel showed the board, or the extension opened it: idleness counts from now. */
  seen(tensorboardId: string): void {
    this.write({ [tensorboardId]: { seenAt: this.now(), owned: true } });
  }

  /** The seen times as every window last wrote them. */
  read(): SeenTimes {
    return parseSeen(this.options.state.get(SEEN_KEY));
  }

  /** When the board stops by itself at the earliest if nobody looks at it, as far as known now. */
  stopsAt(board: Tensorboard): { readonly reason: StopReason; readonly at: number } | undefined {
    return stopsAt(this.guarded(board), {
      now: this.now(),
      settings: guardSettings(),
      seen: this.read(),
      shown: new Set(this.options.shown()),
      pending: this.pending.get(board.tensorboardId),
    });
  }

  /** What the sidebar says of when the board stops by itself: why, since when, and when. */
  forecast(board: Tensorboard): StopForecast | undefined {
    const stop = this.stopsAt(board);
    if (!stop) return undefined;
    const since = stop.reason === 'idle' ? this.read()[board.tensorboardId]?.seenAt : this.guarded(board).jobsEndedAt;
    return since === undefined ? undefined : { ...stop, since };
  }

  private write(update: SeenTimes): void {
    void this.options.state.update(SEEN_KEY, mergeSeen(this.read(), update, this.now()));
  }

  get timer(): Timer {
    return this.timers.current;
  }

  /** The turns move to the new timer at once. */
  set timer(replacement: Timer) {
    this.timers.clearTimeout(this.handle);
    this.timers.current = replacement;
    this.schedule();
  }

  private schedule(): void {
    if (this.disposed) return;
    // One turn is ever scheduled: a turn that ends after a reschedule replaces that one.
    this.timers.clearTimeout(this.handle);
    this.handle = this.timers.setTimeout(() => void this.turn().finally(() => this.schedule()), TURN_MS);
  }

  /** One turn; a turn asked for while one runs (a setting changed) joins it. */
  turn(): Promise<void> {
    this.turning ??= this.takeTurn().finally(() => {
      this.turning = undefined;
      this.options.afterTurn?.();
    });
    return this.turning;
  }

  private async takeTurn(): Promise<void> {
    const { services } = this.options;
    const shown = new Set(this.options.shown());
    const now = this.now();
    if (shown.size > 0) {
      this.write(Object.fromEntries([...shown].map((id): [string, SeenRecord] => [id, { seenAt: now, owned: true }])));
    }
    const seen = this.read();
    const settings = guardSettings();
    const boards: GuardedBoard[] = [];
    for (const id of Object.keys(seen)) {
      const board = services.boards.get(id);
      if (!board || !seen[id]?.owned || seen[id]?.keep) continue;
      const guarded = this.guarded(board);
      const asks = guarded.running && settings.stopAfterJobEndsMinutes > 0 && !shown.has(id);
      boards.push({ ...guarded, jobsEndedAt: asks ? await this.jobsEndedAt(board) : undefined });
    }
    for (const id of shown) this.offerExtend(id);
    const actions = guardTurn({ now, settings, boards, seen, shown, pending: this.pending });
    for (const action of actions) {
      const board = services.boards.get(action.tensorboardId);
      if (action.type === 'withdraw' || !board) {
        this.pending.delete(action.tensorboardId);
      } else if (action.type === 'notice') {
        this.pending.set(action.tensorboardId, { reason: action.reason, stopAt: action.stopAt });
        this.notice(board, action.reason, settings, seen[action.tensorboardId]!);
      } else {
        await this.stop(board, action.reason, settings);
      }
    }
  }

  private guarded(board: Tensorboard): GuardedBoard {
    const jobs = boardJobIds(board).map((id) => this.jobEnds.get(id));
    const ended = jobs.length > 0 && jobs.every((at) => at !== undefined);
    return {
      tensorboardId: board.tensorboardId,
      running: boardPhase(board.status) === 'running',
      ...(ended ? { jobsEndedAt: Math.max(...(jobs as number[])) } : {}),
    };
  }

  /** When the last of the board's jobs ended; undefined while one runs or cannot be asked about. */
  private async jobsEndedAt(board: Tensorboard): Promise<number | undefined> {
    const { connection, log } = this.options.services;
    let last: number | undefined;
    for (const jobId of boardJobIds(board)) {
      let endedAt = this.jobEnds.get(jobId);
      if (endedAt === undefined) {
        try {
          const job = await connection.client().getJob(jobId, { needDetail: false });
          if (!jobHasEnded(job.status)) return undefined;
          const finished = job.gmtFinishTime ? Date.parse(job.gmtFinishTime) : NaN;
          endedAt = Number.isFinite(finished) ? Math.min(finished, this.now()) : this.now();
          this.jobEnds.set(jobId, endedAt);
        } catch (error) {
          log.warn(`Could not ask whether job ${jobId} of ${board.tensorboardId} ended: ${errorMessage(error)}`);
          return undefined;
        }
      }
      last = Math.max(last ?? 0, endedAt);
    }
    return last;
  }

  /**
   * A board in a visible panel close to its max running time: its panel offers Extend (`offerExtend`), rather than
   * letting it stop under the user's eyes; the offer goes once the board is no longer that close.
   */
  private offerExtend(tensorboardId: string): void {
    const board = this.options.services.boards.get(tensorboardId);
    const offer = board && boardPhase(board.status) === 'running' ? extendOffer(board) : undefined;
    this.options.offerExtend?.(
      tensorboardId,
      offer && vscode.l10n.t('Stops at its max running time in {0} min', offer.leftMinutes),
    );
  }

  /** The panel's Extend: another hour of max running time, if the board is still close to its cap. */
  async extend(tensorboardId: string): Promise<void> {
    const { services } = this.options;
    const board = services.boards.get(tensorboardId);
    const offer = board && boardPhase(board.status) === 'running' ? extendOffer(board) : undefined;
    if (!board || !offer) return;
    try {
      await services.connection.client().updateTensorboard(tensorboardId, {
        workspaceId: services.connection.workspaceId,
        maxRunningTimeMinutes: offer.newCap,
      });
      services.log.info(`Extended the max running time of ${tensorboardId} to ${offer.newCap} minutes`);
      await services.boards.reload(tensorboardId);
      this.offerExtend(tensorboardId);
    } catch (error) {
      void showError(vscode.l10n.t('Could not extend TensorBoard "{0}"', boardName(board)), {
        detail: errorMessage(error),
      });
    }
  }

  private minutesOf(reason: StopReason, settings: GuardSettings): number {
    return reason === 'idle' ? settings.idleStopMinutes : settings.stopAfterJobEndsMinutes;
  }

  private notice(board: Tensorboard, reason: StopReason, settings: GuardSettings, record: SeenRecord): void {
    const name = boardName(board);
    const id = board.tensorboardId;
    const minutes = Math.max(1, Math.round((this.now() - record.seenAt) / 60_000));
    const text =
      reason === 'idle'
        ? vscode.l10n.t('TensorBoard "{0}" has not been looked at for {1} minutes: stopping in 1 minute', name, minutes)
        : vscode.l10n.t('The jobs of TensorBoard "{0}" have ended: stopping in 1 minute', name);
    const keep = vscode.l10n.t('Keep Running');
    const stopNow = vscode.l10n.t('Stop Now');
    const always = vscode.l10n.t('Never Stop It');
    void showWarning(text, keep, stopNow, always).then(async (choice) => {
      if (!this.pending.has(id)) return;
      if (choice === keep || choice === always) {
        this.pending.delete(id);
        const postponedUntil = this.now() + this.minutesOf(reason, settings) * 60_000;
        this.write({ [id]: choice === always ? { seenAt: 0, keep: true } : { seenAt: 0, postponedUntil } });
        this.options.services.log.info(
          choice === always
            ? `${id} is kept running: the extension will not stop it`
            : `${id} kept running until ${new Date(postponedUntil).toISOString()}`,
        );
      } else if (choice === stopNow) {
        await this.stop(board, reason, settings);
      }
    });
  }

  private async stop(board: Tensorboard, reason: StopReason, settings: GuardSettings): Promise<void> {
    const { services } = this.options;
    const id = board.tensorboardId;
    const why =
      reason === 'idle'
        ? `not looked at for ${settings.idleStopMinutes} minutes`
        : `its jobs ended ${settings.stopAfterJobEndsMinutes} minutes ago`;
    try {
      // Stopped or deleted elsewhere meanwhile: nothing to do.
      const current = await services.boards.reload(id);
      if (!current || boardPhase(current.status) !== 'running') {
        this.pending.delete(id);
        return;
      }
      await services.connection.client().stopTensorboard(id, { workspaceId: services.connection.workspaceId });
    } catch (error) {
      // Kept pending: the next turn tries again, and only the first failure is shown.
      services.log.warn(`Could not stop ${id} automatically (${why}): ${errorMessage(error)}`);
      if (!this.reported.has(id)) {
        this.reported.add(id);
        void showError(vscode.l10n.t('Could not stop TensorBoard "{0}"; trying again in a minute.', boardName(board)), {
          detail: errorMessage(error),
        });
      }
      return;
    }
    this.pending.delete(id);
    this.reported.delete(id);
    services.log.info(`Stopped ${id} automatically: ${why}`);
    void services.boards.reload(id).catch(() => undefined);
    const start = vscode.l10n.t('Start');
    const text =
      reason === 'idle'
        ? vscode.l10n.t(
            'Stopped TensorBoard "{0}": nobody looked at it for {1} minutes.',
            boardName(board),
            settings.idleStopMinutes,
          )
        : vscode.l10n.t('Stopped TensorBoard "{0}": its jobs have ended.', boardName(board));
    void showInformation(text, start).then((choice) => {
      if (choice === start) void executeCommand('paiTensorboard.startBoard', id);
    });
  }

  dispose(): void {
    this.disposed = true;
    this.timers.clearTimeout(this.handle);
    this.subscription.dispose();
  }
}

/** What the commands that stop, create or open boards read of the guard. */
export interface GuardServices extends BoardServices {
  readonly guard: Guard;
}
