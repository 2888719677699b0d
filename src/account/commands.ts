import * as vscode from 'vscode';
import { executeCommand } from '../base/commandCalls';
import type { CommandId } from '../base/commandIds';
import { signIn, signInWith } from './signIn';
import { sourceOffers, type SourceOffer } from './sourceOffers';
import type { AccountServices } from './connection';

export async function signInCommand(services: AccountServices): Promise<boolean> {
  return signIn(services.connection, services.log);
}

type MenuItem = SourceOffer & { readonly command?: CommandId };

/**
 * The status bar item's menu: everything about the connection in one place, the sign-in sources first, so that
 * switching to another profile or source is one pick.
 */
export async function accountMenu(services: AccountServices): Promise<void> {
  const { connection, log } = services;
  const items = async (): Promise<MenuItem[]> => {
    const signedIn = await connection.store.get();
    const actions: MenuItem[] = [
      { label: vscode.l10n.t('Account'), kind: vscode.QuickPickItemKind.Separator },
      {
        command: 'paiTensorboard.selectRegion',
        label: `$(globe) ${vscode.l10n.t('Select Region…')}`,
        description: connection.regionId,
      },
      {
        command: 'paiTensorboard.selectWorkspace',
        label: `$(briefcase) ${vscode.l10n.t('Select Workspace…')}`,
        description: connection.workspaceId,
      },
      { command: 'paiTensorboard.showLogs', label: `$(output) ${vscode.l10n.t('Show Logs')}` },
    ];
    if (signedIn)
      actions.push({ command: 'paiTensorboard.signOut', label: `$(sign-out) ${vscode.l10n.t('Sign Out')}` });
    return [
      { label: vscode.l10n.t('Sign in with'), kind: vscode.QuickPickItemKind.Separator },
      ...(await sourceOffers(signedIn?.source)),
      ...actions,
    ];
  };
  const picked = await vscode.window.showQuickPick(items(), {
    title: vscode.l10n.t('PAI TensorBoard'),
    ignoreFocusOut: true,
  });
  if (!picked) return;
  if (picked.command) await executeCommand(picked.command);
  else await signInWith(connection, log, picked);
}

export function showLogs(services: AccountServices): void {
  services.log.show(true);
}
