import * as http from 'node:http';
import type { Socket } from 'node:net';
import { createGzip } from 'node:zlib';

// Nothing here imports src: the unit tests (plain Node) and the integration tests (inside the extension host, where
// the extension's values come from its bundle) both use these servers.

/** A loopback HTTP server that misbehaves on purpose: each test hands it the handler it needs. */
export interface LooseServer {
  endpoint: string;
  /** Every connection, in the order it was opened. */
  sockets: Socket[];
  /** Each request's headers, in order. */
  requests: http.IncomingHttpHeaders[];
  /** How many requests arrived on a socket before this one (0 for the first). */
  earlierOnSocket(request: http.IncomingMessage): number;
  close(): Promise<void>;
}

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse, server: LooseServer) => void;

export async function startLooseServer(handler: Handler): Promise<LooseServer> {
  const server = http.createServer();
  // Long enough that only the client closes idle connections, unless a handler closes them itself.
  server.keepAliveTimeout = 60_000;
  const counts = new WeakMap<Socket, number>();
  const loose: LooseServer = {
    endpoint: '',
    sockets: [],
    requests: [],
    earlierOnSocket: (request) => (counts.get(request.socket) ?? 1) - 1,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket) => loose.sockets.push(socket));
  server.on('request', (request, response) => {
    counts.set(request.socket, (counts.get(request.socket) ?? 0) + 1);
    loose.requests.push(request.headers);
    // Read the request body first, as a real service does.
    request.resume();
    request.on('end', () => handler(request, response, loose));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  loose.endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return loose;
}

export function sendJson(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

const PADDING = Buffer.alloc(64 * 1024, 0x61);

/**
 * Answers 200 with a JSON object `{...fields, "Pad": "aaaa…"}` whose padding streams in at the pace the client reads
 * (a chunk only when the last one has drained), up to `paddingBytes`. The server holds one 64 KiB chunk whatever the
 * size, so the memory that grows is the client's. Returns how many padding bytes were written so far.
 */
export function streamPaddedJson(response: http.ServerResponse, fields: object, paddingBytes: number): () => number {
  let written = 0;
  response.writeHead(200, { 'content-type': 'application/json' });
  response.write(openPad(fields));
  const pump = () => {
    while (written < paddingBytes && !response.destroyed) {
      written += PADDING.length;
      if (!response.write(PADDING)) return void response.once('drain', pump);
    }
    if (!response.destroyed) response.end('"}');
  };
  pump();
  return () => written;
}

/**
 * The gzip of `{...fields, "Pad": "    …"}` with `paddingBytes` spaces, compressed as it is produced, so only the
 * compressed bytes are ever held: 300 MiB of padding is a 299 KiB answer (deflate's ratio is at most about 1032:1).
 */
export async function gzippedPaddedJson(fields: object, paddingBytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise<void>((resolve, reject) => gzip.on('end', resolve).on('error', reject));
  const spaces = Buffer.alloc(2 ** 20, 0x20);
  gzip.write(openPad(fields));
  for (let left = paddingBytes; left > 0; left -= spaces.length) {
    const piece = left >= spaces.length ? spaces : spaces.subarray(0, left);
    if (!gzip.write(piece)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end('"}');
  await ended;
  return Buffer.concat(out);
}

/** `{...fields, "Pad":"` */
function openPad(fields: object): string {
  return JSON.stringify({ ...fields, Pad: '' }).slice(0, -2);
}

/** Resolves when the socket has closed; rejects if it is still open after `withinMs`, a bound far above need. */
export function closed(socket: Socket, withinMs = 2000): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the socket was still open after ${withinMs} ms`)), withinMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
