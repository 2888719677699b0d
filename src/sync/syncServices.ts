import type * as vscode from 'vscode';
import type { SyncFace, SyncFaceDeps } from './syncFace';

/**
 * The syncs as the commands reach them. Their code (the face, the planner, the OSS client) is dist/sync.js, loaded
 * at the first sync, or at start-up when the workspace has saved syncs to resume; dist/app.js holds only this.
 */
export interface SyncServices {
  readonly syncs: SyncAccess;
}

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
