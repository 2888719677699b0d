import * as vscode from 'vscode';
import { boardPhase } from '../core/status';
import type { BoardTreeProvider } from '../views/boardTree';

/** Cost awareness: how many boards run right now (of those the sidebar has loaded); hidden when none. */
export class RunningStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('paiTensorboard.running', vscode.StatusBarAlignment.Left, 49);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly boards: BoardTreeProvider) {
    this.item.name = vscode.l10n.t('Running PAI TensorBoards');
    this.item.command = 'paiTensorboard.boards.focus';
    this.subscription = boards.onDidChangeTreeData(() => this.update());
  }

  update(): void {
    const running = this.boards.loadedBoards.filter((b) => boardPhase(b.status) === 'running').length;
    if (running === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(graph-line) ${running}`;
    this.item.tooltip = vscode.l10n.t('{0} PAI TensorBoard(s) running, and costing. Click to see them; "PAI: Stop All Running TensorBoards" stops them.', running);
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
