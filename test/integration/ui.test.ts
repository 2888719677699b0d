import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionServices, Ui } from './support';

// The other integration tests answer prompts by replacing vscode.window's functions; prove that reaches the bundle.
describe('test support', () => {
  it('sees the prompts the bundled extension shows', async () => {
    const services = await extensionServices();
    const ui = new Ui().press(undefined);
    try {
      services.log.info('probe');
      await vscode.commands.executeCommand('paiTensorboard.openBoard');
      assert.ok(ui.messages.length > 0 || ui.quickPickTitles.length > 0, 'the command showed nothing the test could see');
    } finally {
      ui.restore();
    }
  });
});
