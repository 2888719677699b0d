import * as vscode from 'vscode';
import { showError, showInformation, showWarning } from '../base/notify';
import type { CredentialsProvider } from '../api';
import { DlcError } from '../api/errors';
import type { Connection } from './connection';
import { providerFor } from './credentialLibrary';
import { maskKeyId } from './credentialSource';
import { reportError } from '../base/reportError';
import { executeCommand } from '../base/commandCalls';
import { withReasons, type SignedIn } from './credentialStore';
import { sourceOffers, type SourceOffer } from './sourceOffers';
import { describeSource } from './sourceText';

/**
 * Sign In: choose a source (what this machine has), check it with one cheap read-only call, and only then keep the
 * choice (and, for a typed pair, the keys, in SecretStorage). Resolves to true when signed in.
 */
export async function signIn(connection: Connection, log: vscode.LogOutputChannel): Promise<boolean> {
  const current = (await connection.store.get())?.source;
  const picked = await vscode.window.showQuickPick(sourceOffers(current), {
    title: vscode.l10n.t('Sign In to Alibaba Cloud'),
    placeHolder: vscode.l10n.t('How do you want to sign in?'),
    ignoreFocusOut: true,
  });
  return picked ? signInWith(connection, log, picked) : false;
}

/** Signs in with a picked line of the Sign In list (also the account menu's). */
export async function signInWith(
  connection: Connection,
  log: vscode.LogOutputChannel,
  offer: SourceOffer,
): Promise<boolean> {
  if (offer.problem || !offer.source) {
    void showError(offer.problem ?? vscode.l10n.t('This cannot be used to sign in.'));
    return false;
  }
  let typedKeyId: string | undefined;
  let candidate: SignedIn | undefined;
  let provider: CredentialsProvider;
  for (;;) {
    candidate = offer.source.kind === 'typed' ? await askForKeys(typedKeyId) : { source: offer.source };
    if (!candidate) return false;
    provider = providerFor(candidate.source, candidate.keys);
    const checked = await check(connection, log, candidate, provider);
    if (checked === true) break;
    if (checked === false) return false;
    // Sign In from a wrong pair asks for the pair again, its ID as typed: mostly the secret was wrong.
    typedKeyId = candidate.keys?.accessKeyId;
  }
  await connection.store.save(candidate, provider);
  const what = candidate.keys ? `AccessKey ${maskKeyId(candidate.keys.accessKeyId)}` : candidate.source.kind;
  log.info(
    `Signed in with ${what}${candidate.source.kind === 'cliProfile' || candidate.source.kind === 'iniProfile' ? ` (profile ${candidate.source.profile})` : ''}`,
  );
  void showInformation(
    candidate.keys
      ? vscode.l10n.t('Signed in to Alibaba Cloud with AccessKey {0}.', maskKeyId(candidate.keys.accessKeyId))
      : vscode.l10n.t('Signed in to Alibaba Cloud with {0}.', describeSource(candidate.source)),
  );
  return true;
}

async function askForKeys(accessKeyIdTyped?: string): Promise<SignedIn | undefined> {
  const title = vscode.l10n.t('Sign In to Alibaba Cloud');
  const accessKeyId = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('AccessKey ID'),
    value: accessKeyIdTyped,
    ignoreFocusOut: true,
    validateInput: (v) =>
      /^[\w.-]{6,128}$/.test(v.trim())
        ? undefined
        : vscode.l10n.t('An AccessKey ID is 6 to 128 letters, digits, dots, dashes or underscores.'),
  });
  if (!accessKeyId) return undefined;
  const accessKeySecret = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('AccessKey secret'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the AccessKey secret.')),
  });
  if (!accessKeySecret) return undefined;
  const securityToken = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('STS token (leave empty for a permanent AccessKey)'),
    password: true,
    ignoreFocusOut: true,
  });
  if (securityToken === undefined) return undefined;
  const keys = {
    accessKeyId: accessKeyId.trim(),
    accessKeySecret: accessKeySecret.trim(),
    securityToken: securityToken.trim() || undefined,
  };
  return { source: { kind: 'typed' }, keys };
}

/**
 * One cheap, read-only call with the candidate, in the region it would use; a failure names the problem and
 * nothing is kept. Resolves to 'again' when a typed pair was refused and the user chose Sign In to type it again.
 */
async function check(
  connection: Connection,
  log: vscode.LogOutputChannel,
  candidate: SignedIn,
  provider: CredentialsProvider,
): Promise<boolean | 'again'> {
  try {
    const regionId = (await connection.regionFor(candidate.source)).regionId;
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Checking the credentials with PAI-DLC…'),
      },
      () =>
        connection
          .createClient(withReasons(provider, candidate.source), regionId)
          .listTensorboards({ workspaceId: connection.workspaceId, pageSize: 1 }),
    );
    return true;
  } catch (error) {
    if (error instanceof DlcError && (error.code === 'Forbidden.RAM' || error.code === 'NoPermission')) {
      const keep = vscode.l10n.t('Keep Anyway');
      // The service's own text goes to the log; the user gets this sentence with the code and RequestId.
      log.warn(
        `Sign-in check: [${error.code}] ${error.message}${error.requestId ? ` (RequestId ${error.requestId})` : ''}`,
      );
      const ids = [error.code, error.requestId ? `RequestId ${error.requestId}` : undefined].filter(Boolean).join(', ');
      const choice = await showWarning(
        vscode.l10n.t(
          'The credentials are valid but may not list TensorBoards ({0}). Grant the RAM policy AliyunPAIDLCFullAccess or paidlc:* actions.',
          ids,
        ),
        keep,
      );
      return choice === keep;
    }
    let again = false;
    await reportError(log, vscode.l10n.t('Sign-in failed'), error, undefined, () => {
      if (candidate.keys) again = true;
      else void executeCommand('paiTensorboard.signIn');
    });
    return again ? 'again' : false;
  }
}

export async function signOut(connection: Connection, log: vscode.LogOutputChannel): Promise<void> {
  await connection.store.clear();
  log.info('Signed out');
  void showInformation(
    vscode.l10n.t(
      "Signed out of Alibaba Cloud. Any AccessKey you entered was removed from this machine's secret storage.",
    ),
  );
}
