// `npm test`: installs TensorBoard and the test VS Code if needed, then runs every suite in turn (unit, integration in a real VS Code, end to end in a browser),
// prints each suite's time and counts, the failed tests again (CI shows a log's tail), and ends with the total
// "N passed, N failed". Exits 1 if any suite fails.
import { spawn, spawnSync } from 'node:child_process';

const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const summaryLine = /^(\d+) passed, (\d+) failed/;

function runSuite(name) {
  return new Promise((resolve) => {
    const started = Date.now();
    let last;
    const failures = failureLines();
    const child = spawn(npm, ['run', '-s', `test:${name}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const take = (line) => {
      failures.read(line);
      const match = summaryLine.exec(line.trim());
      if (match) last = { passed: Number(match[1]), failed: Number(match[2]) };
    };
    let partial = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      lines.forEach(take);
    });
    child.on('close', (code) => {
      take(partial);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const counts = last ?? { passed: 0, failed: 1 };
      const ok = code === 0 && counts.failed === 0 && counts.passed > 0;
      resolve({
        name,
        seconds,
        ...counts,
        failed: ok ? counts.failed : Math.max(counts.failed, 1),
        ok,
        code,
        failures: failures.lines,
      });
    });
  });
}

/**
 * The failures mocha lists after "N failing": each one's number, suite and test titles and its error's first line,
 * without the stack. Kept to be printed again at the end, where a CI log's tail shows them.
 */
function failureLines() {
  const lines = [];
  let listing = false;
  let inFailure = false;
  let taken = 0;
  return {
    lines,
    read(raw) {
      // eslint-disable-next-line no-control-regex -- the terminal's colour codes, which a log shows as text
      const line = raw.replace(/\u001b\[[0-9;]*m/g, '').trimEnd();
      if (/^\s*\d+ failing$/.test(line)) {
        listing = true;
        return;
      }
      if (!listing) return;
      if (/^\s*\d+\) /.test(line)) {
        inFailure = true;
        taken = 0;
      } else if (/^\s+at /.test(line)) inFailure = false;
      if (inFailure && line.trim() && taken++ < 6 && lines.length < 80) lines.push(`  ${line.trim().slice(0, 240)}`);
      // One suite's run can hold several mocha runs (the integration hosts): each lists its own failures.
      if (summaryLine.test(line.trim())) listing = false;
    },
  };
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
const failures = results.flatMap((r) => (r.failures.length ? [`${r.name}:`, ...r.failures] : []));
if (failures.length) console.log(['failed tests:', ...failures].join('\n'));
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
