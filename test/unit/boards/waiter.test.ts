import assert from 'node:assert/strict';
import { DlcError, type Tensorboard } from '../../../src/api';
import { waitUntilRunning, type CancellationLike, type WaitOptions } from '../../../src/boards/waiter';
import { makeBoard } from '../../shared/boardFixture';
import { FakeTimer, settle } from '../../shared/fakeTimer';

function board(status: string, overrides: Partial<Tensorboard> = {}): Tensorboard {
  return makeBoard({ status, summaryRelativePath: '/', dataSourceType: 'OSS', ...overrides });
}

/** A board whose status follows a timeline of [from ms, status]; counts the polls and when each happened. */
function scripted(timer: FakeTimer, timeline: readonly (readonly [number, string])[]) {
  const pollTimes: number[] = [];
  const poll = async () => {
    pollTimes.push(timer.now);
    const status = [...timeline].reverse().find(([from]) => timer.now >= from)?.[1] ?? 'Creating';
    return board(status);
  };
  return { poll, pollTimes };
}

function start(timer: FakeTimer, options: Partial<WaitOptions> & Pick<WaitOptions, 'poll'>) {
  return waitUntilRunning({ timer, now: () => timer.now, ...options });
}

/** How many polls it takes to see a board that turns Running `transitionMs` after the wait begins. */
async function provisioning(transitionMs: number) {
  const timer = new FakeTimer();
  const { poll, pollTimes } = scripted(timer, [[0, 'Creating'], [transitionMs, 'Running']]);
  const result = start(timer, { poll });
  await timer.advance(transitionMs + 60_000);
  const outcome = await result;
  return { outcome: outcome.outcome, polls: pollTimes.length, seenAt: pollTimes.at(-1)!, timer };
}

describe('waitUntilRunning', () => {
  it('sees a board that is Running after 5 s in 4 polls, 3.1 s after the change', async () => {
    const { outcome, polls, seenAt, timer } = await provisioning(5_000);
    assert.equal(outcome, 'running');
    assert.equal(polls, 4);
    assert.equal(seenAt, 8_125);
    assert.deepEqual(timer.delays, [15 * 60_000, 1_000, 1_500, 2_250, 3_375]);
    assert.equal(timer.pendingCount, 0);
  });

  it('sees a board that is Running after 60 s in 15 polls, 3.1 s after the change', async () => {
    const { outcome, polls, seenAt } = await provisioning(60_000);
    assert.equal(outcome, 'running');
    assert.equal(polls, 15);
    assert.equal(seenAt, 63_125);
  });

  it('polls at most once per 2 s on average and sees the change within 1 s + maxDelay', async () => {
    for (const transitionMs of [5_000, 8_000, 15_000, 30_000, 60_000, 120_000, 600_000]) {
      const { outcome, polls, seenAt } = await provisioning(transitionMs);
      assert.equal(outcome, 'running', `${transitionMs}`);
      assert.ok(polls / (seenAt / 1_000) <= 0.5, `${transitionMs} ms: ${polls} polls in ${seenAt} ms`);
      assert.ok(seenAt - transitionMs <= 1_000 + 5_000, `${transitionMs} ms: seen at ${seenAt}`);
    }
  });

  it('spends at most 3 polls on a board ready within 3 s', async () => {
    for (const transitionMs of [0, 1_000, 2_000, 3_000]) {
      const { outcome, polls, seenAt } = await provisioning(transitionMs);
      assert.equal(outcome, 'running');
      assert.ok(polls <= 3, `${transitionMs} ms: ${polls} polls`);
      assert.ok(seenAt - transitionMs <= 2_250, `${transitionMs} ms: seen at ${seenAt}`);
    }
  });

  it('waits the first delay before the first poll', async () => {
    const timer = new FakeTimer();
    const { poll, pollTimes } = scripted(timer, [[0, 'Running']]);
    const result = start(timer, { poll });
    await timer.advance(999);
    assert.equal(pollTimes.length, 0);
    await timer.advance(1);
    assert.deepEqual(await result, { outcome: 'running', board: board('Running') });
  });

  it('reports a failed board with its reason', async () => {
    const timer = new FakeTimer();
    const failed = board('Creating_Failed', { reasonCode: 'ImagePullFailed', reasonMessage: 'image not found' });
    let calls = 0;
    const result = start(timer, { poll: async () => (++calls < 3 ? board('Creating') : failed) });
    await timer.advance(10_000);
    assert.deepEqual(await result, { outcome: 'failed', board: failed, reasonCode: 'ImagePullFailed', reasonMessage: 'image not found' });
    assert.equal(calls, 3);
  });

  it('reports a board deleted while waiting as failed', async () => {
    const timer = new FakeTimer();
    const deleted = board('Deleted', { reasonCode: 'Delete by user', reasonMessage: 'Tensorboard is deleted' });
    const result = start(timer, { poll: async () => deleted });
    await timer.advance(1_000);
    const outcome = await result;
    assert.equal(outcome.outcome, 'failed');
    assert.equal(outcome.outcome === 'failed' && outcome.reasonMessage, 'Tensorboard is deleted');
  });

  it('reports a board that stopped after being seen starting', async () => {
    const timer = new FakeTimer();
    const { poll, pollTimes } = scripted(timer, [[0, 'Creating'], [2_000, 'Stopping'], [4_000, 'Stopped']]);
    const result = start(timer, { poll });
    await timer.advance(20_000);
    const outcome = await result;
    assert.equal(outcome.outcome, 'stopped');
    assert.deepEqual(pollTimes, [1_000, 2_500, 4_750]);
  });

  it('waits out a Stopped status left over from before a start, within the grace period', async () => {
    const timer = new FakeTimer();
    const { poll } = scripted(timer, [[0, 'Stopped'], [3_000, 'Starting'], [6_000, 'Running']]);
    const result = start(timer, { poll });
    await timer.advance(30_000);
    assert.equal((await result).outcome, 'running');
  });

  it('reports stopped once a board reads Stopped past the grace period', async () => {
    const timer = new FakeTimer();
    const { poll, pollTimes } = scripted(timer, [[0, 'Stopped']]);
    const result = start(timer, { poll, stoppedGraceMs: 10_000 });
    await timer.advance(60_000);
    assert.equal((await result).outcome, 'stopped');
    assert.deepEqual(pollTimes, [1_000, 2_500, 4_750, 8_125, 13_125]);
  });

  it('keeps waiting through unknown statuses, telling onProgress about every poll', async () => {
    const timer = new FakeTimer();
    const { poll } = scripted(timer, [[0, 'Pending'], [2_000, 'Hibernating'], [3_000, 'Running']]);
    const seen: string[] = [];
    const result = start(timer, { poll, onProgress: (b) => seen.push(b.status) });
    await timer.advance(10_000);
    assert.equal((await result).outcome, 'running');
    assert.deepEqual(seen, ['Pending', 'Hibernating', 'Running']);
  });

  it('times out with the last board seen, and stops polling', async () => {
    const timer = new FakeTimer();
    const { poll, pollTimes } = scripted(timer, [[0, 'Creating']]);
    const result = start(timer, { poll, timeoutMs: 30_000 });
    await timer.advance(60_000);
    assert.deepEqual(await result, { outcome: 'timeout', board: board('Creating') });
    assert.equal(timer.pendingCount, 0);
    assert.equal(pollTimes.at(-1), 28_125);
  });

  it('times out even when a poll never answers', async () => {
    const timer = new FakeTimer();
    const result = start(timer, { poll: () => new Promise<Tensorboard>(() => undefined), timeoutMs: 10_000 });
    await timer.advance(10_000);
    assert.deepEqual(await result, { outcome: 'timeout' });
    assert.equal(timer.pendingCount, 0);
  });

  it('is cancelled by an AbortSignal between polls, keeping the last board', async () => {
    const timer = new FakeTimer();
    const controller = new AbortController();
    const { poll, pollTimes } = scripted(timer, [[0, 'Creating']]);
    const result = start(timer, { poll, signal: controller.signal });
    await timer.advance(3_000);
    controller.abort();
    assert.deepEqual(await result, { outcome: 'cancelled', board: board('Creating') });
    await timer.advance(60_000);
    assert.equal(pollTimes.length, 2);
    assert.equal(timer.pendingCount, 0);
  });

  it('is cancelled by a CancellationToken at once, even while a poll is in flight', async () => {
    const timer = new FakeTimer();
    const listeners: (() => void)[] = [];
    let disposed = 0;
    let cancelled = false;
    const token: CancellationLike = {
      get isCancellationRequested() {
        return cancelled;
      },
      onCancellationRequested(listener) {
        listeners.push(listener);
        return { dispose: () => void disposed++ };
      },
    };
    let answer: (b: Tensorboard) => void = () => undefined;
    const result = start(timer, { poll: () => new Promise<Tensorboard>((resolve) => (answer = resolve)), signal: token });
    await timer.advance(1_000);
    cancelled = true;
    for (const listener of listeners) listener();
    assert.deepEqual(await result, { outcome: 'cancelled' });
    answer(board('Running'));
    await settle();
    assert.equal(disposed, 1);
    assert.equal(timer.pendingCount, 0);
  });

  it('does not poll at all when already cancelled', async () => {
    const timer = new FakeTimer();
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const result = start(timer, { poll: async () => (calls++, board('Running')), signal: controller.signal });
    assert.deepEqual(await result, { outcome: 'cancelled' });
    await timer.advance(10_000);
    assert.equal(calls, 0);
    assert.equal(timer.pendingCount, 0);
  });

  it('keeps waiting through transient errors, honouring retry-after', async () => {
    const timer = new FakeTimer();
    const errors = [
      new DlcError({ code: 'ServiceUnavailable', message: 'busy', operation: 'GetTensorboard', httpStatus: 503 }),
      new DlcError({ code: 'Throttling.User', message: 'slow down', operation: 'GetTensorboard', httpStatus: 429, retryAfterMs: 8_000 }),
    ];
    const pollTimes: number[] = [];
    const result = start(timer, {
      poll: async () => {
        pollTimes.push(timer.now);
        const error = errors.shift();
        if (error) throw error;
        return board('Running');
      },
    });
    await timer.advance(30_000);
    assert.equal((await result).outcome, 'running');
    assert.deepEqual(pollTimes, [1_000, 2_500, 10_500]);
  });

  it('caps a retry-after at a minute: 30 days would overflow the timer and poll at once (#12 item 5)', async () => {
    const timer = new FakeTimer();
    const throttled = new DlcError({ code: 'Throttling.User', message: 'slow down', operation: 'GetTensorboard', retryAfterMs: 30 * 86_400_000 });
    let polls = 0;
    const result = start(timer, { poll: async () => (polls++ < 3 ? Promise.reject(throttled) : board('Running')) });
    await timer.advance(3 * 60_000 + 1_000);
    assert.equal((await result).outcome, 'running');
    assert.deepEqual(timer.delays, [15 * 60_000, 1_000, 60_000, 60_000, 60_000]);
  });

  it('rejects on an error that will not go away, and stops polling', async () => {
    const timer = new FakeTimer();
    const denied = new DlcError({ code: 'Forbidden.RAM', message: 'no permission', operation: 'GetTensorboard', httpStatus: 403 });
    const result = start(timer, { poll: async () => Promise.reject(denied) }).catch((error: unknown) => error);
    await timer.advance(1_000);
    assert.equal(await result, denied);
    assert.equal(timer.pendingCount, 0);
    const plain = start(timer, { poll: async () => Promise.reject(new TypeError('bug')) }).catch((error: unknown) => error);
    await timer.advance(1_000);
    assert.ok((await plain) instanceof TypeError);
  });

  it('lets the caller decide what is retryable', async () => {
    const timer = new FakeTimer();
    let calls = 0;
    const result = start(timer, {
      poll: async () => {
        if (++calls === 1) throw new Error('ECONNRESET');
        return board('Running');
      },
      isRetryable: (error) => error instanceof Error && error.message === 'ECONNRESET',
    });
    await timer.advance(5_000);
    assert.equal((await result).outcome, 'running');
  });

  it('rejects when onProgress throws', async () => {
    const timer = new FakeTimer();
    const result = start(timer, {
      poll: async () => board('Creating'),
      onProgress: () => {
        throw new Error('view disposed');
      },
    }).catch((error: unknown) => error);
    await timer.advance(1_000);
    assert.match(String(await result), /view disposed/);
    assert.equal(timer.pendingCount, 0);
  });

  describe('with a watch on the board page (a sign that costs no API call)', () => {
    /** A 2 s wait like the create flow's, on a board that turns Running at `runningAt`, and a page that answers from `answersAt`. */
    async function watched(runningAt: number, answersAt: number, watchedDelayMs?: number) {
      const timer = new FakeTimer();
      const { poll, pollTimes } = scripted(timer, [[0, 'Creating'], [runningAt, 'Running']]);
      const watches: number[] = [];
      let disposed = 0;
      const result = start(timer, {
        poll,
        firstDelayMs: 2_000,
        maxDelayMs: 2_000,
        factor: 1,
        watchedDelayMs,
        watch: (_, wake) => {
          watches.push(timer.now);
          // The page is checked every 250 ms, as the create flow's watch does.
          let handle: unknown;
          const check = () => {
            if (timer.now >= answersAt) return wake();
            handle = timer.setTimeout(check, 250);
          };
          check();
          return { dispose: () => (disposed++, timer.clearTimeout(handle)) };
        },
      });
      await timer.advance(runningAt + 30_000);
      return { outcome: (await result).outcome, pollTimes, watches, disposed, timer };
    }

    it('polls as soon as the page answers, instead of at the next 2 s turn, with no more polls than without', async () => {
      const { outcome, pollTimes, watches, disposed, timer } = await watched(5_000, 5_000);
      assert.equal(outcome, 'running');
      assert.deepEqual(watches, [2_000], 'the watch starts with the first pending board');
      assert.deepEqual(pollTimes, [2_000, 4_000, 5_000], 'seen at once, where the 2 s turns would have seen it at 6 s');
      assert.equal(disposed, 1);
      assert.equal(timer.pendingCount, 0);
    });

    it('at 60 s of provisioning: the same polls every 2 s while pending, and the last one when the page answers', async () => {
      const { pollTimes } = await watched(60_900, 60_900);
      assert.equal(pollTimes.at(-1), 61_000, 'the first 250 ms check after the change');
      assert.equal(pollTimes.length, 31, 'no more than the 2 s turns (30 while pending) plus the one that saw it');
      assert.ok(pollTimes.slice(0, -1).every((at, i) => at === 2_000 * (i + 1)));
    });

    it('while the page is watched, polls at the watched interval, and at the usual one once the watch is dropped', async () => {
      const running = await watched(60_900, 60_900, 5_000);
      // 2 s (first, the watch starts), then every 5 s, and the poll the page's answer calls for.
      assert.deepEqual(running.pollTimes, [2_000, ...Array.from({ length: 11 }, (_, i) => 7_000 + 5_000 * i), 61_000]);
      const early = await watched(9_000, 0, 5_000);
      assert.deepEqual(early.pollTimes, [2_000, 2_000, 4_000, 6_000, 8_000, 10_000], 'a dropped watch: every 2 s');
    });

    it('polls again after a poll that was out when the page began to answer', async () => {
      const timer = new FakeTimer();
      const { poll, pollTimes } = scripted(timer, [[0, 'Creating'], [4_400, 'Running']]);
      // Each poll reads the status when it is sent and answers 300 ms later.
      const slowPoll = async () => {
        const answer = await poll();
        await new Promise<void>((resolve) => timer.setTimeout(resolve, 300));
        return answer;
      };
      const result = start(timer, {
        poll: slowPoll,
        firstDelayMs: 2_000,
        maxDelayMs: 2_000,
        factor: 1,
        watch: (_, wake) => {
          let handle: unknown;
          const check = () => (timer.now >= 4_400 ? wake() : void (handle = timer.setTimeout(check, 250)));
          check();
          return { dispose: () => timer.clearTimeout(handle) };
        },
      });
      await timer.advance(20_000);
      assert.equal((await result).outcome, 'running');
      // The page answered at 4,550, while the poll sent at 4,300 (before the change) was out.
      assert.deepEqual(pollTimes, [2_000, 4_300, 4_600]);
    });

    it('drops a watch whose page answers while the board is still pending, and polls every 2 s from then on', async () => {
      const { outcome, pollTimes, watches, disposed } = await watched(9_000, 0);
      assert.equal(outcome, 'running');
      assert.deepEqual(watches, [2_000], 'not started again');
      assert.equal(disposed, 1);
      // Woken at once (2 s), still Creating: from then on the plain 2 s turns.
      assert.deepEqual(pollTimes, [2_000, 2_000, 4_000, 6_000, 8_000, 10_000]);
    });
  });
});
