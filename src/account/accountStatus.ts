import * as vscode from 'vscode';
import type { CommandId } from '../base/commandIds';
import { describeRegionOrigin, describeSource } from './sourceText';
import type { Connection } from './connection';
import { maskKeyId, type CredentialSource } from './credentialSource';

/** The status bar item: how the user is signed in (a key ID masked, a profile's name) and where; a click opens the account menu. */
export class AccountStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'paiTensorboard.account',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly subscription: vscode.Disposable;

  constructor(private readonly connection: Connection) {
    this.item.name = vscode.l10n.t('PAI TensorBoard Account');
    this.item.command = 'paiTensorboard.account' satisfies CommandId;
    this.subscription = connection.onDidChange(() => void this.update());
    void this.update();
  }

  async update(): Promise<void> {
    const signedIn = await this.connection.store.get();
    const { regionId, origin } = this.connection.region;
    if (signedIn) {
      const who = signedIn.keys ? `AccessKey ${maskKeyId(signedIn.keys.accessKeyId)}` : describeSource(signedIn.source);
      this.item.text = `$(cloud) PAI ${shortName(signedIn.source, signedIn.keys?.accessKeyId)} · ${regionId}`;
      this.item.tooltip = vscode.l10n.t(
        'Signed in to Alibaba Cloud PAI-DLC with {0} in {1} ({2}), workspace {3}. Click to switch or sign out.',
        who,
        regionId,
        describeRegionOrigin(origin),
        this.connection.workspaceId ?? vscode.l10n.t('(none)'),
      );
    } else {
      this.item.text = `$(cloud) PAI: ${vscode.l10n.t('Sign In')}`;
      this.item.tooltip = vscode.l10n.t('Not signed in to Alibaba Cloud PAI-DLC. Click to sign in.');
    }
    this.item.show();
  }

  /** The status text and tooltip, for tests. */
  get shown(): { readonly text: string; readonly tooltip: string } {
    return {
      text: this.item.text,
      tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? ''),
    };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

function shortName(source: CredentialSource, accessKeyId: string | undefined): string {
  switch (source.kind) {
    case 'typed':
      return maskKeyId(accessKeyId ?? '');
    case 'cliProfile':
    case 'iniProfile':
      return source.profile;
    case 'environment':
      return 'env';
    case 'oidc':
      return 'OIDC';
    case 'instanceRole':
      return vscode.l10n.t('instance role');
    case 'credentialsUri':
      return vscode.l10n.t('credentials URI');
    case 'defaultChain':
      return vscode.l10n.t('default chain');
  }
}
