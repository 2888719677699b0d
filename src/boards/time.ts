/** The words of a duration, so the VS Code layer can hand in translated ones; core stays free of `vscode`. */
export interface DurationUnits {
  readonly underOneMinute: string;
  readonly minutes: (minutes: number) => string;
  readonly hours: (hours: number) => string;
  readonly hoursMinutes: (hours: number, minutes: number) => string;
  readonly days: (days: number) => string;
}

export const englishDurationUnits: DurationUnits = {
  underOneMinute: '<1 min',
  minutes: (m) => `${m} min`,
  hours: (h) => `${h} h`,
  hoursMinutes: (h, m) => `${h} h ${m} min`,
  days: (d) => `${d} d`,
};

/** Short, human durations for the tree ("5 min", "3 h", "2 d"). */
export function formatDuration(ms: number, units: DurationUnits = englishDurationUnits): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return units.underOneMinute;
  if (minutes < 60) return units.minutes(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 && hours < 10 ? units.hoursMinutes(hours, minutes % 60) : units.hours(hours);
  return units.days(Math.floor(hours / 24));
}

export function ageOf(
  isoTime: string | undefined,
  now: number,
  units: DurationUnits = englishDurationUnits,
): string | undefined {
  const at = isoTime ? Date.parse(isoTime) : NaN;
  return Number.isNaN(at) ? undefined : formatDuration(now - at, units);
}

/**
 * Time left before a running board reaches its max running time, counted from when it last started running.
 * The service resets `Duration` on start; GmtModifyTime is the best public proxy for "started at" when it is absent.
 */
export function timeLeftMs(
  maxRunningTimeMinutes: number | undefined,
  runningForSeconds: number | undefined,
): number | undefined {
  if (!maxRunningTimeMinutes || runningForSeconds === undefined) return undefined;
  return maxRunningTimeMinutes * 60_000 - runningForSeconds * 1_000;
}

/**
 * A service time (UTC ISO-8601) as the user reads dates: their language's order and names, their time zone. The
 * service's text as it is when it is no date, so a tooltip never says "Invalid Date".
 */
export function localTime(isoTime: string | undefined, locale: string, timeZone?: string): string | undefined {
  const at = isoTime ? Date.parse(isoTime) : NaN;
  if (Number.isNaN(at)) return isoTime || undefined;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  } catch {
    // A language tag Intl does not know (VS Code's own, such as `qps-ploc`) falls back to the default locale.
    format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  }
  return format.format(at);
}

/**
 * When a running board stops by itself if nobody looks at it, as the guard (src/guard) forecasts it: idle since
 * `since` (when it was last seen), or its jobs ended at `since`; it stops at `at`.
 */
export interface StopForecast {
  readonly reason: 'idle' | 'jobEnded';
  readonly since: number;
  readonly at: number;
}

/** What the sidebar says of a running board's time, in words short enough for the default sidebar width. */
export type Countdown =
  | { readonly kind: 'left'; readonly left: string }
  | { readonly kind: 'idle'; readonly idle: string; readonly stopsIn: string }
  | { readonly kind: 'jobEnded'; readonly stopsIn: string };

/**
 * The running board's countdown at `now`: its running time counts on from when it was fetched (`fetchedAt`), so the
 * time left falls between fetches; the guard's stop is told when it comes before the max running time.
 */
export function countdown(
  board: { readonly maxRunningTimeMinutes?: number; readonly durationSeconds?: number },
  now: number,
  fetchedAt: number | undefined,
  forecast: StopForecast | undefined,
  units: DurationUnits = englishDurationUnits,
): Countdown | undefined {
  const since = fetchedAt === undefined ? 0 : Math.max(0, now - fetchedAt) / 1_000;
  const capLeft = timeLeftMs(
    board.maxRunningTimeMinutes,
    board.durationSeconds === undefined ? undefined : board.durationSeconds + since,
  );
  if (forecast && (capLeft === undefined || forecast.at - now < capLeft)) {
    const stopsIn = formatDuration(forecast.at - now, units);
    return forecast.reason === 'idle'
      ? { kind: 'idle', idle: formatDuration(now - forecast.since, units), stopsIn }
      : { kind: 'jobEnded', stopsIn };
  }
  return capLeft === undefined ? undefined : { kind: 'left', left: formatDuration(capLeft, units) };
}
