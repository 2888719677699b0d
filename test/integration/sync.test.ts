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
});
