import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { apiVersion, buildStringToSign, contentMd5, signString } from '../../emulator';

const cliPath = path.resolve(__dirname, '../../emulator/cli.js');

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`emulator CLI exited with ${code} before printing`)));
  });
}

describe('emulator: CLI', () => {
  let child: ChildProcess | undefined;

  afterEach(() => {
    child?.kill('SIGTERM');
    child = undefined;
  });

  it('--json prints one JSON line whose endpoint answers a signed request', async () => {
    child = spawn(process.execPath, [cliPath, '--json', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let rest = '';
    child.stdout!.on('data', (chunk: Buffer) => (rest += chunk.toString()));
    const line = JSON.parse(await firstLine(child)) as Record<string, string>;
    assert.deepEqual(Object.keys(line).sort(), [
      'accessKeyId',
      'accessKeySecret',
      'endpoint',
      'ossEndpoint',
      'realBoards',
      'regionId',
      'workspaceId',
    ]);
    assert.match(line.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(line.regionId, 'cn-hangzhou');

    const path = '/api/v1/jobs';
    const headers: Record<string, string> = {
      accept: 'application/json',
      date: new Date().toUTCString(),
      'content-md5': contentMd5(''),
      'x-acs-signature-nonce': `cli-${Date.now()}`,
      'x-acs-signature-method': 'HMAC-SHA1',
      'x-acs-signature-version': '1.0',
      'x-acs-version': apiVersion,
    };
    const query: Array<[string, string]> = [['WorkspaceId', line.workspaceId]];
    const signature = signString(buildStringToSign({ method: 'GET', headers, path, query }), line.accessKeySecret);
    const response = await fetch(`${line.endpoint}${path}?WorkspaceId=${line.workspaceId}`, {
      headers: { ...headers, authorization: `acs ${line.accessKeyId}:${signature}` },
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.ok(Array.isArray(body.Jobs));

    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal(rest.trim().split('\n').length, 1, 'nothing else on stdout');
  });

  it('--json says why board pages are placeholders when --tensorboard names no executable', async () => {
    child = spawn(process.execPath, [cliPath, '--json', '--tensorboard', '/nonexistent/tensorboard'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = JSON.parse(await firstLine(child)) as { realBoards: { available: boolean; reason: string } };
    assert.equal(line.realBoards.available, false);
    assert.match(line.realBoards.reason, /\/nonexistent\/tensorboard: run `npm run setup:tensorboard`/);
  });
});
