import { randomUUID } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import ROAClient from '@alicloud/pop-core/lib/roa';
import { ClientErrorCode, DlcError, errorFromBody, redact } from './errors';

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
  | { ok: true; body: object; httpStatus?: number }
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
  now: () => number;
}

/** What Node's HTTP client saw of one request; pop-core hands back neither the status nor the headers. */
interface Observed {
  /** Whether the request was seen at all; a patched `http.request` (VS Code's proxy support) might hide it. */
  seen?: boolean;
  connected?: boolean;
  status?: number;
  headers?: http.IncomingHttpHeaders;
}

const CONNECT_TIMEOUT = 'DLC_CONNECT_TIMEOUT';
/** Failures that happen before a connection exists, so the request cannot have reached the service. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', CONNECT_TIMEOUT]);

/**
 * Sends one signed request through pop-core's ROAClient and turns every outcome into either a JSON object or a
 * DlcError. pop-core signs; this class removes its traps (reference §6.6).
 */
export class RoaTransport {
  private readonly agent: http.Agent;
  private readonly host: string;

  constructor(private readonly options: TransportOptions) {
    const secure = options.endpoint.startsWith('https:');
    this.agent = connectTimeoutAgent(
      secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true }),
      secure ? 'secureConnect' : 'connect',
      options.connectTimeoutMs,
    );
    this.host = new URL(options.endpoint).host;
  }

  async send(request: WireRequest): Promise<Attempt> {
    const { operation } = request;
    let credentials: Credentials;
    try {
      credentials = await this.options.credentials.getCredentials();
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      const error = new DlcError({ code: ClientErrorCode.CredentialsUnavailable, message: `Could not get credentials: ${message}`, operation });
      return { ok: false, error, reachedService: false };
    }
    const secrets = [credentials.accessKeySecret, credentials.securityToken ?? '', ...(request.secrets ?? [])];
    if (!credentials.accessKeyId || !credentials.accessKeySecret) {
      // pop-core would send such a request unsigned.
      const error = new DlcError({
        code: ClientErrorCode.CredentialsUnavailable,
        message: 'The credentials provider returned no AccessKey ID or secret.',
        operation,
      });
      return { ok: false, error, reachedService: false };
    }

    // A client per attempt binds these credentials to this request alone; pop-core's own agent goes unused.
    const client = new ROAClient({
      endpoint: this.options.endpoint,
      apiVersion: API_VERSION,
      credentialsProvider: { getCredentials: async () => credentials },
    });
    // pop-core signs the headers it is given: the `date` comes from the injected clock, so a fake clock and a fake
    // server agree, and our own nonce lets the observer recognise this request.
    const nonce = randomUUID().replace(/-/g, '');
    const headers: Record<string, string> = { date: new Date(this.options.now()).toUTCString(), 'x-acs-signature-nonce': nonce };
    if (request.body) headers['content-type'] = 'application/json';
    const observed: Observed = {};
    const unwatch = watch(nonce, observed);
    try {
      const result = await client.request(
        request.method,
        request.path,
        request.query,
        request.body ? JSON.stringify(request.body) : '',
        headers,
        {
          agent: this.agent,
          // httpx arms its "connect" timeout as the socket's idle timeout for the whole exchange, so it must not
          // undercut the read timeout; the agent enforces the real connect timeout.
          connectTimeout: Math.max(this.options.connectTimeoutMs, this.options.readTimeoutMs),
          readTimeout: this.options.readTimeoutMs,
        },
      );
      // pop-core parses JSON (and XML) into objects and returns any other answer as a string, whatever its
      // status: an HTML 502 page would look like a success.
      if (typeof result === 'object' && result !== null && !Array.isArray(result)) {
        return { ok: true, body: result, httpStatus: observed.status };
      }
      const contentType = observed.headers?.['content-type'];
      const error = new DlcError({
        code: ClientErrorCode.BadResponse,
        message: `Expected a JSON object, got ${contentType ?? (typeof result === 'string' && result ? 'text' : 'an empty body')} (HTTP ${observed.status ?? '?'}).`,
        operation,
        httpStatus: observed.status,
        retryAfterMs: retryAfterMs(observed.headers),
      });
      return { ok: false, error, reachedService: true };
    } catch (thrown) {
      const error = this.errorFor(thrown, request, observed, secrets);
      const code = (thrown as { code?: unknown } | undefined)?.code;
      const reachedService = observed.seen ? observed.connected === true : !(typeof code === 'string' && NOT_SENT.has(code));
      return { ok: false, error, reachedService };
    } finally {
      unwatch();
    }
  }

  private errorFor(thrown: unknown, request: WireRequest, observed: Observed, secrets: readonly string[]): DlcError {
    const { operation } = request;
    const failure = (thrown ?? {}) as { name?: unknown; code?: unknown; statusCode?: unknown; result?: unknown; message?: unknown };
    const httpStatus = observed.status;
    const retryAfter = retryAfterMs(observed.headers);
    if (typeof failure.statusCode === 'number' && failure.result !== undefined) {
      return errorFromBody(failure.result, { operation, httpStatus: failure.statusCode, retryAfterMs: retryAfter, secrets });
    }
    if (failure.name === 'FormatError') {
      const message = `The response (HTTP ${httpStatus ?? '?'}) claims to be JSON but does not parse.`;
      return new DlcError({ code: ClientErrorCode.BadResponse, message, operation, httpStatus, retryAfterMs: retryAfter });
    }
    if (httpStatus !== undefined && typeof failure.code === 'string' && !/^E[A-Z_]+$/.test(failure.code)) {
      // pop-core's ACSError for an XML error body.
      const message = redact(String(failure.message ?? ''), secrets);
      return new DlcError({ code: failure.code, message, operation, httpStatus, retryAfterMs: retryAfter });
    }
    if (failure.code === CONNECT_TIMEOUT) {
      const message = `Could not connect to ${this.host} within ${this.options.connectTimeoutMs} ms.`;
      return new DlcError({ code: ClientErrorCode.Timeout, message, operation });
    }
    if (typeof failure.name === 'string' && failure.name.startsWith('RequestTimeout')) {
      const message = `${this.host} did not answer ${request.method} ${request.path} within ${this.options.readTimeoutMs} ms.`;
      return new DlcError({ code: ClientErrorCode.Timeout, message, operation, httpStatus });
    }
    const reason = typeof failure.code === 'string' ? failure.code : redact(String(failure.message ?? thrown), secrets);
    return new DlcError({ code: ClientErrorCode.NetworkError, message: `Could not reach ${this.host}: ${reason}.`, operation, httpStatus });
  }
}

function retryAfterMs(headers: http.IncomingHttpHeaders | undefined): number | undefined {
  const value = headers?.['x-acs-retry-after'] ?? headers?.['retry-after'];
  const seconds = Number(Array.isArray(value) ? value[0] : value);
  return value !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

const inFlight = new Map<string, Observed>();
let subscribed = false;

/**
 * Observes our requests through Node's `http.client.request.start` diagnostics channel, which sees every
 * ClientRequest whichever agent serves it (VS Code's proxy support swaps agents). Requests are recognised by
 * their signature nonce; anything else passing through the process is ignored.
 */
function watch(nonce: string, observed: Observed): () => void {
  if (!subscribed) {
    subscribe('http.client.request.start', onRequestStart);
    subscribed = true;
  }
  inFlight.set(nonce, observed);
  return () => inFlight.delete(nonce);
}

function onRequestStart(message: unknown): void {
  const request = (message as { request?: http.ClientRequest }).request;
  const nonce = request?.getHeader('x-acs-signature-nonce');
  const observed = typeof nonce === 'string' ? inFlight.get(nonce) : undefined;
  if (!request || !observed) return;
  observed.seen = true;
  const onSocket = (socket: Socket) => {
    if (!socket.connecting) observed.connected = true;
    else socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', () => (observed.connected = true));
  };
  if (request.socket) onSocket(request.socket);
  else request.once('socket', onSocket);
  request.once('response', (response) => {
    observed.status = response.statusCode;
    observed.headers = response.headers;
  });
}

interface AgentInternals {
  createConnection(options: object, callback?: unknown): Socket | undefined;
}

/**
 * A keep-alive agent whose connect timeout covers only the connect (and TLS handshake). httpx has none: its
 * "connect" timeout is the socket's idle timeout. Under VS Code's proxy support this agent may be replaced, and
 * the connect phase is then bounded by the read timeout alone.
 */
function connectTimeoutAgent(agent: http.Agent, connectedEvent: 'connect' | 'secureConnect', connectTimeoutMs: number): http.Agent {
  const internals = agent as unknown as AgentInternals;
  const createConnection = internals.createConnection.bind(agent);
  internals.createConnection = (options, callback) => {
    const socket = createConnection(options, callback);
    if (socket) {
      const timer = setTimeout(() => {
        socket.destroy(Object.assign(new Error(`connect timed out after ${connectTimeoutMs} ms`), { code: CONNECT_TIMEOUT }));
      }, connectTimeoutMs);
      timer.unref();
      const clear = () => clearTimeout(timer);
      socket.once(connectedEvent, clear);
      socket.once('close', clear);
    }
    return socket;
  };
  return agent;
}
