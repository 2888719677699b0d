import * as vscode from 'vscode';
import type { Tensorboard } from '../api';
import { DlcError, describeError } from '../api/errors';
import type { Connection } from '../connection';
import { ContextKeys, setContext } from '../contextKeys';
import { PendingPoller, type Timer } from '../core/pendingPoller';
import { boardPhase, isTransient } from '../core/status';
import { readSettings } from '../settings';
import { BoardNode, ErrorNode, LoadMoreNode, type TreeNode } from './boardNodes';

const PAGE_SIZE = 50;

/**
 * The sidebar's boards of the current region and workspace, newest first, a page at a time. Only boards in a
 * transient state are polled, one GetTensorboard each, while the view is visible, backing off until none is pending.
 */
export class BoardTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly poller: PendingPoller;
  private boards: Tensorboard[] = [];
  private total = 0;
  private pagesLoaded = 0;
  private error: string | undefined;
  private loaded = false;
  private loading: Promise<void> | undefined;
  private generation = 0;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Boards someone else is polling (a create or start waiting with progress): the tree shows, but does not poll, them. */
  private readonly watched = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly log: vscode.LogOutputChannel,
    private readonly now: () => number = Date.now,
    timer?: Timer,
  ) {
    this.poller = new PendingPoller({ poll: () => this.pollPending(), timer });
    this.subscriptions.push(connection.onDidChange(() => this.refresh()));
  }

  /** Ties polling to the view's visibility. */
  attach(view: vscode.TreeView<TreeNode>): void {
    this.poller.setVisible(view.visible);
    this.subscriptions.push(view.onDidChangeVisibility((event) => this.poller.setVisible(event.visible)));
  }

  /** Boards loaded so far, for commands run from the palette. */
  get loadedBoards(): readonly Tensorboard[] {
    return this.boards;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return [];
    if (!this.loaded) await this.ensureLoaded();
    if (this.error) return [new ErrorNode(this.error)];
    const now = this.now();
    const nodes: TreeNode[] = this.boards.map((board) => new BoardNode(board, now));
    if (this.boards.length < this.total) nodes.push(new LoadMoreNode(this.boards.length, this.total));
    return nodes;
  }

  refresh(): void {
    this.generation++;
    this.loaded = false;
    this.loading = undefined;
    this.changed.fire(undefined);
  }

  /** After the user started, stopped or changed a board: show the change and poll it closely. */
  async afterChange(tensorboardId: string): Promise<void> {
    // The running count in the status bar needs the other boards too, even while the sidebar was never opened.
    if (!this.loaded) await this.ensureLoaded();
    await this.reloadBoard(tensorboardId);
    this.updatePending();
    this.poller.kick();
  }

  /** Shows what another poll learnt about a board, without a call of its own. */
  async show(board: Tensorboard): Promise<void> {
    if (!this.loaded) await this.ensureLoaded();
    const index = this.boards.findIndex((b) => b.tensorboardId === board.tensorboardId);
    if (index >= 0) this.boards[index] = board;
    else {
      this.boards.unshift(board);
      this.total++;
    }
    this.changed.fire(undefined);
  }

  /** While the returned disposable lives, `tensorboardId` is polled by its watcher, not by the tree. */
  watch(tensorboardId: string): vscode.Disposable {
    this.watched.add(tensorboardId);
    return new vscode.Disposable(() => {
      this.watched.delete(tensorboardId);
      this.updatePending();
      this.poller.kick();
    });
  }

  async loadMore(): Promise<void> {
    await this.loadPage(this.pagesLoaded + 1, this.generation);
    this.changed.fire(undefined);
  }

  /** Loads the first page unless it is loaded or loading; commands run from the palette pick among these boards. */
  ensureLoaded(): Promise<void> {
    this.loading ??= this.loadFirstPage();
    return this.loading;
  }

  private async loadFirstPage(): Promise<void> {
    const generation = this.generation;
    this.boards = [];
    this.total = 0;
    this.pagesLoaded = 0;
    this.error = undefined;
    const signedIn = (await this.connection.store.get()) !== undefined;
    const hasWorkspace = this.connection.workspaceId !== undefined;
    await Promise.all([setContext(ContextKeys.signedIn, signedIn), setContext(ContextKeys.hasWorkspace, hasWorkspace)]);
    if (signedIn && hasWorkspace) await this.loadPage(1, generation);
    if (generation !== this.generation) return;
    this.loaded = true;
    await setContext(ContextKeys.boardsLoaded, this.error === undefined);
  }

  private async loadPage(pageNumber: number, generation: number): Promise<void> {
    const settings = readSettings();
    try {
      const page = await this.connection.client().listTensorboards({
        workspaceId: settings.workspaceId,
        // The API returns only the last 7 days unless asked for a wider window.
        startTime: new Date(this.now() - settings.boardWindowDays * 86_400_000).toISOString(),
        sortBy: 'GmtCreateTime',
        order: 'desc',
        pageSize: PAGE_SIZE,
        pageNumber,
      });
      if (generation !== this.generation) return;
      const known = new Set(this.boards.map((b) => b.tensorboardId));
      this.boards.push(...page.tensorboards.filter((b) => !known.has(b.tensorboardId)));
      this.total = page.totalCount;
      this.pagesLoaded = pageNumber;
      this.error = undefined;
      this.updatePending();
    } catch (error) {
      if (generation !== this.generation) return;
      this.error = describeError(error);
      this.log.error(`Could not load TensorBoards: ${this.error}`);
      void this.offerLogs();
    }
  }

  private async offerLogs(): Promise<void> {
    const showLogs = vscode.l10n.t('Show Logs');
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Could not load TensorBoards: {0}', this.error ?? ''), showLogs);
    if (choice === showLogs) this.log.show(true);
  }

  private get anyPending(): boolean {
    return this.boards.some((b) => isTransient(boardPhase(b.status)));
  }

  private updatePending(): void {
    this.poller.setPending(this.anyPending);
  }

  private async pollPending(): Promise<boolean> {
    const pending = this.boards.filter((b) => isTransient(boardPhase(b.status)) && !this.watched.has(b.tensorboardId));
    await Promise.all(pending.map((b) => this.reloadBoard(b.tensorboardId)));
    return this.anyPending;
  }

  private async reloadBoard(tensorboardId: string): Promise<void> {
    const index = this.boards.findIndex((b) => b.tensorboardId === tensorboardId);
    try {
      const board = await this.connection.client().getTensorboard(tensorboardId, { workspaceId: this.connection.workspaceId });
      if (index >= 0) this.boards[index] = board;
      else this.boards.unshift(board);
    } catch (error) {
      if (!(error instanceof DlcError && error.code.includes('NotFound'))) throw error;
      if (index >= 0) this.boards.splice(index, 1);
      this.total = Math.max(0, this.total - 1);
    }
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.poller.dispose();
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
