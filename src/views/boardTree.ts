import * as vscode from 'vscode';
import { describeError, errorMessage } from '../api/errors';
import type { BoardModel } from '../boards/boardModel';
import { BoardNode, ErrorNode, LoadMoreNode, type TreeNode } from './boardNodes';

/** The sidebar: maps the board model to tree items, and tells the model when someone can see the list. */
export class BoardTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  readonly onDidChangeTreeData;
  private readonly subscriptions: vscode.Disposable[] = [];
  private reportedError: unknown;

  /** `changed` is the emitter the tree view was created with (at activation, before this code was loaded). */
  constructor(
    private readonly model: BoardModel,
    private readonly log: vscode.LogOutputChannel,
    private readonly changed: vscode.EventEmitter<TreeNode | undefined> = new vscode.EventEmitter<TreeNode | undefined>(),
    private readonly now: () => number = Date.now,
  ) {
    this.onDidChangeTreeData = changed.event;
    this.subscriptions.push(model.onDidChange(() => this.changed.fire(undefined)));
    this.subscriptions.push(model.onDidChange((change) => change.list && this.offerLogsOnce()));
  }

  /** Ties polling of the listed boards to the view's visibility. */
  attach(view: vscode.TreeView<TreeNode>): void {
    this.model.setListVisible(view.visible);
    this.subscriptions.push(view.onDidChangeVisibility((event) => this.model.setListVisible(event.visible)));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return [];
    await this.model.ensureLoaded();
    if (this.model.state === 'failed') return [new ErrorNode(describeError(this.model.error))];
    const now = this.now();
    const nodes: TreeNode[] = this.model.boards.map((board) => new BoardNode(board, now));
    if (this.model.hasMore) nodes.push(new LoadMoreNode(this.model.boards.length, this.model.total));
    return nodes;
  }

  /** A failed list shows in the tree as an error item; the first time each error is seen, the logs are offered too. */
  private offerLogsOnce(): void {
    if (this.model.state !== 'failed' || this.model.error === this.reportedError) return;
    this.reportedError = this.model.error;
    this.log.error(`Could not load TensorBoards: ${errorMessage(this.model.error)}`);
    const showLogs = vscode.l10n.t('Show Logs');
    void vscode.window
      .showErrorMessage(vscode.l10n.t('Could not load TensorBoards: {0}', describeError(this.model.error)), showLogs)
      .then((choice) => choice === showLogs && this.log.show(true));
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
