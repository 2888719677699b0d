import type * as http from 'node:http';
import type ROAClient from '@alicloud/pop-core/lib/roa';
import { readAnswer, retryAfterMs } from './answer';
import { ClientErrorCode, DlcError } from './errors';
import { exchange, freshConnectionAgent, HttpFailure, keepAliveAgent, type HttpAnswer } from './http';

export const API_VERSION = '2020-12-03';

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** Asked before every request, so rotating STS credentials work; the shape of pop-core 1.8's `credentialsProvider`. */
export interface CredentialsProvider {
  getCredentials(): Promise<Credentials>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One call as the wire sees it: PascalCase names, string query values. */
export interface WireRequest {
  operation: string;
  method: HttpMethod;
  /** Already percent-encoded. */
  path: string;
  query: Record<string, string>;
  body?: object;
  /** Values that must not appear in an error message, e.g. a share token in the query. */
  secrets?: readonly string[];
}

export type Attempt =
  | {
      ok: true;
      body: object;
      httpStatus?: number;
      /** What the body must be redacted of wherever it is quoted. */
      secrets: readonly string[];
    }
  | {
      ok: false;
      error: DlcError;
      /** False only when the request certainly never left this machine, so any operation may be retried. */
      reachedService: boolean;
    };

export interface TransportOptions {
  endpoint: string;
  credentials: CredentialsProvider;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  /** How long a kept-alive socket may idle before it is closed. */
  keepAliveIdleMs: number;
  /** An answer's body is read up to this size, then the read is aborted. */
  maxResponseBytes: number;
  now: () => number;
}

/** Whether repeating the call cannot do anything twice: every operation but create and delete. */
export function isIdempotent(method: HttpMethod): boolean {
  return method === 'GET' || method === 'PUT';
}

/** The part of httpx's request options that pop-core has signed. */
interface SignedOptions {
  path: string;
  headers: http.OutgoingHttpHeaders;
}

/** Thrown from httpx's `beforeRequest` hook to stop it sending: pop-core signs, this client sends. */
class Signed {
  constructor(readonly options: SignedOptions) {}
}

/**
 * Sends one signed request and turns every outcome into either a JSON object or a DlcError. pop-core builds and
 * signs the request; the HTTP step is this client's own (http.ts), because httpx, pop-core's HTTP layer, keeps a
 * timed-out socket open, reads answers of any size and inflates gzip nobody asked for. pop-core offers no way to
 * plug in a transport, but httpx calls `opts.beforeRequest` with the finished, signed options before it opens a
 * connection: throwing there hands them over and sends nothing.
 */
export class RoaTransport {
  private readonly keepAlive: http.Agent;
  private readonly fresh: http.Agent;
  private readonly origin: URL;

  constructor(private readonly options: TransportOptions) {
    this.origin = new URL(options.endpoint);
    const secure = this.origin.protocol === 'https:';
    this.keepAlive = keepAliveAgent(secure, options.keepAliveIdleMs);
    this.fresh = freshConnectionAgent(secure);
  }

  async send(request: WireRequest): Promise<Attempt> {
    const { operation } = request;
    let credentials: Credentials;
    try {
      credentials = await this.options.credentials.getCredentials();
    } catch (cause) {
      // A provider that says why in the client's own terms (NotSignedIn, with its Sign In step) is passed on as it is.
      if (cause instanceof DlcError) return { ok: false, error: cause, reachedService: false };
      const message = cause instanceof Error ? cause.message : String(cause);
      const error = new DlcError({
        code: ClientErrorCode.CredentialsUnavailable,
        message: `Could not get credentials: ${message}`,
        operation,
      });
      return { ok: false, error, reachedService: false };
    }
    if (!credentials.accessKeyId || !credentials.accessKeySecret) {
      // pop-core would send such a request unsigned.
      const error = new DlcError({
        code: ClientErrorCode.CredentialsUnavailable,
        message: 'The credentials provider returned no AccessKey ID or secret.',
        operation,
      });
      return { ok: false, error, reachedService: false };
    }
    const secrets = secretsOf(credentials, request);

    // A server closes a kept-alive connection when it has idled too long, and a request that meets the closed
    // socket is reset before any answer. Only calls that may be repeated take that risk: they are sent again, once,
    // on a new connection. Create and delete always get a new connection instead, because a reset after the
    // request was written does not prove that the service never acted (it may have read the request and then
    // failed), and such a call is repeated only when it certainly did not reach the service (retry.ts).
    const idempotent = isIdempotent(request.method);
    const first = await this.attempt(request, credentials, secrets, idempotent ? this.keepAlive : this.fresh);
    if (first.staleSocket && idempotent) return (await this.attempt(request, credentials, secrets, this.fresh)).outcome;
    return first.outcome;
  }

  private async attempt(
    request: WireRequest,
    credentials: Credentials,
    secrets: readonly string[],
    agent: http.Agent,
  ): Promise<{ outcome: Attempt; staleSocket: boolean }> {
    const { operation } = request;
    const body = request.body ? JSON.stringify(request.body) : '';
    let signed: SignedOptions;
    try {
      signed = await this.sign(request, credentials, body);
    } catch (thrown) {
      const message = `Could not sign the request: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
      return {
        outcome: {
          ok: false,
          error: new DlcError({ code: ClientErrorCode.InvalidInput, message, operation, secrets }),
          reachedService: false,
        },
        staleSocket: false,
      };
    }
    let answer: HttpAnswer;
    try {
      answer = await exchange({
        origin: this.origin,
        path: signed.path,
        method: request.method,
        headers: signed.headers,
        body,
        agent,
        connectTimeoutMs: this.options.connectTimeoutMs,
        readTimeoutMs: this.options.readTimeoutMs,
        maxBodyBytes: this.options.maxResponseBytes,
      });
    } catch (thrown) {
      if (!(thrown instanceof HttpFailure)) throw thrown;
      const error = this.errorFor(thrown, request, secrets);
      return {
        outcome: { ok: false, error, reachedService: thrown.progress.connected },
        staleSocket: thrown.progress.staleSocket,
      };
    }
    const reading = readAnswer(answer.body.toString('utf8'), {
      operation,
      status: answer.status,
      headers: answer.headers,
      secrets,
    });
    const outcome: Attempt = reading.ok
      ? { ok: true, body: reading.body, httpStatus: answer.status, secrets }
      : { ...reading, reachedService: true };
    return { outcome, staleSocket: false };
  }

  /** The path (with its query) and headers pop-core signs, with the `date` from the injected clock. */
  private async sign(request: WireRequest, credentials: Credentials, body: string): Promise<SignedOptions> {
    // A client per request binds these credentials to this request alone; its own agent never opens a socket.
    const client = new (popCore())({
      endpoint: this.options.endpoint,
      apiVersion: API_VERSION,
      credentialsProvider: { getCredentials: async () => credentials },
    });
    // pop-core signs the headers it is given: the `date` comes from the injected clock, so a fake clock and a fake
    // server agree.
    const headers: Record<string, string> = { date: new Date(this.options.now()).toUTCString() };
    if (request.body) headers['content-type'] = 'application/json';
    const opts: ROAClient.RequestOpts & { beforeRequest(options: SignedOptions): never } = {
      beforeRequest: (options) => {
        throw new Signed({ path: options.path, headers: options.headers });
      },
    };
    try {
      await client.request(request.method, request.path, request.query, body, headers, opts);
    } catch (thrown) {
      if (thrown instanceof Signed) return thrown.options;
      throw thrown;
    }
    throw new Error('pop-core did not call beforeRequest');
  }

  private errorFor(failure: HttpFailure, request: WireRequest, secrets: readonly string[]): DlcError {
    const { operation } = request;
    const { status: httpStatus, headers } = failure.progress;
    const host = this.origin.host;
    const common = { operation, httpStatus, secrets };
    switch (failure.kind) {
      case 'connectTimeout':
        return new DlcError({
          ...common,
          code: ClientErrorCode.Timeout,
          message: `Could not connect to ${host} within ${this.options.connectTimeoutMs} ms.`,
        });
      case 'readTimeout':
        return new DlcError({
          ...common,
          code: ClientErrorCode.Timeout,
          message: `${host} did not answer ${request.method} ${request.path} within ${this.options.readTimeoutMs} ms.`,
        });
      case 'tooLarge':
        return new DlcError({
          ...common,
          code: ClientErrorCode.ResponseTooLarge,
          message: `The answer from ${host} to ${operation} is larger than ${mebibytes(this.options.maxResponseBytes)}; reading it was stopped.`,
        });
      case 'encoded':
        return new DlcError({
          ...common,
          code: ClientErrorCode.BadResponse,
          message: `${host} sent a ${String(headers?.['content-encoding'])}-compressed answer although none was asked for; it was not read.`,
          retryAfterMs: retryAfterMs(headers),
        });
      case 'body': // The DLC client sends whole bodies: never a slice source that could fail.
      case 'network':
        return new DlcError({
          ...common,
          code: ClientErrorCode.NetworkError,
          message: `Could not reach ${host}: ${failure.progress.code ?? failure.message}.`,
        });
    }
  }
}

/**
 * pop-core, required at the first signature rather than when the bundle loads: it brings in httpx, kitx and Node's
 * http, https, zlib and crypto, which the first command or sidebar look does not need yet.
 */
function popCore(): typeof ROAClient {
  return require('@alicloud/pop-core/lib/roa') as typeof ROAClient;
}

/** Everything the extension holds that must not appear in an error or a log line. */
function secretsOf(credentials: Credentials, request: WireRequest): string[] {
  return [credentials.accessKeySecret, credentials.securityToken ?? '', ...(request.secrets ?? [])].filter(Boolean);
}

function mebibytes(bytes: number): string {
  return `${Math.round((bytes / 2 ** 20) * 10) / 10} MiB`;
}
