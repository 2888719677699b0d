import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  Agent as HttpAgent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { realTimer, type Timer } from '../boards/timer';
import { BRIDGE_PATH, injectBridge, isHtmlNavigation, MAX_INJECTED_HTML_BYTES } from './bridgeInject';
import { CookieJar } from './cookieJar';

/** Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1), plus what the proxy sets itself. */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'cookie',
  'referer',
  'origin',
]);
/** Response headers the frame must not see: the framing limits, and the cookies the jar keeps instead. */
const droppedFromAnswers = new Set([...hopByHop, 'x-frame-options', 'set-cookie']);

/** A board sends an answer's headers within this time, or the frame gets a 504 (TensorBoard answers in well under). */
const UPSTREAM_DEADLINE_MS = 60_000;

export interface BoardProxyOptions {
  /** The board's URL (its shared link or TensorboardUrl): the proxy reaches this origin, and no other. */
  readonly target: string;
  /** A line for the log on a failure to reach the board; never holds the path token or a query. */
  readonly log?: (line: string) => void;
  /** How long the board has to send an answer's headers before the frame gets a 504. */
  readonly upstreamDeadlineMs?: number;
  readonly timer?: Timer;
  /**
   * The bridge's script (media/bridge.js with this panel's secret and saved view), served below the token at
   * `__pai/bridge.js` and added to every HTML page of the board; without it, pages pass unchanged.
   */
  readonly bridgeScript?: () => string;
}

/**
 * A loopback reverse proxy for one board, for boards that refuse to be framed or that need a cookie a cross-site
 * frame would not send back. It listens on 127.0.0.1 on a random port and answers only below an unguessable path
 * token; it forwards to the board's origin only, keeps the board's cookies itself, drops the framing limits, keeps
 * redirects within the board's origin (as relative URLs, so a path prefix added by a port forwarder survives) and
 * streams every answer.
 */
export class BoardProxy {
  private readonly jar = new CookieJar();
  private readonly agent: HttpAgent;
  /** Every connection from a client: close() ends them all at once, half-sent requests included. */
  private readonly sockets = new Set<Socket>();

  private readonly log: (line: string) => void;
  private readonly timer: Timer;
  private readonly upstreamDeadlineMs: number;
  private readonly bridgeScript: (() => string) | undefined;

  private constructor(
    private readonly server: Server,
    private readonly upstream: URL,
    private readonly token: string,
    options: BoardProxyOptions,
  ) {
    this.log = options.log ?? (() => undefined);
    this.timer = options.timer ?? realTimer;
    this.upstreamDeadlineMs = options.upstreamDeadlineMs ?? UPSTREAM_DEADLINE_MS;
    this.bridgeScript = options.bridgeScript;
    this.agent =
      upstream.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  static async start(options: BoardProxyOptions): Promise<BoardProxy> {
    const upstream = new URL(options.target);
    if (upstream.protocol !== 'https:' && upstream.protocol !== 'http:')
      throw new Error(`Only http(s) boards can be proxied, not ${upstream.protocol}`);
    const token = randomBytes(24).toString('base64url');
    const server = createServer();
    const proxy = new BoardProxy(server, upstream, token, options);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => proxy.forward(request, response));
    server.on('connection', (socket: Socket) => {
      proxy.sockets.add(socket);
      socket.once('close', () => proxy.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The board URL the proxy was started for; it reaches that URL's origin only. */
  get target(): string {
    return this.upstream.href;
  }

  /** Where the frame loads the board: the target's path and query, below the token. */
  get entryUrl(): string {
    return `http://127.0.0.1:${this.port}/${this.token}${this.upstream.pathname}${this.upstream.search}`;
  }

  /** Stops at once: every client connection and every request to the board ends now, finished or not. */
  async close(): Promise<void> {
    this.jar.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private upstreamPath(requestUrl: string): string | undefined {
    const prefix = `/${this.token}`;
    const given = requestUrl.slice(0, prefix.length);
    if (given.length !== prefix.length || !timingSafeEqual(Buffer.from(given), Buffer.from(prefix))) return undefined;
    const rest = requestUrl.slice(prefix.length);
    if (rest === '' || rest.startsWith('?')) return `/${rest}`;
    return rest.startsWith('/') ? rest : undefined;
  }

  private forward(request: IncomingMessage, response: ServerResponse): void {
    const path = this.upstreamPath(request.url ?? '');
    if (path === undefined) {
      plain(response, 404, 'Not found');
      return;
    }
    if (this.bridgeScript && path.split('?')[0] === BRIDGE_PATH) {
      response
        .writeHead(request.method === 'GET' || request.method === 'HEAD' ? 200 : 405, {
          'content-type': 'text/javascript; charset=utf-8',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        })
        .end(request.method === 'GET' ? this.bridgeScript() : undefined);
      return;
    }
    const headers = forwardedHeaders(request.headers);
    headers.host = this.upstream.host;
    const injecting = this.bridgeScript !== undefined && isHtmlNavigation(request.method, request.headers);
    if (injecting) {
      // The page is rewritten: asked for as it is (decompressed below if the board compresses it anyway), and in
      // full, so that no cached copy without the bridge, or of another panel's, is reused.
      headers['accept-encoding'] = 'identity';
      for (const name of ['if-none-match', 'if-modified-since', 'range', 'if-range']) delete headers[name];
    }
    const cookie = this.jar.header(path);
    if (cookie) headers.cookie = cookie;
    const send = this.upstream.protocol === 'https:' ? httpsRequest : httpRequest;
    let late = false;
    const outgoing = send(
      {
        protocol: this.upstream.protocol,
        hostname: this.upstream.hostname,
        port: this.upstream.port,
        method: request.method,
        path,
        headers,
        agent: this.agent,
      },
      (answer) => {
        this.timer.clearTimeout(deadline);
        this.answer(answer, path, response, injecting);
      },
    );
    // A whole deadline for the answer's headers: a socket idle time-out would let a header drip hold it for ever.
    const deadline = this.timer.setTimeout(() => {
      late = true;
      outgoing.destroy(new Error(`no answer within ${this.upstreamDeadlineMs} ms`));
    }, this.upstreamDeadlineMs);
    outgoing.on('close', () => this.timer.clearTimeout(deadline));
    outgoing.on('error', (error) => {
      this.log(`Board proxy: ${request.method ?? 'GET'} to ${this.upstream.origin} failed: ${error.message}`);
      if (response.headersSent) response.destroy();
      else if (late) plain(response, 504, 'The TensorBoard did not answer in time.');
      else plain(response, 502, 'The TensorBoard did not answer.');
    });
    request.on('aborted', () => outgoing.destroy());
    response.on('close', () => {
      if (!response.writableFinished) outgoing.destroy();
    });
    request.pipe(outgoing);
  }

  private answer(answer: IncomingMessage, path: string, response: ServerResponse, injecting = false): void {
    const status = answer.statusCode ?? 0;
    if (status < 200 || status > 599) {
      // Node's parser takes any three digits, and the frame's answer could not carry them.
      answer.destroy();
      this.log(`Board proxy: ${this.upstream.origin} answered with the invalid status ${status}`);
      plain(response, 502, 'The TensorBoard did not answer properly.');
      return;
    }
    this.jar.store(answer.headers['set-cookie'], path);
    const headers: Record<string, string | string[]> = {};
    const named = connectionOptions(answer.headers);
    // headersDistinct: Node joins repeated headers with commas, and a second policy would hide in the first.
    for (const [name, values] of Object.entries(answer.headersDistinct)) {
      if (values === undefined || droppedFromAnswers.has(name) || named.has(name)) continue;
      const kept = name === 'content-security-policy' ? withoutFrameAncestors(values) : values;
      if (kept.length) headers[name] = kept.length === 1 ? kept[0]! : kept;
    }
    const location = answer.headers.location;
    if (location !== undefined) {
      const rewritten = this.rewriteLocation(location, path);
      if (rewritten === undefined) {
        answer.resume();
        plain(
          response,
          502,
          `The TensorBoard sent the frame to another site (${safeHost(location)}). Open it in the browser instead.`,
        );
        return;
      }
      headers.location = rewritten;
    }
    if (injecting && status === 200 && /^text\/html\b/i.test(answer.headers['content-type'] ?? '')) {
      this.injected(answer, path, headers, response);
      return;
    }
    response.writeHead(status, headers);
    // A board that breaks off its answer breaks off the frame's too, instead of leaving it open.
    pipeline(answer, response, (error) => {
      if (error) this.log(`Board proxy: an answer from ${this.upstream.origin} broke off: ${error.message}`);
    });
  }

  /** A board's HTML page with the bridge's script tag added: read whole (up to a cap), decompressed if need be. */
  private injected(
    answer: IncomingMessage,
    path: string,
    headers: Record<string, string | string[]>,
    response: ServerResponse,
  ): void {
    const encoding = String(answer.headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    const decoder =
      encoding === 'gzip' || encoding === 'x-gzip'
        ? createGunzip()
        : encoding === 'deflate'
          ? createInflate()
          : encoding === 'br'
            ? createBrotliDecompress()
            : undefined;
    if (!decoder && encoding !== 'identity') {
      // An encoding the proxy cannot read: the page as it is, without the bridge.
      response.writeHead(200, headers);
      pipeline(answer, response, () => undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const body = decoder ? answer.pipe(decoder) : answer;
    const fail = (error: Error) => {
      this.log(`Board proxy: a page from ${this.upstream.origin} could not be read: ${error.message}`);
      answer.destroy();
      if (!response.headersSent) plain(response, 502, 'The TensorBoard did not answer properly.');
      else response.destroy();
    };
    answer.on('error', fail);
    decoder?.on('error', fail);
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_INJECTED_HTML_BYTES) fail(new Error('the page is too large'));
      else chunks.push(chunk);
    });
    body.on('end', () => {
      if (response.headersSent || response.destroyed) return;
      const page = injectBridge(Buffer.concat(chunks), path);
      delete headers['content-encoding'];
      delete headers['content-length'];
      delete headers.etag;
      headers['content-length'] = String(page.length);
      headers['cache-control'] = 'no-store';
      response.writeHead(200, headers).end(page);
    });
  }

  /**
   * A redirect within the board's origin, as a URL relative to the request; undefined for any other origin, or
   * for one whose relative form would not resolve under the token (the check is the URL parser's, not ours).
   */
  private rewriteLocation(location: string, requestPath: string): string | undefined {
    let target: URL;
    try {
      // Joined as text: a request path of `//host/x` must not read as a protocol-relative URL.
      target = new URL(location, `${this.upstream.origin}${requestPath}`);
    } catch {
      return undefined;
    }
    if (target.origin !== this.upstream.origin) return undefined;
    const relative = relativeUrl(requestPath, `${target.pathname}${target.search}${target.hash}`);
    const proxied = new URL(relative, `http://proxy/${this.token}${requestPath}`);
    const meant = `/${this.token}${target.pathname}${target.search}`;
    return proxied.origin === 'http://proxy' && `${proxied.pathname}${proxied.search}` === meant ? relative : undefined;
  }
}

function forwardedHeaders(incoming: IncomingHttpHeaders): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  const named = connectionOptions(incoming);
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== undefined && !hopByHop.has(name) && !named.has(name)) headers[name] = value;
  }
  return headers;
}

/** The headers a `Connection` header names: they belong to that connection too (RFC 9110 §7.6.1). */
function connectionOptions(headers: IncomingHttpHeaders): Set<string> {
  const names = (headers.connection ?? '').split(',').map((name) => name.trim().toLowerCase());
  return new Set(names.filter(Boolean));
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}

function withoutFrameAncestors(policies: readonly string[]): string[] {
  return policies
    .map((policy) =>
      policy
        .split(';')
        .map((d) => d.trim())
        .filter((d) => d && !/^frame-ancestors\b/i.test(d))
        .join('; '),
    )
    .filter(Boolean);
}

function safeHost(location: string): string {
  try {
    return new URL(location).host || 'elsewhere';
  } catch {
    return 'elsewhere';
  }
}

/** `to` (a path with query) relative to the directory of `from`, e.g. `/a/b/c` → `/a/x` is `../x`. */
export function relativeUrl(from: string, to: string): string {
  const fromDir = (from.split('?')[0] ?? '/').split('/').slice(1, -1);
  const [toPath = '/', ...rest] = to.split(/(?=[?#])/);
  const toSegments = toPath.split('/').slice(1);
  let common = 0;
  while (common < fromDir.length && common < toSegments.length - 1 && fromDir[common] === toSegments[common]) common++;
  const up = '../'.repeat(fromDir.length - common);
  const down = toSegments.slice(common).join('/');
  // "./" keeps an empty result, a first segment with a colon, or an empty one (`//x` reads as a host), from reading as
  // something else.
  const lead = !up && (!down || down.startsWith('/') || down.split('/')[0]!.includes(':')) ? './' : '';
  return `${lead}${up}${down}${rest.join('')}`;
}
