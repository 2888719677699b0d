// `npm start`: installs the test VS Code and TensorBoard on first use, builds, then serves the extension in code-server against the
// local PAI-DLC emulator until Ctrl-C (test/runner/sandbox.ts).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const script of ['setup:vscode', 'setup:tensorboard', 'build', 'compile-tests']) {
  const result = spawnSync('npm', ['run', '-s', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm run ${script} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}
const { main } = createRequire(import.meta.url)(path.join(root, 'out/test/runner/sandbox.js'));
process.exit(await main({ root }));
