/** The timer functions the poller uses; tests pass a fake so nothing waits on real time. */
export interface Timer {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers take a signed 32-bit delay: a longer one fires after 1 ms, so it is clamped to this. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export const realTimer: Timer = {
  setTimeout: (callback, ms) => setTimeout(callback, Math.min(ms, MAX_TIMER_DELAY_MS)),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface PendingPollerOptions {
  /** Reloads what is pending; resolves to whether anything is still pending. A rejection counts as still pending. */
  readonly poll: () => Promise<boolean>;
  readonly timer?: Timer;
  readonly firstDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly factor?: number;
}

/**
 * Polls only while something is pending and someone can see it, backing off from `firstDelayMs` to `maxDelayMs`,
 * and stops by itself when nothing is pending. `kick()` restarts from the short delay after the user changed a board.
 */
export class PendingPoller {
  private readonly timer: Timer;
  private readonly firstDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly factor: number;
  private delayMs: number;
  private handle: unknown;
  private visible = false;
  private pending = false;
  private polling = false;
  private disposed = false;

  constructor(private readonly options: PendingPollerOptions) {
    this.timer = options.timer ?? realTimer;
    this.firstDelayMs = options.firstDelayMs ?? 2_000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.factor = options.factor ?? 1.6;
    this.delayMs = this.firstDelayMs;
  }

  get scheduled(): boolean {
    return this.handle !== undefined;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.update();
  }

  setPending(pending: boolean): void {
    this.pending = pending;
    if (!pending) this.delayMs = this.firstDelayMs;
    this.update();
  }

  kick(): void {
    this.delayMs = this.firstDelayMs;
    this.cancel();
    this.update();
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
  }

  private update(): void {
    const wanted = this.visible && this.pending && !this.disposed;
    if (!wanted) this.cancel();
    else if (this.handle === undefined && !this.polling) this.schedule();
  }

  private schedule(): void {
    const delay = this.delayMs;
    this.delayMs = Math.min(Math.round(this.delayMs * this.factor), this.maxDelayMs);
    this.handle = this.timer.setTimeout(() => void this.tick(), delay);
  }

  private async tick(): Promise<void> {
    this.handle = undefined;
    this.polling = true;
    let stillPending = true;
    try {
      stillPending = await this.options.poll();
    } catch {
      // A failed load keeps its error in the tree; keep polling, at the backed-off pace.
    } finally {
      this.polling = false;
    }
    if (!stillPending) this.delayMs = this.firstDelayMs;
    this.pending = stillPending;
    this.update();
  }

  private cancel(): void {
    if (this.handle !== undefined) this.timer.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
