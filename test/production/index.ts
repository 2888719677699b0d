import { runSuiteIn } from '../integration';

/**
 * The suite that runs beside the packaged extension in production mode (see test/runner/production.ts), from an
 * extension of its own; same mocha setup as the main one.
 */
export function run(): Promise<void> {
  return runSuiteIn(__dirname);
}
