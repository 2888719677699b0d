import * as vscode from 'vscode';
import type { Connection } from '../connection';
import { maskKeyId } from '../core/envCredentials';

/** The status bar item: who is signed in (key ID masked) and where; a click opens the account menu. */
export class AccountStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('paiTensorboard.account', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly connection: Connection) {
    this.item.name = vscode.l10n.t('PAI TensorBoard Account');
    this.item.command = 'paiTensorboard.account';
    this.subscription = connection.onDidChange(() => void this.update());
    void this.update();
  }

  async update(): Promise<void> {
    const credentials = await this.connection.store.get();
    const region = this.connection.regionId;
    if (credentials) {
      this.item.text = `$(cloud) PAI ${maskKeyId(credentials.accessKeyId)} · ${region}`;
      this.item.tooltip = vscode.l10n.t('Signed in to Alibaba Cloud PAI-DLC with AccessKey {0} in {1}, workspace {2}. Click to switch or sign out.',
        maskKeyId(credentials.accessKeyId), region, this.connection.workspaceId ?? vscode.l10n.t('(none)'));
    } else {
      this.item.text = `$(cloud) PAI: ${vscode.l10n.t('Sign In')}`;
      this.item.tooltip = vscode.l10n.t('Not signed in to Alibaba Cloud PAI-DLC. Click to sign in.');
    }
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
