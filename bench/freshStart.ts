// `npm start` on a fresh clone, the way a new contributor meets the project: `git clone`, `npm ci`, `npm start`
// until it prints the URL to open; then `npm start` again in the same clone. Linux only (reads /proc).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Run } from '../test/runner/run';
import { cleanEnvironment } from '../test/runner/testHost';
import type { Row } from './table';

/** How often the clone's processes are looked at, to tell the phases of `npm start` apart. */
const SCAN_MS = 100;
const FIRST_START_MS = 10 * 60_000;
const SECOND_START_MS = 3 * 60_000;

/** The phases of one `npm start`, in ms from the command. */
interface Start {
  /** setup:vscode and setup:tensorboard: until `node esbuild.mjs` (npm run build) first runs. */
  readonly setupMs: number;
  /** npm run build and npm run compile-tests: until the last `tsc -p tsconfig.test.json` has ended. */
  readonly buildMs: number;
  /** The sandbox (test/runner/sandbox.ts): emulator and code-server, until the `Open:` line. */
  readonly startMs: number;
  readonly totalMs: number;
}

const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;

/** The processes whose working folder is `cwd`, with their command lines. */
function processesIn(cwd: string): Array<{ pid: number; argv: string[] }> {
  const found: Array<{ pid: number; argv: string[] }> = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) === cwd)
        found.push({ pid: Number(pid), argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0') });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function run(command: string, args: string[], cwd: string): number {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, env: cleanEnvironment(), encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
    );
  return Date.now() - started;
}

/**
 * `npm start` in its own process group, its output to `logFile`, until it prints `Open: <url>`; then it is stopped
 * as with Ctrl-C (`stopStart`). The phases are told
 * apart by the clone's processes, looked at every 100 ms: the build starts when `esbuild.mjs` first runs and ends
 * when the last `tsconfig.test.json` compile has gone.
 */
async function timedStart(clone: string, logFile: string, timeoutMs: number): Promise<Start> {
  const started = Date.now();
  const child = spawn('npm', ['start'], {
    cwd: clone,
    env: cleanEnvironment(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forget = Run.killOnExit(child.pid!);
  const log = createWriteStream(logFile);
  let buildStarted: number | undefined;
  let buildEnded: number | undefined;
  const scanner = setInterval(() => {
    const commands = processesIn(clone).map((p) => p.argv.join(' '));
    if (buildStarted === undefined && commands.some((c) => c.includes('esbuild.mjs'))) buildStarted = Date.now();
    if (commands.some((c) => c.includes('tsconfig.test.json'))) buildEnded = Date.now();
  }, SCAN_MS);
  try {
    const openedAt = await new Promise<number>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new Error(`npm start printed no Open: line within ${timeoutMs / 1000} s (log: ${logFile})`)),
        timeoutMs,
      );
      const watch = (chunk: Buffer) => {
        log.write(chunk);
        output += chunk.toString();
        if (/^\s*Open:\s+http\S+/m.test(output)) {
          clearTimeout(timer);
          resolve(Date.now());
        }
      };
      child.stdout!.on('data', watch);
      child.stderr!.on('data', watch);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (${code ?? signal}) before printing its URL (log: ${logFile})`));
      });
    });
    if (buildStarted === undefined || buildEnded === undefined)
      throw new Error(`npm start's build was not seen running (log: ${logFile})`);
    return {
      setupMs: buildStarted - started,
      buildMs: buildEnded - buildStarted,
      startMs: openedAt - buildEnded,
      totalMs: openedAt - started,
    };
  } finally {
    clearInterval(scanner);
    await stopStart(clone, child.pid!);
    forget();
    log.end();
  }
}

/**
 * Ctrl-C as the sandbox expects it: one SIGINT to the `node scripts/start.mjs` process, which ends its emulator and
 * code-server (in a group of its own) and exits, and npm with it. Not to the whole group: npm passes a signal on to
 * its child, and the sandbox handles only the first (a second one ends it before its teardown, leaving code-server
 * running). It registers its handler just after printing the URL, hence the second's wait. The group is SIGKILLed
 * if it is still there after 30 s.
 */
async function stopStart(clone: string, pgid: number): Promise<void> {
  const alive = (signal: NodeJS.Signals | 0 = 0): boolean => {
    try {
      process.kill(-pgid, signal);
      return true;
    } catch {
      return false;
    }
  };
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const sandbox = processesIn(clone).find(
    (p) => /(^|\/)node$/.test(p.argv[0] ?? '') && p.argv[1] === 'scripts/start.mjs',
  );
  if (sandbox) process.kill(sandbox.pid, 'SIGINT');
  else alive('SIGTERM');
  const deadline = Date.now() + 30_000;
  while (alive()) {
    if (Date.now() > deadline) {
      alive('SIGKILL');
      throw new Error('npm start did not end within 30 s of its SIGINT: killed, its code-server may be left running');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // The sandbox's code-server runs from the clone's .vscode-test, in a group of its own: it must be gone too.
  const left = readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${clone}/`);
    } catch {
      return false;
    }
  });
  for (const pid of left) process.kill(Number(pid), 'SIGKILL');
  if (left.length)
    throw new Error(`npm start left ${left.length} process(es) of the clone running after its teardown: killed`);
}

/**
 * A `git clone` of this repository (its committed HEAD) into a temporary folder, `npm ci`, `npm start` until its URL,
 * then `npm start` again. The npm cache (and pip's) is this machine's, warm: the figures leave out downloads.
 */
export async function measureFreshStart(root: string, resultsDir: string): Promise<Row[]> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'pai-bench-clone-'));
  try {
    const clone = path.join(folder, 'repo');
    run('git', ['clone', '--quiet', root, clone], folder);
    const ciMs = run('npm', ['ci', '--no-audit', '--no-fund'], clone);
    const first = await timedStart(clone, path.join(resultsDir, 'npm-start-1.log'), FIRST_START_MS);
    const second = await timedStart(clone, path.join(resultsDir, 'npm-start-2.log'), SECOND_START_MS);
    for (const [name, start] of [
      ['first', first],
      ['second', second],
    ] as const) {
      console.log(
        `[bench] ${name} npm start: ${seconds(start.totalMs)} = setup ${seconds(start.setupMs)} + build ${seconds(start.buildMs)} + start ${seconds(start.startMs)}`,
      );
    }
    return [
      {
        figure: 'first npm start on a fresh clone: npm ci, then npm start → URL (npm cache warm)',
        measured:
          `${seconds(ciMs + first.totalMs)} = install ${seconds(ciMs + first.setupMs)} (npm ci ${seconds(ciMs)} + setup scripts ${seconds(first.setupMs)})` +
          ` + build ${seconds(first.buildMs)} + start ${seconds(first.startMs)}`,
        target: '—',
        ok: null,
      },
      {
        figure: 'second npm start, same clone: npm start → URL',
        measured: `${seconds(second.totalMs)} = install (setup checks) ${seconds(second.setupMs)} + build ${seconds(second.buildMs)} + start ${seconds(second.startMs)}`,
        target: '≤ 20 s',
        ok: second.totalMs <= 20_000,
      },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
