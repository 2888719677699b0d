import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * The loopback listeners of one emulator service, their open sockets and the requests a delay fault holds: what
 * `stop()` must end at once and `reset()` must release, for the PAI-DLC side and the OSS side alike.
 */
export class Listeners {
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<() => void>();

  /** Keeps track of the server's connections, so `close()` can end them. */
  track<T extends Server>(server: T): T {
    this.servers.push(server);
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  /** Listens on loopback; resolves with the port (the one asked for, or the one the system chose for 0). */
  listen(server: Server, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  /** Resolves true after `ms`, or false at once when the requests held are released first (reset or stop). */
  hold(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        this.held.delete(release);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.held.delete(release);
        resolve(true);
      }, ms);
      this.held.add(release);
    });
  }

  releaseHeld(): void {
    for (const release of [...this.held]) release();
    this.held.clear();
  }

  /** Releases held requests, closes every listener and ends every connection at once. */
  async close(): Promise<void> {
    this.releaseHeld();
    const closed = this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    for (const socket of this.sockets) socket.destroy();
    for (const server of this.servers) server.closeAllConnections();
    await Promise.all(closed);
  }
}
