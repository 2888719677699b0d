import type * as z from 'zod/mini';
import { checkEndpoint, endpointForRegion } from './endpoint';
import { ClientErrorCode, DlcError } from './errors';
import { redact } from './redact';
import { DEFAULT_RETRY_POLICY, retryDelay, type RetryOptions, type RetryPolicy } from './retry';
import type {
  CreateTensorboardRequest,
  GetJobOptions,
  GetTensorboardOptions,
  Job,
  ListJobsQuery,
  ListTensorboardsQuery,
  SharedUrlOptions,
  Tensorboard,
  TensorboardUpdate,
} from './schemas';
import { wireSchemas } from './wireSchemas';
import {
  isIdempotent,
  RoaTransport,
  type Attempt,
  type CredentialsProvider,
  type HttpMethod,
  type WireRequest,
} from './transport';

/** One attempt of one operation, for the extension's log. Never holds a secret. */
export interface CallEvent {
  operation: string;
  durationMs: number;
  requestId?: string;
  /** The error code when the attempt failed. */
  code?: string;
  httpStatus?: number;
  /** 1 for the first attempt. */
  attempt: number;
}

export interface DlcClientOptions {
  regionId?: string;
  /** Wins over regionId, e.g. the emulator's `http://127.0.0.1:PORT`. */
  endpoint?: string;
  credentials: CredentialsProvider;
  /** Default 10 s (pop-core's is 3 s). */
  connectTimeoutMs?: number;
  /** From connect until the whole body has arrived. Default 30 s. */
  readTimeoutMs?: number;
  /**
   * A kept-alive connection idle this long is closed. Default 4 s, below the idle time-out of common servers and
   * load balancers (5 s and more), so the client closes first and rarely sends into a connection being closed.
   */
  keepAliveIdleMs?: number;
  /** Answers larger than this are refused while they stream in (ResponseTooLarge). Default 8 MiB. */
  maxResponseBytes?: number;
  retry?: RetryOptions;
  /** Also dates the signed `date` header, so a fake clock shared with a fake server signs consistently. */
  clock?: { now(): number };
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source, in [0, 1). */
  random?: () => number;
  onCall?: (event: CallEvent) => void;
}

export interface TensorboardAction {
  tensorboardId: string;
  requestId: string;
}

type Parsed<T> = { ok: true; value: T } | Extract<Attempt, { ok: false }>;

/** The PAI-DLC (2020-12-03) TensorBoard and job operations, typed, validated, retried where safe. */
export class DlcClient {
  private readonly transport: RoaTransport;
  private readonly policy: RetryPolicy;
  private readonly clock: { now(): number };
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly onCall?: (event: CallEvent) => void;

  constructor(options: DlcClientOptions) {
    const endpoint = resolveEndpoint(options);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...definedOnly(options.retry ?? {}) };
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.policy;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || !(baseDelayMs >= 0) || !(maxDelayMs >= 0)) {
      throw invalidInput('DlcClient', 'retry.maxAttempts must be an integer ≥ 1 and the delays ≥ 0.');
    }
    const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    const readTimeoutMs = options.readTimeoutMs ?? 30_000;
    const keepAliveIdleMs = options.keepAliveIdleMs ?? 4_000;
    const maxResponseBytes = options.maxResponseBytes ?? 8 * 2 ** 20;
    if (![connectTimeoutMs, readTimeoutMs, keepAliveIdleMs].every(isTimerDelay)) {
      throw invalidInput('DlcClient', `Timeouts must be positive and at most ${MAX_TIMER_DELAY_MS} ms.`);
    }
    if (!(maxResponseBytes > 0)) throw invalidInput('DlcClient', 'maxResponseBytes must be positive.');
    this.clock = options.clock ?? Date;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.onCall = options.onCall;
    this.transport = new RoaTransport({
      endpoint,
      credentials: options.credentials,
      connectTimeoutMs,
      readTimeoutMs,
      keepAliveIdleMs,
      maxResponseBytes,
      now: () => this.clock.now(),
    });
  }

  async createTensorboard(
    request: CreateTensorboardRequest,
  ): Promise<{ tensorboardId: string; jobId?: string; dataSourceId?: string; requestId: string }> {
    const body = this.input('CreateTensorboard', wireSchemas().requestSchemas.createTensorboard, request);
    return this.call(
      { operation: 'CreateTensorboard', method: 'POST', path: '/api/v1/tensorboards', query: {}, body },
      wireSchemas().responseSchemas.CreateTensorboard,
    );
  }

  async getTensorboard(id: string, options: GetTensorboardOptions = {}): Promise<Tensorboard> {
    const operation = 'GetTensorboard';
    const query = this.input(operation, wireSchemas().requestSchemas.getTensorboard, options);
    const secrets = query.Token ? [query.Token] : [];
    return this.call(
      { operation, method: 'GET', path: this.boardPath(operation, id), query, secrets },
      wireSchemas().responseSchemas.GetTensorboard,
    );
  }

  async listTensorboards(
    query: ListTensorboardsQuery = {},
  ): Promise<{ tensorboards: Tensorboard[]; totalCount: number; requestId: string }> {
    const wireQuery = this.input('ListTensorboards', wireSchemas().requestSchemas.listTensorboards, query);
    return this.call(
      { operation: 'ListTensorboards', method: 'GET', path: '/api/v1/tensorboards', query: wireQuery },
      wireSchemas().responseSchemas.ListTensorboards,
    );
  }

  async startTensorboard(id: string, options: { workspaceId?: string } = {}): Promise<TensorboardAction> {
    return this.boardAction('StartTensorboard', 'PUT', id, '/start', options);
  }

  async stopTensorboard(id: string, options: { workspaceId?: string } = {}): Promise<TensorboardAction> {
    return this.boardAction('StopTensorboard', 'PUT', id, '/stop', options);
  }

  /** The service deletes only stopped boards. */
  async deleteTensorboard(id: string, options: { workspaceId?: string } = {}): Promise<TensorboardAction> {
    return this.boardAction('DeleteTensorboard', 'DELETE', id, '', options);
  }

  async updateTensorboard(id: string, changes: TensorboardUpdate): Promise<TensorboardAction> {
    const operation = 'UpdateTensorboard';
    // The API takes the changes as query parameters; there is no body.
    const query = this.input(operation, wireSchemas().requestSchemas.updateTensorboard, changes);
    return this.call(
      { operation, method: 'PUT', path: this.boardPath(operation, id), query },
      wireSchemas().responseSchemas.TensorboardAction,
    );
  }

  /** A link that opens the board without a console login; expireTimeSeconds is at most 604800 (7 days). */
  async getTensorboardSharedUrl(
    id: string,
    options: SharedUrlOptions = {},
  ): Promise<{ url: string; requestId: string }> {
    const operation = 'GetTensorboardSharedUrl';
    const query = this.input(operation, wireSchemas().requestSchemas.getTensorboardSharedUrl, options);
    return this.call(
      { operation, method: 'GET', path: `${this.boardPath(operation, id)}/sharedurl`, query },
      wireSchemas().responseSchemas.GetTensorboardSharedUrl,
    );
  }

  async listJobs(query: ListJobsQuery = {}): Promise<{ jobs: Job[]; totalCount: number; requestId: string }> {
    const wireQuery = this.input('ListJobs', wireSchemas().requestSchemas.listJobs, query);
    return this.call(
      { operation: 'ListJobs', method: 'GET', path: '/api/v1/jobs', query: wireQuery },
      wireSchemas().responseSchemas.ListJobs,
    );
  }

  async getJob(jobId: string, options: GetJobOptions = {}): Promise<Job> {
    const operation = 'GetJob';
    const id = this.input(operation, wireSchemas().requestSchemas.id, jobId);
    const query = this.input(operation, wireSchemas().requestSchemas.getJob, options);
    return this.call(
      { operation, method: 'GET', path: `/api/v1/jobs/${encodeURIComponent(id)}`, query },
      wireSchemas().responseSchemas.GetJob,
    );
  }

  private async boardAction(
    operation: string,
    method: HttpMethod,
    id: string,
    suffix: string,
    options: { workspaceId?: string },
  ): Promise<TensorboardAction> {
    const query = this.input(operation, wireSchemas().requestSchemas.workspaceOnly, options);
    return this.call(
      { operation, method, path: `${this.boardPath(operation, id)}${suffix}`, query },
      wireSchemas().responseSchemas.TensorboardAction,
    );
  }

  private boardPath(operation: string, id: string): string {
    return `/api/v1/tensorboards/${encodeURIComponent(this.input(operation, wireSchemas().requestSchemas.id, id))}`;
  }

  private input<S extends z.ZodMiniType>(operation: string, schema: S, value: unknown): z.output<S> {
    let result;
    try {
      result = schema.safeParse(value, { reportInput: true });
    } catch (error) {
      throw invalidInput(operation, error instanceof Error ? error.message : String(error));
    }
    if (!result.success)
      throw invalidInput(operation, `Invalid request: ${wireSchemas().describeIssues(result.error.issues)}.`);
    return result.data;
  }

  private async call<S extends z.ZodMiniType>(request: WireRequest, schema: S): Promise<z.output<S>> {
    const idempotent = isIdempotent(request.method);
    for (let attempt = 1; ; attempt++) {
      const started = this.clock.now();
      const sent = await this.transport.send(request);
      const outcome: Parsed<z.output<S>> = sent.ok ? parse(request.operation, schema, sent) : sent;
      const error = outcome.ok ? undefined : outcome.error;
      const answer = sent.ok ? sent : undefined;
      this.report(
        {
          operation: request.operation,
          durationMs: this.clock.now() - started,
          attempt,
          requestId: error ? error.requestId : answer && requestIdOf(answer.body),
          code: error?.code,
          httpStatus: error ? error.httpStatus : answer?.httpStatus,
        },
        answer?.secrets ?? [],
      );
      if (outcome.ok) return outcome.value;
      const delay = retryDelay({ ...outcome, attempt, idempotent }, this.policy, this.random);
      if (delay === undefined) throw outcome.error;
      await this.sleep(delay);
    }
  }

  /** The strings that come from the service's answer are redacted; the operation is the client's own name. */
  private report(event: CallEvent, secrets: readonly string[]): void {
    const clean = (text: string | undefined) => (text === undefined ? undefined : redact(text, secrets));
    try {
      this.onCall?.({ ...event, requestId: clean(event.requestId), code: clean(event.code) });
    } catch {
      // A failing logger must not fail the call.
    }
  }
}

function parse<S extends z.ZodMiniType>(
  operation: string,
  schema: S,
  { body, httpStatus, secrets }: Extract<Attempt, { ok: true }>,
): Parsed<z.output<S>> {
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  const error = new DlcError({
    code: ClientErrorCode.InvalidResponse,
    message: `Unexpected response: ${wireSchemas().describeIssues(result.error.issues)}.`,
    operation,
    httpStatus,
    requestId: requestIdOf(body),
    secrets,
  });
  return { ok: false, error, reachedService: true };
}

function requestIdOf(body: object): string | undefined {
  const value: unknown = (body as { RequestId?: unknown }).RequestId;
  return typeof value === 'string' && value ? value : undefined;
}

function resolveEndpoint(options: DlcClientOptions): string {
  if (options.endpoint !== undefined) {
    const check = checkEndpoint(options.endpoint);
    if (!check.ok)
      throw new DlcError({ code: ClientErrorCode.InvalidEndpoint, message: check.reason, operation: 'DlcClient' });
    return check.endpoint;
  }
  if (options.regionId === undefined) throw invalidInput('DlcClient', 'Either regionId or endpoint is required.');
  try {
    return endpointForRegion(options.regionId);
  } catch (error) {
    throw new DlcError({
      code: ClientErrorCode.InvalidEndpoint,
      message: (error as Error).message,
      operation: 'DlcClient',
    });
  }
}

/** Node's timers take a signed 32-bit delay: a longer one fires after 1 ms, so a delay is checked or clamped to this. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

const isTimerDelay = (ms: number) => ms > 0 && ms <= MAX_TIMER_DELAY_MS;

function invalidInput(operation: string, message: string): DlcError {
  return new DlcError({ code: ClientErrorCode.InvalidInput, message, operation });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
