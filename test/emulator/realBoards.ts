import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BoardLogs } from './storage';

/**
 * Real TensorBoard processes behind the board pages: one per running board, started when it turns Running (or at the
 * first page request),
 * bound to 127.0.0.1 on a port of its own choosing, below `--path_prefix /tensorboard/<id>`. Each runs in its own
 * process group, ended when its board stops, at reset and stop, and (synchronously) when this process exits.
 */

export type RealBoardsStatus = { available: true; binary: string } | { available: false; reason: string };

export interface RealBoardProcess {
  tensorboardId: string;
  pid: number;
  /** Undefined until TensorBoard says where it listens. */
  port?: number;
  ready: boolean;
  /** When it was started, and when it first answered (epoch ms, this machine's clock), for the benchmark's split. */
  startedAt: number;
  readyAt?: number;
}

export interface RealBoardsState {
  available: boolean;
  /** Why pages are the placeholder instead. */
  reason?: string;
  binary?: string;
  processes: RealBoardProcess[];
}

/** What a page request finds: a TensorBoard answering on `port`, one still starting, or one that exited. */
export type Upstream = { state: 'ready'; port: number } | { state: 'starting' } | { state: 'failed'; reason: string };

/** Where `npm run setup:tensorboard` installs it, from the source (test/emulator) or compiled (out/test/emulator) folder. */
function defaultBinary(): string {
  const roots = [path.resolve(__dirname, '../..'), path.resolve(__dirname, '../../..')];
  const root = roots.find((candidate) => existsSync(path.join(candidate, 'package.json'))) ?? roots[0];
  return path.join(root, '.vscode-test/tensorboard-venv/bin/tensorboard');
}

const setupHint = 'run `npm run setup:tensorboard`, or set PAI_EMULATOR_TENSORBOARD to a tensorboard executable';

/** `option` false: placeholder pages by choice; a path, else PAI_EMULATOR_TENSORBOARD, else the setup script's venv. */
export function findTensorboard(option: string | false | undefined): RealBoardsStatus {
  if (option === false) return { available: false, reason: 'real TensorBoards are turned off (tensorboard: false)' };
  const binary = option ?? (process.env.PAI_EMULATOR_TENSORBOARD || defaultBinary());
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return { available: false, reason: `no tensorboard executable at ${binary}: ${setupHint}` };
  }
  return { available: true, binary };
}

const servingLine = /TensorBoard \S+ at http:\/\/127\.0\.0\.1:(\d+)\//;
const loadedLine = /TensorBoard done reloading/;
/** Only for a TensorBoard other than the pinned 2.21, which may word its log differently. */
const loadedFallbackMs = 10_000;
const killGraceMs = 3_000;

/** Only what Python needs: none of the emulator's environment (credentials of a parent shell) reaches TensorBoard. */
function childEnvironment(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'SYSTEMROOT'];
  const env: NodeJS.ProcessEnv = { PYTHONUNBUFFERED: '1' };
  for (const name of keep) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

/**
 * What TensorBoard reads, and the folder made for it (removed when it exits). Named sources are mounted side by side
 * under one logdir, each at its name, as a board's pod mounts its data sources: a source whose event files are at its
 * root is then the run named after it (with `--logdir_spec name:folder` TensorBoard calls it "name/.").
 */
function logArguments(logs: BoardLogs): { args: string[]; made?: string } {
  if (logs.kind === 'folder') return { args: ['--logdir', logs.folder] };
  const made = mkdtempSync(path.join(os.tmpdir(), 'pai-emulator-mounts-'));
  const taken = new Set<string>();
  for (const run of logs.runs) {
    const base = run.name.replace(/[/\\]/g, '_').replace(/^\.+$/, '_') || 'source';
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    symlinkSync(run.folder, path.join(made, name), 'dir');
  }
  return { args: ['--logdir', made], made };
}

class BoardProcess {
  port?: number;
  private loadedYet = false;
  readonly startedAt = Date.now();
  readyAt?: number;
  exited?: string;
  private stderrTail = '';
  private readonly exit: Promise<void>;

  constructor(
    readonly tensorboardId: string,
    readonly child: ChildProcess,
  ) {
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('error', (error) => (this.exited = `TensorBoard could not start: ${error.message}`));
    child.once('exit', (code, signal) => {
      const tail = this.stderrTail.trim().split('\n').slice(-5).join('\n');
      this.exited ??= `TensorBoard exited (${signal ?? `code ${code}`})${tail ? `:\n${tail}` : ''}`;
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      // Read until ready, and then only drained: the pipe must never fill up.
      if (this.ready) return;
      this.stderrTail = (this.stderrTail + text).slice(-4000);
      const serving = servingLine.exec(this.stderrTail);
      if (serving && this.port === undefined) {
        this.port = Number(serving[1]);
        setTimeout(() => (this.loaded = true), loadedFallbackMs).unref();
      }
      if (loadedLine.test(this.stderrTail)) this.loaded = true;
    });
  }

  set loaded(value: boolean) {
    this.loadedYet = value;
    if (this.ready) this.readyAt ??= Date.now();
  }

  get loaded(): boolean {
    return this.loadedYet;
  }

  get ready(): boolean {
    return this.port !== undefined && this.loaded && this.exited === undefined;
  }

  upstream(): Upstream {
    if (this.exited !== undefined) return { state: 'failed', reason: this.exited };
    return this.ready ? { state: 'ready', port: this.port! } : { state: 'starting' };
  }

  /** SIGTERM to its group, SIGKILL after a grace period; resolves once it has exited. */
  async end(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null || this.child.pid === undefined) return;
    signalGroup(this.child.pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(this.child.pid!, 'SIGKILL'), killGraceMs);
    await this.exit;
    clearTimeout(timer);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

/** Process groups of every live TensorBoard of this process, killed synchronously on exit. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function killOnExit(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of liveGroups) signalGroup(group, 'SIGKILL');
  });
}

export class RealBoards {
  private readonly processes = new Map<string, BoardProcess>();

  constructor(readonly status: RealBoardsStatus) {}

  /** The board's TensorBoard, started over `logs` if it has none. */
  upstream(tensorboardId: string, displayName: string, logs: BoardLogs): Upstream {
    if (!this.status.available) return { state: 'failed', reason: this.status.reason };
    let board = this.processes.get(tensorboardId);
    if (!board) {
      board = this.spawn(this.status.binary, tensorboardId, displayName, logs);
      this.processes.set(tensorboardId, board);
    }
    return board.upstream();
  }

  /** Ends the TensorBoard of every board that `keep` does not accept (a board no longer Running, or gone). */
  endUnless(keep: (tensorboardId: string) => boolean): Promise<void> {
    const ending = [...this.processes.keys()].filter((id) => !keep(id)).map((id) => this.end(id));
    return Promise.all(ending).then(() => undefined);
  }

  get count(): number {
    return this.processes.size;
  }

  state(): RealBoardsState {
    const processes = [...this.processes.values()].map((board) => ({
      tensorboardId: board.tensorboardId,
      pid: board.child.pid ?? 0,
      port: board.port,
      ready: board.ready,
      startedAt: board.startedAt,
      ...(board.readyAt === undefined ? {} : { readyAt: board.readyAt }),
    }));
    return this.status.available
      ? { available: true, binary: this.status.binary, processes }
      : { available: false, reason: this.status.reason, processes };
  }

  private async end(tensorboardId: string): Promise<void> {
    const board = this.processes.get(tensorboardId);
    if (!board) return;
    this.processes.delete(tensorboardId);
    await board.end();
    if (board.child.pid !== undefined) liveGroups.delete(board.child.pid);
  }

  private spawn(binary: string, tensorboardId: string, displayName: string, logs: BoardLogs): BoardProcess {
    const logArgs = logArguments(logs);
    const args = [
      ...logArgs.args,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--path_prefix',
      `/tensorboard/${tensorboardId}`,
      // The browser tab's title (data/environment), so a visitor can tell boards apart.
      '--window_title',
      displayName,
      // The Python loader, not the data-server binary: one process per board.
      '--load_fast',
      'false',
      // INFO logging carries "TensorBoard done reloading": the first load is done and the runs are all there.
      '--verbosity',
      '0',
    ];
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: childEnvironment() });
    if (child.pid !== undefined) killOnExit(child.pid);
    // The links only: rm does not follow them into the sources.
    if (logArgs.made) child.once('close', () => rmSync(logArgs.made!, { recursive: true, force: true }));
    return new BoardProcess(tensorboardId, child);
  }
}
