// Fault scripts (scripts/faults/) and tests: a TCP proxy in front of a database server that can be told to
// pass traffic, refuse new connections (and reset the open ones: the server went away), or
// blackhole (accept and forward nothing, either way, on old and new connections: a frozen server
// or a dropped network).
import net from "node:net";
import type { AddressInfo } from "node:net";

export type ProxyMode = "pass" | "refuse" | "blackhole";

export interface TcpProxy {
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  setMode(mode: ProxyMode): void;
  close(): Promise<void>;
}

export async function tcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = "pass";
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  const server = net.createServer((client) => {
    if (mode === "refuse") return client.resetAndDestroy();
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    // Forwarded only in "pass" mode; in "blackhole" the bytes are read and dropped.
    client.on("data", (b) => mode === "pass" && upstream.write(b));
    upstream.on("data", (b) => mode === "pass" && client.write(b));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    urlFor(url) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    setMode(m) {
      mode = m;
      if (m === "refuse") for (const { client } of pairs) client.resetAndDestroy();
    },
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
