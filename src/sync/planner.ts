import { crc64 } from './crc64';
import { isEventFile, tensorBoardSelection } from './selection';

/**
 * Decides, from a local log folder and what OSS is known to hold, which requests keep the OSS prefix equal to the
 * folder (reference oss.md §8): append the new bytes of a growing event file, upload a file that is new (in parts
 * above a size), replace one that was rewritten or truncated, nothing when nothing changed. At most one request per
 * file per interval, a bounded number in flight, and a back-off for the whole sync when OSS asks it to slow down.
 * It does no I/O of its own: it reads the folder through `FolderView` and is told each request's outcome.
 * A multipart upload counts as one request (its parts go out together); a file removed locally stays in OSS.
 */

export interface LocalFile {
  /** Relative to the folder, with `/`. */
  path: string;
  size: number;
  mtimeMs: number;
}

/** The folder, as the planner sees it; `list` never follows a symlink out of it (localFolder.ts). */
export interface FolderView {
  list(): Promise<LocalFile[]>;
  /** Bytes [start, end) of a file; fewer when it is shorter now. */
  read(path: string, start: number, end: number): Promise<Buffer>;
}

export type Step =
  /** Reconcile: what OSS holds, after a reload or when an earlier request's outcome is unknown. */
  | { kind: 'head'; path: string; key: string }
  /** Bytes [position, end) of the file, at `position`; `crcBefore` is the CRC64 of the object before them. */
  | { kind: 'append'; path: string; key: string; position: number; end: number; crcBefore: bigint }
  | { kind: 'put'; path: string; key: string; size: number }
  | { kind: 'multipart'; path: string; key: string; size: number }
  /** A file that was rewritten or truncated, or an object that cannot be appended to: removed, then uploaded again. */
  | { kind: 'delete'; path: string; key: string; reason: 'rewritten' | 'truncated' | 'notAppendable' };

export interface RemoteHead {
  size: number;
  type: string;
  crc64?: bigint;
}

export type Outcome =
  | { kind: 'head'; head: RemoteHead | undefined; localPrefixCrc?: bigint; fingerprint?: string }
  | { kind: 'append'; nextPosition: number; crc64: bigint; fingerprint: string }
  | { kind: 'uploaded'; size: number; crc64: bigint; fingerprint: string }
  | { kind: 'deleted' }
  /** OSS asked to slow down: nothing changed, the sync waits. */
  | { kind: 'throttled'; reason?: string }
  /** No answer, an answer that does not add up, or a 409: what OSS holds must be asked again. */
  | { kind: 'uncertain'; reason: string }
  /** Refused (credentials, permissions, …): tried again after a back-off. */
  | { kind: 'failed'; reason: string };

export interface PlannerOptions {
  /** Keys are `<prefix><path>`; `''` or ending with `/`. */
  prefix: string;
  /** At most one request per file per interval (default 10 s). */
  intervalMs?: number;
  /** Requests in flight at once (default 4). */
  maxInFlight?: number;
  /** Above this a whole file is uploaded in parts (default 16 MiB). */
  multipartThresholdBytes?: number;
  /**
   * The most bytes one append sends (default 32 MiB). A bigger backlog (the first upload of a live event file that
   * is already large) goes in several appends back to back, without waiting for the interval: see `catchingUp`.
   */
  maxAppendBytes?: number;
  /** A whole file is uploaded once its size and mtime have not changed for this long (default: the interval). */
  settleMs?: number;
  /** Extra paths to sync, as globs (`**`, `*`, `?`), besides TensorBoard's own files. */
  include?: readonly string[];
  /** First back-off after throttling or a failure (default 1 s), doubled up to `maxBackoffMs` (default 60 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
}

type Remote =
  | { state: 'unknown' }
  | { state: 'absent' }
  /** `matches`: whether OSS's bytes are the local file's first `length` bytes, as far as known. */
  | { state: 'present'; length: number; crc64: bigint; appendable: boolean; fingerprint: string; matches: boolean };

interface Tracked {
  remote: Remote;
  /** The size and mtime last seen, and since when they have been so. */
  seen?: { size: number; mtimeMs: number; since: number };
  /** The mtime at which the file's first bytes were last found equal to OSS's (no need to read them again). */
  checkedMtime?: number;
  lastRequestAt?: number;
  /** Its last append stopped at `maxAppendBytes` short of the file's end: the next one may go at once. */
  catchingUp?: boolean;
  /** Since when the file has differed from its object, as far as the planner has seen: the oldest unsent write. */
  unsentSince?: number;
  retryAt?: number;
  failures: number;
  lastError?: string;
}

/** Window of the fingerprint: the first and the last 4 KiB of the uploaded prefix. */
const window = 4096;

/**
 * A cheap check that a file still starts with the bytes uploaded: the CRC64 of its first and last 4 KiB up to
 * `length`. Event files only grow, and a rewritten one (a restarted writer) differs in its first record, which holds
 * the wall time; the whole prefix is compared only when reconciling after a reload (HEAD's CRC64).
 */
export async function fingerprintOf(
  view: Pick<FolderView, 'read'>,
  path: string,
  length: number,
): Promise<string | undefined> {
  const head = await view.read(path, 0, Math.min(window, length));
  const tailStart = Math.max(0, length - window);
  const tail = await view.read(path, tailStart, length);
  if (head.length !== Math.min(window, length) || tail.length !== length - tailStart) return undefined;
  return `${length}:${crc64(head).toString(16)}:${crc64(tail).toString(16)}`;
}

export interface SyncStatus {
  files: number;
  /** Files whose object equals the local file as last seen. */
  inSync: number;
  /** Bytes of the files not in sync that OSS does not hold yet, as last seen. */
  queuedBytes: number;
  /** When the oldest write not yet in OSS was first seen; undefined when everything is. */
  unsentSince?: number;
  inFlight: number;
  backoffUntil?: number;
  /**
   * A file has more bytes to append than one append sends (its first upload): the next tick may come at once
   * rather than after the interval. Steady growth never sets it, so the request rate stays one per interval.
   */
  catchingUp: boolean;
  problems: Array<{ path: string; error: string }>;
}

export class SyncPlanner {
  private readonly tracked = new Map<string, Tracked>();
  private readonly inFlight = new Set<string>();
  private readonly selected: (path: string) => boolean;
  private readonly options: Required<Omit<PlannerOptions, 'include'>>;
  private backoffUntil = 0;
  private throttles = 0;
  private lastFiles: LocalFile[] = [];

  constructor(
    private readonly view: FolderView,
    options: PlannerOptions,
  ) {
    if (options.prefix !== '' && !options.prefix.endsWith('/'))
      throw new RangeError('The OSS prefix must be empty or end with "/".');
    const intervalMs = options.intervalMs ?? 10_000;
    this.options = {
      prefix: options.prefix,
      intervalMs,
      maxInFlight: options.maxInFlight ?? 4,
      multipartThresholdBytes: options.multipartThresholdBytes ?? 16 * 1024 * 1024,
      maxAppendBytes: options.maxAppendBytes ?? 32 * 1024 * 1024,
      settleMs: options.settleMs ?? intervalMs,
      backoffMs: options.backoffMs ?? 1_000,
      maxBackoffMs: options.maxBackoffMs ?? 60_000,
    };
    this.selected = tensorBoardSelection(options.include);
  }

  keyOf(path: string): string {
    return `${this.options.prefix}${path}`;
  }

  /** The requests to send now. Each must be reported back through `settle`, exactly once. */
  async plan(now: number): Promise<Step[]> {
    if (now < this.backoffUntil) return [];
    const files = (await this.view.list())
      .filter((file) => this.selected(file.path))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    this.lastFiles = files;
    const newestEventFile = new Map<string, string>();
    for (const file of files) {
      if (!isEventFile(file.path)) continue;
      const folder = file.path.slice(0, file.path.lastIndexOf('/') + 1);
      if ((newestEventFile.get(folder) ?? '') < file.path) newestEventFile.set(folder, file.path);
    }
    const steps: Step[] = [];
    for (const file of files) {
      const tracked = this.trackedOf(file.path);
      const seen = tracked.seen;
      const settled = seen !== undefined && seen.size === file.size && seen.mtimeMs === file.mtimeMs;
      if (!settled) tracked.seen = { size: file.size, mtimeMs: file.mtimeMs, since: now };
      if (this.inSync(file)) tracked.unsentSince = undefined;
      else tracked.unsentSince ??= now;

      if (this.inFlight.has(file.path)) continue;
      if (
        !tracked.catchingUp &&
        tracked.lastRequestAt !== undefined &&
        now - tracked.lastRequestAt < this.options.intervalMs
      )
        continue;
      if (tracked.retryAt !== undefined && now < tracked.retryAt) continue;
      const folder = file.path.slice(0, file.path.lastIndexOf('/') + 1);
      // A live event file grows by appends; a superseded one (a newer file in its run) and any other file are whole.
      const growing = isEventFile(file.path) && newestEventFile.get(folder) === file.path;
      const stable = settled && now - (tracked.seen?.since ?? now) >= this.options.settleMs;
      const step = await this.decide(file, tracked, growing, stable);
      if (step) steps.push(step);
    }
    const order: Record<Step['kind'], number> = { append: 0, head: 1, delete: 2, put: 3, multipart: 4 };
    steps.sort((a, b) => order[a.kind] - order[b.kind]);
    const chosen = steps.slice(0, Math.max(0, this.options.maxInFlight - this.inFlight.size));
    for (const step of chosen) {
      this.inFlight.add(step.path);
      this.trackedOf(step.path).lastRequestAt = now;
    }
    return chosen;
  }

  private async decide(
    file: LocalFile,
    tracked: Tracked,
    growing: boolean,
    stable: boolean,
  ): Promise<Step | undefined> {
    const path = file.path;
    const key = this.keyOf(path);
    const remote = tracked.remote;
    if (remote.state === 'unknown') return { kind: 'head', path, key };
    const upload = (): Step | undefined => {
      if (growing || (isEventFile(path) && !stable)) {
        return file.size === 0 ? undefined : this.append(path, key, 0, file.size, 0n);
      }
      if (!stable) return undefined;
      return {
        kind: file.size > this.options.multipartThresholdBytes ? 'multipart' : 'put',
        path,
        key,
        size: file.size,
      };
    };
    if (remote.state === 'absent') return upload();

    const replace = (reason: 'rewritten' | 'truncated'): Step | undefined =>
      remote.appendable || isEventFile(path) ? { kind: 'delete', path, key, reason } : upload();
    if (file.size < remote.length) return replace('truncated');
    let matches = remote.matches;
    if (matches && (file.size !== remote.length || file.mtimeMs !== tracked.checkedMtime)) {
      // The bytes OSS holds must still be the file's first bytes: a restarted writer rewrites a file.
      matches = (await fingerprintOf(this.view, path, remote.length)) === remote.fingerprint;
      if (matches) tracked.checkedMtime = file.mtimeMs;
    }
    if (!matches) return replace('rewritten');
    if (file.size === remote.length) return undefined;
    if (remote.appendable) return this.append(path, key, remote.length, file.size, remote.crc64);
    // Grown, but OSS holds a Normal or Multipart object: an event file starts again as appendable, a whole file is put again.
    return isEventFile(path) ? { kind: 'delete', path, key, reason: 'notAppendable' } : upload();
  }

  private append(path: string, key: string, position: number, size: number, crcBefore: bigint): Step {
    return {
      kind: 'append',
      path,
      key,
      position,
      end: Math.min(size, position + this.options.maxAppendBytes),
      crcBefore,
    };
  }

  /** Reports a step's outcome; `now` for back-offs. */
  settle(step: Step, outcome: Outcome, now: number): void {
    this.inFlight.delete(step.path);
    const tracked = this.trackedOf(step.path);
    tracked.catchingUp = false;
    if (outcome.kind === 'throttled') {
      // Requests out at the same time are one throttling: the back-off doubles only for a new one after it.
      if (now >= this.backoffUntil) {
        this.throttles += 1;
        this.backoffUntil =
          now + Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** (this.throttles - 1));
      }
      // The step was not done: it is planned again once the back-off is over.
      tracked.lastRequestAt = undefined;
      return;
    }
    if (now >= this.backoffUntil) this.throttles = 0;
    switch (outcome.kind) {
      case 'head': {
        const { head } = outcome;
        if (!head) tracked.remote = { state: 'absent' };
        else {
          tracked.remote = {
            state: 'present',
            length: head.size,
            crc64: head.crc64 ?? 0n,
            appendable: head.type === 'Appendable',
            fingerprint: outcome.fingerprint ?? '',
            // Without both CRCs nothing says the object is the file's prefix: it is replaced.
            matches:
              head.crc64 !== undefined && outcome.localPrefixCrc === head.crc64 && outcome.fingerprint !== undefined,
          };
        }
        break;
      }
      case 'append':
        tracked.catchingUp =
          step.kind === 'append' && (this.lastFiles.find((file) => file.path === step.path)?.size ?? 0) > step.end;
        tracked.remote = {
          state: 'present',
          length: outcome.nextPosition,
          crc64: outcome.crc64,
          appendable: true,
          fingerprint: outcome.fingerprint,
          matches: true,
        };
        break;
      case 'uploaded':
        tracked.remote = {
          state: 'present',
          length: outcome.size,
          crc64: outcome.crc64,
          appendable: false,
          fingerprint: outcome.fingerprint,
          matches: true,
        };
        break;
      case 'deleted':
        tracked.remote = { state: 'absent' };
        // Uploaded again at the next interval: one request per file per interval.
        break;
      case 'uncertain':
        tracked.remote = { state: 'unknown' };
        this.fail(tracked, outcome.reason, now);
        return;
      case 'failed':
        this.fail(tracked, outcome.reason, now);
        return;
    }
    tracked.checkedMtime = undefined;
    tracked.failures = 0;
    tracked.retryAt = undefined;
    tracked.lastError = undefined;
  }

  status(now: number): SyncStatus {
    const files = this.lastFiles.filter((file) => this.tracked.has(file.path));
    const pending = files.filter((file) => !this.inSync(file));
    const queuedBytes = pending.reduce((sum, file) => {
      const remote = this.tracked.get(file.path)?.remote;
      const held = remote?.state === 'present' && remote.matches ? remote.length : 0;
      return sum + Math.max(0, file.size - held);
    }, 0);
    const since = pending.flatMap((file) => this.tracked.get(file.path)?.unsentSince ?? []);
    const problems = [...this.tracked].flatMap(([path, tracked]) =>
      tracked.lastError ? [{ path, error: tracked.lastError }] : [],
    );
    return {
      files: this.lastFiles.length,
      inSync: files.length - pending.length,
      queuedBytes,
      ...(since.length > 0 ? { unsentSince: Math.min(...since) } : {}),
      inFlight: this.inFlight.size,
      catchingUp: now >= this.backoffUntil && [...this.tracked.values()].some((tracked) => tracked.catchingUp),
      ...(now < this.backoffUntil ? { backoffUntil: this.backoffUntil } : {}),
      problems,
    };
  }

  private inSync(file: LocalFile): boolean {
    const remote = this.tracked.get(file.path)?.remote;
    return remote?.state === 'present' && remote.matches && remote.length === file.size;
  }

  private fail(tracked: Tracked, reason: string, now: number): void {
    tracked.failures += 1;
    tracked.lastError = reason;
    tracked.retryAt = now + Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** (tracked.failures - 1));
  }

  private trackedOf(path: string): Tracked {
    let tracked = this.tracked.get(path);
    if (!tracked) {
      tracked = { remote: { state: 'unknown' }, failures: 0 };
      this.tracked.set(path, tracked);
    }
    return tracked;
  }
}
