import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';

/** A streaming reverse proxy to a TensorBoard on loopback, as the board's gateway would be. */

export interface ProxyTarget {
  port: number;
  /** Path and query as the TensorBoard serves it: `/tensorboard/<id>/…`. */
  path: string;
  /** Redirects to `upstreamPrefix…` are sent to the visitor as `publicPrefix…` (a shared link's own path). */
  upstreamPrefix: string;
  publicPrefix: string;
  /** Added to every answer; a header TensorBoard also sends is sent twice (browsers apply both CSPs). */
  addHeaders: Record<string, string>;
}

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);
/** The emulator's console and share cookies, and any credentials, stay at the gateway. */
const notForwarded = new Set([...hopByHop, 'host', 'cookie', 'authorization']);

function forwardedHeaders(headers: IncomingHttpHeaders, port: number): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { host: `127.0.0.1:${port}` };
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !notForwarded.has(name)) out[name] = value;
  return out;
}

function answerHeaders(upstream: IncomingMessage, target: ProxyTarget): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upstream.headers))
    if (value !== undefined && !hopByHop.has(name)) out[name] = value;
  const location = out.location;
  if (typeof location === 'string' && location.startsWith(target.upstreamPrefix)) {
    out.location = target.publicPrefix + location.slice(target.upstreamPrefix.length);
  }
  for (const [name, value] of Object.entries(target.addHeaders)) {
    const present = out[name];
    out[name] = present === undefined ? value : [...(Array.isArray(present) ? present : [String(present)]), value];
  }
  return out;
}

/** Streams the request to the TensorBoard and its answer back; `failed` answers when TensorBoard cannot be reached. */
export function proxy(
  request: IncomingMessage,
  response: ServerResponse,
  target: ProxyTarget,
  failed: (error: Error) => void,
): void {
  const upstream = httpRequest(
    {
      host: '127.0.0.1',
      port: target.port,
      method: request.method,
      path: target.path,
      headers: forwardedHeaders(request.headers, target.port),
    },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answerHeaders(answer, target));
      answer.pipe(response);
      answer.once('error', () => response.destroy());
    },
  );
  upstream.once('error', (error) => {
    if (response.headersSent || response.destroyed) response.destroy();
    else failed(error);
  });
  response.once('close', () => upstream.destroy());
  request.pipe(upstream);
}
