import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ApiError, invalidParameter } from '../errors';
import { signShareToken } from '../jwt';
import {
  beginStart,
  beginStop,
  changeMaxRunningTime,
  settle,
  type BoardRecord,
  type BoardSpec,
  type Reason,
} from '../lifecycle';
import { boardToWire, type BoardView } from '../wire';
import { visibleTo, type Answer, type OperationContext } from './context';
import { containsIgnoringCase, equalsIgnoringCase, listParams, page } from './lists';
import { boolParam, enumParam, intParam, textParam } from './params';

const optionalText = z.string().optional();

const createBodySchema = z.object({
  WorkspaceId: optionalText,
  JobId: optionalText,
  DataSourceId: optionalText,
  DataSourceType: optionalText,
  Uri: optionalText,
  Options: optionalText,
  SummaryPath: optionalText,
  SummaryRelativePath: optionalText,
  DisplayName: optionalText,
  SourceType: optionalText,
  SourceId: optionalText,
  MaxRunningTimeMinutes: z.int().positive().optional(),
  DataSources: z.array(z.looseObject({ DataSourceId: optionalText })).optional(),
  Cpu: z.int().positive().optional(),
  Memory: z.int().positive().optional(),
  TensorboardDataSources: z
    .array(
      z.object({
        DirectoryName: optionalText,
        Name: optionalText,
        Id: optionalText,
        DataSourceType: optionalText,
        Uri: optionalText,
        SourceType: optionalText,
        SummaryPath: optionalText,
        FullSummaryPath: optionalText,
      }),
    )
    .optional(),
  TensorboardSpec: z
    .object({ EcsType: optionalText, VpcId: optionalText, SwitchId: optionalText, SecurityGroupId: optionalText })
    .optional(),
  QuotaId: optionalText,
  Priority: z
    .string()
    .regex(/^[1-9]$/, 'must be a string from "1" to "9"')
    .optional(),
  Accessibility: z.enum(['PUBLIC', 'PRIVATE']).optional(),
});

type CreateBody = z.infer<typeof createBodySchema>;

/** A JSON null is taken as "not given", as a Java backend's deserialiser would. */
function withoutNulls(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
}

function parseCreateBody(context: OperationContext): CreateBody {
  const { body, contentType, settings } = context;
  if (settings.requireJsonContentType && !(contentType ?? '').toLowerCase().startsWith('application/json')) {
    throw new ApiError(400, 'InvalidParameter', 'The request body must be sent with content-type application/json.');
  }
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidParameter('body', 'must be a JSON object.');
  }
  const parsed = createBodySchema.safeParse(withoutNulls(body as Record<string, unknown>));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidParameter(issue.path.join('.') || 'body', `${issue.message}.`);
  }
  return parsed.data;
}

function newTensorboardId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `tb${[...randomBytes(14)].map((byte) => alphabet[byte % alphabet.length]).join('')}`;
}

function resolveWorkspace(context: OperationContext, workspaceId: string | undefined): string {
  // Without WorkspaceId the service is said to fall back to the default workspace (reference §0.3, UNCONFIRMED).
  if (workspaceId === undefined) return context.world.defaultWorkspaceId;
  const workspace = context.world.workspaces.get(workspaceId);
  if (!workspace || workspace.accountId !== context.caller.accountId) {
    throw invalidParameter('WorkspaceId', `workspace ${workspaceId} does not exist.`);
  }
  return workspaceId;
}

/** Why a board made from this body will fail once it tries to start; undefined when its source exists. */
function sourceProblem(context: OperationContext, body: CreateBody): Reason | undefined {
  const { world } = context;
  const missingJob = (jobId: string): Reason => ({ code: 'JobNotFound', message: `The job ${jobId} does not exist.` });
  const missingData = (id: string): Reason => ({
    code: 'DataSourceNotFound',
    message: `The data source ${id} does not exist.`,
  });

  const specs = body.TensorboardDataSources ?? [];
  if (specs.length > 0) {
    for (const spec of specs) {
      if (!spec.Id) continue;
      if (spec.SourceType?.toLowerCase() === 'dlcjob' && !world.jobs.has(spec.Id)) return missingJob(spec.Id);
      if (spec.SourceType?.toLowerCase() === 'datasource' && !world.datasets.has(spec.Id)) return missingData(spec.Id);
    }
    return undefined;
  }
  const jobId = body.JobId ?? (body.SourceType?.toLowerCase() === 'job' ? body.SourceId : undefined);
  if (jobId !== undefined) return world.jobs.has(jobId) ? undefined : missingJob(jobId);
  if (body.DataSourceId !== undefined)
    return world.datasets.has(body.DataSourceId) ? undefined : missingData(body.DataSourceId);
  return undefined;
}

function checkSourceGiven(body: CreateBody): void {
  const hasSource =
    (body.TensorboardDataSources?.length ?? 0) > 0 ||
    body.JobId !== undefined ||
    body.SourceId !== undefined ||
    body.DataSourceId !== undefined ||
    body.Uri !== undefined;
  if (!hasSource) {
    throw new ApiError(
      400,
      'InvalidParameter',
      'The parameter JobId is invalid: a TensorBoard needs JobId, DataSourceId, Uri with DataSourceType, or TensorboardDataSources.',
    );
  }
  if (body.Uri !== undefined) {
    const type = body.DataSourceType?.toUpperCase();
    if (type !== 'OSS' && type !== 'NAS')
      throw invalidParameter('DataSourceType', 'must be OSS or NAS when Uri is given.');
    const scheme = `${type.toLowerCase()}://`;
    if (!body.Uri.toLowerCase().startsWith(scheme))
      throw invalidParameter('Uri', `must start with ${scheme} for ${type}.`);
  }
  if (body.Options !== undefined) {
    try {
      JSON.parse(body.Options);
    } catch {
      throw invalidParameter('Options', 'must be JSON text such as {"mountpath":"/root/data/"}.');
    }
  }
}

function checkQuota(context: OperationContext): void {
  const { world, caller, settings } = context;
  const counted = [...world.boards.values()].filter((board) =>
    settings.quotaScope === 'user' ? board.userId === caller.userId : board.accountId === caller.accountId,
  ).length;
  if (counted >= settings.boardQuota) {
    throw context.guessed(
      'limitExceeded',
      `The number of TensorBoards has reached the limit of ${settings.boardQuota}. Stop or delete previously created TensorBoards first.`,
    );
  }
}

export function createTensorboard(context: OperationContext): Answer {
  const body = parseCreateBody(context);
  const workspaceId = resolveWorkspace(context, body.WorkspaceId);
  checkSourceGiven(body);
  checkQuota(context);

  const { now, caller, settings } = context;
  const spec: BoardSpec = {
    jobId: body.JobId,
    dataSourceId: body.DataSourceId,
    dataSourceType: body.DataSourceType,
    uri: body.Uri,
    options: body.Options,
    summaryPath: body.SummaryPath,
    summaryRelativePath: body.SummaryRelativePath,
    sourceType: body.SourceType,
    sourceId: body.SourceId,
    maxRunningTimeMinutes: body.MaxRunningTimeMinutes ?? settings.defaultMaxRunningTimeMinutes,
    cpu: body.Cpu,
    memory: body.Memory,
    priority: body.Priority ?? '1',
    accessibility: body.Accessibility ?? 'PRIVATE',
    quotaId: body.QuotaId,
    dataSources: body.DataSources,
    tensorboardDataSources: body.TensorboardDataSources,
    tensorboardSpec: body.TensorboardSpec,
  };
  const board: BoardRecord = {
    tensorboardId: newTensorboardId(),
    displayName: body.DisplayName ?? body.JobId ?? body.SourceId ?? body.DataSourceId ?? 'tensorboard',
    userId: caller.userId,
    username: caller.username,
    accountId: caller.accountId,
    workspaceId,
    spec,
    createdAt: now,
    modifiedAt: now,
    status: 'Creating',
    statusSince: now,
    creatingTiming: 'createMs',
    sourceProblem: sourceProblem(context, body),
    runMsBefore: 0,
  };
  context.world.boards.set(board.tensorboardId, board);
  return { TensorboardId: board.tensorboardId, JobId: spec.jobId ?? '', DataSourceId: spec.dataSourceId ?? '' };
}

function boardView(context: OperationContext): BoardView {
  return { now: context.now, statusCase: context.settings.statusCase, pageOrigin: context.settings.pageOrigin };
}

/** The path's board, settled against the clock; not found when it is gone, hidden or in another workspace. */
function findBoard(context: OperationContext): BoardRecord {
  const id = context.route.id ?? '';
  const board = context.world.boards.get(id);
  const workspaceId = textParam(context.query, 'WorkspaceId');
  if (
    !board ||
    !visibleTo(context.caller, board, board.spec.accessibility) ||
    (workspaceId !== undefined && workspaceId !== board.workspaceId)
  ) {
    throw context.guessed('tensorboardNotFound', `The TensorBoard ${id} does not exist.`);
  }
  settle(board, context.now, context.settings.timings);
  return board;
}

export function getTensorboard(context: OperationContext): Answer {
  // JodId (sic) and Token are accepted and ignored: an AK-signed caller needs neither.
  return boardToWire(findBoard(context), boardView(context));
}

export function listTensorboards(context: OperationContext): Answer {
  const { query, caller, world, now } = context;
  const params = listParams(query, now);
  const sortBy = enumParam(query, 'SortBy', ['GmtCreateTime', 'DisplayName'] as const) ?? 'GmtCreateTime';
  boolParam(query, 'Verbose', false);
  const filters = {
    workspaceId: textParam(query, 'WorkspaceId'),
    status: textParam(query, 'Status'),
    displayName: textParam(query, 'DisplayName'),
    jobId: textParam(query, 'JobId'),
    tensorboardId: textParam(query, 'TensorboardId'),
    sourceId: textParam(query, 'SourceId'),
    userId: textParam(query, 'UserId'),
    username: textParam(query, 'Username'),
    quotaId: textParam(query, 'QuotaId'),
    accessibility: textParam(query, 'Accessibility'),
  };
  const matching = [...world.boards.values()].filter((board) => {
    settle(board, now, context.settings.timings);
    return (
      visibleTo(caller, board, board.spec.accessibility) &&
      (!params.showOwn || board.userId === caller.userId) &&
      board.createdAt >= params.from &&
      board.createdAt <= params.to &&
      (filters.workspaceId === undefined || board.workspaceId === filters.workspaceId) &&
      equalsIgnoringCase(board.status, filters.status) &&
      containsIgnoringCase(board.displayName, filters.displayName) &&
      (filters.jobId === undefined || board.spec.jobId === filters.jobId) &&
      (filters.tensorboardId === undefined || board.tensorboardId === filters.tensorboardId) &&
      (filters.sourceId === undefined || (board.spec.sourceId ?? board.spec.jobId) === filters.sourceId) &&
      (filters.userId === undefined || board.userId === filters.userId) &&
      containsIgnoringCase(board.username, filters.username) &&
      (filters.quotaId === undefined || board.spec.quotaId === filters.quotaId) &&
      equalsIgnoringCase(board.spec.accessibility, filters.accessibility)
    );
  });
  const { items, totalCount } = page(
    matching,
    params,
    (board) => (sortBy === 'DisplayName' ? board.displayName : board.createdAt),
    (board) => board.tensorboardId,
  );
  const view = boardView(context);
  return { Tensorboards: items.map((board) => boardToWire(board, view)), TotalCount: totalCount };
}

function invalidStatus(context: OperationContext, board: BoardRecord, action: string): ApiError {
  return context.guessed(
    'invalidStatus',
    `The TensorBoard ${board.tensorboardId} is ${board.status}; it cannot be ${action} in this status.`,
  );
}

/** Starting a board that is already Running or Creating is answered as a success and changes nothing. */
export function startTensorboard(context: OperationContext): Answer {
  const board = findBoard(context);
  if (board.status === 'Stopped' || board.status === 'Failed') beginStart(board, context.now);
  else if (board.status === 'Stopping') throw invalidStatus(context, board, 'started');
  return { TensorboardId: board.tensorboardId };
}

/** Stopping a board that is already Stopping, Stopped or Failed is answered as a success and changes nothing. */
export function stopTensorboard(context: OperationContext): Answer {
  const board = findBoard(context);
  if (board.status === 'Running' || board.status === 'Creating') beginStop(board, context.now);
  return { TensorboardId: board.tensorboardId };
}

/** "Deletes a stopped TensorBoard": anything still running must be stopped first. */
export function deleteTensorboard(context: OperationContext): Answer {
  const board = findBoard(context);
  if (board.status !== 'Stopped' && board.status !== 'Failed') throw invalidStatus(context, board, 'deleted');
  context.world.boards.delete(board.tensorboardId);
  return { TensorboardId: board.tensorboardId };
}

/** UpdateTensorboard takes its values from the query string, not a body. */
export function updateTensorboard(context: OperationContext): Answer {
  const { query, now } = context;
  const board = findBoard(context);
  const minutes = intParam(query, 'MaxRunningTimeMinutes', { min: 1, max: Number.MAX_SAFE_INTEGER });
  const accessibility = enumParam(query, 'Accessibility', ['PUBLIC', 'PRIVATE'] as const);
  const priority = textParam(query, 'Priority');
  if (priority !== undefined && !/^[1-9]$/.test(priority))
    throw invalidParameter('Priority', `must be from "1" to "9", got "${priority}".`);
  if (minutes !== undefined) changeMaxRunningTime(board, minutes, now);
  if (accessibility !== undefined) board.spec.accessibility = accessibility;
  if (priority !== undefined) board.spec.priority = priority;
  board.modifiedAt = now;
  return { TensorboardId: board.tensorboardId };
}

/** The doc's sample token lives 86400 s, so that is the default here; the documented maximum is 604800. */
export function getTensorboardSharedUrl(context: OperationContext): Answer {
  const board = findBoard(context);
  const seconds = intParam(context.query, 'ExpireTimeSeconds', { min: 1, max: 604800, fallback: 86400 });
  const iat = Math.floor(context.now / 1000);
  const token = signShareToken(
    {
      exp: iat + seconds,
      iat,
      user_id: context.caller.userId,
      target_id: board.tensorboardId,
      target_type: 'tensorboard',
    },
    context.settings.shareSecret,
  );
  const id = encodeURIComponent(board.tensorboardId);
  return { TensorboardSharedUrl: `${context.settings.pageOrigin}/share/${id}/token/${token}/` };
}
