import * as vscode from 'vscode';
import type { Credentials, CredentialsProvider } from '../api';
import { DlcError } from '../api/errors';

export type CredentialSource = 'typed' | 'cliProfile' | 'environment';

export interface StoredCredentials extends Credentials {
  readonly source: CredentialSource;
  /** Where they came from, for the status bar tooltip: a profile name or variable names. Never a secret. */
  readonly origin?: string;
}

const KEY = 'paiTensorboard.credentials';

/**
 * The only place credentials live: one SecretStorage entry, written whole, so a failed sign-in never leaves half a
 * key pair behind. SecretStorage is shared by the user's windows; `onDidChange` tells this window when another one
 * signs in or out.
 */
export class CredentialStore implements CredentialsProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === KEY) this.changed.fire();
    });
  }

  async get(): Promise<StoredCredentials | undefined> {
    const raw = await this.secrets.get(KEY);
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<StoredCredentials>;
      if (typeof parsed.accessKeyId !== 'string' || typeof parsed.accessKeySecret !== 'string') return undefined;
      return {
        accessKeyId: parsed.accessKeyId,
        accessKeySecret: parsed.accessKeySecret,
        securityToken: typeof parsed.securityToken === 'string' ? parsed.securityToken : undefined,
        source: parsed.source ?? 'typed',
        origin: typeof parsed.origin === 'string' ? parsed.origin : undefined,
      };
    } catch {
      return undefined;
    }
  }

  async save(credentials: StoredCredentials): Promise<void> {
    await this.secrets.store(KEY, JSON.stringify(credentials));
  }

  async clear(): Promise<void> {
    await this.secrets.delete(KEY);
  }

  /** pop-core calls this before every request, so a sign-in in another window takes effect at once. */
  async getCredentials(): Promise<Credentials> {
    const stored = await this.get();
    if (!stored) {
      throw new DlcError({
        code: 'NotSignedIn',
        message: vscode.l10n.t('You are not signed in to Alibaba Cloud: run "PAI: Sign In".'),
        operation: 'credentials',
        retryable: false,
      });
    }
    return { accessKeyId: stored.accessKeyId, accessKeySecret: stored.accessKeySecret, securityToken: stored.securityToken };
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
