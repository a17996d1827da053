/**
 * A TCP proxy in the test process, to make a shared service unreachable for
 * one app without touching the service: the app is pointed at the proxy, and
 * closing the proxy cuts every connection and refuses new ones.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** The same URL with host and port replaced by the proxy's. */
  via(url: string): string;
  /** Cuts every open connection and stops accepting new ones (connections are refused). */
  close(): Promise<void>;
}

/** Starts a proxy to the host and port of `targetUrl` on a free port of 127.0.0.1. */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A cut connection errors on both sides; the test wants exactly that, not a crash.
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the proxy has no port');
  let closed: Promise<void> | null = null;
  return {
    via(url) {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(address.port);
      return proxied.toString();
    },
    close() {
      closed ??= new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
