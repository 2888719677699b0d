// Entry of `npm run test:integration`, `test:e2e` and `test:electron`: builds the extension, compiles the tests, then
// runs the compiled runner. Plain JavaScript so that it can report a failed build with the closing line CI reads.
// Usage: node test/runner/main.mjs integration|e2e|electron [--grep pattern]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const runners = { integration: 'integration.js', e2e: 'e2e.js', electron: 'electron.js' };
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [mode, ...rest] = process.argv.slice(2);

function fail(message) {
  console.error(message);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

if (!(mode in runners)) fail(`usage: node test/runner/main.mjs ${Object.keys(runners).join('|')} [--grep pattern]`);
if (mode === 'e2e' || mode === 'integration') {
  // test/e2e/vsix.test.ts and the integration run's production suite install the packaged extension: package it when
  // it is missing or older than its sources (a fresh clone has none). Before the build below, which puts the
  // development bundle back in dist/.
  const result = spawnSync(process.execPath, ['scripts/package.mjs', '--if-stale'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail(`node scripts/package.mjs --if-stale failed (exit ${result.status ?? result.signal})`);
}
for (const script of ['build', 'compile-tests']) {
  const started = Date.now();
  const result = spawnSync('npm', ['run', '-s', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail(`npm run ${script} failed (exit ${result.status ?? result.signal})`);
  console.log(`[runner] npm run ${script}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const grepIndex = rest.indexOf('--grep');
const grep = grepIndex >= 0 ? rest[grepIndex + 1] : undefined;
let main;
try {
  ({ main } = createRequire(import.meta.url)(path.join(root, 'out/test/runner', runners[mode])));
} catch (error) {
  fail(`cannot load the ${mode} runner: ${error.stack ?? error}`);
}
process.exit(await main({ root, grep }));
