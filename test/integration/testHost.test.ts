import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { EmulatorControl } from '../emulator/control';

// What the runners hand the extension: if these fail, every later suite would test against the wrong service.
describe('the test VS Code', () => {
  it('points the extension at the emulator through settings and environment', () => {
    const endpoint = process.env.PAI_EMULATOR_ENDPOINT;
    assert.match(endpoint ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(vscode.workspace.getConfiguration('paiTensorboard').get('endpoint'), endpoint);
    assert.ok(vscode.workspace.getConfiguration('paiTensorboard').get('workspaceId'));
    assert.ok(process.env.ALIBABA_CLOUD_ACCESS_KEY_ID);
    assert.ok(process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
    assert.ok(process.env.ALIBABA_CLOUD_REGION_ID);
  });

  it('reaches the emulator through its control API', async () => {
    const control = new EmulatorControl(process.env.PAI_EMULATOR_ENDPOINT!);
    assert.ok(Array.isArray(await control.requests()));
  });

  it('opens a fresh workspace with a training log that names a job', () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    const log = readFileSync(vscode.Uri.joinPath(folder.uri, 'logs/run1/train.log').fsPath, 'utf8');
    assert.match(log, /\bdlc[0-9a-z]{12,}\b/);
  });
});
