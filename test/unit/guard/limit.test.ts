import assert from 'node:assert/strict';
import { roomCandidates } from '../../../src/guard/limit';

const MIN = 60_000;
const NOW = Date.parse('2024-05-10T12:00:00Z');
const board = (id: string, created: string) => ({ tensorboardId: id, gmtCreateTime: `2024-05-10T${created}:00Z` });

describe('guard: the limit offer', () => {
  const boards = [
    board('recent', '01:00'),
    board('never-new', '03:00'),
    board('never-old', '02:00'),
    board('idle-lately', '04:00'),
    board('idle-long', '05:00'),
    board('active', '00:00'),
  ];
  const seen = {
    recent: { seenAt: NOW - 5 * MIN },
    'idle-lately': { seenAt: NOW - 70 * MIN },
    'idle-long': { seenAt: NOW - 300 * MIN },
    active: { seenAt: NOW - 500 * MIN },
  };

  it('lists idle boards least recently seen first, then unseen ones, then those seen lately; never the active one', () => {
    const listed = roomCandidates(boards, seen, { now: NOW, idleMinutes: 60, activeId: 'active' });
    assert.deepEqual(
      listed.map((c) => [c.board.tensorboardId, c.idle]),
      [
        ['idle-long', true],
        ['idle-lately', true],
        ['never-old', false],
        ['never-new', false],
        ['recent', false],
      ],
    );
  });

  it('counts idleness by the idle setting', () => {
    const listed = roomCandidates(boards, seen, { now: NOW, idleMinutes: 120 });
    assert.deepEqual(
      listed.filter((c) => c.idle).map((c) => c.board.tensorboardId),
      ['active', 'idle-long'],
    );
  });
});
