import * as vscode from 'vscode';
import { DlcError } from '../api/errors';
import { describe } from '../base/describe';
import type { BoardModel } from './boardModel';
import { executeCommand } from '../base/commandCalls';
import { ContextKeys, setContext } from '../base/contextKeys';
import { reportError } from '../base/reportError';
import { BoardNode, ErrorNode, LoadMoreNode, type TreeNode } from './boardNodes';
import { boardPhase } from './status';
import type { StopForecast } from './time';
import type { Tensorboard } from '../api';

/** The sidebar: maps the board model to tree items, and tells the model when someone can see the list. */
export class BoardTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  readonly onDidChangeTreeData;
  private readonly subscriptions: vscode.Disposable[] = [];
  private reportedError: unknown;
  private visible = false;
  /** When the guard stops a board by itself; the composition root connects it (the guard is a layer above). */
  forecast: (board: Tensorboard) => StopForecast | undefined = () => undefined;

  /** `changed` is the emitter the tree view was created with (at activation, before this code was loaded). */
  constructor(
    private readonly model: BoardModel,
    private readonly log: vscode.LogOutputChannel,
    private readonly changed: vscode.EventEmitter<TreeNode | undefined> = new vscode.EventEmitter<
      TreeNode | undefined
    >(),
    /** The tree's clock; an integration test moves it, as it moves the guard's. */
    public now: () => number = Date.now,
  ) {
    this.onDidChangeTreeData = changed.event;
    this.subscriptions.push(model.onDidChange(() => this.changed.fire(undefined)));
    this.subscriptions.push(model.onDidChange((change) => change.list && this.reportListFailureOnce()));
  }

  /** Ties polling of the listed boards to the view's visibility. */
  attach(view: vscode.TreeView<TreeNode>): void {
    this.visible = view.visible;
    this.model.setListVisible(view.visible);
    this.subscriptions.push(
      view.onDidChangeVisibility((event) => {
        this.visible = event.visible;
        this.model.setListVisible(event.visible);
      }),
    );
  }

  /**
   * Re-renders the running boards' time left and when they stop, at the guard's turn (each minute, and at once when a
   * guard setting changes), rather than on a timer of its own: only while the list can be seen and a board runs.
   */
  tick(): void {
    if (this.visible && this.model.boards.some((board) => boardPhase(board.status) === 'running')) {
      this.changed.fire(undefined);
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return [];
    await this.model.ensureLoaded();
    if (this.model.state === 'failed') {
      const error = this.model.error;
      return [new ErrorNode(describe(error), error instanceof DlcError && error.nextStep === 'signIn')];
    }
    const now = this.now();
    const nodes: TreeNode[] = this.model.boards.map(
      (board) =>
        new BoardNode(board, now, {
          fetchedAt: this.model.fetchedAt(board.tensorboardId),
          forecast: boardPhase(board.status) === 'running' ? this.forecast(board) : undefined,
        }),
    );
    if (this.model.hasMore) nodes.push(new LoadMoreNode(this.model.boards.length, this.model.total));
    return nodes;
  }

  /**
   * A failed list shows in the tree as an error item; the first time each error is seen it is also reported, with
   * its next step (Sign In, Open Settings or Retry) and the logs.
   */
  private reportListFailureOnce(): void {
    if (this.model.state !== 'failed' || this.model.error === this.reportedError) return;
    this.reportedError = this.model.error;
    void reportError(this.log, vscode.l10n.t('Could not load TensorBoards'), this.model.error, () =>
      executeCommand('paiTensorboard.refresh'),
    );
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

/** The model's keys follow each of its changes. */
export function bindBoardContext(model: BoardModel): vscode.Disposable {
  return model.onDidChange(() => {
    void setContext(ContextKeys.boardsLoaded, model.state === 'loaded');
    void setContext(ContextKeys.hasBoards, model.boards.length > 0);
  });
}
