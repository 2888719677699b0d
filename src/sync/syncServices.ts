import type * as vscode from 'vscode';
import type { Connection } from '../account/connection';
import type { Tensorboard } from '../api';
import type { Timer } from '../boards/timer';
import type { SyncManager } from './syncManager';
import type { SyncTreeProvider } from './syncTree';

/**
 * The syncs as the commands reach them. Their code (the face, the planner, the OSS client) is dist/sync.js, loaded
 * at the first sync, or at start-up when the workspace has saved syncs to resume; dist/app.js holds only this.
 */
export interface SyncServices {
  readonly syncs: SyncAccess;
}

export interface SyncFaceDeps {
  readonly connection: Connection;
  readonly log: vscode.LogOutputChannel;
  /** The workspace's state: the syncs resume in the next window of the same workspace. */
  readonly state: vscode.Memento;
  readonly timer: Timer;
  /** The emulator standing in for the instance metadata service, in the extension's test mode only (testSeams.ts). */
  readonly metadataOrigin?: () => string | undefined;
}

/** What dist/sync.js offers the commands (syncFace.ts). */
export interface SyncFace extends vscode.Disposable {
  readonly manager: SyncManager;
  /** The sidebar's view of the syncs. */
  readonly tree: SyncTreeProvider;
  /** The `oss://` URI of the folder's synced prefix once its sync runs; undefined when the user gave up. */
  syncFolder(folder?: vscode.Uri): Promise<string | undefined>;
  /** Whether OSS holds event files under a folder: undefined when it cannot tell. */
  holdsEventFiles(location: { bucket: string; region?: string; path: string }): Promise<boolean | undefined>;
  manage(): Promise<void>;
  /** For the panel of a board over a synced folder: its lag line, and whether to offer a restart. */
  boardLag(
    board: Tensorboard,
    newestBoardStep: () => Promise<number | undefined>,
  ): Promise<{ readonly line: string; readonly offerRestart: boolean } | undefined>;
  /** A sidebar row's pause, resume, stop or remove; the quick pick when run without a row. */
  act(action: SyncAction, node?: unknown): Promise<void>;
}

export type SyncAction = 'pause' | 'resume' | 'stop' | 'remove';

/** Where the face keeps `SyncManager.saved()` in the workspace state. */
export const savedSyncsKey = 'logFolderSyncs';

export class SyncAccess implements vscode.Disposable {
  private face: SyncFace | undefined;

  constructor(
    private readonly deps: SyncFaceDeps,
    private readonly load: () => { SyncFace: new (deps: SyncFaceDeps) => SyncFace },
  ) {}

  get(): SyncFace {
    this.face ??= new (this.load().SyncFace)(this.deps);
    return this.face;
  }

  /** Whether any sync has been loaded in this window (tests and the sidebar read it without loading one). */
  get loaded(): SyncFace | undefined {
    return this.face;
  }

  /** After a reload: the saved syncs start again, reconciling with OSS first. */
  resumeSaved(): void {
    if ((this.deps.state.get<unknown[]>(savedSyncsKey) ?? []).length > 0) this.get();
  }

  dispose(): void {
    this.face?.dispose();
  }
}
