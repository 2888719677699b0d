// `npm run start:desktop`: installs TensorBoard on first use (for the emulator's real boards; without it, a placeholder
// page), builds, then opens the extension in a desktop VS Code against the local PAI-DLC emulator.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const script of ['setup:tensorboard', 'build', 'compile-tests']) {
  if (spawnSync('npm', ['run', '-s', script], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}
const { main } = createRequire(import.meta.url)(path.join(root, 'out/test/runner/desktop.js'));
process.exit(await main({ root }));
