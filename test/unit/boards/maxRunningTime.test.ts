import assert from 'node:assert/strict';
import { checkMaxRunningTime, ranMs, stopsAtOnce } from '../../../src/boards/maxRunningTime';

describe('Change Max Running Time', () => {
  it('takes whole minutes from 1 up to the limit', () => {
    assert.deepEqual(checkMaxRunningTime(' 480 ', 10_080), { ok: true, minutes: 480 });
    assert.deepEqual(checkMaxRunningTime('10080', 10_080), { ok: true, minutes: 10_080 });
    assert.deepEqual(checkMaxRunningTime('1', 10_080), { ok: true, minutes: 1 });
    assert.deepEqual(checkMaxRunningTime('100000', 10_080), { ok: false, problem: 'tooLong' });
    assert.deepEqual(checkMaxRunningTime('99999999999999999999', 10_080), { ok: false, problem: 'tooLong' });
    for (const bad of ['0', '-5', '1.5', '', 'ten', '08'])
      assert.deepEqual(checkMaxRunningTime(bad, 10_080), { ok: false, problem: 'notWholeNumber' }, bad);
  });

  it('counts the running time on from the fetch, and knows a cap that stops the board at once', () => {
    const fetchedAt = 1_000_000;
    assert.equal(ranMs(7 * 60, fetchedAt + 60_000, fetchedAt), 8 * 60_000);
    assert.equal(ranMs(7 * 60, fetchedAt - 60_000, fetchedAt), 7 * 60_000);
    assert.equal(ranMs(7 * 60, fetchedAt, undefined), 7 * 60_000);
    assert.equal(stopsAtOnce(1, 7 * 60_000), true);
    assert.equal(stopsAtOnce(7, 7 * 60_000), true);
    assert.equal(stopsAtOnce(8, 7 * 60_000), false);
  });
});
