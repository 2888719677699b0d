import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { TestHost } from '../runner/testHost';
import { Workbench } from './workbench';

/** What the e2e runner hands the tests: the server (with the emulator) and the browser, both shared by every test. */
export interface Session {
  readonly host: TestHost;
  readonly browser: Browser;
  /** test-results/e2e: screenshots, and the server's log of a failed run. */
  readonly resultsDir: string;
}

let session: Session | undefined;
const open: Workbench[] = [];

/** Called by the e2e runner before mocha loads the tests. */
export function setSession(value: Session | undefined): void {
  session = value;
}

export function currentSession(): Session {
  if (!session) throw new Error('no e2e session: run the e2e tests with `npm run test:e2e`');
  return session;
}

/**
 * Opens the test workspace in a fresh browser context (its own storage, so no state from another test) with the
 * extension loaded from its development folder, and waits until the workbench is ready.
 * Close it with `workbench.close()`, typically in an `after` hook; the runner closes whatever is left.
 */
export async function openWorkbench(): Promise<Workbench> {
  const { host, browser } = currentSession();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const workbench = new Workbench(page, () => {
    open.splice(open.indexOf(workbench), 1);
  });
  open.push(workbench);
  await page.goto(host.workbenchUrl([['extensionDevelopmentPath', host.remoteUri(host.root)], ['skipWelcome', 'true']]));
  await workbench.ready();
  return workbench;
}

/** The workbench opened last and still open: the one the screenshot after each test shows. */
export function latestWorkbench(): Workbench | undefined {
  return open.at(-1);
}

export async function closeAllWorkbenches(): Promise<void> {
  for (const workbench of [...open]) await workbench.close();
}

/** A file name for a test's screenshot: test-results/e2e/<suite> -- <test>.png */
export function screenshotPath(fullTitle: string): string {
  const { resultsDir } = currentSession();
  mkdirSync(resultsDir, { recursive: true });
  const name = fullTitle.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120);
  return path.join(resultsDir, `${name}.png`);
}
