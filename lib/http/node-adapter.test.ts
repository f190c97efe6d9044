// The lean router in front of Next: Web handlers, and the token endpoint's lite path, give the
// same wire result (status, headers incl. the security headers, body).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { protocolRouter, type Routes, type WebHandler } from "./node-adapter";
import { jsonLite, toResponse } from "./oauth-response";
import type { FormSource } from "./form";
import { SECURITY_HEADERS } from "./security-headers.mjs";

const seen: { auth: string | null; custom: string | null; missing: string | null; body: string }[] = [];
const liteCore = async (req: FormSource) => {
  seen.push({
    auth: req.headers.get("Authorization"),
    custom: req.headers.get("x-Dup"),
    missing: req.headers.get("x-missing"),
    body: await req.text(),
  });
  return jsonLite({ ok: true }, 201, { "X-Extra": "1" });
};
const liteHandler: WebHandler = Object.assign(async (req: Request) => toResponse(await liteCore(req)), { lite: liteCore });
const webHandler: WebHandler = async (req) => toResponse(jsonLite({ method: req.method, body: await req.text() }, 200));

const routes: Routes = { "/lite": { POST: liteHandler }, "/web": { GET: webHandler, POST: webHandler } };
let server: http.Server;
let base: string;

beforeAll(async () => {
  const router = protocolRouter(routes, "http://127.0.0.1");
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
  it("serves a handler's lite path: exact status, headers (security headers too) and body", async () => {
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

  it("serves Web handlers through Request/Response", async () => {
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
});
