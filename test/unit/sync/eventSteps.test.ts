import assert from 'node:assert/strict';
import { LagWatch, scanRecords, StepScanner, stepOf } from '../../../src/sync/eventSteps';
import { FakeFolder } from './fakes';
import { sampleRecords } from './helpers';

describe('the newest step of event files', () => {
  const records = sampleRecords('run1');
  const file = 'train/events.out.tfevents.1.host';

  it('reads the Event step of each record (the first, file_version, has none)', () => {
    assert.equal(stepOf(records[0]!.subarray(12, records[0]!.length - 4)), undefined);
    const steps = records.slice(1).map((record) => stepOf(record.subarray(12, record.length - 4)));
    assert.deepEqual(
      steps,
      steps.map((_, i) => i),
      'the sample run writes steps 0, 1, 2, …',
    );
  });

  it('stops before a record the writer has not finished', () => {
    const whole = Buffer.concat(records.slice(0, 10));
    const cut = Buffer.concat([whole, records[10]!.subarray(0, 20)]);
    assert.deepEqual(scanRecords(cut), { consumed: whole.length, newest: 8 });
  });

  it('reads each file once: a pass reads only what was appended since, and a rewritten file again', async () => {
    const folder = new FakeFolder({ now: () => 0 });
    const scanner = new StepScanner(folder, 256);
    assert.equal(await scanner.newestStep(), undefined, 'no event file');
    folder.write(file, Buffer.concat([...records.slice(0, 10), records[10]!.subarray(0, 30)]));
    folder.write('train/notes.txt', 'not events');
    assert.equal(await scanner.newestStep(), 8);
    const reads = folder.reads;
    assert.equal(await scanner.newestStep(), 8);
    assert.equal(folder.reads, reads + 1, 'nothing new: only the partial record is read again');
    folder.write(file, Buffer.concat(records));
    assert.equal(await scanner.newestStep(), records.length - 2);
    folder.write(file, Buffer.concat(records.slice(0, 5)));
    assert.equal(await scanner.newestStep(), 3, 'truncated: read again from the start');
    folder.write('eval/events.out.tfevents.2.host', Buffer.concat(records.slice(0, 30)));
    assert.equal(await scanner.newestStep(), 28, 'the newest of all files');
  });

  it('reads a record longer than a chunk whole', async () => {
    const folder = new FakeFolder({ now: () => 0 });
    folder.write(file, Buffer.concat(records.slice(0, 4)));
    assert.equal(await new StepScanner(folder, 16).newestStep(), 2);
  });
});

describe("a board's lag behind its synced folder", () => {
  it('offers a restart only after the board stayed behind for the bound, OSS holding every write', () => {
    const watch = new LagWatch(60_000);
    const at = (now: number, boardStep: number | undefined, localStep: number, inSync = true) =>
      watch.observe({ now, boardStep, localStep, inSync, lastUploadAt: 1_000 });
    assert.deepEqual(at(0, 340, 352), { lastUploadAt: 1_000, boardStep: 340, localStep: 352, offerRestart: false });
    assert.equal(at(59_999, 340, 352).offerRestart, false);
    assert.equal(at(60_000, 340, 352).offerRestart, true);
    assert.equal(at(61_000, 352, 352).offerRestart, false, 'caught up');
    assert.equal(at(62_000, 352, 360).offerRestart, false, 'behind again: the bound starts again');
    assert.equal(at(200_000, 352, 360, false).offerRestart, false, 'the sync has not sent everything yet');
    assert.equal(at(210_000, undefined, 360).offerRestart, false);
    assert.equal(at(270_000, undefined, 360).offerRestart, true, 'a board that shows no step at all');
  });
});
