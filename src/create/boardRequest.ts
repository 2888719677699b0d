import type { CreateTensorboardRequest, Job } from '../api';
import { datasetIdProblem, normalisePath, parseDataUri } from './dataUris';

/** One job of a comparison board. */
export interface JobRef {
  readonly jobId: string;
  readonly displayName?: string;
  /** Where in the job's data the summaries are, e.g. `/tensorboard/run1`. */
  readonly summaryPath?: string;
}

/** What the user pointed at. */
export type BoardSource =
  | { readonly kind: 'job'; readonly jobId: string; readonly job?: Job; readonly summaryRelativePath?: string }
  | { readonly kind: 'jobs'; readonly jobs: readonly JobRef[] }
  | { readonly kind: 'uri'; readonly uri: string; readonly summaryRelativePath?: string }
  | { readonly kind: 'dataset'; readonly dataSourceId: string; readonly summaryRelativePath?: string };

/** The settings every new board gets. */
export interface BoardDefaults {
  readonly maxRunningTimeMinutes: number;
  readonly cpu?: number;
  /** GB. */
  readonly memory?: number;
  readonly accessibility: 'PUBLIC' | 'PRIVATE';
  /** 1 (lowest) to 9. */
  readonly priority: string | number;
  readonly quotaId?: string;
}

export interface AdvancedBoardOptions {
  /** Pay-as-you-go resources. */
  readonly tensorboardSpec?: CreateTensorboardRequest['tensorboardSpec'];
  /** Extra data sources mounted into the board. */
  readonly dataSources?: CreateTensorboardRequest['dataSources'];
  /** Where a URI or dataset source is mounted inside the board (`Options.mountpath`); jobs bring their own mounts. */
  readonly mountPath?: string;
}

export interface BuildOptions {
  readonly workspaceId: string;
  readonly displayName?: string;
  /** The workspace's region: completes `oss://bucket/path` with that region's internal endpoint. */
  readonly region?: string;
  readonly advanced?: AdvancedBoardOptions;
}

/** A source or setting that cannot make a board; the message says what to change. */
export class BoardRequestError extends Error {
  override readonly name = 'BoardRequestError';
  constructor(
    /** The camelCase field of the source, defaults or options at fault, or the ID of the setting at fault. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const maxDisplayNameLength = 64;
/** pai-python-sdk sends it on every create ("required for CreateTensorBoard"), so it is never left out. */
const rootRelativePath = '/';

/**
 * `tb-<name>`: the job's display name (or ID), the URI's last folder, or the dataset's. Letters, digits, `.`, `_`
 * and `-` only, because the service publishes no rule for board names and job names with spaces or CJK text are
 * common; a name left empty by that falls back to the ID.
 */
export function defaultDisplayName(source: BoardSource): string {
  switch (source.kind) {
    case 'job':
      return boardName([source.job?.displayName, source.jobId]);
    case 'jobs': {
      const first = source.jobs.filter(
        (job, index) => source.jobs.findIndex((other) => other.jobId.trim() === job.jobId.trim()) === index,
      );
      const names = first.map((job) => safeName(job.displayName ?? '') || safeName(job.jobId));
      return boardName([names.filter(Boolean).join('-vs-')]);
    }
    case 'uri': {
      const match = /^[a-z]+:\/\/([^/.]*)[^/]*(.*)$/i.exec(source.uri.trim());
      const segments = (match?.[2] ?? '').split('/').filter((segment) => segment && segment !== '.');
      return boardName([segments.at(-1), match?.[1]]);
    }
    case 'dataset': {
      const segments = (source.summaryRelativePath ?? '').split('/').filter((segment) => segment && segment !== '.');
      return boardName([segments.at(-1), source.dataSourceId]);
    }
  }
}

/** What a board of `source` reads, as the user pointed at it: the folder, the dataset folder, the job or jobs. */
export function sourceText(source: BoardSource): string {
  const inside = (path: string | undefined) => (path && path.trim() !== '/' ? path.trim() : '');
  switch (source.kind) {
    case 'job':
      return source.jobId.trim();
    case 'jobs':
      return source.jobs.map((job) => job.jobId.trim()).join(', ');
    case 'uri': {
      const uri = source.uri.trim();
      const path = inside(source.summaryRelativePath);
      return path ? `${uri.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}` : uri;
    }
    case 'dataset':
      return `${source.dataSourceId.trim()}${inside(source.summaryRelativePath)}`;
  }
}

/** The CreateTensorboard body for `source`; throws BoardRequestError with a next step when something is wrong. */
export function buildCreateRequest(
  source: BoardSource,
  defaults: BoardDefaults,
  options: BuildOptions,
): CreateTensorboardRequest {
  const workspaceId = options.workspaceId.trim();
  if (!workspaceId) throw new BoardRequestError('workspaceId', 'Choose a workspace before creating a TensorBoard.');
  const displayName = options.displayName?.trim() || defaultDisplayName(source);
  const common: CreateTensorboardRequest = {
    workspaceId,
    displayName,
    ...checkedDefaults(defaults),
    ...(options.advanced?.tensorboardSpec ? { tensorboardSpec: options.advanced.tensorboardSpec } : {}),
    ...(options.advanced?.dataSources?.length ? { dataSources: options.advanced.dataSources } : {}),
  };
  return { ...common, ...sourceFields(source, options) };
}

function sourceFields(source: BoardSource, options: BuildOptions): CreateTensorboardRequest {
  switch (source.kind) {
    case 'job': {
      const jobId = checkedJobId(source.jobId, 'jobId');
      const jobWorkspace = source.job?.workspaceId;
      if (jobWorkspace && jobWorkspace !== options.workspaceId.trim()) {
        throw new BoardRequestError(
          'workspaceId',
          `Job ${jobId} belongs to workspace ${source.job?.workspaceName || jobWorkspace}. Switch to that workspace to create its TensorBoard.`,
        );
      }
      return {
        jobId,
        sourceType: 'job',
        sourceId: jobId,
        summaryRelativePath: checkedRelativePath(source.summaryRelativePath, 'summaryRelativePath'),
      };
    }
    case 'jobs':
      return { tensorboardDataSources: jobDataSources(source.jobs), summaryRelativePath: rootRelativePath };
    case 'uri': {
      const location = parseDataUri(source.uri, options.region ? { region: options.region } : {});
      if (!location.ok) throw new BoardRequestError('uri', location.reason);
      const summaryRelativePath = checkedRelativePath(source.summaryRelativePath, 'summaryRelativePath');
      const mount = mountOptions(options);
      return {
        dataSourceType: location.type,
        uri: location.uri,
        summaryRelativePath,
        ...mount,
        ...(mount.options
          ? {}
          : { tensorboardDataSources: [namedFolder(location.type, location.uri, summaryRelativePath)] }),
      };
    }
    case 'dataset': {
      const problem = datasetIdProblem(source.dataSourceId);
      if (problem) throw new BoardRequestError('dataSourceId', problem);
      return {
        dataSourceId: source.dataSourceId.trim(),
        summaryRelativePath: checkedRelativePath(source.summaryRelativePath, 'summaryRelativePath'),
        ...mountOptions(options),
      };
    }
  }
}

function jobDataSources(jobs: readonly JobRef[]): NonNullable<CreateTensorboardRequest['tensorboardDataSources']> {
  if (jobs.length === 0) throw new BoardRequestError('jobs', 'Pick at least one job to show in the TensorBoard.');
  const seen = new Set<string>();
  const unique = jobs.filter((job) => {
    const jobId = checkedJobId(job.jobId, 'jobs');
    if (seen.has(jobId)) return false;
    seen.add(jobId);
    return true;
  });
  // DirectoryName prefixes each job's runs in the board, so two jobs with the same name must not share one.
  const baseNames = unique.map((job) => safeName(job.displayName ?? '') || job.jobId.trim());
  return unique.map((job, index) => {
    const jobId = job.jobId.trim();
    const base = baseNames[index]!;
    const clash = baseNames.filter((name) => name === base).length > 1;
    return {
      sourceType: 'dlcjob',
      id: jobId,
      name: job.displayName?.trim() || jobId,
      directoryName: clash && base !== jobId ? `${base}-${jobId}` : base,
      ...(job.summaryPath !== undefined ? { summaryPath: checkedRelativePath(job.summaryPath, 'jobs') } : {}),
    };
  });
}

/**
 * The folder as the board's one data source, named after the folder. TensorBoard names a run by its folder relative
 * to the log directory, so a board whose log directory is the run folder itself showed one run called "."; a data
 * source's DirectoryName is the prefix of its runs instead ("run1", "logs/run2"). The Uri fields stay beside it for
 * the console and other clients, which read a folder board from them; with a data source the service takes that one.
 * A mount path (`newBoard.mountPath`) keeps the classic form: a data source has no mount path of its own.
 */
function namedFolder(
  dataSourceType: string,
  uri: string,
  summaryPath: string,
): NonNullable<CreateTensorboardRequest['tensorboardDataSources']>[number] {
  const segments = `${uri.replace(/^[a-z]+:\/\/[^/]*/i, '')}/${summaryPath}`.split('/').filter((s) => s && s !== '.');
  const bucket = /^[a-z]+:\/\/([^/.]*)/i.exec(uri)?.[1];
  const name = safeName(segments.at(-1) ?? '') || safeName(bucket ?? '') || 'logs';
  return { sourceType: 'datasource', dataSourceType, uri, summaryPath, name, directoryName: name };
}

function checkedDefaults(defaults: BoardDefaults): CreateTensorboardRequest {
  const positive = (value: number | undefined, field: string, what: string): number | undefined => {
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < 1)
      throw new BoardRequestError(field, `${what} must be a whole number of at least 1, not ${value}.`);
    return value;
  };
  const priority = String(defaults.priority).trim();
  if (!/^[1-9]$/.test(priority))
    throw new BoardRequestError('priority', `The priority must be 1 (lowest) to 9, not "${priority}".`);
  if (defaults.accessibility !== 'PUBLIC' && defaults.accessibility !== 'PRIVATE') {
    throw new BoardRequestError(
      'accessibility',
      `Accessibility must be PUBLIC or PRIVATE, not "${String(defaults.accessibility)}".`,
    );
  }
  const cpu = positive(defaults.cpu, 'cpu', 'The number of vCPUs');
  const memory = positive(defaults.memory, 'memory', 'The memory (GB)');
  const quotaId = defaults.quotaId?.trim();
  return {
    maxRunningTimeMinutes: positive(
      defaults.maxRunningTimeMinutes,
      'maxRunningTimeMinutes',
      'The maximum running time (minutes)',
    ),
    accessibility: defaults.accessibility,
    priority,
    ...(cpu !== undefined ? { cpu } : {}),
    ...(memory !== undefined ? { memory } : {}),
    ...(quotaId ? { quotaId } : {}),
  };
}

function checkedJobId(value: string, field: string): string {
  const jobId = value.trim();
  // Loose on purpose: the service decides what a job ID is; this only stops text that cannot be one.
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,255}$/.test(jobId)) {
    throw new BoardRequestError(
      field,
      `"${value}" is not a job ID. DLC job IDs look like dlc1a9r0uhfn24cl or dlc-20210126170216-mtl37ge7gkvdz.`,
    );
  }
  return jobId;
}

function checkedRelativePath(value: string | undefined, field: string): string {
  const path = normalisePath(value ?? rootRelativePath);
  if (typeof path !== 'string') throw new BoardRequestError(field, path.reason);
  return path;
}

function mountOptions(options: BuildOptions): CreateTensorboardRequest {
  const raw = options.advanced?.mountPath?.trim();
  if (!raw) return {};
  const mountPath = normalisePath(raw);
  if (typeof mountPath !== 'string' || !raw.startsWith('/') || mountPath === '/') {
    throw new BoardRequestError(
      'mountPath',
      `The mount path must be an absolute folder such as /root/data/, not "${raw}".`,
    );
  }
  return { options: JSON.stringify({ mountpath: mountPath }) };
}

function safeName(text: string): string {
  return text
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
}

function boardName(candidates: readonly (string | undefined)[]): string {
  const name = candidates.map((candidate) => safeName(candidate ?? '')).find(Boolean) ?? 'board';
  const prefixed = /^tb-/i.test(name) ? name : `tb-${name}`;
  return prefixed.slice(0, maxDisplayNameLength).replace(/[-._]+$/, '');
}
