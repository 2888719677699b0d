import assert from 'node:assert/strict';
import { connect } from 'node:net';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import type { RecordedRequest } from '../emulator/types';
import { emulator, eventually, extensionServices, listening, signedInFresh, type Ui } from './support';

const RUNNING = 'tb4k8lc5xfu36opt';
const STOPPED = 'tb9w3n6c1r8m2qxd';

type Node = vscode.TreeItem & { board?: { tensorboardId: string; status: string } };

describe('the boards sidebar', () => {
  let services: Services;
  let ui: Ui;

  before(async () => {
    services = await extensionServices();
  });
  beforeEach(async () => {
    ui = await signedInFresh(1_000);
  });
  afterEach(async () => {
    ui.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function nodes(): Promise<Node[]> {
    await services.boards.refresh();
    return (await services.tree.getChildren()) as Node[];
  }

  function node(all: Node[], id: string): Node {
    const found = all.find((n) => n.board?.tensorboardId === id);
    assert.ok(found, `no tree item for ${id} among ${all.map((n) => n.label).join(', ')}`);
    return found;
  }

  async function calls(operation: string): Promise<RecordedRequest[]> {
    return (await emulator().requests()).filter((r) => r.operation === operation);
  }

  /**
   * The port of the loopback proxy a panel's frame loads, directly or through code-server's port forwarding (onto a
   * subdomain of its own: the runner's code-server has a proxy domain).
   */
  function proxyPortOf(html: string): number {
    const port = new RegExp(
      `<iframe id="board" src="http://(?:127\\.0\\.0\\.1:(\\d+)|(\\d+)\\.cs\\.localhost:\\d+)/[A-Za-z0-9_-]{32}/share/${RUNNING}/token/`,
    )
      .exec(html)
      ?.slice(1)
      .find(Boolean);
    assert.ok(port, 'the board is not framed through the loopback proxy');
    return Number(port);
  }

  it("lists the boards of the workspace, newest first, including those older than the API's 7-day default", async () => {
    const all = await nodes();
    assert.deepEqual(
      all.map((n) => n.board?.tensorboardId),
      [RUNNING, STOPPED],
    );
    const [list] = await calls('ListTensorboards');
    assert.equal(list!.query.WorkspaceId, vscode.workspace.getConfiguration('paiTensorboard').get('workspaceId'));
    assert.equal(list!.query.SortBy, 'GmtCreateTime');
    assert.equal(list!.query.Order, 'desc');
    const days = (Date.now() - Date.parse(list!.query.StartTime!)) / 86_400_000;
    assert.ok(days > 7, `the window starts only ${days.toFixed(1)} days back`);
  });

  it('shows each board with its state, source and age, and escapes what the service names', async () => {
    const all = await nodes();
    const running = node(all, RUNNING);
    assert.equal(running.label, 'resnet50-imagenet');
    assert.equal(running.contextValue, 'board.running');
    assert.equal((running.iconPath as vscode.ThemeIcon).id, 'pass-filled');
    // A running board's row says its time, short enough for the default sidebar width; its source is in the tooltip.
    assert.match(String(running.description), /^(\d+ h( \d+ min)?|\d+ min) left$|^idle .*, stops in /);
    assert.ok((running.tooltip as vscode.MarkdownString).value.includes('Source: dlc1a9r0uhfn24cl'));
    const stopped = node(all, STOPPED);
    assert.equal(stopped.label, 'mnist-baseline <v1>');
    assert.equal(stopped.contextValue, 'board.stopped');
    assert.equal(stopped.description, 'd-k2x8vq3m9r1tzw/logs/ · 10 d · Stopped');
    const tooltip = (stopped.tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes('\\<v1\\>'), tooltip);
    assert.equal((stopped.tooltip as vscode.MarkdownString).isTrusted, false);
  });

  it("shows when a board was created in the user's language and time zone, not as UTC ISO text", async () => {
    const stopped = node(await nodes(), STOPPED);
    const created = services.boards.get(STOPPED)!.gmtCreateTime;
    const local = new Intl.DateTimeFormat(vscode.env.language, { dateStyle: 'medium', timeStyle: 'short' }).format(
      Date.parse(created),
    );
    const tooltip = (stopped.tooltip as vscode.MarkdownString).value;
    const escaped = local.replace(/[!-/:-@[-`{-~]/g, '\\$&');
    assert.ok(tooltip.includes(`Created: ${escaped}`), tooltip);
    assert.doesNotMatch(tooltip, /\d{4}\\?-\d\d\\?-\d\dT/);
  });

  it("shows the service's text in a tooltip as plain text: a URL in a reason is no link", async () => {
    await emulator().setBoardStatus(STOPPED, 'Failed', {
      code: 'ImagePullFailed',
      message: 'see https://evil.example/x or www.evil.example, mail ops@evil.example',
    });
    const tooltip = (node(await nodes(), STOPPED).tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes('https\\:\\/\\/evil\\.example\\/x'), tooltip);
    // What GFM autolinks: a scheme and `//`, `www.` and an e-mail address; none is left in the source.
    assert.doesNotMatch(tooltip, /[a-z]+:\/\/|www\.|@[\w-]+\./i);
  });

  /**
   * Runs `body` while the model's running board has the URL `url` (as if the service had sent it), then restores it.
   * The board is the listed one once the sign-in's own change (SecretStorage tells it a moment later) has reset the
   * list: nothing reloads it after that (nothing is pending, no panel follows it).
   */
  async function withBoardUrl(url: string, body: () => Promise<void>): Promise<void> {
    const board = (await eventually(
      async () => {
        await services.boards.ensureLoaded();
        return services.boards.get(RUNNING);
      },
      (found) => found !== undefined,
      'the running board in the model',
    )) as { url: string };
    const real = board.url;
    board.url = url;
    try {
      await body();
    } finally {
      board.url = real;
    }
  }

  it('refuses to open or copy a board URL that is not http(s)', async () => {
    await vscode.env.clipboard.writeText('before');
    for (const url of [
      'command:workbench.action.terminal.new',
      'vscode://file/etc/passwd',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://user:pw@evil.example/',
    ]) {
      const shown = ui.messages.length;
      await withBoardUrl(url, async () => {
        await vscode.commands.executeCommand('paiTensorboard.openBoardInBrowser', RUNNING);
        await vscode.commands.executeCommand('paiTensorboard.copyBoardUrl', RUNNING);
      });
      // One refusal for each command, not an earlier one seen again.
      const refusals = ui.messages.slice(shown);
      assert.equal(refusals.length, 2, `${url}: ${JSON.stringify(refusals)}`);
      for (const refusal of refusals) assert.match(refusal.text, /not a plain http\(s\) link/, url);
    }
    assert.deepEqual(ui.opened, []);
    assert.equal(await vscode.env.clipboard.readText(), 'before');
  });

  it('stops a running board and shows it Stopped once the service says so', async () => {
    const all = await nodes();
    await vscode.commands.executeCommand('paiTensorboard.stopBoard', node(all, RUNNING));
    const [stop] = await calls('StopTensorboard');
    assert.equal(stop!.method, 'PUT');
    assert.equal(stop!.path, `/api/v1/tensorboards/${RUNNING}/stop`);
    let item = node((await services.tree.getChildren()) as Node[], RUNNING);
    assert.equal(item.contextValue, 'board.pending');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'loading~spin');
    await emulator().advanceClock(1_500);
    item = node(await nodes(), RUNNING);
    assert.equal(item.contextValue, 'board.stopped');
  });

  it('starts a stopped board', async () => {
    await vscode.commands.executeCommand('paiTensorboard.startBoard', node(await nodes(), STOPPED));
    const [start] = await calls('StartTensorboard');
    assert.equal(start!.path, `/api/v1/tensorboards/${STOPPED}/start`);
    assert.equal(node((await services.tree.getChildren()) as Node[], STOPPED).contextValue, 'board.pending');
  });

  it('started from the sidebar, says when the board runs and opens it from there', async () => {
    ui.press('Open');
    await vscode.commands.executeCommand('paiTensorboard.startBoard', node(await nodes(), STOPPED));
    assert.ok(!ui.messages.some((m) => /is running/.test(m.text)), 'said it runs before it did');
    await emulator().advanceClock(1_500);
    const said = await eventually(
      () => ui.messages.find((m) => /is running\.$/.test(m.text)),
      (m) => m !== undefined,
      'the message that the board runs',
      15_000,
    );
    assert.match(said!.text, /^TensorBoard "mnist-baseline .v1." is running\.$/);
    assert.deepEqual(said!.buttons, ['Open']);
    await eventually(
      () => services.panels.get(STOPPED)?.showing,
      (showing) => showing !== undefined,
      'the panel Open opened',
    );
  });

  it('deletes a stopped board only after a modal confirmation', async () => {
    ui.press(undefined);
    await vscode.commands.executeCommand('paiTensorboard.deleteBoard', node(await nodes(), STOPPED));
    assert.equal((await calls('DeleteTensorboard')).length, 0, 'deleted without confirmation');
    assert.match(ui.last('warning')?.text ?? '', /Delete the TensorBoard "mnist-baseline <v1>"\?/);
    ui.press('Delete');
    await vscode.commands.executeCommand('paiTensorboard.deleteBoard', node(await nodes(), STOPPED));
    const [remove] = await calls('DeleteTensorboard');
    assert.equal(remove!.method, 'DELETE');
    assert.deepEqual(
      (await nodes()).map((n) => n.board?.tensorboardId),
      [RUNNING],
    );
  });

  it('changes the max running time and the accessibility through UpdateTensorboard query parameters', async () => {
    ui.type('480');
    await vscode.commands.executeCommand('paiTensorboard.changeMaxRunningTime', node(await nodes(), RUNNING));
    ui.pick(/Public/);
    await vscode.commands.executeCommand('paiTensorboard.changeAccessibility', node(await nodes(), RUNNING));
    const updates = await calls('UpdateTensorboard');
    assert.deepEqual(
      updates.map((u) => [u.method, u.query.MaxRunningTimeMinutes, u.query.Accessibility]),
      [
        ['PUT', '480', undefined],
        ['PUT', undefined, 'PUBLIC'],
      ],
    );
    assert.equal(updates[0]!.body, undefined);
  });

  it('Change Max Running Time refuses more than the limit, and says when the board now stops', async () => {
    ui.type('100000');
    await vscode.commands.executeCommand('paiTensorboard.changeMaxRunningTime', node(await nodes(), RUNNING));
    assert.match(
      ui.last('error')?.text ?? '',
      /rejected by the extension: At most 10080 minutes \(7 d\): the limit set in paiTensorboard\.maxRunningTimeLimitMinutes\./,
    );
    assert.deepEqual(await calls('UpdateTensorboard'), []);
    ui.type('480');
    await vscode.commands.executeCommand('paiTensorboard.changeMaxRunningTime', node(await nodes(), RUNNING));
    assert.match(
      ui.last('info')?.text ?? '',
      /^The max running time of "resnet50-imagenet" is now 480 min: it stops by itself in (6 h 59 min|7 h)\.$/,
    );
  });

  it('Change Max Running Time asks before a cap the board has already run past, then says it stops', async () => {
    ui.type('1');
    await vscode.commands.executeCommand('paiTensorboard.changeMaxRunningTime', node(await nodes(), RUNNING));
    const asked = ui.last('warning');
    assert.equal(
      asked?.text,
      'TensorBoard "resnet50-imagenet" has run for 1 h: a max running time of 1 min stops it at once.',
    );
    assert.deepEqual(asked?.buttons, ['Change and Stop It']);
    // Cancelled: nothing changes.
    assert.deepEqual(await calls('UpdateTensorboard'), []);
    ui.type('1').press('Change and Stop It');
    await vscode.commands.executeCommand('paiTensorboard.changeMaxRunningTime', node(await nodes(), RUNNING));
    assert.deepEqual(
      (await calls('UpdateTensorboard')).map((u) => u.query.MaxRunningTimeMinutes),
      ['1'],
    );
    assert.equal(
      ui.last('info')?.text,
      'TensorBoard "resnet50-imagenet" is stopping: its max running time is now 1 min, less than it had run.',
    );
    assert.match(services.boards.get(RUNNING)?.status ?? '', /^Stop/);
  });

  it('copies the URL and opens the board in the browser', async () => {
    await vscode.commands.executeCommand('paiTensorboard.copyBoardUrl', node(await nodes(), RUNNING));
    assert.match(await vscode.env.clipboard.readText(), new RegExp(`/tensorboard/${RUNNING}/`));
    // The copy is the board's own address, no shared link: the message says that it asks for a console sign-in.
    assert.doesNotMatch(await vscode.env.clipboard.readText(), /\/share\/|\/token\//);
    assert.equal(
      ui.last('info')?.text,
      'Copied the URL of "resnet50-imagenet". It opens after signing in to the Alibaba Cloud console.',
    );
    await vscode.commands.executeCommand('paiTensorboard.openBoardInBrowser', node(await nodes(), RUNNING));
    assert.match(ui.opened.at(-1) ?? '', new RegExp(RUNNING));
  });

  it("copies the URL with the view the panel kept for the board (#20): dashboard, filter, pins; no other board's", async () => {
    const key = 'paiTensorboard.boardViews';
    const state = services.panels.state!;
    const before = state.get(key);
    const pinned = JSON.stringify([{ plugin: 'scalars', tag: 'loss' }]);
    const search = `?${new URLSearchParams({ tagFilter: 'loss', pinnedCards: pinned, smoothing: '0.95' })}`;
    try {
      await state.update(key, {
        other: { search: '?tagFilter=accuracy', hash: '#images', storage: {} },
        [RUNNING]: { search, hash: '#timeseries', storage: { _tb_global_settings: '{}' } },
      });
      await vscode.commands.executeCommand('paiTensorboard.copyBoardUrl', node(await nodes(), RUNNING));
      const copied = new URL(await vscode.env.clipboard.readText());
      assert.match(copied.pathname, new RegExp(`/tensorboard/${RUNNING}/`));
      assert.equal(copied.searchParams.get('tagFilter'), 'loss');
      assert.equal(copied.searchParams.get('pinnedCards'), pinned);
      assert.equal(copied.searchParams.get('smoothing'), '0.95');
      assert.equal(copied.hash, '#timeseries');
      // The board's localStorage stays in the editor: a link carries the URL's view only.
      assert.doesNotMatch(copied.href, /_tb_global_settings/);
    } finally {
      await state.update(key, before);
    }
  });

  it("opens and copies a loopback board URL as the browser reaches it, through the window's port forwarding, path, query and fragment kept", async () => {
    // A board URL on this machine's loopback (the emulator's, or a user's own port-forward): code-server, whose
    // extension host this is, forwards the port at <port>.cs.localhost (its proxy domain) and would open only that root
    // for the URL itself.
    const port = new URL(process.env.PAI_EMULATOR_ENDPOINT!).port;
    const forwarded = new RegExp(
      `^http://${port}\\.cs\\.localhost:\\d+/tensorboard/${RUNNING}/\\?token=t0k-en_1&run=run1#scalars$`,
    );
    await withBoardUrl(
      `${process.env.PAI_EMULATOR_ENDPOINT}/tensorboard/${RUNNING}/?token=t0k-en_1&run=run1#scalars`,
      async () => {
        await vscode.commands.executeCommand('paiTensorboard.copyBoardUrl', RUNNING);
        assert.match(await vscode.env.clipboard.readText(), forwarded);
        await vscode.commands.executeCommand('paiTensorboard.openBoardInBrowser', RUNNING);
        assert.match(ui.opened.at(-1) ?? '', forwarded);
      },
    );
  });

  it('asks which board when a board command is run from the palette', async () => {
    const asked = ui.quickPickTitles.length;
    ui.pick(/resnet50/);
    await vscode.commands.executeCommand('paiTensorboard.stopBoard');
    assert.deepEqual(ui.quickPickTitles.slice(asked), ['Select a TensorBoard']);
    assert.deepEqual(
      (await calls('StopTensorboard')).map((s) => s.path),
      [`/api/v1/tensorboards/${RUNNING}/stop`],
    );
  });

  it('shows an error item that retries, and offers the logs, when the list fails', async () => {
    await emulator().injectFault({ kind: 'missingField', operation: 'ListTensorboards' });
    const [error] = await nodes();
    assert.equal(error?.contextValue, 'error');
    assert.equal(error?.command?.command, 'paiTensorboard.refresh');
    assert.match(String(error?.description), /Tensorboards/);
    const shown = await eventually(
      () => ui.last('error'),
      (message) => message !== undefined,
      'the error message',
    );
    assert.match(shown!.text, /^Could not load TensorBoards/);
    assert.deepEqual(shown!.buttons, ['Show Logs']);
    assert.equal((await nodes()).length, 2, 'retrying did not load the boards');
  });

  it('offers Sign In, in the error item and the message, when the list fails for the credentials (#12)', async () => {
    const sts = await emulator().issueStsCredentials(60_000);
    ui.pick(/Enter an AccessKey pair/).type(sts.accessKeyId, sts.accessKeySecret, sts.securityToken);
    assert.equal(await vscode.commands.executeCommand('paiTensorboard.signIn'), true);
    await emulator().advanceClock(120_000);
    const [error] = await nodes();
    assert.equal(error?.label, 'Could not load TensorBoards: click to sign in');
    assert.equal(error?.command?.command, 'paiTensorboard.signIn');
    assert.match(String(error?.description), /STS token has expired.*\(InvalidSecurityToken\.Expired, RequestId /);
    const shown = await eventually(
      () => ui.last('error'),
      (message) => message !== undefined,
      'the error message',
    );
    assert.match(shown?.text ?? '', /^Could not load TensorBoards: The STS token has expired/);
    assert.deepEqual(shown?.buttons, ['Sign In', 'Show Logs']);
    assert.ok(!JSON.stringify({ error, shown }).includes(sts.securityToken));
  });

  it('counts in the status bar the running boards the sidebar lists, from the first list on', async () => {
    const running = () =>
      (services.tree.getChildren() as Promise<Node[]>).then(
        (all) => all.filter((n) => n.contextValue === 'board.running').length,
      );
    await nodes();
    assert.equal(services.running.shown, `$(graph-line) ${await running()}`);
    assert.equal(await running(), 1);
    await services.connection.client().startTensorboard(STOPPED, { workspaceId: '86923' });
    await emulator().advanceClock(1_500);
    await nodes();
    assert.equal(await running(), 2);
    assert.equal(services.running.shown, '$(graph-line) 2');
  });

  it('sets the keys the welcome views and the walkthrough steps complete on, as soon as they hold', async () => {
    await nodes();
    assert.equal(services.contextValue('paiTensorboard.signedIn'), true);
    assert.equal(services.contextValue('paiTensorboard.hasWorkspace'), true);
    assert.equal(services.contextValue('paiTensorboard.boardsLoaded'), true);
    assert.equal(services.contextValue('paiTensorboard.hasBoards'), true);
    const steps = (
      vscode.extensions.all.find((e) => e.packageJSON?.name === 'pai-tensorboard')!.packageJSON as {
        contributes: { walkthroughs: { steps: { id: string; completionEvents: string[] }[] }[] };
      }
    ).contributes.walkthroughs[0]!.steps;
    assert.deepEqual(
      steps.map((s) => s.completionEvents[0]),
      [
        'onContext:paiTensorboard.signedIn',
        'onContext:paiTensorboard.hasWorkspace',
        'onContext:paiTensorboard.hasBoards',
      ],
    );
  });

  it("keeps a board's panel in step with the board through stop, start and delete", async () => {
    const html = () => services.panels.get(RUNNING)!.panel.webview.html;
    await vscode.commands.executeCommand('paiTensorboard.openBoard', node(await nodes(), RUNNING));
    assert.equal(services.panels.get(RUNNING)?.showing, 'running');
    await eventually(html, (text) => /<iframe id="board"/.test(text), 'the panel framing the board');

    // Stopped from the sidebar: the open panel stops framing the board at once.
    await vscode.commands.executeCommand('paiTensorboard.stopBoard', node(await nodes(), RUNNING));
    assert.equal(services.panels.get(RUNNING)?.showing, 'pending');
    assert.match(html(), /is Stopping/);
    await emulator().advanceClock(1_500);
    await services.boards.reload(RUNNING); // the poll the panel's following would make
    assert.equal(services.panels.get(RUNNING)?.showing, 'stopped');
    assert.match(html(), /is stopped/);
    assert.match(html(), /<button type="button" id="start">Start<\/button>/);

    // The panel's Start button runs Start for this board (the command with the board's ID).
    await vscode.commands.executeCommand('paiTensorboard.startBoard', RUNNING);
    assert.equal(services.panels.get(RUNNING)?.showing, 'pending');
    assert.equal(
      node((await services.tree.getChildren()) as Node[], RUNNING).contextValue,
      'board.pending',
      'the sidebar disagrees with the panel',
    );
    await emulator().advanceClock(1_500);
    await services.boards.reload(RUNNING);
    // Framing waits for a fresh shared link, and for the board's page to answer.
    await eventually(html, (text) => /<iframe id="board"/.test(text), 'the panel framing the board');
    assert.equal(services.panels.get(RUNNING)?.showing, 'running');

    await vscode.commands.executeCommand('paiTensorboard.stopBoard', RUNNING);
    await emulator().advanceClock(1_500);
    await services.boards.reload(RUNNING);
    ui.press('Delete');
    await vscode.commands.executeCommand('paiTensorboard.deleteBoard', RUNNING);
    assert.equal(services.panels.get(RUNNING)?.showing, 'deleted');
    assert.match(html(), /was deleted/);
    // Its page offers to make the board again; the button asks for the create with the board it showed.
    assert.match(html(), /<button type="button" id="create-again">Create Again<\/button>/);
    assert.deepEqual(
      ((await services.tree.getChildren()) as Node[]).map((n) => n.board?.tensorboardId),
      [STOPPED],
    );
    assert.equal(services.running.shown, undefined, 'the status bar still counts a deleted board');
  });

  it('shows a board that refuses framing through the loopback proxy, and opens its own link in the browser', async () => {
    await emulator().setPageSwitches({ frameLimits: true });
    await vscode.commands.executeCommand('paiTensorboard.openBoard', node(await nodes(), RUNNING));
    const html = await eventually(
      () => services.panels.get(RUNNING)!.panel.webview.html,
      (text) => /<iframe id="board"/.test(text),
      'the panel framing the board',
    );
    assert.equal(services.panels.get(RUNNING)?.framing, 'proxy');
    const src = /<iframe id="board" src="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    // The loopback proxy, as code-server's port forwarding reaches it: its token in the path, the board's path after it.
    assert.match(src, new RegExp(`^http://\\d+\\.cs\\.localhost:\\d+/[A-Za-z0-9_-]{32}/share/${RUNNING}/token/`));
    assert.ok(html.includes(`frame-src ${new URL(src).origin}`), "the CSP does not allow exactly the frame's origin");
    await vscode.commands.executeCommand('paiTensorboard.panel.openInBrowser');
    // The board's own shared link, as a browser reaches the emulator's port through code-server: not the proxy's.
    const opened = ui.opened.at(-1) ?? '';
    const port = new URL(process.env.PAI_EMULATOR_ENDPOINT!).port;
    assert.match(
      opened,
      new RegExp(`^http://${port}\\.cs\\.localhost:\\d+/share/${RUNNING}/token/[^/]+/$`),
      `opened ${opened.replace(/\/token\/.*/, '/token/…')}`,
    );
  });

  it('blanks every board panel at Sign Out, link and proxy gone, and shows the board again after Sign In', async () => {
    await emulator().setPageSwitches({ frameLimits: true });
    await vscode.commands.executeCommand('paiTensorboard.openBoard', node(await nodes(), RUNNING));
    const html = () => services.panels.get(RUNNING)!.panel.webview.html;
    const framed = await eventually(html, (text) => /<iframe id="board"/.test(text), 'the panel framing the board');
    assert.equal(services.panels.get(RUNNING)?.framing, 'proxy');
    const proxyPort = proxyPortOf(framed);
    assert.equal(await listening(proxyPort), true, `nothing listens on the proxy's port ${proxyPort}`);
    // A local process that sent half a request and waits: it must not hold the proxy open, nor the page (#22).
    const halfSent = connect({ host: '127.0.0.1', port: proxyPort }, () => void halfSent.write('GET /x HT'));
    halfSent.on('error', () => undefined).resume();

    // Asked whether to stop the board it opened first: it is left running.
    ui.press('Sign Out');
    await vscode.commands.executeCommand('paiTensorboard.signOut');
    const blank = await eventually(html, (text) => /Signed out/.test(text), 'the signed-out page');
    assert.equal(services.panels.get(RUNNING)?.showing, 'signedOut');
    assert.ok(
      !/<iframe|share\/|token\/|127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{32}/.test(blank),
      "the signed-out panel still holds the board's link",
    );
    assert.match(blank, /<button type="button" id="sign-in">Sign In<\/button>/);
    // The proxy kept the board's cookies and reached it with the shared link: it must be gone, not just unused.
    await eventually(
      () => listening(proxyPort),
      (up) => !up,
      `the proxy on port ${proxyPort} closed`,
    );
    await eventually(
      () => halfSent.destroyed,
      (gone) => gone,
      'the half-sent request closed with the proxy',
    );

    ui.pick(/environment variables/);
    assert.equal(await vscode.commands.executeCommand('paiTensorboard.signIn'), true);
    const again = await eventually(
      html,
      (text) => /<iframe id="board"/.test(text),
      'the board framed again after Sign In',
    );
    assert.equal(services.panels.get(RUNNING)?.showing, 'running');
    assert.equal(await listening(proxyPortOf(again)), true, 'the board is framed through a proxy that does not listen');
  });

  it('frames a board that allows it directly when the framing setting asks for it', async () => {
    // `auto` would show it through the proxy in this window, whose forwarded ports have origins of their own.
    const settings = vscode.workspace.getConfiguration('paiTensorboard');
    await settings.update('boardFraming', 'direct', vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('paiTensorboard.openBoard', node(await nodes(), RUNNING));
      const html = await eventually(
        () => services.panels.get(RUNNING)!.panel.webview.html,
        (text) => /<iframe id="board"/.test(text),
        'the panel framing the board',
      );
      assert.equal(services.panels.get(RUNNING)?.framing, 'direct');
      assert.ok(html.includes(`src="${process.env.PAI_EMULATOR_ENDPOINT}/share/${RUNNING}/token/`), html);
    } finally {
      await settings.update('boardFraming', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('says so when a change went through but the board could not be reloaded after it', async () => {
    await nodes();
    await emulator().injectFault({ kind: 'missingField', operation: 'GetTensorboard' });
    await vscode.commands.executeCommand('paiTensorboard.stopBoard', node(await nodes(), RUNNING));
    assert.equal((await calls('StopTensorboard')).length, 1);
    assert.equal(ui.last('error'), undefined, 'the accepted stop was reported as a failure');
    assert.match(
      ui.last('warning')?.text ?? '',
      /accepted the change to "resnet50-imagenet", but its new state could not be loaded/,
    );
  });

  it('offers Retry on a transient failure, and only Retry runs the same action again', async function () {
    this.timeout(40_000); // two commands of four attempts each, with the client's real back-off between them
    await nodes();
    const stops = async () => (await calls('StopTensorboard')).map((s) => s.status);
    const errors = () => ui.messages.filter((m) => m.severity === 'error');
    // Every attempt of the client's own retries fails; the message is dismissed: nothing more is sent.
    await emulator().injectFault({ kind: 'serviceUnavailable', operation: 'StopTensorboard', times: 4 });
    ui.press(undefined);
    await vscode.commands.executeCommand('paiTensorboard.stopBoard', node(await nodes(), RUNNING));
    assert.match(errors()[0]?.text ?? '', /Could not stop resnet50-imagenet/);
    assert.deepEqual(errors()[0]?.buttons, ['Retry', 'Show Logs']);
    assert.deepEqual(await stops(), [503, 503, 503, 503]);

    // The same failure again, and this time the user presses Retry: one more stop goes out, and goes through.
    await emulator().injectFault({ kind: 'serviceUnavailable', operation: 'StopTensorboard', times: 4 });
    ui.press('Retry');
    await vscode.commands.executeCommand('paiTensorboard.stopBoard', node(await nodes(), RUNNING));
    assert.equal(errors().length, 2, JSON.stringify(ui.messages));
    const retried = await eventually(stops, (statuses) => statuses.includes(200), 'the retried StopTensorboard');
    // A stop the dismissed message had sent would be a second 200 here, or would have used up one of the faults.
    assert.deepEqual(retried, [503, 503, 503, 503, 503, 503, 503, 503, 200]);
    await eventually(
      async () => node((await services.tree.getChildren()) as Node[], RUNNING).contextValue,
      (value) => value === 'board.pending',
      'the board shown stopping',
    );
    assert.equal(errors().length, 2, JSON.stringify(ui.messages));
  });

  it('shows nothing (the sign-in welcome) when signed out', async () => {
    await services.connection.store.clear();
    assert.deepEqual(await nodes(), []);
    assert.equal((await calls('ListTensorboards')).length, 0);
  });
});
