import type { Tensorboard, TensorboardDataSource } from '../api';
import type { BoardSource } from './boardRequest';
import { locationKey, normalisePath } from './dataUris';
import { boardPhase, type BoardPhase } from '../boards/status';

// Accounts may hold only a handful of boards (5, reference §0.7), so reusing one beats creating another.
const preference: Partial<Record<BoardPhase, number>> = { running: 0, pending: 1, stopped: 2, unknown: 3 };

/**
 * A board that already shows what `source` points at: the same job (IDs compared exactly), the same set of jobs, the
 * same OSS/NAS folder (whatever endpoint reaches it, trailing `/` ignored) or the same dataset and folder. Running
 * beats pending beats stopped, then the newest wins; failed and deleted boards are never offered.
 */
export function findExistingBoard(boards: readonly Tensorboard[], source: BoardSource): Tensorboard | undefined {
  const matches = matcherFor(source);
  let best: { board: Tensorboard; rank: number } | undefined;
  for (const board of boards) {
    const rank = preference[boardPhase(board.status)];
    if (rank === undefined || !matches(board)) continue;
    if (!best || rank < best.rank || (rank === best.rank && board.gmtCreateTime > best.board.gmtCreateTime))
      best = { board, rank };
  }
  return best?.board;
}

/**
 * One key per thing a board would show, for telling that two creates are for the same source: a job (`job:<id>`), a
 * set of jobs in any order (one job alone is that job), an OSS/NAS folder whatever endpoint reaches it, or a dataset
 * folder. The same sameness as findExistingBoard. Undefined when the source names nothing usable.
 */
export function sourceKey(source: BoardSource): string | undefined {
  switch (source.kind) {
    case 'job': {
      const jobId = source.jobId.trim();
      return jobId ? `job:${jobId}` : undefined;
    }
    case 'jobs': {
      const ids = [...new Set(source.jobs.map((job) => job.jobId.trim()).filter(Boolean))].sort();
      if (ids.length === 0) return undefined;
      return ids.length === 1 ? `job:${ids[0]}` : `jobs:${ids.join(',')}`;
    }
    case 'uri': {
      const location = locationKey(`${source.uri.trim()}/${source.summaryRelativePath ?? ''}`);
      return location ? `location:${location}` : undefined;
    }
    case 'dataset': {
      const id = source.dataSourceId.trim();
      const path = relative(source.summaryRelativePath);
      return id && path !== undefined ? `dataset:${id}:${path}` : undefined;
    }
  }
}

function matcherFor(source: BoardSource): (board: Tensorboard) => boolean {
  switch (source.kind) {
    case 'job': {
      const jobId = source.jobId.trim();
      if (!jobId) return () => false;
      return (board) => board.jobId === jobId || sameSet(jobIdsOf(board), [jobId]);
    }
    case 'jobs': {
      const wanted = source.jobs.map((job) => job.jobId.trim()).filter(Boolean);
      if (wanted.length === 0) return () => false;
      return (board) => sameSet(jobIdsOf(board), wanted) || (new Set(wanted).size === 1 && board.jobId === wanted[0]);
    }
    case 'uri': {
      const wanted = locationKey(`${source.uri.trim()}/${source.summaryRelativePath ?? ''}`);
      if (!wanted) return () => false;
      return (board) => locationsOf(board).includes(wanted);
    }
    case 'dataset': {
      const id = source.dataSourceId.trim();
      if (!id) return () => false;
      const path = relative(source.summaryRelativePath);
      return (board) => {
        if (board.dataSourceId === id && relative(board.summaryRelativePath) === path) return true;
        const [only, ...others] = board.tensorboardDataSources;
        return !!only && others.length === 0 && only.id === id && relative(only.summaryPath) === path;
      };
    }
  }
}

/** The jobs a comparison board shows; a job board created the classic way has none here. */
function jobIdsOf(board: Tensorboard): string[] {
  return board.tensorboardDataSources
    .filter((spec) => spec.sourceType?.toLowerCase() === 'dlcjob' && spec.id)
    .map((spec) => spec.id!);
}

/**
 * Where a board reads from: its Uri plus SummaryRelativePath, or its only data source. A board with several data
 * sources is a comparison, not the board of any one of them.
 */
function locationsOf(board: Tensorboard): string[] {
  const keys: (string | undefined)[] = [];
  if (board.uri) keys.push(locationKey(`${board.uri}/${board.summaryRelativePath}`));
  if (board.tensorboardDataSources.length === 1) keys.push(...specLocations(board.tensorboardDataSources[0]!));
  return keys.filter((key): key is string => key !== undefined);
}

function specLocations(spec: TensorboardDataSource): (string | undefined)[] {
  return [
    spec.fullSummaryPath ? locationKey(spec.fullSummaryPath) : undefined,
    spec.uri ? locationKey(`${spec.uri}/${spec.summaryPath ?? ''}`) : undefined,
  ];
}

function relative(path: string | undefined): string | undefined {
  const normalised = normalisePath(path ?? '');
  return typeof normalised === 'string' ? normalised : undefined;
}

function sameSet(actual: readonly string[], wanted: readonly string[]): boolean {
  if (actual.length === 0) return false;
  const a = new Set(actual);
  const b = new Set(wanted);
  return a.size === b.size && [...a].every((item) => b.has(item));
}

/**
 * What a board was made from, to make it again (a deleted board's panel): its job, its jobs, its OSS/NAS folder or its
 * dataset folder. Undefined when the board names none of them.
 */
export function sourceOfBoard(board: Tensorboard): BoardSource | undefined {
  if (board.jobId) return { kind: 'job', jobId: board.jobId };
  const specs = board.tensorboardDataSources;
  const jobs = specs.filter((spec) => spec.sourceType?.toLowerCase() === 'dlcjob' && spec.id);
  if (jobs.length > 0 && jobs.length === specs.length)
    return { kind: 'jobs', jobs: jobs.map((spec) => ({ jobId: spec.id!, displayName: spec.name || undefined })) };
  if (board.dataSourceId)
    return {
      kind: 'dataset',
      dataSourceId: board.dataSourceId,
      summaryRelativePath: board.summaryRelativePath || undefined,
    };
  if (board.uri) return { kind: 'uri', uri: board.uri, summaryRelativePath: board.summaryRelativePath || undefined };
  const [only, ...others] = specs;
  if (only?.uri && others.length === 0)
    return { kind: 'uri', uri: only.uri, summaryRelativePath: only.summaryPath || undefined };
  return undefined;
}
