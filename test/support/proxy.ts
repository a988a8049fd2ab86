/**
 * A TCP proxy on loopback between the action and the emulator, with a switch for outages: `pass`
 * forwards every connection; `drop` closes every open connection and each new one as soon as it is
 * accepted (the client sees "socket hang up", as in issue 13); `refuse` stops listening (the client
 * sees ECONNREFUSED) until the switch goes back; `silent` accepts new connections and never answers
 * (a network that drops packets: only the client's timeout ends the call). The connections really
 * fail: nothing is mocked.
 */
import * as net from 'node:net';

export type ProxyMode = 'pass' | 'drop' | 'refuse' | 'silent';

export interface FlakyProxy {
  /** http://127.0.0.1:<port>, for AWS_ENDPOINT_URL. */
  endpoint: string;
  readonly mode: ProxyMode;
  /** Connections accepted and closed at once while dropping. */
  readonly dropped: number;
  /** Connections forwarded. */
  readonly forwarded: number;
  set(mode: ProxyMode): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<FlakyProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const open = new Set<net.Socket>();
  let mode: ProxyMode = 'pass';
  let dropped = 0;
  let forwarded = 0;

  const server = net.createServer((client) => {
    if (mode === 'silent') {
      open.add(client);
      client.on('close', () => open.delete(client));
      client.on('error', () => client.destroy());
      client.resume();
      return;
    }
    if (mode !== 'pass') {
      dropped++;
      client.destroy();
      return;
    }
    forwarded++;
    const upstream = net.connect(Number(targetPort), hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      // One side failing ends both, as a real cut would.
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;

  const cutOpenConnections = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };

  return {
    endpoint: `http://127.0.0.1:${port}`,
    get mode() {
      return mode;
    },
    get dropped() {
      return dropped;
    },
    get forwarded() {
      return forwarded;
    },
    async set(next) {
      if (next === mode) return;
      const wasListening = mode !== 'refuse';
      mode = next;
      if (next !== 'pass') cutOpenConnections();
      if (next === 'refuse' && wasListening) await new Promise<void>((resolve) => server.close(() => resolve()));
      if (next !== 'refuse' && !wasListening) await listen(port);
    },
    async close() {
      cutOpenConnections();
      if (mode !== 'refuse') await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
