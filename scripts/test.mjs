// `npm test`: installs TensorBoard and the test VS Code if needed, then runs every suite in turn (unit, integration in a real VS Code, end to end in a browser),
// prints each suite's time and counts, and ends with the total "N passed, N failed". Exits 1 if any suite fails.
import { spawn, spawnSync } from 'node:child_process';

const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const summaryLine = /^(\d+) passed, (\d+) failed/;

function runSuite(name) {
  return new Promise((resolve) => {
    const started = Date.now();
    let last;
    const child = spawn(npm, ['run', '-s', `test:${name}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      for (const line of chunk.toString().split('\n')) {
        const match = summaryLine.exec(line.trim());
        if (match) last = { passed: Number(match[1]), failed: Number(match[2]) };
      }
    });
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const counts = last ?? { passed: 0, failed: 1 };
      const ok = code === 0 && counts.failed === 0 && counts.passed > 0;
      resolve({ name, seconds, ...counts, failed: ok ? counts.failed : Math.max(counts.failed, 1), ok, code });
    });
  });
}

// TensorBoard behind the emulator's board pages (every suite, the unit tests of real boards too), and the real VS Code
// and the browser (suites other than unit): installed on first use, seconds when already present.
const setups = ['setup:tensorboard', ...(suites.some((name) => name !== 'unit') ? ['setup:vscode'] : [])];
for (const script of setups) {
  const setup = spawnSync(npm, ['run', '-s', script], { stdio: 'inherit' });
  if (setup.status !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const results = [];
for (const name of suites) {
  console.log(`\n=== ${name} tests ===`);
  results.push(await runSuite(name));
}

console.log('\n=== summary ===');
for (const r of results) {
  console.log(
    `${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(12)} ${r.seconds.padStart(6)} s  ${r.passed} passed, ${r.failed} failed`,
  );
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
