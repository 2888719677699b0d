import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BoardRecord } from './lifecycle';
import type { LoadedSeed } from './seed';
import type { World } from './world';

/**
 * The emulator's stand-in for OSS and NAS: one local folder, `root`, where
 * `oss://<bucket>[.<endpoint>]/<path>` is `<root>/oss/<bucket>/<path>`, `nas://<fs-id>[.<region>]/<path>` is
 * `<root>/nas/<fs-id>/<path>`, and a job's summaries are `<root>/jobs/<job-id>/`. At start and reset, the seed's
 * sample runs are copied into it where missing, so seeded jobs and folders have real event files.
 */

/** The committed event files of scripts/makeSampleLogs.py: `run1`, `run2`, `run3`. */
export function sampleLogsDir(): string | undefined {
  const candidates = [path.join(__dirname, 'sampleLogs'), path.resolve(__dirname, '../../../test/emulator/sampleLogs')];
  return candidates.find((candidate) => existsSync(candidate));
}

/** One TensorBoard run: a name and a local folder. */
export interface LogRun {
  name: string;
  folder: string;
}

/** What a board's TensorBoard reads: one folder, or named folders (mounted side by side under one logdir). */
export type BoardLogs = { kind: 'folder'; folder: string } | { kind: 'runs'; runs: LogRun[] };

interface DataSourceSpec {
  DirectoryName?: string;
  Name?: string;
  Id?: string;
  SourceType?: string;
  Uri?: string;
  SummaryPath?: string;
  FullSummaryPath?: string;
}

export class Storage {
  readonly root: string;
  /** Whether `root` was made here, and is removed by `dispose()`. */
  private readonly owned: boolean;

  constructor(root?: string) {
    this.owned = root === undefined;
    this.root = root ?? mkdtempSync(path.join(os.tmpdir(), 'pai-emulator-storage-'));
    mkdirSync(this.root, { recursive: true });
  }

  /** The local folder an `oss://` or `nas://` URI stands for; undefined for other schemes or a path that leaves its bucket. */
  folderOf(uri: string, relative = ''): string | undefined {
    const match = /^(oss|nas):\/\/([^/.]+)[^/]*(\/.*)?$/i.exec(uri.trim());
    if (!match) return undefined;
    const [, scheme, bucket, rest = '/'] = match;
    return this.inside(path.join(this.root, scheme.toLowerCase(), bucket), path.join(rest, relative));
  }

  jobFolder(jobId: string): string | undefined {
    return this.inside(path.join(this.root, 'jobs'), jobId);
  }

  /** Copies the seed's sample runs into the jobs and folders that name them, leaving what is there alone. */
  fill(seed: LoadedSeed): void {
    const samples = sampleLogsDir();
    if (!samples) return;
    const place = (folder: string | undefined, runs: readonly string[]): void => {
      if (!folder) return;
      for (const run of runs) {
        const from = path.join(samples, run);
        if (existsSync(from)) cpSync(from, path.join(folder, run), { recursive: true, force: false });
      }
    };
    for (const job of seed.jobs) place(this.jobFolder(job.jobId), job.sampleRuns);
    for (const entry of seed.storage) place(this.folderOf(entry.uri), entry.sampleRuns);
  }

  /**
   * Where a board's TensorBoard reads: a job's board its job's folder; several data sources one run each, named by
   * DirectoryName; a folder board its Uri (or its dataset's) joined with SummaryRelativePath, or SummaryPath when that
   * is itself a URI. How the service resolves these paths is UNCONFIRMED (reference §2); this is the simple reading.
   */
  logsOf(board: BoardRecord, world: World): BoardLogs | undefined {
    const spec = board.spec;
    const sources = (spec.tensorboardDataSources ?? []) as DataSourceSpec[];
    if (sources.length > 0) {
      const runs = sources.flatMap((source, index): LogRun[] => {
        const folder = this.sourceFolder(source, world);
        const name = (source.DirectoryName || source.Name || source.Id || `source${index + 1}`).replace(/[,:]/g, '_');
        return folder ? [{ name, folder }] : [];
      });
      return runs.length > 0 ? { kind: 'runs', runs } : undefined;
    }
    const jobId = spec.jobId ?? (spec.sourceType?.toLowerCase() === 'job' ? spec.sourceId : undefined);
    if (jobId !== undefined) return this.folder(this.jobFolder(jobId));
    if (spec.summaryPath && /^(oss|nas):\/\//i.test(spec.summaryPath))
      return this.folder(this.folderOf(spec.summaryPath));
    const uri = spec.uri ?? (spec.dataSourceId === undefined ? undefined : world.datasets.get(spec.dataSourceId)?.uri);
    return uri === undefined ? undefined : this.folder(this.folderOf(uri, spec.summaryRelativePath));
  }

  /** For a board whose source names no folder here: its TensorBoard shows that it has no data. */
  emptyFolder(): string {
    const folder = path.join(this.root, '.empty');
    mkdirSync(folder, { recursive: true });
    return folder;
  }

  dispose(): void {
    if (this.owned) rmSync(this.root, { recursive: true, force: true });
  }

  private sourceFolder(source: DataSourceSpec, world: World): string | undefined {
    const full = source.FullSummaryPath ?? source.Uri;
    if (full) return this.folderOf(full, full === source.Uri ? source.SummaryPath : '');
    if (source.SourceType?.toLowerCase() === 'dlcjob' && source.Id) return this.jobFolder(source.Id);
    const dataset = source.Id === undefined ? undefined : world.datasets.get(source.Id);
    return dataset ? this.folderOf(dataset.uri, source.SummaryPath) : undefined;
  }

  private folder(folder: string | undefined): BoardLogs | undefined {
    return folder === undefined ? undefined : { kind: 'folder', folder };
  }

  /** `base` joined with `relative` (leading slashes ignored), unless that leaves `base`. */
  private inside(base: string, relative: string): string | undefined {
    const resolved = path.resolve(base, path.join('.', relative));
    const back = path.relative(base, resolved);
    const escapes = back === '..' || back.startsWith(`..${path.sep}`) || path.isAbsolute(back);
    return escapes ? undefined : resolved;
  }
}
