import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BoardSession, BoardTimeoutError, REQUEST_DEADLINE_MS } from '../../../src/export/boardSession';
import type { Series } from '../../../src/export/dataApi';
import { listSeries, writeScalars, type BoardReader } from '../../../src/export/exportScalars';
import { writeToFile, type FileSink } from '../../../src/export/fileSink';
import { FakeTimer } from '../../shared/fakeTimer';

/**
 * A board whose page and list answer, but whose scalars of the run `stall` send their headers and a first byte,
 * then nothing more (a busy or stuck board), and those of `silent` not even headers. `run1` answers at once.
 * `stalled` resolves on each stalled request.
 */
async function stallingBoard(): Promise<{
  link: string;
  server: Server;
  stalled: () => Promise<IncomingMessage>;
  closed: IncomingMessage[];
}> {
  const waiting: ((request: IncomingMessage) => void)[] = [];
  const arrived: IncomingMessage[] = [];
  const closed: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://board');
    const json = (value: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (url.pathname === '/tb/token/s3cret/') return response.end('<html>TensorBoard</html>');
    if (url.pathname === '/tb/token/s3cret/data/runs') return json(['run1', 'stall']);
    if (url.pathname === '/tb/token/s3cret/data/plugin/scalars/tags')
      return json({ run1: { loss: {} }, stall: { loss: {} } });
    if (url.searchParams.get('run') === 'run1') return json([[1.5, 0, 0.25]]);
    // `silent` sends not even its headers.
    if (url.searchParams.get('run') !== 'silent') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('[');
    }
    response.on('close', () => closed.push(request));
    const next = waiting.shift();
    if (next) next(request);
    else arrived.push(request);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stalled = () =>
    new Promise<IncomingMessage>((resolve) => {
      const first = arrived.shift();
      if (first) resolve(first);
      else waiting.push(resolve);
    });
  return { link: `http://127.0.0.1:${port}/tb/token/s3cret/`, server, stalled, closed };
}

/** Lets the loopback connection deliver what it has (the close of an aborted request). */
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the export of scalars: deadlines, cancel and memory', () => {
  let served: Awaited<ReturnType<typeof stallingBoard>>;
  let folder: string;
  const series: Series[] = [
    { run: 'run1', tag: 'loss' },
    { run: 'stall', tag: 'loss' },
  ];
  beforeEach(async () => {
    served = await stallingBoard();
    folder = mkdtempSync(path.join(tmpdir(), 'export-limits-'));
  });
  afterEach(() => {
    served.server.closeAllConnections();
    served.server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('gives up on a board that sends its headers then stalls, once the deadline passes, and leaves no file', async () => {
    const timer = new FakeTimer();
    const session = await BoardSession.open(served.link, { timer });
    // A request that answered in time leaves no deadline behind.
    assert.equal(timer.pendingCount, 0);
    const file = path.join(folder, 'board.csv');
    const exporting = writeToFile(file, (sink) => writeScalars(session, series, 'csv', sink));
    let settled = false;
    void exporting.then(
      () => (settled = true),
      () => (settled = true),
    );
    await served.stalled();
    assert.deepEqual(timer.delays.at(-1), REQUEST_DEADLINE_MS);
    await timer.advance(REQUEST_DEADLINE_MS - 1);
    await tick();
    assert.equal(settled, false, 'still waiting within the deadline');
    assert.ok(existsSync(file), 'the file is being written');

    await timer.advance(1);
    const error = await exporting.catch((e: unknown) => e);
    assert.ok(error instanceof BoardTimeoutError, String(error));
    // Named below the board's page: the shared link's token is in its path, and never in a message.
    assert.equal(error.message, 'data/plugin/scalars/scalars gave no full answer within 30 s');
    assert.equal(existsSync(file), false, 'no half-written file');
    await tick();
    assert.equal(served.closed.length, 1, 'the stalled request was dropped');
  });

  it('bounds the opening of the board and its list too', async () => {
    const timer = new FakeTimer();
    const opening = BoardSession.open(
      served.link.replace('/tb/token/s3cret/', '/tb/token/s3cret/data/plugin/scalars/scalars?run=silent'),
      {
        timer,
      },
    );
    await served.stalled();
    await timer.advance(REQUEST_DEADLINE_MS);
    const error = await opening.catch((e: unknown) => e);
    assert.ok(error instanceof BoardTimeoutError, String(error));
    assert.equal(error.message, "the board's page gave no full answer within 30 s");
  });

  it('aborts the request in flight when the user cancels the export, resolving at once, and leaves no file', async () => {
    const timer = new FakeTimer();
    const session = await BoardSession.open(served.link, { timer });
    const cancel = new AbortController();
    const file = path.join(folder, 'board.json');
    const exporting = writeToFile(file, (sink) =>
      writeScalars(session, series, 'json', sink, { signal: cancel.signal }),
    );
    await served.stalled();
    cancel.abort();
    // No time passes on the deadline's clock: the cancel alone ends it.
    assert.equal(await exporting, undefined);
    assert.equal(existsSync(file), false);
    await tick();
    assert.equal(served.closed.length, 1, 'the board saw the request dropped');
    assert.equal(timer.pendingCount, 0);
  });

  it("aborts the board's list when the user cancels while it is read", async () => {
    const cancel = new AbortController();
    const session = await BoardSession.open(served.link, { signal: cancel.signal });
    const stalling: BoardReader = {
      base: session.base,
      json: (url, signal) =>
        session.json(
          new URL(url.pathname.endsWith('/runs') ? 'data/plugin/scalars/scalars?run=stall' : url, session.base),
          signal,
        ),
    };
    const listing = listSeries(stalling);
    await served.stalled();
    cancel.abort();
    await assert.rejects(listing, { name: 'AbortError' });
    await tick();
    assert.equal(served.closed.length, 1);
  });
});

describe('the export of scalars: a large board', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(path.join(tmpdir(), 'export-large-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it("streams 100,000 points to disk with the sink's buffer bounded, whatever the total", async () => {
    const RUNS = 100;
    const TAGS = 10;
    const STEPS = 100;
    const base = 'http://board.invalid/tb/';
    // A fake data API that answers at once, so only the sink's waiting for the disk can bound what is buffered.
    const board: BoardReader = {
      base,
      json: async (url) => {
        if (url.pathname.endsWith('/data/runs')) return Array.from({ length: RUNS }, (_, r) => `run${r}`);
        if (url.pathname.endsWith('/tags')) {
          const tags = Object.fromEntries(Array.from({ length: TAGS }, (_, t) => [`tag${t}`, {}]));
          return Object.fromEntries(Array.from({ length: RUNS }, (_, r) => [`run${r}`, tags]));
        }
        return Array.from({ length: STEPS }, (_, step) => [1_700_000_000 + step / 8, step, Math.sin(step) / 3]);
      },
    };
    const file = path.join(folder, 'large.csv');
    // Nothing that grows with the file, such as a listener added at each full buffer.
    const warnings: Error[] = [];
    const warned = (warning: Error) => warnings.push(warning);
    process.on('warning', warned);
    let maxBuffered = 0;
    let maxChunk = 0;
    const rows = await writeToFile(file, async (sink: FileSink) =>
      writeScalars(board, await listSeries(board), 'csv', {
        write: async (chunk) => {
          maxChunk = Math.max(maxChunk, Buffer.byteLength(chunk));
          await sink.write(chunk);
          maxBuffered = Math.max(maxBuffered, sink.buffered);
        },
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', warned);
    assert.deepEqual(warnings, []);
    assert.equal(rows, RUNS * TAGS * STEPS);
    const size = statSync(file).size;
    assert.ok(size > 4_000_000, `the file holds every point (${size} bytes)`);
    // One series at a time, handed on only when the disk has taken the last: the stream's 16 KiB plus one series.
    assert.ok(maxChunk < 10_000, `one series is a small chunk (${maxChunk} bytes)`);
    assert.ok(maxBuffered <= 16_384 + maxChunk, `at most ${maxBuffered} bytes waited for the disk, of ${size}`);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith('run,tag,step,wall_time,value\r\nrun0,tag0,0,1700000000,0\r\n'));
    assert.ok(text.endsWith(`run99,tag9,99,${1_700_000_000 + 99 / 8},${Math.sin(99) / 3}\r\n`));
  });
});
