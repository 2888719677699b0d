import assert from 'node:assert/strict';
import { ManualClock, startEmulator, type Emulator } from '../../emulator';
import { api, boardStatus, createBoard, signedFetch } from './helpers';

describe('emulator: board lifecycle', () => {
  let emulator: Emulator;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5));
    emulator = await startEmulator({ clock, timings: { createMs: 3000, startMs: 2000, stopMs: 1000 } });
  });
  afterEach(() => emulator.stop());

  it('creates a board Creating, Running after createMs, with the documented shape', async () => {
    const id = await createBoard(emulator, { DisplayName: 'run-1' });
    assert.equal(await boardStatus(emulator, id), 'Creating');
    clock.advance(2999);
    assert.equal(await boardStatus(emulator, id), 'Creating');
    clock.advance(1);
    const board = await api(emulator, 'GET', `/api/v1/tensorboards/${id}`, {
      query: { WorkspaceId: emulator.workspaceId, JodId: 'dlc1a9r0uhfn24cl' },
    });
    assert.equal(board.Status, 'Running');
    assert.equal(board.TensorboardId, id);
    assert.equal(board.DisplayName, 'run-1');
    assert.match(String(board.RequestId), /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    assert.equal(board.GmtCreateTime, '2026-01-02T03:04:05Z');
    assert.equal(board.GmtFinishTime, null);
    assert.equal(board.Duration, '0');
    assert.equal(board.TensorboardUrl, `${emulator.endpoint}/tensorboard/${id}/`);
    clock.advance(90_000);
    assert.equal((await api(emulator, 'GET', `/api/v1/tensorboards/${id}`)).Duration, '90');
  });

  it('stops (Stopping -> Stopped after stopMs) and starts again (Creating -> Running after startMs)', async () => {
    const id = await createBoard(emulator);
    clock.advance(3000);
    await api(emulator, 'PUT', `/api/v1/tensorboards/${id}/stop`);
    assert.equal(await boardStatus(emulator, id), 'Stopping');
    clock.advance(1000);
    const stopped = await api(emulator, 'GET', `/api/v1/tensorboards/${id}`);
    assert.equal(stopped.Status, 'Stopped');
    assert.equal(stopped.GmtFinishTime, '2026-01-02T03:04:09Z');
    // Stop of a stopped board: a success that changes nothing.
    await api(emulator, 'PUT', `/api/v1/tensorboards/${id}/stop`);
    assert.equal(await boardStatus(emulator, id), 'Stopped');

    await api(emulator, 'PUT', `/api/v1/tensorboards/${id}/start`);
    assert.equal(await boardStatus(emulator, id), 'Creating');
    clock.advance(2000);
    assert.equal(await boardStatus(emulator, id), 'Running');
    // Start of a running board: a success that changes nothing.
    await api(emulator, 'PUT', `/api/v1/tensorboards/${id}/start`);
    assert.equal(await boardStatus(emulator, id), 'Running');
  });

  it('refuses to delete a running board and deletes a stopped one, which is then not found', async () => {
    const id = await createBoard(emulator);
    clock.advance(3000);
    const refused = await signedFetch(emulator, 'DELETE', `/api/v1/tensorboards/${id}`);
    assert.equal(refused.status, 400);
    assert.equal(refused.json().Code, 'InvalidStatus');
    await api(emulator, 'PUT', `/api/v1/tensorboards/${id}/stop`);
    clock.advance(1000);
    assert.equal((await api(emulator, 'DELETE', `/api/v1/tensorboards/${id}`)).TensorboardId, id);
    const gone = await signedFetch(emulator, 'GET', `/api/v1/tensorboards/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json().Code, 'TensorboardNotFound');
  });

  it('stops a board by itself when MaxRunningTimeMinutes has elapsed', async () => {
    const id = await createBoard(emulator, { MaxRunningTimeMinutes: 2 });
    clock.advance(3000 + 2 * 60_000 - 1);
    assert.equal(await boardStatus(emulator, id), 'Running');
    clock.advance(1);
    assert.equal(await boardStatus(emulator, id), 'Stopping');
    clock.advance(1000);
    const board = await api(emulator, 'GET', `/api/v1/tensorboards/${id}`);
    assert.equal(board.Status, 'Stopped');
    assert.equal(board.ReasonCode, 'MaxRunningTimeExceeded');
    assert.match(String(board.ReasonMessage), /MaxRunningTimeMinutes \(2\)/);
    assert.equal(board.Duration, '120');
  });

  it('applies UpdateTensorboard query parameters to a running board', async () => {
    const id = await createBoard(emulator);
    clock.advance(3000 + 10 * 60_000);
    await api(emulator, 'PUT', `/api/v1/tensorboards/${id}`, {
      query: { MaxRunningTimeMinutes: '5', Accessibility: 'PUBLIC', Priority: '3' },
    });
    const board = await api(emulator, 'GET', `/api/v1/tensorboards/${id}`);
    assert.equal(board.Accessibility, 'PUBLIC');
    assert.equal(board.Priority, '3');
    // Already past the new limit: it stops now, not in the past.
    assert.equal(board.Status, 'Stopping');
    const bad = await signedFetch(emulator, 'PUT', `/api/v1/tensorboards/${id}`, {
      query: { MaxRunningTimeMinutes: 'ten' },
    });
    assert.equal(bad.json().Code, 'InvalidParameter');
    assert.match(String(bad.json().Message), /MaxRunningTimeMinutes/);
  });

  it('enforces the quota of 5 boards per account with TensorboardLimitExceeded', async () => {
    // The seed holds 2 boards of this account.
    for (let i = 0; i < 3; i++) await createBoard(emulator);
    const refused = await signedFetch(emulator, 'POST', '/api/v1/tensorboards', {
      body: { JobId: 'dlc1a9r0uhfn24cl' },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.json().Code, 'TensorboardLimitExceeded');
    assert.equal(emulator.requests.at(-1)?.code, 'TensorboardLimitExceeded');
  });

  it('lets a board of an unknown job be created, then fail with ReasonCode/ReasonMessage', async () => {
    const id = await createBoard(emulator, { JobId: 'dlc-20990101000000-nosuchjob' });
    assert.equal(await boardStatus(emulator, id), 'Creating');
    clock.advance(3000);
    const board = await api(emulator, 'GET', `/api/v1/tensorboards/${id}`);
    assert.equal(board.Status, 'Failed');
    assert.equal(board.ReasonCode, 'JobNotFound');
    assert.match(String(board.ReasonMessage), /dlc-20990101000000-nosuchjob/);
    const fromDataset = await createBoard(emulator, { JobId: undefined, DataSourceId: 'd-doesnotexist' });
    clock.advance(3000);
    assert.equal((await api(emulator, 'GET', `/api/v1/tensorboards/${fromDataset}`)).ReasonCode, 'DataSourceNotFound');
  });

  it('validates the create body and names the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ JobId: 'dlc1a9r0uhfn24cl', MaxRunningTimeMinutes: 1.5 }, 'MaxRunningTimeMinutes'],
      [{ JobId: 'dlc1a9r0uhfn24cl', MaxRunningTimeMinutes: '240' }, 'MaxRunningTimeMinutes'],
      [{ JobId: 42 }, 'JobId'],
      [{ JobId: 'dlc1a9r0uhfn24cl', Priority: '10' }, 'Priority'],
      [{ JobId: 'dlc1a9r0uhfn24cl', Accessibility: 'WORLD' }, 'Accessibility'],
      [{ Uri: 'oss://bucket/path/', DataSourceType: 'NAS' }, 'Uri'],
      [{ DisplayName: 'no source' }, 'JobId'],
      [{ JobId: 'dlc1a9r0uhfn24cl', WorkspaceId: '999' }, 'WorkspaceId'],
    ];
    for (const [body, field] of cases) {
      const answer = await signedFetch(emulator, 'POST', '/api/v1/tensorboards', { body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.json().Code, 'InvalidParameter');
      assert.match(String(answer.json().Message), new RegExp(field), JSON.stringify(body));
    }
  });

  it('answers a not-found error for an unknown board or job, configurable', async () => {
    const board = await signedFetch(emulator, 'PUT', '/api/v1/tensorboards/tbnosuchboard0000/start');
    assert.equal(board.status, 404);
    assert.equal(board.json().Code, 'TensorboardNotFound');
    const job = await signedFetch(emulator, 'GET', '/api/v1/jobs/dlcnosuchjob');
    assert.equal(job.status, 404);
    assert.equal(job.json().Code, 'JobNotFound');

    const other = await startEmulator({
      clock,
      errorOverrides: { tensorboardNotFound: { code: 'NotFound', status: 400 } },
    });
    try {
      const answer = await signedFetch(other, 'GET', '/api/v1/tensorboards/tbnosuchboard0000');
      assert.equal(answer.status, 400);
      assert.equal(answer.json().Code, 'NotFound');
    } finally {
      await other.stop();
    }
  });

  it('answers board statuses in lower case when asked to', async () => {
    const lower = await startEmulator({ clock, statusCase: 'lower' });
    try {
      assert.equal(await boardStatus(lower, 'tb4k8lc5xfu36opt'), 'running');
      const list = await api(lower, 'GET', '/api/v1/tensorboards', { query: { Status: 'RUNNING' } });
      assert.equal(list.TotalCount, 1);
    } finally {
      await lower.stop();
    }
  });

  it('lets a test set a board status directly', async () => {
    emulator.setBoardStatus('tb4k8lc5xfu36opt', 'Failed', { code: 'OOMKilled', message: 'out of memory' });
    const board = await api(emulator, 'GET', '/api/v1/tensorboards/tb4k8lc5xfu36opt');
    assert.equal(board.Status, 'Failed');
    assert.equal(board.ReasonCode, 'OOMKilled');
  });

  it('hands out a shared URL whose token is an HS256 JWT shaped like the doc sample', async () => {
    const answer = await api(emulator, 'GET', '/api/v1/tensorboards/tb4k8lc5xfu36opt/sharedurl', {
      query: { ExpireTimeSeconds: '3600' },
    });
    const url = String(answer.TensorboardSharedUrl);
    const match = new RegExp(`^${emulator.endpoint}/share/tb4k8lc5xfu36opt/token/([^/]+)/$`).exec(url);
    assert.ok(match, url);
    const [header, payload] = match[1]
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown);
    assert.deepEqual(header, { alg: 'HS256', typ: 'JWT' });
    const iat = Math.floor(clock.now() / 1000);
    assert.deepEqual(payload, {
      exp: iat + 3600,
      iat,
      user_id: '1157703270994901',
      target_id: 'tb4k8lc5xfu36opt',
      target_type: 'tensorboard',
    });
    const tooLong = await signedFetch(emulator, 'GET', '/api/v1/tensorboards/tb4k8lc5xfu36opt/sharedurl', {
      query: { ExpireTimeSeconds: '604801' },
    });
    assert.equal(tooLong.json().Code, 'InvalidParameter');
  });
});
