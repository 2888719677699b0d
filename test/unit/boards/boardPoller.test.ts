import assert from 'node:assert/strict';
import { DlcError, type Tensorboard } from '../../../src/api';
import { BoardModel, type BoardsApi } from '../../../src/boards/boardModel';
import type { CancellationLike } from '../../../src/boards/boardPoller';
import { MAX_TIMER_DELAY_MS } from '../../../src/api';
import { realTimer } from '../../../src/boards/timer';
import { makeBoard } from '../../shared/boardFixture';
import { FakeTimer, settle } from '../../shared/fakeTimer';

const ID = makeBoard().tensorboardId;
const PAGE = 'https://tb.example.com/board/';

function board(status: string, overrides: Partial<Tensorboard> = {}): Tensorboard {
  return makeBoard({ status, summaryRelativePath: '/', dataSourceType: 'OSS', ...overrides });
}

/** A status that follows a timeline of [from ms, status]. */
function statusAt(timeline: readonly (readonly [number, string])[], now: number): string {
  return [...timeline].reverse().find(([from]) => now >= from)?.[1] ?? 'Creating';
}

interface Options {
  /** GetTensorboard's answer; by default `Creating`. Counted, with when each was sent, in `pollTimes`. */
  readonly get?: (timer: FakeTimer) => Promise<Tensorboard>;
  /** When the board's page starts to answer; no page probing at all when absent. */
  readonly pageAnswersAt?: number;
  /** Where the model's timeline marks go: [id, step, fake time]. */
  readonly marks?: Array<readonly [string, string, number]>;
}

/** The board model, the one owner of polling, over a scripted GetTensorboard and a scripted page, on the fake timer. */
function setup(options: Options = {}) {
  const timer = new FakeTimer();
  const pollTimes: number[] = [];
  const probeTimes: number[] = [];
  const api: BoardsApi = {
    listTensorboards: async () => ({ tensorboards: [], totalCount: 0 }),
    getTensorboard: (id) => {
      assert.equal(id, ID);
      pollTimes.push(timer.now);
      return options.get ? options.get(timer) : Promise.resolve(board('Creating'));
    },
  };
  const answersAt = options.pageAnswersAt;
  const model = new BoardModel({
    scope: async () => ({ api, workspaceId: '86923', windowDays: 90 }),
    timer,
    now: () => timer.now,
    timeline: { mark: (id, step) => options.marks?.push([id, step, timer.now]) },
    pageAnswers:
      answersAt === undefined
        ? undefined
        : async (url) => {
            assert.equal(url, PAGE);
            probeTimes.push(timer.now);
            return timer.now >= answersAt;
          },
  });
  return { timer, model, pollTimes, probeTimes };
}

/** A model whose board follows a timeline, from GetTensorboard's point of view. */
function scripted(timeline: readonly (readonly [number, string])[], options: Omit<Options, 'get'> = {}) {
  return setup({ ...options, get: async (timer) => board(statusAt(timeline, timer.now), { url: PAGE }) });
}

/** How many polls a wait takes to see a board that turns Running `transitionMs` after the wait begins. */
async function provisioning(transitionMs: number) {
  const { timer, model, pollTimes } = scripted([
    [0, 'Creating'],
    [transitionMs, 'Running'],
  ]);
  const result = model.whenSettled(ID);
  await timer.advance(transitionMs + 60_000);
  const outcome = await result;
  return { outcome: outcome.outcome, polls: pollTimes.length, seenAt: pollTimes.at(-1)!, timer };
}

/** A CancellationToken the test cancels. */
function cancellation() {
  const listeners = new Set<() => void>();
  let cancelled = false;
  let disposed = 0;
  const token: CancellationLike = {
    get isCancellationRequested() {
      return cancelled;
    },
    onCancellationRequested(listener) {
      listeners.add(listener);
      return { dispose: () => void (disposed++, listeners.delete(listener)) };
    },
  };
  const cancel = () => {
    cancelled = true;
    for (const listener of [...listeners]) listener();
  };
  return { token, cancel, disposed: () => disposed };
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

describe('the board model waiting on a board (whenSettled, the awaited reason)', () => {
  it('sees a board that is Running after 5 s in 3 polls, 1 s after the change, one every 2 s', async () => {
    const { outcome, polls, seenAt, timer } = await provisioning(5_000);
    assert.equal(outcome, 'running');
    assert.equal(polls, 3);
    assert.equal(seenAt, 6_000);
    assert.deepEqual(timer.delays, [15 * 60_000, 2_000, 2_000, 2_000]);
    assert.equal(timer.pendingCount, 0);
  });

  it('sees a board that is Running after 60 s in 30 polls, as soon as it changes', async () => {
    const { outcome, polls, seenAt } = await provisioning(60_000);
    assert.equal(outcome, 'running');
    assert.equal(polls, 30);
    assert.equal(seenAt, 60_000);
  });

  it('polls at most once per 2 s on average and sees the change within 2 s', async () => {
    for (const transitionMs of [5_000, 8_000, 15_000, 30_000, 60_000, 120_000, 600_000]) {
      const { outcome, polls, seenAt } = await provisioning(transitionMs);
      assert.equal(outcome, 'running', `${transitionMs}`);
      assert.ok(polls / (seenAt / 1_000) <= 0.5, `${transitionMs} ms: ${polls} polls in ${seenAt} ms`);
      assert.ok(seenAt - transitionMs <= 2_000, `${transitionMs} ms: seen at ${seenAt}`);
    }
  });

  it('spends at most 2 polls on a board ready within 3 s', async () => {
    for (const transitionMs of [0, 1_000, 2_000, 3_000]) {
      const { outcome, polls, seenAt } = await provisioning(transitionMs);
      assert.equal(outcome, 'running');
      assert.ok(polls <= 2, `${transitionMs} ms: ${polls} polls`);
      assert.ok(seenAt - transitionMs <= 2_000, `${transitionMs} ms: seen at ${seenAt}`);
    }
  });

  it('waits a turn before the first poll', async () => {
    const { timer, model, pollTimes } = scripted([[0, 'Running']]);
    const result = model.whenSettled(ID);
    await timer.advance(1_999);
    assert.equal(pollTimes.length, 0);
    await timer.advance(1);
    assert.deepEqual(await result, { outcome: 'running', board: board('Running', { url: PAGE }) });
  });

  it('reports a failed board with its reason', async () => {
    const failed = board('Creating_Failed', { reasonCode: 'ImagePullFailed', reasonMessage: 'image not found' });
    let calls = 0;
    const { timer, model } = setup({ get: async () => (++calls < 3 ? board('Creating') : failed) });
    const result = model.whenSettled(ID);
    await timer.advance(10_000);
    assert.deepEqual(await result, {
      outcome: 'failed',
      board: failed,
      reasonCode: 'ImagePullFailed',
      reasonMessage: 'image not found',
    });
    assert.equal(calls, 3);
  });

  it('reports a board deleted while waiting as failed', async () => {
    const deleted = board('Deleted', { reasonCode: 'Delete by user', reasonMessage: 'Tensorboard is deleted' });
    const { timer, model } = setup({ get: async () => deleted });
    const result = model.whenSettled(ID);
    await timer.advance(2_000);
    const outcome = await result;
    assert.equal(outcome.outcome, 'failed');
    assert.equal(outcome.outcome === 'failed' && outcome.reasonMessage, 'Tensorboard is deleted');
  });

  it('loses track of a board the service no longer has: rejects with its not-found error, and stops polling', async () => {
    const { timer, model, pollTimes } = setup({
      get: () =>
        Promise.reject(
          new DlcError({ code: 'TensorboardNotFound', message: 'gone', operation: 'GetTensorboard', httpStatus: 404 }),
        ),
    });
    const result = model.whenSettled(ID).catch((error: unknown) => error);
    await timer.advance(2_000);
    const error = await result;
    assert.ok(error instanceof DlcError && error.code === 'TensorboardNotFound', String(error));
    await timer.advance(60_000);
    assert.deepEqual(pollTimes, [2_000]);
    assert.equal(timer.pendingCount, 0);
  });

  it('reports a board that stopped after being seen starting', async () => {
    const { timer, model, pollTimes } = scripted([
      [0, 'Creating'],
      [2_000, 'Stopping'],
      [4_000, 'Stopped'],
    ]);
    const result = model.whenSettled(ID);
    await timer.advance(20_000);
    assert.equal((await result).outcome, 'stopped');
    assert.deepEqual(pollTimes, [2_000, 4_000]);
  });

  it('waits out a Stopped status left over from before a start, within the grace period', async () => {
    const { timer, model } = scripted([
      [0, 'Stopped'],
      [3_000, 'Starting'],
      [6_000, 'Running'],
    ]);
    const result = model.whenSettled(ID);
    await timer.advance(30_000);
    assert.equal((await result).outcome, 'running');
  });

  it('reports stopped once a board reads Stopped past the 10 s grace period', async () => {
    const { timer, model, pollTimes } = scripted([[0, 'Stopped']]);
    const result = model.whenSettled(ID);
    await timer.advance(60_000);
    assert.equal((await result).outcome, 'stopped');
    assert.deepEqual(pollTimes, [2_000, 4_000, 6_000, 8_000, 10_000]);
  });

  it('keeps waiting through unknown statuses, telling onProgress about every poll', async () => {
    const { timer, model } = scripted([
      [0, 'Pending'],
      [3_000, 'Hibernating'],
      [5_000, 'Running'],
    ]);
    const seen: string[] = [];
    const result = model.whenSettled(ID, { onProgress: (b) => seen.push(b.status) });
    await timer.advance(10_000);
    assert.equal((await result).outcome, 'running');
    assert.deepEqual(seen, ['Pending', 'Hibernating', 'Running']);
  });

  it('times out after 15 minutes with the last board seen, and stops polling', async () => {
    const { timer, model, pollTimes } = scripted([[0, 'Creating']]);
    const result = model.whenSettled(ID);
    await timer.advance(16 * 60_000);
    assert.deepEqual(await result, { outcome: 'timeout', board: board('Creating', { url: PAGE }) });
    assert.equal(timer.pendingCount, 0);
    assert.equal(pollTimes.at(-1), 15 * 60_000 - 2_000);
  });

  it('times out even when a poll never answers', async () => {
    const { timer, model } = setup({ get: () => new Promise<Tensorboard>(() => undefined) });
    const result = model.whenSettled(ID);
    await timer.advance(15 * 60_000);
    assert.deepEqual(await result, { outcome: 'timeout' });
    assert.equal(timer.pendingCount, 0);
  });

  it('is cancelled between polls, keeping the last board', async () => {
    const { timer, model, pollTimes } = scripted([[0, 'Creating']]);
    const { token, cancel } = cancellation();
    const result = model.whenSettled(ID, { token });
    await timer.advance(3_000);
    cancel();
    assert.deepEqual(await result, { outcome: 'cancelled', board: board('Creating', { url: PAGE }) });
    await timer.advance(60_000);
    assert.equal(pollTimes.length, 1);
    assert.equal(timer.pendingCount, 0);
  });

  it('is cancelled at once, even while a poll is in flight', async () => {
    let answer: (b: Tensorboard) => void = () => undefined;
    const { timer, model } = setup({ get: () => new Promise<Tensorboard>((resolve) => (answer = resolve)) });
    const { token, cancel, disposed } = cancellation();
    const result = model.whenSettled(ID, { token });
    await timer.advance(2_000);
    cancel();
    assert.deepEqual(await result, { outcome: 'cancelled' });
    answer(board('Running'));
    await settle();
    assert.equal(disposed(), 1);
    assert.equal(timer.pendingCount, 0);
  });

  it('does not poll at all when already cancelled', async () => {
    let calls = 0;
    const { timer, model } = setup({ get: async () => (calls++, board('Running')) });
    const { token, cancel } = cancellation();
    cancel();
    const result = model.whenSettled(ID, { token });
    assert.deepEqual(await result, { outcome: 'cancelled' });
    await timer.advance(10_000);
    assert.equal(calls, 0);
    assert.equal(timer.pendingCount, 0);
  });

  it('keeps waiting through transient errors, honouring retry-after', async () => {
    const errors = [
      new DlcError({ code: 'ServiceUnavailable', message: 'busy', operation: 'GetTensorboard', httpStatus: 503 }),
      new DlcError({
        code: 'Throttling.User',
        message: 'slow down',
        operation: 'GetTensorboard',
        httpStatus: 429,
        retryAfterMs: 8_000,
      }),
    ];
    const { timer, model, pollTimes } = setup({
      get: async () => {
        const error = errors.shift();
        if (error) throw error;
        return board('Running');
      },
    });
    const result = model.whenSettled(ID);
    await timer.advance(30_000);
    assert.equal((await result).outcome, 'running');
    assert.deepEqual(pollTimes, [2_000, 4_000, 12_000]);
  });

  it('caps a retry-after at a minute: 30 days would overflow the timer and poll at once (#12 item 5)', async () => {
    const throttled = new DlcError({
      code: 'Throttling.User',
      message: 'slow down',
      operation: 'GetTensorboard',
      retryAfterMs: 30 * 86_400_000,
    });
    let polls = 0;
    const { timer, model } = setup({ get: async () => (polls++ < 3 ? Promise.reject(throttled) : board('Running')) });
    const result = model.whenSettled(ID);
    await timer.advance(3 * 60_000 + 2_000);
    assert.equal((await result).outcome, 'running');
    assert.deepEqual(timer.delays, [15 * 60_000, 2_000, 60_000, 60_000, 60_000]);
  });

  it('rejects on an error that will not go away, and stops polling', async () => {
    const denied = new DlcError({
      code: 'Forbidden.RAM',
      message: 'no permission',
      operation: 'GetTensorboard',
      httpStatus: 403,
    });
    const first = setup({ get: async () => Promise.reject(denied) });
    const result = first.model.whenSettled(ID).catch((error: unknown) => error);
    await first.timer.advance(2_000);
    assert.equal(await result, denied);
    assert.equal(first.timer.pendingCount, 0);
    const second = setup({ get: async () => Promise.reject(new TypeError('bug')) });
    const plain = second.model.whenSettled(ID).catch((error: unknown) => error);
    await second.timer.advance(2_000);
    assert.ok((await plain) instanceof TypeError);
  });

  it('goes by what an error says of itself: a network error is transient, so the wait goes on', async () => {
    let calls = 0;
    const reset = new DlcError({ code: 'NetworkError', message: 'ECONNRESET', operation: 'GetTensorboard' });
    assert.equal(reset.retryable, true);
    const { timer, model } = setup({
      get: async () => {
        if (++calls === 1) throw reset;
        return board('Running');
      },
    });
    const result = model.whenSettled(ID);
    await timer.advance(5_000);
    assert.equal((await result).outcome, 'running');
  });

  it('rejects when onProgress throws', async () => {
    const { timer, model } = setup();
    const result = model
      .whenSettled(ID, {
        onProgress: () => {
          throw new Error('view disposed');
        },
      })
      .catch((error: unknown) => error);
    await timer.advance(2_000);
    assert.match(String(await result), /view disposed/);
    assert.equal(timer.pendingCount, 0);
  });

  it('answers two waits on one board from the same polls', async () => {
    const { timer, model, pollTimes } = scripted([
      [0, 'Creating'],
      [5_000, 'Running'],
    ]);
    const results = Promise.all([model.whenSettled(ID), model.whenSettled(ID)]);
    await timer.advance(10_000);
    assert.deepEqual(
      (await results).map((r) => r.outcome),
      ['running', 'running'],
    );
    assert.deepEqual(pollTimes, [2_000, 4_000, 6_000]);
  });

  describe("with a watch on the board's page (a sign that costs no API call)", () => {
    /** A wait like the create flow's on a board that turns Running at `runningAt`, and a page that answers from `answersAt`. */
    async function watched(runningAt: number, answersAt: number) {
      const { timer, model, pollTimes, probeTimes } = scripted(
        [
          [0, 'Creating'],
          [runningAt, 'Running'],
        ],
        { pageAnswersAt: answersAt },
      );
      const result = model.whenSettled(ID);
      await timer.advance(runningAt + 30_000);
      return { outcome: (await result).outcome, pollTimes, probeTimes, timer };
    }

    it('polls as soon as the page answers, instead of at the next turn', async () => {
      const { outcome, pollTimes, probeTimes, timer } = await watched(5_000, 5_000);
      assert.equal(outcome, 'running');
      assert.equal(probeTimes[0], 2_000, 'the watch starts with the first pending board');
      assert.deepEqual(pollTimes, [2_000, 5_000], 'seen at once, where the 5 s turns would have seen it at 7 s');
      assert.equal(timer.pendingCount, 0, 'the watch ended with the wait');
    });

    it("marks when the page first answered and when a poll saw Running, for the bench's split (#23)", async () => {
      const marks: Array<readonly [string, string, number]> = [];
      const { timer, model } = scripted(
        [
          [0, 'Creating'],
          [5_000, 'Running'],
        ],
        { pageAnswersAt: 5_100, marks },
      );
      const result = model.whenSettled(ID);
      await timer.advance(40_000);
      assert.equal((await result).outcome, 'running');
      // The 5 s turn sees Running at 7 s; the page watch, every 250 ms from 2 s, sees the page at 5.25 s and wakes it.
      assert.deepEqual(marks, [
        [ID, 'pageAnswered', 5_250],
        [ID, 'runningSeen', 5_250],
      ]);
    });

    it('while the page is watched, polls every 5 s (what the page cannot show: a failure, a stop), and the one its answer calls for', async () => {
      const { pollTimes } = await watched(60_900, 60_900);
      // 2 s (the first; the watch starts), then every 5 s, and the poll the page's answer calls for.
      assert.deepEqual(pollTimes, [
        2_000,
        ...Array.from({ length: 12 }, (_, i) => 7_000 + 5_000 * i).filter((t) => t < 60_900),
        61_000,
      ]);
      assert.equal(pollTimes.at(-1), 61_000, 'the first 250 ms check after the change');
    });

    it('probes the page every 250 ms for two minutes, then every second', async () => {
      const { timer, model, probeTimes } = scripted([[0, 'Creating']], { pageAnswersAt: Number.POSITIVE_INFINITY });
      const { token, cancel } = cancellation();
      const result = model.whenSettled(ID, { token });
      await timer.advance(2_000 + 130_000);
      const gaps = probeTimes.slice(1).map((at, i) => at - probeTimes[i]!);
      assert.equal(probeTimes[0], 2_000);
      assert.deepEqual(new Set(gaps.slice(0, 479)), new Set([250]), 'every 250 ms for the first 480 probes');
      assert.equal(probeTimes[479], 2_000 + 479 * 250);
      assert.deepEqual(new Set(gaps.slice(479)), new Set([1_000]), 'then every second');
      cancel();
      await result;
      const probes = probeTimes.length;
      await timer.advance(60_000);
      assert.equal(probeTimes.length, probes, 'probed after the wait ended');
    });

    it('polls again after a poll that was out when the page began to answer', async () => {
      // Each poll reads the status when it is sent and answers 300 ms later.
      const { timer, model, pollTimes } = setup({
        pageAnswersAt: 7_350,
        get: async (timer) => {
          const status = statusAt(
            [
              [0, 'Creating'],
              [7_350, 'Running'],
            ],
            timer.now,
          );
          await new Promise<void>((resolve) => timer.setTimeout(resolve, 300));
          return board(status, { url: PAGE });
        },
      });
      const result = model.whenSettled(ID);
      await timer.advance(20_000);
      assert.equal((await result).outcome, 'running');
      // The page answered at 7,550 (probes from 2,300 every 250 ms), while the poll sent at 7,300 (before the change) was out.
      assert.deepEqual(pollTimes, [2_000, 7_300, 7_600]);
    });

    it('drops a watch whose page answers while the board is still pending, and polls every 2 s from then on', async () => {
      const { outcome, pollTimes, probeTimes, timer } = await watched(9_000, 0);
      assert.equal(outcome, 'running');
      assert.deepEqual(probeTimes, [2_000], 'not watched again');
      // Woken at once (2 s), still Creating: from then on the plain 2 s turns.
      assert.deepEqual(pollTimes, [2_000, 2_000, 4_000, 6_000, 8_000, 10_000]);
      assert.equal(timer.pendingCount, 0);
    });

    it('watches no page the board does not have, or that is not plain http(s)', async () => {
      for (const url of ['', 'javascript:alert(1)']) {
        const { timer, model, pollTimes, probeTimes } = setup({
          pageAnswersAt: 0,
          get: async (timer) => board(timer.now >= 5_000 ? 'Running' : 'Creating', { url }),
        });
        const result = model.whenSettled(ID);
        await timer.advance(10_000);
        assert.equal((await result).outcome, 'running');
        assert.deepEqual(probeTimes, [], url);
        assert.deepEqual(pollTimes, [2_000, 4_000, 6_000], 'the 2 s turns');
      }
    });
  });
});

describe('the board model polling a board by why it is watched', () => {
  /** A model whose list holds one board; GetTensorboard answers from `statuses` in turn (then the last one). */
  async function listed(statuses: string[], fail?: (n: number) => unknown) {
    let n = 0;
    const { timer, model, pollTimes } = setup({
      get: async () => {
        const i = n++;
        const error = fail?.(i);
        if (error) throw error;
        return board(statuses[Math.min(i, statuses.length - 1)]!);
      },
    });
    model.showAccepted(board(statuses[0]!));
    return { timer, model, pollTimes };
  }

  it('listed: polls a pending board only while the sidebar is visible, from 2 s backing off by 1.6 to 30 s', async () => {
    const { timer, model, pollTimes } = await listed(['Creating']);
    await timer.advance(60_000);
    assert.deepEqual(pollTimes, [], 'polled while nobody could see the list');
    assert.deepEqual(model.watchReasons(ID), []);
    model.setListVisible(true);
    assert.deepEqual(model.watchReasons(ID), ['listed']);
    await timer.advance(120_000);
    const gaps = [pollTimes[0]! - 60_000, ...pollTimes.slice(1).map((at, i) => at - pollTimes[i]!)];
    assert.deepEqual(gaps, [2_000, 3_200, 5_120, 8_192, 13_107, 20_971, 30_000, 30_000].slice(0, gaps.length));
    assert.ok(gaps.length >= 7);
  });

  it('listed: stops when the sidebar is hidden, and resumes when it shows again', async () => {
    const { timer, model, pollTimes } = await listed(['Creating']);
    model.setListVisible(true);
    await timer.advance(2_000);
    model.setListVisible(false);
    await timer.advance(60_000);
    assert.equal(pollTimes.length, 1);
    assert.equal(timer.pendingCount, 0);
    model.setListVisible(true);
    await timer.advance(60_000);
    assert.ok(pollTimes.length > 1);
  });

  it('listed: stops once the board settles, and never polls a settled one', async () => {
    const { timer, model, pollTimes } = await listed(['Creating', 'Creating', 'Creating', 'Creating', 'Running']);
    model.setListVisible(true);
    await timer.advance(600_000);
    assert.equal(pollTimes.length, 5);
    assert.deepEqual(model.watchReasons(ID), []);
    assert.equal(timer.pendingCount, 0);
  });

  it('listed: keeps polling, backed off, when a poll fails', async () => {
    const { timer, model, pollTimes } = await listed(['Creating', 'Creating', 'Running'], (n) =>
      n < 2 ? new Error('network') : undefined,
    );
    model.setListVisible(true);
    await timer.advance(60_000);
    assert.deepEqual(pollTimes, [2_000, 5_200, 10_320]);
  });

  it('shown: polls the board of an open panel while the sidebar is hidden, at the same back-off, until the panel closes', async () => {
    const { timer, model, pollTimes } = await listed(['Starting']);
    const following = model.follow(ID);
    assert.deepEqual(model.watchReasons(ID), ['shown']);
    await timer.advance(10_320);
    assert.deepEqual(pollTimes, [2_000, 5_200, 10_320]);
    following.dispose();
    await timer.advance(600_000);
    assert.equal(pollTimes.length, 3, 'polled after the panel closed');
    assert.equal(timer.pendingCount, 0);
  });

  it('shown: a settled board is asked every minute while its panel is visible, never while hidden or closed', async () => {
    const { timer, model, pollTimes } = await listed(['Running', 'Running', 'Stopped', 'Stopped']);
    const following = model.follow(ID);
    assert.deepEqual(model.watchReasons(ID), [], 'a settled board in a hidden panel is not polled');
    await timer.advance(180_000);
    assert.deepEqual(pollTimes, []);
    following.setVisible(true);
    assert.deepEqual(model.watchReasons(ID), ['shown']);
    await timer.advance(180_000);
    assert.deepEqual(pollTimes, [240_000, 300_000, 360_000], 'once a minute, no back-off');
    following.setVisible(false);
    await timer.advance(180_000);
    assert.equal(pollTimes.length, 3, 'polled while the panel was hidden');
    following.setVisible(true);
    await timer.advance(60_000);
    assert.deepEqual(pollTimes.at(-1), 600_000);
    assert.equal(model.get(ID)?.status, 'Stopped', 'the stop made elsewhere reached the model');
    following.dispose();
    await timer.advance(600_000);
    assert.equal(pollTimes.length, 4, 'polled after the panel closed');
    assert.equal(timer.pendingCount, 0);
  });

  it('a new status starts the back-off again (an action, or the board moving on)', async () => {
    const { timer, model, pollTimes } = await listed(['Creating', 'Creating', 'Creating', 'Stopping']);
    model.setListVisible(true);
    await timer.advance(18_512);
    assert.deepEqual(pollTimes, [2_000, 5_200, 10_320, 18_512]);
    // The fourth poll answered Stopping: the next turn is 2 s later, not 13 s.
    await timer.advance(2_000);
    assert.deepEqual(pollTimes, [2_000, 5_200, 10_320, 18_512, 20_512]);
    // An answer that some other reload brought (the user stopped it, say) moves a far turn closer.
    model.showAccepted(board('Starting'));
    await timer.advance(2_000);
    assert.equal(pollTimes.at(-1), 22_512);
  });

  it('awaited wins: a board listed, shown and waited on is polled by one loop, every 2 s, and backs off again when the wait ends', async () => {
    const { timer, model, pollTimes } = await listed(['Creating']);
    model.setListVisible(true);
    const following = model.follow(ID);
    const { token, cancel } = cancellation();
    const waiting = model.whenSettled(ID, { token });
    assert.deepEqual(model.watchReasons(ID), ['awaited', 'shown', 'listed']);
    await timer.advance(8_000);
    assert.deepEqual(pollTimes, [2_000, 4_000, 6_000, 8_000], 'one poll per turn, not one per reason');
    cancel();
    assert.equal((await waiting).outcome, 'cancelled');
    assert.deepEqual(model.watchReasons(ID), ['shown', 'listed']);
    await timer.advance(10_000);
    assert.deepEqual(pollTimes, [2_000, 4_000, 6_000, 8_000, 10_000, 13_200], 'from 2 s again, backing off');
    following.dispose();
    model.setListVisible(false);
    assert.equal(timer.pendingCount, 0);
  });

  it('a wait that begins while the board backs off brings its next poll within 2 s', async () => {
    const { timer, model, pollTimes } = await listed(['Creating']);
    model.follow(ID);
    await timer.advance(20_000);
    assert.deepEqual(pollTimes, [2_000, 5_200, 10_320, 18_512], 'the next turn would be at 31,619');
    const waiting = model.whenSettled(ID);
    await timer.advance(2_000);
    assert.deepEqual(pollTimes.at(-1), 22_000);
    model.dispose();
    assert.equal((await waiting).outcome, 'cancelled');
    assert.equal(timer.pendingCount, 0);
  });
});
