import * as vscode from 'vscode';
import { signIn, signOut } from '../auth/signIn';
import type { Services } from '../services';

export async function signInCommand(services: Services): Promise<boolean> {
  return signIn(services.connection, services.log);
}

export async function signOutCommand(services: Services): Promise<void> {
  await signOut(services.connection, services.log);
}

/** The status bar item's menu: everything about the connection in one place. */
export async function accountMenu(services: Services): Promise<void> {
  const signedIn = (await services.connection.store.get()) !== undefined;
  const items: (vscode.QuickPickItem & { command: string })[] = [
    { command: 'paiTensorboard.signIn', label: `$(key) ${signedIn ? vscode.l10n.t('Switch AccessKey…') : vscode.l10n.t('Sign In…')}` },
    { command: 'paiTensorboard.selectRegion', label: `$(globe) ${vscode.l10n.t('Select Region…')}`, description: services.connection.regionId },
    { command: 'paiTensorboard.selectWorkspace', label: `$(briefcase) ${vscode.l10n.t('Select Workspace…')}`, description: services.connection.workspaceId },
    { command: 'paiTensorboard.showLogs', label: `$(output) ${vscode.l10n.t('Show Logs')}` },
  ];
  if (signedIn) items.push({ command: 'paiTensorboard.signOut', label: `$(sign-out) ${vscode.l10n.t('Sign Out')}` });
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('PAI TensorBoard') });
  if (picked) await vscode.commands.executeCommand(picked.command);
}

export function showLogs(services: Services): void {
  services.log.show(true);
}
