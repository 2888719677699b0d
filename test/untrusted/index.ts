import { runSuiteIn } from '../integration';

/** The suite that runs in an untrusted workspace (see test/runner/integration.ts); same mocha setup as the main one. */
export function run(): Promise<void> {
  return runSuiteIn(__dirname);
}
