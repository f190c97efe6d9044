// The production request listener: HSTS only for an https ISSUER (RFC 6797), on the lean
// router's responses and Next's alike; a fresh CSP nonce per page, handed to Next in the
// request's CSP header (whatever the client sent there is replaced).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { requestListener } from "./request-listener";
import { hstsHeader, pageCsp } from "./transport-security";

const HSTS = "max-age=31536000; includeSubDomains";
let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** Serves the listener; Next is a fake that echoes the CSP request header it was given. */
async function serve(issuer: string, dev = false) {
  const seen: { csp?: string; reportOnly?: string }[] = [];
  const listener = requestListener({
    issuer,
    dev,
    protocol: async (req: IncomingMessage, res: ServerResponse) => {
      if (req.url !== "/oauth/token") return false;
      res.writeHead(400, { "Content-Type": "application/json" });
      res.end("{}");
      return "/oauth/token";
    },
    next: async (req: IncomingMessage, res: ServerResponse) => {
      seen.push({ csp: req.headers["content-security-policy"] as string, reportOnly: req.headers["content-security-policy-report-only"] as string });
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      res.end(`page:${Buffer.concat(chunks).toString()}`);
    },
  });
  server = createServer(listener);
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  return { base, seen };
}

describe("HSTS (RFC 6797)", () => {
  it("hstsHeader: one year with subdomains for https, none for http", () => {
    expect(hstsHeader("https://id.example.com")).toBe(HSTS);
    expect(hstsHeader("http://localhost:3000")).toBeNull();
    expect(hstsHeader("http://id.example.com")).toBeNull();
  });

  it("an https issuer: on the protocol router's responses and on pages", async () => {
    const { base } = await serve("https://id.example.com");
    const token = await fetch(`${base}/oauth/token`, { method: "POST" });
    expect([token.status, token.headers.get("strict-transport-security")]).toEqual([400, HSTS]);
    const page = await fetch(`${base}/signin`);
    expect([page.status, page.headers.get("strict-transport-security")]).toEqual([200, HSTS]);
  });

  it("an http issuer: never", async () => {
    const { base } = await serve("http://localhost:3000");
    expect((await fetch(`${base}/oauth/token`, { method: "POST" })).headers.get("strict-transport-security")).toBeNull();
    expect((await fetch(`${base}/signin`)).headers.get("strict-transport-security")).toBeNull();
  });
});

describe("CSP with a nonce per page", () => {
  const POLICY = /^script-src 'nonce-([A-Za-z0-9+/]{22}==)' 'strict-dynamic'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'$/;

  it("each page gets a new nonce; Next sees the same policy in the request; a client-sent policy is replaced", async () => {
    const { base, seen } = await serve("https://id.example.com");
    const a = await fetch(`${base}/signin`, {
      headers: { "content-security-policy": "script-src 'nonce-attacker'", "content-security-policy-report-only": "script-src 'nonce-x'" },
    });
    const b = await fetch(`${base}/consent`);
    const pa = a.headers.get("content-security-policy")!;
    const pb = b.headers.get("content-security-policy")!;
    expect(pa).toMatch(POLICY);
    expect(pb).toMatch(POLICY);
    expect(POLICY.exec(pa)![1]).not.toBe(POLICY.exec(pb)![1]);
    expect(seen).toEqual([{ csp: pa, reportOnly: undefined }, { csp: pb, reportOnly: undefined }]);
  });

  it("development adds 'unsafe-eval' (React's dev tooling); production never does", () => {
    expect(pageCsp("n", true)).toBe("script-src 'nonce-n' 'strict-dynamic' 'unsafe-eval'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    expect(pageCsp("n")).not.toContain("unsafe");
  });
});

describe("server-action bodies Next cannot decode (server-action-body.ts)", () => {
  const post = (base: string, headers: Record<string, string>, body: BodyInit) =>
    fetch(`${base}/signin`, { method: "POST", headers: { "next-action": "60adc079", ...headers }, body });

  it("a malformed body: 400, the portal's error page, Next never sees it", async () => {
    const { base, seen } = await serve("https://id.example.com");
    for (const body of ["hello", '"$@1"', '["$Q1"]', ""]) {
      const r = await post(base, { "content-type": "text/plain;charset=UTF-8" }, body);
      expect([r.status, r.headers.get("content-type"), r.headers.get("cache-control"), r.headers.get("x-frame-options")]).toEqual([
        400,
        "text/html; charset=utf-8",
        "no-store",
        "DENY",
      ]);
      expect(r.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
      expect(r.headers.get("strict-transport-security")).toBe(HSTS);
      const html = await r.text();
      expect(html).toContain("This form could not be read");
      expect(html).toContain("HTTP 400: the server-action request body is malformed");
    }
    const native = new FormData();
    native.append("$ACTION_REF_1", "");
    native.append("$ACTION_1:0", "garbage");
    expect((await fetch(`${base}/signin`, { method: "POST", body: native })).status).toBe(400);
    expect(seen).toEqual([]);
  });

  it("a valid body reaches Next unchanged, as does any other POST", async () => {
    const { base, seen } = await serve("https://id.example.com");
    const call = await post(base, { "content-type": "text/plain;charset=UTF-8" }, '[{"error":"$undefined"},"$$x"]');
    expect([call.status, await call.text()]).toEqual([200, 'page:[{"error":"$undefined"},"$$x"]']);
    const form = new FormData();
    form.append("0", '["$K1"]');
    form.append("_1_email", "a@example.com");
    const multi = await post(base, {}, form);
    expect(multi.status).toBe(200);
    expect(await multi.text()).toContain('name="_1_email"\r\n\r\na@example.com');
    const plain = await fetch(`${base}/signin`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=1" });
    expect([plain.status, await plain.text()]).toEqual([200, "page:a=1"]);
    expect(seen).toHaveLength(3);
  });
});
