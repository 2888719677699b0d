import assert from 'node:assert/strict';
import { EmulatorControl, ManualClock, startEmulator, type Emulator } from '../../emulator';
import { readFileSync } from 'node:fs';
import { defaultSeedPath, type Seed } from '../../emulator/seed';
import { isoTime } from '../../emulator/wire';
import { api, createBoard, signedFetch } from './helpers';

describe('emulator: control API over HTTP', () => {
  let emulator: Emulator;
  let control: EmulatorControl;

  beforeEach(async () => {
    emulator = await startEmulator({ clock: new ManualClock() });
    control = new EmulatorControl(emulator.endpoint);
  });
  afterEach(() => emulator.stop());

  it('reads and clears the recording', async () => {
    await api(emulator, 'GET', '/api/v1/jobs', { query: { PageSize: '5' } });
    const requests = await control.requests();
    assert.equal(requests.length, 1);
    assert.equal(requests[0].operation, 'ListJobs');
    assert.deepEqual(requests[0].query, { PageSize: '5' });
    await control.clearRequests();
    assert.deepEqual(await control.requests(), []);
  });

  it('injects and clears faults, and rejects a malformed fault', async () => {
    await control.injectFault({ kind: 'serviceUnavailable', operation: 'ListJobs', times: 2 });
    assert.equal((await control.faults())[0].times, 2);
    assert.equal((await signedFetch(emulator, 'GET', '/api/v1/jobs')).status, 503);
    await control.clearFaults();
    assert.equal((await signedFetch(emulator, 'GET', '/api/v1/jobs')).status, 200);
    await assert.rejects(control.injectFault({ kind: 'nonsense' } as never), /kind/);
  });

  it('changes timings, moves the clock, sets a status and resets to the seed', async () => {
    await control.setTimings({ createMs: 10_000 });
    const id = await createBoard(emulator);
    await control.advanceClock(9_999);
    assert.equal((await control.state()).boards.find((board) => board.TensorboardId === id)?.Status, 'Creating');
    await control.advanceClock(1);
    assert.equal((await control.state()).boards.find((board) => board.TensorboardId === id)?.Status, 'Running');
    await control.setBoardStatus(id, 'Failed', { code: 'Boom', message: 'boom' });
    assert.equal(emulator.boards().find((board) => board.TensorboardId === id)?.ReasonCode, 'Boom');

    await control.reset();
    const state = await control.state();
    assert.equal(state.boards.length, 2);
    assert.equal(state.timings.createMs, 3000);
    assert.equal(state.workspaceId, emulator.workspaceId);
    assert.deepEqual(await control.requests(), []);
  });

  it('ends a running job when told, and a seeded one when its time comes on the clock', async () => {
    const jobOf = async (id: string) =>
      (await api(emulator, 'GET', `/api/v1/jobs/${id}`)) as { Status: string; GmtFinishTime?: string };
    assert.equal((await jobOf('dlc1a9r0uhfn24cl')).Status, 'Running');
    await control.endJob('dlc1a9r0uhfn24cl', 'Failed');
    const ended = await jobOf('dlc1a9r0uhfn24cl');
    assert.equal(ended.Status, 'Failed');
    assert.equal(ended.GmtFinishTime, isoTime(emulator.clock.now()));
    await assert.rejects(control.endJob('dlc1a9r0uhfn24cl', 'Running' as never), /Status/);

    const seed = JSON.parse(readFileSync(defaultSeedPath(), 'utf8')) as Seed;
    seed.jobs = [{ ...seed.jobs![0]!, endsAfterMinutes: 10 }, ...seed.jobs!.slice(1)];
    await control.reset(seed);
    await control.advanceClock(10 * 60_000 - 1);
    assert.equal((await jobOf('dlc1a9r0uhfn24cl')).Status, 'Running');
    await control.advanceClock(1);
    assert.equal((await jobOf('dlc1a9r0uhfn24cl')).Status, 'Succeeded');
  });

  it('issues STS credentials that the gateway accepts', async () => {
    const sts = await control.issueStsCredentials(60_000);
    assert.equal((await signedFetch(emulator, 'GET', '/api/v1/jobs', { credentials: sts })).status, 200);
    const issued = await control.issuedCredentials();
    assert.deepEqual(
      issued.map((entry) => [entry.source, entry.accessKeyId, entry.securityToken]),
      [['control', sts.accessKeyId, sts.securityToken]],
    );
    assert.ok((await control.secrets()).includes(sts.accessKeySecret));
  });
});
