/**
 * What Change Max Running Time accepts. PAI-DLC documents MaxRunningTimeMinutes as an int64 with no bound
 * (shared/reference/dlc-api.md), so the upper bound is the extension's own, configurable
 * (`paiTensorboard.maxRunningTimeLimitMinutes`), and a refusal by the service is still reported as it comes.
 */
export type MaxRunningTimeCheck =
  | { readonly ok: true; readonly minutes: number }
  | { readonly ok: false; readonly problem: 'notWholeNumber' | 'tooLong' };

export function checkMaxRunningTime(text: string, limitMinutes: number): MaxRunningTimeCheck {
  const trimmed = text.trim();
  if (!/^[1-9]\d*$/.test(trimmed)) return { ok: false, problem: 'notWholeNumber' };
  const minutes = Number(trimmed);
  if (!Number.isSafeInteger(minutes) || minutes > limitMinutes) return { ok: false, problem: 'tooLong' };
  return { ok: true, minutes };
}

/** How long a running board has run at `now`: its Duration when fetched, counted on since. */
export function ranMs(durationSeconds: number, now: number, fetchedAt: number | undefined): number {
  return durationSeconds * 1_000 + (fetchedAt === undefined ? 0 : Math.max(0, now - fetchedAt));
}

/** Whether a new cap on a running board stops it at once: the service stops a board past its cap. */
export function stopsAtOnce(minutes: number, ran: number): boolean {
  return minutes * 60_000 <= ran;
}
