import assert from 'node:assert/strict';
import type { ListTensorboardsQuery, Tensorboard } from '../../../src/api';
import { DlcError } from '../../../src/api/errors';
import {
  BoardModel,
  newBoard,
  type BoardScope,
  type BoardsApi,
  type BoardsChange,
  type CreatedSource,
} from '../../../src/boards/boardModel';
import { makeBoard } from '../../shared/boardFixture';
import { FakeTimer, settle } from '../../shared/fakeTimer';

const NOW = Date.parse('2024-05-10T00:00:00Z');

function board(
  id: string,
  status: string,
  createdMinutesAgo: number,
  overrides: Partial<Tensorboard> = {},
): Tensorboard {
  return makeBoard({
    tensorboardId: id,
    status,
    displayName: id,
    gmtCreateTime: new Date(NOW - createdMinutesAgo * 60_000).toISOString().replace('.000Z', 'Z'),
    ...overrides,
  });
}

interface Call<T> {
  readonly kind: 'list' | 'get';
  readonly id?: string;
  readonly query?: ListTensorboardsQuery;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * A fake service: it keeps a set of boards, and each call waits until the test answers it (`answer`), in any order,
 * from the service's state at the moment of answering. `auto` answers at once.
 */
class FakeService implements BoardsApi {
  readonly boards = new Map<string, Tensorboard>();
  readonly calls: Call<unknown>[] = [];
  auto = true;
  listCalls = 0;
  getCalls = 0;

  put(...boards: Tensorboard[]): void {
    for (const b of boards) this.boards.set(b.tensorboardId, b);
  }

  listTensorboards(query: ListTensorboardsQuery): Promise<{ tensorboards: Tensorboard[]; totalCount: number }> {
    this.listCalls++;
    return this.enqueue('list', undefined, query);
  }

  getTensorboard(id: string): Promise<Tensorboard> {
    this.getCalls++;
    return this.enqueue('get', id);
  }

  /** Answers the pending call at `index` from the service's state now. */
  async answer(index = 0): Promise<void> {
    const [call] = this.calls.splice(index, 1);
    assert.ok(call, 'no call is waiting');
    this.respond(call);
    await settle();
  }

  private respond(call: Call<unknown>): void {
    if (call.kind === 'get') {
      const found = this.boards.get(call.id!);
      if (found) call.resolve({ ...found });
      else
        call.reject(
          new DlcError({
            code: 'TensorboardNotFound',
            message: 'not found',
            operation: 'GetTensorboard',
            httpStatus: 404,
          }),
        );
      return;
    }
    const from = call.query!.startTime ?? '';
    const all = [...this.boards.values()]
      .filter((b) => new Date(b.gmtCreateTime).toISOString() >= from)
      .sort((a, b) => b.gmtCreateTime.localeCompare(a.gmtCreateTime));
    const size = call.query!.pageSize ?? 10;
    const page = call.query!.pageNumber ?? 1;
    call.resolve({
      tensorboards: all.slice((page - 1) * size, page * size).map((b) => ({ ...b })),
      totalCount: all.length,
    });
  }

  private enqueue<T>(kind: 'list' | 'get', id?: string, query?: ListTensorboardsQuery): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const call = { kind, id, query, resolve: resolve as (v: unknown) => void, reject };
      if (this.auto) this.respond(call);
      else this.calls.push(call);
    });
  }
}

function setup(options: { pageSize?: number; scope?: () => Promise<BoardScope | undefined> } = {}) {
  const service = new FakeService();
  const timer = new FakeTimer();
  const remembered = new Map<string, CreatedSource>();
  const scope: BoardScope = { api: service, workspaceId: '86923', windowDays: 90 };
  const model = new BoardModel({
    scope: options.scope ?? (async () => scope),
    now: () => NOW + timer.now,
    timer,
    pageSize: options.pageSize ?? 50,
    sources: { get: (id) => remembered.get(id), set: (id, s) => remembered.set(id, s) },
    onListenerError: (error) => {
      throw error;
    },
  });
  const changes: BoardsChange[] = [];
  model.onDidChange((change) => changes.push(change));
  const ids = () => model.boards.map((b) => `${b.tensorboardId}:${b.status}`);
  return { service, timer, model, changes, ids };
}

describe('the board model', () => {
  it('lists the first page newest first over the look-back window, then the next page on demand', async () => {
    const { service, model, ids } = setup({ pageSize: 2 });
    service.put(board('tb-a', 'Running', 30), board('tb-b', 'Stopped', 10), board('tb-c', 'Stopped', 20));
    await model.ensureLoaded();
    assert.deepEqual(ids(), ['tb-b:Stopped', 'tb-c:Stopped']);
    assert.equal(model.state, 'loaded');
    assert.equal(model.hasMore, true);
    assert.equal(model.total, 3);
    assert.equal(service.listCalls, 1);
    await model.loadMore();
    assert.deepEqual(ids(), ['tb-b:Stopped', 'tb-c:Stopped', 'tb-a:Running']);
    assert.equal(model.hasMore, false);
  });

  it('asks for the window, the sort and the page as the API wants them', async () => {
    const { service, model } = setup();
    const queries: ListTensorboardsQuery[] = [];
    const list = service.listTensorboards.bind(service);
    service.listTensorboards = (query) => {
      queries.push(query);
      return list(query);
    };
    await model.ensureLoaded();
    assert.deepEqual(queries, [
      {
        workspaceId: '86923',
        startTime: new Date(NOW - 90 * 86_400_000).toISOString(),
        sortBy: 'GmtCreateTime',
        order: 'desc',
        pageSize: 50,
        pageNumber: 1,
      },
    ]);
  });

  it('is unavailable, with no boards and no call, while signed out or without a workspace', async () => {
    const { service, model } = setup({ scope: async () => undefined });
    await model.ensureLoaded();
    assert.equal(model.state, 'unavailable');
    assert.deepEqual(model.boards, []);
    assert.equal(service.listCalls, 0);
  });

  it('keeps the error of a failed list, and loads again on refresh', async () => {
    const { service, model } = setup();
    service.put(board('tb-a', 'Running', 5));
    const list = service.listTensorboards.bind(service);
    service.listTensorboards = () =>
      Promise.reject(
        new DlcError({ code: 'InternalError', message: 'boom', operation: 'ListTensorboards', httpStatus: 500 }),
      );
    await model.ensureLoaded();
    assert.equal(model.state, 'failed');
    assert.match(String((model.error as Error).message), /boom/);
    await model.ensureLoaded();
    assert.equal(model.state, 'failed', 'ensureLoaded retried a failed list by itself');
    service.listTensorboards = list;
    await model.refresh();
    assert.equal(model.state, 'loaded');
    assert.equal(model.boards.length, 1);
  });

  it('fires one change per answer, naming what changed', async () => {
    const { service, model, changes } = setup();
    service.put(board('tb-a', 'Running', 5), board('tb-b', 'Stopped', 6));
    await model.ensureLoaded();
    const loaded = changes.at(-1)!;
    assert.equal(loaded.list, true);
    assert.deepEqual([...loaded.changed].sort(), ['tb-a', 'tb-b']);
    changes.length = 0;
    service.put(board('tb-a', 'Stopping', 5));
    await model.reload('tb-a');
    assert.deepEqual(
      changes.map((c) => [c.list, [...c.changed], [...c.removed]]),
      [[false, ['tb-a'], []]],
    );
    changes.length = 0;
    service.boards.delete('tb-b');
    await model.reload('tb-b');
    assert.deepEqual(
      changes.map((c) => [c.list, [...c.changed], [...c.removed]]),
      [[true, [], ['tb-b']]],
    );
    assert.equal(model.isRemoved('tb-b'), true);
  });

  describe('interleaved answers', () => {
    it('a poll answered after a delete does not bring the board back', async () => {
      const { service, model, ids } = setup();
      service.put(board('tb-a', 'Stopping', 5), board('tb-b', 'Running', 6));
      await model.ensureLoaded();
      service.auto = false;
      const poll = model.reload('tb-a'); // asked, and answered by the service, while the board still exists
      await settle();
      service.put(board('tb-a', 'Stopped', 5));
      // The user deletes it and the service confirms, before the poll's answer arrives.
      model.removeDeleted('tb-a');
      await service.answer(0);
      await poll;
      assert.deepEqual(ids(), ['tb-b:Running']);
      assert.equal(model.get('tb-a'), undefined);
    });

    it('a reload that saw the deletion wins over an older poll answered later', async () => {
      const { service, model, ids } = setup();
      service.put(board('tb-a', 'Stopping', 5));
      await model.ensureLoaded();
      service.auto = false;
      const olderPoll = model.reload('tb-a');
      await settle();
      const newer = model.reload('tb-a');
      await settle();
      service.boards.delete('tb-a');
      await service.answer(1); // the newer reload: not found
      service.put(board('tb-a', 'Stopped', 5));
      await service.answer(0); // the older poll: still there
      await Promise.all([olderPoll, newer]);
      assert.deepEqual(ids(), []);
    });

    it('a create that lands during a list keeps the new board when the older list answers', async () => {
      const { service, model, ids } = setup();
      service.put(board('tb-a', 'Running', 50));
      service.auto = false;
      const listing = model.refresh();
      await settle();
      const listAnswerFromBefore = service.calls.shift()!;
      // The board is created and reloaded after the list was asked for.
      service.put(board('tb-new', 'Creating', 0));
      service.auto = true;
      await model.reload('tb-new');
      service.boards.delete('tb-new');
      // The list answers from the service's state before the create.
      const before = [...service.boards.values()];
      listAnswerFromBefore.resolve({ tensorboards: before, totalCount: before.length });
      await listing;
      assert.deepEqual(ids(), ['tb-new:Creating', 'tb-a:Running']);
    });

    it('an older answer never overwrites a newer state, in either order', async () => {
      const { service, model } = setup();
      service.put(board('tb-a', 'Stopped', 5));
      await model.ensureLoaded();
      service.auto = false;
      const first = model.reload('tb-a');
      await settle();
      const second = model.reload('tb-a');
      await settle();
      service.put(board('tb-a', 'Running', 5));
      await service.answer(1);
      service.put(board('tb-a', 'Starting', 5));
      await service.answer(0);
      await Promise.all([first, second]);
      assert.equal(model.get('tb-a')?.status, 'Running');
    });

    it('answers for another workspace, asked before a reset, are dropped', async () => {
      const { service, model, ids } = setup();
      service.put(board('tb-a', 'Running', 5));
      await model.ensureLoaded();
      service.auto = false;
      const poll = model.reload('tb-a');
      await settle();
      model.reset();
      await service.answer(0);
      await poll;
      assert.deepEqual(ids(), []);
      assert.equal(model.state, 'idle');
    });

    it('a board a command names, asked for while a reset comes, is asked for again in the new scope', async () => {
      const { service, model } = setup();
      service.put(board('tb-a', 'Running', 5));
      service.auto = false;
      const looking = model.lookUp('tb-a');
      await settle();
      model.reset(); // signed in again, or the endpoint changed, while GetTensorboard was on its way
      await service.answer(0); // about the scope before: dropped
      assert.equal(service.calls.length, 1, 'the board was not asked for again');
      await service.answer(0);
      assert.equal((await looking)?.tensorboardId, 'tb-a');
      assert.equal(service.getCalls, 2);
    });

    it('a board a command names is undefined when the new scope does not have it, and asked for once without a reset', async () => {
      const { service, model } = setup();
      service.put(board('tb-a', 'Running', 5));
      service.auto = false;
      const looking = model.lookUp('tb-a');
      await settle();
      model.reset();
      await service.answer(0);
      service.boards.delete('tb-a');
      await service.answer(0);
      assert.equal(await looking, undefined);
      assert.equal(service.getCalls, 2);

      service.auto = true;
      assert.equal(await model.lookUp('tb-gone'), undefined);
      assert.equal(service.getCalls, 3);
    });

    it('a reset while a list is on its way leaves no board behind, whatever was shown before', async () => {
      const { service, model, ids } = setup();
      service.put(board('tb-a', 'Running', 5));
      await model.ensureLoaded();
      assert.deepEqual(ids(), ['tb-a:Running']);
      service.auto = false;
      const listing = model.refresh();
      await settle();
      model.reset(); // signed out meanwhile
      await service.answer(0);
      await listing;
      assert.deepEqual(ids(), []);
      assert.equal(model.state, 'idle');
    });

    it('a list never lists a board twice, whatever the pages return', async () => {
      const { service, model } = setup({ pageSize: 2 });
      service.put(board('tb-a', 'Running', 1), board('tb-b', 'Running', 2), board('tb-c', 'Running', 3));
      await model.ensureLoaded();
      // A new board shifts the pages: page 2 now repeats tb-b.
      service.put(board('tb-0', 'Creating', 0));
      await model.loadMore();
      assert.deepEqual(
        model.boards.map((b) => b.tensorboardId),
        ['tb-a', 'tb-b', 'tb-c'],
      );
      await model.refresh();
      assert.deepEqual(
        model.boards.map((b) => b.tensorboardId),
        ['tb-0', 'tb-a'],
      );
    });
  });

  describe('polling', () => {
    it('polls pending boards only while the list is visible, backing off, and stops when they settle', async () => {
      const { service, model, timer } = setup();
      service.put(board('tb-a', 'Creating', 1), board('tb-b', 'Running', 2));
      await model.ensureLoaded();
      await timer.advance(60_000);
      assert.equal(service.getCalls, 0, 'polled while nobody could see the list');
      model.setListVisible(true);
      await timer.advance(2_000);
      assert.equal(service.getCalls, 1);
      await timer.advance(3_200);
      assert.equal(service.getCalls, 2);
      service.put(board('tb-a', 'Running', 1));
      await timer.advance(5_120);
      assert.equal(service.getCalls, 3);
      await timer.advance(600_000);
      assert.equal(service.getCalls, 3, 'kept polling a settled board');
      assert.equal(timer.pendingCount, 0);
    });

    it('follows a board for its panel while the list is hidden, and polls a board waited on once per turn', async () => {
      const { service, model, timer } = setup();
      service.put(board('tb-a', 'Starting', 1), board('tb-b', 'Starting', 2));
      await model.ensureLoaded();
      const polled: string[] = [];
      const get = service.getTensorboard.bind(service);
      service.getTensorboard = (id) => (polled.push(`${timer.now}:${id}`), get(id));
      const following = model.follow('tb-a');
      const followingB = model.follow('tb-b');
      const waiting = model.whenSettled('tb-b');
      await timer.advance(2_000);
      assert.deepEqual(
        polled,
        ['2000:tb-a', '2000:tb-b'],
        'did not poll the followed board, or polled the waited one twice',
      );
      await timer.advance(3_200);
      assert.deepEqual(
        polled,
        ['2000:tb-a', '2000:tb-b', '4000:tb-b', '5200:tb-a'],
        'tb-b every 2 s while waited on, tb-a backing off',
      );
      service.put(board('tb-b', 'Running', 2));
      await timer.advance(800);
      assert.equal((await waiting).outcome, 'running');
      following.dispose();
      followingB.dispose();
      const calls = service.getCalls;
      await timer.advance(600_000);
      assert.equal(service.getCalls, calls, 'polled after the panels closed');
      assert.equal(timer.pendingCount, 0);
    });

    it('polls 1,000 boards with one GetTensorboard per pending board per round, and lists them in order', async () => {
      const { service, model, timer } = setup({ pageSize: 100 });
      for (let i = 0; i < 1_000; i++)
        service.put(board(`tb-${String(i).padStart(4, '0')}`, i % 10 === 0 ? 'Creating' : 'Running', i));
      await model.ensureLoaded();
      while (model.hasMore) await model.loadMore();
      assert.equal(model.boards.length, 1_000);
      assert.equal(model.boards[0]!.tensorboardId, 'tb-0000');
      assert.equal(model.boards[999]!.tensorboardId, 'tb-0999');
      model.setListVisible(true);
      await timer.advance(2_000);
      assert.equal(service.getCalls, 100);
      assert.equal(new Set(model.boards.map((b) => b.tensorboardId)).size, 1_000);
    });
  });

  it('shows a new board at once from what the create sent, until the first answer about it replaces it', async () => {
    const { service, model, ids, changes } = setup();
    await model.ensureLoaded();
    changes.length = 0;
    model.showAccepted(newBoard('tb-new', { displayName: 'tb-new', gmtCreateTime: '2024-05-09T23:59:00Z' }));
    assert.deepEqual(ids(), ['tb-new:Creating']);
    assert.equal(service.getCalls, 0, 'showing the new board cost a call');
    assert.deepEqual(
      changes.map((c) => [...c.changed]),
      [['tb-new']],
    );
    service.put(board('tb-new', 'Running', 1));
    await model.reload('tb-new');
    assert.deepEqual(ids(), ['tb-new:Running']);
  });

  it('shows the folder a board was created from, which the service does not echo back', async () => {
    const { service, model } = setup();
    service.put(board('tb-f', 'Creating', 0, { dataSourceType: 'OSS', summaryRelativePath: '/' }));
    model.rememberSource('tb-f', {
      uri: 'oss://bucket.oss-cn-hangzhou.aliyuncs.com/logs/',
      dataSourceType: 'OSS',
      summaryRelativePath: '/',
    });
    await model.reload('tb-f');
    assert.equal(model.get('tb-f')?.uri, 'oss://bucket.oss-cn-hangzhou.aliyuncs.com/logs/');
    assert.deepEqual(
      model.boards.map((b) => b.tensorboardId),
      ['tb-f'],
      'a new board in the window is listed at once',
    );
  });

  it('does not list an old board reloaded for its panel, but follows it', async () => {
    const { service, model } = setup();
    service.put(board('tb-old', 'Running', 200 * 24 * 60));
    await model.ensureLoaded();
    assert.deepEqual(model.boards, []);
    await model.reload('tb-old');
    assert.equal(model.get('tb-old')?.status, 'Running');
    assert.deepEqual(model.boards, []);
  });
});
