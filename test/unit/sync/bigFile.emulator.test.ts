import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, truncateSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc64 } from '../../../src/sync/crc64';
import { SyncRunner } from '../../../src/sync/executor';
import { LocalFolder } from '../../../src/sync/localFolder';
import { SyncPlanner, type FolderView } from '../../../src/sync/planner';
import { ManualClock, startEmulator, type Emulator } from '../../emulator';
import { bucket } from '../oss/helpers';
import { leanClient } from './helpers';

const MiB = 1024 * 1024;
const interval = 10_000;
const prefix = 'big/';

/** The CRC64 of a file, read 4 MiB at a time (the test holds no whole file either). */
function crcOfFile(file: string): bigint {
  const handle = openSync(file, 'r');
  const buffer = Buffer.alloc(4 * MiB);
  let crc = 0n;
  try {
    for (let at = 0; ;) {
      const read = readSync(handle, buffer, 0, buffer.length, at);
      if (read === 0) return crc;
      crc = crc64(buffer.subarray(0, read), crc);
      at += read;
    }
  } finally {
    closeSync(handle);
  }
}

/** A sparse file of `size` bytes with random 64 KiB islands, so its CRC64 depends on where every byte lands. */
function sparseFile(file: string, size: number): void {
  closeSync(openSync(file, 'w'));
  truncateSync(file, size);
  const handle = openSync(file, 'r+');
  try {
    for (let at = 0; at < size; at += 5 * MiB + 12_345) writeSync(handle, randomBytes(64 * 1024), 0, 64 * 1024, at);
  } finally {
    closeSync(handle);
  }
}

describe('sync: big files go up with bounded buffers, against the emulated OSS', function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let clock: ManualClock;
  let logs: string;

  beforeEach(async () => {
    logs = mkdtempSync(path.join(os.tmpdir(), 'sync-big-'));
    clock = new ManualClock();
    emulator = await startEmulator({ clock, tensorboard: false });
  });
  afterEach(async () => {
    await emulator.stop();
    rmSync(logs, { recursive: true, force: true });
  });

  it('streams a multipart upload and a put from disk, a few MiB held whatever the size, each object the file', async () => {
    mkdirSync(path.join(logs, 'run', 'plugins', 'profile'), { recursive: true });
    // An event file its writer has left (a newer one follows): multipart. The newer one: appended. A profile: put.
    const big = path.join(logs, 'run', 'events.out.tfevents.1763630000.host.1.0');
    const live = path.join(logs, 'run', 'events.out.tfevents.1763630001.host.1.0');
    const profile = path.join(logs, 'run', 'plugins', 'profile', 'host.xplane.pb');
    sparseFile(big, 40 * MiB + 777);
    sparseFile(live, 3 * MiB + 5);
    sparseFile(profile, 3 * MiB + 3);
    const local = new LocalFolder(logs);
    // Bytes read from disk that OSS has not received yet: what the sync holds (plus the sockets' buffers).
    let read = 0;
    let largestRead = 0;
    let held = 0;
    const counted: FolderView = {
      list: () => local.list(),
      read: async (file, start, end) => {
        const bytes = await local.read(file, start, end);
        read += bytes.length;
        largestRead = Math.max(largestRead, bytes.length);
        held = Math.max(held, read - emulator.oss.bodyBytesReceived);
        return bytes;
      },
    };
    // Small parts and slices keep the test quick on a busy machine; the file is still many times what is held.
    const planner = new SyncPlanner(counted, { prefix, intervalMs: interval, multipartThresholdBytes: 4 * MiB });
    const runner = new SyncRunner(
      planner,
      counted,
      leanClient(emulator, emulator.credentials, 60_000),
      () => clock.now(),
      { partBytes: 2 * MiB, partsInFlight: 4, readChunkBytes: 256 * 1024 },
    );
    for (let round = 0; round < 4; round++) {
      clock.advance(interval);
      const reports = await runner.tick();
      assert.deepEqual(
        reports.map(({ outcome }) => outcome.kind).filter((kind) => !['uploaded', 'append', 'head'].includes(kind)),
        [],
        JSON.stringify(
          reports.map(({ outcome }) => outcome),
          (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value),
        ),
      );
      if (reports.length === 0) break;
    }
    const operations = emulator.oss.requests.map((request) => request.operation);
    const count = (name: string) => operations.filter((operation) => operation === name).length;
    assert.deepEqual(
      [count('UploadPart'), count('PutObject'), count('AppendObject')],
      [21, 1, 1],
      operations.join(' '),
    );
    const client = leanClient(emulator);
    for (const file of [big, live, profile]) {
      const key = `${prefix}${path.relative(logs, file)}`;
      assert.equal(crcOfFile(emulator.oss.fileOf(bucket, key)), crcOfFile(file), key);
      assert.equal((await client.head(key))?.crc64, crcOfFile(file), key);
    }
    assert.ok(largestRead <= 256 * 1024, `largest read ${largestRead}`);
    assert.ok(held <= 4 * MiB, `${(held / MiB).toFixed(1)} MiB read and not yet received by OSS`);
  });
});
