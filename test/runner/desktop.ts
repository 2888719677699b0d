import { spawn, spawnSync } from 'node:child_process';
import { Run } from './run';
import { cleanEnvironment, prepareRun, testEnvironment, testSettings, writeSettings } from './testHost';

/** The desktop VS Code to start: `VSCODE_BIN`, else `code` on the PATH. */
function desktopCode(): string | undefined {
  const candidate = process.env.VSCODE_BIN || 'code';
  return spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0 ? candidate : undefined;
}

/**
 * `npm run start:desktop`: the emulator, and a desktop VS Code with the extension loaded from this folder
 * (`--extensionDevelopmentPath`), a fresh user-data folder pointed at the emulator, and the sample workspace.
 */
export async function main({ root }: { root: string }): Promise<number> {
  const code = desktopCode();
  if (!code) {
    console.error(
      '[start:desktop] no desktop VS Code found: install it and put `code` on the PATH, or set VSCODE_BIN. `npm start` needs none.',
    );
    return 1;
  }
  const run = new Run('start:desktop');
  const { emulator, userDataDir, workspaceFolder, dir } = await prepareRun(run, root, { realBoards: true });
  writeSettings(userDataDir, testSettings(emulator));
  const editor = spawn(
    code,
    [
      '--new-window',
      '--wait',
      `--extensionDevelopmentPath=${root}`,
      `--user-data-dir=${userDataDir}`,
      `--extensions-dir=${dir('extensions')}`,
      workspaceFolder,
    ],
    { env: { ...cleanEnvironment(), ...testEnvironment(emulator) }, stdio: 'inherit' },
  );
  console.log(
    `[start:desktop] emulator ${emulator.endpoint}; demo key ${emulator.credentials.accessKeyId} in VS Code's environment. Close the window or press Ctrl-C to stop.`,
  );
  const closed = new Promise<void>((resolve) => editor.once('exit', () => resolve()));
  await Promise.race([closed, run.serveUntilStopped()]);
  await run.teardown();
  return 0;
}
