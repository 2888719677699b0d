import { runTests } from '@vscode/test-electron';
import path from 'node:path';
import { parseSummary, type Tally } from './protocol';
import { Run } from './run';
import { LEAKY_VARIABLES, prepareRun, testEnvironment, testSettings, writeSettings } from './testHost';

const TIMEOUT_MS = 10 * 60_000; // includes downloading VS Code the first time

/**
 * Runs the same integration suite in desktop VS Code through @vscode/test-electron, with the same emulator, settings
 * and environment as the code-server runner. Needs the internet (it downloads VS Code into .vscode-test/), so it is
 * for a developer's desktop, not for CI. PAI_VSCODE_VERSION picks the VS Code version (default: stable).
 */
export async function main({ root, grep }: { root: string; grep?: string }): Promise<number> {
  const run = new Run('electron');
  const tally: Tally = { passed: 0, failed: 0 };
  return run.execute(TIMEOUT_MS, tally, async () => {
    const { workspaceFolder, userDataDir, emulator, dir } = await prepareRun(run, root);
    writeSettings(userDataDir, testSettings(emulator));

    // runTests starts VS Code with the runner's environment plus this; undefined removes a variable.
    const env: Record<string, string | undefined> = {};
    for (const key of Object.keys(process.env)) if (LEAKY_VARIABLES.test(key)) env[key] = undefined;
    Object.assign(env, testEnvironment(emulator), grep ? { PAI_TEST_GREP: grep } : {});

    // @vscode/test-electron 2.5 copies VS Code's output to this process's stdout (3.x, which takes a stream, wants
    // Node 22): the summary line is read from what passes through it while the tests run.
    let reported: Tally | undefined;
    let partial = '';
    const write = process.stdout.write.bind(process.stdout);
    const read = (chunk: string | Uint8Array): void => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) reported = parseSummary(line) ?? reported;
    };
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      read(chunk);
      return write(chunk, ...rest);
    }) as typeof process.stdout.write;
    let code: number;
    try {
      code = await runTests({
        version: process.env.PAI_VSCODE_VERSION ?? 'stable',
        extensionDevelopmentPath: root,
        extensionTestsPath: path.join(root, 'out/test/integration/index'),
        extensionTestsEnv: env,
        launchArgs: [
          workspaceFolder,
          '--user-data-dir',
          userDataDir,
          '--extensions-dir',
          dir('extensions'),
          '--disable-extensions',
          '--disable-workspace-trust',
          '--skip-welcome',
          '--skip-release-notes',
          '--disable-telemetry',
        ],
      });
    } catch (error) {
      // runTests rejects when VS Code exits non-zero (a failed test) or cannot be downloaded or started.
      console.error(error instanceof Error ? error.message : String(error));
      code = 1;
    } finally {
      process.stdout.write = write;
    }
    if (reported) Object.assign(tally, reported);
    if (code !== 0 && tally.failed === 0) tally.failed = 1;
  });
}
