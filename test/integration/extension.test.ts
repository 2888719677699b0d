import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionId, readManifest } from '../runner/manifest';

describe('the extension', () => {
  const manifest = readManifest();
  // VS Code registers these itself for every contributed view.
  const generatedForViews = new Set(
    Object.values(manifest.contributes.views ?? {})
      .flat()
      .flatMap((view) =>
        ['focus', 'open', 'removeView', 'resetViewLocation', 'toggleVisibility'].map((verb) => `${view.id}.${verb}`),
      ),
  );

  it('activates', async () => {
    const extension = vscode.extensions.getExtension(extensionId(manifest));
    assert.ok(extension, `${extensionId(manifest)} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every command package.json contributes, and contributes every command it registers', async () => {
    await vscode.extensions.getExtension(extensionId(manifest))!.activate();
    const contributed = (manifest.contributes.commands ?? []).map((c) => c.command).sort();
    const registered = (await vscode.commands.getCommands(true))
      .filter((id) => id.startsWith('paiTensorboard.') && !generatedForViews.has(id))
      .sort();
    assert.deepEqual(
      contributed.filter((id) => !registered.includes(id)),
      [],
      'contributed in package.json but not registered',
    );
    assert.deepEqual(
      registered.filter((id) => !contributed.includes(id)),
      [],
      'registered but not contributed in package.json',
    );
  });
});
