import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import { crc64 } from '../../src/sync/crc64';
import { OssClient } from '../../src/sync/ossClient';
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
    const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
    let [sync] = await eventually(
      shown,
      (rows) => rows[0]?.rows.Uploaded === `1 files, ${mb(local().length)} MB` && rows[0].rows.Queued?.startsWith('0 '),
      'the first upload in the sidebar',
      20_000,
    );
    assert.deepEqual(sync!.row, [path.basename(folder), 'syncing', 'sync.running']);
    assert.equal(sync!.rows.To, `oss://${bucket}.oss-cn-hangzhou.aliyuncs.com/tensorboard/tree/`);
    assert.equal(sync!.rows.Queued, '0 of 1 files, 0.0 MB');
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
    assert.equal(sync!.rows['Next step'], 'The sync tries again by itself.');
    assert.equal(sync!.row[2], 'sync.running');
    [sync] = await eventually(
      shown,
      (rows) => rows[0]?.rows.Uploaded === `1 files, ${mb(local().length)} MB` && !rows[0].rows['Last error'],
      'the appended steps in the sidebar',
      20_000,
    );
    assert.ok((await ossObject(key))?.equals(local()));

    await vscode.commands.executeCommand('paiTensorboard.stopSync', sync!.node);
    [sync] = await shown();
    assert.deepEqual(sync!.row, [path.basename(folder), 'stopped', 'sync.stopped']);
    await vscode.commands.executeCommand('paiTensorboard.removeSync', sync!.node);
    assert.deepEqual(await shown(), []);
  });
});
