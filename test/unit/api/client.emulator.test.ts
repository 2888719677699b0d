import * as assert from 'node:assert/strict';
import http = require('node:http');
import { DlcClient, DlcError, type CallEvent, type DlcClientOptions } from '../../../src/api';
import { ManualClock, startEmulator, type Emulator } from '../../emulator';
import { rejection } from './rejection';
import { closedPort } from '../../shared/ports';

const start = Date.parse('2026-01-02T03:04:05Z');

describe('api/client against the emulator', function () {
  this.timeout(5000);
  const clock = new ManualClock(start);
  let emu: Emulator;
  let delays: number[];
  let events: CallEvent[];

  before(async () => {
    emu = await startEmulator({ port: 0, clock, timings: { createMs: 1000, startMs: 1000, stopMs: 1000 } });
  });
  after(() => emu.stop());
  beforeEach(() => {
    clock.set(start);
    emu.reset();
    delays = [];
    events = [];
  });

  function client(options: Partial<DlcClientOptions> = {}): DlcClient {
    return new DlcClient({
      endpoint: emu.endpoint,
      credentials: { getCredentials: async () => emu.credentials },
      clock,
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.5,
      onCall: (event) => events.push(event),
      ...options,
    });
  }

  const last = () => emu.requests[emu.requests.length - 1];

  describe('operations', () => {
    it('CreateTensorboard: POST with a JSON body under the wire names', async () => {
      const created = await client().createTensorboard({
        workspaceId: emu.workspaceId,
        jobId: 'dlc1a9r0uhfn24cl',
        summaryRelativePath: '/output/runs/',
        displayName: 'resnet50 board',
        maxRunningTimeMinutes: 120,
        accessibility: 'PRIVATE',
        options: { mountpath: '/mnt/data/' },
      });
      assert.match(created.tensorboardId, /\S/);
      assert.match(created.requestId, /^[0-9A-F-]{36}$/);
      assert.equal(created.jobId, 'dlc1a9r0uhfn24cl');
      const request = last();
      assert.equal(request.operation, 'CreateTensorboard');
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/api/v1/tensorboards');
      assert.deepEqual(request.query, {});
      assert.deepEqual(request.body, {
        WorkspaceId: emu.workspaceId,
        JobId: 'dlc1a9r0uhfn24cl',
        SummaryRelativePath: '/output/runs/',
        DisplayName: 'resnet50 board',
        MaxRunningTimeMinutes: 120,
        Accessibility: 'PRIVATE',
        Options: '{"mountpath":"/mnt/data/"}',
      });
      assert.equal(request.headers['content-type'], 'application/json');
      assert.equal(request.headers['x-acs-version'], '2020-12-03');
      assert.equal(
        request.headers['date'],
        new Date(start).toUTCString(),
        'the date header comes from the injected clock',
      );
      assert.equal(request.status, 200);
    });

    it('GetTensorboard: GET with WorkspaceId and JodId in the query', async () => {
      const board = await client().getTensorboard('tb4k8lc5xfu36opt', {
        workspaceId: emu.workspaceId,
        jobId: 'dlc1a9r0uhfn24cl',
      });
      assert.equal(board.tensorboardId, 'tb4k8lc5xfu36opt');
      assert.equal(board.status.toLowerCase(), 'running');
      assert.equal(typeof board.durationSeconds, 'number');
      assert.match(board.url, /^http:\/\/127\.0\.0\.1:\d+\/tensorboard\/tb4k8lc5xfu36opt\/$/);
      assert.equal(board.workspaceId, emu.workspaceId);
      assert.equal(board.gmtFinishTime, undefined);
      const request = last();
      assert.equal(request.method, 'GET');
      assert.equal(request.path, '/api/v1/tensorboards/tb4k8lc5xfu36opt');
      assert.deepEqual(request.query, { WorkspaceId: emu.workspaceId, JodId: 'dlc1a9r0uhfn24cl' });
      assert.equal(request.body, undefined);
      assert.equal(request.headers['content-type'], undefined, 'no body, no content type');
    });

    it('ListTensorboards: query values as strings, undefined left out', async () => {
      const page = await client().listTensorboards({
        workspaceId: emu.workspaceId,
        pageSize: 50,
        pageNumber: 1,
        showOwn: true,
        startTime: new Date(start - 30 * 86_400_000),
        endTime: new Date(start),
        sortBy: 'GmtCreateTime',
        order: 'desc',
        displayName: undefined,
      });
      assert.ok(page.tensorboards.some((board) => board.tensorboardId === 'tb4k8lc5xfu36opt'));
      assert.equal(page.totalCount, page.tensorboards.length);
      assert.deepEqual(last().query, {
        WorkspaceId: emu.workspaceId,
        PageSize: '50',
        PageNumber: '1',
        ShowOwn: 'true',
        StartTime: '2025-12-03T03:04:05Z',
        EndTime: '2026-01-02T03:04:05Z',
        SortBy: 'GmtCreateTime',
        Order: 'desc',
      });
      assert.equal(last().path, '/api/v1/tensorboards');
    });

    it('Stop, Start and Delete: PUT …/stop, PUT …/start, DELETE, following the lifecycle', async () => {
      const dlc = client();
      const workspaceId = emu.workspaceId;
      const stopped = await dlc.stopTensorboard('tb4k8lc5xfu36opt', { workspaceId });
      assert.equal(stopped.tensorboardId, 'tb4k8lc5xfu36opt');
      assert.deepEqual(
        [last().method, last().path, last().query],
        ['PUT', '/api/v1/tensorboards/tb4k8lc5xfu36opt/stop', { WorkspaceId: workspaceId }],
      );
      clock.advance(1000);
      assert.equal((await dlc.getTensorboard('tb4k8lc5xfu36opt', { workspaceId })).status.toLowerCase(), 'stopped');

      await dlc.startTensorboard('tb4k8lc5xfu36opt', { workspaceId });
      assert.deepEqual([last().method, last().path], ['PUT', '/api/v1/tensorboards/tb4k8lc5xfu36opt/start']);
      clock.advance(1000);
      assert.equal((await dlc.getTensorboard('tb4k8lc5xfu36opt')).status.toLowerCase(), 'running');

      await dlc.stopTensorboard('tb4k8lc5xfu36opt');
      clock.advance(1000);
      const deleted = await dlc.deleteTensorboard('tb4k8lc5xfu36opt', { workspaceId });
      assert.equal(deleted.tensorboardId, 'tb4k8lc5xfu36opt');
      assert.deepEqual(
        [last().method, last().path, last().query],
        ['DELETE', '/api/v1/tensorboards/tb4k8lc5xfu36opt', { WorkspaceId: workspaceId }],
      );
      const gone = await rejection(dlc.getTensorboard('tb4k8lc5xfu36opt'));
      assert.equal(gone.httpStatus, 404);
      assert.match(gone.hint ?? '', /not found/);
      assert.equal(gone.retryable, false);
    });

    it('UpdateTensorboard: PUT with the changes in the query and no body', async () => {
      const updated = await client().updateTensorboard('tb4k8lc5xfu36opt', {
        workspaceId: emu.workspaceId,
        maxRunningTimeMinutes: 300,
        accessibility: 'PUBLIC',
        priority: '2',
      });
      assert.equal(updated.tensorboardId, 'tb4k8lc5xfu36opt');
      const request = last();
      assert.equal(request.method, 'PUT');
      assert.equal(request.path, '/api/v1/tensorboards/tb4k8lc5xfu36opt');
      assert.deepEqual(request.query, {
        WorkspaceId: emu.workspaceId,
        MaxRunningTimeMinutes: '300',
        Accessibility: 'PUBLIC',
        Priority: '2',
      });
      assert.equal(request.body, undefined);
      const board = await client().getTensorboard('tb4k8lc5xfu36opt');
      assert.equal(board.maxRunningTimeMinutes, 300);
      assert.equal(board.accessibility, 'PUBLIC');
    });

    it('GetTensorboardSharedUrl: GET …/sharedurl with ExpireTimeSeconds', async () => {
      const shared = await client().getTensorboardSharedUrl('tb4k8lc5xfu36opt', { expireTimeSeconds: 3600 });
      assert.match(shared.url, /^https?:\/\//);
      assert.deepEqual(
        [last().method, last().path, last().query],
        ['GET', '/api/v1/tensorboards/tb4k8lc5xfu36opt/sharedurl', { ExpireTimeSeconds: '3600' }],
      );
    });

    it('ListJobs and GetJob: jobs with their data sources', async () => {
      const dlc = client();
      const page = await dlc.listJobs({
        workspaceId: emu.workspaceId,
        pageSize: 50,
        showOwn: false,
        startTime: new Date(start - 30 * 86_400_000),
      });
      assert.deepEqual([last().method, last().path], ['GET', '/api/v1/jobs']);
      assert.deepEqual(last().query, {
        WorkspaceId: emu.workspaceId,
        PageSize: '50',
        ShowOwn: 'false',
        StartTime: '2025-12-03T03:04:05Z',
      });
      const listed = page.jobs.find((job) => job.jobId === 'dlc1a9r0uhfn24cl');
      assert.ok(listed);
      assert.equal(typeof listed.durationSeconds, 'number');
      assert.deepEqual(
        listed.dataSources.map((source) => source.mountPath),
        ['/mnt/nas/', '/mnt/data/'],
      );

      const job = await dlc.getJob('dlc1a9r0uhfn24cl', { needDetail: true });
      assert.deepEqual(
        [last().method, last().path, last().query],
        ['GET', '/api/v1/jobs/dlc1a9r0uhfn24cl', { NeedDetail: 'true' }],
      );
      assert.equal(job.jobType, 'PyTorchJob');
      assert.equal(job.dataSources[1].uri, 'oss://pai-emulator-demo.oss-cn-hangzhou-internal.aliyuncs.com/mnist/');
      assert.match(job.requestId ?? '', /\S/);
    });

    it('strips a trailing slash from the endpoint', async () => {
      await client({ endpoint: `${emu.endpoint}/` }).getJob('dlc1a9r0uhfn24cl');
      assert.equal(last().path, '/api/v1/jobs/dlc1a9r0uhfn24cl');
      assert.equal(last().status, 200);
    });

    it('rejects invalid input before anything is sent', async () => {
      let asked = 0;
      const dlc = client({ credentials: { getCredentials: async () => (asked++, emu.credentials) } });
      for (const call of [
        dlc.createTensorboard({ cpu: 0 }),
        dlc.getTensorboard(''),
        dlc.listTensorboards({ pageSize: 500 }),
        dlc.updateTensorboard('tb1', { priority: '0' }),
        dlc.getTensorboardSharedUrl('tb1', { expireTimeSeconds: 10 ** 7 }),
        dlc.listJobs({ tags: ['a'] as unknown as Record<string, string> }),
      ]) {
        const error = await rejection(call);
        assert.equal(error.code, 'InvalidInput');
        assert.equal(error.retryable, false);
      }
      assert.equal(emu.requests.length, 0);
      assert.equal(asked, 0);
    });
  });

  describe('failures and retries', () => {
    it('retries a throttled GET, honouring x-acs-retry-after', async () => {
      emu.injectFault({ kind: 'throttling', operation: 'GetTensorboard', times: 2, retryAfterSeconds: 2 });
      const board = await client().getTensorboard('tb4k8lc5xfu36opt');
      assert.equal(board.tensorboardId, 'tb4k8lc5xfu36opt');
      assert.equal(emu.requests.length, 3);
      assert.deepEqual(delays, [2000, 2000]);
      assert.deepEqual(
        events.map((event) => [event.attempt, event.code, event.httpStatus]),
        [
          [1, 'Throttling.User', 400],
          [2, 'Throttling.User', 400],
          [3, undefined, 200],
        ],
      );
      assert.ok(events.every((event) => event.operation === 'GetTensorboard' && /\S/.test(event.requestId ?? '')));
    });

    it('backs off exponentially on 5xx and gives up after maxAttempts', async () => {
      emu.injectFault({ kind: 'internalError', operation: 'ListJobs', times: 10 });
      const error = await rejection(client({ retry: { maxAttempts: 4, baseDelayMs: 100 } }).listJobs());
      assert.equal(error.code, 'InternalError');
      assert.equal(error.httpStatus, 500);
      assert.equal(error.retryable, true);
      assert.match(error.requestId ?? '', /\S/);
      assert.equal(emu.requests.length, 4);
      assert.deepEqual(delays, [75, 150, 300], 'random() = 0.5 sits at three quarters of each doubling step');
    });

    it('retries start, stop and update on 503', async () => {
      for (const operation of ['StopTensorboard', 'UpdateTensorboard', 'StartTensorboard'] as const) {
        emu.injectFault({ kind: 'serviceUnavailable', operation });
      }
      const dlc = client();
      await dlc.stopTensorboard('tb4k8lc5xfu36opt');
      await dlc.updateTensorboard('tb4k8lc5xfu36opt', { maxRunningTimeMinutes: 60 });
      clock.advance(1000);
      await dlc.startTensorboard('tb4k8lc5xfu36opt');
      assert.deepEqual(
        emu.requests.map((request) => [request.operation, request.status]),
        [
          ['StopTensorboard', 503],
          ['StopTensorboard', 200],
          ['UpdateTensorboard', 503],
          ['UpdateTensorboard', 200],
          ['StartTensorboard', 503],
          ['StartTensorboard', 200],
        ],
      );
    });

    it('never repeats CreateTensorboard on 503 or throttling', async () => {
      const request = { jobId: 'dlc1a9r0uhfn24cl', summaryRelativePath: '/output/runs/' };
      emu.injectFault({ kind: 'serviceUnavailable', operation: 'CreateTensorboard' });
      const unavailable = await rejection(client().createTensorboard(request));
      assert.equal(unavailable.code, 'ServiceUnavailable');
      assert.equal(unavailable.retryable, true, 'a later retry by the user may help');
      emu.injectFault({ kind: 'throttling', operation: 'CreateTensorboard', retryAfterSeconds: 1 });
      const throttled = await rejection(client().createTensorboard(request));
      assert.equal(throttled.code, 'Throttling.User');
      assert.equal(throttled.retryAfterMs, 1000);
      assert.equal(emu.requests.length, 2);
      assert.deepEqual(delays, []);
    });

    it('never repeats DeleteTensorboard on 503 or throttling', async () => {
      emu.setBoardStatus('tb4k8lc5xfu36opt', 'Stopped');
      emu.injectFault({ kind: 'serviceUnavailable', operation: 'DeleteTensorboard' });
      assert.equal((await rejection(client().deleteTensorboard('tb4k8lc5xfu36opt'))).code, 'ServiceUnavailable');
      emu.injectFault({ kind: 'throttling', operation: 'DeleteTensorboard' });
      assert.equal((await rejection(client().deleteTensorboard('tb4k8lc5xfu36opt'))).code, 'Throttling.User');
      assert.equal(emu.requests.length, 2);
    });

    it('times out a slow GET at the read timeout and retries it', async () => {
      // The retry must answer within the same read timeout: 1 s, so that a loaded machine cannot time it out too.
      emu.injectFault({ kind: 'delay', operation: 'GetTensorboard', delayMs: 5000 });
      const board = await client({ readTimeoutMs: 1000 }).getTensorboard('tb4k8lc5xfu36opt');
      assert.equal(board.tensorboardId, 'tb4k8lc5xfu36opt');
      assert.equal(emu.requests.length, 2);
      assert.deepEqual(
        events.map((event) => event.code),
        ['Timeout', undefined],
      );
    });

    it('does not repeat a timed-out create, and says the board may exist', async () => {
      emu.injectFault({ kind: 'delay', operation: 'CreateTensorboard', delayMs: 2000 });
      const error = await rejection(client({ readTimeoutMs: 150 }).createTensorboard({ jobId: 'dlc1a9r0uhfn24cl' }));
      assert.equal(error.code, 'Timeout');
      assert.match(error.hint ?? '', /may have been created/);
      assert.equal(emu.requests.length, 1);
    });

    it('a read timeout longer than the connect timeout is honoured', async () => {
      emu.injectFault({ kind: 'delay', operation: 'GetJob', delayMs: 300 });
      const job = await client({ connectTimeoutMs: 100, readTimeoutMs: 2000 }).getJob('dlc1a9r0uhfn24cl');
      assert.equal(job.jobId, 'dlc1a9r0uhfn24cl');
      assert.equal(emu.requests.length, 1);
    });

    it('a dropped connection is a network error: retried for GET, not for create', async () => {
      emu.injectFault({ kind: 'drop', operation: 'GetJob' });
      await client().getJob('dlc1a9r0uhfn24cl');
      assert.equal(emu.requests.length, 2);
      assert.equal(events[0].code, 'NetworkError');

      emu.injectFault({ kind: 'drop', operation: 'CreateTensorboard' });
      const error = await rejection(client().createTensorboard({ jobId: 'dlc1a9r0uhfn24cl' }));
      assert.equal(error.code, 'NetworkError');
      assert.equal(error.retryable, true);
      assert.match(error.hint ?? '', /Cannot reach/);
      assert.equal(emu.requests.length, 3);
    });

    it('an HTML 502 is an error, not a result', async () => {
      emu.injectFault({ kind: 'htmlBadGateway', operation: 'ListTensorboards', times: 5 });
      const error = await rejection(client({ retry: { maxAttempts: 2 } }).listTensorboards());
      assert.equal(error.code, 'BadResponse');
      assert.equal(error.httpStatus, 502);
      assert.equal(error.retryable, true);
      assert.match(error.message, /text\/html/);
      assert.equal(emu.requests.length, 2);
    });

    it('malformed JSON is an error', async () => {
      emu.injectFault({ kind: 'malformedJson', operation: 'GetTensorboard' });
      const error = await rejection(client().getTensorboard('tb4k8lc5xfu36opt'));
      assert.equal(error.code, 'BadResponse');
      assert.equal(error.httpStatus, 200);
      assert.match(error.message, /does not parse/);
      assert.equal(emu.requests.length, 1);
    });

    it('a missing field is an InvalidResponse naming it', async () => {
      emu.injectFault({ kind: 'missingField', operation: 'GetTensorboard' });
      const board = await rejection(client().getTensorboard('tb4k8lc5xfu36opt'));
      assert.equal(board.code, 'InvalidResponse');
      assert.match(board.message, /TensorboardId is missing/);
      assert.match(board.requestId ?? '', /\S/);
      assert.equal(board.retryable, false);

      emu.injectFault({ kind: 'missingField', operation: 'ListTensorboards' });
      assert.match((await rejection(client().listTensorboards())).message, /Tensorboards is missing/);
      emu.injectFault({ kind: 'missingField', operation: 'StartTensorboard' });
      assert.match(
        (await rejection(client().startTensorboard('tb4k8lc5xfu36opt'))).message,
        /TensorboardId is missing/,
      );
    });

    it('TensorboardLimitExceeded carries its hint', async () => {
      const dlc = client();
      let error: DlcError | undefined;
      for (let i = 0; i < 8 && !error; i++) {
        error = await dlc.createTensorboard({ jobId: 'dlc1a9r0uhfn24cl' }).then(
          () => undefined,
          (e: DlcError) => e,
        );
      }
      assert.equal(error?.code, 'TensorboardLimitExceeded');
      assert.match(error?.hint ?? '', /Stop or delete one/);
    });

    it("still sees status and retry-after when something swaps the agent (VS Code's proxy support does)", async () => {
      const original = http.request;
      const foreignAgent = new http.Agent();
      const patched = (options: http.RequestOptions, callback?: (response: http.IncomingMessage) => void) =>
        original({ ...options, agent: foreignAgent }, callback);
      (http as { request: unknown }).request = patched;
      try {
        emu.injectFault({ kind: 'throttling', operation: 'GetJob', retryAfterSeconds: 3 });
        const job = await client().getJob('dlc1a9r0uhfn24cl');
        assert.equal(job.jobId, 'dlc1a9r0uhfn24cl');
        assert.deepEqual(delays, [3000]);
        emu.injectFault({ kind: 'htmlBadGateway', operation: 'GetJob' });
        assert.equal(
          (await rejection(client({ retry: { maxAttempts: 1 } }).getJob('dlc1a9r0uhfn24cl'))).httpStatus,
          502,
        );
      } finally {
        (http as { request: unknown }).request = original;
        foreignAgent.destroy();
      }
    });

    it('a refused connection is retried for any operation: nothing was sent', async () => {
      const port = await closedPort();
      const error = await rejection(
        client({ endpoint: `http://127.0.0.1:${port}`, retry: { maxAttempts: 3 } }).createTensorboard({
          jobId: 'dlc1',
        }),
      );
      assert.equal(error.code, 'NetworkError');
      assert.match(error.message, /ECONNREFUSED/);
      assert.equal(delays.length, 2);
    });
  });

  describe('credentials', () => {
    it('a wrong secret is SignatureDoesNotMatch, with a hint and without the secret', async () => {
      const secret = 'WrongSecretThatMustNotLeak0123';
      const error = await rejection(
        client({
          credentials: {
            getCredentials: async () => ({ accessKeyId: emu.credentials.accessKeyId, accessKeySecret: secret }),
          },
        }).listJobs(),
      );
      assert.equal(error.code, 'SignatureDoesNotMatch');
      assert.match(error.hint ?? '', /secret does not match/);
      assert.equal(error.retryable, false);
      assert.equal(emu.requests.length, 1);
      const everything = JSON.stringify({ error, message: error.message, stack: error.stack, events });
      assert.ok(!everything.includes(secret));
    });

    it('an STS token quoted back in an error message is redacted', async () => {
      const sts = emu.issueStsCredentials();
      const error = await rejection(
        client({
          credentials: { getCredentials: async () => ({ ...sts, accessKeySecret: 'wrong-secret-xyz' }) },
        }).listJobs(),
      );
      assert.equal(error.code, 'SignatureDoesNotMatch');
      assert.ok(!error.message.includes(sts.securityToken), 'the server string to sign holds x-acs-security-token');
      assert.ok(!error.message.includes('wrong-secret-xyz'));
      assert.match(error.message, /x-acs-security-token:\*\*\*/);
    });

    it('an unknown AccessKey ID has a hint', async () => {
      const error = await rejection(
        client({
          credentials: { getCredentials: async () => ({ accessKeyId: 'LTAInope', accessKeySecret: 'x' }) },
        }).listJobs(),
      );
      assert.equal(error.code, 'InvalidAccessKeyId.NotFound');
      assert.match(error.hint ?? '', /AccessKey ID is unknown/);
    });

    it('asks the provider per request, so rotating STS credentials work', async () => {
      let current = emu.issueStsCredentials(60_000);
      let asked = 0;
      const dlc = client({
        credentials: {
          getCredentials: async () => {
            asked++;
            if (clock.now() >= current.expiresAt - 10_000) current = emu.issueStsCredentials(60_000);
            return current;
          },
        },
      });
      await dlc.listJobs();
      const firstKey = current.accessKeyId;
      clock.advance(55_000);
      await dlc.getJob('dlc1a9r0uhfn24cl');
      assert.notEqual(current.accessKeyId, firstKey, 'rotated');
      clock.advance(55_000);
      await dlc.listTensorboards();
      assert.equal(asked, 3);
      assert.ok(emu.requests.every((request) => request.status === 200));
      assert.equal(emu.requests[2].headers['x-acs-accesskey-id'], current.accessKeyId);
    });

    it('an expired STS token is reported as such', async () => {
      const sts = emu.issueStsCredentials(1000);
      clock.advance(5000);
      const error = await rejection(client({ credentials: { getCredentials: async () => sts } }).listJobs());
      assert.equal(error.code, 'InvalidSecurityToken.Expired');
      assert.match(error.hint ?? '', /STS token has expired/);
    });

    it('signs with the injected clock: a skewed clock is InvalidTimeStamp.Expired', async () => {
      const error = await rejection(client({ clock: { now: () => clock.now() + 20 * 60_000 } }).listJobs());
      assert.equal(error.code, 'InvalidTimeStamp.Expired');
      assert.match(error.hint ?? '', /clock/);
    });

    it('a failing provider is CredentialsUnavailable and sends nothing', async () => {
      const error = await rejection(
        client({ credentials: { getCredentials: () => Promise.reject(new Error('no profile')) } }).listJobs(),
      );
      assert.equal(error.code, 'CredentialsUnavailable');
      assert.match(error.message, /no profile/);
      const empty = await rejection(
        client({ credentials: { getCredentials: async () => ({ accessKeyId: '', accessKeySecret: '' }) } }).listJobs(),
      );
      assert.equal(empty.code, 'CredentialsUnavailable');
      assert.equal(emu.requests.length, 0);
    });

    it('a provider that throws NotSignedIn reaches the caller as NotSignedIn, with its Sign In step', async () => {
      const notSignedIn = new DlcError({
        code: 'NotSignedIn',
        message: 'You are not signed in.',
        operation: 'credentials',
      });
      const error = await rejection(
        client({ credentials: { getCredentials: () => Promise.reject(notSignedIn) } }).listJobs(),
      );
      assert.equal(error.code, 'NotSignedIn');
      assert.equal(error.nextStep, 'signIn');
      assert.equal(error.message, 'You are not signed in.');
      assert.equal(emu.requests.length, 0);
    });
  });
});
