import * as vscode from 'vscode';
import { DlcError, describeError } from '../api/errors';
import { nextStepFor } from '../core/nextStep';

/**
 * Shows a failure where the user is looking, with the next step it calls for, and logs it with its RequestId.
 * `what` names the action that failed ("Could not stop board x"). Resolves to true when the user chose Retry.
 */
export async function reportError(log: vscode.LogOutputChannel, what: string, error: unknown): Promise<boolean> {
  const dlc = error instanceof DlcError ? error : undefined;
  const detail = describeError(error);
  log.error(`${what}: ${dlc ? `[${dlc.code}] ` : ''}${dlc?.message ?? detail}${dlc?.requestId ? ` (RequestId ${dlc.requestId})` : ''}`);

  const step = nextStepFor(dlc?.code);
  const actions: Record<string, () => unknown> = {};
  if (step === 'signIn') actions[vscode.l10n.t('Sign In')] = () => vscode.commands.executeCommand('paiTensorboard.signIn');
  if (step === 'openSettings') actions[vscode.l10n.t('Open Settings')] = () => vscode.commands.executeCommand('workbench.action.openSettings', 'paiTensorboard');
  const retry = vscode.l10n.t('Retry');
  if (step === 'retry') actions[retry] = () => undefined;
  actions[vscode.l10n.t('Show Logs')] = () => log.show(true);

  const choice = await vscode.window.showErrorMessage(vscode.l10n.t('{0}: {1}', what, detail), ...Object.keys(actions));
  if (choice) await actions[choice]?.();
  return choice === retry;
}
