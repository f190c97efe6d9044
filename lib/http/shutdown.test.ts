// Draining a real node:http server (createLimitedServer) with real keep-alive sockets.
import { setTimeout as sleep } from "node:timers/promises";
import { EventEmitter } from "node:events";
import type { Server } from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { processWide } from "../process-wide";
import { createLimitedServer } from "./server";
import { DRAIN_IDLE_MS, drain, isDraining, shutdownOnSignals } from "./shutdown";

const LIMITS = { maxBodyBytes: 65536, headersTimeoutMs: 5000, requestTimeoutMs: 10_000, keepAliveTimeoutMs: 30_000, maxConnections: 100 };

/** /slow answers after 400 ms, /hang never, anything else at once. */
function startServer(): Promise<{ server: Server; port: number }> {
  const server = createLimitedServer(LIMITS, (req, res) => {
    const answer = () => {
      res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": 4 });
      res.end("done");
    };
    if (req.url === "/slow") setTimeout(answer, 400);
    else if (req.url !== "/hang") answer();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as net.AddressInfo).port })));
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A raw HTTP/1.1 keep-alive connection: one request at a time, replies parsed by Content-Length. */
class Connection {
  readonly socket: net.Socket;
  readonly closed: Promise<void>;
  private buffer = "";
  private waiting: ((r: Reply) => void) | null = null;

  constructor(port: number) {
    this.socket = net.connect(port, "127.0.0.1");
    this.socket.setEncoding("latin1");
    this.socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      this.parse();
    });
    this.socket.on("error", () => undefined);
    this.closed = new Promise((r) => this.socket.once("close", () => r()));
  }

  request(path: string): Promise<Reply> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`);
    });
  }

  private parse() {
    const end = this.buffer.indexOf("\r\n\r\n");
    if (end < 0 || !this.waiting) return;
    const [statusLine = "", ...lines] = this.buffer.slice(0, end).split("\r\n");
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
    const length = Number(headers["content-length"] ?? 0);
    if (this.buffer.length < end + 4 + length) return;
    const body = this.buffer.slice(end + 4, end + 4 + length);
    this.buffer = this.buffer.slice(end + 4 + length);
    const resolve = this.waiting;
    this.waiting = null;
    resolve({ status: Number(statusLine.split(" ")[1]), headers, body });
  }
}

/** How a new connection fares: "refused", or "connected". */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve("connected");
    });
    s.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED" ? "refused" : (err.code ?? "error")));
  });
}

afterEach(() => {
  processWide.draining = undefined;
});

describe("drain", () => {
  it("lets a request in flight finish, answered with Connection: close, and refuses new connections at once", async () => {
    const { server, port } = await startServer();
    const c = new Connection(port);
    const before = await c.request("/fast");
    expect(before).toMatchObject({ status: 200, body: "done" });
    expect(before.headers.connection).toBe("keep-alive");

    const slow = c.request("/slow");
    await sleep(100);
    expect(isDraining()).toBe(false);
    const drained = drain(server, 5000);
    expect(isDraining()).toBe(true);
    expect(server.listening).toBe(false);
    expect(await connectOutcome(port)).toBe("refused");

    const reply = await slow;
    expect(reply).toMatchObject({ status: 200, body: "done" });
    expect(reply.headers.connection).toBe("close");
    await c.closed; // the server ends the connection after that response
    expect(await drained).toEqual({ cutOff: 0 });
  });

  it("answers a request that arrives on an idle keep-alive connection with Connection: close, and closes connections that stay idle", async () => {
    const { server, port } = await startServer();
    const busy = new Connection(port);
    const idle = new Connection(port);
    await busy.request("/fast");
    await idle.request("/fast");

    const started = Date.now();
    const drained = drain(server, 10_000);
    let idleClosedAt = 0;
    void idle.closed.then(() => (idleClosedAt = Date.now()));

    // The keep-alive client sends its next request just after the signal: served, not reset.
    await sleep(50);
    const reply = await busy.request("/fast");
    expect(reply).toMatchObject({ status: 200, body: "done" });
    expect(reply.headers.connection).toBe("close");
    await busy.closed;

    expect(await drained).toEqual({ cutOff: 0 });
    await idle.closed;
    // Closed at the first idle check, not at the keep-alive timeout (30 s here).
    expect(idleClosedAt - started).toBeGreaterThanOrEqual(DRAIN_IDLE_MS - 50);
    expect(idleClosedAt - started).toBeLessThan(DRAIN_IDLE_MS + 1500);
  });

  it("cuts off what still runs when the grace is over, and counts it", async () => {
    const { server, port } = await startServer();
    const hanging = new Connection(port);
    const idle = new Connection(port);
    await idle.request("/fast");
    let answered = false;
    void hanging.request("/hang").then(() => (answered = true));
    await sleep(100);

    const started = Date.now();
    const result = await drain(server, 300);
    const took = Date.now() - started;
    expect(result).toEqual({ cutOff: 1 });
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1500);
    await hanging.closed;
    await idle.closed;
    expect(answered).toBe(false);
  });
});

describe("shutdownOnSignals", () => {
  function wire(server: Server, graceMs: number) {
    const signals = new EventEmitter();
    const events: string[] = [];
    const exited = new Promise<number>((resolve) => {
      shutdownOnSignals(
        server,
        {
          graceMs,
          close: async () => {
            events.push("close");
          },
          log: () => undefined,
          exit: (code) => {
            events.push(`exit ${code}`);
            resolve(code);
          },
        },
        signals,
      );
    });
    return { signals, events, exited };
  }

  it("SIGTERM: drains, closes the database after the last request, exits 0; a copy of the signal right after is ignored", async () => {
    const { server, port } = await startServer();
    const c = new Connection(port);
    const slow = c.request("/slow");
    await sleep(50);
    const { signals, events, exited } = wire(server, 5000);
    signals.emit("SIGTERM", "SIGTERM");
    signals.emit("SIGINT", "SIGINT"); // npm forwarding the terminal's Ctrl-C: the same request
    expect(events).toEqual([]);
    expect((await slow).headers.connection).toBe("close");
    expect(await exited).toBe(0);
    expect(events).toEqual(["close", "exit 0"]);
  });

  it("exits 1 when the grace ran out, after closing the database", async () => {
    const { server, port } = await startServer();
    const c = new Connection(port);
    void c.request("/hang");
    await sleep(50);
    const { signals, events, exited } = wire(server, 200);
    signals.emit("SIGINT", "SIGINT");
    expect(await exited).toBe(1);
    expect(events).toEqual(["close", "exit 1"]);
  });

  it("a second signal, later, exits at once with 1", async () => {
    const { server, port } = await startServer();
    const c = new Connection(port);
    void c.request("/hang");
    await sleep(50);
    const { signals, events, exited } = wire(server, 60_000);
    signals.emit("SIGTERM", "SIGTERM");
    await sleep(1100);
    expect(events).toEqual([]);
    signals.emit("SIGTERM", "SIGTERM");
    expect(await exited).toBe(1);
    expect(events).toEqual(["exit 1"]);
    server.closeAllConnections();
  });
});
