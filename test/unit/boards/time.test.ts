import assert from 'node:assert/strict';
import { ageOf, formatDuration, localTime, timeLeftMs } from '../../../src/boards/time';

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
});
