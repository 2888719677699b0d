import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/** One signed request, ready for the wire. */
export interface HttpExchange {
  /** Scheme, host and port; the path comes from `path`, sent exactly as given. */
  origin: URL;
  /** Already percent-encoded, with its query string. */
  path: string;
  method: string;
  headers: http.OutgoingHttpHeaders;
  /**
   * A string, the bytes of an object or part, or its slices as they are read from disk: those are written as the
   * socket takes them (never more than one slice ahead of it), and the read time-out then counts from the last
   * slice sent. The `content-length` header must be the sum of the slices; a slice source that throws ends the
   * exchange with a 'body' failure.
   */
  body: string | Uint8Array | AsyncIterable<Uint8Array>;
  agent: http.Agent;
  /** Until the connection (and TLS handshake) is up. */
  connectTimeoutMs: number;
  /** From the connection until the whole answer has arrived. */
  readTimeoutMs: number;
  maxBodyBytes: number;
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type HttpFailureKind = 'connectTimeout' | 'readTimeout' | 'tooLarge' | 'encoded' | 'network' | 'body';

/** Why an exchange failed, and how far it had got. By then its socket is destroyed. */
export class HttpFailure extends Error {
  override readonly name = 'HttpFailure';

  constructor(
    readonly kind: HttpFailureKind,
    message: string,
    readonly progress: {
      /** Whether a connection existed, i.e. whether the request may have reached the server. */
      connected: boolean;
      /** A reset of a kept-alive socket before any byte of the answer: the server had most likely closed it. */
      staleSocket: boolean;
      /** The system error code (ECONNRESET, ENOTFOUND, …) for kind 'network'. */
      code?: string;
      status?: number;
      headers?: http.IncomingHttpHeaders;
    },
  ) {
    super(message);
  }
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Sends one request and reads its answer within bounds: a connect and a read time-out, a size cap checked while
 * the body streams in, and no decompression (the request asks for `identity`, so an encoded answer is refused
 * rather than inflated). On any failure the request and its socket are destroyed at once, so nothing keeps
 * arriving into memory after the caller has been told.
 */
export function exchange(request: HttpExchange): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const secure = request.origin.protocol === 'https:';
    const progress: HttpFailure['progress'] = { connected: false, staleSocket: false };
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    // `http.request` is looked up at call time: VS Code's proxy support patches it.
    const outgoing = (secure ? https : http).request({
      protocol: request.origin.protocol,
      hostname: request.origin.hostname,
      port: request.origin.port || undefined,
      path: request.path,
      method: request.method,
      headers: { ...request.headers, 'accept-encoding': 'identity' },
      agent: request.agent,
    });

    const fail = (kind: HttpFailureKind, message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.destroy();
      reject(new HttpFailure(kind, message, progress));
    };
    const arm = (kind: 'connectTimeout' | 'readTimeout', ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(
        () => fail(kind, `no ${kind === 'connectTimeout' ? 'connection' : 'complete answer'} within ${ms} ms`),
        ms,
      );
    };
    const connected = () => {
      progress.connected = true;
      arm('readTimeout', request.readTimeoutMs);
    };

    arm('connectTimeout', request.connectTimeoutMs);
    outgoing.once('socket', (socket: Socket) => {
      if (!socket.connecting) connected();
      else socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', connected);
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      progress.code = typeof error.code === 'string' ? error.code : undefined;
      progress.staleSocket =
        outgoing.reusedSocket && progress.status === undefined && RESET_CODES.has(progress.code ?? '');
      fail('network', error.message);
    });
    outgoing.on('response', (response) => {
      progress.status = response.statusCode;
      progress.headers = response.headers;
      const encoding = response.headers['content-encoding'];
      if (encoding && encoding.toLowerCase() !== 'identity') {
        return fail('encoded', `the answer is ${encoding}-encoded although none was asked for`);
      }
      // A HEAD's content-length is the object's, not an answer's: nothing follows it.
      if (request.method !== 'HEAD' && Number(response.headers['content-length']) > request.maxBodyBytes) {
        return fail('tooLarge', `the answer announces ${response.headers['content-length']} bytes`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > request.maxBodyBytes) fail('tooLarge', `the answer exceeds ${request.maxBodyBytes} bytes`);
        else chunks.push(chunk);
      });
      response.on('error', (error) => fail('network', error.message));
      response.on('close', () => {
        if (!response.complete) fail('network', 'the connection closed before the answer was complete');
      });
      response.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks, size) });
      });
    });
    if (typeof request.body === 'string' || request.body instanceof Uint8Array) {
      outgoing.end(request.body);
      return;
    }
    const slices = request.body;
    void (async () => {
      try {
        for await (const slice of slices) {
          if (settled) return;
          if (progress.connected) arm('readTimeout', request.readTimeoutMs);
          if (!outgoing.write(slice)) await drained(outgoing);
        }
        if (!settled) outgoing.end();
      } catch (error) {
        fail('body', `the body could not be read: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
  });
}

/** Until the request's buffer has room again, or it is gone (its failure is reported by the exchange). */
function drained(outgoing: http.ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      outgoing.off('drain', done);
      outgoing.off('close', done);
      resolve();
    };
    outgoing.on('drain', done);
    outgoing.on('close', done);
  });
}

/** The keep-alive agent: an idle socket is closed after `idleMs`, before a typical server or load balancer would. */
export function keepAliveAgent(secure: boolean, idleMs: number): http.Agent {
  const options: http.AgentOptions = { keepAlive: true, timeout: idleMs };
  return secure ? new https.Agent(options) : new http.Agent(options);
}

/** An agent that opens a new connection for each request and closes it after the answer. */
export function freshConnectionAgent(secure: boolean): http.Agent {
  return secure ? new https.Agent({ keepAlive: false }) : new http.Agent({ keepAlive: false });
}
