import * as vscode from 'vscode';
import { showError } from './notify';
import { DlcError } from '../api/errors';
import { executeCommand } from './commandCalls';
import { describe } from './describe';

/**
 * Thrown by a command handler for a failure the user should hear about; the one boundary where commands are
 * registered reports it, with Retry running the same command again. `what` names the action ("Could not stop x").
 */
export class ActionFailed extends Error {
  override readonly name = 'ActionFailed';

  constructor(
    readonly what: string,
    override readonly cause: unknown,
  ) {
    super(what);
  }
}

/**
 * A failure of this extension's own (not a service's code) that may pass when tried again, such as a board that
 * stalled: reported with Retry. Its message is already in the user's language.
 */
export class TransientFailure extends Error {
  override readonly name = 'TransientFailure';
}

/**
 * Shows a failure where the user is looking, with the next step it calls for (Sign In, Open Settings, or Retry when
 * `retry` is given and trying again may help), and logs it with its RequestId. `signIn` replaces what Sign In does
 * (by default the Sign In command), so that the caller can go on with what failed once the user is signed in.
 */
export async function reportError(
  log: vscode.LogOutputChannel,
  what: string,
  error: unknown,
  retry?: () => unknown,
  signIn: () => unknown = () => executeCommand('paiTensorboard.signIn'),
): Promise<void> {
  const dlc = error instanceof DlcError ? error : undefined;
  const detail = describe(error);
  log.error(
    `${what}: ${dlc ? `[${dlc.code}] ` : ''}${dlc?.message ?? detail}${dlc?.requestId ? ` (RequestId ${dlc.requestId})` : ''}`,
  );

  const actions: Record<string, () => unknown> = {};
  const step = dlc?.nextStep ?? (error instanceof TransientFailure ? 'retry' : 'none');
  if (step === 'signIn') actions[vscode.l10n.t('Sign In')] = signIn;
  if (step === 'openSettings') {
    // The Settings editor opened on the setting at fault, else on all of this extension's.
    const query = dlc?.setting ? `paiTensorboard.${dlc.setting}` : 'paiTensorboard';
    actions[vscode.l10n.t('Open Settings')] = () =>
      vscode.commands.executeCommand('workbench.action.openSettings', query);
  }
  if (step === 'retry' && retry) actions[vscode.l10n.t('Retry')] = retry;
  actions[vscode.l10n.t('Show Logs')] = () => log.show(true);

  const choice = await showError(vscode.l10n.t('{0}: {1}', what, detail), ...Object.keys(actions));
  if (choice) await actions[choice]?.();
}
