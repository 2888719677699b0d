import type { Clock } from './clock';
import type { OssEmulator, OssOptions } from './oss/server';
import type { RealBoardsState } from './realBoards';
import type { Seed } from './seed';

export type OperationName =
  | 'CreateTensorboard'
  | 'GetTensorboard'
  | 'ListTensorboards'
  | 'StartTensorboard'
  | 'StopTensorboard'
  | 'DeleteTensorboard'
  | 'UpdateTensorboard'
  | 'GetTensorboardSharedUrl'
  | 'ListJobs'
  | 'GetJob';

export const operationNames: readonly OperationName[] = [
  'CreateTensorboard',
  'GetTensorboard',
  'ListTensorboards',
  'StartTensorboard',
  'StopTensorboard',
  'DeleteTensorboard',
  'UpdateTensorboard',
  'GetTensorboardSharedUrl',
  'ListJobs',
  'GetJob',
];

/** How long each transient board state lasts. */
export interface Timings {
  /** Creating -> Running after CreateTensorboard. */
  createMs: number;
  /** Creating -> Running after StartTensorboard. */
  startMs: number;
  /** Stopping -> Stopped. */
  stopMs: number;
}

/** How the board proxy in front of TensorBoard behaves; see EmulatorOptions for each. */
export interface PageSwitches {
  tensorboardUrlNeedsLogin: boolean;
  frameLimits: boolean;
  shareCookie: boolean;
  /** A running board's page answers 502, as a board proxy whose TensorBoard never answers (default false). */
  boardPageDown: boolean;
  /**
   * A running board's page is its real TensorBoard (where one is installed) rather than the placeholder (default
   * `realBoardPages`): a test that reads a board's data turns it on for itself.
   */
  realBoards: boolean;
}

export type FaultKind =
  | 'throttling'
  | 'internalError'
  | 'serviceUnavailable'
  | 'htmlBadGateway'
  | 'delay'
  | 'drop'
  | 'malformedJson'
  | 'missingField';

export interface Fault {
  kind: FaultKind;
  /** Only requests for this operation; any API operation when absent. */
  operation?: OperationName;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /** throttling: also send `x-acs-retry-after` with this many seconds. */
  retryAfterSeconds?: number;
  /** delay: how long to hold the request before answering normally (default 30000); reset() and stop() drop it unanswered. */
  delayMs?: number;
  /** missingField: the top-level field to leave out (default: the operation's key field). */
  field?: string;
  /** Only requests whose path names this TensorBoard or job ID (one board's StopTensorboard, say); any when absent. */
  id?: string;
}

/** STS and the two credential endpoints (metadata.ts). */
export type CredentialOperationName =
  | 'AssumeRole'
  | 'AssumeRoleWithOIDC'
  | 'GetMetadataToken'
  | 'GetInstanceRoleName'
  | 'GetInstanceRoleCredentials'
  | 'GetRegionId'
  | 'GetUriCredentials';

/** A request for a board, share or login page: the bench counts the extension host's probes by it. */
export interface PageRequest {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  /** Sent by a browser (its user agent says Chrome), not by the extension host's probes or proxy. */
  readonly fromBrowser: boolean;
  /** The answer's status and when it was sent in full (the emulator's clock), once it was; the bench's share (#23). */
  status?: number;
  answeredAt?: number;
}

export interface RecordedRequest {
  operation?: OperationName | CredentialOperationName;
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  /** Request headers, with `authorization`, `x-acs-security-token` and `x-aliyun-ecs-metadata-token` redacted (also `Signature` and `SecurityToken` in the query). */
  headers: Record<string, string>;
  /** 0 while the answer is pending (e.g. a delay fault) and for a dropped connection. */
  status: number;
  code?: string;
  /** The fault applied to this request, if any. */
  fault?: FaultKind;
  /** The AccessKey ID a PAI-DLC request was signed with, once its signature checked out. */
  accessKeyId?: string;
  /** Emulator clock when the request arrived. */
  at: number;
}

/** Error answers whose code or HTTP status the reference could not confirm; each can be overridden. */
export type GuessedErrorKey =
  | 'tensorboardNotFound'
  | 'jobNotFound'
  | 'limitExceeded'
  | 'invalidStatus'
  | 'missingVersion'
  | 'invalidVersion'
  | 'accessKeyNotFound'
  | 'v3SignatureDoesNotMatch'
  | 'contentSha256Mismatch';

export interface ErrorOverride {
  code?: string;
  status?: number;
}

export interface EmulatorOptions {
  /** 0 = any free port (default). */
  port?: number;
  /** Seed object or path to a seed JSON file (default: test/emulator/seed.json). */
  seed?: Seed | string;
  clock?: Clock;
  timings?: Partial<Timings>;
  /** Boards per account, counting every board not deleted (default 5). */
  boardQuota?: number;
  /** Whether the quota counts the whole account's boards (default) or only the caller's. */
  quotaScope?: 'account' | 'user';
  /** Letter case of board Status values (default 'capitalized': `Running`; 'lower': `running` as in the doc sample). */
  statusCase?: 'capitalized' | 'lower';
  /** Whether a plain TensorboardUrl visit needs a console login (default true). */
  tensorboardUrlNeedsLogin?: boolean;
  /** The `realBoards` page switch after start and each reset (default true). */
  realBoardPages?: boolean;
  /** Send `X-Frame-Options: DENY` and `frame-ancestors 'none'` on board pages (default false). */
  frameLimits?: boolean;
  /** Shared link exchanges its token for a session cookie and redirects (default false: the token alone works). */
  shareCookie?: boolean;
  /** Reject a CreateTensorboard body sent without `content-type: application/json` (default false). */
  requireJsonContentType?: boolean;
  /** MaxRunningTimeMinutes applied when CreateTensorboard gives none (default: none, boards never stop by themselves). */
  defaultMaxRunningTimeMinutes?: number;
  /** Also listen on `https://127.0.0.1:PORT` with a self-signed certificate made by openssl at start (needed by STS clients, which speak only https). */
  https?: boolean;
  /** Lifetime of the instance-metadata role credentials (default 21600 s = 6 h). */
  instanceCredentialSeconds?: number;
  /** Instance metadata in hardening-only mode: every GET needs an `x-aliyun-ecs-metadata-token` (default false). */
  metadataTokenRequired?: boolean;
  /** Replace the guessed code and/or HTTP status of an error. */
  errorOverrides?: Partial<Record<GuessedErrorKey, ErrorOverride>>;
  /**
   * The tensorboard executable that serves running boards' pages (default: $PAI_EMULATOR_TENSORBOARD, else
   * `.vscode-test/tensorboard-venv/bin/tensorboard` from `npm run setup:tensorboard`). `false`, or a path that is not
   * executable: a placeholder page instead, and `realBoards()` says why.
   */
  tensorboard?: string | false;
  /**
   * The local folder standing for OSS and NAS: `oss://<bucket>[.<endpoint>]/<path>` is `<storageRoot>/oss/<bucket>/<path>`,
   * `nas://<fs-id>[.<region>]/<path>` is `<storageRoot>/nas/<fs-id>/<path>`, job summaries are `<storageRoot>/jobs/<job-id>/`;
   * the seed's sample runs are copied in where missing (default: a temporary folder, removed by stop()).
   */
  storageRoot?: string;
  /** The emulated OSS (oss/server.ts): buckets, V1 acceptance, guessed error codes. */
  oss?: OssOptions;
  /** Its loopback port (default 0: any free port). */
  ossPort?: number;
}

export type BoardStatusName = 'Creating' | 'Running' | 'Stopping' | 'Stopped' | 'Failed';

export type JobEndName = 'Succeeded' | 'Failed' | 'Stopped';

export interface StsCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** Emulator clock, ms. */
  expiresAt: number;
}

/** Credentials the emulator handed out, for tests that look for leaked secrets. */
export interface IssuedCredentials extends StsCredentials {
  /** `sts`: AssumeRole; `oidc`: AssumeRoleWithOIDC. */
  source: 'control' | 'sts' | 'oidc' | 'metadata' | 'uri';
  /** Emulator clock, ms. */
  issuedAt: number;
  roleArn?: string;
  sessionName?: string;
}

/** What `issueOidcToken` signs; each absent field takes the provider's own value (a token STS accepts). */
export interface OidcTokenRequest {
  /** Default: the seed's first OIDC provider. */
  providerArn?: string;
  /** From the emulator clock; default one hour. Zero or less: already expired. */
  ttlMs?: number;
  issuer?: string;
  audience?: string;
  subject?: string;
}

export interface OidcToken {
  /** The JWT, as an ACK pod finds it in ALIBABA_CLOUD_OIDC_TOKEN_FILE. */
  token: string;
  providerArn: string;
  issuer: string;
  /** Emulator clock, ms. */
  expiresAt: number;
}

/** A snapshot for tests in another process (`GET /__emulator/state`). */
export interface EmulatorState {
  now: number;
  endpoint: string;
  httpsEndpoint?: string;
  stsEndpoint?: string;
  caCertPath?: string;
  regionId: string;
  workspaceId: string;
  timings: Timings;
  faults: Fault[];
  boards: Array<Record<string, unknown>>;
  jobs: Array<Record<string, unknown>>;
  realBoards: RealBoardsState;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly endpoint: string;
  readonly regionId: string;
  readonly workspaceId: string;
  /** The demo AccessKey pair. */
  readonly credentials: { accessKeyId: string; accessKeySecret: string };
  readonly clock: Clock;
  /** `https://127.0.0.1:PORT` when started with `https: true`: the same routes as `endpoint`, e.g. STS. */
  readonly httpsEndpoint?: string;
  /** The self-signed certificate of `httpsEndpoint` (PEM file), to trust with NODE_EXTRA_CA_CERTS. */
  readonly caCertPath?: string;
  /** The STS host for `stsEndpoint` configs: `127.0.0.1:PORT` of the https listener (undefined without it). */
  readonly stsEndpoint?: string;
  issueStsCredentials(ttlMs?: number): StsCredentials;
  /** An OIDC token of a seeded provider for AssumeRoleWithOIDC (also expired or mis-addressed ones, by request). */
  issueOidcToken(request?: OidcTokenRequest): OidcToken;
  /** Every AccessKey secret and STS token this emulator has known, across resets (for leak searches). */
  secrets(): string[];
  /** Every temporary credential handed out (control API, STS, metadata, credentials URI), across resets, oldest first. */
  issuedCredentials(): IssuedCredentials[];
  /** Every API request received, oldest first (board pages and control calls are not recorded). */
  readonly requests: RecordedRequest[];
  /** Page requests (the last 10,000), oldest first; reset() forgets them. */
  readonly pageRequests: PageRequest[];
  setTimings(timings: Partial<Timings>): void;
  timings(): Timings;
  /** Changes how board pages behave (all boards, from the next request); reset() restores the options' values. */
  setPageSwitches(switches: Partial<PageSwitches>): PageSwitches;
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** Armed faults with the number of uses left. */
  faults(): Fault[];
  /** Back to the seed (the given one, else the current one) and the starting timings; clears requests, faults, nonces and console sessions, and drops the connection of every request a delay fault holds, unanswered, so it cannot change the new world. */
  reset(seed?: Seed | string): void;
  /** Boards as GetTensorboard would show them (settled against the clock, every owner). */
  boards(): Array<Record<string, unknown>>;
  /** Jobs as GetJob would show them. */
  jobs(): Array<Record<string, unknown>>;
  /** Ends a job now, as its own run would: Running → Succeeded, Failed or Stopped. */
  endJob(jobId: string, status: JobEndName): void;
  /** Puts a board straight into a status, as if it had just got there. */
  setBoardStatus(tensorboardId: string, status: BoardStatusName, reason?: { code: string; message: string }): void;
  /** Moves the clock, when it can be moved (ManualClock, or the CLI's shifted real clock). */
  advanceClock(ms: number): void;
  state(): EmulatorState;
  /** The folder standing for OSS, NAS and job outputs (see `EmulatorOptions.storageRoot`). */
  readonly storageRoot: string;
  /** Whether board pages are real TensorBoards (else why not), and the TensorBoard processes now running. */
  realBoards(): RealBoardsState;
  /** The emulated OSS on its own port, over `storageRoot`: its endpoint, faults, recorded requests. */
  readonly oss: OssEmulator;
  /**
   * Gives out `origin` as its endpoint and its boards' page origin from now on: another process in front of it (the
   * bench's network relay) forwards there to `endpoint`'s port. Clients set up before keep the old one.
   */
  advertise(origin: string): void;
  /** Closes the server and every open socket, and ends every TensorBoard it started, promptly. */
  stop(): Promise<void>;
}
