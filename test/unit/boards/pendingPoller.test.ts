import assert from 'node:assert/strict';
import { MAX_TIMER_DELAY_MS, PendingPoller, realTimer } from '../../../src/boards/pendingPoller';
import { FakeTimer } from '../../shared/fakeTimer';

function setup(pendingAnswers: boolean[]) {
  const timer = new FakeTimer();
  let polls = 0;
  const poller = new PendingPoller({
    timer,
    firstDelayMs: 1_000,
    maxDelayMs: 4_000,
    factor: 2,
    poll: async () => pendingAnswers[polls++] ?? false,
  });
  return { timer, poller, polls: () => polls };
}

describe('realTimer', () => {
  it('clamps a delay beyond the 32-bit limit instead of firing after 1 ms (#12 item 5)', async () => {
    let fired = false;
    const handle = realTimer.setTimeout(() => (fired = true), 30 * 86_400_000);
    // Timers fire in order of their due time: an overflowed one (due in 1 ms) would fire before this one.
    await new Promise((resolve) => setTimeout(resolve, 20));
    realTimer.clearTimeout(handle);
    assert.equal(fired, false);
    assert.equal(MAX_TIMER_DELAY_MS, 2 ** 31 - 1);
  });
});

describe('PendingPoller', () => {
  it('does not poll when nothing is pending', async () => {
    const { timer, poller, polls } = setup([]);
    poller.setVisible(true);
    poller.setPending(false);
    await timer.advance(60_000);
    assert.equal(polls(), 0);
    assert.equal(timer.pendingCount, 0);
  });

  it('does not poll while the view is hidden, and starts when it is shown', async () => {
    const { timer, poller, polls } = setup([true, false]);
    poller.setPending(true);
    await timer.advance(60_000);
    assert.equal(polls(), 0);
    poller.setVisible(true);
    await timer.advance(1_000);
    assert.equal(polls(), 1);
  });

  it('backs off while pending and stops once nothing is pending', async () => {
    const { timer, poller, polls } = setup([true, true, true, true, false]);
    poller.setVisible(true);
    poller.setPending(true);
    await timer.advance(60_000);
    assert.equal(polls(), 5);
    assert.deepEqual(timer.delays, [1_000, 2_000, 4_000, 4_000, 4_000]);
    assert.equal(poller.scheduled, false);
  });

  it('stops when the view is hidden and resumes when shown again', async () => {
    const { timer, poller, polls } = setup([true, true, true, false]);
    poller.setVisible(true);
    poller.setPending(true);
    await timer.advance(1_000);
    poller.setVisible(false);
    await timer.advance(60_000);
    assert.equal(polls(), 1);
    poller.setVisible(true);
    await timer.advance(60_000);
    assert.equal(polls(), 4);
  });

  it('keeps polling, backed off, when a poll fails', async () => {
    const timer = new FakeTimer();
    let calls = 0;
    const poller = new PendingPoller({
      timer, firstDelayMs: 1_000, maxDelayMs: 8_000, factor: 2,
      poll: async () => {
        calls++;
        if (calls < 3) throw new Error('network');
        return false;
      },
    });
    poller.setVisible(true);
    poller.setPending(true);
    await timer.advance(60_000);
    assert.equal(calls, 3);
    assert.deepEqual(timer.delays, [1_000, 2_000, 4_000]);
  });

  it('kick() restarts from the short delay', async () => {
    const { timer, poller } = setup([true, true, true, true, true, true]);
    poller.setVisible(true);
    poller.setPending(true);
    await timer.advance(3_000);
    poller.kick();
    assert.equal(timer.delays.at(-1), 1_000);
    poller.dispose();
    assert.equal(timer.pendingCount, 0);
  });
});
