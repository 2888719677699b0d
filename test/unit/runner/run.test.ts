import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { until } from '../../shared/until';

/** Compiled to out/test/unit/runner/: the runner is out/test/runner/run.js. */
const runModule = path.resolve(__dirname, '../../runner/run.js');
/** For a process to start or stop here: seconds at most, bounded for a slow machine. */
const BOUND_MS = 10_000;

describe('test/runner: a long-lived run (npm start)', function () {
  this.timeout(20_000);
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(path.join(os.tmpdir(), 'pai-run-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('ends everything it started when the process that started it is killed, as npm is by a process manager', async () => {
    const ready = path.join(folder, 'ready');
    const ended = path.join(folder, 'ended');
    const script = [
      `const { writeFileSync } = require('node:fs');`,
      `const { Run } = require(${JSON.stringify(runModule)});`,
      `const run = new Run('start');`,
      `run.defer('the emulator', () => writeFileSync(${JSON.stringify(ended)}, 'ended'));`,
      `writeFileSync(${JSON.stringify(ready)}, String(process.pid));`,
      `run.serveUntilStopped(50).then(() => process.exit(0));`,
    ].join('\n');
    const file = path.join(folder, 'start.js');
    writeFileSync(file, script);
    // What npm runs: `sh -c <script>`, the shell staying the script's parent (`; true` keeps it from exec-ing node).
    const shell = spawn('sh', ['-c', `"${process.execPath}" "${file}"; true`], { stdio: 'ignore' });
    await until('the run is serving', () => existsSync(ready), BOUND_MS);
    const server = Number(readFileSync(ready, 'utf8'));
    assert.equal(existsSync(ended), false, 'nothing ended while its parents live');
    shell.kill('SIGKILL');
    await until('the run ended what it started', () => existsSync(ended), BOUND_MS);
    await until('the run exited', () => !alive(server), BOUND_MS);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
