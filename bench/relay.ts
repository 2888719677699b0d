import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** A network between the editor side (extension host, browser) and the emulator: its delay and its bandwidth. */
export interface NetworkProfile {
  readonly name: string;
  /** Added to every byte's trip, each way (half the round trip). */
  readonly oneWayMs: number;
  /** Shared by every connection, each way; undefined: as fast as loopback. */
  readonly megabitsPerSecond?: number;
}

export const PROFILES = {
  loopback: { name: 'loopback', oneWayMs: 0 },
  /** A laptop in Beijing to cn-hangzhou: 40 ms round trip, 50 Mbit/s. */
  wan: { name: 'WAN 40 ms, 50 Mbit/s', oneWayMs: 20, megabitsPerSecond: 50 },
} as const satisfies Record<string, NetworkProfile>;

export type ProfileName = keyof typeof PROFILES;

/**
 * One direction of the link: a chunk leaves when the link has sent what came before it (at the profile's bandwidth,
 * shared by all connections) and arrives `oneWayMs` later. Deliveries are in order, as TCP's are.
 */
class Link {
  private freeAt = 0;

  constructor(private readonly profile: () => NetworkProfile) {}

  /** Milliseconds from now until a chunk of `bytes` sent now arrives. */
  delayFor(bytes: number): number {
    const { oneWayMs, megabitsPerSecond } = this.profile();
    const now = performance.now();
    const sendMs = megabitsPerSecond === undefined ? 0 : (bytes * 8) / (megabitsPerSecond * 1_000);
    this.freeAt = Math.max(now, this.freeAt) + sendMs;
    return this.freeAt - now + oneWayMs;
  }
}

export interface Relay {
  /** `http://127.0.0.1:PORT`: give it out instead of the target's origin. */
  readonly origin: string;
  profile: NetworkProfile;
  close(): Promise<void>;
}

/**
 * A TCP relay on loopback in front of `targetPort`, shaping both directions by the current profile (switchable while
 * it runs). Bytes pass unchanged (Host headers and signatures included); chunks are delivered in order.
 */
export async function startRelay(targetPort: number, profile: NetworkProfile = PROFILES.loopback): Promise<Relay> {
  const sockets = new Set<Socket>();
  const relay: Relay = { origin: '', profile, close: () => Promise.resolve() };
  const up = new Link(() => relay.profile);
  const down = new Link(() => relay.profile);
  const forward = (from: Socket, to: Socket, link: Link, holdMs = 0): void => {
    // In order, each at its time: one timer at a time, for the first of the queue.
    const queue: Array<{ at: number; action: () => void }> = [{ at: performance.now() + holdMs, action: () => {} }];
    let timer: NodeJS.Timeout | undefined;
    const next = (): void => {
      timer = undefined;
      while (queue.length > 0 && queue[0]!.at <= performance.now()) queue.shift()!.action();
      if (queue.length > 0) timer = setTimeout(next, queue[0]!.at - performance.now());
    };
    const after = (bytes: number, action: () => void): void => {
      queue.push({ at: performance.now() + link.delayFor(bytes), action });
      if (timer === undefined) next();
    };
    next();
    from.on('data', (chunk: Buffer) => after(chunk.length, () => to.write(chunk)));
    // The end, and a close without one (a reset), travel as late as the bytes before them.
    from.on('end', () => after(0, () => to.end()));
    from.on('close', () =>
      after(0, () => {
        if (!to.writableEnded) to.destroy();
      }),
    );
    from.on('error', () => undefined);
  };
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => sockets.delete(socket));
    }
    // TCP's handshake: a round trip before the client's first byte can leave.
    forward(client, upstream, up, 2 * relay.profile.oneWayMs);
    forward(upstream, client, down);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  Object.assign(relay, {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  });
  return relay;
}
