// The way users open a new board today, for the side-by-side row: a waiter that behaves as pai-python-sdk's does,
// signing its calls with the project's own client (src/api) against the same emulator as the extension.
import type { Browser, Page } from 'playwright-core';
import { DlcClient, type CreateTensorboardRequest } from '../src/api';
import type { Emulator } from '../test/emulator';

/** pai-python-sdk's interval, for GetTensorboard and for the board URL alike. */
const POLL_MS = 5_000;
/** The emulator's 503 while a board's TensorBoard starts says `retry-after: 1`. */
const RELOAD_MS = 1_000;

export interface SdkSample {
  /** From CreateTensorboard's arrival at the emulator to the `loss` chart shown in the browser page. */
  readonly createToChartMs: number;
  /** GetTensorboard calls from CreateTensorboard to the chart shown. */
  readonly getCalls: number;
  /** Anonymous requests for TensorboardUrl until it stopped answering 5xx. */
  readonly urlPolls: number;
  /** Loads of the shared link in the browser until it stopped answering 5xx. */
  readonly pageLoads: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for TensorBoard's `loss` chart itself, as boardInPanel does: each scalar card is drawn into a canvas or SVG. */
async function lossChart(page: Page, timeout: number): Promise<void> {
  await page.getByText('loss', { exact: true }).first().waitFor({ timeout });
  await page.locator('canvas, svg path.line, .line-chart').first().waitFor({ timeout });
}

/**
 * The oracle of the first-chart rows: a board created with `wireBody` under another name, and a plain browser tab (a
 * new context: cold) opened on its shared link at the instant its TensorBoard first answers, as if the user had known
 * that instant. Resolves with the time from that instant to the `loss` chart.
 */
export async function oracleChart(
  emulator: Emulator,
  browser: Browser,
  wireBody: unknown,
  name: string,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const client = new DlcClient({
    regionId: emulator.regionId,
    endpoint: emulator.endpoint,
    credentials: { getCredentials: async () => emulator.credentials },
  });
  const request = { ...(camelKeys(wireBody) as CreateTensorboardRequest), displayName: name };
  const { tensorboardId } = await client.createTensorboard(request);
  const shared = async () =>
    (await client.getTensorboardSharedUrl(tensorboardId, { workspaceId: request.workspaceId })).url;
  let readyAt: number | undefined;
  while (
    (readyAt = emulator.realBoards().processes.find((p) => p.tensorboardId === tensorboardId)?.readyAt) === undefined
  ) {
    if (Date.now() > deadline) throw new Error(`the oracle's board ${tensorboardId} never answered`);
    await sleep(5);
  }
  const url = await shared();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url, { timeout: Math.max(1, deadline - Date.now()) });
    await lossChart(page, Math.max(1, deadline - Date.now()));
    return Date.now() - readyAt;
  } finally {
    await context.close();
  }
}

/** The inverse of the client's wire naming (`pascalKeys` in src/api/schemas.ts): `DisplayName` → `displayName`. */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, nested]) => [key.charAt(0).toLowerCase() + key.slice(1), camelKeys(nested)]),
  );
}

/**
 * Creates a board with the same request as `wireBody` (a CreateTensorboard body the extension sent) under another
 * name, then waits as pai-python-sdk does: GetTensorboard every 5 s until Running, then the board's TensorboardUrl,
 * anonymously (no cookies), every 5 s until it stops answering 5xx, then "opens a browser": a fresh Chromium page
 * (a new context: no cookies, no cache) on the board's shared link, since TensorboardUrl needs a console login.
 *
 * The emulator starts a board's TensorBoard when the board turns Running, and an anonymous TensorboardUrl request is
 * sent to the login page whether or not it answers yet, so the page itself may answer 503 while TensorBoard starts:
 * it is reloaded every second until it does not, which is kinder to the waiter than its 5 s.
 */
export async function sdkWait(
  emulator: Emulator,
  browser: Browser,
  wireBody: unknown,
  name: string,
  timeoutMs: number,
): Promise<SdkSample> {
  const deadline = Date.now() + timeoutMs;
  const inTime = (what: string) => {
    if (Date.now() > deadline) throw new Error(`the pai-python-sdk-style waiter timed out: ${what}`);
  };
  const client = new DlcClient({
    regionId: emulator.regionId,
    endpoint: emulator.endpoint,
    credentials: { getCredentials: async () => emulator.credentials },
  });
  const request = { ...(camelKeys(wireBody) as CreateTensorboardRequest), displayName: name };
  const { workspaceId } = request;
  const { tensorboardId } = await client.createTensorboard(request);
  const create = emulator.requests.find(
    (r) =>
      r.operation === 'CreateTensorboard' && (r.body as { DisplayName?: string } | undefined)?.DisplayName === name,
  );
  if (!create) throw new Error(`the emulator recorded no CreateTensorboard for ${name}`);

  let url: string;
  for (;;) {
    const board = await client.getTensorboard(tensorboardId, { workspaceId });
    url = board.url;
    if (/^running$/i.test(board.status)) break;
    if (/fail|stop|delet/i.test(board.status)) throw new Error(`board ${tensorboardId} turned ${board.status}`);
    inTime(`board ${tensorboardId} still ${board.status}`);
    await sleep(POLL_MS);
  }
  let urlPolls = 0;
  for (;;) {
    urlPolls += 1;
    const answer = await fetch(url, { headers: { accept: 'text/html' } });
    await answer.arrayBuffer();
    if (answer.status < 500) break;
    inTime(`${url} still answers ${answer.status}`);
    await sleep(POLL_MS);
  }
  const shared = await client.getTensorboardSharedUrl(tensorboardId, { workspaceId });

  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    let pageLoads = 0;
    for (;;) {
      pageLoads += 1;
      const answer = await page.goto(shared.url, { timeout: Math.max(1, deadline - Date.now()) });
      if (!answer || answer.status() < 500) break;
      inTime(`the shared link still answers ${answer.status()}`);
      await sleep(RELOAD_MS);
    }
    await lossChart(page, Math.max(1, deadline - Date.now()));
    const seenAt = Date.now();
    if ((await page.title()) !== name) throw new Error(`the browser page shows another board: ${await page.title()}`);
    const getCalls = emulator.requests.filter(
      (r) => r.operation === 'GetTensorboard' && r.path.includes(tensorboardId) && r.at >= create.at && r.at <= seenAt,
    ).length;
    return { createToChartMs: seenAt - create.at, getCalls, urlPolls, pageLoads };
  } finally {
    await context.close();
  }
}
