import { runSuiteIn } from '../integration/index';

/** The suite that runs in an untrusted workspace (see test/runner/integration.ts); same mocha setup as the main one. */
export function run(): Promise<void> {
  return runSuiteIn(__dirname);
}
