import path from 'node:path';
import { format } from 'node:util';
import { launchBrowser } from './browser';
import { parseSummary, SUITE_STARTED, type Tally } from './protocol';
import { Run } from './run';
import type { Browser, Page } from 'playwright-core';
import { launchProductionHost } from './production';
import { launchCodeServer, startTestHost, subFolder, type TestHost } from './testHost';
import { writeUntrustedWorkspace } from './untrusted';

/** The whole run: three windows (the suite, an untrusted workspace, the packaged extension in production mode). */
const TIMEOUT_MS = 10 * 60_000;
/** The workbench loads and the extension host starts the suite in about 5 s; past this something is broken. */
const START_MS = 90_000;

/**
 * Runs the mocha suite of test/integration inside the extension host of a real VS Code (code-server), opened in
 * headless Chromium the way VS Code's own browser integration tests are: the workbench gets `extensionTestsPath`
 * through its `payload` and reports the host's console through `codeAutomationLog` and the end through
 * `codeAutomationExit`.
 */
export async function main({ root, grep }: { root: string; grep?: string }): Promise<number> {
  const run = new Run('integration');
  const tally: Tally = { passed: 0, failed: 0 };
  return run.execute(TIMEOUT_MS, tally, async () => {
    const extraEnv: Record<string, string> = grep ? { PAI_TEST_GREP: grep } : {};
    // A proxy domain: a board panel's loopback proxy has an origin of its own there, so the tests see it used.
    const host = await startTestHost(run, root, extraEnv, { proxyDomain: true });
    const browser = await launchBrowser(run);
    await runSuite(browser, host, root, 'out/test/integration/index.js', tally);

    // The same extension in an untrusted workspace whose settings try to redirect signed requests.
    const folder = subFolder(host, 'untrusted');
    const workspaceFolder = folder.dir('workspace');
    writeUntrustedWorkspace(workspaceFolder);
    const untrusted = await launchCodeServer(
      root,
      { ...folder, workspaceFolder },
      { extraEnv, label: 'integration, untrusted', untrusted: true },
    );
    run.defer('untrusted code-server', () => untrusted.stop());
    await runSuite(browser, untrusted, root, 'out/test/untrusted/index.js', tally);

    // The packaged extension installed as a user installs it, in production mode, with the tests in an extension of
    // their own.
    const production = await launchProductionHost(run, host, root, extraEnv);
    await runSuite(browser, production.server, root, 'out/test/production/index.js', tally, production);
  });
}

export interface SuiteOptions {
  /** The folder loaded as the extension under development (default: this checkout, which the suite then tests). */
  readonly developmentPath?: string;
  /** Each line of the suite's console, with the page, for a runner that acts on the suite's requests. */
  readonly onLine?: (line: string, page: Page) => void;
}

/** Opens the workbench with the suite at `index` as its extensionTestsPath, streams its output, adds its counts. */
export async function runSuite(
  browser: Browser,
  host: TestHost,
  root: string,
  index: string,
  tally: Tally,
  options: SuiteOptions = {},
): Promise<void> {
  const page = await browser.newPage();
  // The workbench logs its own start-up through the same channel; that is held back until the suite announces
  // itself (SUITE_STARTED), and shown only if it never does or PAI_TEST_VERBOSE=1.
  let suiteStarted = false;
  const held: string[] = [];
  let reported: Tally | undefined;
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    suiteStarted ||= text.startsWith(SUITE_STARTED);
    if (!suiteStarted && process.env.PAI_TEST_VERBOSE !== '1') {
      held.push(text);
      return;
    }
    for (const line of text.split('\n')) {
      reported = parseSummary(line) ?? reported;
      options.onLine?.(line, page);
    }
    (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(`${text}\n`);
  });
  let exit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
  const started = Date.now();
  await page.goto(
    host.workbenchUrl([
      ['extensionDevelopmentPath', host.remoteUri(options.developmentPath ?? root)],
      ['extensionTestsPath', host.remoteUri(path.join(root, index))],
      ['skipWelcome', 'true'],
    ]),
    // A loaded machine serves the workbench's first page slowly; the suite's own start is bounded below.
    { timeout: START_MS },
  );
  const late = new Promise<'late'>((resolve) => setTimeout(() => !suiteStarted && resolve('late'), START_MS).unref());
  const code = await Promise.race([exited, late]);
  if (!suiteStarted) console.error(`[integration] the suite did not start; the workbench said:\n${held.join('\n')}`);
  if (code === 'late') throw new Error(`the suite ${index} did not start within ${START_MS / 1000} s`);
  console.log(
    `[integration] the extension host ended ${index} with ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  await page.close();
  tally.passed += reported?.passed ?? 0;
  tally.failed += reported?.failed ?? 0;
  if (code !== 0 && (reported?.failed ?? 0) === 0) tally.failed += 1;
}
