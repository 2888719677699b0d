import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import { eventually, extensionServices, signedInFresh, type Ui } from './support';

const RUNNING = 'tb4k8lc5xfu36opt';
const FRAME = /<iframe id="board" src="([^"]+)"/;
const VIEWS_KEY = 'paiTensorboard.boardViews';

/**
 * Issue 20: the board's frame runs a page the extension does not trust. Whatever reaches the extension from it (what
 * media/board.js relays: the bridge's message types, any field in them), forged, oversized, of the wrong type, with
 * links to other schemes, download names leaving their folder, or in floods: nothing is opened, nothing written, no
 * command run, and the panel keeps doing what a real board asks of it.
 */
describe('a hostile board page posting through the bridge (#20)', function () {
  this.timeout(120_000);
  let services: Services;
  let ui: Ui;
  const window = vscode.window as unknown as Record<string, unknown>;
  const commands = vscode.commands as unknown as Record<string, unknown>;
  const realSaveDialog = vscode.window.showSaveDialog;
  const realExecute = vscode.commands.executeCommand;

  before(async () => {
    services = await extensionServices();
  });
  beforeEach(async () => {
    ui = await signedInFresh(1_000);
  });
  afterEach(async () => {
    window.showSaveDialog = realSaveDialog;
    commands.executeCommand = realExecute;
    ui.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens nothing, writes nothing, runs no command, and keeps working', async () => {
    await services.boards.refresh();
    await vscode.commands.executeCommand('paiTensorboard.openBoard', RUNNING);
    const html = () => services.panels.get(RUNNING)?.panel.webview.html ?? '';
    await eventually(
      html,
      (text) => FRAME.test(text) && text.includes('data-bridge-secret'),
      'the panel framing the board through the proxy',
      30_000,
    );
    const panel = services.panels.get(RUNNING)!;

    const dialogs: vscode.SaveDialogOptions[] = [];
    window.showSaveDialog = async (options: vscode.SaveDialogOptions) => {
      dialogs.push(options);
      return undefined; // the user looks at the proposed name and cancels
    };
    const run: string[] = [];
    commands.executeCommand = (command: string, ...rest: unknown[]) => {
      run.push(command);
      return realExecute.call(vscode.commands, command, ...rest);
    };
    const viewsBefore = JSON.stringify(services.panels.state?.get(VIEWS_KEY) ?? null);

    const links = [
      'javascript:alert(1)',
      ' JavaScript:alert(document.domain)',
      'command:workbench.action.terminal.new',
      'command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D',
      'vscode://vscode.git/clone?url=https%3A%2F%2Fevil.example%2Fr.git',
      'vscode:extension/evil.extension',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'https://user:pw@evil.example/',
      `https://evil.example/${'a'.repeat(10_000)}`,
    ];
    const forged: unknown[] = [
      ...links.map((url) => ({ type: 'bridgeOpen', url })),
      // A good link with a field too many, of the wrong type, or under another message's name.
      { type: 'bridgeOpen', url: 'https://example.com/', also: 'command:workbench.action.terminal.new' },
      { type: 'bridgeOpen', url: ['https://example.com/'] },
      { type: 'bridgeOpen', url: { toString: () => 'https://example.com/' } },
      { type: 'bridgeRun', command: 'workbench.action.terminal.new' },
      { type: 'bridgeCommand', command: 'workbench.action.terminal.new', args: [] },
      // Downloads of the wrong type, not base64, or larger than any TensorBoard download.
      { type: 'bridgeDownload', name: 'a.csv', data: 12 },
      { type: 'bridgeDownload', name: ['a.csv'], data: 'YQ==' },
      { type: 'bridgeDownload', name: 'a.csv', data: 'not base64!' },
      { type: 'bridgeDownload', name: 'a.csv', data: 'A'.repeat(45 * 1024 * 1024) },
      { type: 'bridgeDownload', name: 'a.csv', data: 'YQ==', source: 42 },
      // Views the extension would keep: a scheme for a query, a prototype, too many or too large entries.
      { type: 'bridgeView', search: 'javascript:alert(1)', hash: '', storage: {} },
      { type: 'bridgeView', search: '?a=1', hash: '#x\n<script>', storage: {} },
      JSON.parse('{"type":"bridgeView","search":"","hash":"","storage":{"__proto__":{"polluted":"yes"}}}'),
      { type: 'bridgeView', search: '', hash: '', storage: { big: 'x'.repeat(300 * 1024) } },
      {
        type: 'bridgeView',
        search: '',
        hash: '',
        storage: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'v'])),
      },
      { type: 'bridgeView', search: `?${'a'.repeat(20_000)}`, hash: '', storage: {} },
      null,
      'bridgeOpen',
      42,
      [],
    ];
    for (const message of forged) panel.receive(message);
    // A flood: thousands of each, as fast as a page can post.
    for (let i = 0; i < 3_000; i++) panel.receive({ type: 'bridgeOpen', url: `javascript:alert(${i})` });
    for (let i = 0; i < 3_000; i++) panel.receive({ type: 'bridgeDownload', name: '../x', data: 'not base64!' });

    // A download whose name leaves its folder is offered under a plain name in the usual folder, and not written
    // when the user cancels.
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? tmpdir();
    for (const name of ['../../../.bashrc', '..\\..\\evil.bat', '/etc/cron.d/evil', 'C:\\Windows\\evil.dll', '..']) {
      panel.receive({ type: 'bridgeDownload', name, data: Buffer.from('echo pwned\n').toString('base64') });
    }
    await eventually(
      () => dialogs.length,
      (count) => count === 5,
    );
    for (const dialog of dialogs) {
      const proposed = dialog.defaultUri?.fsPath ?? '';
      assert.equal(path.dirname(proposed), folder, proposed);
      assert.doesNotMatch(path.basename(proposed), /^\.|[\\/]/, proposed);
    }
    assert.ok(!existsSync(path.join(folder, '.bashrc')), 'a file was written');

    // Give every refused message's work time to have happened, had it been done.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(ui.opened, [], 'a link was opened');
    assert.deepEqual(run, [], 'a command was run');
    assert.equal(JSON.stringify(services.panels.state?.get(VIEWS_KEY) ?? null), viewsBefore, 'a forged view was kept');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(
      ui.messages.filter((message) => message.severity === 'error'),
      [],
    );

    // The panel still does what a real board asks: a link to another site opens in the browser.
    panel.receive({ type: 'bridgeOpen', url: 'https://www.tensorflow.org/tensorboard' });
    await eventually(
      () => ui.opened.length,
      (count) => count === 1,
    );
    assert.equal(ui.opened[0], 'https://www.tensorflow.org/tensorboard');
    assert.match(html(), FRAME, 'the panel no longer frames the board');
  });
});
