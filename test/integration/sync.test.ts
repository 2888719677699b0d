import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import { crc64 } from '../../src/sync/crc64';
import { OssClient } from '../../src/sync/ossClient';
import { sizeText } from '../../src/sync/sizeText';
import { OssControl } from '../emulator/oss/control';
import type { RecordedRequest } from '../emulator/types';
import type { SyncNode } from '../../src/sync/syncTree';
import { sampleRecords } from '../unit/sync/helpers';
import { demoKey, emulator, eventually, extensionServices, signedInFresh, type Ui } from './support';

const bucket = 'pai-emulator-demo';

/** The object OSS holds for a key, read with the demo user's keys. */
async function ossObject(key: string): Promise<Buffer | undefined> {
  const { endpoint, regionId } = await new OssControl(process.env.PAI_EMULATOR_ENDPOINT!).endpoint();
  const client = new OssClient({
    target: { bucket, region: regionId, endpoint },
    credentials: () => Promise.resolve(demoKey()),
  });
  return (await client.head(key)) ? client.get(key) : undefined;
}

const SEEDED_BOARD = 'tb4k8lc5xfu36opt'; // the seed's job board: the sample runs run1 and run2, as they are

type Points = [wallTime: number, step: number, value: number][];

/**
 * A board's scalars as its real TensorBoard serves them to its frontend: run → tag → points. Throws while the board
 * is not serving yet (the emulator's page answers until its TensorBoard has started).
 */
async function boardScalars(
  services: Services,
  tensorboardId: string,
): Promise<Record<string, Record<string, Points>>> {
  const { url } = await services.connection
    .client()
    .getTensorboardSharedUrl(tensorboardId, { expireTimeSeconds: 3600, workspaceId: services.connection.workspaceId });
  const get = async (relative: string): Promise<unknown> => {
    const answer = await fetch(new URL(relative, url));
    assert.equal(answer.status, 200, `${relative} answered ${answer.status}`);
    return answer.json();
  };
  const tags = (await get('data/plugin/scalars/tags')) as Record<string, Record<string, unknown>>;
  const scalars: Record<string, Record<string, Points>> = {};
  for (const [run, ofRun] of Object.entries(tags))
    for (const tag of Object.keys(ofRun))
      (scalars[run] ??= {})[tag] = (await get(
        `data/plugin/scalars/scalars?${new URLSearchParams({ run, tag })}`,
      )) as Points;
  return scalars;
}

/**
 * A "training" process: writes the event file's records in steps, a few at a time, the first `split` of them at once
 * and the rest when told (a line on its stdin), then exits.
 */
function training(file: string, records: readonly Buffer[], split: number): { more(): void; done: Promise<number> } {
  const script = `
    const { appendFileSync } = require('node:fs');
    const [file, chunks, split] = [process.argv[1], JSON.parse(process.argv[2]), Number(process.argv[3])];
    const write = (from, to, then) => {
      if (from >= to) return then();
      const next = Math.min(from + 3, to);
      appendFileSync(file, Buffer.concat(chunks.slice(from, next).map((c) => Buffer.from(c, 'base64'))));
      setTimeout(() => write(next, to, then), 150);
    };
    write(0, split, () => process.stdin.once('data', () => write(split, chunks.length, () => process.exit(0))));
  `;
  const child = spawn(
    process.execPath,
    ['-e', script, file, JSON.stringify(records.map((record) => record.toString('base64'))), String(split)],
    { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['pipe', 'ignore', 'inherit'] },
  );
  return {
    more: () => child.stdin!.write('more\n'),
    done: new Promise((resolve, reject) => child.once('error', reject).once('exit', (code) => resolve(code ?? -1))),
  };
}

describe('syncing a log folder to OSS', function () {
  this.timeout(60_000);
  let services: Services;
  let ui: Ui;
  const workspaceFolder = (): vscode.Uri => vscode.workspace.workspaceFolders![0]!.uri;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('paiTensorboard');
  let folder: string;

  before(async () => {
    services = await extensionServices();
  });
  beforeEach(async () => {
    ui = await signedInFresh(300);
    await new OssControl(process.env.PAI_EMULATOR_ENDPOINT!).reset();
    await config().update('sync.intervalSeconds', 1, vscode.ConfigurationTarget.Global);
    folder = path.join(workspaceFolder().fsPath, 'logs', `live-${Date.now()}`);
    mkdirSync(path.join(folder, 'train'), { recursive: true });
    process.env.PAI_TENSORBOARD_MOUNTS_FILE = path.join(tmpdir(), 'no-mounts-here');
  });
  afterEach(async () => {
    ui.restore();
    for (const view of services.syncs.loaded?.manager.list() ?? []) services.syncs.loaded?.manager.forget(view.spec.id);
    for (const target of [vscode.ConfigurationTarget.Workspace, vscode.ConfigurationTarget.Global])
      await config().update('pathMappings', undefined, target);
    await config().update('sync.intervalSeconds', undefined, vscode.ConfigurationTarget.Global);
    delete process.env.PAI_TENSORBOARD_MOUNTS_FILE;
    rmSync(folder, { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('right-click on an unmapped folder syncs it while training appends, and the board reads the synced prefix', async () => {
    const records = sampleRecords('run1');
    const eventFile = path.join(folder, 'train', 'events.out.tfevents.1700000000.host.1.0');
    // The "training": the file's header and first steps now, more steps while the sync runs.
    writeFileSync(eventFile, Buffer.concat(records.slice(0, 10)));
    const relative = path.relative(workspaceFolder().fsPath, folder);
    const prefix = `tensorboard/${path.basename(workspaceFolder().fsPath)}/${relative}/`;
    ui.pick(/Sync to OSS and Create Board/)
      .pick(new RegExp(bucket))
      .type(prefix, 'tb-synced');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForFolder', vscode.Uri.file(folder));

    const uri = `oss://${bucket}.oss-cn-hangzhou.aliyuncs.com/${prefix}`;
    const creates = (await emulator().requests()).filter((r: RecordedRequest) => r.operation === 'CreateTensorboard');
    assert.equal((creates[0]?.body as Record<string, unknown> | undefined)?.Uri, uri);
    const mappings = config().inspect<Array<{ local: string; remote: string }>>('pathMappings')?.workspaceValue;
    assert.deepEqual(mappings, [{ local: folder, remote: uri }], 'the sync becomes the folder’s path mapping');

    const key = `${prefix}train/events.out.tfevents.1700000000.host.1.0`;
    const local = (): Buffer => Buffer.concat(records.slice(0, written));
    let written = 10;
    await eventually(
      () => ossObject(key),
      (object) => object?.equals(local()) === true,
      'the first upload',
      20_000,
    );
    for (const more of [5, 10, records.length - 25]) {
      appendFileSync(eventFile, Buffer.concat(records.slice(written, written + more)));
      written += more;
      await eventually(
        () => ossObject(key),
        (object) => object?.equals(local()) === true,
        `step ${written}`,
        20_000,
      );
    }
    const object = await ossObject(key);
    assert.equal(crc64(object!), crc64(local()), 'OSS holds the local file byte for byte');

    const oss = await new OssControl(process.env.PAI_EMULATOR_ENDPOINT!).requests();
    const puts = oss.filter((r) => r.operation === 'PutObject' || r.operation === 'InitiateMultipartUpload');
    assert.deepEqual(puts, [], 'a growing event file is appended to, never uploaded whole');
    assert.ok(oss.filter((r) => r.operation === 'AppendObject').length >= 4);
    const view = services.syncs.loaded!.manager.list()[0]!;
    assert.deepEqual([view.state, view.queued, view.bytesUploaded], ['running', 0, local().length]);

    // Idle: no request at all while nothing changes.
    await new OssControl(process.env.PAI_EMULATOR_ENDPOINT!).clearRequests();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.deepEqual(await new OssControl(process.env.PAI_EMULATOR_ENDPOINT!).requests(), []);
  });

  it('after the connection drops mid-append, OSS ends up equal to the local file (CRC64)', async () => {
    const records = sampleRecords('run2');
    const eventFile = path.join(folder, 'train', 'events.out.tfevents.1700000001.host.1.0');
    writeFileSync(eventFile, Buffer.concat(records.slice(0, 10)));
    const control = new OssControl(process.env.PAI_EMULATOR_ENDPOINT!);
    ui.pick(new RegExp(bucket)).type('tensorboard/fault/');
    const uri = await services.syncs.get().syncFolder(vscode.Uri.file(folder));
    assert.equal(uri, `oss://${bucket}.oss-cn-hangzhou.aliyuncs.com/tensorboard/fault/`);
    const key = 'tensorboard/fault/train/events.out.tfevents.1700000001.host.1.0';
    await eventually(
      () => ossObject(key),
      (object) => object?.length === Buffer.concat(records.slice(0, 10)).length,
      'the first upload',
      20_000,
    );

    // Applied, then no answer; then cut while the body is sent: each time the sync asks OSS before sending more.
    let written = 10;
    for (const [kind, more] of [
      ['dropAfterCommit', 10],
      ['dropMidBody', records.length - 20],
    ] as const) {
      await control.injectFault({ kind, operation: 'AppendObject' });
      appendFileSync(eventFile, Buffer.concat(records.slice(written, written + more)));
      written += more;
      const expected = Buffer.concat(records.slice(0, written));
      await eventually(
        () => ossObject(key),
        (object) => object?.equals(expected) === true,
        `recovery from ${kind}`,
        30_000,
      );
      assert.deepEqual(await control.faults(), [], `the ${kind} fault was met`);
    }
    const local = Buffer.concat(records);
    assert.equal(crc64((await ossObject(key))!), crc64(local));
  });

  it('the sidebar lists the sync with its figures, and its row pauses, resumes, stops and removes it', async () => {
    const records = sampleRecords('run3');
    const eventFile = path.join(folder, 'train', 'events.out.tfevents.1700000002.host.1.0');
    writeFileSync(eventFile, Buffer.concat(records.slice(0, 10)));
    ui.pick(new RegExp(bucket)).type('tensorboard/tree/');
    await services.syncs.get().syncFolder(vscode.Uri.file(folder));
    const tree = services.syncs.loaded!.tree;
    /** What the view shows: each sync's label, description and contextValue, and its rows as "label: description". */
    const shown = async () =>
      Promise.all(
        (await tree.getChildren()).map(async (node) => {
          const item = (await tree.getTreeItem(node)) as SyncNode;
          return {
            node: item,
            row: [item.label, item.description, item.contextValue],
            rows: Object.fromEntries(
              (await tree.getChildren(node)).map((child) => [child.label as string, child.description as string]),
            ),
          };
        }),
      );
    const key = 'tensorboard/tree/train/events.out.tfevents.1700000002.host.1.0';
    let written = 10;
    const local = (): Buffer => Buffer.concat(records.slice(0, written));
    let [sync] = await eventually(
      shown,
      (rows) =>
        rows[0]?.rows.Uploaded === `1 file, ${sizeText(local().length)}` && rows[0].rows.Queued?.startsWith('0 '),
      'the first upload in the sidebar',
      20_000,
    );
    assert.deepEqual(sync!.row, [path.basename(folder), 'syncing', 'sync.running']);
    assert.equal(sync!.rows.To, `oss://${bucket}.oss-cn-hangzhou.aliyuncs.com/tensorboard/tree/`);
    assert.equal(sync!.rows.Queued, '0 of 1 file, 0 B');
    assert.equal(sync!.rows.Lag, 'none: OSS holds every write seen');
    assert.notEqual(sync!.rows['Last upload'], 'not yet');
    assert.equal(sync!.rows['Last error'], undefined);
    assert.ok((await ossObject(key))?.equals(local()));

    // Paused from its row: nothing more goes up while training writes on.
    await vscode.commands.executeCommand('paiTensorboard.pauseSync', sync!.node);
    [sync] = await shown();
    assert.deepEqual(sync!.row, [path.basename(folder), 'paused', 'sync.paused']);
    appendFileSync(eventFile, Buffer.concat(records.slice(written, written + 10)));
    written += 10;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    assert.equal((await ossObject(key))?.length, Buffer.concat(records.slice(0, 10)).length, 'paused: nothing sent');

    // Resumed while OSS fails once (500): the row names the error and its next step, then clears it.
    const control = new OssControl(process.env.PAI_EMULATOR_ENDPOINT!);
    await control.injectFault({ kind: 'internalError', operation: 'AppendObject' });
    await vscode.commands.executeCommand('paiTensorboard.resumeSync', sync!.node);
    [sync] = await eventually(shown, (rows) => rows[0]?.rows['Last error'] !== undefined, 'the failed append', 20_000);
    assert.match(sync!.rows['Last error']!, /^train\/events\.out\.tfevents\.1700000002\.host\.1\.0: /);
    assert.equal(
      sync!.rows['Next step'],
      'The sync backs off, keeps its queue and tries again by itself; nothing is lost.',
    );
    assert.deepEqual(sync!.row, [
      path.basename(folder),
      'syncing, retrying: OSS or the network failed',
      'sync.running',
    ]);
    await eventually(
      shown,
      (rows) => rows[0]?.rows.Uploaded === `1 file, ${sizeText(local().length)}` && !rows[0].rows['Last error'],
      'the appended steps in the sidebar',
      20_000,
    );
    assert.ok((await ossObject(key))?.equals(local()));

    // OSS throttles three appends in a row (back-offs of 1, 2 and 4 s): the row says so with its next step, the
    // queue is kept, and once OSS takes requests again the steps arrive and the row clears.
    await control.injectFault({ kind: 'throttling', operation: 'AppendObject', times: 3 });
    appendFileSync(eventFile, Buffer.concat(records.slice(written, written + 5)));
    written += 5;
    [sync] = await eventually(
      shown,
      (rows) => rows[0]?.row[1] === 'syncing, backing off: OSS throttles',
      'the throttled append in the sidebar',
      20_000,
    );
    assert.match(
      sync!.rows['Next step']!,
      /^OSS asks to slow down: the sync waits, longer each time, and keeps its queue/,
    );
    assert.match(sync!.rows['Last error']!, /SlowDown|Throttl/);
    assert.match(sync!.rows.Queued!, /^1 of 1 file, /);
    [sync] = await eventually(
      shown,
      (rows) => rows[0]?.rows.Uploaded === `1 file, ${sizeText(local().length)}` && !rows[0].rows['Last error'],
      'the steps after the throttling',
      30_000,
    );
    assert.equal(sync!.row[1], 'syncing');
    assert.ok((await ossObject(key))?.equals(local()));

    await vscode.commands.executeCommand('paiTensorboard.stopSync', sync!.node);
    [sync] = await shown();
    assert.deepEqual(sync!.row, [path.basename(folder), 'stopped', 'sync.stopped']);
    await vscode.commands.executeCommand('paiTensorboard.removeSync', sync!.node);
    assert.deepEqual(await shown(), []);
  });

  it("while training writes steps, the synced board's TensorBoard serves the new steps", async function () {
    this.timeout(120_000);
    await emulator().setPageSwitches({ realBoards: true });
    const records = sampleRecords('run1');
    const eventFile = path.join(folder, 'train', 'events.out.tfevents.1700000003.host.1.0');
    const half = Math.floor(records.length / 2);
    const writer = training(eventFile, records, half);
    await eventually(
      () => readFile(eventFile).catch(() => Buffer.alloc(0)),
      (bytes) => bytes.equals(Buffer.concat(records.slice(0, half))),
      'the first half written',
      20_000,
    );
    const relative = path.relative(workspaceFolder().fsPath, folder);
    const prefix = `tensorboard/${path.basename(workspaceFolder().fsPath)}/${relative}/`;
    ui.pick(/Sync to OSS and Create Board/)
      .pick(new RegExp(bucket))
      .type(prefix, 'tb-live');
    await vscode.commands.executeCommand('paiTensorboard.createBoardForFolder', vscode.Uri.file(folder));
    const board = services.boards.boards.find((b) => b.displayName === 'tb-live');
    assert.ok(board, JSON.stringify(ui.messages));

    // What the same run serves where it is whole: the seed's board over the sample run1.
    const whole = (
      await eventually(
        () => boardScalars(services, SEEDED_BOARD).catch(() => ({}) as Record<string, Record<string, Points>>),
        (scalars) => Object.keys(scalars.run1 ?? {}).length > 0,
        "the seeded board's run1",
        30_000,
      )
    ).run1!;
    const tag = Object.keys(whole).sort()[0]!;
    // The board mounts its source under a name of its own: the run is "<name>/train".
    const train = (scalars: Record<string, Record<string, Points>>): Record<string, Points> | undefined =>
      Object.entries(scalars).find(([run]) => run === 'train' || run.endsWith('/train'))?.[1];
    const steps = (points: Points | undefined): number[] => (points ?? []).map(([, step]) => step);
    const values = (points: Points | undefined): number[] => (points ?? []).map(([, , value]) => value);
    const firstHalf = await eventually(
      () => boardScalars(services, board.tensorboardId).catch(() => ({}) as Record<string, Record<string, Points>>),
      (scalars) => steps(train(scalars)?.[tag]).length > 0,
      `the synced board's train/${tag}`,
      60_000,
    );
    const before = train(firstHalf)![tag]!;
    assert.ok(before.length < whole[tag]!.length, `the first half holds fewer steps (${before.length})`);
    assert.deepEqual(steps(before), steps(whole[tag]).slice(0, before.length));

    // The board's panel says how far the board is behind the synced files.
    await vscode.commands.executeCommand('paiTensorboard.openBoard', board.tensorboardId);
    const lagLine = (step: number, of: number) =>
      eventually(
        () => services.panels.get(board.tensorboardId)?.lagShown,
        (lag) => lag?.line.endsWith(`; board shows step ${step} of ${of}`) === true,
        `the panel's lag line at step ${step} of ${of}`,
        30_000,
      );
    const halfStep = steps(before).at(-1)!;
    assert.match((await lagLine(halfStep, halfStep))!.line, /^synced \d+ s ago; /);
    assert.match(services.panels.get(board.tensorboardId)!.panel.webview.html, /<span class="sync-lag" id="sync-lag">/);

    writer.more();
    assert.equal(await writer.done, 0, 'the training process ended well');
    const after = await eventually(
      () => boardScalars(services, board.tensorboardId).catch(() => ({}) as Record<string, Record<string, Points>>),
      (scalars) => steps(train(scalars)?.[tag]).length === whole[tag]!.length,
      `the new steps of train/${tag}`,
      60_000,
    );
    assert.deepEqual(steps(train(after)![tag]), steps(whole[tag]), 'the board serves every step written');
    assert.deepEqual(values(train(after)![tag]), values(whole[tag]));
    assert.deepEqual(Object.keys(train(after)!).sort(), Object.keys(whole).sort(), 'and every tag');
    const lastStep = steps(whole[tag]).at(-1)!;
    assert.equal((await lagLine(lastStep, lastStep))!.offerRestart, false, 'caught up: no restart offered');
  });
});
