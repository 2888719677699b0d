import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { EmulatorControl } from '../emulator/control';
import { eventually } from '../integration/support';
import { extensionId, projectRoot, readManifest } from '../runner/manifest';
import { uiRequestLine } from '../runner/protocol';

/** The extension's own files that this extension host has loaded (Node's module cache is shared by all extensions). */
function loadedFiles(extension: vscode.Extension<unknown>): string[] {
  return Object.keys(require.cache)
    .filter((file) => file.startsWith(extension.extensionPath + path.sep))
    .map((file) => path.relative(extension.extensionPath, file))
    .sort();
}

/**
 * The packaged extension as users run it: installed from the .vsix, in ExtensionMode.Production, so activation is
 * dist/extension.js alone and dist/app.js is loaded at the first use. These tests drive it from another extension:
 * through commands and the real quick pick, as a user would, never through its internals.
 */
describe('the installed extension in production mode', () => {
  const control = new EmulatorControl(process.env.PAI_EMULATOR_ENDPOINT!);
  const extension = vscode.extensions.getExtension(extensionId(readManifest()));

  before(async () => {
    await control.reset();
  });

  it('is the one installed from the .vsix, not active before anything asks for it', () => {
    assert.ok(extension, 'the extension is not installed');
    assert.notEqual(
      extension.extensionPath,
      projectRoot,
      'the extension runs from this checkout, not from its package',
    );
    assert.equal(extension.isActive, false);
    assert.deepEqual(loadedFiles(extension), []);
  });

  it('activates with dist/extension.js alone, exporting nothing', async () => {
    const exported = await extension!.activate();
    assert.equal(exported, undefined, 'activation exported something: the extension runs in test mode');
    assert.deepEqual(loadedFiles(extension!), ['dist/extension.js']);
  });

  it('loads dist/app.js at the first command, which asks nothing of PAI-DLC', async () => {
    await control.clearRequests();
    await vscode.commands.executeCommand('paiTensorboard.showLogs');
    assert.deepEqual(loadedFiles(extension!), ['dist/app.js', 'dist/extension.js']);
    assert.deepEqual(
      (await control.requests()).map((r) => r.operation ?? r.path),
      [],
    );
  });

  it('signs in from the environment in the quick pick, then lists the boards of the workspace', async function () {
    this.timeout(60_000);
    const signedIn = vscode.commands.executeCommand('paiTensorboard.signIn');
    console.log(uiRequestLine({ pick: 'Use environment variables' }));
    assert.equal(await signedIn, true, 'the sign-in did not complete');
    await control.clearRequests();
    await vscode.commands.executeCommand('paiTensorboard.refresh');
    const lists = await eventually(
      async () => (await control.requests()).filter((r) => r.operation === 'ListTensorboards'),
      (found) => found.length > 0,
      'a ListTensorboards after Refresh',
      10_000,
    );
    assert.equal(lists.length, 1, 'one list for one refresh');
    assert.equal(lists[0]!.query.WorkspaceId, vscode.workspace.getConfiguration('paiTensorboard').get('workspaceId'));
    assert.equal(lists[0]!.status, 200);
  });
});
