// Minting tokens: RFC 9068 JWT access tokens, OIDC Core ID tokens (§2, §3.1.3.6) and opaque
// refresh tokens stored as a hash.
import { createHash } from "node:crypto";
import { base64url, decodeJwt, decodeProtectedHeader } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { atHash, planAccessToken, planRefreshToken, signAccessToken, signIdToken, tokenResponse, type GrantContext } from "./tokens";
import { ISSUER, LIFETIMES, makeClient, testDeps, type TestDeps } from "@test/oauth-fixtures";
import type { OAuthClient } from "./types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sec = (d: Date) => Math.floor(d.getTime() / 1000);

let t: TestDeps;
let client: OAuthClient;
let userCtx: GrantContext & { userId: string; grantId: string; authTime: Date };
let now: Date;

beforeEach(async () => {
  t = await testDeps({ start: "2030-01-15T10:00:00.750Z" });
  now = t.clock.now();
  // Internal id and public client_id differ, so a mix-up shows.
  client = makeClient({ id: "row-42", clientId: "public-client-id", signingAlg: "ES256" });
  userCtx = {
    client,
    userId: "user-7",
    scope: ["openid", "email", "offline_access"],
    grantId: "grant-1",
    authTime: new Date("2030-01-15T09:58:20.400Z"),
    amr: ["pwd", "otp", "mfa"],
    sessionId: "session-3",
  };
});

describe("access token (RFC 9068)", () => {
  it("a user token carries exactly iss, exp, aud, sub, client_id, iat, jti, scope, auth_time, acr, amr (§2.2, §2.2.1; RFC 9470 §6.1)", async () => {
    const planned = planAccessToken(t.deps, userCtx, now);
    const jwt = await signAccessToken(t.deps, planned);
    const iat = sec(now);
    expect(decodeJwt(jwt)).toEqual({
      iss: ISSUER,
      exp: iat + LIFETIMES.accessToken,
      aud: ISSUER,
      sub: "user-7",
      client_id: "public-client-id",
      iat,
      jti: planned.record.jti,
      scope: "openid email offline_access",
      auth_time: sec(userCtx.authTime),
      acr: "http://schemas.openid.net/pape/policies/2007/06/multi-factor",
      amr: ["pwd", "otp", "mfa"],
    });
    expect(planned.record.jti).toMatch(UUID);
  });

  it("the header is typ at+jwt with the kid of the client's algorithm (§2.1), and the signature verifies", async () => {
    for (const alg of ["ES256", "RS256"] as const) {
      const ctx = { ...userCtx, client: { ...client, signingAlg: alg } };
      const jwt = await signAccessToken(t.deps, planAccessToken(t.deps, ctx, now));
      expect(decodeProtectedHeader(jwt)).toEqual({ alg, kid: t.keys.kids[alg], typ: "at+jwt" });
      await expect(t.keys.verify(jwt, { typ: "at+jwt", audience: ISSUER })).resolves.toMatchObject({ sub: "user-7" });
    }
  });

  it("exp - iat is lifetimes.accessToken, whatever the milliseconds of now", async () => {
    for (const start of ["2030-01-15T10:00:00.000Z", "2030-01-15T10:00:00.999Z"]) {
      t.clock.set(start);
      const claims = decodeJwt(await signAccessToken(t.deps, planAccessToken(t.deps, userCtx, t.clock.now())));
      expect((claims.exp as number) - (claims.iat as number)).toBe(LIFETIMES.accessToken);
      expect(claims.iat).toBe(sec(t.clock.now()));
    }
  });

  it("the record to store matches the token: jti, grant, internal client id, user, scope, expiry", () => {
    const planned = planAccessToken(t.deps, userCtx, now);
    expect(planned.record).toEqual({
      jti: planned.claims.jti,
      grantId: "grant-1",
      clientId: "row-42",
      userId: "user-7",
      scope: ["openid", "email", "offline_access"],
      expiresAt: new Date(now.getTime() + LIFETIMES.accessToken * 1000),
    });
    expect(planned.alg).toBe("ES256");
  });

  it("every token gets a fresh jti", () => {
    const a = planAccessToken(t.deps, userCtx, now);
    const b = planAccessToken(t.deps, userCtx, now);
    expect(a.record.jti).not.toBe(b.record.jti);
  });

  it("the jti is time-ordered (UUIDv7), so the token rows append to their index", () => {
    const a = planAccessToken(t.deps, userCtx, now);
    const b = planAccessToken(t.deps, userCtx, now);
    expect(a.record.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.record.jti < b.record.jti).toBe(true);
  });

  it("a client_credentials token has sub = client_id and no auth_time, acr or amr", async () => {
    const ctx: GrantContext = { client, userId: null, scope: ["profile"], grantId: null, authTime: null, amr: [], sessionId: null };
    const planned = planAccessToken(t.deps, ctx, now);
    const iat = sec(now);
    expect(decodeJwt(await signAccessToken(t.deps, planned))).toEqual({
      iss: ISSUER,
      exp: iat + LIFETIMES.accessToken,
      aud: ISSUER,
      sub: "public-client-id",
      client_id: "public-client-id",
      iat,
      jti: planned.record.jti,
      scope: "profile",
    });
    expect(planned.record).toMatchObject({ grantId: null, userId: null, clientId: "row-42" });
  });
});

describe("at_hash (OIDC Core §3.1.3.6)", () => {
  // Independent: left-most 128 bits of SHA-256 of the ASCII octets, base64url without padding.
  const independent = (token: string) => base64url.encode(new Uint8Array(createHash("sha256").update(Buffer.from(token, "ascii")).digest()).slice(0, 16));

  it("matches the OIDC Core Appendix A example", () => {
    expect(atHash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y")).toBe("77QmUPtjPfzWtF2AnpK9RQ");
  });

  it("equals the left half of SHA-256 for a real access token", async () => {
    const jwt = await signAccessToken(t.deps, planAccessToken(t.deps, userCtx, now));
    expect(atHash(jwt)).toBe(independent(jwt));
    expect(atHash(jwt)).toHaveLength(22);
  });
});

describe("ID token (OIDC Core §2)", () => {
  it("carries iss, sub, aud, azp, exp, iat, auth_time, acr, amr, nonce, sid, at_hash; typ JWT; the client's alg and kid", async () => {
    const accessToken = await signAccessToken(t.deps, planAccessToken(t.deps, userCtx, now));
    const jwt = await signIdToken(t.deps, { ...userCtx, client: { ...client, signingAlg: "RS256" } }, accessToken, "nonce-xyz", now);
    const iat = sec(now);
    expect(decodeJwt(jwt)).toEqual({
      iss: ISSUER,
      sub: "user-7",
      aud: "public-client-id",
      azp: "public-client-id",
      exp: iat + LIFETIMES.idToken,
      iat,
      auth_time: sec(userCtx.authTime),
      acr: "http://schemas.openid.net/pape/policies/2007/06/multi-factor",
      amr: ["pwd", "otp", "mfa"],
      nonce: "nonce-xyz",
      sid: "session-3",
      at_hash: atHash(accessToken),
    });
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "RS256", kid: t.keys.kids.RS256, typ: "JWT" });
    await expect(t.keys.verify(jwt, { typ: "JWT", audience: "public-client-id" })).resolves.toMatchObject({ sub: "user-7" });
  });

  it("has no nonce claim when the request had none, and no sid without a session", async () => {
    const claims = decodeJwt(await signIdToken(t.deps, { ...userCtx, sessionId: null }, "at", null, now));
    expect(claims).not.toHaveProperty("nonce");
    expect(claims).not.toHaveProperty("sid");
    expect(Object.keys(claims).sort()).toEqual(["acr", "amr", "at_hash", "aud", "auth_time", "azp", "exp", "iat", "iss", "sub"]);
  });

  it("acr is the level the amr reached (OIDC Core §2; RFC 8176): one factor, two, a passkey", async () => {
    const acrOf = async (amr: string[]) => decodeJwt(await signIdToken(t.deps, { ...userCtx, amr }, null, null, now));
    expect(await acrOf(["pwd"])).toMatchObject({ acr: "urn:latchkey:acr:single-factor", amr: ["pwd"] });
    expect(await acrOf(["pwd", "otp", "mfa"])).toMatchObject({ acr: "http://schemas.openid.net/pape/policies/2007/06/multi-factor", amr: ["pwd", "otp", "mfa"] });
    expect(await acrOf(["hwk", "user", "mfa"])).toMatchObject({ acr: "phr", amr: ["hwk", "user", "mfa"] });
  });

  it("a grant from before amr was recorded: no amr claim (unknown), and the lowest acr, in ID and access tokens", async () => {
    const id = decodeJwt(await signIdToken(t.deps, { ...userCtx, amr: [] }, null, null, now));
    expect(id).not.toHaveProperty("amr");
    expect(id.acr).toBe("urn:latchkey:acr:single-factor");
    const at = decodeJwt(await signAccessToken(t.deps, planAccessToken(t.deps, { ...userCtx, amr: [] }, now)));
    expect(at).not.toHaveProperty("amr");
    expect(at).toMatchObject({ acr: "urn:latchkey:acr:single-factor", auth_time: sec(userCtx.authTime) });
  });

  it("no at_hash without an access token (response_type=id_token, OIDC Core §3.2.2.10); user claims as given", async () => {
    const claims = decodeJwt(await signIdToken(t.deps, { ...userCtx, sessionId: null }, null, "n", now, { email: "a@b.test", email_verified: true }));
    expect(claims).not.toHaveProperty("at_hash");
    expect(claims).toMatchObject({ nonce: "n", email: "a@b.test", email_verified: true });
  });
});

describe("refresh token", () => {
  it("the record stores only the SHA-256 of the token, never the token", () => {
    const { token, record } = planRefreshToken(t.deps, userCtx, now);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    expect(record.tokenHash).toBe(createHash("sha256").update(token).digest("base64url"));
    expect(JSON.stringify(record)).not.toContain(token);
  });

  it("records grant, internal client id, user, session, scope, auth_time and amr", () => {
    const { record } = planRefreshToken(t.deps, userCtx, now);
    expect(record).toMatchObject({
      grantId: "grant-1",
      clientId: "row-42",
      userId: "user-7",
      sessionId: "session-3",
      scope: ["openid", "email", "offline_access"],
      authTime: userCtx.authTime,
      amr: ["pwd", "otp", "mfa"],
    });
  });

  it("a new family: idle expiry now+idle, absolute now+absolute", () => {
    const { record } = planRefreshToken(t.deps, userCtx, now);
    expect(record.expiresAt).toEqual(new Date(now.getTime() + LIFETIMES.refreshIdle * 1000));
    expect(record.absoluteExpiresAt).toEqual(new Date(now.getTime() + LIFETIMES.refreshAbsolute * 1000));
  });

  it("a successor keeps the family's absolute expiry, and its idle expiry never passes it", () => {
    const soon = new Date(now.getTime() + 600_000); // before now+idle
    const capped = planRefreshToken(t.deps, userCtx, now, soon).record;
    expect(capped.absoluteExpiresAt).toEqual(soon);
    expect(capped.expiresAt).toEqual(soon);

    const later = new Date(now.getTime() + 10 * 86400_000); // after now+idle
    const idle = planRefreshToken(t.deps, userCtx, now, later).record;
    expect(idle.absoluteExpiresAt).toEqual(later);
    expect(idle.expiresAt).toEqual(new Date(now.getTime() + LIFETIMES.refreshIdle * 1000));
  });

  it("every token is different", () => {
    expect(planRefreshToken(t.deps, userCtx, now).token).not.toBe(planRefreshToken(t.deps, userCtx, now).token);
  });
});

describe("token response (RFC 6749 §5.1)", () => {
  it("has exactly access_token, token_type Bearer, expires_in, scope, and refresh/id tokens only when given", () => {
    expect(tokenResponse(t.deps, ["openid", "email"], "AT", {})).toEqual({
      access_token: "AT",
      token_type: "Bearer",
      expires_in: LIFETIMES.accessToken,
      scope: "openid email",
    });
    expect(tokenResponse(t.deps, ["openid"], "AT", { refreshToken: "RT", idToken: "IDT" })).toEqual({
      access_token: "AT",
      token_type: "Bearer",
      expires_in: LIFETIMES.accessToken,
      scope: "openid",
      refresh_token: "RT",
      id_token: "IDT",
    });
  });
});
