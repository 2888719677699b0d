import assert from 'node:assert/strict';
import { ageOf, countdown, formatDuration, localTime, timeLeftMs } from '../../../src/boards/time';

describe('time formatting', () => {
  it('formats short and long durations', () => {
    assert.equal(formatDuration(20_000), '<1 min');
    assert.equal(formatDuration(5 * 60_000), '5 min');
    assert.equal(formatDuration(90 * 60_000), '1 h 30 min');
    assert.equal(formatDuration(30 * 3_600_000), '30 h');
    assert.equal(formatDuration(9 * 86_400_000), '9 d');
    assert.equal(formatDuration(-5), '<1 min');
  });

  it('uses the units it is given, for the display language', () => {
    const units = {
      underOneMinute: '<1 分钟',
      minutes: (m: number) => `${m} 分钟`,
      hours: (h: number) => `${h} 小时`,
      hoursMinutes: (h: number, m: number) => `${h} 小时 ${m} 分钟`,
      days: (d: number) => `${d} 天`,
    };
    assert.equal(formatDuration(20_000, units), '<1 分钟');
    assert.equal(formatDuration(5 * 60_000, units), '5 分钟');
    assert.equal(formatDuration(90 * 60_000, units), '1 小时 30 分钟');
    assert.equal(formatDuration(30 * 3_600_000, units), '30 小时');
    assert.equal(ageOf('2026-01-01T03:04:05Z', Date.parse('2026-01-04T03:04:05Z'), units), '3 天');
  });

  it('gives the age of an ISO time, or nothing for a bad one', () => {
    const now = Date.parse('2026-01-02T03:04:05Z');
    assert.equal(ageOf('2026-01-02T01:04:05Z', now), '2 h');
    assert.equal(ageOf('garbage', now), undefined);
    assert.equal(ageOf(undefined, now), undefined);
  });

  it('computes the time left before the max running time', () => {
    assert.equal(timeLeftMs(240, 3_600), 3 * 3_600_000);
    assert.equal(timeLeftMs(undefined, 10), undefined);
  });

  it("shows a service time in the user's language and time zone, not as UTC ISO text", () => {
    const created = '2026-03-05T14:35:00Z';
    assert.equal(localTime(created, 'en', 'UTC'), 'Mar 5, 2026, 2:35 PM');
    assert.equal(localTime(created, 'zh-cn', 'Asia/Shanghai'), '2026年3月5日 22:35');
    assert.equal(localTime(created, 'de', 'Europe/Berlin'), '05.03.2026, 15:35');
    assert.equal(localTime('yesterday', 'en', 'UTC'), 'yesterday');
    assert.equal(localTime('', 'en'), undefined);
    assert.match(localTime(created, 'qps-ploc', 'UTC') ?? '', /2026/);
  });

  describe('the countdown of a running board', () => {
    const MIN = 60_000;
    const fetchedAt = Date.parse('2026-01-02T03:00:00Z');
    // Fetched after 63 minutes of a 240-minute cap: 2 h 57 min left then.
    const board = { maxRunningTimeMinutes: 240, durationSeconds: 63 * 60 };

    it('counts the time left down between fetches', () => {
      assert.deepEqual(countdown(board, fetchedAt, fetchedAt, undefined), { kind: 'left', left: '2 h 57 min' });
      assert.deepEqual(countdown(board, fetchedAt + 6 * MIN, fetchedAt, undefined), {
        kind: 'left',
        left: '2 h 51 min',
      });
      assert.deepEqual(countdown(board, fetchedAt + 170 * MIN, fetchedAt, undefined), { kind: 'left', left: '7 min' });
      assert.deepEqual(countdown(board, fetchedAt + 200 * MIN, fetchedAt, undefined), { kind: 'left', left: '<1 min' });
      // A clock that went back never adds time.
      assert.deepEqual(countdown(board, fetchedAt - 5 * MIN, fetchedAt, undefined), {
        kind: 'left',
        left: '2 h 57 min',
      });
      assert.equal(countdown({ durationSeconds: 60 }, fetchedAt, fetchedAt, undefined), undefined);
    });

    it("tells the guard's stop when it comes first, why and since when", () => {
      const now = fetchedAt + 10 * MIN;
      const idle = { reason: 'idle' as const, since: now - 42 * MIN, at: now + 18 * MIN };
      assert.deepEqual(countdown(board, now, fetchedAt, idle), { kind: 'idle', idle: '42 min', stopsIn: '18 min' });
      const ended = { reason: 'jobEnded' as const, since: now - 20 * MIN, at: now + 11 * MIN };
      assert.deepEqual(countdown(board, now, fetchedAt, ended), { kind: 'jobEnded', stopsIn: '11 min' });
      // Its max running time comes first: that is what it says.
      const late = { ...idle, at: now + 4 * 60 * MIN };
      assert.deepEqual(countdown(board, now, fetchedAt, late), { kind: 'left', left: '2 h 47 min' });
      // No max running time: the guard's stop is all there is.
      assert.deepEqual(countdown({ durationSeconds: 60 }, now, fetchedAt, idle), {
        kind: 'idle',
        idle: '42 min',
        stopsIn: '18 min',
      });
    });
  });
});
