// The log folder sync's rows (issue #19): measured outside VS Code, against the sync engine (src/sync: planner,
// runner, manager, the lean OSS client) and the emulator's OSS and real TensorBoard, in this process, except the
// memory row, whose engine runs in a child process of its own (syncWorker.ts) so that the emulator's buffers are
// not counted.
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, truncateSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { realTimer } from '../src/boards/timer';
import { SyncRunner } from '../src/sync/executor';
import { LocalFolder, watchFolder } from '../src/sync/localFolder';
import { OssClient } from '../src/sync/ossClient';
import { SyncPlanner } from '../src/sync/planner';
import { SyncManager } from '../src/sync/syncManager';
import { startEmulator, type Emulator } from '../test/emulator';
import { aliOss } from '../test/unit/oss/helpers';
import { api, createBoard } from '../test/unit/emulator/helpers';
import { sampleRecords } from '../test/unit/sync/helpers';
import { median, MiB, ms, spread, type Row } from './table';

const GiB = 1024 * MiB;

export interface SyncBenchOptions {
  /** Write → visible samples. */
  lagSamples: number;
  /** How long a run writes a step every second, and how long it then stays idle. */
  writeSeconds: number;
  idleSeconds: number;
  /** Bytes of event files for the throughput rows (`--sync-size`, default 1 GiB). */
  throughputBytes: number;
  /** The file of the memory row (default 2 GiB). */
  memoryBytes: number;
  /** `--sync-parts=lag,rate,upload,memory`: only these (default all). */
  parts?: readonly string[];
}

/** The sync rows' samples for the bench's mode; `--sync-size=<MiB>` sets the first upload (the memory row: twice it). */
export function syncBenchOptions(
  mode: 'full' | 'quick' | 'smoke',
  argv: readonly string[],
): SyncBenchOptions & { only: boolean } {
  const base = {
    full: { lagSamples: 5, writeSeconds: 60, idleSeconds: 30, throughputBytes: GiB, memoryBytes: 2 * GiB },
    quick: { lagSamples: 2, writeSeconds: 20, idleSeconds: 10, throughputBytes: 256 * MiB, memoryBytes: 512 * MiB },
    smoke: { lagSamples: 1, writeSeconds: 5, idleSeconds: 2, throughputBytes: 8 * MiB, memoryBytes: 16 * MiB },
  }[mode];
  const size = argv.find((arg) => arg.startsWith('--sync-size='))?.slice('--sync-size='.length);
  if (size !== undefined && !/^\d+$/.test(size)) throw new Error(`--sync-size takes MiB: ${size}`);
  const sized = size === undefined ? {} : { throughputBytes: Number(size) * MiB, memoryBytes: 2 * Number(size) * MiB };
  const parts = argv.find((arg) => arg.startsWith('--sync-parts='))?.slice('--sync-parts='.length);
  return { ...base, ...sized, ...(parts ? { parts: parts.split(',') } : {}), only: argv.includes('--sync-only') };
}

/** The extension's default `paiTensorboard.sync.intervalSeconds`. */
const intervalMs = 5_000;
const bucket = 'pai-emulator-demo';

function client(emulator: Emulator): OssClient {
  return new OssClient({
    target: { bucket, region: 'cn-hangzhou', endpoint: emulator.oss.endpoint },
    credentials: () => Promise.resolve(emulator.credentials),
    // The emulator shares this process: while it hashes a 32 MiB body, a loopback connect waits for it.
    connectTimeoutMs: 60_000,
    readTimeoutMs: 120_000,
  });
}

/** A running sync as the extension runs one (syncFace.ts's engine), on the real timer. */
function startSync(emulator: Emulator, folder: string, prefix: string): SyncManager {
  const local = new LocalFolder(folder);
  const manager = new SyncManager({
    timer: realTimer,
    now: Date.now,
    intervalMs: () => intervalMs,
    engineFor: (spec) => {
      const planner = new SyncPlanner(local, { prefix: spec.prefix, intervalMs });
      const runner = new SyncRunner(planner, local, client(emulator), Date.now);
      return { tick: () => runner.tick(), status: (now) => planner.status(now) };
    },
    folderExists: () => Promise.resolve(true),
    save: () => undefined,
    watch: watchFolder,
  });
  manager.start({ id: 'bench', folder, bucket, region: 'cn-hangzhou', prefix });
  return manager;
}

const sleep = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, boundMs: number, everyMs = 20) {
  const until = Date.now() + boundMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`${what}: not within ${boundMs} ms`);
    await sleep(everyMs);
  }
}

/** Sizes in OSS, read from the emulator's storage folder (no request is counted). */
function objectSize(emulator: Emulator, key: string): number {
  try {
    return require('node:fs').statSync(emulator.oss.fileOf(bucket, key)).size as number;
  } catch {
    return -1;
  }
}

/**
 * Write → step visible: a step's records appended to a live event file at a random phase of the sync's interval;
 * the sync's share ends when OSS holds the bytes, TensorBoard's share when its scalars API lists the step.
 */
async function measureLag(samples: number): Promise<Row[]> {
  const emulator = await startEmulator({ tensorboardUrlNeedsLogin: false, timings: { createMs: 500 } });
  const logs = mkdtempSync(path.join(os.tmpdir(), 'bench-sync-lag-'));
  try {
    if (!emulator.realBoards().available) throw new Error(`no real TensorBoard: ${emulator.realBoards().reason}`);
    const prefix = 'bench/lag/';
    const event = path.join(logs, 'live', 'events.out.tfevents.1763630000.bench.1.0');
    mkdirSync(path.dirname(event));
    const records = sampleRecords('run1');
    // The file version, then 3 records (loss, accuracy, learning rate) per step.
    let written = 1 + 3 * 2;
    appendFileSync(event, Buffer.concat(records.slice(0, written)));
    const manager = startSync(emulator, logs, prefix);
    const key = `${prefix}live/${path.basename(event)}`;
    const size = () => require('node:fs').statSync(event).size as number;
    await waitFor(
      'the first steps in OSS',
      async () => (objectSize(emulator, key) === size() ? true : undefined),
      60_000,
    );
    const id = await createBoard(emulator, {
      JobId: undefined,
      DataSourceType: 'OSS',
      Uri: `oss://${bucket}.oss-cn-hangzhou-internal.aliyuncs.com/${prefix}`,
      SummaryRelativePath: '/',
    });
    const url = await waitFor(
      'the board running',
      async () => {
        const board = await api(emulator, 'GET', `/api/v1/tensorboards/${id}`);
        return board.Status === 'Running' && board.TensorboardUrl ? String(board.TensorboardUrl) : undefined;
      },
      60_000,
      200,
    );
    const steps = async (): Promise<number> => {
      const answer = await fetch(`${url}data/plugin/scalars/scalars?run=live&tag=loss`).catch(() => undefined);
      if (!answer || answer.status !== 200) {
        await answer?.arrayBuffer();
        return -1;
      }
      return ((await answer.json()) as unknown[]).length;
    };
    await waitFor(
      'the board showing the first steps',
      async () => ((await steps()) > 0 ? true : undefined),
      90_000,
      200,
    );
    const syncShare: number[] = [];
    const boardShare: number[] = [];
    for (let sample = 0; sample < samples && written + 3 <= records.length; sample++) {
      // A random phase of the interval: the sync's tick does not know when training writes.
      await sleep(intervalMs + Math.random() * intervalMs);
      const before = await steps();
      appendFileSync(event, Buffer.concat(records.slice(written, written + 3)));
      written += 3;
      const wroteAt = Date.now();
      const length = size();
      await waitFor('the step in OSS', async () => (objectSize(emulator, key) >= length ? true : undefined), 60_000, 5);
      const inOssAt = Date.now();
      await waitFor('the step in the board', async () => ((await steps()) > before ? true : undefined), 60_000, 50);
      syncShare.push(inOssAt - wroteAt);
      boardShare.push(Date.now() - inOssAt);
    }
    manager.dispose();
    return [
      {
        figure: 'sync lag: write → in OSS (the sync’s share)',
        measured: `${spread(syncShare)}; interval ${intervalMs / 1000} s (default), writes at random phases`,
        target: '≤ 1 s (median)',
        ok: median(syncShare) <= 1_000,
      },
      {
        figure: 'sync lag: in OSS → step in the board’s data API (TensorBoard’s share)',
        measured: `${spread(boardShare)}; TensorBoard’s reload_interval 5 s (its default)`,
        target: '',
        ok: null,
      },
    ];
  } finally {
    await emulator.stop();
    rmSync(logs, { recursive: true, force: true });
  }
}

/** OSS requests while a run writes a step every second, then while it is idle. */
async function measureRequests(writeSeconds: number, idleSeconds: number): Promise<Row[]> {
  const emulator = await startEmulator({ tensorboard: false });
  const logs = mkdtempSync(path.join(os.tmpdir(), 'bench-sync-rate-'));
  try {
    const event = path.join(logs, 'run', 'events.out.tfevents.1763630000.bench.1.0');
    mkdirSync(path.dirname(event));
    const records = sampleRecords('run1');
    appendFileSync(event, records[0]);
    const manager = startSync(emulator, logs, 'bench/rate/');
    await waitFor('the file in OSS', async () => (manager.get('bench')?.caughtUp ? true : undefined), 30_000);
    const start = emulator.oss.requests.length;
    const started = Date.now();
    for (let second = 0; second < writeSeconds; second++) {
      const at = 1 + ((3 * second) % (records.length - 1));
      appendFileSync(event, Buffer.concat(records.slice(at, Math.min(records.length, at + 3))));
      await sleep(started + (second + 1) * 1000 - Date.now());
    }
    const writing = emulator.oss.requests.length - start;
    const perMinute = (writing / ((Date.now() - started) / 60_000)).toFixed(1);
    // The last write's append goes within one interval; then nothing changes.
    await sleep(intervalMs + 1_000);
    const idleStart = emulator.oss.requests.length;
    await sleep(idleSeconds * 1000);
    const idle = emulator.oss.requests.length - idleStart;
    manager.dispose();
    const limit = 60 / (intervalMs / 1000);
    return [
      {
        figure: 'OSS requests per minute, one file, a step every second',
        measured: `${perMinute}/min (${writing} in ${writeSeconds} s; interval ${intervalMs / 1000} s)`,
        target: `≤ ${limit}/min per file`,
        ok: Number(perMinute) <= limit,
      },
      {
        figure: 'OSS requests while idle',
        measured: `${idle} in ${idleSeconds} s`,
        target: '0',
        ok: idle === 0,
      },
    ];
  } finally {
    await emulator.stop();
    rmSync(logs, { recursive: true, force: true });
  }
}

/** A file of `size` bytes: random 1 MiB blocks every 4 MiB, holes between (written fast, read back as bytes). */
function eventFile(file: string, size: number): void {
  closeSync(openSync(file, 'w'));
  truncateSync(file, size);
  const handle = openSync(file, 'r+');
  try {
    const block = randomBytes(MiB);
    for (let at = 0; at < size; at += 4 * MiB) writeSync(handle, block, 0, Math.min(MiB, size - at), at);
  } finally {
    closeSync(handle);
  }
}

/**
 * First upload of `total` bytes of event files: 4 runs of 2 files each (the older one whole, in parts; the newer,
 * still being written, in appends), by the sync's engine with its ticks back to back (the interval's wait is the
 * lag row's), then by ali-oss 6.23.0's multipartUpload of the same files (its defaults, one file after another),
 * on the same emulator.
 */
async function measureThroughput(total: number): Promise<Row[]> {
  const emulator = await startEmulator({ tensorboard: false });
  const logs = mkdtempSync(path.join(os.tmpdir(), 'bench-sync-put-'));
  try {
    const files: string[] = [];
    const each = Math.max(1, Math.floor(total / 8));
    for (let run = 0; run < 4; run++) {
      mkdirSync(path.join(logs, `run${run}`));
      for (const stamp of [1763630000, 1763630001]) {
        const file = path.join(logs, `run${run}`, `events.out.tfevents.${stamp}.bench.1.0`);
        eventFile(file, each);
        files.push(file);
      }
    }
    const bytes = each * files.length;
    const local = new LocalFolder(logs);
    // The planner's interval only spaces the requests of one file; ticks follow each other at once.
    const planner = new SyncPlanner(local, { prefix: 'bench/ours/', intervalMs: 1, settleMs: 0 });
    const runner = new SyncRunner(planner, local, client(emulator), Date.now);
    const ours = Date.now();
    // A request without an answer is the engine's to recover (HEAD, then the rest): counted, and its time is in.
    let uncertain = 0;
    for (let tick = 0; ; tick++) {
      const reports = await runner.tick();
      const bad = reports.find(({ outcome }) => outcome.kind === 'failed');
      if (bad) throw new Error(`the sync failed: ${JSON.stringify(bad.outcome)}`);
      uncertain += reports.filter(({ outcome }) => outcome.kind === 'uncertain').length;
      if (reports.length === 0 && planner.status(Date.now()).inSync === files.length) break;
      if (tick > 10_000) throw new Error('the sync did not finish');
      if (reports.length === 0) await sleep(1);
    }
    const oursMs = Date.now() - ours;
    const ali = aliOss(emulator);
    const theirs = Date.now();
    for (const file of files) await ali.multipartUpload(`bench/ali/${path.relative(logs, file)}`, file, {});
    const theirsMs = Date.now() - theirs;
    const rate = (ms: number) => bytes / MiB / (ms / 1000);
    const ratio = rate(oursMs) / rate(theirsMs);
    return [
      {
        figure: `first upload of ${(bytes / MiB).toFixed(0)} MiB of event files (8 files), vs ali-oss multipartUpload`,
        measured: `sync ${rate(oursMs).toFixed(1)} MiB/s (${ms(oursMs)}${uncertain ? `, ${uncertain} requests re-sent` : ''}), ali-oss ${rate(theirsMs).toFixed(1)} MiB/s (${ms(theirsMs)}): ${ratio.toFixed(2)}×`,
        target: '≥ 0.9×',
        ok: ratio >= 0.9,
      },
    ];
  } finally {
    await emulator.stop();
    rmSync(logs, { recursive: true, force: true });
  }
}

/** The engine's process memory (RSS and heap) while it syncs one file of `size` bytes, in a child process. */
async function measureMemory(size: number): Promise<Row[]> {
  const emulator = await startEmulator({ tensorboard: false });
  const logs = mkdtempSync(path.join(os.tmpdir(), 'bench-sync-mem-'));
  try {
    mkdirSync(path.join(logs, 'run'));
    eventFile(path.join(logs, 'run', 'events.out.tfevents.1763630000.bench.1.0'), size);
    const worker = path.join(__dirname, 'syncWorker.js');
    const input = JSON.stringify({ folder: logs, endpoint: emulator.oss.endpoint, credentials: emulator.credentials });
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--expose-gc', worker, input], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`the sync worker exited ${code}`))));
    });
    const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as {
      baselineRss: number;
      peakRss: number;
      baselineHeap: number;
      peakHeap: number;
      ms: number;
      uploaded: number;
    };
    if (result.uploaded !== size) throw new Error(`the worker uploaded ${result.uploaded} of ${size} bytes`);
    const growth = result.peakRss - result.baselineRss;
    return [
      {
        figure: `sync engine process memory while syncing a ${(size / GiB).toFixed(size >= GiB ? 0 : 3)} GiB file`,
        measured: `RSS +${(growth / MiB).toFixed(1)} MiB (${(result.baselineRss / MiB).toFixed(0)} → ${(result.peakRss / MiB).toFixed(0)} MiB), heap peak +${((result.peakHeap - result.baselineHeap) / MiB).toFixed(1)} MiB, ${ms(result.ms)}`,
        target: '≤ 64 MiB growth',
        ok: growth <= 64 * MiB,
      },
    ];
  } finally {
    await emulator.stop();
    rmSync(logs, { recursive: true, force: true });
  }
}

export async function measureSync(
  options: SyncBenchOptions,
  part: (name: string, measure: () => Promise<Row[]>) => Promise<void>,
): Promise<void> {
  const chosen = (name: string) => options.parts === undefined || options.parts.includes(name);
  if (chosen('lag')) await part('sync: lag from a write to the board', () => measureLag(options.lagSamples));
  if (chosen('rate'))
    await part('sync: OSS requests per minute and idle', () =>
      measureRequests(options.writeSeconds, options.idleSeconds),
    );
  if (chosen('upload')) await part('sync: first-upload throughput', () => measureThroughput(options.throughputBytes));
  if (chosen('memory')) await part('sync: engine memory', () => measureMemory(options.memoryBytes));
}
