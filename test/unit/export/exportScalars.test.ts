import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BoardSession } from '../../../src/export/boardSession';
import { listSeries, writeScalars } from '../../../src/export/exportScalars';
import { FileSink } from '../../../src/export/fileSink';

const POINTS: Record<string, [number, number, number][]> = {
  'run1/loss': [
    [100.5, 0, 1],
    [101.5, 1, 0.5],
  ],
  'run1/accuracy': [[100.5, 0, 0.1]],
  'run,2/loss': [[200.25, 5, 0.25]],
};

/**
 * A board behind a proxy like PAI-DLC's with the share cookie: the shared link's token is traded for a cookie and a
 * redirect to the board's page, whose data answers only with that cookie (else a redirect to the console's login).
 */
async function board(): Promise<{ link: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://board');
    requests.push(url.pathname + url.search);
    if (url.pathname === '/share/tb1/token/secret/') {
      response.writeHead(302, { location: '/share/tb1/', 'set-cookie': 'share=ok; Path=/share/tb1/; HttpOnly' });
      return response.end();
    }
    if (request.headers.cookie !== 'share=ok') {
      response.writeHead(302, { location: '/login?redirect=x' });
      return response.end();
    }
    const json = (value: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (url.pathname === '/share/tb1/') return response.end('<html>TensorBoard</html>');
    if (url.pathname === '/share/tb1/data/runs') return json(['run1', 'run,2']);
    if (url.pathname === '/share/tb1/data/plugin/scalars/tags')
      return json({ 'run,2': { loss: {} }, run1: { loss: {}, accuracy: {} } });
    const points = POINTS[`${url.searchParams.get('run')}/${url.searchParams.get('tag')}`];
    if (url.pathname === '/share/tb1/data/plugin/scalars/scalars' && points) return json(points);
    response.writeHead(404);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { link: `http://127.0.0.1:${port}/share/tb1/token/secret/`, requests, server };
}

describe('the export of scalars: reading a board', () => {
  let served: Awaited<ReturnType<typeof board>>;
  let folder: string;
  beforeEach(async () => {
    served = await board();
    folder = mkdtempSync(path.join(tmpdir(), 'export-test-'));
  });
  afterEach(() => {
    served.server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('follows the shared link with its cookie, lists every series and writes each, one at a time, to the file', async () => {
    const session = await BoardSession.open(served.link);
    assert.equal(session.base, new URL('/share/tb1/', served.link).href);
    const series = await listSeries(session);
    assert.deepEqual(series, [
      { run: 'run1', tag: 'loss' },
      { run: 'run1', tag: 'accuracy' },
      { run: 'run,2', tag: 'loss' },
    ]);
    const file = path.join(folder, 'out.csv');
    const sink = new FileSink(file);
    const seen: string[] = [];
    const rows = await writeScalars(session, series, 'csv', sink, {
      onSeries: (one, index, total) => seen.push(`${one.run}/${one.tag} ${index + 1}/${total}`),
    });
    await sink.close();
    assert.equal(rows, 4);
    assert.deepEqual(seen, ['run1/loss 1/3', 'run1/accuracy 2/3', 'run,2/loss 3/3']);
    assert.equal(
      readFileSync(file, 'utf8'),
      'run,tag,step,wall_time,value\r\n' +
        'run1,loss,0,100.5,1\r\nrun1,loss,1,101.5,0.5\r\n' +
        'run1,accuracy,0,100.5,0.1\r\n' +
        '"run,2",loss,5,200.25,0.25\r\n',
    );
  });

  it('reads one series, writes it, then reads the next: never two series held at once', async () => {
    const session = await BoardSession.open(served.link);
    const series = await listSeries(session);
    const reads = () => served.requests.filter((r) => r.includes('/scalars?')).length;
    const readsAtEachWrite: number[] = [];
    await writeScalars(session, series, 'csv', { write: async () => void readsAtEachWrite.push(reads()) });
    // The header, each series right after its own read, the end.
    assert.deepEqual(readsAtEachWrite, [0, 1, 2, 3, 3]);
  });

  it('stops between two series when cancelled, reading no more', async () => {
    const session = await BoardSession.open(served.link);
    const cancel = new AbortController();
    const rows = await writeScalars(
      session,
      await listSeries(session),
      'json',
      { write: async () => undefined },
      { signal: cancel.signal, onSeries: (_, index) => index === 1 && cancel.abort() },
    );
    assert.equal(rows, undefined);
    assert.equal(served.requests.filter((r) => r.includes('/scalars?')).length, 1);
  });

  it('says the access ended when the board sends it to the login page, and never follows it there', async () => {
    const session = await BoardSession.open(served.link);
    const other = await BoardSession.open(served.link.replace('/token/secret/', '/')).catch((error: Error) => error);
    assert.match(String(other), /sign-in page/);
    assert.ok(!served.requests.some((r) => r.startsWith('/login')));
    assert.ok(session.base.endsWith('/share/tb1/'));
  });

  it('removes the partial file of an export that did not finish', async () => {
    const file = path.join(folder, 'partial.json');
    const sink = new FileSink(file);
    await sink.write('[');
    await sink.discard();
    assert.equal(existsSync(file), false);
  });
});
