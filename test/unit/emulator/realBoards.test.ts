import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock, sampleLogsDir, startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import { until } from '../../shared/until';
import { api, consoleLogin, createBoard, visit } from './helpers';

/** The seed's running board of job dlc1a9r0uhfn24cl, which wrote the sample runs run1 and run2. */
const jobBoard = 'tb4k8lc5xfu36opt';
const mnistLogs = 'oss://pai-emulator-demo.oss-cn-hangzhou-internal.aliyuncs.com/mnist/logs/';
/** Starting a TensorBoard takes about a second here; the bound is for a slow CI machine. */
const readyBoundMs = 30_000;

/** Polls the page until it stops answering 503 (TensorBoard starting), within a bound; never a fixed sleep. */
async function served(url: string, init: RequestInit = {}): Promise<Response> {
  const deadline = Date.now() + readyBoundMs;
  for (;;) {
    const answer = await fetch(url, { redirect: 'manual', ...init });
    if (answer.status !== 503) return answer;
    await answer.arrayBuffer();
    if (Date.now() > deadline) throw new Error(`${url} still answered 503 after ${readyBoundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function json(url: string, cookie?: string): Promise<Record<string, unknown>> {
  const answer = await served(url, cookie ? { headers: { cookie } } : {});
  assert.equal(answer.status, 200, `${url}: ${answer.status}`);
  return (await answer.json()) as Record<string, unknown>;
}

/** Each run's scalar tags, as the Scalars dashboard lists them. */
async function scalarTags(boardUrl: string, cookie?: string): Promise<Record<string, string[]>> {
  const tags = await json(`${boardUrl}data/plugin/scalars/tags`, cookie);
  return Object.fromEntries(Object.entries(tags).map(([run, byTag]) => [run, Object.keys(byTag as object).sort()]));
}

async function assertTensorboardIndex(answer: Response): Promise<void> {
  assert.equal(answer.status, 200);
  const html = await answer.text();
  assert.match(html, /<title>TensorBoard<\/title>/);
  assert.match(html, /<tb-webapp>/);
}

/** Whether anything answers HTTP on the port. */
async function answers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

describe('emulator: real TensorBoards behind board pages', function () {
  this.timeout(4 * readyBoundMs);
  let emulator: Emulator | undefined;
  let clock: ManualClock;

  async function start(options: EmulatorOptions = {}): Promise<Emulator> {
    clock = new ManualClock(Date.UTC(2026, 2, 3, 4, 5, 6));
    emulator = await startEmulator({ clock, ...options });
    return emulator;
  }

  before(async () => {
    const probe = await startEmulator({ clock: new ManualClock() });
    const status = probe.realBoards();
    await probe.stop();
    // npm test (and CI) install TensorBoard first; a missing one fails here with what to run, never skips.
    if (!status.available) throw new Error(`no real TensorBoard: ${status.reason}`);
  });
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  it("serves a folder board's runs at its TensorboardUrl after login, and through its shared link", async () => {
    const e = await start();
    const id = await createBoard(e, {
      JobId: undefined,
      SummaryRelativePath: '/',
      DataSourceType: 'OSS',
      Uri: mnistLogs,
      DisplayName: 'mnist',
    });
    clock.advance(e.timings().createMs);
    const boardUrl = String((await api(e, 'GET', `/api/v1/tensorboards/${id}`)).TensorboardUrl);

    assert.equal((await visit(boardUrl)).status, 302, 'the login comes first');
    const { cookie } = await consoleLogin(e, boardUrl);
    await assertTensorboardIndex(await served(boardUrl, { headers: { cookie } }));
    const plugins = await json(`${boardUrl}data/plugins_listing`, cookie);
    assert.ok('scalars' in plugins, Object.keys(plugins).join(', '));
    assert.deepEqual(await scalarTags(boardUrl, cookie), {
      run1: ['accuracy', 'learning_rate', 'loss'],
      run2: ['accuracy', 'learning_rate', 'loss'],
      run3: ['accuracy', 'learning_rate', 'loss'],
    });
    // The loss curve of run1 as written by scripts/makeSampleLogs.py: [wall time, step, value].
    const loss = (await json(
      `${boardUrl}data/plugin/scalars/scalars?run=run1&tag=loss`,
      cookie,
    )) as unknown as number[][];
    assert.equal(loss.length, 50);
    assert.deepEqual(loss[0].slice(0, 2), [1763630000, 0]);
    assert.ok(Math.abs(loss[0][2] - 2.35) < 1e-6 && loss[49][2] < 0.2, JSON.stringify([loss[0], loss[49]]));
    const environment = await json(`${boardUrl}data/environment`, cookie);
    assert.equal(environment.window_title, 'mnist');

    const shared = String(
      (await api(e, 'GET', `/api/v1/tensorboards/${id}/sharedurl`, { query: { ExpireTimeSeconds: '600' } }))
        .TensorboardSharedUrl,
    );
    await assertTensorboardIndex(await served(shared));
    assert.deepEqual(Object.keys(await scalarTags(shared)).sort(), ['run1', 'run2', 'run3']);
  });

  it("shows a job's board over that job's logs, and answers POSTs (several runs' curves)", async () => {
    const e = await start({ tensorboardUrlNeedsLogin: false });
    const boardUrl = `${e.endpoint}/tensorboard/${jobBoard}/`;
    assert.deepEqual(Object.keys(await scalarTags(boardUrl)).sort(), ['run1', 'run2']);
    const answer = await served(`${boardUrl}data/plugin/scalars/scalars_multirun`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'tag=loss&runs=run1&runs=run2',
    });
    assert.equal(answer.status, 200);
    const curves = (await answer.json()) as Record<string, unknown[]>;
    assert.deepEqual(Object.keys(curves).sort(), ['run1', 'run2']);
    assert.equal(curves.run2.length, 50);
  });

  it('shows compared jobs as one folder of runs per job, named by DirectoryName', async () => {
    const e = await start({ tensorboardUrlNeedsLogin: false });
    const id = await createBoard(e, {
      JobId: undefined,
      SummaryRelativePath: '/',
      TensorboardDataSources: [
        { SourceType: 'dlcjob', Id: 'dlc1a9r0uhfn24cl', Name: 'resnet50-imagenet', DirectoryName: 'resnet50' },
        { SourceType: 'dlcjob', Id: 'dlc7yq2c8kd0hx1m', Name: 'bert-finetune', DirectoryName: 'bert' },
      ],
    });
    clock.advance(e.timings().createMs);
    const tags = await scalarTags(`${e.endpoint}/tensorboard/${id}/`);
    assert.deepEqual(Object.keys(tags).sort(), ['bert/run3', 'resnet50/run1', 'resnet50/run2']);
    assert.ok(tags['bert/run3'].includes('loss'));
  });

  it("names a source's run after its DirectoryName when its event files are at its root, not name/.", async () => {
    const e = await start({ tensorboardUrlNeedsLogin: false });
    const id = await createBoard(e, {
      // As the extension sends a folder board: the Uri fields, and the folder as one named data source.
      JobId: undefined,
      DataSourceType: 'OSS',
      Uri: `${mnistLogs}run1/`,
      TensorboardDataSources: [
        {
          SourceType: 'datasource',
          DataSourceType: 'OSS',
          Uri: `${mnistLogs}run1/`,
          SummaryPath: '',
          Name: 'run1',
          DirectoryName: 'run1',
        },
      ],
    });
    clock.advance(e.timings().createMs);
    assert.deepEqual(Object.keys(await scalarTags(`${e.endpoint}/tensorboard/${id}/`)), ['run1']);
  });

  it('answers 503 before the board is Running and while its TensorBoard starts, then the board', async () => {
    const e = await start({ tensorboardUrlNeedsLogin: false });
    const id = await createBoard(e);
    const boardUrl = `${e.endpoint}/tensorboard/${id}/`;
    const creating = await visit(boardUrl);
    assert.equal(creating.status, 503);
    assert.match(await creating.text(), /is Creating/);
    assert.deepEqual(e.realBoards().processes, [], 'nothing starts before Running');

    clock.advance(e.timings().createMs);
    // The first page of a running board starts its TensorBoard, which cannot have answered yet.
    const starting = await visit(boardUrl);
    assert.equal(starting.status, 503);
    assert.match(await starting.text(), /is starting/);
    await assertTensorboardIndex(await served(boardUrl));
    assert.equal(e.realBoards().processes.length, 1);
  });

  it('starts a created board’s TensorBoard when the board turns Running on a real-time clock, before anyone visits it', async () => {
    emulator = await startEmulator({ timings: { createMs: 1_000 }, tensorboardUrlNeedsLogin: false });
    const e = emulator;
    // No page of the board is visited in this test: only the API call.
    const id = await createBoard(e);
    const create = e.requests.find((r) => r.operation === 'CreateTensorboard');
    assert.ok(create);
    await until(
      'the board’s TensorBoard starts without a page visit',
      () => e.realBoards().processes.length === 1,
      readyBoundMs,
    );
    assert.ok(Date.now() >= create.at + 1_000, 'not before the board turned Running');
    assert.equal(e.realBoards().processes[0]?.tensorboardId, id);
    await until(
      'its TensorBoard answers',
      async () => {
        const { port } = e.realBoards().processes[0] ?? {};
        return port !== undefined && (await answers(port));
      },
      readyBoundMs,
    );
  });

  it('adds framing limits to every proxied answer, next to TensorBoard’s own CSP', async () => {
    const e = await start({ tensorboardUrlNeedsLogin: false, frameLimits: true });
    const boardUrl = `${e.endpoint}/tensorboard/${jobBoard}/`;
    const index = await served(boardUrl);
    assert.equal(index.headers.get('x-frame-options'), 'DENY');
    // fetch joins the two content-security-policy headers with ", "; a browser applies both.
    const csp = index.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    const data = await served(`${boardUrl}data/plugins_listing`);
    assert.equal(data.headers.get('x-frame-options'), 'DENY');
    assert.equal(data.headers.get('content-security-policy'), "frame-ancestors 'none'");
  });

  it('in share cookie mode, serves the board below /share/<id>/ to the cookie only', async () => {
    const e = await start({ shareCookie: true });
    const shared = String(
      (await api(e, 'GET', `/api/v1/tensorboards/${jobBoard}/sharedurl`, { query: { ExpireTimeSeconds: '600' } }))
        .TensorboardSharedUrl,
    );
    const exchange = await visit(shared);
    assert.equal(exchange.status, 302);
    const location = exchange.headers.get('location') ?? '';
    assert.equal(location, `${e.endpoint}/share/${jobBoard}/`);
    const cookie = (exchange.headers.get('set-cookie') ?? '').split(';')[0];
    await assertTensorboardIndex(await served(location, { headers: { cookie } }));
    assert.deepEqual(Object.keys(await scalarTags(location, cookie)).sort(), ['run1', 'run2']);
    assert.equal((await visit(`${location}data/plugins_listing`)).status, 302, 'no cookie: the login page');
  });

  it('ends the TensorBoard when its board stops, and serves 503 again', async () => {
    const e = await start({ tensorboardUrlNeedsLogin: false });
    const boardUrl = `${e.endpoint}/tensorboard/${jobBoard}/`;
    await assertTensorboardIndex(await served(boardUrl));
    const [running] = e.realBoards().processes;
    assert.ok(running?.port !== undefined && (await answers(running.port)));

    await api(e, 'PUT', `/api/v1/tensorboards/${jobBoard}/stop`);
    await until(
      'the stopped board’s TensorBoard stops answering',
      async () => !(await answers(running.port!)),
      readyBoundMs,
    );
    assert.deepEqual(e.realBoards().processes, []);
    assert.equal((await visit(boardUrl)).status, 503);
  });

  it('ends every TensorBoard when the emulator stops', async () => {
    const e = await start({ tensorboardUrlNeedsLogin: false });
    await assertTensorboardIndex(await served(`${e.endpoint}/tensorboard/${jobBoard}/`));
    const [running] = e.realBoards().processes;
    await e.stop();
    emulator = undefined;
    assert.equal(await answers(running.port!), false);
    assert.throws(() => process.kill(running.pid, 0), /ESRCH/);
  });

  it('the committed sample logs are what scripts/makeSampleLogs.py writes', async () => {
    const e = await start();
    const status = e.realBoards();
    assert.ok(status.binary);
    const out = mkdtempSync(path.join(os.tmpdir(), 'sample-logs-'));
    try {
      const script = path.resolve(__dirname, '../../../../scripts/makeSampleLogs.py');
      const made = spawnSync(path.join(path.dirname(status.binary), 'python'), [script, out], { encoding: 'utf8' });
      assert.equal(made.status, 0, made.stderr);
      const committed = sampleLogsDir()!;
      for (const run of ['run1', 'run2', 'run3']) {
        const [file] = readdirSync(path.join(committed, run));
        assert.deepEqual(readdirSync(path.join(out, run)), [file]);
        assert.ok(
          readFileSync(path.join(out, run, file)).equals(readFileSync(path.join(committed, run, file))),
          `${run}/${file} differs`,
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('emulator: placeholder pages without TensorBoard', () => {
  let emulator: Emulator;
  afterEach(() => emulator.stop());

  it('serves the placeholder and says why when the tensorboard executable is missing', async () => {
    emulator = await startEmulator({
      clock: new ManualClock(),
      tensorboard: '/nonexistent/bin/tensorboard',
      tensorboardUrlNeedsLogin: false,
    });
    const status = emulator.realBoards();
    assert.equal(status.available, false);
    assert.match(status.reason ?? '', /\/nonexistent\/bin\/tensorboard/);
    assert.match(status.reason ?? '', /npm run setup:tensorboard/);
    assert.deepEqual(emulator.state().realBoards, status);
    const page = await visit(`${emulator.endpoint}/tensorboard/${jobBoard}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<span id="display-name">resnet50-imagenet<\/span>/);
  });

  it('finds the executable through PAI_EMULATOR_TENSORBOARD', async () => {
    const before = process.env.PAI_EMULATOR_TENSORBOARD;
    process.env.PAI_EMULATOR_TENSORBOARD = '/nonexistent/from-env/tensorboard';
    try {
      emulator = await startEmulator({ clock: new ManualClock() });
    } finally {
      if (before === undefined) delete process.env.PAI_EMULATOR_TENSORBOARD;
      else process.env.PAI_EMULATOR_TENSORBOARD = before;
    }
    assert.match(emulator.realBoards().reason ?? '', /from-env/);
  });
});
