import assert from 'node:assert/strict';
import { Agent } from 'node:https';
import { connect, type Socket } from 'node:net';
import { HttpFailure } from '../../../src/api/http';
import { internalFor, regionOfThisMachine } from '../../../src/sync/internalEndpoint';
import { OssClient } from '../../../src/sync/ossClient';
import { ManualClock, startEmulator } from '../../emulator';
import { closedPort } from '../../shared/ports';

const credentials = () => Promise.resolve({ accessKeyId: 'LTAI', accessKeySecret: 'secret' });

describe('sync: the internal OSS endpoint where the window runs inside the region', () => {
  it('asks the instance metadata service for the region, with an IMDSv2 token when it requires one', async () => {
    for (const metadataTokenRequired of [false, true]) {
      const emulator = await startEmulator({ clock: new ManualClock(), tensorboard: false, metadataTokenRequired });
      try {
        assert.equal(await regionOfThisMachine(emulator.endpoint), 'cn-hangzhou', String(metadataTokenRequired));
        assert.deepEqual(
          emulator.requests.map((request) => request.operation ?? '').filter((name) => /Metadata|Region/.test(name)),
          ['GetMetadataToken', 'GetRegionId'],
        );
      } finally {
        await emulator.stop();
      }
    }
  });

  it('says no region, at once, where no metadata service answers (a laptop, another cloud)', async () => {
    const started = Date.now();
    assert.equal(await regionOfThisMachine(`http://127.0.0.1:${await closedPort()}`), undefined);
    assert.ok(Date.now() - started < 2_000, `${Date.now() - started} ms`);
  });

  it('chooses by the setting: always, never, or auto when the machine is in the bucket’s region', async () => {
    assert.equal(
      internalFor('always', 'cn-hangzhou', () => Promise.reject(new Error('not asked'))),
      true,
    );
    assert.equal(
      internalFor('never', 'cn-hangzhou', () => Promise.reject(new Error('not asked'))),
      false,
    );
    const auto = internalFor('auto', 'cn-hangzhou', () => Promise.resolve('cn-hangzhou'));
    assert.equal(typeof auto === 'function' && (await auto()), true);
    const elsewhere = internalFor(undefined, 'cn-hangzhou', () => Promise.resolve('cn-shanghai'));
    assert.equal(typeof elsewhere === 'function' && (await elsewhere()), false);
    const outside = internalFor('auto', 'cn-hangzhou', () => Promise.resolve(undefined));
    assert.equal(typeof outside === 'function' && (await outside()), false);
  });

  it('sends to oss-<region>-internal when chosen, the public endpoint otherwise, the override always', async () => {
    const host = (internal: boolean | (() => Promise<boolean>), endpoint?: string) =>
      new OssClient({
        target: { bucket: 'logs', region: 'cn-hangzhou', internal, ...(endpoint ? { endpoint } : {}) },
        credentials,
      }).bucketHost();
    assert.equal(await host(true), 'logs.oss-cn-hangzhou-internal.aliyuncs.com');
    assert.equal(await host(false), 'logs.oss-cn-hangzhou.aliyuncs.com');
    assert.equal(await host(() => Promise.resolve(true)), 'logs.oss-cn-hangzhou-internal.aliyuncs.com');
    assert.equal(await host(() => Promise.reject(new Error('probe failed'))), 'logs.oss-cn-hangzhou.aliyuncs.com');
    assert.equal(await host(true, 'http://127.0.0.1:9'), '127.0.0.1:9');
  });

  it('falls back to the public endpoint for good when the internal one it chose cannot be reached', async () => {
    // Every connection is refused (no network here); the agent notes which host each was for.
    const port = await closedPort();
    const hosts: string[] = [];
    const agent = new Agent({ keepAlive: false });
    (
      agent as unknown as { createConnection: (options: { host?: string; servername?: string }) => Socket }
    ).createConnection = (options) => {
      hosts.push(options.servername ?? options.host ?? '');
      return connect(port, '127.0.0.1');
    };
    const client = new OssClient({
      target: { bucket: 'logs', region: 'cn-hangzhou', internal: () => Promise.resolve(true) },
      credentials,
      agent,
    });
    const failure = await client.head('run/events').catch((error: unknown) => error);
    assert.ok(failure instanceof HttpFailure, String(failure));
    assert.deepEqual(hosts, ['logs.oss-cn-hangzhou-internal.aliyuncs.com', 'logs.oss-cn-hangzhou.aliyuncs.com']);
    assert.equal(await client.bucketHost(), 'logs.oss-cn-hangzhou.aliyuncs.com');
    await client.head('run/events').catch(() => undefined);
    assert.deepEqual(hosts.slice(2), ['logs.oss-cn-hangzhou.aliyuncs.com'], 'the next request goes public at once');
  });
});
