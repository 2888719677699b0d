import { redact } from './redact';
import { inEnglish, render, sentence, type Sentence, type Translate } from './sentence';

/** Codes the client itself assigns; every other code is the service's own `Code`. */
export const ClientErrorCode = {
  /** A request argument failed validation; nothing was sent. */
  InvalidInput: 'InvalidInput',
  /** A JSON response that does not match its schema; the message names the field. */
  InvalidResponse: 'InvalidResponse',
  /** A response that is not JSON at all (an HTML gateway page, a truncated body). */
  BadResponse: 'BadResponse',
  /** A response larger than the client reads; it was cut off and its connection closed. */
  ResponseTooLarge: 'ResponseTooLarge',
  Timeout: 'Timeout',
  NetworkError: 'NetworkError',
  /** The credentials provider failed or returned an incomplete pair. */
  CredentialsUnavailable: 'CredentialsUnavailable',
  InvalidEndpoint: 'InvalidEndpoint',
  /** No credentials are stored: the user has not signed in, or signed out. */
  NotSignedIn: 'NotSignedIn',
} as const;

export interface DlcErrorInit {
  code: string;
  message: string;
  operation: string;
  requestId?: string;
  httpStatus?: number;
  recommend?: string;
  hostId?: string;
  /** Defaults from the code and status (see `classify`). */
  retryable?: boolean;
  retryAfterMs?: number;
  /** When the text comes from outside (the service, a proxy, a socket): every string field is redacted of these. */
  secrets?: readonly string[];
}

/** The most of an outside message an error keeps: more than any sentence a service writes, and bounded work. */
const MAX_OUTSIDE_TEXT = 4 * 1024;
/** The most of an outside code or ID (a RequestId is 36 characters). */
const MAX_OUTSIDE_ID = 256;

/**
 * Cuts outside text to `max` characters before anything else reads it (a 8 MiB message once took seconds to redact,
 * four times per call), then hides the secrets. The cut keeps room for a secret, in any of its encoded forms, that
 * starts before `max`, so no part of one is left at the end.
 */
function capAndRedact(text: string, max: number, secrets: readonly string[]): string | undefined {
  const room = 3 * Math.max(0, ...secrets.map((secret) => secret.length));
  const clean = redact(text.length > max + room ? text.slice(0, max + room) : text, secrets);
  return (clean.length > max ? `${clean.slice(0, max)}…` : clean) || undefined;
}

/**
 * The one error type of `src/api`. `retryable` says whether the condition is transient, i.e. whether trying
 * again later may help; whether the client retried by itself also depends on the operation (see retry.ts).
 */
export class DlcError extends Error {
  override readonly name = 'DlcError';
  readonly code: string;
  readonly operation: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  readonly recommend?: string;
  readonly hostId?: string;
  readonly retryable: boolean;
  /** A short next step for the user: what a UI translates (`describeError`); `hint` is it in English. */
  readonly hintSentence?: Sentence;
  /** From the service's `x-acs-retry-after`, when it sent one. */
  readonly retryAfterMs?: number;
  /** What the user can do about it. */
  readonly nextStep: NextStep;
  /** For `openSettings`: the setting at fault, which Open Settings shows. */
  readonly setting?: SettingName;
  /** The board or job the call was about does not exist (any more). */
  readonly notFound: boolean;

  constructor(init: DlcErrorInit) {
    // A gateway may echo a token in any field, not only the message (a SignatureDoesNotMatch message quotes the
    // server's string to sign, which holds the STS token).
    const clean = (text: string | undefined, max = MAX_OUTSIDE_TEXT) =>
      text ? capAndRedact(text, max, init.secrets ?? []) : undefined;
    super(clean(init.message) ?? '');
    const rule = ruleFor(init.code, init.httpStatus);
    this.code = clean(init.code, MAX_OUTSIDE_ID) ?? '';
    // The operation is this client's own name for the call, never outside text.
    this.operation = init.operation;
    this.requestId = clean(init.requestId, MAX_OUTSIDE_ID);
    this.httpStatus = init.httpStatus;
    this.recommend = clean(init.recommend);
    this.hostId = clean(init.hostId, MAX_OUTSIDE_ID);
    this.retryable = init.retryable ?? rule?.transient ?? isServerSide(init.httpStatus);
    // A service code the table has no sentence for still gets one of this extension's, by its kind: the
    // service's own message goes to the log only (it is outside text, and may be long or cryptic).
    this.hintSentence =
      rule?.hint(init.operation, init.httpStatus) ??
      (clientCodes.has(init.code) ? undefined : generalHint(init.operation, init.httpStatus));
    this.retryAfterMs = init.retryAfterMs;
    this.nextStep = rule?.next ?? (this.retryable ? 'retry' : 'none');
    this.setting = rule?.setting?.(init.code);
    this.notFound = rule?.notFound === true;
  }

  get hint(): string | undefined {
    return this.hintSentence && render(this.hintSentence);
  }
}

/**
 * Builds the error for a JSON error body. Besides the documented `Code`/`Message`/`RequestId`/`HostId`/`Recommend`,
 * some backends answer with lower-case keys or `errorCode`/`errorMsg` (reference §5.1).
 */
export function errorFromBody(
  body: unknown,
  context: { operation: string; httpStatus?: number; retryAfterMs?: number; secrets: readonly string[] },
): DlcError {
  const read = (...keys: string[]): string | undefined => {
    if (typeof body !== 'object' || body === null) return undefined;
    for (const key of keys) {
      const value: unknown = (body as Record<string, unknown>)[key];
      if (value !== undefined && value !== null && value !== '') return String(value);
    }
    return undefined;
  };
  const code = read('Code', 'code', 'ErrorCode', 'errorCode') ?? `Http${context.httpStatus ?? 'Error'}`;
  const message =
    read('Message', 'message', 'ErrorMessage', 'errorMsg', 'errorMessage') ?? `HTTP ${context.httpStatus ?? '?'}`;
  return new DlcError({
    code,
    message,
    secrets: context.secrets,
    operation: context.operation,
    requestId: read('RequestId', 'requestId', 'requestID'),
    hostId: read('HostId', 'hostId'),
    recommend: read('Recommend', 'recommend'),
    httpStatus: context.httpStatus,
    retryAfterMs: context.retryAfterMs,
  });
}

const clientCodes: ReadonlySet<string> = new Set(Object.values(ClientErrorCode));

/** This extension's sentence for a service code without a rule of its own, by HTTP status. */
function generalHint(operation: string, httpStatus: number | undefined): Sentence {
  const action = actionOf(operation);
  if (httpStatus === 400)
    return sentence(
      "PAI-DLC refused to {0}: a value in the request is not accepted. The service's own words are in the log.",
      action,
    );
  if (httpStatus === 401 || httpStatus === 403)
    return sentence("PAI-DLC does not allow these credentials to {0}. The service's own words are in the log.", action);
  if (httpStatus === 409)
    return sentence('PAI-DLC cannot {0} in the state it is in now. Refresh the list, then retry.', action);
  return sentence("PAI-DLC could not {0}. The service's own words are in the log.", action);
}

/** What each operation does, for the general sentences: `CreateTensorboard` → "create the TensorBoard". */
const actions: Readonly<Record<string, Sentence>> = {
  CreateTensorboard: sentence('create the TensorBoard'),
  GetTensorboard: sentence('load the TensorBoard'),
  ListTensorboards: sentence('list the TensorBoards'),
  StartTensorboard: sentence('start the TensorBoard'),
  StopTensorboard: sentence('stop the TensorBoard'),
  DeleteTensorboard: sentence('delete the TensorBoard'),
  UpdateTensorboard: sentence('update the TensorBoard'),
  GetTensorboardSharedUrl: sentence("load the TensorBoard's shared link"),
  ListJobs: sentence('list the jobs'),
  GetJob: sentence('load the job'),
};

function actionOf(operation: string): Sentence {
  return Object.hasOwn(actions, operation) ? actions[operation]! : sentence('answer {0}', operation);
}

/** A failure's message, whatever was thrown: for the log. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What to tell the user about a failure. For a service code, always this extension's own sentence instead of the
 * service's message: a gateway's text can be long and cryptic (SignatureDoesNotMatch quotes its whole string to
 * sign), and it goes to the log (`errorMessage`). The client's own codes keep their message, which this extension
 * wrote, followed by the hint. The code and RequestId come last, for a support ticket.
 */
export function describeError(error: unknown, translate: Translate = inEnglish): string {
  if (!(error instanceof DlcError)) return errorMessage(error);
  const own = clientCodes.has(error.code);
  const hint = error.hintSentence && render(error.hintSentence, translate);
  const text = own ? [error.message, hint].filter(Boolean).join(' ') : (hint ?? error.message);
  const ids = [error.code, error.requestId ? `RequestId ${error.requestId}` : undefined].filter(Boolean).join(', ');
  return ids ? `${text} (${ids})` : text;
}

/** What the user can do about a failure; the VS Code layer turns it into a button. */
export type NextStep = 'signIn' | 'openSettings' | 'retry' | 'none';

/** The settings (`paiTensorboard.<name>`) an error can lay at fault. */
export type SettingName = 'endpoint' | 'regionId';

interface Rule {
  matches(code: string, httpStatus: number | undefined): boolean;
  /** Undefined: transient when the status is 429 or 5xx. */
  transient?: boolean;
  /** Undefined: `retry` when transient, else `none`. */
  next?: NextStep;
  /** With `openSettings`: which setting, by code. */
  setting?: (code: string) => SettingName;
  /** The board or job is gone (the other NotFound codes are about keys, APIs or regions). */
  notFound?: boolean;
  hint(operation: string, httpStatus: number | undefined): Sentence | undefined;
}

const isServerSide = (httpStatus: number | undefined): boolean =>
  httpStatus !== undefined && (httpStatus === 429 || httpStatus >= 500);
const codeIs =
  (...codes: string[]) =>
  (code: string) =>
    codes.includes(code);
const codeStarts =
  (...prefixes: string[]) =>
  (code: string) =>
    prefixes.some((p) => code.startsWith(p));

// First match wins: the credential codes end in `.NotFound` too, and a specific code beats its HTTP status.
const rules: readonly Rule[] = [
  {
    matches: codeStarts('InvalidAccessKeyId', 'Forbidden.AccessKeyDisabled'),
    transient: false,
    next: 'signIn',
    hint: () =>
      sentence(
        'The AccessKey ID is unknown or disabled (an expired STS token looks the same). Check the credentials and sign in again.',
      ),
  },
  {
    matches: codeIs('SignatureDoesNotMatch'),
    transient: false,
    next: 'signIn',
    hint: () => sentence('The AccessKey secret does not match the AccessKey ID. Enter the secret again.'),
  },
  {
    matches: codeIs('InvalidTimeStamp.Expired'),
    transient: false,
    hint: () => sentence("This computer's clock is more than 15 minutes off. Correct the system time, then retry."),
  },
  {
    matches: codeStarts('InvalidSecurityToken', 'MissingSecurityToken'),
    transient: false,
    next: 'signIn',
    hint: () => sentence('The STS token has expired or is invalid. Refresh the credentials.'),
  },
  {
    matches: codeIs('Forbidden', 'Forbidden.RAM', 'NoPermission', 'Forbidden.AccessDenied'),
    transient: false,
    hint: (operation) =>
      sentence('These credentials may not call paidlc:{0}. Ask your administrator to grant it in RAM.', operation),
  },
  {
    matches: (code, status) => code.startsWith('Throttling') || status === 429,
    transient: true,
    hint: () => sentence('PAI-DLC is throttling requests. Wait a moment, then retry.'),
  },
  // The gateway rejects a reused nonce before the service acts; pop-core picks a fresh one per attempt.
  {
    matches: codeIs('SignatureNonceUsed'),
    transient: true,
    hint: () => sentence('PAI-DLC took this request for a repeat of an earlier one. Retry.'),
  },
  {
    matches: codeIs('TensorboardLimitExceeded'),
    transient: false,
    hint: () => sentence('The account already has the most TensorBoards allowed (5). Stop or delete one, then retry.'),
  },
  {
    matches: codeIs(
      'InvalidApi.NotFound',
      'InvalidAction.NotFound',
      'InvalidProduct.NotFound',
      'InvalidRegion.NotFound',
    ),
    transient: false,
    next: 'openSettings',
    // A region the service does not know is the region's fault; an API it does not serve, the endpoint's.
    setting: (code) => (code === 'InvalidRegion.NotFound' ? 'regionId' : 'endpoint'),
    hint: () =>
      sentence('This endpoint does not serve PAI-DLC (API 2020-12-03). Check the region or endpoint setting.'),
  },
  {
    matches: (code, status) => /NotFound|NotExist/i.test(code) || status === 404,
    transient: false,
    notFound: true,
    hint: (operation) =>
      /Job/.test(operation)
        ? sentence('The job was not found; it may have been deleted.')
        : sentence('The TensorBoard was not found; it may have been deleted.'),
  },
  {
    matches: codeIs(ClientErrorCode.Timeout),
    transient: true,
    hint: (operation) =>
      operation === 'CreateTensorboard'
        ? sentence(
            'PAI-DLC did not answer in time. The TensorBoard may have been created anyway: refresh the list before creating another.',
          )
        : sentence('PAI-DLC did not answer in time. Check the network or proxy, then retry.'),
  },
  {
    matches: codeIs(ClientErrorCode.NetworkError),
    transient: true,
    hint: () =>
      sentence('Cannot reach the PAI-DLC endpoint. Check the network, the proxy and the region or endpoint setting.'),
  },
  {
    matches: codeIs(ClientErrorCode.BadResponse),
    hint: (_, status) => {
      const next = isServerSide(status)
        ? sentence('Try again later.')
        : sentence('Check the endpoint setting and any proxy in between, then retry.');
      return status
        ? sentence(
            'PAI-DLC, or a proxy on the way, answered HTTP {0} with something that is not JSON. {1}',
            String(status),
            next,
          )
        : sentence('PAI-DLC, or a proxy on the way, answered with something that is not JSON. {0}', next);
    },
  },
  {
    matches: codeIs(ClientErrorCode.ResponseTooLarge),
    transient: false,
    hint: () =>
      sentence(
        'The answer was larger than this extension reads, and was not read. Check the endpoint setting and any proxy in between, then retry.',
      ),
  },
  {
    matches: codeIs(ClientErrorCode.InvalidResponse),
    transient: false,
    hint: () => sentence('PAI-DLC answered in an unexpected shape; this extension may need an update.'),
  },
  {
    matches: codeIs(ClientErrorCode.CredentialsUnavailable, ClientErrorCode.NotSignedIn),
    transient: false,
    next: 'signIn',
    hint: () => sentence('No usable credentials. Sign in again.'),
  },
  {
    matches: codeIs(ClientErrorCode.InvalidEndpoint),
    transient: false,
    next: 'openSettings',
    setting: () => 'endpoint',
    hint: () => sentence('Check the endpoint setting: it must look like https://pai-dlc.<region>.aliyuncs.com.'),
  },
  { matches: codeIs(ClientErrorCode.InvalidInput), transient: false, hint: () => undefined },
  {
    matches: (code, status) => code === 'ServiceUnavailable' || code === 'InternalError' || isServerSide(status),
    transient: true,
    hint: () => sentence('PAI-DLC is temporarily unavailable. Try again in a minute.'),
  },
];

/** Whether `error` says that the board or job does not exist (any more). */
export function isNotFound(error: unknown): boolean {
  return error instanceof DlcError && error.notFound;
}

function ruleFor(code: string, httpStatus: number | undefined): Rule | undefined {
  return rules.find((rule) => rule.matches(code, httpStatus));
}
