// The lean router in front of Next: endpoints get the request without anything copied up front
// (lazy, case-insensitive header lookup), and their answer goes out exactly (status, headers incl.
// the security headers, several Set-Cookie values, body); a prefix route serves one more segment.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { protocolRouter, type Routes } from "./node-adapter";
import type { Endpoint } from "./endpoint";
import { json } from "./oauth-response";
import { SECURITY_HEADERS } from "./security-headers.mjs";

const seen: { auth: string | null; custom: string | null; missing: string | null; body: string }[] = [];
const formEndpoint: Endpoint = async (req) => {
  seen.push({
    auth: req.headers.get("Authorization"),
    custom: req.headers.get("x-Dup"),
    missing: req.headers.get("x-missing"),
    body: await req.text(),
  });
  return json({ ok: true }, 201, { "X-Extra": "1" });
};
const echo: Endpoint = async (req) => json({ method: req.method, body: await req.text() }, 200);
const cookies: Endpoint = async () => ({ status: 302, headers: { Location: "/", "Set-Cookie": ["a=; Max-Age=0", "b=; Max-Age=0"] }, body: "" });
const target: Endpoint = async (req) => json({ url: req.url });

const routes: Routes = {
  "/lite": { POST: formEndpoint },
  "/web": { GET: echo, POST: echo },
  "/cookies": { GET: cookies },
  "/items/*": { GET: target },
};
let server: http.Server;
let base: string;

beforeAll(async () => {
  const router = protocolRouter(routes);
  server = http.createServer(async (req, res) => {
    if (!(await router(req, res))) {
      res.statusCode = 418;
      res.end("next");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A raw request, so that repeated headers reach the server as sent. */
function raw(path: string, method: string, headers: [string, string][], body = ""): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers: ["Host", "127.0.0.1", ...headers.flat(), "Content-Length", String(Buffer.byteLength(body))] });
    req.on("response", (res) => {
      let b = "";
      res.on("data", (c: Buffer) => (b += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("protocolRouter", () => {
  it("serves an endpoint: exact status, headers (security headers too) and body", async () => {
    const r = await raw("/lite", "POST", [["authorization", "Basic abc"], ["X-Dup", "a"], ["x-dup", "b"], ["Content-Type", "application/x-www-form-urlencoded"]], "grant_type=client_credentials");
    expect(r.status).toBe(201);
    expect(r.body).toBe('{"ok":true}');
    expect(r.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(r.headers["cache-control"]).toBe("no-store");
    expect(r.headers.pragma).toBe("no-cache");
    expect(r.headers["x-extra"]).toBe("1");
    for (const { key, value } of SECURITY_HEADERS) expect(r.headers[key.toLowerCase()]).toBe(value);
    // Header lookup is case-insensitive, and repeated headers are joined as Headers.get() does.
    expect(seen.at(-1)).toEqual({ auth: "Basic abc", custom: "a, b", missing: null, body: "grant_type=client_credentials" });
  });

  it("gives the endpoint the method and the body", async () => {
    const r = await raw("/web", "POST", [["Content-Type", "text/plain"]], "hello");
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ method: "POST", body: "hello" });
    for (const { key, value } of SECURITY_HEADERS) expect(r.headers[key.toLowerCase()]).toBe(value);
  });

  it("405 with Allow for another method; 413 for a body over 64 KiB; other paths go to Next", async () => {
    const m = await raw("/lite", "GET", []);
    expect(m.status).toBe(405);
    expect(m.headers.allow).toBe("POST");
    expect(JSON.parse(m.body).error).toBe("invalid_request");
    const big = await raw("/lite", "POST", [["Content-Type", "application/x-www-form-urlencoded"]], `a=${"x".repeat(70 * 1024)}`);
    expect(big.status).toBe(413);
    expect((await raw("/elsewhere", "GET", [])).status).toBe(418);
  });

  it("sends each Set-Cookie value as its own header line (RFC 6265 §3)", async () => {
    const r = await raw("/cookies", "GET", []);
    expect(r.status).toBe(302);
    expect(r.headers["set-cookie"]).toEqual(["a=; Max-Age=0", "b=; Max-Age=0"]);
    expect(r.body).toBe("");
  });

  it("a prefix route serves exactly one more non-empty segment, with the target as sent", async () => {
    const r = await raw("/items/a%2Fb?x=1", "GET", []);
    expect([r.status, JSON.parse(r.body)]).toEqual([200, { url: "/items/a%2Fb?x=1" }]);
    expect((await raw("/items", "GET", [])).status).toBe(418);
    expect((await raw("/items/a/b", "GET", [])).status).toBe(418);
  });
});
