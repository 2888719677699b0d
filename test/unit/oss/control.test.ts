import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { HttpFailure } from '../../../src/api/http';
import { OssClient } from '../../../src/sync/ossClient';
import { ManualClock, OssControl, startEmulator, type Emulator } from '../../emulator';
import { leanClient } from '../sync/helpers';
import { bucket } from './helpers';

describe('emulated OSS: control routes over HTTP and the CLI', () => {
  let emulator: Emulator;
  let control: OssControl;

  beforeEach(async () => {
    emulator = await startEmulator({ clock: new ManualClock(), tensorboard: false });
    control = new OssControl(emulator.endpoint);
  });
  afterEach(() => emulator.stop());

  it('names the OSS endpoint, arms a fault the next request meets, records it, and resets', async () => {
    assert.deepEqual(await control.endpoint(), { endpoint: emulator.oss.endpoint, regionId: 'cn-hangzhou' });
    await control.injectFault({ kind: 'dropAfterCommit', operation: 'AppendObject' });
    assert.deepEqual(await control.faults(), [{ kind: 'dropAfterCommit', operation: 'AppendObject', times: 1 }]);
    const client = leanClient(emulator);
    await assert.rejects(client.append('run/events.out.tfevents.1', 0, Buffer.from('abc')), HttpFailure);
    assert.equal((await client.head('run/events.out.tfevents.1'))?.size, 3, 'the dropped append was applied');
    const requests = await control.requests();
    assert.deepEqual(
      requests.map((request) => [request.operation, request.fault, request.status]),
      [
        ['AppendObject', 'dropAfterCommit', 0],
        ['HeadObject', undefined, 200],
      ],
    );
    assert.deepEqual(await control.billed(), { put: 0, get: 1 });
    await control.injectFault({ kind: 'throttling', times: 2 });
    await control.reset();
    assert.deepEqual(await control.faults(), []);
    assert.deepEqual(await control.requests(), []);
    await assert.rejects(control.injectFault({ kind: 'nonsense' } as never), /kind/);
  });

  it('the CLI serves OSS on --oss-port beside PAI-DLC and prints it in the JSON line', async function () {
    this.timeout(20_000);
    const cliPath = path.resolve(__dirname, '../../emulator/cli.js');
    const child = spawn(process.execPath, [cliPath, '--json', '--no-tensorboard', '--oss-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`emulator CLI exited with ${code}`)));
      });
      const started = JSON.parse(line) as Record<string, string>;
      assert.match(started.ossEndpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(started.ossEndpoint, started.endpoint);
      const client = new OssClient({
        target: { bucket, region: started.regionId, endpoint: started.ossEndpoint },
        credentials: () =>
          Promise.resolve({ accessKeyId: started.accessKeyId, accessKeySecret: started.accessKeySecret }),
      });
      await client.put('cli/events.out.tfevents.1', Buffer.from('hello'));
      assert.equal((await client.head('cli/events.out.tfevents.1'))?.size, 5);
      assert.equal((await new OssControl(started.endpoint).requests()).length, 2);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
