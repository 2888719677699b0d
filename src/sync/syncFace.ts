import { stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { commandTo, executeCommand } from '../base/commandCalls';
import { describe } from '../base/describe';
import { showInformation, showWarning } from '../base/notify';
import { addPathMapping, readSyncSettings } from '../base/settings';
import { SyncRunner } from './executor';
import { internalFor, machineRegion, metadataOrigin } from './internalEndpoint';
import { LocalFolder, watchFolder } from './localFolder';
import { OssClient } from './ossClient';
import { SyncPlanner } from './planner';
import { isEventFile } from './selection';
import { SyncManager, type SavedSync, type SyncSpec } from './syncManager';
import { savedSyncsKey, type SyncAction, type SyncFace as SyncFaceApi, type SyncFaceDeps } from './syncServices';
import { checkOssEndpoint, defaultPrefix, normalPrefix, ossUriOf } from './syncTarget';
import { detailOf, progressOf, statusTextOf, summaryOf, syncsText } from './syncText';
import { LagWatch, StepScanner } from './eventSteps';
import type { Tensorboard } from '../api';
import { SYNCS_VIEW_ID, syncIdOf, SyncTreeProvider, type SyncNode } from './syncTree';
import { ContextKeys, setContext } from '../base/contextKeys';

/**
 * The VS Code face of the log folder syncs, bundled as dist/sync.js and loaded at the first sync (syncServices.ts):
 * the folder, bucket and prefix pickers, the status bar item, the first upload's progress, the saved syncs in the
 * workspace state. What it decides is in SyncManager and the planner.
 */

/**
 * How long a board over a synced folder may stay behind it, with OSS holding every write, before its panel offers a
 * restart: several of TensorBoard's reloads (5 s by default), as a running PAI board may not see new objects at all.
 */
const RESTART_OFFER_AFTER_MS = 90_000;

export class SyncFace implements SyncFaceApi {
  /** Per sync: the newest step of its folder's event files, read incrementally. */
  private readonly scanners = new Map<string, StepScanner>();
  /** Per board: since when it is behind its synced folder. */
  private readonly lagWatches = new Map<string, LagWatch>();
  readonly manager: SyncManager;
  private readonly item: vscode.StatusBarItem;
  private readonly lastErrors = new Map<string, string>();
  private readonly subscription: { dispose(): void };
  /** The sidebar's view of the syncs. */
  readonly tree: SyncTreeProvider;
  private readonly view: vscode.TreeView<SyncNode>;

  constructor(private readonly deps: SyncFaceDeps) {
    this.manager = new SyncManager({
      timer: deps.timer,
      now: Date.now,
      intervalMs: () => readSyncSettings().intervalMs,
      engineFor: (spec) => this.engineFor(spec),
      folderExists: async (folder) => (await stat(folder).catch(() => undefined))?.isDirectory() === true,
      save: (saved) => void deps.state.update(savedSyncsKey, saved),
      watch: watchFolder,
    });
    this.item = vscode.window.createStatusBarItem('paiTensorboard.syncs', vscode.StatusBarAlignment.Left, 40);
    this.item.name = vscode.l10n.t('PAI log folder syncs');
    this.item.command = commandTo('paiTensorboard.manageSyncs', vscode.l10n.t('Show Log Folder Syncs'));
    this.subscription = this.manager.onDidChange(() => this.update());
    this.tree = new SyncTreeProvider(this.manager);
    this.view = vscode.window.createTreeView(SYNCS_VIEW_ID, { treeDataProvider: this.tree });
    // An untrusted workspace neither starts a sync nor says where one goes: its saved syncs wait for trust.
    if (vscode.workspace.isTrusted) this.manager.restore(deps.state.get<SavedSync[]>(savedSyncsKey) ?? []);
  }

  /** "Sync a Log Folder to OSS…" and the folder entry point: the `oss://` URI of the synced prefix, once it runs. */
  async syncFolder(folderArg?: vscode.Uri): Promise<string | undefined> {
    if (!vscode.workspace.isTrusted) {
      void showWarning(vscode.l10n.t('Trust this workspace to sync a log folder: a sync uploads files to OSS.'));
      return undefined;
    }
    const folder =
      folderArg ??
      (
        await vscode.window.showOpenDialog({
          canSelectFolders: true,
          canSelectFiles: false,
          openLabel: vscode.l10n.t('Sync to OSS'),
        })
      )?.[0];
    if (!folder) return undefined;
    const running = this.manager.ofFolder(folder.fsPath);
    if (running) return ossUriOf(running.spec);
    if (!(await this.deps.connection.store.get())) {
      const signIn = vscode.l10n.t('Sign In');
      const choice = await showWarning(
        vscode.l10n.t('Sign in to Alibaba Cloud first: the sync signs its uploads with your credentials.'),
        signIn,
      );
      if (choice === signIn) await executeCommand('paiTensorboard.signIn');
      return undefined;
    }
    const region = this.deps.connection.regionId;
    const endpoint = this.endpoint();
    const bucket = await this.pickBucket(region, endpoint);
    if (!bucket) return undefined;
    const workspaceFolder = vscode.workspace.getWorkspaceFolder(folder);
    const relative = workspaceFolder ? vscode.workspace.asRelativePath(folder, false) : folder.fsPath;
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Sync to OSS: the folder in bucket {0}', bucket),
      prompt: vscode.l10n.t('The OSS prefix the folder is uploaded under.'),
      value: defaultPrefix(workspaceFolder?.name, relative),
      ignoreFocusOut: true,
      validateInput: (value) =>
        normalPrefix(value) ? undefined : vscode.l10n.t('Type a folder path such as tensorboard/my-run/.'),
    });
    const prefix = typed === undefined ? undefined : normalPrefix(typed);
    if (!prefix) return undefined;
    const spec: SyncSpec = { id: randomUUID(), folder: folder.fsPath, bucket, region, prefix };
    this.manager.start(spec);
    const uri = ossUriOf(spec);
    this.deps.log.info(`Syncing ${spec.folder} to ${uri}`);
    // The next right-click on the folder maps at once, and the duplicate check finds the board.
    await addPathMapping({ local: spec.folder, remote: uri }).catch((error: unknown) =>
      this.deps.log.warn(`Could not add the path mapping of ${spec.folder}: ${describe(error)}`),
    );
    void this.showFirstUpload(spec.id);
    return uri;
  }

  /**
   * Whether OSS holds event files under a typed folder, by one listing: true, false, or undefined when it cannot
   * tell (the listing was refused, or the bucket's region is not known).
   */
  async holdsEventFiles(location: { bucket: string; region?: string; path: string }): Promise<boolean | undefined> {
    if (!location.region) return undefined;
    try {
      const client = this.client({ bucket: location.bucket, region: location.region });
      const prefix = location.path.replace(/^\/+/, '');
      let token: string | undefined;
      for (let page = 0; page < 10; page++) {
        const listed = await client.list({ prefix, continuationToken: token });
        if (listed.objects.some((object) => isEventFile(object.key))) return true;
        token = listed.nextContinuationToken;
        if (!token) return false;
      }
      return undefined;
    } catch (error) {
      this.deps.log.info(`Could not list ${location.bucket}/${location.path}: ${describe(error)}`);
      return undefined;
    }
  }

  /**
   * For the panel of a board whose source is a synced folder: when OSS last took its bytes, the newest step the
   * board's TensorBoard serves against the newest the folder holds, and whether to offer a restart. Undefined for
   * any other board.
   */
  async boardLag(
    board: Tensorboard,
    /** The newest step the board's TensorBoard serves (export/newestStep.ts, above this layer). */
    newestBoardStep: () => Promise<number | undefined>,
  ): Promise<{ readonly line: string; readonly offerRestart: boolean } | undefined> {
    const view = this.manager.list().find((view) => view.state !== 'stopped' && boardReads(board, view.spec));
    if (!view) return undefined;
    let scanner = this.scanners.get(view.spec.id);
    if (!scanner) this.scanners.set(view.spec.id, (scanner = new StepScanner(new LocalFolder(view.spec.folder))));
    const [localStep, boardStep] = await Promise.all([scanner.newestStep(), newestBoardStep()]);
    let watch = this.lagWatches.get(board.tensorboardId);
    if (!watch) this.lagWatches.set(board.tensorboardId, (watch = new LagWatch(RESTART_OFFER_AFTER_MS)));
    const now = Date.now();
    const lag = watch.observe({
      now,
      boardStep,
      localStep,
      lastUploadAt: view.lastUploadAt,
      inSync: view.state === 'running' && view.queued === 0,
    });
    const synced =
      lag.lastUploadAt === undefined
        ? vscode.l10n.t('not synced yet')
        : vscode.l10n.t('synced {0} s ago', Math.max(0, Math.round((now - lag.lastUploadAt) / 1000)));
    const shows =
      lag.localStep === undefined
        ? vscode.l10n.t('no step written yet')
        : lag.boardStep === undefined
          ? vscode.l10n.t('board shows no step of {0} yet', lag.localStep)
          : vscode.l10n.t('board shows step {0} of {1}', lag.boardStep, lag.localStep);
    const line = lag.offerRestart
      ? vscode.l10n.t('{0}; {1}. It has not caught up: a restart makes it read the folder again.', synced, shows)
      : `${synced}; ${shows}`;
    return { line, offerRestart: lag.offerRestart };
  }

  /** The syncs in a quick pick, each with pause, resume and stop. */
  async manage(): Promise<void> {
    const views = this.manager.list();
    if (views.length === 0) {
      void showInformation(
        vscode.l10n.t('No log folder is syncing. Run "PAI: Sync a Log Folder to OSS…" to start one.'),
      );
      return;
    }
    const picked = await vscode.window.showQuickPick(
      views.map((view) => ({ label: summaryOf(view), detail: detailOf(view), view })),
      { title: vscode.l10n.t('Log folder syncs'), ignoreFocusOut: true },
    );
    if (!picked) return;
    const { view } = picked;
    const actions = [
      ...(view.state === 'running'
        ? [{ label: vscode.l10n.t('Pause'), run: () => this.manager.pause(view.spec.id) }]
        : []),
      ...(view.state === 'paused'
        ? [{ label: vscode.l10n.t('Resume'), run: () => this.manager.resume(view.spec.id) }]
        : []),
      ...(view.state !== 'stopped'
        ? [{ label: vscode.l10n.t('Stop'), run: () => this.manager.stop(view.spec.id) }]
        : []),
      ...(view.state === 'stopped'
        ? [{ label: vscode.l10n.t('Remove from the list'), run: () => this.manager.forget(view.spec.id) }]
        : []),
    ];
    const action = await vscode.window.showQuickPick(actions, { title: summaryOf(view) });
    action?.run();
  }

  /** Pause, resume, stop or remove the sync of a row of the sidebar; without a row, the quick pick asks which. */
  async act(action: SyncAction, node?: unknown): Promise<void> {
    const id = syncIdOf(node);
    if (!id) return this.manage();
    const run: Record<SyncAction, (id: string) => void> = {
      pause: (id) => this.manager.pause(id),
      resume: (id) => this.manager.resume(id),
      stop: (id) => this.manager.stop(id),
      remove: (id) => this.manager.forget(id),
    };
    run[action](id);
  }

  private endpoint(): string | undefined {
    const check = checkOssEndpoint(readSyncSettings().ossEndpoint);
    if (!check.ok)
      throw new Error(vscode.l10n.t('{0} Fix or clear the setting "paiTensorboard.ossEndpoint".', check.reason));
    return check.endpoint;
  }

  private client(spec: { bucket: string; region: string }, endpoint = this.endpoint()): OssClient {
    return new OssClient({
      target: {
        bucket: spec.bucket,
        region: spec.region,
        ...(endpoint
          ? { endpoint }
          : {
              internal: internalFor(readSyncSettings().internalEndpoint, spec.region, () =>
                machineRegion(this.deps.metadataOrigin?.() ?? metadataOrigin),
              ),
            }),
      },
      // Asked before every request: the signed-in source renews STS credentials before they expire.
      credentials: () => this.deps.connection.store.getCredentials(),
      // An STS rotation the source missed: it starts afresh and the request goes once more.
      refreshCredentials: () => this.deps.connection.store.restartSource(),
    });
  }

  private engineFor(spec: SyncSpec): { tick: SyncRunner['tick']; status: SyncPlanner['status'] } {
    const settings = readSyncSettings();
    const folder = new LocalFolder(spec.folder);
    const planner = new SyncPlanner(folder, {
      prefix: spec.prefix,
      intervalMs: settings.intervalMs,
      include: settings.include,
    });
    const runner = new SyncRunner(planner, folder, this.client(spec), Date.now);
    return { tick: () => runner.tick(), status: (now) => planner.status(now) };
  }

  /** A bucket of the board's region: listed when the credentials may list, else typed. */
  private async pickBucket(region: string, endpoint: string | undefined): Promise<string | undefined> {
    let listed: string[] = [];
    try {
      // ListBuckets is service-level: the bucket name only fills the client's target.
      const buckets = await this.client({ bucket: 'listing', region }, endpoint).listBuckets();
      listed = buckets.filter((bucket) => bucket.region === region).map((bucket) => bucket.name);
    } catch (error) {
      this.deps.log.info(`Could not list the OSS buckets: ${describe(error)}`);
    }
    const typeOne = { label: `$(edit) ${vscode.l10n.t('Type a bucket name…')}`, bucket: undefined };
    const picked = await vscode.window.showQuickPick(
      [...listed.map((name) => ({ label: `$(database) ${name}`, bucket: name as string | undefined })), typeOne],
      {
        title: vscode.l10n.t('Sync to OSS: a bucket in {0}, the region of the board', region),
        ignoreFocusOut: true,
      },
    );
    if (!picked) return undefined;
    if (picked.bucket) return picked.bucket;
    return vscode.window
      .showInputBox({
        title: vscode.l10n.t('Sync to OSS: a bucket in {0}', region),
        ignoreFocusOut: true,
        validateInput: (value) =>
          /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(value.trim())
            ? undefined
            : vscode.l10n.t('A bucket name has 3 to 63 lowercase letters, digits and hyphens.'),
      })
      .then((value) => value?.trim() || undefined);
  }

  /** A notification until OSS holds every file once; cancelling stops the sync. */
  private showFirstUpload(id: string): Thenable<void> {
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Uploading the log folder to OSS'),
        cancellable: true,
      },
      (progress, token) =>
        new Promise<void>((resolve) => {
          const check = (): void => {
            const view = this.manager.get(id);
            if (!view || view.caughtUp || view.state === 'stopped') {
              subscription.dispose();
              resolve();
              return;
            }
            progress.report({ message: progressOf(view) });
          };
          const subscription = this.manager.onDidChange(check);
          token.onCancellationRequested(() => {
            this.manager.stop(id);
            check();
          });
          check();
        }),
    );
  }

  private update(): void {
    const views = this.manager.list();
    void setContext(ContextKeys.hasSyncs, views.length > 0);
    const running = views.filter((view) => view.state === 'running');
    for (const view of views) {
      const error = view.lastError ? `${view.lastError.path}: ${view.lastError.reason}` : undefined;
      if (error && this.lastErrors.get(view.spec.id) !== error)
        this.deps.log.warn(`Sync of ${view.spec.folder}: ${error}`);
      if (error) this.lastErrors.set(view.spec.id, error);
      else this.lastErrors.delete(view.spec.id);
    }
    if (running.length === 0) {
      this.item.hide();
      return;
    }
    const failing = running.some((view) => view.lastError);
    this.item.text = `$(${failing ? 'warning' : 'cloud-upload'}) ${running.length === 1 ? statusTextOf(running[0]) : syncsText(running.length)}`;
    this.item.tooltip = views.map((view) => `${summaryOf(view)}\n${detailOf(view)}`).join('\n\n');
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.manager.dispose();
    this.item.dispose();
    this.view.dispose();
    this.tree.dispose();
  }
}

/** Whether a board reads a sync's prefix: one of its sources is an `oss://` URI at or below it, in its bucket. */
function boardReads(board: Tensorboard, spec: SyncSpec): boolean {
  const uris = [board.uri, ...(board.tensorboardDataSources ?? []).flatMap((s) => [s.uri, s.fullSummaryPath])];
  return uris.some((uri) => {
    const match = /^oss:\/\/([^/.]+)[^/]*\/(.*)$/i.exec(uri?.trim() ?? '');
    if (!match || match[1] !== spec.bucket) return false;
    const path = match[2]!.endsWith('/') ? match[2]! : `${match[2]}/`;
    return path.startsWith(spec.prefix);
  });
}
