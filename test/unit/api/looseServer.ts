import * as http from 'node:http';
import type { Socket } from 'node:net';
import { DlcClient, type CallEvent, type DlcClientOptions } from '../../../src/api';

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

export function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

export const credentials = { accessKeyId: 'LTAIloose', accessKeySecret: 'LooseSecret0123456789abcdefghij' };

/** A client of a loose server whose sleeps and call events are recorded; it never waits for real. */
export function looseClient(
  server: LooseServer,
  options: Partial<DlcClientOptions> = {},
): { client: DlcClient; delays: number[]; events: CallEvent[] } {
  const delays: number[] = [];
  const events: CallEvent[] = [];
  const client = new DlcClient({
    endpoint: server.endpoint,
    credentials: { getCredentials: async () => credentials },
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    onCall: (event) => events.push(event),
    ...options,
  });
  return { client, delays, events };
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
