import assert from 'node:assert/strict';
import { SyncRunner } from '../../../src/sync/executor';
import { SyncPlanner, type PlannerOptions } from '../../../src/sync/planner';
import { FakeFolder, FakeOss } from './fakes';

const interval = 10_000;
const ev = 'run1/events.out.tfevents.1700000000.host.1.0';

class Clock {
  constructor(public ms = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

function setup(options: Partial<PlannerOptions> = {}, oss = new FakeOss()) {
  const clock = new Clock();
  const folder = new FakeFolder(clock);
  const planner = new SyncPlanner(folder, { prefix: 'tb/', intervalMs: interval, ...options });
  const runner = new SyncRunner(planner, folder, oss, () => clock.now(), { partBytes: 100 * 1024 });
  /** One interval later, one tick: the requests it sent. */
  const step = async (ms = interval): Promise<string[]> => {
    clock.advance(ms);
    await runner.tick();
    return oss.take();
  };
  const object = (path: string): string | undefined => oss.objects.get(`tb/${path}`)?.data.toString();
  return { clock, folder, planner, runner, oss, step, object };
}

describe('sync: the planner, on a fake folder and clock', () => {
  it('appends only the new bytes of a growing event file, at most once per interval', async () => {
    const { folder, step, object } = setup();
    folder.write(ev, 'AAAA');
    assert.deepEqual(await step(0), [`head tb/${ev}`], 'first, what OSS holds');
    assert.deepEqual(await step(), [`append tb/${ev} @0 +4`]);
    folder.append(ev, 'BB');
    assert.deepEqual(await step(interval / 2), [], 'not twice in one interval');
    assert.deepEqual(await step(interval / 2), [`append tb/${ev} @4 +2`], 'only the new bytes, at the end');
    assert.deepEqual(await step(), [], 'nothing changed: nothing sent');
    assert.equal(object(ev), 'AAAABB');
  });

  it('catches up a large live event file in appends back to back, then one per interval again', async () => {
    const { folder, step, object, planner, clock } = setup({ maxAppendBytes: 1000 });
    folder.write(ev, Buffer.alloc(2500, 1));
    await step(0);
    assert.deepEqual(await step(), [`append tb/${ev} @0 +1000`]);
    assert.equal(planner.status(clock.now()).catchingUp, true, 'the next tick may come at once');
    assert.deepEqual(await step(0), [`append tb/${ev} @1000 +1000`], 'no interval to wait for');
    assert.deepEqual(await step(0), [`append tb/${ev} @2000 +500`]);
    assert.equal(planner.status(clock.now()).catchingUp, false);
    folder.append(ev, 'BB');
    assert.deepEqual(await step(0), [], 'steady growth waits for the interval');
    assert.deepEqual(await step(), [`append tb/${ev} @2500 +2`]);
    assert.equal(object(ev)?.length, 2502);
  });

  it('uploads a new run: event files appended, a plugin file put once it settles, a big one in parts', async () => {
    const { folder, step, object, oss } = setup({ multipartThresholdBytes: 150 * 1024 });
    folder.write('run2/events.out.tfevents.1', 'E');
    folder.write('run2/plugins/profile/2026_01_01/host.xplane.pb', 'P1');
    folder.write('run2/plugins/projector/big.tsv', Buffer.alloc(250 * 1024, 7));
    assert.equal((await step(0)).length, 3, 'three HEADs');
    folder.write('run2/plugins/profile/2026_01_01/host.xplane.pb', 'P12');
    assert.deepEqual(
      (await step()).sort(),
      [
        'append tb/run2/events.out.tfevents.1 @0 +1',
        'complete tb/run2/plugins/projector/big.tsv',
        'initiate tb/run2/plugins/projector/big.tsv',
        'part tb/run2/plugins/projector/big.tsv #1 102400',
        'part tb/run2/plugins/projector/big.tsv #2 102400',
        'part tb/run2/plugins/projector/big.tsv #3 51200',
      ],
      'not the profile: it is still being written',
    );
    assert.deepEqual(await step(), ['put tb/run2/plugins/profile/2026_01_01/host.xplane.pb 3']);
    assert.equal(object('run2/plugins/profile/2026_01_01/host.xplane.pb'), 'P12');
    assert.equal(oss.objects.get('tb/run2/plugins/projector/big.tsv')?.type, 'Multipart');
    assert.deepEqual(await step(), []);
  });

  it("syncs only TensorBoard's data and the include patterns", async () => {
    const { folder, step } = setup({ include: ['**/hparams.yaml'] });
    for (const path of [
      'notes.txt',
      'run1/checkpoint.pt',
      'run1/hparams.yaml',
      'run1/events.out.tfevents.1',
      'projector_config.pbtxt',
      'run1/plugins/x/y.json',
    ])
      folder.write(path, 'x');
    assert.deepEqual((await step(0)).sort(), [
      'head tb/projector_config.pbtxt',
      'head tb/run1/events.out.tfevents.1',
      'head tb/run1/hparams.yaml',
      'head tb/run1/plugins/x/y.json',
    ]);
  });

  it('replaces a truncated event file: deletes the object, then appends from 0', async () => {
    const { folder, step, object } = setup();
    folder.write(ev, 'AAAAAA');
    await step(0);
    await step();
    folder.write(ev, 'CC');
    assert.deepEqual(await step(), [`delete tb/${ev}`]);
    assert.deepEqual(await step(), [`append tb/${ev} @0 +2`]);
    assert.equal(object(ev), 'CC');
  });

  it('replaces a rewritten event file of the same or a greater size, found by its first bytes', async () => {
    const { folder, step, object } = setup();
    folder.write(ev, 'AAAA');
    await step(0);
    await step();
    folder.write(ev, 'XAAAZZ'); // a restarted writer: different first bytes, longer
    assert.deepEqual(await step(), [`delete tb/${ev}`]);
    assert.deepEqual(await step(), [`append tb/${ev} @0 +6`]);
    folder.write(ev, 'XAAAZY'); // same size, other content
    assert.deepEqual(await step(), [`delete tb/${ev}`]);
    await step();
    assert.equal(object(ev), 'XAAAZY');
  });

  it('resumes after a reload from what HEAD says: appends from the object’s length when its CRC64 is the file’s prefix', async () => {
    const oss = new FakeOss();
    const first = setup({}, oss);
    first.folder.write(ev, 'AAAA');
    await first.step(0);
    await first.step();
    // The window reloads; the file grew meanwhile. A new planner knows nothing.
    const second = setup({}, oss);
    second.folder.write(ev, 'AAAABBB');
    second.folder.write('run1/events.out.tfevents.1600000000.old', 'OLD'); // lexicographically older: a finished file
    oss.objects.set('tb/run1/events.out.tfevents.1600000000.old', { data: Buffer.from('OLX'), type: 'Normal' });
    assert.deepEqual((await second.step(0)).sort(), [
      'head tb/run1/events.out.tfevents.1600000000.old',
      `head tb/${ev}`,
    ]);
    assert.deepEqual(
      (await second.step()).sort(),
      [`append tb/${ev} @4 +3`, 'delete tb/run1/events.out.tfevents.1600000000.old'],
      'never the first 4 bytes again; a different object is replaced',
    );
    assert.equal(second.object(ev), 'AAAABBB');
  });

  it('after a connection dropped mid-append, asks OSS and neither duplicates nor loses a byte', async () => {
    for (const fault of ['dropAfterCommit', 'dropBefore'] as const) {
      const { folder, step, object, oss } = setup();
      folder.write(ev, 'AAAA');
      await step(0);
      oss.arm('append', fault);
      assert.deepEqual(await step(), [`append tb/${ev} @0 +4`]);
      folder.append(ev, 'BB');
      assert.deepEqual(await step(), [`head tb/${ev}`], `${fault}: first what OSS holds`);
      const resent = fault === 'dropAfterCommit' ? `append tb/${ev} @4 +2` : `append tb/${ev} @0 +6`;
      assert.deepEqual(await step(), [resent]);
      assert.equal(object(ev), 'AAAABB', fault);
    }
  });

  it('reconciles a 409 PositionNotEqualToLength through HEAD (someone else appended)', async () => {
    const { folder, step, object, oss } = setup();
    folder.write(ev, 'AAAA');
    await step(0);
    await step();
    oss.objects.set(`tb/${ev}`, { data: Buffer.from('AAAAXX'), type: 'Appendable' });
    folder.append(ev, 'BB');
    assert.deepEqual(await step(), [`append tb/${ev} @4 +2`]);
    assert.deepEqual(await step(), [`head tb/${ev}`]);
    assert.deepEqual(await step(), [`delete tb/${ev}`], 'OSS holds bytes the file does not have');
    await step();
    assert.equal(object(ev), 'AAAABB');
  });

  it('backs off when throttled, doubling, and keeps every pending upload', async () => {
    const { folder, step, object, oss, planner, clock } = setup({ backoffMs: 1_000 });
    folder.write(ev, 'AAAA');
    folder.write('run2/events.out.tfevents.2', 'B');
    await step(0);
    oss.arm('append', 'throttle', 3);
    assert.equal((await step()).length, 2);
    assert.ok(planner.status(clock.now()).backoffUntil !== undefined);
    assert.deepEqual(await step(500), [], 'inside the back-off nothing is sent');
    assert.equal(
      (await step(600)).length,
      2,
      'after 1 s: both pending appends again (one throttled, the other through)',
    );
    assert.deepEqual(await step(1_000), [], 'the back-off doubled to 2 s');
    assert.equal((await step(1_500)).length, 1);
    assert.equal(object(ev), 'AAAA');
    assert.equal(object('run2/events.out.tfevents.2'), 'B');
    assert.equal(planner.status(clock.now()).inSync, 2);
  });

  it('keeps at most maxInFlight requests out, and the rest for later', async () => {
    const { folder, planner, clock } = setup({ maxInFlight: 3 });
    for (let i = 0; i < 7; i++) folder.write(`run${i}/events.out.tfevents.${i}`, 'x');
    const first = await planner.plan(clock.now());
    assert.equal(first.length, 3);
    assert.deepEqual(await planner.plan(clock.now()), [], 'nothing while three are out');
    planner.settle(first[0], { kind: 'head', head: undefined }, clock.now());
    const next = await planner.plan(clock.now());
    assert.equal(next.length, 1);
    assert.notEqual(next[0].path, first[0].path, 'not the same file twice in one interval');
  });

  it('retries a refused request after a back-off and reports it, without the secret', async () => {
    const { folder, step, planner, clock, oss } = setup({ backoffMs: 5_000 });
    folder.write(ev, 'A');
    oss.arm('head', 'forbidden');
    await step(0);
    assert.deepEqual(planner.status(clock.now()).problems, [
      { path: ev, error: 'AccessDenied: You have no right to access this object. (RequestId R)' },
    ]);
    assert.deepEqual(await step(4_000), [], 'inside the back-off');
    assert.deepEqual(await step(6_000), [`head tb/${ev}`]);
    assert.deepEqual(planner.status(clock.now()).problems, []);
  });

  it('reads only a few KiB per interval to check a growing file, not the whole file', async () => {
    const { folder, step } = setup();
    folder.write(ev, Buffer.alloc(1024 * 1024, 1));
    await step(0);
    await step();
    folder.append(ev, 'x');
    folder.reads = 0;
    await step();
    assert.ok(folder.reads <= 6, `${folder.reads} reads`);
  });
});
