import { runningMs, type BoardRecord } from './lifecycle';
import { settleJob, type JobRecord, type World } from './world';

/** The one place where internal camelCase records become the service's PascalCase answers. */

export type StatusCase = 'capitalized' | 'lower';

/** `2021-01-12T14:35:00Z`: the service answers UTC without milliseconds. */
export function isoTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function optionalTime(ms: number | undefined): string | null {
  return ms === undefined ? null : isoTime(ms);
}

/** Leaves out undefined fields, as the service does with unset values. */
function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

export interface BoardView {
  now: number;
  statusCase: StatusCase;
  /** Where the emulator serves board pages, e.g. `http://127.0.0.1:PORT`. */
  pageOrigin: string;
}

export function boardUrl(pageOrigin: string, tensorboardId: string): string {
  return `${pageOrigin}/tensorboard/${encodeURIComponent(tensorboardId)}/`;
}

export function boardToWire(board: BoardRecord, view: BoardView): Record<string, unknown> {
  const spec = board.spec;
  return compact({
    TensorboardId: board.tensorboardId,
    DisplayName: board.displayName,
    Status: view.statusCase === 'lower' ? board.status.toLowerCase() : board.status,
    // A string of seconds on boards (an integer on jobs), as documented.
    Duration: String(Math.floor(runningMs(board, view.now) / 1000)),
    GmtCreateTime: isoTime(board.createdAt),
    GmtModifyTime: isoTime(board.modifiedAt),
    GmtFinishTime: optionalTime(board.finishedAt),
    TensorboardUrl: boardUrl(view.pageOrigin, board.tensorboardId),
    WorkspaceId: board.workspaceId,
    UserId: board.userId,
    Username: board.username,
    JobId: spec.jobId,
    DataSourceId: spec.dataSourceId,
    DataSourceType: spec.dataSourceType,
    Options: spec.options,
    SummaryPath: spec.summaryPath,
    SummaryRelativePath: spec.summaryRelativePath,
    MaxRunningTimeMinutes: spec.maxRunningTimeMinutes,
    Cpu: spec.cpu,
    Memory: spec.memory,
    Priority: spec.priority,
    Accessibility: spec.accessibility,
    QuotaId: spec.quotaId,
    TensorboardDataSources: spec.tensorboardDataSources,
    TensorboardSpec: spec.tensorboardSpec,
    ReasonCode: board.reason?.code,
    ReasonMessage: board.reason?.message,
  });
}

const finishField: Record<string, string> = {
  Succeeded: 'GmtSuccessedTime', // sic: the API's spelling
  Failed: 'GmtFailedTime',
  Stopped: 'GmtStoppedTime',
};

export function jobDurationSeconds(job: JobRecord, now: number): number {
  if (job.runningAt === undefined) return 0;
  return Math.max(0, Math.floor(((job.finishedAt ?? now) - job.runningAt) / 1000));
}

/** A ListJobs item; GetJob (`detail`) adds each data source's Uri and the status history. */
export function jobToWire(job: JobRecord, world: World, now: number, detail: boolean): Record<string, unknown> {
  settleJob(job, now);
  const user = world.users.get(job.userId);
  const workspace = world.workspaces.get(job.workspaceId);
  const finishedAt = job.finishedAt;
  const wire = compact({
    JobId: job.jobId,
    DisplayName: job.displayName,
    JobType: job.jobType,
    Status: job.status,
    UserId: job.userId,
    Username: user?.username,
    WorkspaceId: job.workspaceId,
    WorkspaceName: workspace?.workspaceName,
    ResourceType: job.resourceType,
    Accessibility: job.accessibility,
    Priority: job.priority,
    ReasonCode: job.reasonCode,
    ReasonMessage: job.reasonMessage,
    UserCommand: job.userCommand,
    GmtCreateTime: isoTime(job.createdAt),
    GmtSubmittedTime: isoTime(job.createdAt),
    GmtRunningTime: optionalTime(job.runningAt) ?? undefined,
    GmtFinishTime: optionalTime(finishedAt),
    GmtModifiedTime: isoTime(finishedAt ?? job.runningAt ?? job.createdAt),
    Duration: jobDurationSeconds(job, now),
    IsDeleted: false,
    DataSources: job.dataSources.map((source) =>
      compact({
        DataSourceId: source.dataSourceId,
        MountPath: source.mountPath,
        Uri: detail ? world.datasets.get(source.dataSourceId)?.uri : undefined,
      }),
    ),
  });
  const finishName = finishField[job.status];
  if (finishName && finishedAt !== undefined) wire[finishName] = isoTime(finishedAt);
  if (detail) wire.StatusHistory = statusHistory(job);
  return wire;
}

function statusHistory(job: JobRecord): Record<string, unknown>[] {
  const steps: Record<string, unknown>[] = [];
  const runningAt = job.runningAt;
  steps.push({
    Status: 'Queuing',
    StartTime: isoTime(job.createdAt),
    EndTime: optionalTime(runningAt ?? job.finishedAt),
  });
  if (runningAt !== undefined) {
    steps.push({ Status: 'Running', StartTime: isoTime(runningAt), EndTime: optionalTime(job.finishedAt) });
  }
  if (job.finishedAt !== undefined) {
    steps.push(
      compact({
        Status: job.status,
        StartTime: isoTime(job.finishedAt),
        EndTime: isoTime(job.finishedAt),
        ReasonCode: job.reasonCode,
        ReasonMessage: job.reasonMessage,
      }),
    );
  }
  return steps;
}
