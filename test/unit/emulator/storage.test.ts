import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock, startEmulator } from '../../emulator';
import { Storage } from '../../emulator/storage';

describe('emulator: OSS and NAS storage on a local folder', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'storage-test-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('maps oss:// (with or without an endpoint) and nas:// URIs below the root, each path inside its bucket', () => {
    const storage = new Storage(root);
    const oss = path.join(root, 'oss/my-bucket/experiments/logs/run1');
    assert.equal(storage.folderOf('oss://my-bucket.oss-cn-hangzhou-internal.aliyuncs.com/experiments/logs/run1/'), oss);
    assert.equal(storage.folderOf('oss://my-bucket/experiments/logs/', '/run1/'), oss);
    assert.equal(
      storage.folderOf('nas://0a1b2c3d4e.cn-hangzhou/datasets/imagenet/'),
      path.join(root, 'nas/0a1b2c3d4e/datasets/imagenet'),
    );
    assert.equal(storage.folderOf('oss://my-bucket/../../etc/'), path.join(root, 'oss/my-bucket/etc'));
    assert.equal(storage.folderOf('oss://my-bucket/logs/', '../../../x'), path.join(root, 'oss/my-bucket/x'));
    assert.equal(storage.folderOf('https://example.com/logs/'), undefined);
    assert.equal(storage.jobFolder('dlc1a9r0uhfn24cl'), path.join(root, 'jobs/dlc1a9r0uhfn24cl'));
  });

  it("fills a given root with the seed's sample runs and leaves it in place on stop; its own temporary root goes", async () => {
    const given = await startEmulator({ clock: new ManualClock(), tensorboard: false, storageRoot: root });
    assert.equal(given.storageRoot, root);
    await given.stop();
    assert.deepEqual(readdirSync(path.join(root, 'jobs/dlc1a9r0uhfn24cl')).sort(), ['run1', 'run2']);
    assert.deepEqual(readdirSync(path.join(root, 'oss/pai-emulator-demo/mnist/logs')).sort(), ['run1', 'run2', 'run3']);
    assert.ok(readdirSync(path.join(root, 'jobs/dlc1a9r0uhfn24cl/run1'))[0].startsWith('events.out.tfevents.'));

    const own = await startEmulator({ clock: new ManualClock(), tensorboard: false });
    assert.ok(existsSync(path.join(own.storageRoot, 'jobs')));
    await own.stop();
    assert.equal(existsSync(own.storageRoot), false);
  });
});
