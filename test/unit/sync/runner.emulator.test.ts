import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc64 } from '../../../src/sync/crc64';
import { SyncRunner } from '../../../src/sync/executor';
import { LocalFolder } from '../../../src/sync/localFolder';
import { SyncPlanner } from '../../../src/sync/planner';
import { ManualClock, startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import { until } from '../../shared/until';
import { api, createBoard } from '../emulator/helpers';
import { bucket } from '../oss/helpers';
import { leanClient, sampleRecords } from './helpers';

const interval = 10_000;
const prefix = 'tb-sync/exp/';
const eventName = 'events.out.tfevents.1763630000.pai-emulator.1.0';

describe('sync: the runner against the emulated OSS, real files in a temporary folder', function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let clock: ManualClock;
  let logs: string;

  async function start(options: EmulatorOptions = {}): Promise<void> {
    clock = new ManualClock();
    emulator = await startEmulator({ clock, tensorboard: false, ...options });
  }
  beforeEach(() => {
    logs = mkdtempSync(path.join(os.tmpdir(), 'sync-logs-'));
  });
  afterEach(async () => {
    await emulator.stop();
    rmSync(logs, { recursive: true, force: true });
  });

  function runner(): { sync: () => Promise<number>; planner: SyncPlanner } {
    const folder = new LocalFolder(logs);
    const planner = new SyncPlanner(folder, { prefix, intervalMs: interval });
    const run = new SyncRunner(planner, folder, leanClient(emulator, emulator.credentials, 5_000), () => clock.now());
    /** Intervals until a tick sends nothing (bounded): the requests sent. */
    const sync = async (): Promise<number> => {
      let sent = 0;
      for (let round = 0; round < 8; round++) {
        clock.advance(interval);
        const reports = await run.tick();
        if (reports.length === 0) return sent;
        sent += reports.length;
      }
      throw new Error('the sync did not settle in 8 intervals');
    };
    return { sync, planner };
  }

  /** Each local file and its object: byte for byte, and OSS's CRC64 the file's. */
  async function assertMirrored(files: string[]): Promise<void> {
    const client = leanClient(emulator);
    for (const file of files) {
      const local = readFileSync(path.join(logs, file));
      assert.deepEqual(readFileSync(emulator.oss.fileOf(bucket, `${prefix}${file}`)), local, file);
      assert.equal((await client.head(`${prefix}${file}`))?.crc64, crc64(local), file);
    }
  }

  it('mirrors a training run that appends records over time, sending every byte once', async () => {
    await start();
    const { sync, planner } = runner();
    const runs = { run1: sampleRecords('run1'), run2: sampleRecords('run2') };
    for (const run of Object.keys(runs)) mkdirSync(path.join(logs, run));
    for (let batch = 0; batch < 5; batch++) {
      for (const [run, records] of Object.entries(runs)) {
        const slice = records.slice(batch * 11, (batch + 1) * 11);
        if (slice.length > 0) appendFileSync(path.join(logs, run, eventName), Buffer.concat(slice));
      }
      if (batch === 2) {
        mkdirSync(path.join(logs, 'run1', 'plugins', 'profile'), { recursive: true });
        writeFileSync(path.join(logs, 'run1', 'plugins', 'profile', 'host.xplane.pb'), 'profile');
      }
      writeFileSync(path.join(logs, 'notes.txt'), `not TensorBoard's ${batch}`);
      assert.ok((await sync()) > 0);
      await assertMirrored([
        `run1/${eventName}`,
        `run2/${eventName}`,
        ...(batch >= 2 ? ['run1/plugins/profile/host.xplane.pb'] : []),
      ]);
    }
    const appended = emulator.oss.requests.filter((r) => r.operation === 'AppendObject' && r.status === 200);
    const total = ['run1', 'run2']
      .map((run) => readFileSync(path.join(logs, run, eventName)).length)
      .reduce((a, b) => a + b);
    assert.equal(
      appended.reduce((sum, r) => sum + r.bytes, 0),
      total,
      'no byte appended twice',
    );
    assert.ok(!emulator.oss.requests.some((r) => r.key?.includes('notes.txt')));
    assert.deepEqual(planner.status(clock.now()).problems, []);
  });

  for (const kind of ['dropMidBody', 'dropAfterCommit'] as const) {
    it(`recovers from a connection dropped mid-append (${kind}) with no byte lost or duplicated`, async () => {
      await start();
      const { sync } = runner();
      const records = sampleRecords('run3');
      mkdirSync(path.join(logs, 'run3'));
      const file = path.join(logs, 'run3', eventName);
      appendFileSync(file, Buffer.concat(records.slice(0, 20)));
      await sync();
      appendFileSync(file, Buffer.concat(records.slice(20, 35)));
      emulator.oss.injectFault({ kind, operation: 'AppendObject' });
      await sync();
      appendFileSync(file, Buffer.concat(records.slice(35)));
      await sync();
      await assertMirrored([`run3/${eventName}`]);
      const appends = emulator.oss.requests
        .filter((r) => r.operation === 'AppendObject')
        .map((r) => [r.status, r.fault, Number(r.query.position)]);
      const first = records.slice(0, 20).reduce((sum, record) => sum + record.length, 0);
      assert.deepEqual(appends[1], [0, kind, first], 'the dropped append');
      const applied = emulator.oss.requests.filter(
        (r) => r.operation === 'AppendObject' && (r.status === 200 || (kind === 'dropAfterCommit' && r.fault === kind)),
      );
      assert.equal(
        applied.reduce((sum, r) => sum + r.bytes, 0),
        readFileSync(file).length,
        'what OSS applied is the file, once',
      );
    });
  }

  it('shows the synced runs in an emulated board’s real TensorBoard, and their new steps as they arrive', async function () {
    await start({ tensorboardUrlNeedsLogin: false, tensorboard: undefined });
    if (!emulator.realBoards().available)
      throw new Error(`no real TensorBoard: ${emulator.realBoards().reason} (npm run setup:tensorboard)`);
    const { sync } = runner();
    const records = sampleRecords('run1');
    mkdirSync(path.join(logs, 'live'));
    appendFileSync(path.join(logs, 'live', eventName), Buffer.concat(records.slice(0, 21)));
    await sync();
    const id = await createBoard(emulator, {
      JobId: undefined,
      DataSourceType: 'OSS',
      Uri: `oss://${bucket}.oss-cn-hangzhou-internal.aliyuncs.com/${prefix}`,
      SummaryRelativePath: '/',
    });
    clock.advance(emulator.timings().createMs);
    const boardUrl = String((await api(emulator, 'GET', `/api/v1/tensorboards/${id}`)).TensorboardUrl);
    const steps = async (): Promise<number> => {
      const answer = await fetch(`${boardUrl}data/plugin/scalars/scalars?run=live&tag=loss`);
      if (answer.status !== 200) {
        await answer.arrayBuffer();
        return -1;
      }
      return ((await answer.json()) as unknown[]).length;
    };
    // The first record is the file version; then one record per scalar of each step (3 tags): 20 records = some steps.
    await until('the board shows the first synced steps', async () => (await steps()) > 0, 30_000);
    const before = await steps();
    assert.ok(before < 50, String(before));
    appendFileSync(path.join(logs, 'live', eventName), Buffer.concat(records.slice(21)));
    await sync();
    await until(
      'the board shows every step once the rest is synced (TensorBoard reloads every 5 s)',
      async () => (await steps()) === 50,
      30_000,
    );
  });
});
