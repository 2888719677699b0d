// `npm start`: on Debian and Ubuntu (and CI) installs the test VS Code and TensorBoard on first use, builds, then serves
// the extension in code-server against the local PAI-DLC emulator until Ctrl-C (test/runner/sandbox.ts). Elsewhere
// (macOS, other Linux distributions) it opens an installed desktop VS Code instead (scripts/startDesktop.mjs), or says
// in one line what to install (scripts/startMode.mjs).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseStart } from './startMode.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const start = chooseStart({
  platform: process.platform,
  env: process.env,
  runs: (command) => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0,
});
if (start.mode === 'none') {
  console.error(`[start] ${start.message}`);
  process.exit(1);
}
if (start.mode === 'desktop') {
  console.log(`[start] no apt here: opening the desktop VS Code ${start.code} (npm run start:desktop)`);
  const desktop = spawnSync(process.execPath, [path.join(root, 'scripts', 'startDesktop.mjs')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, VSCODE_BIN: start.code },
  });
  process.exit(desktop.status ?? 1);
}
for (const script of ['setup:vscode', 'setup:tensorboard', 'build', 'compile-tests']) {
  const result = spawnSync('npm', ['run', '-s', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm run ${script} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}
const { main } = createRequire(import.meta.url)(path.join(root, 'out/test/runner/sandbox.js'));
process.exit(await main({ root }));
