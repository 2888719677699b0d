import type { Timer } from '../boards/timer';
import type { StepReport } from './executor';
import type { SyncStatus } from './planner';

/**
 * The running syncs of a window: each one ticks its engine once per interval while it runs, counts what went up,
 * and stops cleanly when its folder disappears. Pure state over an injected timer and clock; the VS Code face
 * (syncFace.ts) persists `saved()` and renders `list()`. A tick is never started while the last one is out.
 */

export interface SyncTarget {
  bucket: string;
  /** `cn-hangzhou`. */
  region: string;
  /** Empty, or ends with `/`. */
  prefix: string;
}

export interface SyncSpec extends SyncTarget {
  id: string;
  /** The local folder, absolute. */
  folder: string;
}

/** What a sync keeps across a window reload: where it goes and whether the user paused it. */
export interface SavedSync {
  spec: SyncSpec;
  paused: boolean;
}

export type SyncState = 'running' | 'paused' | 'stopped';

/** What the user can do about a failed request (the face words it). */
/** `backingOff`: OSS throttles, the sync waits (doubling) and keeps its queue; `retrying`: a 5xx or a network fault. */
export type NextStep = 'permission' | 'bucket' | 'region' | 'signIn' | 'retrying' | 'backingOff';

export interface SyncProblem {
  path: string;
  reason: string;
  next: NextStep;
  /** The RAM action the failed request needs (oss.md §6), for a permission problem. */
  ramAction?: string;
  at: number;
}

export interface SyncView {
  spec: SyncSpec;
  state: SyncState;
  /** Why it stopped, when it did by itself. */
  stoppedBecause?: 'folderGone';
  /** Files with at least one upload or append that OSS confirmed, since the sync started in this window. */
  filesUploaded: number;
  bytesUploaded: number;
  /** Files of the folder that are TensorBoard's data, and of them those not in OSS yet. */
  files: number;
  queued: number;
  queuedBytes: number;
  /** How long the oldest write not in OSS yet has waited; undefined when OSS holds everything seen. */
  lagMs?: number;
  lastUploadAt?: number;
  lastError?: SyncProblem;
  /** Whether OSS has held every file at least once since the sync started (the end of its first upload). */
  caughtUp: boolean;
  backoffUntil?: number;
}

/** A sync's planner and runner, as the manager drives them. */
export interface SyncEngine {
  tick(): Promise<StepReport[]>;
  status(now: number): SyncStatus;
}

export interface SyncManagerDeps {
  timer: Timer;
  now: () => number;
  /** Read at every tick, so a changed setting applies at once. */
  intervalMs: () => number;
  engineFor: (spec: SyncSpec) => SyncEngine;
  folderExists: (folder: string) => Promise<boolean>;
  /** Called with every change of what survives a reload. */
  save: (saved: SavedSync[]) => void;
  /**
   * Tells of writes below a folder (localFolder.ts's watchFolder), so a write goes out at once when its file's
   * interval allows, not at the next tick. Without it (or where the system cannot watch) the interval alone.
   */
  watch?: (folder: string, changed: () => void) => { dispose(): void };
}

/** A write is sent this long after it is seen, so the writer has finished it (a step is several records). */
export const writeSettleMs = 50;

interface Running {
  view: SyncView;
  engine: SyncEngine;
  uploaded: Set<string>;
  handle?: unknown;
  ticking: boolean;
  /** Bumped at every pause, stop and resume, so a tick of an earlier run does not schedule another. */
  generation: number;
  watcher?: { dispose(): void };
  /** A tick is scheduled for a write just seen. */
  early?: boolean;
  /** A write was seen while a tick was out: the next tick follows it closely. */
  writtenDuringTick?: boolean;
}

/** The RAM action each request needs (reference oss.md §2.3, §6): AppendObject and multipart are oss:PutObject. */
const ramActions: Record<StepReport['step']['kind'], string> = {
  head: 'oss:GetObject',
  append: 'oss:PutObject',
  put: 'oss:PutObject',
  multipart: 'oss:PutObject',
  delete: 'oss:DeleteObject',
};

/** Which next step an OSS error calls for, from its code (reference oss.md §5). */
export function nextStepOf(reason: string): NextStep {
  if (/^(AccessDenied|Forbidden)\b/.test(reason)) {
    return /addressed using the specified endpoint/.test(reason) ? 'region' : 'permission';
  }
  if (/^NoSuchBucket\b/.test(reason)) return 'bucket';
  if (/^(InvalidAccessKeyId|SecurityTokenExpired|InvalidSecurityToken|SignatureDoesNotMatch)\b/.test(reason))
    return 'signIn';
  if (/not signed in/i.test(reason)) return 'signIn';
  return 'retrying';
}

export class SyncManager {
  private readonly syncs = new Map<string, Running>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: SyncManagerDeps) {}

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  list(): SyncView[] {
    return [...this.syncs.values()].map((sync) => ({ ...sync.view }));
  }

  get(id: string): SyncView | undefined {
    const sync = this.syncs.get(id);
    return sync && { ...sync.view };
  }

  /** The sync of a folder that is not stopped, if any: one folder goes to one place. */
  ofFolder(folder: string): SyncView | undefined {
    return this.list().find((view) => view.spec.folder === folder && view.state !== 'stopped');
  }

  saved(): SavedSync[] {
    return [...this.syncs.values()]
      .filter((sync) => sync.view.state !== 'stopped')
      .map((sync) => ({ spec: sync.view.spec, paused: sync.view.state === 'paused' }));
  }

  /** Starts a sync, or takes one back after a reload; the engine asks OSS (HEAD, CRC64) before it sends anything. */
  start(spec: SyncSpec, paused = false): SyncView {
    const existing = this.syncs.get(spec.id);
    if (existing && existing.view.state !== 'stopped') throw new Error(`a sync ${spec.id} is already running`);
    const sync: Running = {
      view: {
        spec,
        state: paused ? 'paused' : 'running',
        filesUploaded: 0,
        bytesUploaded: 0,
        files: 0,
        queued: 0,
        queuedBytes: 0,
        caughtUp: false,
      },
      engine: this.deps.engineFor(spec),
      uploaded: new Set(),
      ticking: false,
      generation: 0,
    };
    this.syncs.set(spec.id, sync);
    sync.watcher = this.deps.watch?.(spec.folder, () => this.written(sync));
    if (!paused) this.schedule(sync, 0);
    this.changed(true);
    return { ...sync.view };
  }

  restore(saved: readonly SavedSync[]): void {
    for (const { spec, paused } of saved) if (!this.syncs.has(spec.id)) this.start(spec, paused);
  }

  pause(id: string): void {
    const sync = this.syncs.get(id);
    if (sync?.view.state !== 'running') return;
    this.halt(sync);
    sync.view.state = 'paused';
    this.changed(true);
  }

  resume(id: string): void {
    const sync = this.syncs.get(id);
    if (sync?.view.state !== 'paused') return;
    sync.view.state = 'running';
    sync.generation += 1;
    this.schedule(sync, 0);
    this.changed(true);
  }

  /** Stops for good: kept in the list (its counts stay visible) until `forget`, not after a reload. */
  stop(id: string): void {
    const sync = this.syncs.get(id);
    if (!sync || sync.view.state === 'stopped') return;
    this.halt(sync);
    sync.watcher?.dispose();
    sync.view.state = 'stopped';
    this.changed(true);
  }

  forget(id: string): void {
    const sync = this.syncs.get(id);
    if (!sync) return;
    this.halt(sync);
    sync.watcher?.dispose();
    this.syncs.delete(id);
    this.changed(sync.view.state !== 'stopped');
  }

  /** Halts every timer; what was saved stays, so the next window resumes. */
  dispose(): void {
    for (const sync of this.syncs.values()) {
      this.halt(sync);
      sync.watcher?.dispose();
    }
    this.listeners.clear();
  }

  /** A write below the folder: the next tick comes now (after `writeSettleMs`) rather than at the interval. */
  private written(sync: Running): void {
    if (sync.view.state !== 'running') return;
    if (sync.ticking) {
      sync.writtenDuringTick = true;
      return;
    }
    if (sync.early) return;
    this.halt(sync);
    sync.early = true;
    this.schedule(sync, writeSettleMs);
  }

  private halt(sync: Running): void {
    sync.early = false;
    sync.generation += 1;
    if (sync.handle !== undefined) this.deps.timer.clearTimeout(sync.handle);
    sync.handle = undefined;
  }

  private schedule(sync: Running, ms: number): void {
    const generation = sync.generation;
    sync.handle = this.deps.timer.setTimeout(() => {
      sync.handle = undefined;
      sync.early = false;
      if (sync.generation === generation) void this.tick(sync, generation);
    }, ms);
  }

  private async tick(sync: Running, generation: number): Promise<void> {
    if (sync.ticking || sync.view.state !== 'running') return;
    sync.ticking = true;
    let catchUp: boolean;
    try {
      if (!(await this.deps.folderExists(sync.view.spec.folder))) {
        this.halt(sync);
        sync.watcher?.dispose();
        sync.view.state = 'stopped';
        sync.view.stoppedBecause = 'folderGone';
        this.changed(true);
        return;
      }
      let reports: StepReport[] = [];
      try {
        reports = await sync.engine.tick();
      } catch (error) {
        this.problem(sync, '', error instanceof Error ? error.message : String(error));
      }
      this.count(sync, reports);
      // A first upload of a large live event file: its next append goes now, not after the interval.
      catchUp = reports.length > 0 && sync.engine.status(this.deps.now()).catchingUp;
      this.changed(false);
    } finally {
      sync.ticking = false;
    }
    const written = sync.writtenDuringTick === true;
    sync.writtenDuringTick = false;
    if (sync.generation === generation && sync.view.state === 'running')
      this.schedule(sync, catchUp ? 0 : written ? writeSettleMs : Math.max(100, this.deps.intervalMs()));
  }

  private count(sync: Running, reports: readonly StepReport[]): void {
    const now = this.deps.now();
    const view = sync.view;
    let throttled = false;
    let succeeded = false;
    for (const { step, outcome } of reports) {
      if (outcome.kind === 'throttled') {
        throttled = true;
        this.problem(sync, step.path, outcome.reason ?? 'SlowDown', undefined, 'backingOff');
        continue;
      }
      if (outcome.kind === 'head' || outcome.kind === 'deleted') succeeded = true;
      if (outcome.kind === 'append' && step.kind === 'append') {
        view.bytesUploaded += outcome.nextPosition - step.position;
      } else if (outcome.kind === 'uploaded') {
        view.bytesUploaded += outcome.size;
      } else {
        if (outcome.kind === 'failed' || outcome.kind === 'uncertain')
          this.problem(sync, step.path, outcome.reason, ramActions[step.kind]);
        continue;
      }
      sync.uploaded.add(step.path);
      view.lastUploadAt = now;
      succeeded = true;
    }
    // OSS takes requests again: the throttling is over, the queue goes on.
    if (succeeded && !throttled && view.lastError?.next === 'backingOff') view.lastError = undefined;
    view.filesUploaded = sync.uploaded.size;
    const status = sync.engine.status(now);
    view.files = status.files;
    view.queued = status.files - status.inSync;
    view.queuedBytes = status.queuedBytes;
    view.lagMs = status.unsentSince === undefined ? undefined : now - status.unsentSince;
    view.backoffUntil = status.backoffUntil;
    if (view.queued === 0 && status.problems.length === 0) {
      view.caughtUp = true;
      view.lastError = undefined;
    }
  }

  private problem(sync: Running, path: string, reason: string, ramAction?: string, known?: NextStep): void {
    const next = known ?? nextStepOf(reason);
    sync.view.lastError = {
      path,
      reason,
      next,
      ...(next === 'permission' && ramAction ? { ramAction } : {}),
      at: this.deps.now(),
    };
  }

  private changed(saved: boolean): void {
    if (saved) this.deps.save(this.saved());
    for (const listener of [...this.listeners]) listener();
  }
}
