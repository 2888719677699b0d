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

/**
 * A line by which a suite in the extension host asks its runner to do what a user does in the workbench, which the
 * extension API cannot: `[ui] {"pick":"Use environment variables"}` picks that item of the open quick pick.
 */
export const UI_REQUEST = '[ui]';

export interface UiRequest {
  /** The label of the quick-pick item to click, as shown without its icon. */
  readonly pick: string;
}

export function uiRequestLine(request: UiRequest): string {
  return `${UI_REQUEST} ${JSON.stringify(request)}`;
}

export function parseUiRequest(line: string): UiRequest | undefined {
  return line.startsWith(`${UI_REQUEST} `) ? (JSON.parse(line.slice(UI_REQUEST.length + 1)) as UiRequest) : undefined;
}
