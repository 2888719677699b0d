import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import { updateUserSetting } from './flowSupport';
import { emulator, eventually, extensionServices, signedInFresh, type Ui } from './support';

const RUNNING = 'tb4k8lc5xfu36opt';
const FRAME = /<iframe id="board" src="([^"]+)"/;
const HINT = /<span class="hint" id="blank-hint" data-after-ms="\d+"( hidden)?>Blank\?/;

describe("a board panel's header", () => {
  let services: Services;
  let ui: Ui;

  before(async () => {
    services = await extensionServices();
  });
  beforeEach(async () => {
    ui = await signedInFresh(1_000);
    await services.boards.refresh();
  });
  afterEach(async () => {
    ui.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await updateUserSetting('boardFraming', 'auto');
    await emulator().reset();
  });

  const html = () => services.panels.get(RUNNING)?.panel.webview.html ?? '';

  async function openFramed(): Promise<string> {
    await vscode.commands.executeCommand('paiTensorboard.openBoard', RUNNING);
    return eventually(html, (text) => FRAME.test(text), 'the panel framing the board', 20_000);
  }

  it("is titled by the board's name, with its source beside it, and no Blank? hint while the board shows", async () => {
    await updateUserSetting('boardFraming', 'direct');
    const page = await openFramed();
    assert.equal(services.panels.get(RUNNING)?.panel.title, 'resnet50-imagenet');
    assert.match(page, /<span class="name">resnet50-imagenet<\/span>\n<span class="source" title="dlc1a9r0uhfn24cl">/);
    // Framed as it is, the hint waits for the frame's deadline: hidden now.
    assert.equal(services.panels.get(RUNNING)?.framing, 'direct');
    assert.equal(HINT.exec(page)?.[1], ' hidden');
  });

  it('shows the Blank? hint at once when the board refuses framing and the setting frames it as it is', async () => {
    await emulator().setPageSwitches({ frameLimits: true });
    await updateUserSetting('boardFraming', 'direct');
    const page = await openFramed();
    assert.equal(services.panels.get(RUNNING)?.framing, 'direct');
    assert.match(page, HINT);
    assert.equal(HINT.exec(page)?.[1], undefined, 'the hint is hidden');
  });

  it('frames a board that allows framing through the proxy, with its bridge, where each port has its own origin', async () => {
    // This window forwards each port onto a subdomain of its own (a proxy domain): the proxy cannot share the
    // workbench's origin, so `auto` brings the bridge (downloads, links, keys, the view) to every board.
    const page = await openFramed();
    assert.equal(services.panels.get(RUNNING)?.framing, 'proxy');
    assert.match(page, /data-bridge-secret="[^"]+"/);
    assert.doesNotMatch(page, /id="no-bridge"/);
    assert.doesNotMatch(page, /Blank\?/);
  });

  it('has no Blank? hint through the proxy, where framing limits do not apply', async () => {
    await emulator().setPageSwitches({ frameLimits: true });
    const page = await openFramed();
    assert.equal(services.panels.get(RUNNING)?.framing, 'proxy');
    assert.doesNotMatch(page, /Blank\?/);
  });
});
