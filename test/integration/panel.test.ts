import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Timer } from '../../src/boards/timer';
import type { Services } from '../../src/services';
import type { RecordedRequest } from '../emulator/types';
import { emulator, eventually, extensionServices, signedInFresh, type Ui } from './support';

const RUNNING = 'tb4k8lc5xfu36opt';
const NAME = 'resnet50-imagenet';
const FRAME = /<iframe id="board" src="([^"]+)"/;

/**
 * The panels' timer, moved by the test: a timeout fires only when the test fires it, so the shared link's renewal
 * (hours away), the page's probes (two minutes of them) and, where a test gives it to the boards' polling too, the
 * visible panel's minute between two checks of its settled board take no real time.
 */
class ManualTimer implements Timer {
  private readonly pending = new Set<{ ms: number; callback: () => void }>();
  /** How much time the fired timeouts stood for, in all. */
  elapsedMs = 0;

  setTimeout(callback: () => void, ms: number): unknown {
    const entry = { ms, callback };
    this.pending.add(entry);
    return entry;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as { ms: number; callback: () => void });
  }

  /** The delays of the timeouts set and neither fired nor cleared. */
  get delays(): number[] {
    return [...this.pending].map((entry) => entry.ms);
  }

  /** Fires the pending timeouts whose delay `which` accepts (as if their time had come); returns how many. */
  fire(which: (ms: number) => boolean): number {
    const due = [...this.pending].filter((entry) => which(entry.ms));
    for (const entry of due) {
      this.pending.delete(entry);
      this.elapsedMs += entry.ms;
      entry.callback();
    }
    return due.length;
  }
}

describe('a board panel on its own', () => {
  let services: Services;
  let ui: Ui;
  let timer: ManualTimer;
  let realTimer: Timer;

  before(async () => {
    services = await extensionServices();
    realTimer = services.panels.timer;
  });
  beforeEach(async () => {
    ui = await signedInFresh(1_000);
    timer = new ManualTimer();
    services.panels.timer = timer;
  });
  afterEach(async () => {
    ui.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    services.panels.timer = realTimer;
    await vscode.workspace
      .getConfiguration('paiTensorboard')
      .update('sharedLinkLifetimeHours', undefined, vscode.ConfigurationTarget.Global);
    await setFraming(undefined);
    await emulator().setClock(Date.now());
  });

  const html = () => services.panels.get(RUNNING)?.panel.webview.html ?? '';
  /** The tests of the link the frame shows frame it as it is (`auto` would show it through the proxy here). */
  const setFraming = (value: 'direct' | undefined) =>
    vscode.workspace
      .getConfiguration('paiTensorboard')
      .update('boardFraming', value, vscode.ConfigurationTarget.Global);
  const frameSrc = (text: string) => FRAME.exec(text)?.[1]?.replace(/&amp;/g, '&');

  async function calls(operation: string): Promise<RecordedRequest[]> {
    return (await emulator().requests()).filter((r) => r.operation === operation);
  }

  /** Opens the running board's panel from the sidebar's list and returns the panel's HTML once it frames the board. */
  async function openFramed(): Promise<string> {
    await services.boards.refresh();
    await vscode.commands.executeCommand('paiTensorboard.openBoard', RUNNING);
    const framed = await eventually(html, (text) => FRAME.test(text));
    assert.match(framed, FRAME, 'the panel does not frame the board');
    return framed;
  }

  it('renews the shared link before it expires: a second GetTensorboardSharedUrl, and the frame moves to the new link', async () => {
    await setFraming('direct');
    await vscode.workspace
      .getConfiguration('paiTensorboard')
      .update('sharedLinkLifetimeHours', 1, vscode.ConfigurationTarget.Global);
    const first = frameSrc(await openFramed())!;
    const [asked] = await calls('GetTensorboardSharedUrl');
    assert.equal(asked?.query.ExpireTimeSeconds, '3600');
    // The renewal is set for 54 minutes: a tenth of the hour's lifetime before the link expires.
    assert.ok(
      timer.delays.includes(3_240_000),
      `no renewal among the panel's timeouts ${JSON.stringify(timer.delays)}`,
    );

    // Ten minutes pass on the service's clock (within the 15 minutes of skew its signatures allow); the renewal fires.
    await emulator().advanceClock(10 * 60_000);
    assert.equal(
      timer.fire((ms) => ms === 3_240_000),
      1,
    );
    const renewed = await eventually(html, (text) => frameSrc(text) !== undefined && frameSrc(text) !== first);
    const second = frameSrc(renewed);
    assert.ok(second && second !== first, 'the frame still shows the first link');
    assert.equal((await calls('GetTensorboardSharedUrl')).length, 2);
    assert.ok(
      second.startsWith(`${process.env.PAI_EMULATOR_ENDPOINT}/share/${RUNNING}/token/`),
      'the frame does not show a shared link',
    );
    assert.ok(timer.delays.includes(3_240_000), 'the renewed link is not renewed in its turn');

    // An hour and a minute after the first link: it sends the frame to the console's login, the renewed one still works.
    await emulator().advanceClock(51 * 60_000);
    const old = await fetch(first, { redirect: 'manual' });
    assert.equal(old.status, 302);
    assert.match(old.headers.get('location') ?? '', /\/login\?/);
    const current = await fetch(second);
    assert.equal(current.status, 200);
    assert.match(await current.text(), new RegExp(`<span id="tensorboard-id">${RUNNING}</span>`));
  });

  it("says a running board's page does not answer, and what to do, after two minutes of probes; Reload then shows it", async function () {
    this.timeout(90_000); // some 200 real probes of the board's page, however loaded the machine
    await emulator().setPageSwitches({ boardPageDown: true });
    await services.boards.refresh();
    const opening = vscode.commands.executeCommand('paiTensorboard.openBoard', RUNNING);
    const waiting = await eventually(html, (text) => /Opening TensorBoard/.test(text));
    assert.match(waiting, new RegExp(`Opening TensorBoard &quot;${NAME}&quot;…`));
    assert.match(waiting, /its page is starting and appears here as soon as it answers/);

    // The probes' waits (a tenth of a second, then a second) pass on the panel's timer, each after a real probe.
    const deadline = Date.now() + 60_000;
    while (!/does not answer/.test(html()) && Date.now() < deadline) {
      timer.fire((ms) => ms <= 1_000);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const gaveUp = html();
    await opening;
    assert.match(gaveUp, new RegExp(`<h2>TensorBoard &quot;${NAME}&quot; does not answer</h2>`));
    assert.match(
      gaveUp,
      /PAI-DLC says it runs, but its page does not load\. Reload this panel in a moment, or open it in the browser\./,
    );
    assert.match(
      gaveUp,
      /<button type="button" id="reload">Reload<\/button><button type="button" id="open-in-browser">Open in Browser<\/button>/,
    );
    assert.doesNotMatch(gaveUp, FRAME);
    assert.ok(
      timer.elapsedMs >= 110_000 && timer.elapsedMs <= 130_000,
      `the panel gave up after ${timer.elapsedMs} ms of probes`,
    );

    // The page answers again; the page's Reload (what its button asks for; e2e clicks it) frames the board.
    await emulator().setPageSwitches({ boardPageDown: false });
    const links = (await calls('GetTensorboardSharedUrl')).length;
    await services.panels.get(RUNNING)!.load();
    assert.match(await eventually(html, (text) => FRAME.test(text)), FRAME);
    assert.equal(services.panels.get(RUNNING)?.showing, 'running');
    assert.equal(
      (await calls('GetTensorboardSharedUrl')).length,
      links + 1,
      'one Reload asked for more than one shared link',
    );
  });

  it("readies the frame's page while the app starts, then posts the frame to it without a new page (#23)", async function () {
    this.timeout(30_000);
    await setFraming('direct');
    await emulator().setPageSwitches({ boardPageDown: true });
    await services.boards.refresh();
    const opening = vscode.commands.executeCommand('paiTensorboard.openBoard', RUNNING);
    const prepared = await eventually(html, (text) => /data-frame-url=/.test(text));
    assert.match(prepared, new RegExp(`<h2>Opening TensorBoard &quot;${NAME}&quot;…</h2>`));
    assert.match(prepared, /<iframe id="board" hidden /);
    assert.doesNotMatch(prepared, FRAME, 'the frame loads before the app answers');
    const waitingFor = / data-frame-url="([^"]+)"/.exec(prepared)![1]!.replace(/&amp;/g, '&');
    assert.ok(waitingFor.startsWith(`${process.env.PAI_EMULATOR_ENDPOINT}/share/${RUNNING}/token/`), waitingFor);
    assert.equal(services.panels.get(RUNNING)?.framePosted, undefined);

    // The app answers; the next probe (on the panel's timer) sees it, and the frame goes to the page that waits.
    await emulator().setPageSwitches({ boardPageDown: false });
    const deadline = Date.now() + 20_000;
    while (services.panels.get(RUNNING)?.framePosted === undefined && Date.now() < deadline) {
      timer.fire((ms) => ms <= 1_000);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await opening;
    assert.equal(services.panels.get(RUNNING)?.framePosted, waitingFor);
    assert.equal(html(), prepared, 'the panel made a new page, which reloads the webview');
    assert.equal(services.panels.get(RUNNING)?.showing, 'running');
    const page = await fetch(waitingFor);
    assert.equal(page.status, 200);
    assert.match(await page.text(), new RegExp(`<span id="tensorboard-id">${RUNNING}</span>`));
  });

  it('frames the board through its TensorboardUrl when GetTensorboardSharedUrl keeps failing', async () => {
    await setFraming('direct');
    // Without a console login for TensorboardUrl, so that the frame's page is the board's own.
    await emulator().setPageSwitches({ tensorboardUrlNeedsLogin: false });
    await emulator().injectFault({ kind: 'internalError', operation: 'GetTensorboardSharedUrl', times: 4 });
    const src = frameSrc(await openFramed());
    const boardUrl = services.boards.get(RUNNING)?.url;
    assert.equal(boardUrl, `${process.env.PAI_EMULATOR_ENDPOINT}/tensorboard/${RUNNING}/`);
    assert.equal(src, boardUrl);
    // Every attempt (the client retries a 5xx) reached the service and failed; none after.
    assert.deepEqual(
      (await calls('GetTensorboardSharedUrl')).map((r) => r.status),
      [500, 500, 500, 500],
    );
    assert.equal(services.panels.get(RUNNING)?.showing, 'running');
    const page = await fetch(src!);
    assert.equal(page.status, 200);
    assert.match(await page.text(), new RegExp(`<span id="tensorboard-id">${RUNNING}</span>`));
    // Open in Browser opens the same TensorboardUrl, through the window's port forwarding.
    await vscode.commands.executeCommand('paiTensorboard.panel.openInBrowser', RUNNING);
    const port = new URL(process.env.PAI_EMULATOR_ENDPOINT!).port;
    assert.match(ui.opened.at(-1) ?? '', new RegExp(`^http://${port}\\.cs\\.localhost:\\d+/tensorboard/${RUNNING}/$`));
  });

  it("asks for its job's state beside the shared link, not after it, so the frame waits for one call less (#23)", async () => {
    const HELD_MS = 2_000;
    await services.boards.refresh();
    await emulator().clearRequests();
    await emulator().injectFault({ kind: 'delay', operation: 'GetTensorboardSharedUrl', delayMs: HELD_MS });
    await openFramed();
    const [shared] = await calls('GetTensorboardSharedUrl');
    const [job] = await calls('GetJob');
    assert.ok(shared && job, 'no GetTensorboardSharedUrl or no GetJob');
    // One after the other, the job would be asked only once the held shared link had been answered.
    assert.ok(job.at < shared.at + HELD_MS, `GetJob came ${job.at - shared.at} ms after GetTensorboardSharedUrl`);
  });

  it('asks for its job once when the page keeps it waiting a moment, not again once the page answers', async () => {
    await emulator().setPageSwitches({ boardPageDown: true });
    await services.boards.refresh();
    await emulator().clearRequests();
    const opening = vscode.commands.executeCommand('paiTensorboard.openBoard', RUNNING);
    await eventually(html, (text) => /Opening TensorBoard/.test(text));
    for (let i = 0; i < 3; i++) {
      timer.fire((ms) => ms <= 1_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await emulator().setPageSwitches({ boardPageDown: false });
    await eventually(
      () => (timer.fire((ms) => ms <= 1_000), html()),
      (text) => FRAME.test(text),
    );
    await opening;
    assert.equal((await calls('GetJob')).length, 1, 'the job was asked again');
  });

  it("marks its steps, asked → probe answered → frame URL → page set, for the bench's split (#23)", async () => {
    const marks: string[] = [];
    const before = services.panels.timeline;
    services.panels.timeline = { mark: (id, step) => marks.push(`${id} ${step}`) };
    try {
      await setFraming('direct');
      await openFramed();
      assert.deepEqual(marks, [
        `${RUNNING} panelAsked`,
        `${RUNNING} probeAnswered`,
        `${RUNNING} frameUrl`,
        `${RUNNING} htmlSet`,
      ]);
    } finally {
      services.panels.timeline = before;
    }
  });

  it('follows its board when it is stopped and started elsewhere, with nothing reloaded by hand', async () => {
    // The boards' polling runs on the test's timer too: the minute a visible panel's settled board waits between
    // two checks passes when the test says so.
    const boardsTimer = services.timer;
    services.timer = timer;
    try {
      await openFramed();
      const client = services.connection.client();
      const workspaceId = services.connection.workspaceId;

      // Stopped by another client (the console, a script): the extension is not told.
      await client.stopTensorboard(RUNNING, { workspaceId });
      await emulator().advanceClock(1_500);
      const asked = (await calls('GetTensorboard')).length;
      // A minute passes: the model asks for the board its visible panel shows.
      assert.equal(
        timer.fire((ms) => ms === 60_000),
        1,
        `no check a minute away among ${JSON.stringify(timer.delays)}`,
      );
      const stopped = await eventually(html, (text) => /is stopped/.test(text));
      assert.match(stopped, new RegExp(`<h2>TensorBoard &quot;${NAME}&quot; is stopped</h2>`));
      assert.match(stopped, /<button type="button" id="start">Start<\/button>/);
      assert.equal(services.panels.get(RUNNING)?.showing, 'stopped');
      assert.ok((await calls('GetTensorboard')).length > asked, 'no GetTensorboard reached the service');

      // Started elsewhere: the next minute shows it on its way, and the model's own poll of a pending board frames it.
      await client.startTensorboard(RUNNING, { workspaceId });
      assert.equal(
        timer.fire((ms) => ms === 60_000),
        1,
      );
      const starting = await eventually(html, (text) => /is Creating/.test(text));
      assert.match(starting, new RegExp(`TensorBoard &quot;${NAME}&quot; is Creating…`));
      await emulator().advanceClock(1_500);
      // The pending board's turns (2 s, then backing off) and the page's probes come as the test fires them.
      const framed = await eventually(
        () => {
          timer.fire((ms) => ms < 60_000);
          return html();
        },
        (text) => FRAME.test(text),
        'the board framed after its start',
        20_000,
      );
      assert.match(framed, FRAME);
      assert.equal(services.panels.get(RUNNING)?.showing, 'running');
    } finally {
      services.timer = boardsTimer;
    }
  });
});
