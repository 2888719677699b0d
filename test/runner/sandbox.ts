import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Run } from './run';
import { startTestHost, WORKSPACE_LOGS_URI } from './testHost';

/**
 * The sample workspace's log folder is this emulator bucket folder, so "Create PAI TensorBoard for this Folder" shows
 * its real event files.
 */
const SAMPLE_MAPPING = { local: '${workspaceFolder}/logs', remote: WORKSPACE_LOGS_URI };

/**
 * `npm start`: the emulator and a real VS Code (code-server) with the extension loaded from this folder, pointed at
 * the emulator, with the emulator's demo key in the environment ("PAI: Sign In" › "Use environment variables") and a
 * sample workspace. Serves until Ctrl-C, then ends everything it started.
 */
export async function main({ root }: { root: string }): Promise<number> {
  const run = new Run('start');
  try {
    const host = await startTestHost(run, root, {}, { realBoards: true });
    mkdirSync(path.join(host.workspaceFolder, '.vscode'), { recursive: true });
    writeFileSync(
      path.join(host.workspaceFolder, '.vscode', 'settings.json'),
      `${JSON.stringify({ 'paiTensorboard.pathMappings': [SAMPLE_MAPPING] }, null, 2)}\n`,
    );
    const url = host.workbenchUrl([['extensionDevelopmentPath', host.remoteUri(root)]]);
    const { emulator } = host;
    const boards = emulator.realBoards();
    const pages = boards.available
      ? 'real TensorBoards (started when a board turns Running, or at the first visit of a seeded one)'
      : `placeholder pages: ${boards.reason}, then restart`;
    console.log(
      [
        '',
        'PAI TensorBoard is running against the local PAI-DLC emulator.',
        '',
        `  Open:       ${url}`,
        `  Emulator:   ${emulator.endpoint} (region ${emulator.regionId}, workspace ${emulator.workspaceId})`,
        `  Demo key:   ${emulator.credentials.accessKeyId} (in the environment: PAI: Sign In › Use environment variables)`,
        `  Boards:     ${pages}`,
        '',
        'Then: the PAI TensorBoards view in the activity bar, or right-click logs/run1 › Create PAI TensorBoard for this Folder.',
        'Ctrl-C stops the emulator and VS Code.',
        '',
      ].join('\n'),
    );
    await run.serveUntilStopped();
    return 0;
  } catch (error) {
    console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
    await run.teardown();
    return 1;
  }
}
