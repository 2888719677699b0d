import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { CodeServer, TestHost } from '../runner/testHost';
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
const userDataFolders = new Set<string>();

/** Called by the e2e runner before mocha loads the tests. */
export function setSession(value: Session | undefined): void {
  session = value;
}

export function currentSession(): Session {
  if (!session) throw new Error('no e2e session: run the e2e tests with `npm run test:e2e`');
  return session;
}

/**
 * Opens the test workspace in a fresh browser context (its own storage, so no state from another test) and waits
 * until the workbench is ready. On the session's server the extension is loaded from its development folder; on a
 * server started with a `.vsix` (`launchCodeServer`) the workbench gets no `extensionDevelopmentPath`, so the
 * extension that runs is the one installed there.
 * Close it with `workbench.close()`, typically in an `after` hook; the runner closes whatever is left.
 */
export async function openWorkbench(
  host: TestHost | CodeServer = currentSession().host,
  options: WorkbenchOptions = {},
): Promise<Workbench> {
  const { browser } = currentSession();
  userDataFolders.add(host.userDataDir);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const workbench = new Workbench(page, () => {
    open.splice(open.indexOf(workbench), 1);
  });
  open.push(workbench);
  const extension: Array<[string, string]> =
    'vsix' in host && host.vsix ? [] : [['extensionDevelopmentPath', host.remoteUri(host.root)]];
  await options.beforeLoad?.(page);
  await page.goto(host.workbenchUrl([...extension, ...(options.payload ?? []), ['skipWelcome', 'true']]));
  await workbench.ready();
  return workbench;
}

export interface WorkbenchOptions {
  /** More of VS Code's `payload`, e.g. `extensionTestsPath` for code that runs in the extension host beside the UI. */
  readonly payload?: Array<[string, string]>;
  /** Runs before the workbench loads, e.g. to expose `codeAutomationLog` and `codeAutomationExit` on the page. */
  readonly beforeLoad?: (page: Page) => Promise<void>;
}

/** The user-data folders of every server a workbench was opened on, for the search for secrets after the run. */
export function openedUserDataFolders(): string[] {
  return [...userDataFolders];
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
  const name = fullTitle
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);
  return path.join(resultsDir, `${name}.png`);
}
