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
      return true;
    },
    next: (req: IncomingMessage, res: ServerResponse) => {
      seen.push({ csp: req.headers["content-security-policy"] as string, reportOnly: req.headers["content-security-policy-report-only"] as string });
      res.end("page");
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
