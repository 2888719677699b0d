import * as vscode from 'vscode';
import type { Credentials, CredentialsProvider } from '../api';
import { ClientErrorCode, DlcError } from '../api/errors';
import { CredentialSourceError, providerFor, readCliProfiles } from './credentialLibrary';
import { parseSignedIn as parseEntry, type CredentialSource, type SignedIn } from './credentialSource';
import { describeSource } from './sourceText';

export type { SignedIn } from './credentialSource';

const KEY = 'paiTensorboard.credentials';

/**
 * The one SecretStorage entry of the sign-in, written whole, so a failed sign-in never leaves half a key pair behind.
 * SecretStorage is shared by the user's windows; `onDidChange` tells this window when another one signs in or out.
 * As the client's CredentialsProvider it asks the chosen source on every request, through one provider per choice,
 * so the library refreshes temporary credentials and a change in another window takes effect at once.
 */
export class CredentialStore implements CredentialsProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private active: { readonly entry: string; readonly provider: CredentialsProvider } | undefined;
  private profile: { readonly name: string; readonly regionId?: string } | undefined;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === KEY) void this.changedElsewhere();
    });
    // A profile's region is read once at start; the event only matters when there is one.
    void this.refreshProfile().then(() => this.profile && this.changed.fire());
    void secrets.get(KEY).then((entry) => {
      this.announced ??= entry;
    });
  }

  async get(): Promise<SignedIn | undefined> {
    return parseEntry(await this.secrets.get(KEY));
  }

  /** The signed-in aliyun CLI profile and its `region_id`, as last read (for the region when none is chosen). */
  get cliProfile(): { readonly name: string; readonly regionId?: string } | undefined {
    return this.profile;
  }

  /** Keeps the choice; `checked` is the provider the sign-in was checked with, kept so its session goes on. */
  async save(signedIn: SignedIn, checked?: CredentialsProvider): Promise<void> {
    const entry = JSON.stringify(signedIn.source.kind === 'typed' ? signedIn : { source: signedIn.source });
    this.active = checked ? { entry, provider: checked } : undefined;
    await this.refreshProfile(signedIn);
    this.announced = entry;
    await this.secrets.store(KEY, entry);
    // This window hears of its own change now, before the sign-in resolves, not when SecretStorage echoes it.
    this.changed.fire();
  }

  async clear(): Promise<void> {
    this.active = undefined;
    this.profile = undefined;
    this.announced = undefined;
    await this.secrets.delete(KEY);
    this.changed.fire();
  }

  /** The entry this window last told its listeners of, so SecretStorage's echo of its own change is not told twice. */
  private announced: string | undefined;

  /** Another window signed in or out (or SecretStorage echoes this window's change). */
  private async changedElsewhere(): Promise<void> {
    const entry = await this.secrets.get(KEY);
    if (entry === this.announced) return;
    this.announced = entry;
    await this.refreshProfile();
    this.changed.fire();
  }

  /** pop-core's credentials provider: asked before every request. */
  async getCredentials(): Promise<Credentials> {
    const entry = await this.secrets.get(KEY);
    const signedIn = parseEntry(entry);
    if (!entry || !signedIn) {
      throw new DlcError({
        code: ClientErrorCode.NotSignedIn,
        message: vscode.l10n.t('You are not signed in to Alibaba Cloud: run "PAI: Sign In".'),
        operation: 'credentials',
        retryable: false,
      });
    }
    if (this.active?.entry !== entry) this.active = { entry, provider: providerFor(signedIn.source, signedIn.keys) };
    return withReasons(this.active.provider, signedIn.source).getCredentials();
  }

  /**
   * Starts the chosen source afresh at the next request. Called when the service refused its credentials as
   * expired or unknown: the library keeps serving its last session when a refresh fails (a revoked role), and a
   * new provider fetches again, so the next request says why it cannot (e.g. `EntityNotExist.Role`).
   */
  restartSource(): void {
    this.active = undefined;
  }

  private async refreshProfile(signedIn?: SignedIn): Promise<void> {
    signedIn ??= await this.get();
    if (signedIn?.source.kind !== 'cliProfile') {
      this.profile = undefined;
      return;
    }
    const name = signedIn.source.profile;
    try {
      this.profile = { name, regionId: (await readCliProfiles(Date.now()))?.find((p) => p.name === name)?.regionId };
    } catch {
      this.profile = { name };
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** The provider with the library's failures turned into CredentialsUnavailable, which offers Sign In. */
export function withReasons(provider: CredentialsProvider, source: CredentialSource): CredentialsProvider {
  return {
    getCredentials: async () => {
      try {
        return await provider.getCredentials();
      } catch (error) {
        if (!(error instanceof CredentialSourceError)) throw error;
        const profile = source.kind === 'cliProfile' ? source.profile : undefined;
        const message =
          error.failure.kind === 'signInExpired'
            ? vscode.l10n.t(
                'The browser sign-in of the aliyun CLI profile "{0}" has expired: run `aliyun configure --profile {0}` again, then sign in.',
                profile ?? '',
              )
            : vscode.l10n.t('Could not get credentials from {0}: {1}', describeSource(source), error.failure.text);
        throw new DlcError({
          code: ClientErrorCode.CredentialsUnavailable,
          message,
          operation: 'credentials',
          retryable: false,
        });
      }
    },
  };
}
