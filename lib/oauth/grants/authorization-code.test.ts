// The authorization_code grant (RFC 6749 §4.1.3, RFC 7636 §4.6, RFC 9700 §2.1.1, §4.2.4):
// one test per rule, each with the exact error.
import { decodeJwt } from "jose";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { sha256 } from "../../crypto/tokens";
import { InvalidGrant, InvalidRequest, type OAuthError, UnauthorizedClient } from "../errors";
import { s256 } from "../pkce";
import { atHash } from "../tokens";
import { ISSUER, LIFETIMES, makeClient, makeUser, params, REDIRECT_URI, rejectionOf, testDeps, type TestDeps } from "@test/oauth-fixtures";
import type { CodeRecord, OAuthClient, OAuthUser } from "../types";
import { authorizationCodeGrant } from "./authorization-code";

const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

let t: TestDeps;
let client: OAuthClient;
let user: OAuthUser;

beforeEach(async () => {
  t = await testDeps();
  client = t.stores.addClient(makeClient({ secret: "s3cret" }));
  user = t.stores.addUser(makeUser());
});

/** A code as the authorization endpoint would store it: PKCE S256, redirect_uri given. */
async function issueCode(overrides: Partial<Omit<CodeRecord, "id" | "consumedAt">> = {}) {
  const grantId = overrides.grantId ?? crypto.randomUUID();
  const { code, id } = await t.stores.addCode({
    grantId,
    clientId: client.id,
    userId: user.id,
    sessionId: "session-1",
    redirectUri: REDIRECT_URI,
    redirectUriGiven: true,
    scope: ["openid", "email", "offline_access"],
    nonce: "nonce-1",
    codeChallenge: s256(VERIFIER),
    codeChallengeMethod: "S256",
    authTime: new Date(t.clock.now().getTime() - 30_000),
    expiresAt: new Date(t.clock.now().getTime() + LIFETIMES.authorizationCode * 1000),
    ...overrides,
  });
  return { code, id, grantId };
}

const redeem = (code: string, extra: Record<string, string> = {}, as: OAuthClient = client) =>
  authorizationCodeGrant(t.deps, as, params({ grant_type: "authorization_code", code, code_verifier: VERIFIER, redirect_uri: REDIRECT_URI, ...extra }));

const withoutParam = (code: string, name: string) => {
  const p = params({ grant_type: "authorization_code", code, code_verifier: VERIFIER, redirect_uri: REDIRECT_URI });
  p.delete(name);
  return authorizationCodeGrant(t.deps, client, p);
};

async function expectRejected(p: Promise<unknown>, cls: abstract new (...args: never[]) => OAuthError, error: string, description: string) {
  const e = await rejectionOf(p);
  expect(e).toBeInstanceOf(cls);
  const err = e as OAuthError;
  expect({ error: err.error, status: err.status, description: err.description }).toEqual({ error, status: 400, description });
}

const invalidGrant = (p: Promise<unknown>, description: string) => expectRejected(p, InvalidGrant, "invalid_grant", description);

/** Nothing was issued: no access or refresh token recorded. */
function expectNothingIssued() {
  expect(t.stores.accessRows.size).toBe(0);
  expect(t.stores.refreshRows.size).toBe(0);
}

describe("a valid redemption", () => {
  it("returns access, refresh and ID tokens, records them under the grant and consumes the code", async () => {
    const { code, id, grantId } = await issueCode();
    const res = await redeem(code);
    expect(Object.keys(res).sort()).toEqual(["access_token", "expires_in", "id_token", "refresh_token", "scope", "token_type"]);
    expect(res).toMatchObject({ token_type: "Bearer", expires_in: LIFETIMES.accessToken, scope: "openid email offline_access" });

    const at = await t.keys.verify(res.access_token, { typ: "at+jwt", audience: ISSUER });
    expect(at).toMatchObject({ sub: user.id, client_id: client.clientId, scope: "openid email offline_access" });
    expect(t.stores.codeRows.get(id)?.consumedAt).toEqual(t.clock.now());
    expect(t.stores.accessRowsOfGrant(grantId).map((a) => a.jti)).toEqual([at.jti]);
    expect(t.stores.refreshRowOf(res.refresh_token!)).toMatchObject({ grantId, clientId: client.id, userId: user.id, rotatedAt: null, revokedAt: null });
  });
});

describe("the ID token's user claims (OIDC Core §5.4, §3.1.3.3)", () => {
  const base = ["iss", "sub", "aud", "azp", "iat", "exp", "auth_time", "acr", "amr", "nonce", "sid", "at_hash"];

  it("openid profile email: name, updated_at, email, email_verified, as the user is now", async () => {
    const updatedAt = new Date("2030-05-06T07:08:09.000Z");
    t.stores.addUser({ ...user, name: "Ada Lovelace", email: "ada@example.test", emailVerified: false, updatedAt });
    const { code } = await issueCode({ scope: ["openid", "profile", "email"] });
    const id = decodeJwt((await redeem(code)).id_token!);
    expect(id).toMatchObject({ name: "Ada Lovelace", updated_at: updatedAt.getTime() / 1000, email: "ada@example.test", email_verified: false });
    expect(Object.keys(id).sort()).toEqual([...base, "name", "updated_at", "email", "email_verified"].sort());
  });

  it("openid only: no user claims", async () => {
    const { code } = await issueCode({ scope: ["openid"] });
    expect(Object.keys(decodeJwt((await redeem(code)).id_token!)).sort()).toEqual([...base].sort());
  });

  it("a client registered without ID-token user claims: none (userinfo still has them)", async () => {
    client = t.stores.addClient({ ...client, idTokenUserClaims: false });
    const { code } = await issueCode({ scope: ["openid", "profile", "email"] });
    expect(Object.keys(decodeJwt((await redeem(code)).id_token!)).sort()).toEqual([...base].sort());
  });
});

describe("how the user authenticated (OIDC Core §2; RFC 9068 §2.2.1; RFC 9470 §6.1)", () => {
  const MFA = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";

  it("the ID token has the code's amr and the acr it reached; the access token acr, amr and auth_time", async () => {
    const authTime = new Date("2030-01-15T09:30:00.000Z");
    const { code } = await issueCode({ scope: ["openid", "offline_access"], amr: ["pwd", "otp", "mfa"], authTime });
    const res = await redeem(code);
    expect(decodeJwt(res.id_token!)).toMatchObject({ acr: MFA, amr: ["pwd", "otp", "mfa"], auth_time: authTime.getTime() / 1000 });
    expect(decodeJwt(res.access_token)).toMatchObject({ acr: MFA, amr: ["pwd", "otp", "mfa"], auth_time: authTime.getTime() / 1000 });
    // The refresh token keeps it for the grant's later ID tokens (OIDC Core §12.2).
    expect(t.stores.refreshRowOf(res.refresh_token!)?.amr).toEqual(["pwd", "otp", "mfa"]);
  });

  it("a password-only code: single-factor acr, amr [pwd]", async () => {
    const { code } = await issueCode({ scope: ["openid"], amr: ["pwd"] });
    expect(decodeJwt((await redeem(code)).id_token!)).toMatchObject({ acr: "urn:latchkey:acr:single-factor", amr: ["pwd"] });
  });
});

describe("RFC 6749 §4.1.3 rules", () => {
  it("a client not registered for authorization_code -> unauthorized_client", async () => {
    const other = t.stores.addClient(makeClient({ grantTypes: ["client_credentials"] }));
    const { code } = await issueCode({ clientId: other.id });
    await expectRejected(redeem(code, {}, other), UnauthorizedClient, "unauthorized_client", "This client may not use the authorization_code grant");
    expectNothingIssued();
  });

  it("no code -> invalid_request", async () => {
    await expectRejected(withoutParam("unused", "code"), InvalidRequest, "invalid_request", "code is required");
  });

  it("an empty code -> invalid_request", async () => {
    await expectRejected(redeem(""), InvalidRequest, "invalid_request", "code is required");
  });

  it("an unknown code -> invalid_grant", async () => {
    await issueCode();
    await invalidGrant(redeem("not-a-code-we-issued"), "The authorization code is invalid");
    expectNothingIssued();
  });

  it("the code's hash is not accepted as the code", async () => {
    const { code } = await issueCode();
    await invalidGrant(redeem(sha256(code)), "The authorization code is invalid");
  });

  it("a code issued to another client -> invalid_grant with the same words, and the code is not burned", async () => {
    const other = t.stores.addClient(makeClient({ secret: "other" }));
    const { code, id } = await issueCode();
    await invalidGrant(redeem(code, {}, other), "The authorization code is invalid");
    expectNothingIssued();
    expect(t.stores.codeRows.get(id)?.consumedAt).toBeNull();
    expect(t.stores.revokedGrants).toEqual([]);
  });

  it("a consumed code -> invalid_grant, revokes its grant (tokens of the first redemption) and audits the replay", async () => {
    const { code, grantId } = await issueCode();
    const first = await redeem(code);
    t.clock.advance(5);
    const revoke = vi.spyOn(t.stores.tokens, "revokeGrant");

    await invalidGrant(redeem(code), "The authorization code was already used");
    expect(revoke).toHaveBeenCalledExactlyOnceWith(grantId, t.clock.now());
    expect(t.stores.refreshRowOf(first.refresh_token!)?.revokedAt).toEqual(t.clock.now());
    expect(t.stores.accessRowsOfGrant(grantId).map((a) => a.revokedAt)).toEqual([t.clock.now()]);
    // The first redemption's token.issued (written by the store), then the replay.
    expect(t.stores.auditEvents.map((e) => e.type)).toEqual(["token.issued", "code.replay_detected"]);
    expect(t.stores.auditEvents.at(-1)).toEqual({ type: "code.replay_detected", subjectId: user.id, clientId: client.id });
    expect(t.stores.accessRows.size).toBe(1); // nothing new issued
  });

  it("an expired code -> invalid_grant (expired at exactly expiresAt)", async () => {
    const { code } = await issueCode({ expiresAt: t.clock.now() });
    await invalidGrant(redeem(code), "The authorization code has expired");
    expectNothingIssued();
  });

  it("a code one millisecond before its expiry is still good", async () => {
    const { code } = await issueCode({ expiresAt: new Date(t.clock.now().getTime() + 1) });
    await expect(redeem(code)).resolves.toMatchObject({ token_type: "Bearer" });
  });

  it("the user disabled since the code was issued -> invalid_grant", async () => {
    const { code } = await issueCode();
    t.stores.addUser({ ...user, disabled: true });
    await invalidGrant(redeem(code), "The user of this authorization is no longer active");
    expectNothingIssued();
  });

  it("the user deleted since the code was issued -> invalid_grant", async () => {
    const { code } = await issueCode();
    t.stores.userRows.delete(user.id);
    // The stores join the user (its codes go with it, onDelete: Cascade): no user, no code.
    await invalidGrant(redeem(code), "The authorization code is invalid");
  });
});

describe("PKCE (RFC 7636 §4.6, RFC 9700 §2.1.1)", () => {
  it("a challenge was stored but no code_verifier sent -> invalid_grant", async () => {
    const { code } = await issueCode();
    await invalidGrant(withoutParam(code, "code_verifier"), "code_verifier is required");
    expectNothingIssued();
  });

  it("a wrong code_verifier -> invalid_grant", async () => {
    const { code } = await issueCode();
    await invalidGrant(redeem(code, { code_verifier: "x".repeat(43) }), "code_verifier does not match the code_challenge");
    expectNothingIssued();
  });

  it("the challenge itself sent as the verifier -> invalid_grant", async () => {
    const { code } = await issueCode();
    await invalidGrant(redeem(code, { code_verifier: s256(VERIFIER) }), "code_verifier does not match the code_challenge");
  });

  it("a code_verifier sent when no challenge was stored -> invalid_grant (downgrade)", async () => {
    const { code } = await issueCode({ codeChallenge: null, codeChallengeMethod: null });
    await invalidGrant(redeem(code), "code_verifier was sent but the authorization request had no code_challenge");
    expectNothingIssued();
  });

  it("no challenge and no verifier -> ok (a confidential client that did not use PKCE)", async () => {
    const { code } = await issueCode({ codeChallenge: null, codeChallengeMethod: null });
    await expect(withoutParam(code, "code_verifier")).resolves.toMatchObject({ token_type: "Bearer" });
  });
});

describe("redirect_uri (RFC 6749 §4.1.3)", () => {
  it("missing although the authorization request included it -> invalid_grant", async () => {
    const { code } = await issueCode({ redirectUriGiven: true });
    await invalidGrant(withoutParam(code, "redirect_uri"), "redirect_uri is required");
    expectNothingIssued();
  });

  it.each([
    "https://app.example.test/other",
    `${REDIRECT_URI}/`,
    `${REDIRECT_URI}?x=1`,
    REDIRECT_URI.toUpperCase(),
    "",
  ])("different from the authorization request (%j) -> invalid_grant", async (uri) => {
    const { code } = await issueCode();
    await invalidGrant(redeem(code, { redirect_uri: uri }), uri === "" ? "redirect_uri is required" : "redirect_uri does not match the authorization request");
    expectNothingIssued();
  });

  it("omitted when the authorization request omitted it -> ok", async () => {
    const { code } = await issueCode({ redirectUriGiven: false });
    await expect(withoutParam(code, "redirect_uri")).resolves.toMatchObject({ token_type: "Bearer" });
  });

  it("sent although the authorization request omitted it must still be the registered one", async () => {
    const { code } = await issueCode({ redirectUriGiven: false });
    await invalidGrant(redeem(code, { redirect_uri: "https://app.example.test/other" }), "redirect_uri does not match the authorization request");
  });
});

describe("what is issued", () => {
  it("a refresh token with offline_access and the refresh_token grant", async () => {
    const { code, grantId } = await issueCode({ scope: ["openid", "offline_access"] });
    const res = await redeem(code);
    expect(res.refresh_token).toEqual(expect.any(String));
    expect(t.stores.refreshRowsOfGrant(grantId)).toHaveLength(1);
  });

  it("no refresh token without offline_access", async () => {
    const { code } = await issueCode({ scope: ["openid", "email"] });
    const res = await redeem(code);
    expect(res).not.toHaveProperty("refresh_token");
    expect(t.stores.refreshRows.size).toBe(0);
  });

  it("no refresh token with offline_access when the client lacks the refresh_token grant", async () => {
    const noRefresh = t.stores.addClient(makeClient({ grantTypes: ["authorization_code"] }));
    const { code } = await issueCode({ clientId: noRefresh.id, scope: ["openid", "offline_access"] });
    const res = await redeem(code, {}, noRefresh);
    expect(res).not.toHaveProperty("refresh_token");
    expect(t.stores.refreshRows.size).toBe(0);
  });

  it("an ID token with openid: for this client, with the nonce, sid and at_hash of this access token", async () => {
    const { code } = await issueCode({ scope: ["openid"], nonce: "n-0S6_WzA2Mj" });
    const res = await redeem(code);
    const id = await t.keys.verify(res.id_token!, { typ: "JWT", audience: client.clientId });
    expect(id).toMatchObject({ iss: ISSUER, sub: user.id, aud: client.clientId, nonce: "n-0S6_WzA2Mj", sid: "session-1", at_hash: atHash(res.access_token) });
  });

  it("no ID token without openid", async () => {
    const { code } = await issueCode({ scope: ["email", "offline_access"] });
    const res = await redeem(code);
    expect(res).not.toHaveProperty("id_token");
    expect(res.scope).toBe("email offline_access");
  });

  it("the access token carries the code's auth_time and scope, not anything from the token request", async () => {
    const authTime = new Date("2030-01-15T09:00:00.000Z");
    const { code } = await issueCode({ scope: ["openid"], authTime });
    const res = await redeem(code, { scope: "openid email profile" });
    expect(decodeJwt(res.access_token)).toMatchObject({ scope: "openid", auth_time: authTime.getTime() / 1000 });
    expect(res.scope).toBe("openid");
  });
});

describe("the atomic redemption (RFC 6749 §4.1.2: used once)", () => {
  it("losing the redeem race -> invalid_grant, and the grant is revoked", async () => {
    const { code, grantId } = await issueCode();
    // Another request redeems the code after this one has read it (still unconsumed).
    const find = t.stores.codes.findByHash;
    let winner: Promise<unknown> | null = null;
    vi.spyOn(t.stores.codes, "findByHash").mockImplementationOnce(async (hash) => {
      const snapshot = await find(hash);
      winner = redeem(code);
      await winner;
      return snapshot;
    });
    const revoke = vi.spyOn(t.stores.tokens, "revokeGrant");

    await invalidGrant(redeem(code), "The authorization code was already used");
    await expect(winner).resolves.toMatchObject({ token_type: "Bearer" });
    expect(revoke).toHaveBeenCalledExactlyOnceWith(grantId, t.clock.now());
    // The winner's tokens are revoked too; the loser recorded none.
    expect(t.stores.accessRowsOfGrant(grantId)).toHaveLength(1);
    expect(t.stores.accessRowsOfGrant(grantId).every((a) => a.revokedAt !== null)).toBe(true);
    expect(t.stores.refreshRowsOfGrant(grantId).every((r) => r.revokedAt !== null)).toBe(true);
  });

  it("of concurrent redemptions exactly one succeeds", async () => {
    const { code } = await issueCode();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => redeem(code)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(InvalidGrant);
    }
  });
});
