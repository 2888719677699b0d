/** The timer functions the polling uses; tests pass a fake so nothing waits on real time. */
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
