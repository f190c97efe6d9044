// Anonymous writes per address are capped (issue #15), on the wire, over real databases: a
// parked authorization request and an open registration each count against the caller's
// address; over the cap the answer is 429 with Retry-After and no row is written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { clientStore } from "../../db/clients";
import { registrationStore } from "../../db/registration";
import { sessionStore } from "../../db/sessions";
import { userStore } from "../../db/users";
import { clientMetadataSchema } from "../../oauth/client-metadata";
import { s256 } from "../../oauth/pkce";
import type { PortalSessionInfo } from "../../oauth/types";
import { RateLimiter } from "../../ratelimit/limiter";
import { AnonymousWriteLimit, requestIp } from "../anonymous-writes";
import { CLIENT_IP_HEADER } from "../client-ip";
import { authorizeEndpoints } from "./authorize";
import { makeRegistration } from "./registration";
import { instance, ISSUER } from "../../../test/http-instance";
import { webEndpoints } from "../../../test/web-endpoints";
import { protocolSessionOf } from "../../auth/portal-session";

const REDIRECT = "https://app.test/cb";
const T0 = 1_800_000_000_000 + 20_000; // 20 s into a minute: 40 s left

describe.each(PROVIDERS)("anonymous write cap on %s", (provider) => {
  let t: TempDatabase;
  let clientId: string;
  let session: PortalSessionInfo;
  beforeAll(async () => {
    t = await tempDatabase(provider);
    const c = await clientStore(t.db).create(clientMetadataSchema.parse({ client_name: "App", redirect_uris: [REDIRECT] }), null);
    clientId = c.client_id;
    const userId = (await userStore(t.db).create({ email: "cap@test.dev", passwordHash: "x" })).id;
    const s = await sessionStore(t.db).create({ userId, maxAgeSeconds: 3600 });
    session = protocolSessionOf(s);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const authorizeUrl = () =>
    `${ISSUER}/oauth/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT, response_type: "code", scope: "openid", state: "s", code_challenge: s256("v".repeat(43)), code_challenge_method: "S256" })}`;
  const from = (ip: string) => ({ headers: { [CLIENT_IP_HEADER]: ip } });

  it("GET /oauth/authorize without a session: 2 parked requests per address, then 429 with Retry-After and no row", async () => {
    const limit = new AnonymousWriteLimit(2, new RateLimiter(null, { syncMs: 1000, now: () => T0 }));
    let signedIn: PortalSessionInfo | null = null;
    const ep = webEndpoints(authorizeEndpoints({ deps: () => instance(t), session: async () => signedIn, admitAnonymous: (req) => limit.take(requestIp(req.headers)) }));
    const before = await t.db.authorizationRequest.count();
    for (let i = 0; i < 2; i++) {
      const ok = await ep.GET(new Request(authorizeUrl(), from("198.51.100.9")));
      expect(ok.status).toBe(302);
      expect(ok.headers.get("location")).toMatch(/^\/signin\?callbackUrl=/);
    }
    const refused = await ep.GET(new Request(authorizeUrl(), from("198.51.100.9")));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("40");
    expect(refused.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await refused.text()).toContain("Too many sign-in requests came from your network. Wait 40 seconds and try again.");
    // POST is the same request: refused too.
    const post = await ep.POST(
      new Request(`${ISSUER}/oauth/authorize`, { method: "POST", headers: { ...from("198.51.100.9").headers, "content-type": "application/x-www-form-urlencoded" }, body: new URL(authorizeUrl()).search.slice(1) }),
    );
    expect(post.status).toBe(429);
    expect(await t.db.authorizationRequest.count()).toBe(before + 2);
    // Another address has its own budget.
    expect((await ep.GET(new Request(authorizeUrl(), from("198.51.100.10")))).status).toBe(302);
    // A signed-in user is not anonymous: parking for consent is not capped.
    signedIn = session;
    const consent = await ep.GET(new Request(authorizeUrl(), from("198.51.100.9")));
    expect(consent.status).toBe(302);
    expect(consent.headers.get("location")).toMatch(/^\/consent\?request=/);
    expect(await t.db.authorizationRequest.count()).toBe(before + 4);
  });

  it("open registration without a token: 1 client per address, then 429 temporarily_unavailable with Retry-After", async () => {
    const limit = new AnonymousWriteLimit(1, new RateLimiter(null, { syncMs: 1000, now: () => T0 }));
    const store = registrationStore(t.db);
    const ep = webEndpoints(makeRegistration(() => ({ issuer: ISSUER, openRegistration: true, store, now: () => new Date(), admitAnonymous: (req) => limit.take(requestIp(req.headers)) })));
    const register = (token?: string) =>
      ep.register(
        new Request(`${ISSUER}/oauth/register`, {
          method: "POST",
          headers: { "content-type": "application/json", [CLIENT_IP_HEADER]: "203.0.113.4", ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ client_name: "Dyn", redirect_uris: [REDIRECT] }),
        }),
      );
    const before = await t.db.client.count();
    expect((await register()).status).toBe(201);
    const refused = await register();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("40");
    expect(await refused.json()).toStrictEqual({
      error: "temporarily_unavailable",
      error_description: "Too many registrations from this address; retry after 40 seconds",
    });
    expect(await t.db.client.count()).toBe(before + 1);
    // With an initial access token the caller is not anonymous.
    const iat = (await store.createInitialAccessToken({ label: "t", expiresAt: new Date(Date.now() + 3600_000), createdById: session.userId })).token;
    expect((await register(iat)).status).toBe(201);
  });
});
