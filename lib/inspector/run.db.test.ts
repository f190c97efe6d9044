// The inspector's calls against the real endpoint handlers over real databases: redeem with a
// wrong then the right secret, UserInfo, refresh (rotation shown by introspection), revoke, and
// UserInfo refused afterwards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { instance, ISSUER } from "@test/http-instance";
import { clientStore } from "../db/clients";
import { userStore } from "../db/users";
import { makeToken } from "../http/endpoints/token";
import { makeUserinfo } from "../http/endpoints/userinfo";
import { makeRevocation } from "../http/endpoints/revocation";
import { makeIntrospection } from "../http/endpoints/introspection";
import { makeJwks } from "../http/endpoints/jwks";
import { webHandler } from "../http/web-handler";
import { randomToken, sha256 } from "../crypto/tokens";
import { s256 } from "../oauth/pkce";
import { clientMetadataSchema } from "../oauth/client-metadata";
import { callUserinfo, redeemCode, refresh, revoke, type Endpoints } from "./run";
import { newRun } from "./authorization-request";
import { MASK } from "./http";

describe.each(PROVIDERS)("inspector run against the real handlers on %s", (provider) => {
  let t: TempDatabase;
  let ep: Endpoints;
  let conf: { id: string; client_id: string; client_secret: string };
  let userId: string;

  beforeAll(async () => {
    t = await tempDatabase(provider);
    const deps = instance(t);
    const d = () => deps;
    ep = {
      issuer: ISSUER,
      urls: { token: `${ISSUER}/oauth/token`, userinfo: `${ISSUER}/oauth/userinfo`, revocation: `${ISSUER}/oauth/revoke`, introspection: `${ISSUER}/oauth/introspect` },
      token: webHandler(makeToken(d)),
      userinfo: webHandler(makeUserinfo(d)),
      revocation: webHandler(makeRevocation(d)),
      introspection: webHandler(makeIntrospection(d)),
      jwks: async () => JSON.parse((await makeJwks(d)()).body) as Awaited<ReturnType<Endpoints["jwks"]>>,
      codeLifetimeSeconds: 60,
    };
    userId = (await userStore(t.db).create({ email: "u@test.dev", passwordHash: "x", name: "Ada" })).id;
    conf = (await clientStore(t.db).create(
      clientMetadataSchema.parse({ client_name: "App", redirect_uris: [`${ISSUER}/dashboard/inspector/callback`] }),
      null,
    )) as typeof conf;
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("D with a wrong secret: 401 invalid_client explained; then the whole run", async () => {
    const deps = instance(t);
    const run = newRun({ clientRowId: conf.id, userId, issuer: ISSUER, scope: ["openid", "profile", "email", "offline_access"] });
    const code = randomToken(32);
    await deps.stores.codes.create({
      id: crypto.randomUUID(), codeHash: sha256(code), grantId: crypto.randomUUID(), clientId: conf.id, userId, sessionId: null,
      redirectUri: run.redirectUri, redirectUriGiven: true, scope: run.scope, nonce: run.nonce, codeChallenge: s256(run.codeVerifier),
      codeChallengeMethod: "S256", authTime: new Date(Date.now() - 1000), amr: ["pwd"], expiresAt: new Date(Date.now() + 60_000),
    });
    const client = { clientId: conf.client_id, authMethod: "client_secret_basic" as const };

    const wrong = await redeemCode(ep, run, client, "not-the-secret", code);
    expect(wrong.exchange.response.status).toBe(401);
    expect(wrong.exchange.response.json).toEqual({ error: "invalid_client", error_description: "Client authentication failed" });
    expect(wrong.exchange.explanation).toContain("the secret doesn't match");
    expect(wrong.exchange.request.raw).not.toContain("not-the-secret");
    expect(wrong.exchange.request.raw).toContain(`Basic ${MASK}`);
    expect(wrong.issued).toEqual({});

    const ok = await redeemCode(ep, run, client, conf.client_secret, code);
    expect(ok.exchange.response.status).toBe(200);
    expect(ok.exchange.response.headers).toContainEqual(["cache-control", "no-store"]);
    expect(ok.exchange.request.raw).not.toContain(conf.client_secret);
    expect(ok.exchange.tokens.map((x) => x.kind)).toEqual(["access_token", "id_token"]);
    for (const tok of ok.exchange.tokens) {
      expect(tok.signature).toMatchObject({ valid: true, alg: "ES256" });
      expect(tok.checks.every((c) => c.ok)).toBe(true);
    }
    const access = ok.issued.accessToken!;
    const firstRefresh = ok.issued.refreshToken!;

    const info = await callUserinfo(ep, access);
    expect(info.response.status).toBe(200);
    expect(info.response.json).toMatchObject({ sub: userId, name: "Ada", email: "u@test.dev" });

    const r = await refresh(ep, client, conf.client_secret, firstRefresh);
    expect(r.exchanges.map((e) => [e.title, e.response.status])).toEqual([
      ["Refresh request", 200],
      ["Introspection of the old refresh token", 200],
    ]);
    expect(r.issued.refreshToken).toBeDefined();
    expect(r.issued.refreshToken).not.toBe(firstRefresh);
    expect(r.exchanges[0]!.explanation).toContain("Rotation");
    expect(r.exchanges[1]!.response.json).toEqual({ active: false });
    expect(r.exchanges[1]!.explanation).toContain("no longer active");

    const newAccess = r.issued.accessToken!;
    const rev = await revoke(ep, client, conf.client_secret, newAccess, "access_token");
    expect(rev.response.status).toBe(200);
    expect(rev.response.text).toBe("");
    const refused = await callUserinfo(ep, newAccess);
    expect(refused.response.status).toBe(401);
    expect(refused.explanation).toContain("revoked, expired");

    // The code works once (RFC 6749 §4.1.2); a second try is explained.
    const again = await redeemCode(ep, run, client, conf.client_secret, code);
    expect(again.exchange.response.status).toBe(400);
    expect(again.exchange.response.json).toMatchObject({ error: "invalid_grant" });
    expect(again.exchange.explanation).toContain("already used or expired (codes live 60 seconds)");
  });
  it("a public client: client_id in the body, no secret; refresh rotates (no introspection for it)", async () => {
    const deps = instance(t);
    const pub = await clientStore(t.db).create(
      clientMetadataSchema.parse({ client_name: "Pub", redirect_uris: [`${ISSUER}/dashboard/inspector/callback`], token_endpoint_auth_method: "none" }),
      null,
    );
    const run = newRun({ clientRowId: pub.id, userId, issuer: ISSUER, scope: ["openid", "offline_access"] });
    const code = randomToken(32);
    await deps.stores.codes.create({
      id: crypto.randomUUID(), codeHash: sha256(code), grantId: crypto.randomUUID(), clientId: pub.id, userId, sessionId: null,
      redirectUri: run.redirectUri, redirectUriGiven: true, scope: run.scope, nonce: run.nonce, codeChallenge: s256(run.codeVerifier),
      codeChallengeMethod: "S256", authTime: new Date(Date.now() - 1000), amr: ["pwd"], expiresAt: new Date(Date.now() + 60_000),
    });
    const client = { clientId: pub.client_id, authMethod: "none" as const };
    const ok = await redeemCode(ep, run, client, null, code);
    expect(ok.exchange.response.status).toBe(200);
    expect(ok.exchange.request.headers.some(([k]) => k === "Authorization")).toBe(false);
    expect(ok.exchange.request.form).toContainEqual(["client_id", pub.client_id]);
    const r = await refresh(ep, client, null, ok.issued.refreshToken!);
    expect(r.exchanges.map((e) => e.response.status)).toEqual([200]);
    expect(r.issued.refreshToken).not.toBe(ok.issued.refreshToken);
    const rev = await revoke(ep, client, null, r.issued.refreshToken!, "refresh_token");
    expect(rev.response.status).toBe(200);
    expect((await callUserinfo(ep, r.issued.accessToken!)).response.status).toBe(401);
  });
});
