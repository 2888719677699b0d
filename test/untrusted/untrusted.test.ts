import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { UNTRUSTED_WORKSPACE_SETTINGS } from '../runner/untrusted';
import { emulator, signedInFresh } from '../integration/support';

// The runner opens this suite's workspace untrusted, with a .vscode/settings.json that tries to send the user's
// signed requests elsewhere (UNTRUSTED_WORKSPACE_SETTINGS).
describe('in an untrusted workspace', () => {
  const config = () => vscode.workspace.getConfiguration('paiTensorboard');

  it("is untrusted, and VS Code hides every hostile value of its settings file from the extension", () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const file = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, '.vscode', 'settings.json');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), UNTRUSTED_WORKSPACE_SETTINGS);
    for (const key of Object.keys(UNTRUSTED_WORKSPACE_SETTINGS)) {
      assert.equal(config().inspect(key.replace('paiTensorboard.', ''))?.workspaceValue, undefined, `${key} is read from the workspace`);
    }
  });

  it("ignores the workspace's values for every setting that decides where signed requests go", () => {
    assert.equal(config().get('endpoint'), process.env.PAI_EMULATOR_ENDPOINT);
    assert.equal(config().get('regionId'), 'cn-hangzhou');
    assert.equal(config().get('workspaceId'), '86923');
    assert.deepEqual(config().get('pathMappings'), []);
  });

  it('signs and sends requests only to the user\'s endpoint and workspace', async () => {
    const ui = await signedInFresh(500);
    try {
      await vscode.commands.executeCommand('paiTensorboard.refresh');
      await vscode.commands.executeCommand('paiTensorboard.stopAllRunning');
      const lists = (await emulator().requests()).filter((r) => r.operation === 'ListTensorboards');
      assert.ok(lists.length > 0, 'no request reached the emulator');
      assert.ok(lists.every((r) => r.query.WorkspaceId === '86923'));
    } finally {
      ui.restore();
    }
  });
});
