import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Credentials } from '../api';
import { DlcError } from '../api/errors';
import type { Connection } from '../connection';
import { CliConfigError, parseCliConfig, type ImportableProfile } from '../core/cliProfiles';
import { maskKeyId, readEnvCredentials } from '../core/envCredentials';
import { reportError } from '../ui/reportError';
import type { StoredCredentials } from './credentialStore';

type Method = 'typed' | 'cliProfile' | 'environment';

/** The aliyun CLI's file; ALIBABA_CLOUD_CONFIG_FILE lets tests (and unusual setups) point elsewhere. */
export function cliConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.ALIBABA_CLOUD_CONFIG_FILE || path.join(os.homedir(), '.aliyun', 'config.json');
}

/**
 * Sign In: gather a key pair (typed, from an aliyun CLI profile, or from the environment), check it with one cheap
 * call, and only then store it in SecretStorage. Resolves to true when signed in.
 */
export async function signIn(connection: Connection, log: vscode.LogOutputChannel): Promise<boolean> {
  const method = await pickMethod();
  if (!method) return false;
  const candidate = method === 'typed' ? await askForKeys() : method === 'cliProfile' ? await pickCliProfile() : fromEnvironment();
  if (!candidate) return false;
  if (!(await check(connection, log, candidate))) return false;
  await connection.store.save(candidate);
  log.info(`Signed in with AccessKey ${maskKeyId(candidate.accessKeyId)} (${candidate.source}${candidate.origin ? `: ${candidate.origin}` : ''})`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to Alibaba Cloud with AccessKey {0}.', maskKeyId(candidate.accessKeyId)));
  return true;
}

async function pickMethod(): Promise<Method | undefined> {
  const items: (vscode.QuickPickItem & { method: Method })[] = [
    { method: 'typed', label: `$(key) ${vscode.l10n.t('Enter an AccessKey pair')}`, detail: vscode.l10n.t('Type an AccessKey ID and secret, and an STS token if you use one.') },
    { method: 'cliProfile', label: `$(terminal) ${vscode.l10n.t('Import an aliyun CLI profile')}`, detail: cliConfigPath() },
  ];
  const env = readEnvCredentials(process.env);
  if (env) {
    items.push({ method: 'environment', label: `$(symbol-variable) ${vscode.l10n.t('Use environment variables')}`, detail: env.sources.join(', ') });
  }
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Sign In to Alibaba Cloud'), placeHolder: vscode.l10n.t('How do you want to sign in?'), ignoreFocusOut: true });
  return picked?.method;
}

async function askForKeys(): Promise<StoredCredentials | undefined> {
  const title = vscode.l10n.t('Sign In to Alibaba Cloud');
  const accessKeyId = await vscode.window.showInputBox({
    title, prompt: vscode.l10n.t('AccessKey ID'), ignoreFocusOut: true,
    validateInput: (v) => (/^[\w.-]{6,128}$/.test(v.trim()) ? undefined : vscode.l10n.t('An AccessKey ID is 6 to 128 letters, digits, dots, dashes or underscores.')),
  });
  if (!accessKeyId) return undefined;
  const accessKeySecret = await vscode.window.showInputBox({
    title, prompt: vscode.l10n.t('AccessKey secret'), password: true, ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the AccessKey secret.')),
  });
  if (!accessKeySecret) return undefined;
  const securityToken = await vscode.window.showInputBox({
    title, prompt: vscode.l10n.t('STS token (leave empty for a permanent AccessKey)'), password: true, ignoreFocusOut: true,
  });
  if (securityToken === undefined) return undefined;
  return { accessKeyId: accessKeyId.trim(), accessKeySecret: accessKeySecret.trim(), securityToken: securityToken.trim() || undefined, source: 'typed' };
}

async function pickCliProfile(): Promise<StoredCredentials | undefined> {
  const file = cliConfigPath();
  let contents: string;
  try {
    contents = await fs.readFile(file, 'utf8');
  } catch {
    void vscode.window.showErrorMessage(vscode.l10n.t('No aliyun CLI configuration at {0}. Run "aliyun configure" first, or enter an AccessKey pair.', file));
    return undefined;
  }
  let profiles;
  try {
    profiles = parseCliConfig(contents);
  } catch (error) {
    const reason = error instanceof CliConfigError ? error.message : String(error);
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot read {0}: {1}', file, reason));
    return undefined;
  }
  const items = profiles.profiles.map((profile) => ({
    profile,
    label: `${profile.importable ? '$(account)' : '$(circle-slash)'} ${profile.name}`,
    description: profile.name === profiles.current ? `${profile.mode} · ${vscode.l10n.t('current')}` : profile.mode,
    detail: profile.importable ? [maskKeyId(profile.accessKeyId), profile.regionId].filter(Boolean).join(' · ') : vscode.l10n.t('Cannot be imported: this profile {0}.', profile.reason),
  }));
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Import an aliyun CLI profile'), placeHolder: file, ignoreFocusOut: true });
  if (!picked) return undefined;
  if (!picked.profile.importable) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The profile "{0}" cannot be imported: it {1}. Use an AK or StsToken profile, or enter an AccessKey pair.', picked.profile.name, picked.profile.reason));
    return undefined;
  }
  const profile: ImportableProfile = picked.profile;
  return { accessKeyId: profile.accessKeyId, accessKeySecret: profile.accessKeySecret, securityToken: profile.securityToken, source: 'cliProfile', origin: profile.name };
}

function fromEnvironment(): StoredCredentials | undefined {
  const env = readEnvCredentials(process.env);
  if (!env) return undefined;
  return { accessKeyId: env.accessKeyId, accessKeySecret: env.accessKeySecret, securityToken: env.securityToken, source: 'environment', origin: env.sources[0] };
}

/** One cheap, read-only call with the candidate keys; a failure names the problem and nothing is stored. */
async function check(connection: Connection, log: vscode.LogOutputChannel, candidate: Credentials): Promise<boolean> {
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the AccessKey with PAI-DLC…') },
      () => connection.createClient({ getCredentials: async () => candidate }).listTensorboards({ workspaceId: connection.workspaceId, pageSize: 1 }),
    );
    return true;
  } catch (error) {
    if (error instanceof DlcError && (error.code === 'Forbidden.RAM' || error.code === 'NoPermission')) {
      const keep = vscode.l10n.t('Keep Anyway');
      // The service's own text goes to the log; the user gets this sentence with the code and RequestId.
      log.warn(`Sign-in check: [${error.code}] ${error.message}${error.requestId ? ` (RequestId ${error.requestId})` : ''}`);
      const ids = [error.code, error.requestId ? `RequestId ${error.requestId}` : undefined].filter(Boolean).join(', ');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('The AccessKey is valid but may not list TensorBoards ({0}). Grant the RAM policy AliyunPAIDLCFullAccess or paidlc:* actions.', ids),
        keep,
      );
      return choice === keep;
    }
    await reportError(log, vscode.l10n.t('Sign-in failed'), error);
    return false;
  }
}

export async function signOut(connection: Connection, log: vscode.LogOutputChannel): Promise<void> {
  await connection.store.clear();
  log.info('Signed out');
  void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of Alibaba Cloud. The AccessKey was removed from this machine\'s secret storage.'));
}
