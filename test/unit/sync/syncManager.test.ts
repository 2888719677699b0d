import assert from 'node:assert/strict';
import { SyncRunner } from '../../../src/sync/executor';
import { SyncPlanner, type PlannerOptions } from '../../../src/sync/planner';
import { nextStepOf, SyncManager, writeSettleMs, type SavedSync, type SyncSpec } from '../../../src/sync/syncManager';
import { FakeTimer } from '../../shared/fakeTimer';
import { FakeFolder, FakeOss } from './fakes';

const interval = 5_000;
const ev = 'run1/events.out.tfevents.1700000000.host.1.0';
const spec: SyncSpec = { id: 's1', folder: '/logs', bucket: 'b', region: 'cn-hangzhou', prefix: 'tb/' };

/** A manager over one fake folder and a fake OSS, on a fake timer that is also the clock. */
function setup(oss = new FakeOss(), timer = new FakeTimer(), options: Partial<PlannerOptions> = {}) {
  const folder = new FakeFolder({ now: () => timer.now });
  const state = { exists: true, saved: [] as SavedSync[], changes: 0 };
  const watching = { changed: undefined as (() => void) | undefined, disposed: 0 };
  const manager = new SyncManager({
    timer,
    now: () => timer.now,
    intervalMs: () => interval,
    engineFor: (wanted) => {
      const planner = new SyncPlanner(folder, { prefix: wanted.prefix, intervalMs: interval, ...options });
      const runner = new SyncRunner(planner, folder, oss, () => timer.now);
      return { tick: () => runner.tick(), status: (now) => planner.status(now) };
    },
    folderExists: () => Promise.resolve(state.exists),
    save: (saved) => (state.saved = saved),
    watch: (_folder, changed) => {
      watching.changed = changed;
      return { dispose: () => (watching.disposed += 1) };
    },
  });
  manager.onDidChange(() => (state.changes += 1));
  return { timer, folder, oss, manager, state, watching };
}

describe('sync: the manager of running syncs, on a fake timer', () => {
  it('ticks once per interval, counts files and bytes, shows the lag, and is caught up once OSS holds all', async () => {
    const { timer, folder, oss, manager, state } = setup();
    folder.write(ev, 'AAAA');
    manager.start(spec);
    assert.deepEqual(state.saved, [{ spec, paused: false }]);
    await timer.advance(0);
    assert.deepEqual(oss.take(), [`head tb/${ev}`]);
    assert.equal(manager.get('s1')?.queued, 1);
    assert.equal(manager.get('s1')?.caughtUp, false);
    await timer.advance(interval);
    assert.deepEqual(oss.take(), [`append tb/${ev} @0 +4`]);
    let view = manager.get('s1')!;
    assert.deepEqual(
      [view.filesUploaded, view.bytesUploaded, view.queued, view.lagMs, view.caughtUp],
      [1, 4, 0, undefined, true],
    );
    assert.equal(view.lastUploadAt, interval);

    folder.append(ev, 'BB');
    await timer.advance(interval);
    assert.deepEqual(oss.take(), [`append tb/${ev} @4 +2`]);
    await timer.advance(interval);
    assert.deepEqual(oss.take(), [], 'nothing changed: no request');
    folder.append(ev, 'C');
    await timer.advance(interval - 1);
    await timer.advance(1);
    view = manager.get('s1')!;
    assert.deepEqual(oss.take(), [`append tb/${ev} @6 +1`]);
    assert.equal(view.bytesUploaded, 7);
    assert.equal(timer.pendingCount, 1, 'one timer per sync');
  });

  it('sends the backlog of a large live event file tick after tick, then waits the interval again', async () => {
    const { timer, folder, oss, manager } = setup(new FakeOss(), new FakeTimer(), { maxAppendBytes: 1000 });
    folder.write(ev, Buffer.alloc(2500, 1));
    manager.start(spec);
    await timer.advance(0);
    assert.deepEqual(oss.take(), [`head tb/${ev}`]);
    await timer.advance(interval);
    assert.deepEqual(oss.take(), [`append tb/${ev} @0 +1000`]);
    await timer.advance(0);
    assert.deepEqual(oss.take(), [`append tb/${ev} @1000 +1000`], 'at once, not after the interval');
    await timer.advance(0);
    assert.deepEqual(oss.take(), [`append tb/${ev} @2000 +500`]);
    assert.equal(timer.delays.at(-1), interval, 'caught up: the interval again');
    await timer.advance(interval);
    assert.deepEqual(oss.take(), [], 'nothing changed: no request');
    assert.equal(manager.get('s1')?.bytesUploaded, 2500);
  });

  it('sends a write as soon as it is seen when its file may send, else at its interval; stops watching on stop', async () => {
    const { timer, folder, oss, manager, watching } = setup();
    folder.write(ev, 'AAAA');
    manager.start(spec);
    await timer.advance(0);
    await timer.advance(interval);
    assert.deepEqual(oss.take(), [`head tb/${ev}`, `append tb/${ev} @0 +4`]);
    await timer.advance(interval * 1.5);
    folder.append(ev, 'BB');
    watching.changed?.();
    await timer.advance(writeSettleMs);
    assert.deepEqual(oss.take(), [`append tb/${ev} @4 +2`], 'at once: the file sent nothing for an interval');
    await timer.advance(interval / 5);
    folder.append(ev, 'C');
    watching.changed?.();
    await timer.advance(writeSettleMs);
    assert.deepEqual(oss.take(), [], 'one request per file per interval all the same');
    await timer.advance(interval);
    assert.deepEqual(oss.take(), [`append tb/${ev} @6 +1`]);
    manager.stop('s1');
    assert.equal(watching.disposed, 1);
  });

  it('reports the lag of a write the sync could not send yet, from when it was first seen', async () => {
    const { timer, folder, oss, manager } = setup();
    folder.write(ev, 'AAAA');
    manager.start(spec);
    await timer.advance(0);
    oss.arm('append', 'throttle');
    await timer.advance(interval);
    assert.equal(manager.get('s1')?.lagMs, interval);
    assert.equal(manager.get('s1')?.queuedBytes, 4);
    assert.ok(manager.get('s1')!.backoffUntil! > timer.now);
  });

  it('pauses (no request), resumes at once, and stops for good', async () => {
    const { timer, folder, oss, manager, state } = setup();
    folder.write(ev, 'AAAA');
    manager.start(spec);
    await timer.advance(0);
    manager.pause('s1');
    assert.deepEqual(state.saved, [{ spec, paused: true }]);
    folder.append(ev, 'B');
    await timer.advance(10 * interval);
    assert.deepEqual(oss.take(), [`head tb/${ev}`]);
    assert.equal(timer.pendingCount, 0);
    manager.resume('s1');
    await timer.advance(0);
    assert.deepEqual(oss.take(), [`append tb/${ev} @0 +5`]);
    manager.stop('s1');
    assert.deepEqual(state.saved, [], 'a stopped sync does not come back after a reload');
    assert.equal(manager.get('s1')?.state, 'stopped');
    folder.append(ev, 'C');
    await timer.advance(10 * interval);
    assert.deepEqual(oss.take(), []);
    assert.equal(timer.pendingCount, 0);
  });

  it('resumes after a reload from what OSS holds: HEAD first, then only the new bytes', async () => {
    const oss = new FakeOss();
    const first = setup(oss);
    first.folder.write(ev, 'AAAA');
    first.manager.start(spec);
    await first.timer.advance(interval);
    first.manager.dispose();
    assert.deepEqual(first.state.saved, [{ spec, paused: false }]);
    oss.take();

    const timer = new FakeTimer();
    timer.now = first.timer.now + 60_000;
    const second = setup(oss, timer);
    second.folder.write(ev, 'AAAABBB');
    second.manager.restore(first.state.saved);
    await timer.advance(0);
    assert.deepEqual(oss.take(), [`head tb/${ev}`]);
    await timer.advance(interval);
    assert.deepEqual(oss.take(), [`append tb/${ev} @4 +3`], 'never the first 4 bytes again');
    assert.equal(oss.objects.get(`tb/${ev}`)?.data.toString(), 'AAAABBB');
  });

  it('stops cleanly when its folder disappears, and says so', async () => {
    const { timer, folder, oss, manager, state } = setup();
    folder.write(ev, 'AAAA');
    manager.start(spec);
    await timer.advance(0);
    state.exists = false;
    await timer.advance(interval);
    assert.deepEqual(oss.take(), [`head tb/${ev}`]);
    assert.equal(manager.get('s1')?.state, 'stopped');
    assert.equal(manager.get('s1')?.stoppedBecause, 'folderGone');
    assert.deepEqual(state.saved, []);
    assert.equal(timer.pendingCount, 0);
  });

  it('shows the last error with its next step, and clears it once the file is in OSS', async () => {
    const { timer, folder, oss, manager } = setup();
    folder.write(ev, 'AAAA');
    manager.start(spec);
    await timer.advance(0);
    oss.arm('append', 'forbidden');
    await timer.advance(interval);
    const error = manager.get('s1')?.lastError;
    assert.equal(error?.path, ev);
    assert.equal(error?.next, 'permission');
    assert.equal(error?.ramAction, 'oss:PutObject', 'an append needs oss:PutObject');
    assert.match(error?.reason ?? '', /^AccessDenied: /);
    await timer.advance(10 * interval);
    assert.equal(manager.get('s1')?.lastError, undefined);
    assert.equal(oss.objects.get(`tb/${ev}`)?.data.toString(), 'AAAA');
  });

  it('shows throttling as backing off with its next step, keeps the queue, and clears it once OSS takes requests', async () => {
    const { timer, folder, oss, manager } = setup();
    folder.write(ev, 'AAAA');
    manager.start(spec);
    await timer.advance(0);
    oss.arm('append', 'throttle', 2);
    await timer.advance(interval);
    let view = manager.get('s1')!;
    assert.equal(view.lastError?.next, 'backingOff');
    assert.match(view.lastError?.reason ?? '', /^SlowDown: /);
    assert.equal(view.lastError?.path, ev);
    assert.ok((view.backoffUntil ?? 0) > timer.now, 'a back-off is under way');
    assert.deepEqual([view.queued, view.queuedBytes], [1, 4], 'the queue is kept');
    oss.take();
    await timer.advance(interval);
    assert.equal(manager.get('s1')?.lastError?.next, 'backingOff', 'throttled again: still shown');
    await timer.advance(10 * interval);
    view = manager.get('s1')!;
    assert.equal(view.lastError, undefined);
    assert.equal(oss.objects.get(`tb/${ev}`)?.data.toString(), 'AAAA');
    assert.equal(view.queued, 0);
  });

  it('shows a 5xx as retrying with the queue kept, and clears it once the file is in OSS', async () => {
    const { timer, folder, oss, manager } = setup();
    folder.write(ev, 'AAAA');
    manager.start(spec);
    await timer.advance(0);
    oss.arm('append', 'internalError');
    await timer.advance(interval);
    const view = manager.get('s1')!;
    assert.equal(view.lastError?.next, 'retrying');
    assert.match(view.lastError?.reason ?? '', /^InternalError: /);
    assert.equal(view.queued, 1);
    await timer.advance(10 * interval);
    assert.equal(manager.get('s1')?.lastError, undefined);
    assert.equal(oss.objects.get(`tb/${ev}`)?.data.toString(), 'AAAA');
  });

  it('refuses a second sync under the same id while the first runs', () => {
    const { manager } = setup();
    manager.start(spec);
    assert.throws(() => manager.start(spec), /already running/);
    assert.equal(manager.ofFolder('/logs')?.spec.id, 's1');
  });

  it('names the next step of an OSS error from its code', () => {
    assert.equal(nextStepOf('AccessDenied: You have no right to access this object.'), 'permission');
    assert.equal(
      nextStepOf(
        'AccessDenied: The bucket you are attempting to access must be addressed using the specified endpoint.',
      ),
      'region',
    );
    assert.equal(nextStepOf('NoSuchBucket: The specified bucket does not exist.'), 'bucket');
    assert.equal(nextStepOf('SecurityTokenExpired: The security token you provided has expired.'), 'signIn');
    assert.equal(nextStepOf('InternalError: We encountered an internal error.'), 'retrying');
  });
});
