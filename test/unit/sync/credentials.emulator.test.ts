import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { providerFor, useTestSeams } from '../../../src/account/credentialLibrary';
import { noTestSeams, TEST_METADATA_VARIABLE, testSeams } from '../../../src/base/testSeams';
import { crc64 } from '../../../src/sync/crc64';
import { SyncRunner } from '../../../src/sync/executor';
import { LocalFolder } from '../../../src/sync/localFolder';
import { OssClient } from '../../../src/sync/ossClient';
import { SyncPlanner } from '../../../src/sync/planner';
import { ManualClock, startEmulator, type Emulator } from '../../emulator';
import { bucket } from '../oss/helpers';
import { sampleRecords } from './helpers';

const interval = 10_000;
const prefix = 'sts/';
const eventName = 'events.out.tfevents.1763630000.pai-emulator.1.0';
const minute = 60_000;

/**
 * The instance role's STS credentials, through @alicloud/credentials and the emulator standing in for the metadata
 * service, sign a sync whose credentials run out in the middle. The library judges staleness by Date.now(), so the
 * test moves Date.now() with the emulator's clock: one injected clock for the service, the library and the sync.
 */
describe('sync: STS credentials renewed before they expire, mid-sync', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let clock: ManualClock;
  let logs: string;
  const realNow = Date.now;
  const saved = process.env[TEST_METADATA_VARIABLE];

  beforeEach(async () => {
    clock = new ManualClock(Math.floor(realNow() / 1000) * 1000);
    emulator = await startEmulator({ clock, tensorboard: false, instanceCredentialSeconds: 3600 });
    Date.now = () => clock.now();
    process.env[TEST_METADATA_VARIABLE] = emulator.endpoint;
    useTestSeams(testSeams(true, process.env));
    logs = mkdtempSync(path.join(os.tmpdir(), 'sync-sts-'));
  });
  afterEach(async () => {
    Date.now = realNow;
    useTestSeams(noTestSeams);
    if (saved === undefined) delete process.env[TEST_METADATA_VARIABLE];
    else process.env[TEST_METADATA_VARIABLE] = saved;
    await emulator.stop();
    rmSync(logs, { recursive: true, force: true });
  });

  it('signs the next request with renewed credentials, and no 403 reaches the sync', async () => {
    // As the extension asks the signed-in source: before every request (syncFace.ts).
    const source = providerFor({ kind: 'instanceRole' });
    const client = new OssClient({
      target: { bucket, region: 'cn-hangzhou', endpoint: emulator.oss.endpoint },
      credentials: () => source.getCredentials(),
      now: () => clock.now(),
    });
    const folder = new LocalFolder(logs);
    const planner = new SyncPlanner(folder, { prefix, intervalMs: interval });
    const runner = new SyncRunner(planner, folder, client, () => clock.now());
    const file = path.join(logs, 'run', eventName);
    mkdirSync(path.dirname(file));
    const records = sampleRecords('run1');
    const tick = async (): Promise<string[]> => {
      clock.advance(interval);
      return (await runner.tick()).map(({ outcome }) =>
        outcome.kind === 'failed' || outcome.kind === 'uncertain' ? `${outcome.kind}: ${outcome.reason}` : outcome.kind,
      );
    };
    /** The AccessKey ID whose signature and token the emulated OSS accepted last. */
    const lastKey = () => emulator.oss.requests.at(-1)?.accessKeyId;

    appendFileSync(file, Buffer.concat(records.slice(0, 10)));
    assert.deepEqual([await tick(), await tick()], [['head'], ['append']]);
    const first = emulator.issuedCredentials().at(-1)!;
    assert.equal(first.source, 'metadata');
    assert.equal(lastKey(), first.accessKeyId);

    // 10 minutes before they expire: still valid at the service, but the next request already carries new ones.
    clock.set(first.expiresAt - 10 * minute - interval);
    appendFileSync(file, Buffer.concat(records.slice(10, 20)));
    assert.deepEqual(await tick(), ['append']);
    const second = emulator.issuedCredentials().at(-1)!;
    assert.notEqual(second.accessKeyId, first.accessKeyId);
    assert.ok(second.issuedAt < first.expiresAt, 'renewed before the first ones expired');
    assert.equal(lastKey(), second.accessKeyId);

    // Past the first credentials' expiry: the sync goes on with the renewed ones.
    clock.set(first.expiresAt + minute);
    appendFileSync(file, Buffer.concat(records.slice(20)));
    assert.deepEqual(await tick(), ['append']);
    assert.equal(lastKey(), second.accessKeyId);

    assert.deepEqual(
      emulator.oss.requests.filter((request) => request.status === 403).map((request) => request.code),
      [],
      'no request refused',
    );
    assert.deepEqual(planner.status(clock.now()).problems, []);
    assert.equal((await client.head(`${prefix}run/${eventName}`))?.crc64, crc64(readFileSync(file)));
  });
});
