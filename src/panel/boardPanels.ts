import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { showWarning } from '../base/notify';
import type { GuardServices } from '../guard/guard';
import type { Tensorboard } from '../api';
import { errorMessage } from '../api/errors';
import { describe } from '../base/describe';
import { noTimeline, type Timeline } from '../base/timeline';
import type { BoardModel, BoardsChange } from '../boards/boardModel';
import type { Connection } from '../account/connection';
import { safeHttpUrl } from '../net/safeUrl';
import { boardName, boardPhase, type BoardPhase } from '../boards/status';
import { sourceOf } from '../boards/boardNodes';
import { readSettings } from '../base/settings';
import { browserUrl, openExternally, portForwarding } from './browserUrl';
import { executeCommand } from '../base/commandCalls';
import { BOARD_VIEW_TYPE } from '../base/commandIds';
import { SwappableTimer, type Timer } from '../boards/timer';
import { boardHtml, messageHtml, type PendingNote, type ShowFrameMessage, type SyncLagLine } from './boardHtml';
import { BoardFrame, type FrameResult, type Framing } from './boardFrame';
import { panelMessage, type PanelMessageType } from './messages';
import { BoardBridge } from './bridge';
import { bridgeMessage } from './bridgeMessages';

export interface PanelState {
  readonly tensorboardId: string;
}

/** How far a board over a synced folder is behind it, worded; undefined for any other board (sync/syncFace.ts). */
export type SyncLagSource = (board: Tensorboard, link: string) => Promise<SyncLagLine | undefined>;

/** How often an open panel of a board over a synced folder asks how far behind it is. */
const SYNC_LAG_EVERY_MS = 5_000;

/**
 * One webview panel per board, reused when the board is opened again, restored after a window reload. The board
 * is framed through its shared link (GetTensorboardSharedUrl: a token in the URL, no console login needed), or its
 * TensorboardUrl when no shared link can be had.
 */
export class BoardPanels implements vscode.Disposable {
  private readonly panels = new Map<string, BoardPanel>();
  private readonly subscription: vscode.Disposable;
  /** The panels' timers (a link's renewal, the page's probes). */
  private readonly timers = new SwappableTimer();
  private readonly shown = new vscode.EventEmitter<string>();
  /** Set by the log folder syncs once they load: the lag line in the panel of a board over a synced folder. */
  syncLag: SyncLagSource | undefined;
  /** Where each panel marks its steps from being asked to show a running board to its frame (#23). */
  timeline: Timeline = noTimeline;
  /** A panel became visible: its board was looked at. */
  readonly onDidShow = this.shown.event;
  private readonly extendAsked = new vscode.EventEmitter<string>();
  /** The user pressed a panel's Extend: the guard extends the board's max running time. */
  readonly onDidAskExtend = this.extendAsked.event;

  /** Tests swap in their own. */
  get timer(): Timer {
    return this.timers.current;
  }

  set timer(replacement: Timer) {
    this.timers.current = replacement;
  }

  constructor(
    private readonly connection: Connection,
    private readonly model: BoardModel,
    private readonly log: vscode.LogOutputChannel,
    private readonly extensionUri: vscode.Uri,
    /** Where each board's view is remembered (globalState); without it, views are not kept. */
    readonly state?: vscode.Memento,
  ) {
    this.subscription = vscode.Disposable.from(
      model.onDidChange((change) => this.follow(change)),
      connection.onDidChange(() => void this.followSignIn()),
    );
  }

  /** A panel VS Code restores after a window reload (its serializer is registered at activation). */
  async restore(panel: vscode.WebviewPanel, state: PanelState | undefined): Promise<void> {
    if (!state?.tensorboardId) {
      panel.dispose();
      return;
    }
    this.adopt(panel, state.tensorboardId, undefined);
    await this.panels.get(state.tensorboardId)?.load();
  }

  /** Opens (or reveals) the board's panel. */
  async open(board: Tensorboard): Promise<void> {
    this.timeline.mark(board.tensorboardId, 'panelAsked');
    const existing = this.panels.get(board.tensorboardId);
    if (existing) {
      existing.reveal();
      await existing.update(board);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      BOARD_VIEW_TYPE,
      boardName(board),
      vscode.ViewColumn.Active,
      this.options(),
    );
    this.adopt(panel, board.tensorboardId, board);
    await this.panels.get(board.tensorboardId)?.load(board);
  }

  /**
   * Opens the board's panel before the board runs, with a "starting" page: creating a webview takes about a second,
   * which then overlaps the wait instead of following it. `open()` frames the board once it runs.
   */
  openStarting(tensorboardId: string, name: string): void {
    const existing = this.panels.get(tensorboardId);
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(BOARD_VIEW_TYPE, name, vscode.ViewColumn.Active, this.options());
    this.adopt(panel, tensorboardId, undefined);
    this.panels.get(tensorboardId)?.showStarting(name);
  }

  /** Signed out: no panel keeps showing a board or holding its link. Signed in again: they show their boards again. */
  private async followSignIn(): Promise<void> {
    const signedIn = (await this.connection.store.get()) !== undefined;
    const panels = [...this.panels.values()];
    // Every panel at once: none waits for another's proxy to close before it shows the signed-out page.
    if (!signedIn) await Promise.all(panels.map((panel) => panel.showSignedOut()));
    else for (const panel of panels) if (panel.showing === 'signedOut') void panel.load();
  }

  /** Each open panel follows its board: a new phase renders the board, or the page that says what it is now. */
  private follow(change: BoardsChange): void {
    for (const [id, panel] of this.panels) {
      if (change.removed.has(id)) panel.showDeleted();
      else if (change.changed.has(id)) {
        const board = this.model.get(id);
        if (board) void panel.update(board);
      }
    }
  }

  /** The panel the user is looking at, for the panel's title-bar actions. */
  get active(): BoardPanel | undefined {
    return [...this.panels.values()].find((p) => p.panel.active);
  }

  get(tensorboardId: string): BoardPanel | undefined {
    return this.panels.get(tensorboardId);
  }

  /** The boards of the panels the user can see now. */
  visibleIds(): string[] {
    return [...this.panels].filter(([, p]) => p.panel.visible).map(([id]) => id);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel, tensorboardId: string, board: Tensorboard | undefined): void {
    panel.webview.options = this.options();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activity-bar.svg');
    const boardPanel = new BoardPanel(
      panel,
      tensorboardId,
      board,
      this.connection,
      this.model,
      this.log,
      this.extensionUri,
      this.timers,
      (board, link) => this.syncLag?.(board, link) ?? Promise.resolve(undefined),
      () => this.extendAsked.fire(tensorboardId),
      new BoardBridge(tensorboardId, this.extensionUri, this.state, this.log),
      this.timeline,
    );
    this.panels.set(tensorboardId, boardPanel);
    // While the panel is open, its board is polled until it settles, whether or not the sidebar is visible, and
    // every minute while the panel can be seen, so it follows a stop or start made elsewhere.
    const following = this.model.follow(tensorboardId, panel.visible);
    this.shown.fire(tensorboardId);
    panel.onDidChangeViewState(({ webviewPanel }) => {
      following.setVisible(webviewPanel.visible);
      if (webviewPanel.visible) this.shown.fire(tensorboardId);
    });
    panel.onDidDispose(() => {
      following.dispose();
      boardPanel.dispose();
      this.panels.delete(tensorboardId);
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.shown.dispose();
    this.extendAsked.dispose();
    for (const panel of this.panels.values()) panel.panel.dispose();
  }
}

export class BoardPanel implements vscode.Disposable {
  /** The phase the panel shows, so a poll that changes nothing else does not re-render (and reload) the frame. */
  private shownPhase: BoardPhase | 'signedOut' | undefined;
  private readonly subscription: vscode.Disposable;
  private disposed = false;
  /** How the panel reaches its board: the shared link, its renewal, the probe, the framing and the proxy. */
  private readonly frame: BoardFrame;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly tensorboardId: string,
    private board: Tensorboard | undefined,
    private readonly connection: Connection,
    private readonly model: BoardModel,
    private readonly log: vscode.LogOutputChannel,
    private readonly extensionUri: vscode.Uri,
    private readonly timer: Timer,
    private readonly syncLag: SyncLagSource,
    private readonly onExtend: () => void,
    /** The board's bridge, when it is framed through the proxy: links, downloads, keys and its view. */
    readonly bridge?: BoardBridge,
    private readonly timeline: Timeline = noTimeline,
  ) {
    this.frame = new BoardFrame({
      tensorboardId,
      sharedUrl: async (expireTimeSeconds) =>
        (
          await connection
            .client()
            .getTensorboardSharedUrl(tensorboardId, { expireTimeSeconds, workspaceId: connection.workspaceId })
        ).url,
      settings: readSettings,
      webviewUrl: browserUrl,
      portForwarding,
      onRenew: () => void this.load(),
      log,
      timer,
      timeline,
      ...(bridge ? { bridgeScript: () => bridge.script(), savedView: () => bridge.savedView() } : {}),
    });
    // The page is the board's neighbour in the webview: anything but one of its own messages is ignored.
    this.subscription = panel.webview.onDidReceiveMessage((data: unknown) => this.receive(data));
  }

  /** What the page posted; integration tests post as the page would. */
  receive(data: unknown): void {
    const message = panelMessage(data);
    // Through the commands, so that a failure is reported like any command's.
    if (message?.type === 'openInBrowser')
      void executeCommand('paiTensorboard.panel.openInBrowser', this.tensorboardId);
    if (message?.type === 'reload') void this.load();
    if (message?.type === 'start') void executeCommand('paiTensorboard.startBoard', this.tensorboardId);
    if (message?.type === 'signIn') void executeCommand('paiTensorboard.signIn');
    if (message?.type === 'createAgain' && this.board) void executeCommand('paiTensorboard.createBoard', this.board);
    if (message?.type === 'restart') void this.restart();
    if (message?.type === 'extend') this.onExtend();
    // The bridge's messages, from the board's frame through the page: only while the proxy frames the board.
    const bridged = message ? undefined : bridgeMessage(data);
    if (bridged && this.bridge && this.frame.framing === 'proxy' && this.shownPhase === 'running')
      void this.bridge
        .handle(bridged, {
          boardName: this.board ? boardName(this.board) : this.tensorboardId,
          frameUrl: this.framedUrl,
          boardLink: this.frame.link,
        })
        .catch((error: unknown) => this.log.error(`The board's bridge failed: ${errorMessage(error)}`));
  }

  private extendText: string | undefined;

  /** Why the panel offers Extend now, or undefined: shown in the bar without re-rendering (and reloading) the frame. */
  get extendOffer(): string | undefined {
    return this.extendText;
  }

  offerExtend(text: string | undefined): void {
    if (this.extendText === text || this.disposed) return;
    this.extendText = text;
    void this.panel.webview.postMessage({ type: 'extendOffer', text: text ?? '' });
  }

  /** The lag line last sent to the page, for a board over a synced folder. */
  lagShown: SyncLagLine | undefined;
  private lagHandle: unknown;

  /** Asks how far the framed board is behind its synced folder, and tells the page, every few seconds. */
  private async followLag(load: number): Promise<void> {
    this.lagHandle = undefined;
    const link = this.currentUrl;
    if (this.disposed || load !== this.loads || this.shownPhase !== 'running' || !this.board || !link) return;
    try {
      const lag = await this.syncLag(this.board, link);
      if (lag && !this.disposed && load === this.loads) {
        this.lagShown = lag;
        await this.panel.webview.postMessage({ type: 'syncLag', ...lag });
      }
    } catch (error) {
      this.log.info(`Could not tell how far ${this.tensorboardId} is behind its synced folder: ${describe(error)}`);
    }
    if (!this.disposed && load === this.loads)
      this.lagHandle = this.timer.setTimeout(() => void this.followLag(load), SYNC_LAG_EVERY_MS);
  }

  /** Stop, then start: a board that does not see the synced files may read them again from its start. */
  private async restart(): Promise<void> {
    await executeCommand('paiTensorboard.stopBoard', this.tensorboardId);
    await this.model.whenSettled(this.tensorboardId).catch(() => undefined);
    await executeCommand('paiTensorboard.startBoard', this.tensorboardId);
  }

  /** How the frame reaches the board: straight, or through the loopback proxy. */
  get framing(): Framing | undefined {
    return this.frame.framing;
  }

  /** What the panel shows now: `running` when it frames the board, else the phase of its message page. */
  get showing(): BoardPhase | 'signedOut' | undefined {
    return this.shownPhase;
  }

  /** The URL a browser should open: the shared link, so it works without a console login. */
  get currentUrl(): string | undefined {
    return this.frame.link ?? this.board?.url;
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Opens the board's own shareable URL (never the proxy's), and only an http(s) one. */
  async openInBrowser(): Promise<void> {
    const url = this.currentUrl && safeHttpUrl(this.currentUrl);
    if (url) await openExternally(url);
    else void showWarning(vscode.l10n.t('This TensorBoard has no web address that can be opened yet.'));
  }

  /** A new state of the board from the model: re-rendered only when its phase changed. */
  async update(board: Tensorboard): Promise<void> {
    if (boardPhase(board.status) === this.shownPhase) {
      this.board = board;
      // The same phase may still be on its way to the panel (a shared link, the app's first answer): wait for it.
      await this.inFlight;
      return;
    }
    await this.load(board);
  }

  /** Fetches the board (through the model, so every view learns its state) and a fresh shared link, then renders it. */
  load(board?: Tensorboard): Promise<void> {
    const loading = this.render(board);
    this.inFlight = loading;
    return loading;
  }

  private inFlight: Promise<void> | undefined;

  /** The URL the frame loads now (the proxy's, as the webview reaches it). */
  private framedUrl: string | undefined;

  /** Each load's number: a load that a newer one replaced stops where it is. */
  private loads = 0;

  private async render(board?: Tensorboard): Promise<void> {
    const load = ++this.loads;
    const stale = () => this.disposed || load !== this.loads;
    try {
      const current = board ?? (await this.model.reload(this.tensorboardId));
      if (!current) {
        this.showDeleted();
        return;
      }
      this.board = current;
      // The reload's news of the board may have started a newer load already (from a message page): it goes on.
      if (stale()) return;
      this.panel.title = boardName(current);
      const phase = boardPhase(current.status);
      if (phase !== 'running') {
        void this.frame.clear();
        this.showPhase(current, phase);
        return;
      }
      // Set before the waits below, so that news of the same phase meanwhile does not start a second load.
      this.shownPhase = 'running';
      const name = boardName(current);
      // Asked beside the shared link and the probe, not after them: the frame then starts one call sooner (#23).
      const jobHint = this.jobNotRunning(current);
      const askedAt = Date.now();
      const result = await this.frame.load(current, (likelyUrl) => {
        const pending = {
          title: vscode.l10n.t('Opening TensorBoard "{0}"…', name),
          message: vscode.l10n.t('It runs; its page is starting and appears here as soon as it answers.'),
        };
        // The frame's page, ready before the app answers: the frame then starts without a reload of the page (#23).
        if (likelyUrl) this.showPrepared(name, likelyUrl, pending, load);
        else this.showMessage(pending.title, pending.message);
      });
      // A page that kept the panel waiting for long (up to two minutes): the job may have moved on, so it is asked again.
      const fresh = Date.now() - askedAt < JOB_HINT_FRESH_MS;
      const waiting = result?.kind === 'framed' ? await (fresh ? jobHint : this.jobNotRunning(current)) : undefined;
      const link = this.currentUrl;
      const lag =
        result?.kind === 'framed' && link ? await this.syncLag(current, link).catch(() => undefined) : undefined;
      if (result && !stale()) {
        this.lagShown = lag;
        await this.showFrame(name, result, load, waiting, lag);
        if (lag) this.lagHandle = this.timer.setTimeout(() => void this.followLag(load), SYNC_LAG_EVERY_MS);
      }
    } catch (error) {
      this.shownPhase = undefined;
      this.log.error(`Could not open ${this.tensorboardId}: ${errorMessage(error)}`);
      this.showMessage(
        vscode.l10n.t('Could not open this TensorBoard'),
        describe(error),
        this.currentUrl !== undefined ? ['openInBrowser'] : [],
      );
    }
  }

  private assets() {
    const media = (file: string) =>
      this.panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', file)).toString();
    return {
      cspSource: this.panel.webview.cspSource,
      styleUri: media('board.css'),
      scriptUri: media('board.js'),
      nonce: randomBytes(16).toString('base64'),
    };
  }

  showStarting(name: string): void {
    this.shownPhase = 'pending';
    this.showMessage(
      vscode.l10n.t('Starting TensorBoard "{0}"…', name),
      vscode.l10n.t('The board appears here as soon as PAI-DLC reports it running.'),
    );
  }

  /** After Sign Out: the board and its shared link are gone from the panel (and the proxy closed). */
  async showSignedOut(): Promise<void> {
    this.loads++;
    // The link and the renewal go at once; the page is shown before the proxy has finished closing.
    const cleared = this.frame.clear();
    this.shownPhase = 'signedOut';
    this.showMessage(
      vscode.l10n.t('Signed out'),
      vscode.l10n.t('Sign in to Alibaba Cloud to see this TensorBoard again.'),
      ['signIn'],
    );
    await cleared;
  }

  showDeleted(): void {
    void this.frame.clear();
    this.shownPhase = 'deleted';
    this.showMessage(
      vscode.l10n.t('This TensorBoard was deleted'),
      vscode.l10n.t('PAI-DLC no longer has it. Its summary files are not touched: create a new board for them.'),
      this.board ? ['createAgain'] : [],
    );
  }

  /** The page for a board that is not running: what it is doing, and what the user can do about it. */
  private showPhase(board: Tensorboard, phase: BoardPhase): void {
    this.shownPhase = phase;
    const name = boardName(board);
    const reason = [board.reasonCode, board.reasonMessage].filter(Boolean).join(': ');
    switch (phase) {
      case 'pending':
        this.showMessage(
          vscode.l10n.t('TensorBoard "{0}" is {1}…', name, board.status),
          vscode.l10n.t(
            'It is still on its way in PAI-DLC. This panel follows it and shows the board as soon as it runs.',
          ),
        );
        return;
      case 'stopped':
        this.showMessage(
          vscode.l10n.t('TensorBoard "{0}" is stopped', name),
          reason || vscode.l10n.t('Start it to see it here again.'),
          ['start'],
        );
        return;
      case 'failed':
        this.showMessage(
          vscode.l10n.t('TensorBoard "{0}" failed', name),
          reason || vscode.l10n.t('PAI-DLC gave no reason.'),
          ['start'],
        );
        return;
      case 'deleted':
        this.showDeleted();
        return;
      default:
        this.showMessage(
          vscode.l10n.t('TensorBoard "{0}" is {1}', name, board.status || vscode.l10n.t('in an unknown state')),
          vscode.l10n.t('Refresh the sidebar to see its state.'),
        );
    }
  }

  /**
   * The hint for a job's board whose job has not started: its TensorBoard runs but shows nothing, since the job has
   * written no summaries yet. Undefined for any other board, or when the job cannot be read.
   */
  private async jobNotRunning(board: Tensorboard): Promise<string | undefined> {
    if (!board.jobId) return undefined;
    try {
      const job = await this.connection.client().getJob(board.jobId, { needDetail: false });
      if (!/^(Creating|Queuing|Dequeued|EnvPreparing|SanityChecking)$/i.test(job.status ?? '')) return undefined;
      return vscode.l10n.t(
        'Job {0} is {1} and has written nothing yet: reload when it runs.',
        board.jobId,
        job.status ?? '',
      );
    } catch (error) {
      this.log.warn(`Could not read job ${board.jobId}: ${errorMessage(error)}`);
      return undefined;
    }
  }

  /** The page made while the app started (`showPrepared`), with its frame's URL and the load that made it. */
  private prepared: { readonly url: string; readonly load: number } | undefined;

  /** The frame's page while the board's app starts: it says so, and frames `url` when `showFrame` posts it. */
  private showPrepared(name: string, url: string, pending: PendingNote, load: number): void {
    if (this.disposed) return;
    this.setHtml(this.framePage(name, { url, framing: 'direct' }, undefined, undefined, pending));
    this.prepared = { url, load };
  }

  /** The running board: framed, or the page that says why it is not. */
  private async showFrame(
    name: string,
    result: FrameResult,
    load: number,
    waitingHint?: string,
    syncLag?: SyncLagLine,
  ): Promise<void> {
    if (result.kind === 'notFrameable') {
      this.showMessage(
        vscode.l10n.t('Cannot show this TensorBoard here'),
        vscode.l10n.t('Its URL is not https, so it is not shown inside the editor. Open it in the browser instead.'),
        ['openInBrowser'],
      );
      return;
    }
    if (result.kind === 'notAnswering') {
      this.shownPhase = undefined;
      this.showMessage(
        vscode.l10n.t('TensorBoard "{0}" does not answer', name),
        vscode.l10n.t(
          'PAI-DLC says it runs, but its page does not load. Reload this panel in a moment, or open it in the browser.',
        ),
        ['reload', 'openInBrowser'],
      );
      return;
    }
    if (result.kind === 'browserOnly') {
      this.showMessage(
        vscode.l10n.t('TensorBoard "{0}" opens in the browser', name),
        vscode.l10n.t(
          "It refuses to be shown inside a frame, and this window would show it from the editor's own address, where its page could act as the editor. Open it in the browser instead.",
        ),
        ['openInBrowser', 'reload'],
      );
      return;
    }
    if (this.disposed) return;
    this.framedUrl = result.url;
    this.timeline.mark(this.tensorboardId, 'htmlSet');
    const prepared = this.prepared;
    if (prepared?.url === result.url && prepared.load === load && result.framing === 'direct' && !syncLag) {
      // The page waits for this very frame: posted, it starts loading at once, without a new page (#23).
      const hint = blankHint(result, waitingHint);
      const message: ShowFrameMessage = {
        type: 'showFrame',
        url: result.url,
        hint,
        hintNow: frameFailed(result, waitingHint),
      };
      if (await this.panel.webview.postMessage(message)) {
        this.framePosted = result.url;
        return;
      }
      if (this.disposed || this.prepared !== prepared) return;
    }
    this.setHtml(this.framePage(name, result, waitingHint, syncLag));
  }

  /**
   * The frame URL last posted to a page that waited for it (the page's HTML does not change then): what the page
   * frames, for tests.
   */
  framePosted: string | undefined;

  /** The page that frames the board, or (with `pending`) waits to frame it until `showFrame` is posted. */
  private framePage(
    name: string,
    result: { readonly url: string; readonly framing: Framing; readonly framingLimited?: true },
    waitingHint: string | undefined,
    syncLag: SyncLagLine | undefined,
    pending?: PendingNote,
  ): string {
    const bridge = result.framing === 'proxy' ? this.bridge : undefined;
    return boardHtml({
      ...(bridge ? { bridge: { secret: bridge.secret, frameOrigin: new URL(result.url).origin } } : {}),
      ...(bridge
        ? {}
        : {
            noBridgeNote: vscode.l10n.t(
              'Shown as it is: downloads, links to other sites, shortcuts and the saved view work in the browser only.',
            ),
          }),
      tensorboardId: this.tensorboardId,
      displayName: name,
      source: this.board && sourceOf(this.board),
      frameFailed: frameFailed(result, waitingHint),
      extendOffer: this.extendText,
      url: result.url,
      ...this.assets(),
      lang: vscode.env.language,
      ...(syncLag ? { syncLag } : {}),
      labels: {
        openInBrowser: actionLabels.openInBrowser(),
        reload: actionLabels.reload(),
        restart: actionLabels.restart(),
        extend: actionLabels.extend(),
        blankHint: blankHint(result, waitingHint),
      },
      ...(pending ? { pending } : {}),
    });
  }

  private setHtml(html: string): void {
    this.prepared = undefined;
    this.framePosted = undefined;
    this.panel.webview.html = html;
  }

  private showMessage(title: string, message: string, actions: readonly PanelMessageType[] = []): void {
    if (this.disposed) return;
    this.setHtml(
      messageHtml({
        tensorboardId: this.tensorboardId,
        title,
        message,
        ...this.assets(),
        actions: Object.fromEntries(actions.map((type) => [type, actionLabels[type]()])),
        lang: vscode.env.language,
      }),
    );
  }

  dispose(): void {
    this.disposed = true;
    if (this.lagHandle !== undefined) this.timer.clearTimeout(this.lagHandle);
    void this.frame.dispose();
    this.subscription.dispose();
  }
}

/** The hint beside the board's name: a queued job's, else (framed as it is) that a blank frame may be refused. */
function blankHint(result: { readonly framing: Framing }, waitingHint: string | undefined): string {
  // Through the proxy, framing limits no longer apply: the hint is for a board framed as it is.
  return (
    waitingHint ??
    (result.framing === 'proxy'
      ? ''
      : vscode.l10n.t('Blank? Some boards refuse to be shown inside the editor: open it in the browser.'))
  );
}

/** A queued job's hint is true at once, so it shows at once, like that of a board that refuses framing. */
function frameFailed(result: { readonly framingLimited?: true }, waitingHint: string | undefined): boolean {
  return result.framingLimited === true || waitingHint !== undefined;
}

/** How long the job's state, asked when the panel began to load, is taken as it is for the queued job's hint. */
const JOB_HINT_FRESH_MS = 30_000;

/** The label of the button that posts each message. */
const actionLabels: { readonly [T in PanelMessageType]: () => string } = {
  openInBrowser: () => vscode.l10n.t('Open in Browser'),
  reload: () => vscode.l10n.t('Reload'),
  start: () => vscode.l10n.t('Start'),
  signIn: () => vscode.l10n.t('Sign In'),
  createAgain: () => vscode.l10n.t('Create Again'),
  restart: () => vscode.l10n.t('Restart Board'),
  extend: () => vscode.l10n.t('Extend by 1 Hour'),
};

/** What the panel's commands, and the create flow that opens panels, read of the extension's services. */
export interface PanelServices extends GuardServices {
  readonly panels: BoardPanels;
}
