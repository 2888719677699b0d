import assert from 'node:assert/strict';
import {
  extendOffer,
  guardTurn,
  NOTICE_MS,
  stopsAt,
  TURN_MS,
  type GuardAction,
  type GuardedBoard,
  type GuardSettings,
  type PendingStop,
} from '../../../src/guard/policy';
import { mergeSeen, type SeenTimes } from '../../../src/guard/seen';

const MIN = 60_000;
const T0 = Date.parse('2024-05-10T00:00:00Z');

/**
 * The guard's turns over a fake clock, as the VS Code face takes them: each minute, the boards of visible panels are
 * marked seen, then the policy's actions are applied (a notice pends, a stop ends the board, a withdrawal drops it).
 */
class Turns {
  now = T0;
  seen: SeenTimes = {};
  readonly shown = new Set<string>();
  readonly pending = new Map<string, PendingStop>();
  readonly log: string[] = [];
  settings: GuardSettings = { idleStopMinutes: 60, stopAfterJobEndsMinutes: 30 };
  readonly boards = new Map<string, GuardedBoard>();
  failStops = 0;

  add(id: string, extra: Partial<GuardedBoard> = {}, owned = true): this {
    this.boards.set(id, { tensorboardId: id, running: true, ...extra });
    this.seen = mergeSeen(this.seen, { [id]: { seenAt: this.now, ...(owned ? { owned } : {}) } }, this.now);
    return this;
  }

  mark(id: string, record: Partial<SeenTimes[string]>): void {
    this.seen = mergeSeen(this.seen, { [id]: { seenAt: 0, ...record } }, this.now);
  }

  turn(): GuardAction[] {
    for (const id of this.shown) this.mark(id, { seenAt: this.now });
    const actions = guardTurn({
      now: this.now,
      settings: this.settings,
      boards: [...this.boards.values()],
      seen: this.seen,
      shown: this.shown,
      pending: this.pending,
    });
    for (const action of actions) {
      const id = action.tensorboardId;
      this.log.push(`${(this.now - T0) / MIN} ${action.type} ${id}${'reason' in action ? ` ${action.reason}` : ''}`);
      if (action.type === 'notice') this.pending.set(id, { reason: action.reason, stopAt: action.stopAt });
      if (action.type === 'withdraw') this.pending.delete(id);
      if (action.type === 'stop') {
        if (this.failStops > 0) {
          this.failStops--;
          continue;
        }
        this.pending.delete(id);
        this.boards.set(id, { ...this.boards.get(id)!, running: false });
      }
    }
    return actions;
  }

  /** Turns each minute for `minutes`. */
  run(minutes: number): this {
    for (let i = 0; i < minutes; i++) {
      this.now += TURN_MS;
      this.turn();
    }
    return this;
  }
}

describe('guard policy', () => {
  it('notices a board not looked at for N minutes, then stops it a minute later', () => {
    const turns = new Turns().add('a');
    turns.run(59);
    assert.deepEqual(turns.log, []);
    turns.run(2);
    assert.deepEqual(turns.log, ['60 notice a idle', '61 stop a idle']);
    assert.equal(turns.boards.get('a')!.running, false);
  });

  it('never stops a board shown in a visible panel, and counts idleness from when it was hidden', () => {
    const turns = new Turns().add('a');
    turns.shown.add('a');
    turns.run(120);
    turns.shown.delete('a');
    turns.run(59);
    assert.deepEqual(turns.log, []);
    turns.run(2);
    assert.deepEqual(turns.log, ['180 notice a idle', '181 stop a idle']);
  });

  it('withdraws the notice when the board is looked at within the minute', () => {
    const turns = new Turns().add('a');
    turns.run(60);
    turns.shown.add('a');
    turns.run(5);
    assert.deepEqual(turns.log, ['60 notice a idle', '61 withdraw a']);
    assert.equal(turns.boards.get('a')!.running, true);
  });

  it('agrees across two windows: a panel visible in the other window keeps the board', () => {
    const here = new Turns().add('a');
    const there = new Turns().add('a');
    there.shown.add('a');
    for (let i = 0; i < 90; i++) {
      there.run(1);
      here.now = there.now;
      // The windows share one global state: each reads what the other wrote.
      here.seen = mergeSeen(here.seen, there.seen, here.now);
      here.turn();
    }
    assert.deepEqual(here.log, []);
  });

  it('survives a reload: idleness counts from the stored time, not from the reload', () => {
    const before = new Turns().add('a');
    before.run(40);
    const after = new Turns();
    after.now = before.now;
    after.boards.set('a', { tensorboardId: 'a', running: true });
    after.seen = mergeSeen({}, JSON.parse(JSON.stringify(before.seen)) as SeenTimes, after.now);
    after.run(21);
    assert.deepEqual(after.log, ['60 notice a idle', '61 stop a idle']);
  });

  it('Keep Running postpones by N minutes; kept for good, never stopped', () => {
    const turns = new Turns().add('a').add('b');
    turns.run(60);
    turns.mark('a', { postponedUntil: turns.now + 60 * MIN });
    turns.mark('b', { keep: true });
    turns.run(200);
    assert.deepEqual(turns.log, [
      '60 notice a idle',
      '60 notice b idle',
      '61 withdraw a',
      '61 withdraw b',
      '120 notice a idle',
      '121 stop a idle',
    ]);
    assert.equal(turns.boards.get('b')!.running, true);
  });

  it('never stops a board the extension neither created nor opened', () => {
    const turns = new Turns().add('theirs', { jobsEndedAt: T0 }, false);
    turns.run(300);
    assert.deepEqual(turns.log, []);
  });

  it('stops a board M minutes after its last job ended, unless a panel shows it', () => {
    const turns = new Turns().add('a').add('b');
    turns.settings = { idleStopMinutes: 0, stopAfterJobEndsMinutes: 30 };
    turns.shown.add('b');
    turns.run(10);
    // A board over several jobs has no end time while one of them runs: it is set when the last ends.
    for (const id of ['a', 'b']) turns.boards.set(id, { tensorboardId: id, running: true, jobsEndedAt: turns.now });
    turns.run(31);
    assert.deepEqual(turns.log, ['40 notice a jobEnded', '41 stop a jobEnded']);
    assert.equal(turns.boards.get('b')!.running, true);
  });

  it('takes a setting change at the next turn: turned off, a pending notice is withdrawn', () => {
    const turns = new Turns().add('a');
    turns.settings = { idleStopMinutes: 0, stopAfterJobEndsMinutes: 0 };
    turns.run(100);
    assert.deepEqual(turns.log, []);
    turns.settings = { idleStopMinutes: 10, stopAfterJobEndsMinutes: 0 };
    turns.run(1);
    assert.deepEqual(turns.log, ['101 notice a idle']);
    turns.settings = { idleStopMinutes: 0, stopAfterJobEndsMinutes: 0 };
    turns.run(5);
    assert.deepEqual(turns.log, ['101 notice a idle', '102 withdraw a']);
  });

  it('retries a stop that failed at the next turn, once a turn', () => {
    const turns = new Turns().add('a');
    turns.failStops = 2;
    turns.run(64);
    assert.deepEqual(turns.log, ['60 notice a idle', '61 stop a idle', '62 stop a idle', '63 stop a idle']);
  });

  it('says when a board stops at the earliest, for the sidebar', () => {
    const turns = new Turns().add('a', { jobsEndedAt: T0 + 5 * MIN });
    const state = { now: turns.now, settings: turns.settings, seen: turns.seen, shown: turns.shown };
    assert.deepEqual(stopsAt(turns.boards.get('a')!, state), { reason: 'jobEnded', at: T0 + 35 * MIN + NOTICE_MS });
    turns.settings = { idleStopMinutes: 20, stopAfterJobEndsMinutes: 30 };
    assert.deepEqual(stopsAt(turns.boards.get('a')!, { ...state, settings: turns.settings }), {
      reason: 'idle',
      at: T0 + 20 * MIN + NOTICE_MS,
    });
    assert.equal(stopsAt(turns.boards.get('a')!, { ...state, shown: new Set(['a']) }), undefined);
  });
});

describe('seen times', () => {
  it('merge to the same state whichever window writes last', () => {
    const a: SeenTimes = { x: { seenAt: 5, owned: true }, y: { seenAt: 9 } };
    const b: SeenTimes = { x: { seenAt: 7, keep: true, postponedUntil: 3 }, z: { seenAt: 1 } };
    assert.deepEqual(mergeSeen(a, b, 10), mergeSeen(b, a, 10));
    assert.deepEqual(mergeSeen(a, b, 10).x, { seenAt: 7, owned: true, keep: true, postponedUntil: 3 });
  });

  it('forget boards not seen for 30 days', () => {
    assert.deepEqual(
      Object.keys(mergeSeen({ old: { seenAt: 0 }, new: { seenAt: 31 * 86_400_000 } }, {}, 31 * 86_400_000)),
      ['new'],
    );
  });
});

describe('guard: Extend', () => {
  it('is offered within 10 minutes of the max running time, with an hour more', () => {
    assert.deepEqual(extendOffer({ maxRunningTimeMinutes: 65, durationSeconds: 60 * 60 }), {
      leftMinutes: 5,
      newCap: 125,
    });
    assert.deepEqual(extendOffer({ maxRunningTimeMinutes: 65, durationSeconds: 55 * 60 }), {
      leftMinutes: 10,
      newCap: 125,
    });
    assert.equal(extendOffer({ maxRunningTimeMinutes: 65, durationSeconds: 55 * 60 - 1 }), undefined);
    assert.equal(extendOffer({ maxRunningTimeMinutes: 65, durationSeconds: 65 * 60 }), undefined);
    assert.equal(extendOffer({ durationSeconds: 60 * 60 }), undefined);
  });
});
