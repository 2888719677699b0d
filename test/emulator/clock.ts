/** Milliseconds since the epoch. The emulator reads time only through this, so tests can move it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  private current: number;

  constructor(startMs: number = Date.now()) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(ms: number): void {
    this.current = ms;
  }
}

/**
 * Real time plus an offset: what the CLI uses, so a test in another process can still jump
 * the lifecycle forward through the control API without the emulator falling out of step with
 * the `date` headers signed by a real client (as long as the jump stays inside 15 minutes).
 */
export class ShiftedClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  set(ms: number): void {
    this.offsetMs = ms - Date.now();
  }
}

/** A clock the control API may move. */
export interface AdjustableClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
}

export function isAdjustable(clock: Clock): clock is AdjustableClock {
  const candidate = clock as Partial<AdjustableClock>;
  return typeof candidate.advance === 'function' && typeof candidate.set === 'function';
}
