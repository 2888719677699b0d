import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultSeedPath, ManualClock, startEmulator, type Emulator, type Seed } from '../../emulator';
import { api, createBoard, signedFetch } from './helpers';

const colleague = { accessKeyId: 'EMULATORCOLLEAGUEKEYID', accessKeySecret: 'EmulatorColleagueSecret0NotForRealUse' };

function ids(list: Record<string, unknown>, key: 'Tensorboards' | 'Jobs', idField: string): string[] {
  return (list[key] as Array<Record<string, unknown>>).map((item) => String(item[idField]));
}

describe('emulator: lists', () => {
  let emulator: Emulator;
  let clock: ManualClock;

  afterEach(() => emulator.stop());

  describe('with the default seed', () => {
    beforeEach(async () => {
      clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 0));
      emulator = await startEmulator({ clock });
    });

    it('hides boards older than 7 days unless StartTime is given', async () => {
      const recent = await api(emulator, 'GET', '/api/v1/tensorboards', {
        query: { WorkspaceId: emulator.workspaceId },
      });
      assert.deepEqual(ids(recent, 'Tensorboards', 'TensorboardId'), ['tb4k8lc5xfu36opt']);
      assert.equal(recent.TotalCount, 1);
      const all = await api(emulator, 'GET', '/api/v1/tensorboards', { query: { StartTime: '2026-05-01T00:00:00Z' } });
      assert.deepEqual(ids(all, 'Tensorboards', 'TensorboardId'), ['tb4k8lc5xfu36opt', 'tb9w3n6c1r8m2qxd']);
      const old = (all.Tensorboards as Array<Record<string, unknown>>)[1];
      assert.equal(old.Status, 'Stopped');
      assert.equal(old.GmtFinishTime, '2026-05-22T18:40:00Z');
    });

    it('hides jobs older than 7 days unless StartTime is given, and filters case-insensitively', async () => {
      const recent = await api(emulator, 'GET', '/api/v1/jobs', { query: { PageSize: '100' } });
      assert.ok(!ids(recent, 'Jobs', 'JobId').includes('dlc-20250101120000-q8r2t6y0u4i1'));
      const all = await api(emulator, 'GET', '/api/v1/jobs', {
        query: { PageSize: '100', StartTime: '2026-01-01T00:00:00Z' },
      });
      assert.ok(ids(all, 'Jobs', 'JobId').includes('dlc-20250101120000-q8r2t6y0u4i1'));
      const running = await api(emulator, 'GET', '/api/v1/jobs', {
        query: { Status: 'running', WorkspaceId: emulator.workspaceId },
      });
      assert.deepEqual(ids(running, 'Jobs', 'JobId'), ['dlc1a9r0uhfn24cl']);
      const job = (running.Jobs as Array<Record<string, unknown>>)[0];
      assert.equal(typeof job.Duration, 'number');
      assert.deepEqual(job.DataSources, [
        { DataSourceId: 'd-p7c4n1h6y0bqej', MountPath: '/mnt/nas/' },
        { DataSourceId: 'd-k2x8vq3m9r1tzw', MountPath: '/mnt/data/' },
      ]);
    });

    it('shows only the caller own items by default; ShowOwn=false shows the other user items', async () => {
      const own = await api(emulator, 'GET', '/api/v1/jobs', { query: { PageSize: '100' } });
      assert.ok(!ids(own, 'Jobs', 'JobId').includes('dlc8f4j0n5r2u7y3'));
      const everyone = await api(emulator, 'GET', '/api/v1/jobs', { query: { PageSize: '100', ShowOwn: 'false' } });
      assert.ok(ids(everyone, 'Jobs', 'JobId').includes('dlc8f4j0n5r2u7y3'));

      const colleagueBoard = await createBoard(emulator, { Accessibility: 'PUBLIC' }, { credentials: colleague });
      const mine = await api(emulator, 'GET', '/api/v1/tensorboards');
      assert.ok(!ids(mine, 'Tensorboards', 'TensorboardId').includes(colleagueBoard));
      const shared = await api(emulator, 'GET', '/api/v1/tensorboards', { query: { ShowOwn: 'false' } });
      assert.ok(ids(shared, 'Tensorboards', 'TensorboardId').includes(colleagueBoard));
      const theirs = await api(emulator, 'GET', '/api/v1/tensorboards', { credentials: colleague });
      assert.deepEqual(ids(theirs, 'Tensorboards', 'TensorboardId'), [colleagueBoard]);
    });

    it('validates PageSize (1..100), PageNumber and ShowOwn', async () => {
      for (const [name, value] of [
        ['PageSize', '101'],
        ['PageSize', '0'],
        ['PageNumber', '0'],
        ['PageSize', 'ten'],
        ['ShowOwn', 'yes'],
        ['StartTime', 'yesterday'],
        ['SortBy', 'Size'],
      ]) {
        const answer = await signedFetch(emulator, 'GET', '/api/v1/tensorboards', { query: { [name]: value } });
        assert.equal(answer.status, 400, `${name}=${value}`);
        assert.equal(answer.json().Code, 'InvalidParameter');
        assert.match(String(answer.json().Message), new RegExp(name));
      }
      const max = await signedFetch(emulator, 'GET', '/api/v1/jobs', { query: { PageSize: '100' } });
      assert.equal(max.status, 200);
      const tooBig = await signedFetch(emulator, 'GET', '/api/v1/jobs', { query: { PageSize: '101' } });
      assert.equal(tooBig.json().Code, 'InvalidParameter');
    });
  });

  describe('with 25 boards and 25 jobs', () => {
    beforeEach(async () => {
      clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 0));
      const seed = JSON.parse(readFileSync(defaultSeedPath(), 'utf8')) as Seed &
        Required<Pick<Seed, 'jobs' | 'tensorboards'>>;
      const owner = '1157703270994901';
      seed.tensorboards = Array.from({ length: 25 }, (_, i) => ({
        tensorboardId: `tbpage${String(i).padStart(10, '0')}`,
        displayName: `board-${String.fromCharCode(97 + ((i * 7) % 25))}`,
        status: i % 2 ? 'Running' : 'Stopped',
        userId: owner,
        workspaceId: '86923',
        createdMinutesAgo: 10 + i * 30,
        jobId: 'dlc1a9r0uhfn24cl',
      }));
      seed.jobs = Array.from({ length: 25 }, (_, i) => ({
        jobId: `dlcpage${String(i).padStart(9, '0')}`,
        displayName: `job-${i}`,
        jobType: 'PyTorchJob',
        status: 'Succeeded',
        userId: owner,
        workspaceId: '86923',
        createdMinutesAgo: 5 + i * 60,
      }));
      emulator = await startEmulator({ clock, seed, boardQuota: 100 });
    });

    it('pages boards: default 10, disjoint pages, right TotalCount, newest first', async () => {
      const first = await api(emulator, 'GET', '/api/v1/tensorboards');
      assert.equal(ids(first, 'Tensorboards', 'TensorboardId').length, 10);
      assert.equal(first.TotalCount, 25);
      const pages = [];
      for (const pageNumber of ['1', '2', '3']) {
        pages.push(
          ids(
            await api(emulator, 'GET', '/api/v1/tensorboards', { query: { PageNumber: pageNumber, PageSize: '10' } }),
            'Tensorboards',
            'TensorboardId',
          ),
        );
      }
      assert.deepEqual(
        pages.map((page) => page.length),
        [10, 10, 5],
      );
      const seen = pages.flat();
      assert.equal(new Set(seen).size, 25);
      assert.deepEqual(
        seen,
        Array.from({ length: 25 }, (_, i) => `tbpage${String(i).padStart(10, '0')}`),
      );
      const beyond = await api(emulator, 'GET', '/api/v1/tensorboards', { query: { PageNumber: '4' } });
      assert.deepEqual(beyond.Tensorboards, []);
      assert.equal(beyond.TotalCount, 25);
    });

    it('sorts boards by DisplayName or GmtCreateTime in either order, and filters by status', async () => {
      const byName = await api(emulator, 'GET', '/api/v1/tensorboards', {
        query: { SortBy: 'DisplayName', Order: 'asc', PageSize: '100' },
      });
      const names = (byName.Tensorboards as Array<Record<string, unknown>>).map((board) => String(board.DisplayName));
      assert.deepEqual(names, [...names].sort());
      const oldestFirst = await api(emulator, 'GET', '/api/v1/tensorboards', {
        query: { Order: 'asc', PageSize: '1' },
      });
      assert.deepEqual(ids(oldestFirst, 'Tensorboards', 'TensorboardId'), ['tbpage0000000024']);
      const running = await api(emulator, 'GET', '/api/v1/tensorboards', {
        query: { Status: 'running', PageSize: '100' },
      });
      assert.equal(running.TotalCount, 12);
    });

    it('pages jobs with disjoint pages and the right TotalCount', async () => {
      const seen: string[] = [];
      for (const pageNumber of ['1', '2', '3']) {
        const page = await api(emulator, 'GET', '/api/v1/jobs', { query: { PageNumber: pageNumber, PageSize: '10' } });
        assert.equal(page.TotalCount, 25);
        seen.push(...ids(page, 'Jobs', 'JobId'));
      }
      assert.equal(new Set(seen).size, 25);
      assert.equal(seen[0], 'dlcpage000000000');
      const byName = await api(emulator, 'GET', '/api/v1/jobs', {
        query: { SortBy: 'DisplayName', Order: 'asc', PageSize: '3' },
      });
      assert.deepEqual(ids(byName, 'Jobs', 'DisplayName'), ['job-0', 'job-1', 'job-10']);
    });
  });
});
