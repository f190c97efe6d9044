// The rate limits of the token, introspection, revocation and registration endpoints end to end
// over real databases (SQLite and PostgreSQL; counters in the database): exact wire results of a
// 429, failed client authentication limited before the secret is checked and audited within
// bounds, and two "servers" sharing the failure counts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { instance, ISSUER } from "@test/http-instance";
import { auditStore } from "../../db/audit";
import { clientStore } from "../../db/clients";
import { rateCounterStore } from "../../db/rate-counters";
import { registrationStore } from "../../db/registration";
import type { RateLimitConfig } from "../../config";
import { clientMetadataSchema } from "../../oauth/client-metadata";
import type { OAuthDeps } from "../../oauth/types";
import { RateLimiter } from "../../ratelimit/limiter";
import { RateLimits } from "../rate-limits";
import { webHandler } from "../web-handler";
import { makeIntrospection } from "./introspection";
import { makeRegistration } from "./registration";
import { makeRevocation } from "./revocation";
import { makeToken } from "./token";

// 30 s before the end of a minute and of a 5-minute window: every Retry-After here is 30.
const NOW = 1_800_000_000_000 + 270_000;
const OFF: RateLimitConfig = {
  perClientPerMinute: 0,
  perAddressPerMinute: 0,
  authFailuresPerClient: 0,
  authFailuresPerAddress: 0,
  authFailureWindowSeconds: 300,
  syncMs: 1000,
  redisUrl: null,
  redisKeyPrefix: "",
};

type Creds = { client_id: string; client_secret: string };

function form(path: string, body: Record<string, string>, auth?: { id: string; secret: string }, ip = "203.0.113.7"): Request {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", "x-latchkey-client-ip": ip };
  if (auth) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(auth.id)}:${encodeURIComponent(auth.secret)}`).toString("base64")}`;
  return new Request(`${ISSUER}${path}`, { method: "POST", headers, body: new URLSearchParams(body) });
}

async function expect429(res: Response, description: string, retryAfter = "30") {
  expect(res.status).toBe(429);
  expect(res.headers.get("retry-after")).toBe(retryAfter);
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(await res.json()).toEqual({ error: "temporarily_unavailable", error_description: description });
}

describe.each(PROVIDERS)("rate limits on %s", (provider) => {
  let t: TempDatabase;
  let deps: OAuthDeps;
  beforeAll(async () => {
    t = await tempDatabase(provider);
    deps = instance(t);
  });
  afterAll(async () => {
    await t?.drop();
  });

  /** One server's limits over the test database's counters. */
  function server(cfg: Partial<RateLimitConfig>) {
    const limiter = new RateLimiter(rateCounterStore(t.db), { syncMs: 1000, now: () => NOW });
    const limits = new RateLimits({ limiter, config: { ...OFF, ...cfg }, audit: auditStore(t.db).record });
    return {
      limiter,
      token: webHandler(makeToken(() => deps, () => limits)),
      introspect: webHandler(makeIntrospection(() => deps, () => limits)),
      revoke: webHandler(makeRevocation(() => deps, () => limits)),
      registration: Object.fromEntries(
        Object.entries(
          makeRegistration(() => ({ issuer: ISSUER, openRegistration: true, store: registrationStore(t.db), now: () => new Date(), rateLimits: limits })),
        ).map(([k, e]) => [k, webHandler(e)]),
      ) as Record<"register" | "read", (req: Request) => Promise<Response>>,
    };
  }

  const newClient = async () =>
    (await clientStore(t.db).create(
      clientMetadataSchema.parse({ client_name: "M2M", redirect_uris: ["https://app.test/cb"], grant_types: ["client_credentials"] }),
      null,
    )) as unknown as Creds;
  const cc = (c: Creds, secret = c.client_secret, ip?: string) => form("/oauth/token", { grant_type: "client_credentials" }, { id: c.client_id, secret }, ip);
  const events = async (type: string, clientId: string) =>
    (await t.db.auditEvent.findMany({ where: { type, clientId }, orderBy: { id: "asc" } })).map((e) => ({ ip: e.ip, data: JSON.parse(e.data ?? "null") }));

  it("token: per client, the request over the limit is 429 with Retry-After, no-store and a JSON error", async () => {
    const s = server({ perClientPerMinute: 2 });
    const c = await newClient();
    expect((await s.token(cc(c))).status).toBe(200);
    expect((await s.token(cc(c))).status).toBe(200);
    await expect429(await s.token(cc(c)), "Too many requests for this client; retry after 30 seconds");
    // Another client from the same address is not limited.
    expect((await s.token(cc(await newClient()))).status).toBe(200);
  });

  it("token: per address (IPv6 per /64), whatever the client", async () => {
    const s = server({ perAddressPerMinute: 2 });
    const c = await newClient();
    expect((await s.token(cc(c, c.client_secret, "2001:db8:1:2::1"))).status).toBe(200);
    expect((await s.token(cc(await newClient(), undefined, "2001:db8:1:2::ffff"))).status).toBe(200);
    await expect429(await s.token(cc(c, c.client_secret, "2001:db8:1:2::2")), "Too many requests from this address; retry after 30 seconds");
    expect((await s.token(cc(c, c.client_secret, "2001:db8:1:3::1"))).status).toBe(200);
  });

  it("a wrong secret 10 times: 401 each, audited each; the 11th is 429 even with the right secret; one throttled event", async () => {
    const s = server({ authFailuresPerClient: 10, authFailuresPerAddress: 100 });
    const c = await newClient();
    for (let i = 0; i < 10; i++) {
      const res = await s.token(cc(c, "wrong-secret"));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: "invalid_client", error_description: "Client authentication failed" });
    }
    await expect429(await s.token(cc(c)), "Too many failed client authentications; retry after 30 seconds");
    for (let i = 0; i < 5; i++) expect((await s.token(cc(c, "wrong-again"))).status).toBe(429);
    const failed = await events("client.auth_failed", c.client_id);
    expect(failed).toHaveLength(10);
    expect(failed[0]).toEqual({ ip: "203.0.113.7", data: { endpoint: "token", reason: "wrong_secret" } });
    expect(await events("client.auth_throttled", c.client_id)).toEqual([
      { ip: "203.0.113.7", data: { endpoint: "token", by: "client", failures: 10, window_seconds: 300 } },
    ]);
    // The failure counts are in the shared counters, not only in this server's memory.
    expect((await t.db.rateCounter.findMany({ where: { key: { startsWith: `authfail.c:${c.client_id}@` } } })).map((r) => r.count)).toEqual([10]);
  });

  it("per address, failures over many client_ids (an unknown one audited as such) lock the address", async () => {
    const s = server({ authFailuresPerClient: 10, authFailuresPerAddress: 3 });
    const ip = "198.51.100.77";
    const unknown = `no-such-client-${provider}`;
    expect((await s.token(form("/oauth/token", { grant_type: "client_credentials" }, { id: unknown, secret: "x" }, ip))).status).toBe(401);
    expect(await events("client.auth_failed", unknown)).toEqual([{ ip, data: { endpoint: "token", reason: "unknown_client" } }]);
    expect((await s.token(cc(await newClient(), "bad", ip))).status).toBe(401);
    expect((await s.token(cc(await newClient(), "bad", ip))).status).toBe(401);
    const c = await newClient();
    await expect429(await s.token(cc(c, c.client_secret, ip)), "Too many failed client authentications; retry after 30 seconds");
    expect((await s.token(cc(c))).status).toBe(200); // another address
  });

  it("two servers share the failure counts: over the limit on the other one is 429 and not audited", async () => {
    const a = server({ authFailuresPerClient: 3, authFailuresPerAddress: 100 });
    const b = server({ authFailuresPerClient: 3, authFailuresPerAddress: 100 });
    const c = await newClient();
    expect((await b.token(cc(c))).status).toBe(200); // b serves this client already
    for (let i = 0; i < 3; i++) expect((await a.token(cc(c, "guess"))).status).toBe(401);
    // b has not synced yet: it checks the guess, and the write-through count (4 > 3) refuses it.
    await expect429(await b.token(cc(c, "guess")), "Too many failed client authentications; retry after 30 seconds");
    expect(await events("client.auth_failed", c.client_id)).toHaveLength(3);
    expect(await events("client.auth_throttled", c.client_id)).toHaveLength(1);
    // After its sync, b refuses the right secret too, before checking it.
    await b.limiter.sync();
    await expect429(await b.token(cc(c)), "Too many failed client authentications; retry after 30 seconds");
  });

  it("introspection and revocation: 429 per client and per failed authentication", async () => {
    const s = server({ perClientPerMinute: 1, authFailuresPerClient: 1, authFailuresPerAddress: 100 });
    const c = await newClient();
    const auth = { id: c.client_id, secret: c.client_secret };
    expect((await s.introspect(form("/oauth/introspect", { token: "x" }, auth))).status).toBe(200);
    await expect429(await s.introspect(form("/oauth/introspect", { token: "x" }, auth)), "Too many requests for this client; retry after 30 seconds");
    expect((await s.revoke(form("/oauth/revoke", { token: "x" }, auth))).status).toBe(200);
    await expect429(await s.revoke(form("/oauth/revoke", { token: "x" }, auth)), "Too many requests for this client; retry after 30 seconds");
    const d = await newClient();
    expect((await s.revoke(form("/oauth/revoke", { token: "x" }, { id: d.client_id, secret: "bad" }))).status).toBe(401);
    expect(await events("client.auth_failed", d.client_id)).toEqual([{ ip: "203.0.113.7", data: { endpoint: "revocation", reason: "wrong_secret" } }]);
    await expect429(
      await s.introspect(form("/oauth/introspect", { token: "x" }, { id: d.client_id, secret: d.client_secret })),
      "Too many failed client authentications; retry after 30 seconds",
    );
  });

  it("registration and the RFC 7592 paths: 429 per address, and per client on the configuration path", async () => {
    const s = server({ perAddressPerMinute: 2, perClientPerMinute: 1 });
    const ip = "192.0.2.50";
    const register = () =>
      s.registration.register(
        new Request(`${ISSUER}/oauth/register`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-latchkey-client-ip": ip },
          body: JSON.stringify({ client_name: "MCP host", redirect_uris: ["https://app.test/cb"], token_endpoint_auth_method: "none" }),
        }),
      );
    const first = await register();
    expect(first.status).toBe(201);
    const { registration_client_uri, registration_access_token } = await first.json();
    const read = (from: string) =>
      s.registration.read(
        new Request(registration_client_uri, { headers: { authorization: `Bearer ${registration_access_token}`, "x-latchkey-client-ip": from } }),
      );
    expect((await read(ip)).status).toBe(200);
    await expect429(await register(), "Too many requests from this address; retry after 30 seconds");
    // Another address, the same client: its budget of 1 on this endpoint is used.
    await expect429(await read("192.0.2.51"), "Too many requests for this client; retry after 30 seconds");
  });
});
