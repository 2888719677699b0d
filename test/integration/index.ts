import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { summaryLine, SUITE_STARTED } from '../runner/protocol';

/**
 * The standard VS Code test-suite entry, called inside the extension host by code-server (npm run test:integration)
 * or by @vscode/test-electron (npm run test:electron). Runs every *.test.js beside it and ends with the line the
 * runners read, `N passed, N failed`. PAI_TEST_GREP narrows the run.
 */
export function run(): Promise<void> {
  return runSuiteIn(__dirname);
}

/** Runs every *.test.js below `folder` with mocha, in this extension host. */
export function runSuiteIn(folder: string): Promise<void> {
  // forbidOnly: a stray .only fails the run instead of quietly skipping every other test.
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: 20_000,
    grep: process.env.PAI_TEST_GREP,
    forbidOnly: true,
  });
  const files = readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(path.join(folder, file));
  console.log(`${SUITE_STARTED} ${files.length} test files in VS Code ${vscode.version}, ${vscode.env.appHost}`);
  return new Promise((resolve, reject) => {
    const runner = mocha.run(() => {
      const { passes = 0, failures = 0 } = runner.stats ?? {};
      console.log(summaryLine({ passed: passes, failed: failures }));
      if (failures > 0) reject(new Error(`${failures} of ${passes + failures} integration tests failed`));
      // A --grep run may match nothing in one of the suites (the untrusted one, say): that is no failure.
      else if (passes === 0 && !process.env.PAI_TEST_GREP) reject(new Error('no integration test ran'));
      else resolve();
    });
  });
}
