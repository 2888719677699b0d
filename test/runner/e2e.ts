import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { closeAllWorkbenches, latestWorkbench, screenshotPath, setSession } from '../e2e/harness';
import { launchBrowser } from './browser';
import type { Tally } from './protocol';
import { Run } from './run';
import { startTestHost } from './testHost';

const TIMEOUT_MS = Number(process.env.PAI_TEST_TIMEOUT_S ?? 1500) * 1000;

/**
 * Runs the mocha tests of test/e2e in this process against a real VS Code (code-server, with the emulator) driven by
 * headless Chromium through playwright-core. Every test ends with a screenshot in test-results/e2e/; a failed test
 * prints its screenshot's path, and a failed run keeps the server's log there too.
 */
export async function main({ root, grep }: { root: string; grep?: string }): Promise<number> {
  const run = new Run('e2e');
  const tally: Tally = { passed: 0, failed: 0 };
  const resultsDir = path.join(root, 'test-results/e2e');
  return run.execute(TIMEOUT_MS, tally, async () => {
    const host = await startTestHost(run, root, {}, { realBoards: true });
    const browser = await launchBrowser(run);
    setSession({ host, browser, resultsDir });
    run.defer('workbenches', async () => {
      await closeAllWorkbenches();
      setSession(undefined);
    });

    const folder = path.join(root, 'out/test/e2e');
    const mocha = new Mocha({
      ui: 'bdd',
      reporter: 'spec',
      timeout: 60_000,
      grep,
      // A stray .only fails the run instead of quietly skipping every other test.
      forbidOnly: true,
      rootHooks: {
        async afterEach(this: Mocha.Context) {
          const test = this.currentTest;
          const workbench = latestWorkbench();
          if (!test || !workbench) return;
          const file = screenshotPath(test.fullTitle());
          try {
            await workbench.screenshot(file);
          } catch (e) {
            console.error(`      screenshot failed: ${e instanceof Error ? e.message : String(e)}`);
            return;
          }
          if (test.state === 'failed') {
            console.log(`      screenshot: ${path.relative(root, file)}`);
            console.log(
              `      server log: ${path.relative(root, path.join(resultsDir, 'code-server.log'))} (kept when the run ends)`,
            );
          }
        },
      },
    });
    const files = readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.test.js'))
      .sort();
    for (const file of files) mocha.addFile(path.join(folder, file));
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => {
        tally.passed = runner.stats?.passes ?? 0;
        tally.failed = runner.stats?.failures ?? 0;
        resolve();
      });
    });
  });
}
