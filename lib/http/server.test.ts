// The limits of the node:http server in front of the lean router and Next: body size for every
// path and transfer coding, canonical protocol paths, slow clients, connection count.
// Raw sockets, so that the test controls exactly what is sent and when.
import { afterEach, describe, expect, it } from "vitest";
import net from "node:net";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createLimitedServer, nonCanonicalGuardedPath, normalizePath, type ServerLimits } from "./server";

const LIMITS: ServerLimits = {
  maxBodyBytes: 1024,
  headersTimeoutMs: 400,
  requestTimeoutMs: 800,
  keepAliveTimeoutMs: 300,
  maxConnections: 100,
  checkIntervalMs: 50,
};

let server: Server | undefined;
const seen: { url: string; body: string }[] = [];

async function start(limits: Partial<ServerLimits> = {}): Promise<number> {
  seen.length = 0;
  server = createLimitedServer({ ...LIMITS, ...limits }, async (req, res) => {
    let body = "";
    try {
      for await (const c of req) body += (c as Buffer).toString();
    } catch {
      return; // the client went away (the connection-count test destroys its sockets)
    }
    seen.push({ url: req.url ?? "", body });
    res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": String(Buffer.byteLength(body)) });
    res.end(body);
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

afterEach(async () => {
  const s = server;
  server = undefined;
  if (s) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

interface Conn {
  socket: net.Socket;
  /** Everything received until the server closed the connection. */
  closed: Promise<string>;
  /** Resolves once `text` has been received. */
  received(text: string): Promise<string>;
}

function connect(port: number): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let data = "";
    const waiters: { text: string; r: (d: string) => void }[] = [];
    socket.on("data", (c) => {
      data += c.toString();
      for (const w of waiters.splice(0)) {
        if (data.includes(w.text)) w.r(data);
        else waiters.push(w);
      }
    });
    const closed = new Promise<string>((r) => socket.on("close", () => r(data)));
    socket.on("error", () => undefined); // a reset after the server's answer is expected
    socket.once("connect", () =>
      resolve({
        socket,
        closed,
        received: (text) => (data.includes(text) ? Promise.resolve(data) : new Promise((r) => waiters.push({ text, r }))),
      }),
    );
    socket.once("error", reject);
  });
}

const statusLine = (raw: string) => raw.split("\r\n")[0];
const bodyOf = (raw: string) => raw.slice(raw.indexOf("\r\n\r\n") + 4);

describe("request bodies", () => {
  it("refuses a Content-Length over the limit at once with 413, on any path, without reading the body", async () => {
    const port = await start();
    for (const path of ["/api/auth/callback/credentials", "/oauth/register/abc", "/dashboard/clients/new"]) {
      const c = await connect(port);
      // Only the headers: the server must answer without waiting for the 200 MB it announces.
      c.socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 209715200\r\n\r\n`);
      const raw = await c.closed;
      expect(statusLine(raw)).toBe("HTTP/1.1 413 Payload Too Large");
      expect(raw).toMatch(/\r\nconnection: close\r\n/i);
      expect(JSON.parse(bodyOf(raw))).toEqual({ error: "invalid_request", error_description: "The request body is larger than 1024 bytes" });
    }
    expect(seen).toEqual([]);
  });

  it("counts a chunked body as it arrives and cuts it at the limit with 413", async () => {
    const port = await start();
    const c = await connect(port);
    c.socket.write("POST /api/auth/signin HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    const chunk = "a".repeat(400);
    for (let i = 0; i < 3; i++) c.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    const raw = await c.received("\r\n\r\n{");
    expect(statusLine(raw)).toBe("HTTP/1.1 413 Payload Too Large");
    // The client may go on sending: it is not read into memory, and the connection is closed.
    c.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    await c.closed;
    expect(seen).toEqual([]);
  });

  it("hands on a chunked body within the limit whole and unchanged", async () => {
    const port = await start();
    const c = await connect(port);
    c.socket.write("POST /api/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    c.socket.write("5\r\nhello\r\n");
    c.socket.write("6\r\n world\r\n0\r\n\r\n");
    const raw = await c.closed;
    expect(statusLine(raw)).toBe("HTTP/1.1 200 OK");
    expect(bodyOf(raw)).toBe("hello world");
    expect(seen).toEqual([{ url: "/api/x", body: "hello world" }]);
  });

  it("hands on a body with a Content-Length at the limit", async () => {
    const port = await start();
    const c = await connect(port);
    const body = "b".repeat(1024);
    c.socket.write(`POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\nConnection: close\r\n\r\n${body}`);
    const raw = await c.closed;
    expect(statusLine(raw)).toBe("HTTP/1.1 200 OK");
    expect(seen).toEqual([{ url: "/api/x", body }]);
  });
});

describe("protocol path spellings", () => {
  it("normalises like RFC 3986 §6.2.2", () => {
    expect(normalizePath("/oauth/./token")).toBe("/oauth/token");
    expect(normalizePath("//oauth//token/")).toBe("/oauth/token");
    expect(normalizePath("/oauth/x/../token")).toBe("/oauth/token");
    expect(normalizePath("/oauth/%74oken")).toBe("/oauth/token");
    expect(normalizePath("/oauth/a%2fb")).toBe("/oauth/a%2Fb");
  });

  it("refuses other spellings of protocol and next-auth paths with 400 naming the canonical one", async () => {
    const port = await start();
    const spellings: [string, string][] = [
      ["/oauth/./token", "/oauth/token"],
      ["//oauth/token", "/oauth/token"],
      ["/oauth/token/", "/oauth/token"],
      ["/oauth/%74oken", "/oauth/token"],
      ["/oauth/register/abc/../abc", "/oauth/register/abc"],
      ["/.well-known/./jwks.json", "/.well-known/jwks.json"],
      ["/api//auth/session", "/api/auth/session"],
    ];
    for (const [path, canonical] of spellings) {
      const c = await connect(port);
      c.socket.write(`POST ${path}?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\na=b`);
      const raw = await c.closed;
      expect(statusLine(raw), path).toBe("HTTP/1.1 400 Bad Request");
      expect(JSON.parse(bodyOf(raw))).toEqual({
        error: "invalid_request",
        error_description: `Send this request to ${canonical}: other spellings of the path are refused`,
      });
    }
    expect(seen).toEqual([]);
  });

  it("passes canonical paths, and other paths whatever their spelling (Next redirects those)", () => {
    for (const url of ["/oauth/token", "/oauth/token?a=b/../c", "/oauth/register/abc", "/.well-known/openid-configuration", "/", "/dashboard/", "//x", "/_next/static/a.js"]) {
      expect(nonCanonicalGuardedPath(url), url).toBeNull();
    }
  });
});

describe("slow clients and connection count", () => {
  it("cuts off a client that sends its headers slowly with 408", async () => {
    const port = await start();
    const c = await connect(port);
    c.socket.write("GET /oauth/authorize HTTP/1.1\r\nHost: x\r\n");
    // One header byte at a time, never finishing: the headers timeout ends it.
    const drip = setInterval(() => c.socket.writable && c.socket.write("X"), 50);
    try {
      const raw = await c.closed;
      expect(statusLine(raw)).toBe("HTTP/1.1 408 Request Timeout");
    } finally {
      clearInterval(drip);
    }
    expect(seen).toEqual([]);
  });

  it("cuts off a client that sends its body slowly with 408", async () => {
    const port = await start();
    const c = await connect(port);
    c.socket.write("POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n");
    const drip = setInterval(() => c.socket.writable && c.socket.write("a"), 50);
    try {
      const raw = await c.closed;
      expect(statusLine(raw)).toBe("HTTP/1.1 408 Request Timeout");
    } finally {
      clearInterval(drip);
    }
  });

  it("closes an idle keep-alive connection, and tells the client when", async () => {
    const port = await start({ keepAliveTimeoutMs: 2000 });
    const c = await connect(port);
    c.socket.write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
    const raw = await c.closed; // no Connection: close: only the keep-alive timeout ends it
    expect(statusLine(raw)).toBe("HTTP/1.1 200 OK");
    expect(raw).toMatch(/\r\nKeep-Alive: timeout=2\r\n/);
  });

  it("closes connections beyond maxConnections as they open", async () => {
    const port = await start({ maxConnections: 2, headersTimeoutMs: 60_000, requestTimeoutMs: 60_000 });
    let accepted = 0;
    const both = new Promise<void>((r) => server!.on("connection", () => ++accepted === 2 && r()));
    const a = await connect(port);
    const b = await connect(port);
    // Both are accepted; hold them open with unfinished requests.
    a.socket.write("GET /a HTTP/1.1\r\nHost: x\r\n");
    b.socket.write("GET /b HTTP/1.1\r\nHost: x\r\n");
    await both;
    const third = await connect(port);
    third.socket.write("GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(await third.closed).toBe(""); // closed unanswered
    a.socket.write("\r\n");
    expect(statusLine(await a.received("\r\n\r\n"))).toBe("HTTP/1.1 200 OK");
    a.socket.destroy();
    b.socket.destroy();
  });
});
