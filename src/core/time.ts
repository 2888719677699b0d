/** Short, human durations for the tree ("5 min", "3 h", "2 d"). */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return '<1 min';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 && hours < 10 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} d`;
}

export function ageOf(isoTime: string | undefined, now: number): string | undefined {
  const at = isoTime ? Date.parse(isoTime) : NaN;
  return Number.isNaN(at) ? undefined : formatDuration(now - at);
}

/**
 * Time left before a running board reaches its max running time, counted from when it last started running.
 * The service resets `Duration` on start; GmtModifyTime is the best public proxy for "started at" when it is absent.
 */
export function timeLeftMs(maxRunningTimeMinutes: number | undefined, runningForSeconds: number | undefined): number | undefined {
  if (!maxRunningTimeMinutes || runningForSeconds === undefined) return undefined;
  return maxRunningTimeMinutes * 60_000 - runningForSeconds * 1_000;
}
