import * as z from 'zod/mini';

// The one place where the wire's PascalCase meets the extension's camelCase. Requests: validated camelCase in,
// PascalCase out. Responses: the service's PascalCase in (tolerantly), camelCase domain objects out.

// ---------------------------------------------------------------------------------------------------------------
// Domain types

export interface TensorboardDataSource {
  directoryName?: string;
  name?: string;
  id?: string;
  dataSourceType?: string;
  uri?: string;
  /** `datasource` or `dlcjob`. */
  sourceType?: string;
  summaryPath?: string;
  fullSummaryPath?: string;
}

/** The pay-as-you-go resources of a board. */
export interface TensorboardSpec {
  ecsType?: string;
  vpcId?: string;
  switchId?: string;
  securityGroupId?: string;
}

/** A board as GetTensorboard and ListTensorboards describe it. Text the service leaves out is ''. */
export interface Tensorboard {
  tensorboardId: string;
  /** As the service spells it: `Running` and `running` both occur. */
  status: string;
  displayName: string;
  /** `TensorboardUrl`. */
  url: string;
  jobId: string;
  summaryPath: string;
  summaryRelativePath: string;
  dataSourceId: string;
  dataSourceType: string;
  uri?: string;
  /** JSON text such as `{"mountpath":"/root/data/"}`. */
  options?: string;
  workspaceId: string;
  accessibility: string;
  /** "1" (lowest) to "9". */
  priority: string;
  cpu?: number;
  /** GB. */
  memory?: number;
  maxRunningTimeMinutes?: number;
  /** The service's `Duration`, a string of seconds on boards; 0 when absent. */
  durationSeconds: number;
  /** UTC ISO-8601 as sent, e.g. `2021-01-12T14:35:00Z`. */
  gmtCreateTime: string;
  gmtModifyTime: string;
  gmtFinishTime?: string;
  reasonCode: string;
  reasonMessage: string;
  userId: string;
  username: string;
  quotaId: string;
  quotaName: string;
  tensorboardDataSources: TensorboardDataSource[];
  tensorboardSpec?: TensorboardSpec;
  token?: string;
  /** Present on GetTensorboard, whose whole body is the board. */
  requestId?: string;
}

export interface JobDataSource {
  dataSourceId: string;
  mountPath: string;
  /** GetJob only, e.g. `oss://bucket.oss-cn-hangzhou-internal.aliyuncs.com/path/`. */
  uri?: string;
}

export interface JobCodeSource {
  codeSourceId?: string;
  branch?: string;
  commit?: string;
  mountPath?: string;
}

/** A DLC job as ListJobs and GetJob describe it (the fields a job picker needs). Text left out is ''. */
export interface Job {
  jobId: string;
  status: string;
  displayName: string;
  /** `TFJob`, `PyTorchJob`, … */
  jobType: string;
  subStatus?: string;
  /** The service's `Duration`, an integer of seconds on jobs; 0 when absent. */
  durationSeconds: number;
  gmtCreateTime: string;
  gmtSubmittedTime?: string;
  gmtRunningTime?: string;
  gmtFinishTime?: string;
  gmtModifiedTime?: string;
  workspaceId: string;
  workspaceName: string;
  userId: string;
  username: string;
  resourceId?: string;
  resourceQuotaName?: string;
  resourceType?: string;
  accessibility?: string;
  priority?: number;
  userCommand?: string;
  /** Where the job's summaries usually live: the candidates for a board's SummaryPath. */
  dataSources: JobDataSource[];
  codeSource?: JobCodeSource;
  reasonCode: string;
  reasonMessage: string;
  /** Present on GetJob. */
  requestId?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Tolerant wire primitives

interface BigNumberLike {
  toFixed(): string;
}

// pop-core parses with json-bigint, which turns integers beyond 2^53 into bignumber.js objects.
const isBigNumber = (value: unknown): value is BigNumberLike =>
  typeof value === 'object' && value !== null && (value as { _isBigNumber?: unknown })._isBigNumber === true;
const bigNumber = z.custom<BigNumberLike>(isBigNumber);

/** A string on the wire, accepted also as a number when the service leaves it unquoted. */
const text = z.pipe(
  z.union([z.string(), z.number(), bigNumber]),
  z.transform((value): string =>
    typeof value === 'string' ? value : isBigNumber(value) ? value.toFixed() : String(value),
  ),
);

/** An integer on the wire, accepted also as a decimal string (boards send `Duration` as one). */
const integer = z.pipe(
  z.union([z.number(), bigNumber, z.string().check(z.regex(/^\s*-?\d+(\.\d+)?\s*$/))]),
  z.transform((value): number => Number(isBigNumber(value) ? value.toFixed() : value)),
);

/** Absent or null becomes undefined. */
const optional = <T extends z.ZodMiniType>(schema: T) =>
  z.pipe(
    z.optional(z.nullable(schema)),
    z.transform((value): z.output<T> | undefined => value ?? undefined),
  );

/** Absent or null becomes `fallback`. */
const orElse = <T extends z.ZodMiniType>(schema: T, fallback: z.output<T>) =>
  z.pipe(
    z.optional(z.nullable(schema)),
    z.transform((value): z.output<T> => value ?? fallback),
  );

const list = <T extends z.ZodMiniType>(item: T) =>
  z.pipe(
    z.optional(z.nullable(z.array(item))),
    z.transform((items): z.output<T>[] => items ?? []),
  );

type CamelKeys<T> = { [K in keyof T as K extends string ? Uncapitalize<K> : K]: T[K] };

/** `TensorboardId` → `tensorboardId`; undefined values are left out. */
function camelKeys<T extends object>(wire: T): CamelKeys<T> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wire)) {
    if (value !== undefined) result[key.charAt(0).toLowerCase() + key.slice(1)] = value;
  }
  return result as CamelKeys<T>;
}

// ---------------------------------------------------------------------------------------------------------------
// Responses

const tensorboardDataSourceWire = z.pipe(
  z.object({
    DirectoryName: optional(text),
    Name: optional(text),
    Id: optional(text),
    DataSourceType: optional(text),
    Uri: optional(text),
    SourceType: optional(text),
    SummaryPath: optional(text),
    FullSummaryPath: optional(text),
  }),
  z.transform((wire): TensorboardDataSource => camelKeys(wire)),
);

const tensorboardSpecWire = z.pipe(
  z.object({
    EcsType: optional(text),
    VpcId: optional(text),
    SwitchId: optional(text),
    SecurityGroupId: optional(text),
  }),
  z.transform((wire): TensorboardSpec => camelKeys(wire)),
);

const tensorboardWire = z.pipe(
  z.object({
    TensorboardId: text,
    Status: text,
    DisplayName: orElse(text, ''),
    TensorboardUrl: orElse(text, ''),
    JobId: orElse(text, ''),
    SummaryPath: orElse(text, ''),
    SummaryRelativePath: orElse(text, ''),
    DataSourceId: orElse(text, ''),
    DataSourceType: orElse(text, ''),
    Uri: optional(text),
    Options: optional(text),
    WorkspaceId: orElse(text, ''),
    Accessibility: orElse(text, ''),
    Priority: orElse(text, ''),
    Cpu: optional(integer),
    Memory: optional(integer),
    MaxRunningTimeMinutes: optional(integer),
    Duration: orElse(integer, 0),
    GmtCreateTime: orElse(text, ''),
    GmtModifyTime: orElse(text, ''),
    GmtFinishTime: optional(text),
    ReasonCode: orElse(text, ''),
    ReasonMessage: orElse(text, ''),
    UserId: orElse(text, ''),
    Username: orElse(text, ''),
    QuotaId: orElse(text, ''),
    QuotaName: orElse(text, ''),
    TensorboardDataSources: list(tensorboardDataSourceWire),
    TensorboardSpec: optional(tensorboardSpecWire),
    Token: optional(text),
    RequestId: optional(text),
  }),
  z.transform(({ TensorboardUrl, Duration, ...rest }): Tensorboard => ({
    ...camelKeys(rest),
    url: TensorboardUrl,
    durationSeconds: Duration,
  })),
);

const jobWire = z.pipe(
  z.object({
    JobId: text,
    Status: text,
    DisplayName: orElse(text, ''),
    JobType: orElse(text, ''),
    SubStatus: optional(text),
    Duration: orElse(integer, 0),
    GmtCreateTime: orElse(text, ''),
    GmtSubmittedTime: optional(text),
    GmtRunningTime: optional(text),
    GmtFinishTime: optional(text),
    GmtModifiedTime: optional(text),
    WorkspaceId: orElse(text, ''),
    WorkspaceName: orElse(text, ''),
    UserId: orElse(text, ''),
    Username: orElse(text, ''),
    ResourceId: optional(text),
    ResourceQuotaName: optional(text),
    ResourceType: optional(text),
    Accessibility: optional(text),
    Priority: optional(integer),
    UserCommand: optional(text),
    DataSources: list(
      z.pipe(
        z.object({ DataSourceId: orElse(text, ''), MountPath: orElse(text, ''), Uri: optional(text) }),
        z.transform((wire): JobDataSource => camelKeys(wire)),
      ),
    ),
    CodeSource: optional(
      z.pipe(
        z.object({
          CodeSourceId: optional(text),
          Branch: optional(text),
          Commit: optional(text),
          MountPath: optional(text),
        }),
        z.transform((wire): JobCodeSource => camelKeys(wire)),
      ),
    ),
    ReasonCode: orElse(text, ''),
    ReasonMessage: orElse(text, ''),
    RequestId: optional(text),
  }),
  z.transform(({ Duration, ...rest }): Job => ({ ...camelKeys(rest), durationSeconds: Duration })),
);

/** Every success carries a RequestId; should one not, the caller gets '' rather than a failed call. */
const requestId = orElse(text, '');

export const responseSchemas = {
  CreateTensorboard: z.pipe(
    z.object({ TensorboardId: text, JobId: optional(text), DataSourceId: optional(text), RequestId: requestId }),
    z.transform((wire) => camelKeys(wire)),
  ),
  GetTensorboard: tensorboardWire,
  ListTensorboards: z.pipe(
    z.object({
      Tensorboards: z.nullable(z.array(tensorboardWire)),
      TotalCount: optional(integer),
      RequestId: requestId,
    }),
    z.transform(({ Tensorboards, TotalCount, RequestId }) => {
      const tensorboards = Tensorboards ?? [];
      return { tensorboards, totalCount: TotalCount ?? tensorboards.length, requestId: RequestId };
    }),
  ),
  /** StartTensorboard, StopTensorboard, DeleteTensorboard and UpdateTensorboard. */
  TensorboardAction: z.pipe(
    z.object({ TensorboardId: text, RequestId: requestId }),
    z.transform((wire) => camelKeys(wire)),
  ),
  GetTensorboardSharedUrl: z.pipe(
    z.object({ TensorboardSharedUrl: text, RequestId: requestId }),
    z.transform((wire) => ({ url: wire.TensorboardSharedUrl, requestId: wire.RequestId })),
  ),
  ListJobs: z.pipe(
    z.object({ Jobs: z.nullable(z.array(jobWire)), TotalCount: optional(integer), RequestId: requestId }),
    z.transform(({ Jobs, TotalCount, RequestId }) => {
      const jobs = Jobs ?? [];
      return { jobs, totalCount: TotalCount ?? jobs.length, requestId: RequestId };
    }),
  ),
  GetJob: jobWire,
};

// ---------------------------------------------------------------------------------------------------------------
// Requests

type PascalKeys<T> = { [K in keyof T as K extends string ? Capitalize<K> : K]: T[K] };

/** `tensorboardId` → `TensorboardId`, through nested objects and arrays; undefined values are left out. */
function pascalKeys<T extends object>(value: T): PascalKeys<T> {
  const convert = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(convert);
    if (typeof item !== 'object' || item === null || item instanceof Date) return item;
    const result: Record<string, unknown> = {};
    for (const [key, nested] of Object.entries(item)) {
      if (nested !== undefined) result[key.charAt(0).toUpperCase() + key.slice(1)] = convert(nested);
    }
    return result;
  };
  return convert(value) as PascalKeys<T>;
}

/**
 * Query values as pop-core must receive them: it signs `undefined`/`null` as text but sends them empty, and signs
 * an array as `a,b` but sends `a=1&a=2`, so either breaks the signature. Empty strings are left out too (the
 * gateway's handling of `a=` is unconfirmed) and booleans and numbers become strings.
 */
export function toQuery(values: Record<string, unknown>): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'string') query[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') query[key] = String(value);
    else throw new TypeError(`query parameter ${key} must be a string, number or boolean`);
  }
  return query;
}

const id = z.string().check(z.trim(), z.minLength(1), z.maxLength(256));
const name = z.string().check(z.trim(), z.minLength(1));
const positiveInt = z.int().check(z.minimum(1));
const accessibility = z.enum(['PUBLIC', 'PRIVATE']);
const priority = z.string().check(z.regex(/^[1-9]$/));
const order = z.enum(['asc', 'desc']);
const pageNumber = z.int().check(z.minimum(1), z.maximum(1000));
const pageSize = z.int().check(z.minimum(1), z.maximum(100));

/** The service filters by UTC ISO-8601 without milliseconds, e.g. `2020-11-08T16:00:00Z`. */
const instant = z.pipe(
  z.pipe(
    z.union([z.date(), z.string()]),
    z.transform((value) => new Date(value)),
  ),
  z.pipe(
    z.date(),
    z.transform((date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z')),
  ),
);

/** `Options` is JSON text on the wire; an object is accepted and serialised. */
const jsonText = z.pipe(
  z.union([z.string(), z.record(z.string(), z.unknown())]),
  z.transform((value) => (typeof value === 'string' ? value : JSON.stringify(value))),
);

const dataSourceItem = z.object({
  dataSourceType: z.optional(name),
  dataSourceId: z.optional(id),
  displayName: z.optional(name),
  description: z.optional(z.string()),
  fileSystemId: z.optional(name),
  path: z.optional(name),
  endpoint: z.optional(name),
  options: z.optional(jsonText),
  mountPath: z.optional(name),
  userId: z.optional(name),
  gmtCreateTime: z.optional(name),
  gmtModifyTime: z.optional(name),
});

const tensorboardDataSourceSpec = z.object({
  directoryName: z.optional(name),
  name: z.optional(name),
  id: z.optional(id),
  dataSourceType: z.optional(name),
  uri: z.optional(name),
  sourceType: z.optional(name),
  summaryPath: z.optional(name),
  fullSummaryPath: z.optional(name),
});

const tensorboardSpec = z.object({
  ecsType: z.optional(name),
  vpcId: z.optional(name),
  switchId: z.optional(name),
  securityGroupId: z.optional(name),
});

/**
 * The camelCase shapes of CreateTensorboard's rare objects, for checking settings that hold them
 * (core/newBoardSettings).
 */
export const createTensorboardParts = { dataSourceItem, tensorboardSpec };

const createTensorboardRequest = z.object({
  workspaceId: z.optional(id),
  jobId: z.optional(id),
  dataSourceId: z.optional(id),
  /** `OSS` or `NAS`. */
  dataSourceType: z.optional(name),
  /** `oss://bucket.endpoint/path` or `nas://filesystem-id.region/path`. */
  uri: z.optional(name),
  /** JSON text or an object, e.g. `{ mountpath: '/root/data/' }`. */
  options: z.optional(jsonText),
  summaryPath: z.optional(name),
  /** pai-python-sdk sends it always ("required for CreateTensorBoard"). */
  summaryRelativePath: z.optional(name),
  displayName: z.optional(name),
  /** e.g. `job`. */
  sourceType: z.optional(name),
  sourceId: z.optional(id),
  maxRunningTimeMinutes: z.optional(positiveInt),
  dataSources: z.optional(z.array(dataSourceItem)),
  cpu: z.optional(positiveInt),
  /** GB. */
  memory: z.optional(positiveInt),
  /** When non-empty the service ignores dataSourceId, uri, dataSourceType and the like. */
  tensorboardDataSources: z.optional(z.array(tensorboardDataSourceSpec)),
  tensorboardSpec: z.optional(tensorboardSpec),
  quotaId: z.optional(id),
  /** "1" (lowest, the default) to "9". */
  priority: z.optional(priority),
  accessibility: z.optional(accessibility),
});

const listTensorboardsQuery = z.object({
  verbose: z.optional(z.boolean()),
  workspaceId: z.optional(id),
  sourceType: z.optional(name),
  sourceId: z.optional(id),
  displayName: z.optional(name),
  status: z.optional(name),
  /** Creation-time filter; without StartTime/EndTime the service returns only the last 7 days. */
  startTime: z.optional(instant),
  endTime: z.optional(instant),
  /** `DisplayName` or `GmtCreateTime`. */
  sortBy: z.optional(name),
  pageNumber: z.optional(pageNumber),
  pageSize: z.optional(pageSize),
  order: z.optional(order),
  jobId: z.optional(id),
  tensorboardId: z.optional(id),
  /** Service default: true. */
  showOwn: z.optional(z.boolean()),
  /** `Free` or `Postpaid`. */
  paymentType: z.optional(name),
  userId: z.optional(name),
  username: z.optional(name),
  quotaId: z.optional(id),
  accessibility: z.optional(accessibility),
});

const listJobsQuery = z.object({
  displayName: z.optional(name),
  jobType: z.optional(name),
  status: z.optional(name),
  /** Creation-time filter; without StartTime/EndTime the service returns only the last 7 days. */
  startTime: z.optional(instant),
  endTime: z.optional(instant),
  pageNumber: z.optional(pageNumber),
  pageSize: z.optional(pageSize),
  /** `DisplayName`, `JobType`, `Status`, `GmtCreateTime` or `GmtFinishTime`. */
  sortBy: z.optional(name),
  order: z.optional(order),
  /** Service default: true. */
  showOwn: z.optional(z.boolean()),
  workspaceId: z.optional(id),
  resourceId: z.optional(id),
  businessUserId: z.optional(name),
  caller: z.optional(name),
  /** Sent as JSON text (the API's `style: json`). */
  tags: z.optional(
    z.pipe(
      z.record(z.string(), z.string()),
      z.transform((tags) => JSON.stringify(tags)),
    ),
  ),
  pipelineId: z.optional(id),
  /** Needs showOwn true. */
  fromAllWorkspaces: z.optional(z.boolean()),
  jobId: z.optional(id),
  userIdForFilter: z.optional(name),
  username: z.optional(name),
  resourceQuotaName: z.optional(name),
  accessibility: z.optional(accessibility),
  oversoldInfo: z.optional(name),
  /** `PrePaid`, `Spot` or `PostPaid`. */
  paymentType: z.optional(name),
  /** Sent comma-separated: pop-core cannot sign an array. */
  jobIds: z.optional(
    z.pipe(
      z.array(id),
      z.transform((ids) => ids.join(',')),
    ),
  ),
  displayNameSearchMode: z.optional(name),
});

export type CreateTensorboardRequest = z.input<typeof createTensorboardRequest>;
export type ListTensorboardsQuery = z.input<typeof listTensorboardsQuery>;
export type ListJobsQuery = z.input<typeof listJobsQuery>;
export type GetTensorboardOptions = z.input<typeof requestSchemas.getTensorboard>;
export type TensorboardUpdate = z.input<typeof requestSchemas.updateTensorboard>;
export type SharedUrlOptions = z.input<typeof requestSchemas.getTensorboardSharedUrl>;
export type GetJobOptions = z.input<typeof requestSchemas.getJob>;

const workspaceOnly = z.pipe(
  z.object({ workspaceId: z.optional(id) }),
  z.transform((q) => toQuery(pascalKeys(q))),
);

/** Each turns the caller's camelCase argument into the JSON body or query the wire expects. */
export const requestSchemas = {
  id,
  createTensorboard: z.pipe(
    createTensorboardRequest,
    z.transform((request) => pascalKeys(request)),
  ),
  getTensorboard: z.pipe(
    z.object({ workspaceId: z.optional(id), jobId: z.optional(id), token: z.optional(name) }),
    // The API spells GetTensorboard's job parameter `JodId`.
    z.transform(({ jobId, ...rest }) => toQuery({ ...pascalKeys(rest), JodId: jobId })),
  ),
  listTensorboards: z.pipe(
    listTensorboardsQuery,
    z.transform((query) => toQuery(pascalKeys(query))),
  ),
  workspaceOnly,
  updateTensorboard: z.pipe(
    z.object({
      workspaceId: z.optional(id),
      maxRunningTimeMinutes: z.optional(positiveInt),
      accessibility: z.optional(accessibility),
      priority: z.optional(priority),
    }),
    z.transform((changes) => toQuery(pascalKeys(changes))),
  ),
  getTensorboardSharedUrl: z.pipe(
    z.object({
      expireTimeSeconds: z.optional(z.int().check(z.minimum(1), z.maximum(604800))),
      workspaceId: z.optional(id),
    }),
    z.transform((options) => toQuery(pascalKeys(options))),
  ),
  listJobs: z.pipe(
    listJobsQuery,
    z.transform((query) => toQuery(pascalKeys(query))),
  ),
  getJob: z.pipe(
    z.object({ needDetail: z.optional(z.boolean()) }),
    z.transform((options) => toQuery(pascalKeys(options))),
  ),
};

// ---------------------------------------------------------------------------------------------------------------
// Issues → messages

/** zod's `strictObject`, for code that reaches zod only through wireSchemas() (newBoardSettings.ts). */
export const strictObject = z.strictObject;

/** `Tensorboards[0].Status is missing`: zod/mini has no message locale, and the path is what matters. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.slice(0, 3).map(describeIssue).join('; ');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where =
    issue.path.reduce<string>(
      (path, key) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${String(key)}` : String(key)),
      '',
    ) || 'value';
  const input: unknown = issue.input;
  if (input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union'))
    return `${where} is missing`;
  if (input === null && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) return `${where} is null`;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return `${where} must be an integer`;
      return `${where} must be a ${issue.expected}, not ${kindOf(input)}`;
    case 'invalid_union':
      return `${where} has an unexpected type (${kindOf(input)})`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return `${where} must not be empty`;
      return `${where} must be at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''}`;
    case 'too_big':
      return `${where} must be at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}`;
    case 'invalid_value':
      return `${where} must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      return `${where} has an invalid format${issue.format === 'regex' && 'pattern' in issue ? ` (${String(issue.pattern)})` : ''}`;
    default:
      return `${where} is invalid`;
  }
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid date' : 'a date';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
