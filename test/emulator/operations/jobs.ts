import { jobToWire } from '../wire';
import type { JobRecord } from '../world';
import { visibleTo, type Answer, type OperationContext } from './context';
import { containsIgnoringCase, equalsIgnoringCase, listParams, page, type SortKey } from './lists';
import { boolParam, enumParam, textParam } from './params';

function ownerOf(context: OperationContext, job: JobRecord): { accountId: string; userId: string } {
  return { accountId: context.world.users.get(job.userId)?.accountId ?? '', userId: job.userId };
}

const sortFields = ['GmtCreateTime', 'GmtFinishTime', 'DisplayName', 'JobType', 'Status'] as const;

function sortKeyOf(job: JobRecord, field: (typeof sortFields)[number]): SortKey {
  switch (field) {
    case 'GmtCreateTime':
      return job.createdAt;
    case 'GmtFinishTime':
      return job.finishedAt ?? 0;
    case 'DisplayName':
      return job.displayName;
    case 'JobType':
      return job.jobType;
    case 'Status':
      return job.status;
  }
}

export function listJobs(context: OperationContext): Answer {
  const { query, caller, now } = context;
  const params = listParams(query, now);
  const sortBy = enumParam(query, 'SortBy', sortFields) ?? 'GmtCreateTime';
  const statuses = textParam(query, 'Status')
    ?.split(',')
    .map((status) => status.trim().toLowerCase());
  const jobIds = textParam(query, 'JobIds')
    ?.split(',')
    .map((id) => id.trim());
  const filters = {
    workspaceId: textParam(query, 'WorkspaceId'),
    displayName: textParam(query, 'DisplayName'),
    jobType: textParam(query, 'JobType'),
    jobId: textParam(query, 'JobId'),
    userId: textParam(query, 'UserIdForFilter'),
    username: textParam(query, 'Username'),
    accessibility: textParam(query, 'Accessibility'),
  };
  // FromAllWorkspaces only widens a search that WorkspaceId would narrow; without WorkspaceId all are searched.
  const allWorkspaces = boolParam(query, 'FromAllWorkspaces', false);
  const matching = [...context.world.jobs.values()].filter(
    (job) =>
      visibleTo(caller, ownerOf(context, job), job.accessibility) &&
      (!params.showOwn || job.userId === caller.userId) &&
      job.createdAt >= params.from &&
      job.createdAt <= params.to &&
      (allWorkspaces || filters.workspaceId === undefined || job.workspaceId === filters.workspaceId) &&
      containsIgnoringCase(job.displayName, filters.displayName) &&
      equalsIgnoringCase(job.jobType, filters.jobType) &&
      (statuses === undefined || statuses.includes(job.status.toLowerCase())) &&
      containsIgnoringCase(job.jobId, filters.jobId) &&
      (jobIds === undefined || jobIds.includes(job.jobId)) &&
      (filters.userId === undefined || job.userId === filters.userId) &&
      containsIgnoringCase(context.world.users.get(job.userId)?.username, filters.username) &&
      equalsIgnoringCase(job.accessibility, filters.accessibility),
  );
  const { items, totalCount } = page(
    matching,
    params,
    (job) => sortKeyOf(job, sortBy),
    (job) => job.jobId,
  );
  return { Jobs: items.map((job) => jobToWire(job, context.world, now, false)), TotalCount: totalCount };
}

export function getJob(context: OperationContext): Answer {
  const id = context.route.id ?? '';
  const job = context.world.jobs.get(id);
  if (!job || !visibleTo(context.caller, ownerOf(context, job), job.accessibility)) {
    throw context.guessed('jobNotFound', `The job ${id} does not exist.`);
  }
  const detail = boolParam(context.query, 'NeedDetail', true);
  return jobToWire(job, context.world, context.now, detail);
}
