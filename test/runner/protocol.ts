// What a suite inside the extension host and the runner outside it say to each other through the host's console.

/** What a run counts; every runner prints it last as `N passed, N failed`, the line CI and `npm test` read. */
export interface Tally {
  passed: number;
  failed: number;
}

/** The suite's first line; the code-server runner shows the host's console from here on. */
export const SUITE_STARTED = '[suite]';

export function summaryLine({ passed, failed }: Tally): string {
  return `${passed} passed, ${failed} failed`;
}

/** Reads a `N passed, N failed` line. */
export function parseSummary(line: string): Tally | undefined {
  const match = /^(\d+) passed, (\d+) failed\b/.exec(line.trim());
  return match ? { passed: Number(match[1]), failed: Number(match[2]) } : undefined;
}
