import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionServices, signedInFresh, Ui } from './support';

// The other integration tests answer prompts by replacing vscode.window's functions; prove that reaches the bundle.
describe('test support', () => {
  it('sees the messages and quick picks the bundled extension shows', async () => {
    const services = await extensionServices();
    await services.connection.store.clear();
    await services.boards.refresh(); // not the list of an earlier test's sign-in
    let ui = new Ui();
    try {
      // Signed out, the sidebar lists nothing: the command can only say so.
      await vscode.commands.executeCommand('paiTensorboard.openBoard');
      assert.deepEqual(
        ui.messages.map((m) => [m.severity, m.text]),
        [['info', 'No TensorBoard in the sidebar can do that right now.']],
      );
    } finally {
      ui.restore();
    }
    ui = await signedInFresh(1_000);
    try {
      let labels: string[] = [];
      const asked = ui.quickPickTitles.length; // the sign-in's
      ui.dismissPick((items) => (labels = items.map((i) => i.label)));
      await vscode.commands.executeCommand('paiTensorboard.openBoard');
      assert.deepEqual(ui.quickPickTitles.slice(asked), ['Select a TensorBoard']);
      assert.deepEqual(labels, ['resnet50-imagenet']);
    } finally {
      ui.restore();
    }
  });
});
