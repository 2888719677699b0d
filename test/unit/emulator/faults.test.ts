import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../emulator';
import { until } from '../../shared/until';
import { popClient, popFailure, signedFetch } from './helpers';

const list = '/api/v1/tensorboards';
const get = '/api/v1/tensorboards/tb4k8lc5xfu36opt';

describe('emulator: fault injection', () => {
  let emulator: Emulator;

  beforeEach(async () => {
    emulator = await startEmulator();
  });
  afterEach(() => emulator.stop());

  it('throttles only the matching operation, only N times, with x-acs-retry-after when asked', async () => {
    emulator.injectFault({ kind: 'throttling', operation: 'ListTensorboards', times: 2, retryAfterSeconds: 3 });
    assert.equal((await signedFetch(emulator, 'GET', get)).status, 200);
    for (let i = 0; i < 2; i++) {
      const answer = await signedFetch(emulator, 'GET', list);
      assert.equal(answer.status, 400);
      assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(answer.headers.get('x-acs-retry-after'), '3');
      const body = answer.json();
      assert.equal(body.Code, 'Throttling.User');
      assert.equal(typeof body.RequestId, 'string');
      assert.equal(typeof body.Message, 'string');
    }
    assert.equal((await signedFetch(emulator, 'GET', list)).status, 200);
    assert.deepEqual(
      emulator.requests.map((request) => [request.operation, request.status, request.code, request.fault]),
      [
        ['GetTensorboard', 200, undefined, undefined],
        ['ListTensorboards', 400, 'Throttling.User', 'throttling'],
        ['ListTensorboards', 400, 'Throttling.User', 'throttling'],
        ['ListTensorboards', 200, undefined, undefined],
      ],
    );
  });

  it('sends no x-acs-retry-after unless asked, and a fault without operation hits any operation', async () => {
    emulator.injectFault({ kind: 'throttling' });
    const answer = await signedFetch(emulator, 'GET', '/api/v1/jobs');
    assert.equal(answer.json().Code, 'Throttling.User');
    assert.equal(answer.headers.get('x-acs-retry-after'), null);
    assert.equal((await signedFetch(emulator, 'GET', '/api/v1/jobs')).status, 200);
  });

  it('hits only requests for the board it names when given an ID', async () => {
    emulator.injectFault({ kind: 'internalError', operation: 'GetTensorboard', id: 'tb9w3n6c1r8m2qxd' });
    assert.equal((await signedFetch(emulator, 'GET', get)).status, 200);
    assert.equal((await signedFetch(emulator, 'GET', '/api/v1/tensorboards/tb9w3n6c1r8m2qxd')).status, 500);
    assert.equal((await signedFetch(emulator, 'GET', '/api/v1/tensorboards/tb9w3n6c1r8m2qxd')).status, 200);
  });

  it('answers 500 InternalError and 503 ServiceUnavailable with JSON bodies', async () => {
    emulator.injectFault({ kind: 'internalError', operation: 'GetTensorboard' });
    emulator.injectFault({ kind: 'serviceUnavailable', operation: 'GetTensorboard' });
    const internal = await popFailure(popClient(emulator).request('GET', get));
    assert.equal(internal.statusCode, 500);
    assert.equal(internal.code, 'InternalError');
    const unavailable = await signedFetch(emulator, 'GET', get);
    assert.equal(unavailable.status, 503);
    assert.match(unavailable.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(unavailable.json().Code, 'ServiceUnavailable');
  });

  it('answers an HTML 502, which pop-core returns as if it succeeded', async () => {
    emulator.injectFault({ kind: 'htmlBadGateway', times: 2 });
    const raw = await signedFetch(emulator, 'GET', list);
    assert.equal(raw.status, 502);
    assert.equal(raw.headers.get('content-type'), 'text/html');
    assert.match(raw.text, /502 Bad Gateway/);
    const fromPop = await popClient(emulator).request('GET', list);
    assert.equal(typeof fromPop, 'string');
  });

  it('holds a delayed request past the client timeout, then answers; stop() does not wait for it', async () => {
    emulator.injectFault({ kind: 'delay', delayMs: 60 });
    const slow = await signedFetch(emulator, 'GET', list);
    assert.equal(slow.status, 200);

    emulator.injectFault({ kind: 'delay', operation: 'ListTensorboards', delayMs: 60_000 });
    const started = Date.now();
    await assert.rejects(popClient(emulator).request('GET', list, {}, '', {}, { timeout: 150 }), /timeout/i);
    assert.equal(emulator.requests.at(-1)?.fault, 'delay');
    assert.equal(emulator.requests.at(-1)?.status, 0);
    await emulator.stop();
    assert.ok(Date.now() - started < 2000, 'stop() returned promptly');
    emulator = await startEmulator();
  });

  it("ends a request it holds at reset(): a delayed create never reaches the next test's world", async () => {
    const seeded = emulator.boards().length;
    emulator.injectFault({ kind: 'delay', operation: 'CreateTensorboard', delayMs: 300 });
    const create = signedFetch(emulator, 'POST', list, { body: { JobId: 'dlc1a9r0uhfn24cl' } }).then(
      (answer) => `answered ${answer.status}`,
      () => 'ended',
    );
    await until('the create held', () => emulator.requests.some((r) => r.operation === 'CreateTensorboard'), 5_000);
    emulator.reset();
    const outcome = await create;
    assert.equal(emulator.boards().length, seeded, `the create ${outcome} after reset() and added a board`);
    assert.equal(outcome, 'ended');
    assert.deepEqual(emulator.requests, []);
  });

  it('drops the connection without a response', async () => {
    emulator.injectFault({ kind: 'drop', operation: 'CreateTensorboard' });
    await assert.rejects(signedFetch(emulator, 'POST', list, { body: { JobId: 'dlc1a9r0uhfn24cl' } }));
    assert.equal(emulator.requests[0].fault, 'drop');
    assert.equal(emulator.requests[0].status, 0);
    assert.equal((await signedFetch(emulator, 'POST', list, { body: { JobId: 'dlc1a9r0uhfn24cl' } })).status, 200);
  });

  it('answers malformed JSON with a 200 and application/json', async () => {
    emulator.injectFault({ kind: 'malformedJson', operation: 'ListJobs' });
    const raw = await signedFetch(emulator, 'GET', '/api/v1/jobs');
    assert.equal(raw.status, 200);
    assert.match(raw.headers.get('content-type') ?? '', /^application\/json/);
    assert.throws(() => JSON.parse(raw.text));
    emulator.injectFault({ kind: 'malformedJson', operation: 'ListJobs' });
    const error = await popFailure(popClient(emulator).request('GET', '/api/v1/jobs'));
    assert.equal(error.name, 'FormatError');
  });

  it('leaves out a required field', async () => {
    emulator.injectFault({ kind: 'missingField', operation: 'ListTensorboards' });
    emulator.injectFault({ kind: 'missingField', operation: 'GetTensorboard' });
    emulator.injectFault({ kind: 'missingField', operation: 'GetJob', field: 'Status' });
    const listed = (await signedFetch(emulator, 'GET', list)).json();
    assert.ok(!('Tensorboards' in listed));
    assert.equal(listed.TotalCount, 1);
    const board = (await signedFetch(emulator, 'GET', get)).json();
    assert.ok(!('TensorboardId' in board));
    assert.equal(board.Status, 'Running');
    const job = (await signedFetch(emulator, 'GET', '/api/v1/jobs/dlc1a9r0uhfn24cl')).json();
    assert.ok(!('Status' in job));
    assert.equal(job.JobId, 'dlc1a9r0uhfn24cl');
  });

  it('clears faults', async () => {
    emulator.injectFault({ kind: 'internalError', times: 5 });
    assert.equal(emulator.faults()[0].times, 5);
    emulator.clearFaults();
    assert.equal((await signedFetch(emulator, 'GET', list)).status, 200);
  });
});
