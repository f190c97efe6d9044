// acr_values and the step-up over the real endpoints, on SQLite and PostgreSQL (OIDC Core
// §3.1.2.1, §3.1.2.6, §2, §12.2): the browser's session is the real portal cookie read by the
// real cookie reader, sessions are rows made with the session store (as a sign-in makes them, with
// the amr it records), and the step-up is sessions.stepUp, as the step-up page calls it. The
// authorization endpoint's exact redirects, then the token endpoint's ID token, refreshed ID token
// and access token, and introspection's answer.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { decodeJwt } from "jose";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { instance, ISSUER } from "@test/http-instance";
import { clientStore } from "../../db/clients";
import { sessionStore } from "../../db/sessions";
import { userStore } from "../../db/users";
import { randomToken } from "../../crypto/tokens";
import { s256 } from "../../oauth/pkce";
import { clientMetadataSchema } from "../../oauth/client-metadata";
import { ACR } from "../../oauth/amr";
import type { OAuthDeps } from "../../oauth/types";
import { sessionCookie } from "../../auth/password-session";
import { sessionFromRequest } from "../../auth/portal-session";
import { authorizeEndpoints } from "./authorize";
import { makeToken } from "./token";
import { makeIntrospection } from "./introspection";
import { webHandler } from "../web-handler";

const dir = mkdtempSync(path.join(tmpdir(), "latchkey-step-up-"));
const SECRET = "k".repeat(48);
vi.stubEnv("DATA_DIR", dir);
vi.stubEnv("LATCHKEY_SECRET", SECRET);
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

const REDIRECT = "https://app.test/cb";
const OTP = ["pwd", "otp", "mfa"];
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

describe.each(PROVIDERS)("acr_values step-up over HTTP on %s", (provider) => {
  let t: TempDatabase;
  let deps: OAuthDeps;
  let userId: string;
  let app: { id: string; client_id: string; client_secret: string };

  const endpoints = () => authorizeEndpoints({ deps: () => deps, session: sessionFromRequest, admitAnonymous: () => null });
  const basic = () => `Basic ${Buffer.from(`${encodeURIComponent(app.client_id)}:${encodeURIComponent(app.client_secret)}`).toString("base64")}`;
  const post = (endpoint: "token" | "introspect", body: Record<string, string>) => {
    const req = new Request(`${ISSUER}/oauth/${endpoint}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic() },
      body: new URLSearchParams(body),
    });
    return webHandler(endpoint === "token" ? makeToken(() => deps) : makeIntrospection(() => deps))(req);
  };

  beforeAll(async () => {
    t = await tempDatabase(provider);
    deps = instance(t);
    userId = (await userStore(t.db).create({ email: "step@test.dev", passwordHash: "x" })).id;
    app = (await clientStore(t.db).create(
      clientMetadataSchema.parse({ client_name: "App", redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token"] }),
      null,
    )) as typeof app;
    await deps.stores.consents.grant(userId, app.id, ["openid", "offline_access"]);
  });
  afterAll(async () => {
    await t?.drop();
  });

  /** A signed-in browser: a session row with this amr, and the Cookie header its sign-in set. */
  async function browser(amr?: string[]) {
    const s = await sessionStore(t.db).create({ userId, maxAgeSeconds: 3600, ...(amr ? { amr } : {}) });
    const c = await sessionCookie({ userId, sessionId: s.id }, { secret: SECRET, maxAgeSeconds: 3600, baseUrl: ISSUER });
    return { id: s.id, cookie: `${c.name}=${c.value}` };
  }

  function authorizeRequest(extra: Record<string, string>) {
    const verifier = randomToken(32);
    const state = randomToken(8);
    const q = new URLSearchParams({
      client_id: app.client_id,
      redirect_uri: REDIRECT,
      response_type: "code",
      scope: "openid offline_access",
      state,
      code_challenge: s256(verifier),
      code_challenge_method: "S256",
      ...extra,
    });
    return { url: `${ISSUER}/oauth/authorize?${q}`, verifier, state };
  }

  const get = (fn: "GET" | "continueGET", url: string, cookie: string) => webHandler(endpoints()[fn])(new Request(url, { headers: { cookie } }));
  const continueUrl = (location: string) => `${ISSUER}${new URL(location, ISSUER).searchParams.get("callbackUrl")}`;

  /** The redirect's code, after checking where it goes, state and iss. */
  function codeOf(res: Response, state: string): string {
    expect(res.status).toBe(302);
    const url = new URL(res.headers.get("location") ?? "");
    expect([`${url.origin}${url.pathname}`, url.searchParams.get("state"), url.searchParams.get("iss"), url.searchParams.get("error")]).toEqual([REDIRECT, state, ISSUER, null]);
    return url.searchParams.get("code")!;
  }

  it("a password session asked for mfa: the step-up redirect, again on a continuation without it, then a code whose tokens say mfa", async () => {
    const b = await browser();
    const req = authorizeRequest({ acr_values: `urn:example:unknown ${ACR.mfa}` });

    const first = await get("GET", req.url, b.cookie);
    expect(first.status).toBe(302);
    expect(first.headers.get("cache-control")).toBe("no-store");
    const location = first.headers.get("location")!;
    const requestId = new URL(continueUrl(location)).searchParams.get("request")!;
    expect(requestId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(location).toBe(
      `/signin/step-up?acr=http%3A%2F%2Fschemas.openid.net%2Fpape%2Fpolicies%2F2007%2F06%2Fmulti-factor&callbackUrl=%2Foauth%2Fauthorize%2Fcontinue%3Frequest%3D${requestId}`,
    );
    expect(await t.db.authorizationCode.count({ where: { userId } })).toBe(0);

    // Back at the continuation without the step-up: the same redirect, still no code.
    const skipped = await get("continueGET", continueUrl(location), b.cookie);
    expect([skipped.status, skipped.headers.get("location")]).toEqual([302, location]);
    expect(await t.db.authorizationCode.count({ where: { userId } })).toBe(0);

    // The step-up page verified a TOTP code.
    const steppedAt = new Date(Date.now() + 2000);
    expect(await sessionStore(t.db).stepUp(b.id, OTP, steppedAt)).toBe(true);
    const code = codeOf(await get("continueGET", continueUrl(location), b.cookie), req.state);
    expect((await t.db.authorizationCode.findFirstOrThrow({ where: { userId } })).amr).toBe("pwd otp mfa");

    const res = await post("token", { grant_type: "authorization_code", code, code_verifier: req.verifier, redirect_uri: REDIRECT });
    expect(res.status).toBe(200);
    const body = await res.json();
    const how = { acr: ACR.mfa, amr: OTP, auth_time: seconds(steppedAt) };
    expect(decodeJwt(body.id_token)).toMatchObject({ sub: userId, ...how });
    expect(decodeJwt(body.access_token)).toMatchObject({ sub: userId, ...how });

    // RFC 9470 §6.2: the resource server's view of the access token.
    const intro = await post("introspect", { token: body.access_token });
    expect(await intro.json()).toMatchObject({ active: true, sub: userId, ...how });

    // OIDC Core §12.2: a refreshed ID token repeats the authentication, through two rotations.
    let refreshToken: string = body.refresh_token;
    for (let i = 0; i < 2; i++) {
      const r = await post("token", { grant_type: "refresh_token", refresh_token: refreshToken });
      expect(r.status).toBe(200);
      const refreshed = await r.json();
      expect(decodeJwt(refreshed.id_token)).toMatchObject({ sub: userId, ...how });
      expect(decodeJwt(refreshed.access_token)).toMatchObject(how);
      refreshToken = refreshed.refresh_token;
    }
    expect(await t.db.refreshToken.count({ where: { userId, amr: "pwd otp mfa" } })).toBe(3);
  });

  it("prompt=none and a password session asked for mfa -> interaction_required with state and iss; nothing parked", async () => {
    const b = await browser();
    const req = authorizeRequest({ acr_values: ACR.mfa, prompt: "none" });
    const before = await t.db.authorizationRequest.count();
    const res = await get("GET", req.url, b.cookie);
    expect(res.status).toBe(302);
    const url = new URL(res.headers.get("location")!);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      error: "interaction_required",
      error_description: "The request's acr_values need a stronger sign-in",
      state: req.state,
      iss: ISSUER,
    });
    expect(await t.db.authorizationRequest.count()).toBe(before);
  });

  it("a session signed in with two factors meets it at once; its ID token's acr is what it reached, not what was asked", async () => {
    const b = await browser(["hwk", "user", "mfa"]);
    const req = authorizeRequest({ acr_values: ACR.mfa });
    const code = codeOf(await get("GET", req.url, b.cookie), req.state);
    const res = await post("token", { grant_type: "authorization_code", code, code_verifier: req.verifier, redirect_uri: REDIRECT });
    expect(decodeJwt((await res.json()).id_token)).toMatchObject({ acr: ACR.phishingResistant, amr: ["hwk", "user", "mfa"] });
  });

  it("without acr_values, a password session gets a code at once and a single-factor ID token", async () => {
    const b = await browser();
    const req = authorizeRequest({});
    const code = codeOf(await get("GET", req.url, b.cookie), req.state);
    const res = await post("token", { grant_type: "authorization_code", code, code_verifier: req.verifier, redirect_uri: REDIRECT });
    expect(decodeJwt((await res.json()).id_token)).toMatchObject({ acr: ACR.singleFactor, amr: ["pwd"] });
  });
});
