/**
 * The steps of a board's way from Running to its frame, each marked with the wall clock when it happens, so that the
 * bench can split the extension's share of Running → painted (#23) from the log: `timeline <id> <step> <epoch ms>`.
 * Pure: no `vscode`; the composition root hands it the log.
 */
export type TimelineStep =
  /** A wait's poll read Running. */
  | 'runningSeen'
  /** The wait's page watch saw the board's page answer. */
  | 'pageAnswered'
  /** The panel was asked to show the running board. */
  | 'panelAsked'
  /** The panel's own probe of the link it frames saw the page answer. */
  | 'probeAnswered'
  /** The URL the frame loads was chosen (the board's own, or the proxy's once it listens). */
  | 'frameUrl'
  /** The panel's page with the frame was handed to the webview. */
  | 'htmlSet';

export interface Timeline {
  mark(tensorboardId: string, step: TimelineStep): void;
}

export const noTimeline: Timeline = { mark: () => undefined };

/** Marks written as log lines, for the bench (bench/provisioning.ts reads them back with `readTimeline`). */
export function logTimeline(write: (line: string) => void, now: () => number = Date.now): Timeline {
  return { mark: (tensorboardId, step) => write(`timeline ${tensorboardId} ${step} ${now()}`) };
}

/** The marks of one board in a log's text: each step's first time (a later reload marks it again). */
export function readTimeline(logText: string, tensorboardId: string): Partial<Record<TimelineStep, number>> {
  const marks: Partial<Record<TimelineStep, number>> = {};
  for (const match of logText.matchAll(/timeline (\S+) (\w+) (\d+)/g)) {
    if (match[1] !== tensorboardId) continue;
    const step = match[2] as TimelineStep;
    marks[step] ??= Number(match[3]);
  }
  return marks;
}
