// The token endpoint end to end over real databases (SQLite and PostgreSQL): exact wire
// results, atomic single use of codes under concurrency, refresh rotation and reuse detection,
// and two "instances" (separate stores and key rings) sharing one database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from "jose";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { instance, ISSUER, SECRET } from "@test/http-instance";
import { keyStore } from "../../db/keys";
import { clientStore } from "../../db/clients";
import { userStore } from "../../db/users";
import type { createKeyRing } from "../../keys/keyring";
import { generateSigningKey } from "../../keys/generate";
import { randomToken, sha256 } from "../../crypto/tokens";
import { s256 } from "../../oauth/pkce";
import { clientMetadataSchema } from "../../oauth/client-metadata";
import type { OAuthDeps } from "../../oauth/types";
import { makeToken } from "./token";
import { webHandler } from "../web-handler";
import { resetClientErrorThrottle } from "../../oauth/client-errors";

const REDIRECT = "https://app.test/cb";


function form(body: Record<string, string>, auth?: { id: string; secret: string }): Request {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (auth) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(auth.id)}:${encodeURIComponent(auth.secret)}`).toString("base64")}`;
  return new Request(`${ISSUER}/oauth/token`, { method: "POST", headers, body: new URLSearchParams(body) });
}

describe.each(PROVIDERS)("token endpoint on %s", (provider) => {
  let t: TempDatabase;
  let deps: OAuthDeps;
  let token: (req: Request) => Promise<Response>;
  let userId: string;
  let conf: { id: string; client_id: string; client_secret: string };
  let pub: { id: string; client_id: string };

  beforeAll(async () => {
    t = await tempDatabase(provider);
    deps = instance(t);
    token = webHandler(makeToken(() => deps));
    userId = (await userStore(t.db).create({ email: "u@test.dev", passwordHash: "x" })).id;
    const meta = (extra: object) =>
      clientMetadataSchema.parse({ client_name: "App", redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token", "client_credentials"], ...extra });
    conf = (await clientStore(t.db).create(meta({}), null)) as typeof conf;
    pub = await clientStore(t.db).create(
      clientMetadataSchema.parse({ client_name: "Pub", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }),
      null,
    );
  });
  afterAll(async () => {
    await t?.drop();
  });

  async function newCode(opts: { clientId?: string; scope?: string[]; verifier?: string; expiresIn?: number } = {}) {
    const code = randomToken(32);
    const verifier = opts.verifier ?? randomToken(32);
    const grantId = crypto.randomUUID();
    await deps.stores.codes.create({
      id: crypto.randomUUID(),
      codeHash: sha256(code),
      grantId,
      clientId: opts.clientId ?? conf.id,
      userId,
      sessionId: "sess-1",
      redirectUri: REDIRECT,
      redirectUriGiven: true,
      scope: opts.scope ?? ["openid", "email", "offline_access"],
      nonce: "n-1",
      codeChallenge: s256(verifier),
      codeChallengeMethod: "S256",
      authTime: new Date(Date.now() - 5000),
      amr: ["pwd"],
      expiresAt: new Date(Date.now() + (opts.expiresIn ?? 60) * 1000),
    });
    return { code, verifier, grantId };
  }

  const redeem = (c: { code: string; verifier: string }, auth = { id: conf.client_id, secret: conf.client_secret }) =>
    token(form({ grant_type: "authorization_code", code: c.code, code_verifier: c.verifier, redirect_uri: REDIRECT }, auth));

  it("exchanges a code for RFC 9068 access token, ID token and refresh token, with no-store", async () => {
    const c = await newCode();
    const res = await redeem(c);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.json();
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 600, scope: "openid email offline_access" });
    expect(decodeProtectedHeader(body.access_token)).toMatchObject({ typ: "at+jwt", alg: "ES256" });
    const at = decodeJwt(body.access_token);
    expect(at).toMatchObject({ iss: ISSUER, sub: userId, aud: ISSUER, client_id: conf.client_id, scope: "openid email offline_access" });
    expect(typeof at.jti).toBe("string");
    expect(typeof at.auth_time).toBe("number");
    const id = decodeJwt(body.id_token);
    expect(id).toMatchObject({ iss: ISSUER, sub: userId, aud: conf.client_id, azp: conf.client_id, nonce: "n-1", sid: "sess-1" });
    expect(typeof id.at_hash).toBe("string");
    expect(typeof body.refresh_token).toBe("string");
    // Stored hashed only.
    expect(await t.db.refreshToken.count({ where: { tokenHash: body.refresh_token } })).toBe(0);
    expect(await t.db.refreshToken.count({ where: { tokenHash: sha256(body.refresh_token) } })).toBe(1);
  });

  it("of N concurrent redemptions of one code exactly one succeeds, and the replay revokes what it issued", async () => {
    const c = await newCode();
    const results = await Promise.all(Array.from({ length: 8 }, () => redeem(c)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) {
      expect(r.status).toBe(400);
      expect((await r.json()).error).toBe("invalid_grant");
    }
    // RFC 6749 §4.1.2: the tokens issued from a replayed code are revoked.
    expect(await t.db.accessToken.count({ where: { grantId: c.grantId, revokedAt: null } })).toBe(0);
    expect(await t.db.refreshToken.count({ where: { grantId: c.grantId, revokedAt: null } })).toBe(0);
  });

  it("a replayed code gets invalid_grant and revokes the tokens of the first redemption", async () => {
    const c = await newCode();
    const first = await (await redeem(c)).json();
    const again = await redeem(c);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: "invalid_grant", error_description: "The authorization code was already used" });
    const refresh = await token(form({ grant_type: "refresh_token", refresh_token: first.refresh_token }, { id: conf.client_id, secret: conf.client_secret }));
    expect(refresh.status).toBe(400);
    expect((await refresh.json()).error).toBe("invalid_grant");
  });

  it("refuses a wrong PKCE verifier, an expired code, another client's code, and a different redirect_uri", async () => {
    const wrong = await newCode();
    let r = await redeem({ code: wrong.code, verifier: randomToken(32) });
    expect([r.status, (await r.json()).error]).toEqual([400, "invalid_grant"]);
    const expired = await newCode({ expiresIn: -1 });
    r = await redeem(expired);
    expect([r.status, (await r.json()).error]).toEqual([400, "invalid_grant"]);
    const other = await newCode({ clientId: pub.id });
    r = await redeem(other);
    expect([r.status, (await r.json()).error]).toEqual([400, "invalid_grant"]);
    const c = await newCode();
    r = await token(form({ grant_type: "authorization_code", code: c.code, code_verifier: c.verifier, redirect_uri: "https://app.test/other" }, { id: conf.client_id, secret: conf.client_secret }));
    expect([r.status, (await r.json()).error]).toEqual([400, "invalid_grant"]);
  });

  it("invalid_client with Basic auth answers 401 with WWW-Authenticate (RFC 6749 §5.2)", async () => {
    const c = await newCode();
    const r = await redeem(c, { id: conf.client_id, secret: "wrong" });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toBe('Basic realm="latchkey"');
    expect(await r.json()).toEqual({ error: "invalid_client", error_description: "Client authentication failed" });
  });

  it("records the client's last error (invalid_client with a wrong secret, then invalid_grant), never the secret", async () => {
    // A client of its own: other tests' errors are recorded off the response path too.
    const own = (await clientStore(t.db).create(
      clientMetadataSchema.parse({ client_name: "Errs", redirect_uris: [REDIRECT], grant_types: ["authorization_code"] }),
      null,
    )) as typeof conf;
    resetClientErrorThrottle();
    const c = await newCode({ clientId: own.id });
    await redeem(c, { id: own.client_id, secret: "wrong-secret-value" });
    // Recorded off the response path: wait for the write.
    let row = await t.db.client.findUnique({ where: { id: own.id } });
    for (let i = 0; i < 100 && !row?.lastError; i++) {
      await new Promise((r) => setTimeout(r, 20));
      row = await t.db.client.findUnique({ where: { id: own.id } });
    }
    expect(row?.lastError).toBe("invalid_client: Client authentication failed");
    expect(row?.lastError).not.toContain("wrong-secret-value");
    expect(row?.lastErrorAt).toBeInstanceOf(Date);

    resetClientErrorThrottle();
    await redeem({ code: "no-such-code", verifier: c.verifier }, { id: own.client_id, secret: own.client_secret });
    for (let i = 0; i < 100; i++) {
      row = await t.db.client.findUnique({ where: { id: own.id } });
      if (row?.lastError?.startsWith("invalid_grant")) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(row?.lastError).toMatch(/^invalid_grant: /);
  });

  it("a public client redeems with client_id and PKCE only", async () => {
    const c = await newCode({ clientId: pub.id });
    const r = await token(form({ grant_type: "authorization_code", code: c.code, code_verifier: c.verifier, redirect_uri: REDIRECT, client_id: pub.client_id }));
    expect(r.status).toBe(200);
  });

  it("rotates refresh tokens; reusing a rotated one (its successor used) revokes the whole family", async () => {
    const auth = { id: conf.client_id, secret: conf.client_secret };
    const c = await newCode();
    const first = await (await redeem(c)).json();
    const second = await (await token(form({ grant_type: "refresh_token", refresh_token: first.refresh_token }, auth))).json();
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const third = await (await token(form({ grant_type: "refresh_token", refresh_token: second.refresh_token }, auth))).json();
    const reuse = await token(form({ grant_type: "refresh_token", refresh_token: first.refresh_token }, auth));
    expect(reuse.status).toBe(400);
    expect((await reuse.json()).error).toBe("invalid_grant");
    // The family is gone: the newest token fails too.
    const after = await token(form({ grant_type: "refresh_token", refresh_token: third.refresh_token }, auth));
    expect(after.status).toBe(400);
    expect((await after.json()).error).toBe("invalid_grant");
  });

  it("a refresh may narrow the scope but not widen it", async () => {
    const auth = { id: conf.client_id, secret: conf.client_secret };
    const first = await (await redeem(await newCode({ scope: ["openid", "offline_access"] }))).json();
    const wider = await token(form({ grant_type: "refresh_token", refresh_token: first.refresh_token, scope: "openid email" }, auth));
    expect([wider.status, (await wider.json()).error]).toEqual([400, "invalid_scope"]);
    const narrower = await token(form({ grant_type: "refresh_token", refresh_token: first.refresh_token, scope: "openid" }, auth));
    expect(narrower.status).toBe(200);
    expect((await narrower.json()).scope).toBe("openid");
  });

  it("no refresh token without offline_access", async () => {
    const body = await (await redeem(await newCode({ scope: ["openid"] }))).json();
    expect(body.refresh_token).toBeUndefined();
  });

  it("client_credentials: an access token for the client itself, never a refresh token", async () => {
    const r = await token(form({ grant_type: "client_credentials" }, { id: conf.client_id, secret: conf.client_secret }));
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.refresh_token).toBeUndefined();
    expect(body.id_token).toBeUndefined();
    expect(decodeJwt(body.access_token)).toMatchObject({ sub: conf.client_id, client_id: conf.client_id });
    const asPublic = await token(form({ grant_type: "client_credentials", client_id: pub.client_id }));
    expect([asPublic.status, (await asPublic.json()).error]).toEqual([400, "unauthorized_client"]);
  });

  it("bad requests get the RFC 6749 §5.2 error, never a 5xx", async () => {
    const auth = { id: conf.client_id, secret: conf.client_secret };
    const cases: [Request, number, string][] = [
      [form({}, auth), 400, "invalid_request"],
      [form({ grant_type: "password", username: "a", password: "b" }, auth), 400, "unsupported_grant_type"],
      [form({ grant_type: "authorization_code" }, auth), 400, "invalid_request"],
      [form({ grant_type: "authorization_code", code: "nope" }, auth), 400, "invalid_grant"],
      [new Request(`${ISSUER}/oauth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }), 400, "invalid_request"],
      [new Request(`${ISSUER}/oauth/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=client_credentials&grant_type=client_credentials" }), 400, "invalid_request"],
      [form({ grant_type: "client_credentials", client_id: "unknown", client_secret: "x" }), 401, "invalid_client"],
    ];
    for (const [req, status, error] of cases) {
      const r = await token(req);
      expect([r.status, (await r.json()).error]).toEqual([status, error]);
      expect(r.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("two instances on one database: a flow begun on one finishes on the other; a key rotated on one is seen by the other", async () => {
    // Instance A on the Prisma stores, B on the hot-path SQL: both read and write the same rows.
    const a = instance(t);
    const b = instance(t);
    // The code is issued through instance A's stores and redeemed at instance B.
    const code = randomToken(32);
    const verifier = randomToken(32);
    await a.stores.codes.create({
      id: crypto.randomUUID(), codeHash: sha256(code), grantId: crypto.randomUUID(), clientId: conf.id, userId, sessionId: null,
      redirectUri: REDIRECT, redirectUriGiven: true, scope: ["openid"], nonce: null, codeChallenge: s256(verifier),
      codeChallengeMethod: "S256", authTime: new Date(), amr: ["pwd"], expiresAt: new Date(Date.now() + 60_000),
    });
    const r = await webHandler(makeToken(() => b))(form({ grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT }, { id: conf.client_id, secret: conf.client_secret }));
    expect(r.status).toBe(200);
    const issuedByB = (await r.json()).access_token as string;
    expect(await a.keys.verify(issuedByB, { typ: "at+jwt", audience: ISSUER })).toMatchObject({ sub: userId });

    // Rotate on "A" (as the CLI would); "B" signs with the new key after a reload and A verifies it.
    const rotated = await keyStore(t.db).rotate(await generateSigningKey("ES256", SECRET));
    await (b.keys as ReturnType<typeof createKeyRing>).reload();
    const jwt = await b.keys.sign("ES256", { iss: ISSUER, sub: "x", aud: ISSUER, exp: Math.floor(Date.now() / 1000) + 60 }, "at+jwt");
    expect(decodeProtectedHeader(jwt).kid).toBe(rotated.kid);
    expect(await a.keys.verify(jwt, { typ: "at+jwt", audience: ISSUER })).toMatchObject({ sub: "x" });
    // Tokens signed by the previous key keep verifying: it is retired, still published.
    expect(await b.keys.verify(issuedByB, { typ: "at+jwt", audience: ISSUER })).toMatchObject({ sub: userId });
    expect((await a.keys.jwks()).keys.map((k) => k.kid)).toContain(rotated.kid);
  });

  it("a client registered with id_token_signed_response_alg RS256 gets RS256 tokens that verify against the JWKS", async () => {
    const rs = (await clientStore(t.db).create(
      clientMetadataSchema.parse({ client_name: "Legacy", redirect_uris: [REDIRECT], id_token_signed_response_alg: "RS256" }),
      null,
    )) as typeof conf;
    const r = await redeem(await newCode({ clientId: rs.id }), { id: rs.client_id, secret: rs.client_secret });
    expect(r.status).toBe(200);
    const body = await r.json();
    const { keys } = await deps.keys.jwks();
    const verified = async (jwt: string, typ: string, audience: string) => {
      const header = decodeProtectedHeader(jwt);
      expect(header).toMatchObject({ alg: "RS256", typ });
      const jwk = keys.find((k) => k.kid === header.kid) as JWK | undefined;
      expect(jwk).toMatchObject({ kty: "RSA", alg: "RS256" });
      const key = await importJWK(jwk ?? {}, "RS256");
      return (await jwtVerify(jwt, key, { algorithms: ["RS256"], issuer: ISSUER, audience, typ })).payload;
    };
    expect(await verified(body.access_token, "at+jwt", ISSUER)).toMatchObject({ sub: userId, client_id: rs.client_id });
    expect(await verified(body.id_token, "JWT", rs.client_id)).toMatchObject({ sub: userId, azp: rs.client_id, nonce: "n-1" });
  });
});
