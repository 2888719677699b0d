import * as vscode from 'vscode';
import { DlcClient, type CallEvent, type CredentialsProvider } from '../api';
import { ClientErrorCode, DlcError } from '../api/errors';
import type { CredentialStore } from './credentialStore';
import { ContextKeys, setContext } from '../base/contextKeys';
import type { TestSeams } from '../base/testSeams';
import { readCliProfiles } from './credentialLibrary';
import { resolveRegion, type CredentialSource, type ResolvedRegion } from './credentialSource';
import { onDidChangeConnectionSettings, readSettings } from '../base/settings';

/**
 * Builds the PAI-DLC client from the current settings and the stored credentials, once per settings change.
 * Every call is logged (operation, duration, RequestId, error code): the client's events never carry a secret.
 */
export class Connection implements vscode.Disposable {
  private cached: DlcClient | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the region, endpoint, workspace or credentials change. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly store: CredentialStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      onDidChangeConnectionSettings(() => this.invalidate()),
      store.onDidChange(() => this.invalidate()),
    ];
    void this.updateContext();
  }

  /** Where the sidebar lists boards from: undefined while signed out or before a workspace is chosen. */
  /** What the board model lists with: its structure is the model's `BoardScope`. */
  async boardScope(): Promise<{ api: DlcClient; workspaceId: string; windowDays: number } | undefined> {
    const workspaceId = this.workspaceId;
    if (!workspaceId || !(await this.store.get())) return undefined;
    return { api: this.client(), workspaceId, windowDays: readSettings().boardWindowDays };
  }

  get workspaceId(): string | undefined {
    return readSettings().workspaceId;
  }

  /** The region chosen in the settings, else the signed-in profile's, the environment's, PAI-DSW's, the default. */
  get region(): ResolvedRegion {
    const settings = readSettings();
    return resolveRegion({
      chosen: settings.chosenRegionId,
      profile: this.store.cliProfile,
      env: process.env,
      fallback: settings.regionId,
    });
  }

  get regionId(): string {
    return this.region.regionId;
  }

  /** The region a sign-in with `source` would use (its profile's region is read from the file). */
  async regionFor(source: CredentialSource): Promise<ResolvedRegion> {
    const settings = readSettings();
    let profile: { name: string; regionId?: string } | undefined;
    if (source.kind === 'cliProfile') {
      const found = await readCliProfiles(Date.now()).catch(() => undefined);
      profile = { name: source.profile, regionId: found?.find((p) => p.name === source.profile)?.regionId };
    }
    return resolveRegion({ chosen: settings.chosenRegionId, profile, env: process.env, fallback: settings.regionId });
  }

  /** The client for the current settings; throws a DlcError with a next step when the endpoint setting is unsafe. */
  client(): DlcClient {
    this.cached ??= this.createClient(this.store);
    return this.cached;
  }

  /** A client for credentials that are not stored yet (checking them before sign-in keeps them). */
  createClient(credentials: CredentialsProvider, regionId: string = this.regionId): DlcClient {
    const { endpoint } = readSettings();
    try {
      return new DlcClient({ regionId, endpoint, credentials, onCall: (event) => this.logCall(event) });
    } catch (error) {
      // The client owns the endpoint rule (https, or http on loopback); the setting is where the user fixes it.
      if (!endpoint || !(error instanceof DlcError) || error.code !== ClientErrorCode.InvalidEndpoint) throw error;
      throw new DlcError({
        code: 'InvalidEndpoint',
        message: vscode.l10n.t('{0} Fix or clear the setting "paiTensorboard.endpoint".', error.message),
        operation: 'settings',
        retryable: false,
      });
    }
  }

  private logCall(event: CallEvent): void {
    const parts = [
      event.operation,
      `${Math.round(event.durationMs)} ms`,
      event.requestId ? `RequestId ${event.requestId}` : undefined,
      event.httpStatus ? `HTTP ${event.httpStatus}` : undefined,
      event.code ? `code ${event.code}` : undefined,
      event.attempt > 1 ? `attempt ${event.attempt}` : undefined,
    ].filter(Boolean);
    if (event.code && /^(InvalidSecurityToken|InvalidAccessKeyId)/.test(event.code)) this.store.restartSource();
    if (event.code) this.log.warn(parts.join(' · '));
    else this.log.info(parts.join(' · '));
  }

  private invalidate(): void {
    this.cached = undefined;
    this.changed.fire();
    void this.updateContext();
  }

  /** The connection owns the signed-in and workspace keys, so the welcome views and the walkthrough follow at once. */
  private async updateContext(): Promise<void> {
    const signedIn = (await this.store.get()) !== undefined;
    await Promise.all([
      setContext(ContextKeys.signedIn, signedIn),
      setContext(ContextKeys.hasWorkspace, this.workspaceId !== undefined),
    ]);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

/** What the account's commands read of the extension's services. */
export interface AccountServices {
  readonly log: vscode.LogOutputChannel;
  readonly connection: Connection;
  /** Wall clock; tests of pure logic inject their own, the extension uses Date.now. */
  readonly now: () => number;
  /** The test suites' stand-ins (a mount table); none outside the extension's test mode. */
  readonly testSeams: TestSeams;
}
