import { MAX_TIMER_DELAY_MS } from '../api';

/** The timer functions the polling uses; tests pass a fake so nothing waits on real time. */
export interface Timer {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimer: Timer = {
  setTimeout: (callback, ms) => setTimeout(callback, Math.min(ms, MAX_TIMER_DELAY_MS)),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * A timer whose implementation can be replaced while it runs: each handle remembers which timer set it, so a
 * timeout set before a swap is still cleared by the timer that holds it. Integration tests swap in a fake.
 */
export class SwappableTimer implements Timer {
  constructor(public current: Timer = realTimer) {}

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = this.current;
    return { timer, handle: timer.setTimeout(callback, ms) };
  }

  clearTimeout(handle: unknown): void {
    const set = handle as { timer: Timer; handle: unknown } | undefined;
    set?.timer.clearTimeout(set.handle);
  }
}
