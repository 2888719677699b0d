import * as vscode from 'vscode';
import { BOARDS_VIEW_ID } from '../base/commandIds';
import type { BoardModel } from './boardModel';
import { boardPhase } from './status';

/** Cost awareness: how many of the sidebar's boards run right now; hidden when none. */
export class RunningStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'paiTensorboard.running',
    vscode.StatusBarAlignment.Left,
    49,
  );
  private readonly subscription: vscode.Disposable;

  constructor(private readonly boards: BoardModel) {
    this.item.name = vscode.l10n.t('Running PAI TensorBoards');
    // VS Code's own command that reveals a view.
    this.item.command = `${BOARDS_VIEW_ID}.focus`;
    this.subscription = boards.onDidChange(() => this.update());
    this.update();
  }

  /** The item's text while it shows, undefined while hidden. */
  get shown(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  private visible = false;

  private update(): void {
    const running = this.boards.boards.filter((b) => boardPhase(b.status) === 'running').length;
    this.visible = running > 0;
    if (!this.visible) {
      this.item.hide();
      return;
    }
    this.item.text = `$(graph-line) ${running}`;
    this.item.tooltip =
      running === 1
        ? vscode.l10n.t(
            'One PAI TensorBoard running, and costing. Click to see it; "PAI: Stop All Running TensorBoards" stops it.',
          )
        : vscode.l10n.t(
            '{0} PAI TensorBoards running, and costing. Click to see them; "PAI: Stop All Running TensorBoards" stops them.',
            running,
          );
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
