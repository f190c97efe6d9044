// Dynamic registration on the wire over real databases (SQLite and PostgreSQL): RFC 7591
// registration with an initial access token, RFC 7592 read / update / delete with the
// registration access token, exact statuses, error codes, WWW-Authenticate and Cache-Control,
// the rows and audit events behind them, and a registered client using /oauth/token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, testProtocolStores, type TempDatabase } from "@test/db";
import { apiStore } from "../../db/apis";
import { InitialAccessTokenRejected, registrationStore, type RegistrationStore } from "../../db/registration";
import { userStore } from "../../db/users";
import { sha256 } from "../../crypto/tokens";
import { instance, ISSUER } from "../../../test/http-instance";
import { knownApiScopes } from "../../oauth/client-metadata";
import {
  makeRegistration,
  registrationClientDELETE,
  registrationClientGET,
  registrationClientOPTIONS,
  registrationClientPUT,
  registrationOPTIONS,
  registrationPOST,
  type RegistrationDeps,
} from "./registration";
import { makeToken } from "./token";
import { PROTOCOL_ROUTES } from "../routes";
import { webHandler } from "../web-handler";
import { webEndpoints } from "../../../test/web-endpoints";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { sessionStore } from "../../db/sessions";
import { protocolSessionOf } from "../../auth/portal-session";
import { randomToken } from "../../crypto/tokens";
import { s256 } from "../../oauth/pkce";
import { authorize, decideConsent } from "../../oauth/authorize";
import { makeJwks } from "./jwks";
import { locationOf } from "@test/oauth-fixtures";

const CB = "https://app.test/cb";
const INVALID_IAT = 'Bearer realm="latchkey", error="invalid_token", error_description="The initial access token is missing, invalid, expired or revoked"';
const INVALID_RAT = 'Bearer realm="latchkey", error="invalid_token", error_description="The registration access token is missing or invalid for this client"';

function post(body: unknown, opts: { token?: string; type?: string; raw?: string } = {}): Request {
  const headers: Record<string, string> = { "content-type": opts.type ?? "application/json" };
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  return new Request(`${ISSUER}/oauth/register`, { method: "POST", headers, body: opts.raw ?? JSON.stringify(body) });
}

function at(uri: string, method: "GET" | "PUT" | "DELETE", token: string | null, body?: unknown): Request {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(uri, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function expectError(res: Response, status: number, error: string, challenge?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("www-authenticate")).toBe(challenge ?? null);
  const body = await res.json();
  expect(body.error).toBe(error);
  return body as { error: string; error_description: string };
}

describe("mounting", () => {
  // The lean production router serves POST /oauth/register, and the per-client paths
  // /oauth/register/<client_id> as a prefix route: none of it depends on Next in production.
  it("POST /oauth/register and GET/PUT/DELETE /oauth/register/<client_id> are in the production router, and nothing else of it", () => {
    // OPTIONS: the CORS preflight (lib/http/cors.ts).
    expect(PROTOCOL_ROUTES["/oauth/register"]).toStrictEqual({ POST: registrationPOST, OPTIONS: registrationOPTIONS });
    expect(PROTOCOL_ROUTES["/oauth/register/*"]).toStrictEqual({
      GET: registrationClientGET,
      PUT: registrationClientPUT,
      DELETE: registrationClientDELETE,
      OPTIONS: registrationClientOPTIONS,
    });
  });
});

describe.each(PROVIDERS)("dynamic client registration on %s", (provider) => {
  let t: TempDatabase;
  let store: RegistrationStore;
  let adminId: string;
  let iat: string;
  let open = false;
  let ep: ReturnType<typeof webEndpoints<"register" | "read" | "update" | "remove">>;

  beforeAll(async () => {
    t = await tempDatabase(provider);
    store = registrationStore(t.db);
    adminId = (await userStore(t.db).create({ email: "admin@test.dev", passwordHash: "x", role: "admin" })).id;
    iat = (await store.createInitialAccessToken({ label: "CI", expiresAt: new Date(Date.now() + 3600_000), createdById: adminId })).token;
    // The API scopes a client may register (MCP clients register with e.g. mcp:tools).
    await apiStore(t.db).create(
      { name: "Tools", identifier: "https://mcp.test/mcp", scopes: [{ name: "mcp:tools", description: "Use the tools" }], accessTokenTtl: null, allClients: true, allowedClientIds: [] },
      adminId,
    );
    const apiScopes = knownApiScopes(testProtocolStores(t).apis);
    const deps = (): RegistrationDeps => ({ issuer: ISSUER, openRegistration: open, store, now: () => new Date(), apiScopes });
    ep = webEndpoints(makeRegistration(deps));
  });
  afterAll(async () => {
    await t?.drop();
  });

  async function registerOk(body: object) {
    const res = await ep.register(post(body, { token: iat }));
    expect(res.status).toBe(201);
    return res.json();
  }

  // RFC 7591 §2 scope: the scopes the client can use, which includes those of this server's APIs
  // (issue 17 §5: an MCP client registers with the scope its server's 401 named).
  it("a scope of a registered API may be registered (and updated); a scope of no API is invalid_client_metadata", async () => {
    const body = { client_name: "MCP host", redirect_uris: ["http://127.0.0.1:7777/cb"], token_endpoint_auth_method: "none", scope: "openid mcp:tools" };
    const created = await registerOk(body);
    expect(created.scope).toBe("openid mcp:tools");
    const updated = await ep.update(at(created.registration_client_uri, "PUT", created.registration_access_token, { ...body, client_id: created.client_id, scope: "mcp:tools" }));
    expect(updated.status).toBe(200);
    expect((await updated.json()).scope).toBe("mcp:tools");

    const res = await ep.register(post({ ...body, scope: "openid mcp:tool" }, { token: iat }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "invalid_client_metadata",
      error_description: "scope: Unknown scope; known: openid profile email offline_access and the scopes of this server's APIs",
    });
  });

  it("CORS: * on registration and management responses, errors included, the challenge exposed; never credentials", async () => {
    const cors = (res: Response) => [res.headers.get("access-control-allow-origin"), res.headers.get("access-control-expose-headers"), res.headers.get("access-control-allow-credentials")];
    const withOrigin = (req: Request) => new Request(req, { headers: { ...Object.fromEntries(req.headers), origin: "https://mcp-client.example" } });
    const created = await ep.register(withOrigin(post({ client_name: "Web", redirect_uris: ["https://mcp-client.example/cb"], token_endpoint_auth_method: "none" }, { token: iat })));
    expect(created.status).toBe(201);
    expect(cors(created)).toEqual(["*", "WWW-Authenticate", null]);
    const body = await created.json();
    const refused = await ep.register(withOrigin(post({ client_name: "Web" }, { token: "wrong" })));
    expect(refused.status).toBe(401);
    expect(cors(refused)).toEqual(["*", "WWW-Authenticate", null]);
    const read = await ep.read(withOrigin(at(body.registration_client_uri, "GET", body.registration_access_token)));
    expect(read.status).toBe(200);
    expect(cors(read)).toEqual(["*", "WWW-Authenticate", null]);
    const wrong = await ep.remove(withOrigin(at(body.registration_client_uri, "DELETE", "wrong")));
    expect(wrong.status).toBe(401);
    expect(cors(wrong)).toEqual(["*", "WWW-Authenticate", null]);
  });

  it("registers a confidential client: 201, no-store, the full client information, owned by the IAT's creator", async () => {
    const before = (await t.db.initialAccessToken.findUniqueOrThrow({ where: { tokenHash: sha256(iat) } })).useCount;
    const res = await ep.register(post({ client_name: "Svc", grant_types: ["client_credentials"], scope: "openid", extra: 1 }, { token: iat }));
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = await res.json();
    expect(body).toStrictEqual({
      client_id: expect.stringMatching(/^lk_[A-Za-z0-9_-]{22}$/),
      client_secret: expect.stringMatching(/^lks_[A-Za-z0-9_-]{43}$/),
      client_id_issued_at: expect.any(Number),
      client_secret_expires_at: 0,
      registration_access_token: expect.stringMatching(/^lkrat_[A-Za-z0-9_-]{43}$/),
      registration_client_uri: `${ISSUER}/oauth/register/${body.client_id}`,
      client_name: "Svc",
      redirect_uris: [],
      post_logout_redirect_uris: [],
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["client_credentials"],
      response_types: [],
      scope: "openid",
      require_pkce: true,
      // OIDC Registration §2: RS256 when the registration does not name an algorithm.
      id_token_signed_response_alg: "RS256",
    });
    expect(Math.abs(body.client_id_issued_at - Date.now() / 1000)).toBeLessThan(600);
    const row = await t.db.client.findUniqueOrThrow({ where: { clientId: body.client_id } });
    expect(row).toMatchObject({
      ownerId: adminId,
      registeredVia: "dynamic",
      secretHash: sha256(body.client_secret),
      registrationAccessTokenHash: sha256(body.registration_access_token),
    });
    const used = await t.db.initialAccessToken.findUniqueOrThrow({ where: { tokenHash: sha256(iat) } });
    expect(used.useCount).toBe(before + 1);
    expect(used.lastUsedAt).not.toBeNull();
    const events = await t.db.auditEvent.findMany({ where: { clientId: row.id } });
    expect(events.map((e) => [e.type, e.actorId, JSON.parse(e.data!)])).toStrictEqual([
      ["client.registered", adminId, { client_id: body.client_id, confidential: true, iat_prefix: used.prefix }],
    ]);
    // No secret or token in the audit trail.
    expect(events[0]!.data).not.toContain(body.client_secret);
    expect(events[0]!.data).not.toContain(iat);
  });

  it("the registered client completes client_credentials at /oauth/token with its secret", async () => {
    const reg = await registerOk({ client_name: "Svc", grant_types: ["client_credentials"] });
    const token = webHandler(makeToken(() => instance(t)));
    const basic = Buffer.from(`${reg.client_id}:${reg.client_secret}`).toString("base64");
    const res = await token(
      new Request(`${ISSUER}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
        body: "grant_type=client_credentials",
      }),
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.token_type).toBe("Bearer");
    expect(typeof body.access_token).toBe("string");
    expect(body.refresh_token).toBeUndefined();
  });

  it("registered without id_token_signed_response_alg: RS256 stored and echoed; a code flow's ID token is RS256 and verifies against the JWKS", async () => {
    const reg = await registerOk({ client_name: "Rp", redirect_uris: [CB], scope: "openid email" });
    expect(reg.id_token_signed_response_alg).toBe("RS256");
    expect((await t.db.client.findUniqueOrThrow({ where: { clientId: reg.client_id } })).idTokenSignedResponseAlg).toBe("RS256");
    // Named explicitly, ES256 is kept.
    expect((await registerOk({ client_name: "Rp2", redirect_uris: [CB], id_token_signed_response_alg: "ES256" })).id_token_signed_response_alg).toBe("ES256");

    const deps = instance(t);
    const uid = (await userStore(t.db).create({ email: "rp@test.dev", passwordHash: "x" })).id;
    const s = await sessionStore(t.db).create({ userId: uid, maxAgeSeconds: 3600 });
    const session = protocolSessionOf(s);
    const verifier = randomToken(32);
    const raw = new URLSearchParams({
      client_id: reg.client_id, redirect_uri: CB, response_type: "code", scope: "openid email", state: "st", nonce: "n0",
      code_challenge: s256(verifier), code_challenge_method: "S256",
    });
    const first = await authorize(deps, raw, async () => session);
    expect(first.type).toBe("redirect");
    const requestId = new URL((first as { location: string }).location, ISSUER).searchParams.get("request")!;
    const decided = await decideConsent(deps, { requestId, session, decision: "allow" });
    expect(decided.ok).toBe(true);
    const code = new URL(locationOf(decided)).searchParams.get("code")!;
    const basic = Buffer.from(`${reg.client_id}:${reg.client_secret}`).toString("base64");
    const res = await webHandler(makeToken(() => deps))(
      new Request(`${ISSUER}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
        body: new URLSearchParams({ grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: CB }),
      }),
    );
    expect(res.status).toBe(200);
    const idToken = (await res.json()).id_token as string;
    expect(decodeProtectedHeader(idToken).alg).toBe("RS256");
    // Verified as a relying party does: the published JWKS, RS256 only.
    const jwks = await (await webHandler(makeJwks(() => deps))(new Request(`${ISSUER}/.well-known/jwks.json`))).json();
    const { payload, protectedHeader } = await jwtVerify(idToken, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: reg.client_id,
      algorithms: ["RS256"],
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({ sub: uid, nonce: "n0" });
  });

  it("a public client gets no secret and no secret expiry", async () => {
    const body = await registerOk({ client_name: "SPA", redirect_uris: [CB], token_endpoint_auth_method: "none" });
    expect(body.client_secret).toBeUndefined();
    expect(body.client_secret_expires_at).toBeUndefined();
    expect(body.response_types).toEqual(["code"]);
    expect((await t.db.client.findUniqueOrThrow({ where: { clientId: body.client_id } })).secretHash).toBeNull();
  });

  it("401 invalid_token with WWW-Authenticate for a missing, unknown, malformed, expired or revoked IAT (RFC 6750 §3.1)", async () => {
    const expired = await store.createInitialAccessToken({ label: "old", expiresAt: new Date(Date.now() - 1000), createdById: adminId });
    const revoked = await store.createInitialAccessToken({ label: "rev", expiresAt: new Date(Date.now() + 3600_000), createdById: adminId });
    expect(await store.revokeInitialAccessToken(revoked.id, adminId)).toBe(true);
    const clients = await t.db.client.count();
    const body = { client_name: "X", grant_types: ["client_credentials"] };
    const basic = new Request(`${ISSUER}/oauth/register`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Basic YTpi" },
      body: JSON.stringify(body),
    });
    for (const req of [post(body), post(body, { token: "lkiat_nope" }), post(body, { token: expired.token }), post(body, { token: revoked.token }), basic]) {
      const err = await expectError(await ep.register(req), 401, "invalid_token", INVALID_IAT);
      expect(err.error_description).toBe("The initial access token is missing, invalid, expired or revoked");
    }
    expect(await t.db.client.count()).toBe(clients);
  });

  it("the token is checked before the body: a bad body with a bad token is 401", async () => {
    await expectError(await ep.register(post(null, { raw: "not json" })), 401, "invalid_token", INVALID_IAT);
  });

  it("OPEN_REGISTRATION: no token needed (no owner, registeredVia open_registration); a token sent must still be valid", async () => {
    open = true;
    try {
      const res = await ep.register(post({ client_name: "Open", redirect_uris: ["http://127.0.0.1:33418/callback"], token_endpoint_auth_method: "none" }));
      expect(res.status).toBe(201);
      const body = await res.json();
      const row = await t.db.client.findUniqueOrThrow({ where: { clientId: body.client_id } });
      expect(row).toMatchObject({ ownerId: null, registeredVia: "open_registration", verified: false, tokenEndpointAuthMethod: "none", requirePkce: true });
      const event = await t.db.auditEvent.findFirstOrThrow({ where: { clientId: row.id } });
      expect([event.type, event.actorId, JSON.parse(event.data!).iat_prefix]).toEqual(["client.registered", null, null]);
      await expectError(await ep.register(post({ client_name: "Open" }, { token: "lkiat_nope" })), 401, "invalid_token", INVALID_IAT);
    } finally {
      open = false;
    }
  });

  it("OPEN_REGISTRATION without a token: an omitted auth method registers a public client with PKCE and the code flow (RFC 7591 §3.2.1)", async () => {
    open = true;
    try {
      const res = await ep.register(post({ client_name: "MCP Inspector", redirect_uris: ["http://localhost:6274/oauth/callback"] }));
      expect(res.status).toBe(201);
      const body = await res.json();
      expect(body).toMatchObject({
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        require_pkce: true,
      });
      expect(body).not.toHaveProperty("client_secret");
      expect(body).not.toHaveProperty("client_secret_expires_at");
    } finally {
      open = false;
    }
  });

  it("OPEN_REGISTRATION without a token: confidential clients, client_credentials and PKCE off are refused with invalid_client_metadata (RFC 7591 §3.2.2)", async () => {
    open = true;
    const clients = await t.db.client.count();
    const CONFIDENTIAL =
      "token_endpoint_auth_method: registration without an initial access token is open to public clients only (none); a confidential client needs an initial access token from this server's administrator";
    try {
      for (const method of ["client_secret_basic", "client_secret_post", "private_key_jwt"]) {
        const e = await expectError(
          await ep.register(post({ client_name: "Conf", redirect_uris: ["https://app.test/cb"], token_endpoint_auth_method: method })),
          400,
          "invalid_client_metadata",
        );
        expect(e.error_description).toBe(CONFIDENTIAL);
      }
      const cc = await expectError(await ep.register(post({ client_name: "Svc", grant_types: ["client_credentials"] })), 400, "invalid_client_metadata");
      expect(cc.error_description).toBe("grant_types: A public client cannot use client_credentials");
      const noPkce = await expectError(
        await ep.register(post({ client_name: "Web", redirect_uris: ["https://app.test/cb"], require_pkce: false })),
        400,
        "invalid_client_metadata",
      );
      expect(noPkce.error_description).toBe("require_pkce: A public client must use PKCE");
      expect(await t.db.client.count()).toBe(clients);
      // With an initial access token, a confidential client is still welcome.
      expect((await ep.register(post({ client_name: "Conf", grant_types: ["client_credentials"] }, { token: iat }))).status).toBe(201);
    } finally {
      open = false;
    }
  });

  it("400 invalid_client_metadata for a body that is not JSON, or not application/json", async () => {
    const notJson = await expectError(await ep.register(post(null, { token: iat, raw: "{" })), 400, "invalid_client_metadata");
    expect(notJson.error_description).toBe("The request body is not valid JSON");
    const form = await expectError(
      await ep.register(post(null, { token: iat, type: "application/x-www-form-urlencoded", raw: "client_name=x" })),
      400,
      "invalid_client_metadata",
    );
    expect(form.error_description).toBe("The request body must be application/json");
    // Parameters on the media type are fine.
    const ok = await ep.register(post({ client_name: "Svc", grant_types: ["client_credentials"] }, { token: iat, type: "application/json; charset=utf-8" }));
    expect(ok.status).toBe(201);
  });

  it("400 invalid_redirect_uri for a bad redirect URI, invalid_client_metadata naming the field otherwise (§3.2.2)", async () => {
    const clients = await t.db.client.count();
    const iatBefore = (await t.db.initialAccessToken.findUniqueOrThrow({ where: { tokenHash: sha256(iat) } })).useCount;
    expect(
      await expectError(await ep.register(post({ client_name: "A", redirect_uris: ["https://a.test/cb#frag"] }, { token: iat })), 400, "invalid_redirect_uri"),
    ).toStrictEqual({ error: "invalid_redirect_uri", error_description: "redirect_uris[0]: https://a.test/cb#frag must not contain a fragment (#)" });
    expect(
      await expectError(await ep.register(post({ client_name: "A", redirect_uris: [CB], grant_types: ["password"] }, { token: iat })), 400, "invalid_client_metadata"),
    ).toMatchObject({ error_description: expect.stringMatching(/^grant_types\[0\]: /) });
    expect(await t.db.client.count()).toBe(clients);
    // A refused registration does not count as a use of the token.
    expect((await t.db.initialAccessToken.findUniqueOrThrow({ where: { tokenHash: sha256(iat) } })).useCount).toBe(iatBefore);
  });

  it("a non-ASCII (IDN) redirect URI: 400 invalid_redirect_uri naming the A-label to register (RFC 5891), nothing stored", async () => {
    const clients = await t.db.client.count();
    expect(
      await expectError(await ep.register(post({ client_name: "Idn", redirect_uris: ["https://bücher.example/cb"] }, { token: iat })), 400, "invalid_redirect_uri"),
    ).toStrictEqual({
      error: "invalid_redirect_uri",
      // error_description is ASCII only (RFC 7591 §3.2.2 -> RFC 6749 §5.2): the echoed "ü" becomes "?".
      error_description: "redirect_uris[0]: https://b?cher.example/cb must be written in ASCII: register https://xn--bcher-kva.example/cb (an international host name as its punycode A-label, RFC 5891; other characters percent-encoded, RFC 3986)",
    });
    expect(await t.db.client.count()).toBe(clients);
  });

  it("a name that imitates the server, or carries a bidi override: 400 invalid_client_metadata; a dynamic client is unverified", async () => {
    const clients = await t.db.client.count();
    expect(
      await expectError(await ep.register(post({ client_name: "… — Official Latchkey Security Verification Service", grant_types: ["client_credentials"] }, { token: iat })), 400, "invalid_client_metadata"),
    ).toStrictEqual({
      error: "invalid_client_metadata",
      // error_description is ASCII only: the quotation marks become "?".
      error_description: "client_name: Name must not contain ?Latchkey? (or look like it): users would take the app for this server itself. An admin can register such a client.",
    });
    await expectError(await ep.register(post({ client_name: "Official Security Verification Service", grant_types: ["client_credentials"] }, { token: iat })), 400, "invalid_client_metadata");
    await expectError(await ep.register(post({ client_name: "ppa\u202eevil", grant_types: ["client_credentials"] }, { token: iat })), 400, "invalid_client_metadata");
    expect(await t.db.client.count()).toBe(clients);
    const ok = await registerOk({ client_name: "Plain", grant_types: ["client_credentials"] });
    expect((await t.db.client.findUniqueOrThrow({ where: { clientId: ok.client_id } })).verified).toBe(false);
  });

  it("an admin-verified dynamic client loses the mark when a PUT changes its name (users saw another app)", async () => {
    const reg = await registerOk({ client_name: "Checked", redirect_uris: [CB] });
    await t.db.client.update({ where: { clientId: reg.client_id }, data: { verified: true } });
    const same = await ep.update(at(reg.registration_client_uri, "PUT", reg.registration_access_token, { client_id: reg.client_id, client_name: "Checked", redirect_uris: [CB], scope: "openid" }));
    expect(same.status).toBe(200);
    expect((await t.db.client.findUniqueOrThrow({ where: { clientId: reg.client_id } })).verified).toBe(true);
    const renamed = await ep.update(at(reg.registration_client_uri, "PUT", (await same.json()).registration_access_token, { client_id: reg.client_id, client_name: "PayPal", redirect_uris: [CB] }));
    expect(renamed.status).toBe(200);
    expect((await t.db.client.findUniqueOrThrow({ where: { clientId: reg.client_id } })).verified).toBe(false);
  });

  it("control characters (NUL breaks PostgreSQL text) are a 400 or a 401, never a 500", async () => {
    const clients = await t.db.client.count();
    await expectError(await ep.register(post({ client_name: "A\u0000B", redirect_uris: [CB] }, { token: iat })), 400, "invalid_client_metadata");
    await expectError(await ep.register(post({ client_name: "A", description: "x\u0000", redirect_uris: [CB] }, { token: iat })), 400, "invalid_client_metadata");
    await expectError(await ep.register(post({ client_name: "A", redirect_uris: ["https://a.test/c\u0000b"] }, { token: iat })), 400, "invalid_redirect_uri");
    await expectError(await ep.register(post({ client_name: "A", redirect_uris: [CB], logo_uri: "https://a.test/l\u0000.png" }, { token: iat })), 400, "invalid_client_metadata");
    expect(await t.db.client.count()).toBe(clients);
    const res = await ep.read(at(`${ISSUER}/oauth/register/%00`, "GET", "anything"));
    expect(res.status).toBe(401);
  });

  describe("RFC 7592 client configuration endpoint", () => {
    it("GET reads the current configuration: 200, no-store, no secret, no new token", async () => {
      const reg = await registerOk({ client_name: "Web", redirect_uris: [CB] });
      const res = await ep.read(at(reg.registration_client_uri, "GET", reg.registration_access_token));
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const { client_secret: _s, registration_access_token: _t, ...rest } = reg;
      expect(await res.json()).toStrictEqual(rest);
    });

    it("401 invalid_token for a missing or wrong token, another client's token, an unknown client_id", async () => {
      const a = await registerOk({ client_name: "A", redirect_uris: [CB] });
      const b = await registerOk({ client_name: "B", redirect_uris: [CB] });
      const cases: [string, string | null][] = [
        [a.registration_client_uri, null],
        [a.registration_client_uri, "lkrat_wrong"],
        [a.registration_client_uri, b.registration_access_token],
        [`${ISSUER}/oauth/register/lk_doesnotexist`, a.registration_access_token],
        [a.registration_client_uri, iat],
      ];
      for (const [uri, token] of cases) {
        await expectError(await ep.read(at(uri, "GET", token)), 401, "invalid_token", INVALID_RAT);
        await expectError(await ep.update(at(uri, "PUT", token, { client_id: a.client_id, client_name: "Z", redirect_uris: [CB] })), 401, "invalid_token", INVALID_RAT);
        await expectError(await ep.remove(at(uri, "DELETE", token)), 401, "invalid_token", INVALID_RAT);
      }
      expect(await t.db.client.count({ where: { clientId: { in: [a.client_id, b.client_id] } } })).toBe(2);
      expect((await t.db.client.findUniqueOrThrow({ where: { clientId: a.client_id } })).name).toBe("A");
    });

    it("a client created in the dashboard (no registration token) cannot be managed here", async () => {
      await t.db.client.create({
        data: { clientId: "lk_dash", name: "Dash", tokenEndpointAuthMethod: "none", redirectUris: "[]", scopes: "openid", grantTypes: "authorization_code" },
      });
      // Even a token hashing to nothing cannot match a NULL column.
      await expectError(await ep.read(at(`${ISSUER}/oauth/register/lk_dash`, "GET", "x")), 401, "invalid_token", INVALID_RAT);
    });

    it("PUT replaces the metadata (omitted fields reset), rotates the token, keeps the secret; audit client.updated", async () => {
      const reg = await registerOk({ client_name: "Web", redirect_uris: [CB], scope: "openid email", require_pkce: false });
      const res = await ep.update(
        at(reg.registration_client_uri, "PUT", reg.registration_access_token, {
          client_id: reg.client_id,
          client_secret: reg.client_secret,
          client_name: "Web 2",
          redirect_uris: [CB, "https://app.test/cb2"],
          token_endpoint_auth_method: "client_secret_post",
        }),
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = await res.json();
      expect(body).toMatchObject({
        client_id: reg.client_id,
        client_id_issued_at: reg.client_id_issued_at,
        client_secret_expires_at: 0,
        client_name: "Web 2",
        redirect_uris: [CB, "https://app.test/cb2"],
        token_endpoint_auth_method: "client_secret_post",
        scope: "openid profile email offline_access",
        require_pkce: true,
        registration_client_uri: reg.registration_client_uri,
      });
      expect(body.client_secret).toBeUndefined();
      expect(body.registration_access_token).toMatch(/^lkrat_/);
      expect(body.registration_access_token).not.toBe(reg.registration_access_token);
      // The old token stops working at once; the new one works.
      await expectError(await ep.read(at(reg.registration_client_uri, "GET", reg.registration_access_token)), 401, "invalid_token", INVALID_RAT);
      expect((await ep.read(at(reg.registration_client_uri, "GET", body.registration_access_token))).status).toBe(200);
      const row = await t.db.client.findUniqueOrThrow({ where: { clientId: reg.client_id } });
      expect(row.secretHash).toBe(sha256(reg.client_secret));
      const events = await t.db.auditEvent.findMany({ where: { clientId: row.id }, orderBy: { createdAt: "asc" } });
      expect(events.map((e) => e.type)).toEqual(["client.registered", "client.updated"]);
      expect(JSON.parse(events[1]!.data!)).toEqual({ client_id: reg.client_id, via: "rfc7592" });
    });

    it("PUT refusals: client_id missing or different, server-set fields, a wrong secret, public<->confidential, bad metadata", async () => {
      const reg = await registerOk({ client_name: "Web", redirect_uris: [CB] });
      const put = (body: object) => ep.update(at(reg.registration_client_uri, "PUT", reg.registration_access_token, body));
      const base = { client_id: reg.client_id, client_name: "Web", redirect_uris: [CB] };
      const cases: [object, string, string][] = [
        [{ client_name: "Web", redirect_uris: [CB] }, "invalid_client_metadata", "client_id: must be present and match this client"],
        [{ ...base, client_id: "lk_other" }, "invalid_client_metadata", "client_id: must be present and match this client"],
        [{ ...base, registration_access_token: reg.registration_access_token }, "invalid_client_metadata", "registration_access_token: must not be sent in an update"],
        [{ ...base, registration_client_uri: reg.registration_client_uri }, "invalid_client_metadata", "registration_client_uri: must not be sent in an update"],
        [{ ...base, client_id_issued_at: 1 }, "invalid_client_metadata", "client_id_issued_at: must not be sent in an update"],
        [{ ...base, client_secret_expires_at: 0 }, "invalid_client_metadata", "client_secret_expires_at: must not be sent in an update"],
        [{ ...base, client_secret: "lks_chosen_by_client" }, "invalid_client_metadata", "client_secret: does not match the current client secret"],
        [
          { ...base, token_endpoint_auth_method: "none" },
          "invalid_client_metadata",
          "token_endpoint_auth_method: cannot change between a public (none) and a confidential client; register a new client",
        ],
        [{ ...base, redirect_uris: ["http://evil.test/cb"] }, "invalid_redirect_uri", "redirect_uris[0]: http://evil.test/cb must use https (http is allowed only for 127.0.0.1, [::1] or localhost)"],
      ];
      for (const [body, error, description] of cases) {
        expect(await expectError(await put(body), 400, error)).toStrictEqual({ error, error_description: description });
      }
      // Nothing changed, and the token was not rotated by a refused update.
      expect((await ep.read(at(reg.registration_client_uri, "GET", reg.registration_access_token))).status).toBe(200);
      const events = await t.db.auditEvent.findMany({ where: { type: "client.updated", data: { contains: reg.client_id } } });
      expect(events).toHaveLength(0);
    });

    it("DELETE: 204, the client and its tokens are gone, audit client.deleted; the token then gets 401", async () => {
      const reg = await registerOk({ client_name: "Svc", grant_types: ["client_credentials"] });
      const token = webHandler(makeToken(() => instance(t)));
      const basic = Buffer.from(`${reg.client_id}:${reg.client_secret}`).toString("base64");
      const issued = await token(
        new Request(`${ISSUER}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
          body: "grant_type=client_credentials",
        }),
      );
      expect(issued.status).toBe(200);
      const row = await t.db.client.findUniqueOrThrow({ where: { clientId: reg.client_id } });
      expect(await t.db.accessToken.count({ where: { clientId: row.id } })).toBe(1);

      const res = await ep.remove(at(reg.registration_client_uri, "DELETE", reg.registration_access_token));
      expect(res.status).toBe(204);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.text()).toBe("");
      expect(await t.db.client.count({ where: { clientId: reg.client_id } })).toBe(0);
      expect(await t.db.accessToken.count({ where: { clientId: row.id } })).toBe(0);
      const event = await t.db.auditEvent.findFirstOrThrow({ where: { clientId: row.id, type: "client.deleted" } });
      expect(JSON.parse(event.data!)).toEqual({ client_id: reg.client_id, via: "rfc7592", consents: 0, codes: 0, refreshTokens: 0, accessTokens: 1 });

      await expectError(await ep.read(at(reg.registration_client_uri, "GET", reg.registration_access_token)), 401, "invalid_token", INVALID_RAT);
      await expectError(await ep.remove(at(reg.registration_client_uri, "DELETE", reg.registration_access_token)), 401, "invalid_token", INVALID_RAT);
    });

    it("a suspended client can neither read, change nor delete its registration: 403 access_denied (RFC 7592 §2.1-2.3), nothing changes", async () => {
      const reg = await registerOk({ client_name: "Susp", redirect_uris: [CB] });
      await t.db.client.update({ where: { clientId: reg.client_id }, data: { suspended: true } });
      const denied = {
        error: "access_denied",
        error_description: "This client is suspended by the server's administrator: its registration cannot be read, changed or deleted",
      };
      const rat = reg.registration_access_token;
      const put = { client_id: reg.client_id, client_name: "Renamed", redirect_uris: [CB] };
      for (const res of [
        await ep.read(at(reg.registration_client_uri, "GET", rat)),
        await ep.update(at(reg.registration_client_uri, "PUT", rat, put)),
        await ep.remove(at(reg.registration_client_uri, "DELETE", rat)),
      ]) {
        // No Bearer challenge: the token is fine, the client is not allowed.
        expect(await expectError(res, 403, "access_denied")).toStrictEqual(denied);
      }
      const row = await t.db.client.findUniqueOrThrow({ where: { clientId: reg.client_id } });
      expect([row.name, row.registrationAccessTokenHash]).toEqual(["Susp", sha256(rat)]);
      // Without the right token the answer stays 401: it does not reveal that the client is suspended.
      await expectError(await ep.read(at(reg.registration_client_uri, "GET", "lkrat_wrong")), 401, "invalid_token", INVALID_RAT);
      // Resumed: works again.
      await t.db.client.update({ where: { clientId: reg.client_id }, data: { suspended: false } });
      expect((await ep.read(at(reg.registration_client_uri, "GET", rat))).status).toBe(200);
    });
  });

  describe("registration access token lifetime (REGISTRATION_ACCESS_TOKEN_TTL_SECONDS)", () => {
    const EXPIRED = 'Bearer realm="latchkey", error="invalid_token", error_description="The registration access token has expired"';
    let clock = Date.now();
    const timed = () =>
      webEndpoints(makeRegistration(() => ({ issuer: ISSUER, openRegistration: false, store, now: () => new Date(clock), registrationAccessTokenTtlSeconds: 600 })));

    it("a token works until its expiry, then 401 invalid_token 'expired' for GET, PUT and DELETE; a PUT's new token gets a new lifetime", async () => {
      clock = Date.now();
      const e = timed();
      const res = await e.register(post({ client_name: "Ttl", redirect_uris: [CB] }, { token: iat }));
      expect(res.status).toBe(201);
      const reg = await res.json();
      const row = await t.db.client.findUniqueOrThrow({ where: { clientId: reg.client_id } });
      expect(row.registrationAccessTokenExpiresAt?.getTime()).toBe(clock + 600_000);
      clock += 599_000;
      const put = await e.update(at(reg.registration_client_uri, "PUT", reg.registration_access_token, { client_id: reg.client_id, client_name: "Ttl2", redirect_uris: [CB] }));
      expect(put.status).toBe(200);
      const next = (await put.json()).registration_access_token as string;
      expect((await t.db.client.findUniqueOrThrow({ where: { clientId: reg.client_id } })).registrationAccessTokenExpiresAt?.getTime()).toBe(clock + 600_000);
      clock += 600_000; // exactly at expiry: expired
      await expectError(await e.read(at(reg.registration_client_uri, "GET", next)), 401, "invalid_token", EXPIRED);
      await expectError(await e.update(at(reg.registration_client_uri, "PUT", next, { client_id: reg.client_id, client_name: "X", redirect_uris: [CB] })), 401, "invalid_token", EXPIRED);
      await expectError(await e.remove(at(reg.registration_client_uri, "DELETE", next)), 401, "invalid_token", EXPIRED);
      expect((await t.db.client.findUniqueOrThrow({ where: { clientId: reg.client_id } })).name).toBe("Ttl2");
    });

    it("without a lifetime (the default) the token does not expire", async () => {
      const reg = await registerOk({ client_name: "Forever", redirect_uris: [CB] });
      expect((await t.db.client.findUniqueOrThrow({ where: { clientId: reg.client_id } })).registrationAccessTokenExpiresAt).toBeNull();
    });
  });

  describe("single-use initial access tokens", () => {
    it("the first registration consumes it; the next gets 401 invalid_token and creates nothing", async () => {
      const one = await store.createInitialAccessToken({ label: "once", expiresAt: new Date(Date.now() + 3600_000), createdById: adminId, singleUse: true });
      expect(one.singleUse).toBe(true);
      const body = { client_name: "Once", grant_types: ["client_credentials"] };
      // A refused body does not use it up.
      await expectError(await ep.register(post({ client_name: "", grant_types: ["client_credentials"] }, { token: one.token })), 400, "invalid_client_metadata");
      expect((await ep.register(post(body, { token: one.token }))).status).toBe(201);
      const clients = await t.db.client.count();
      await expectError(await ep.register(post(body, { token: one.token })), 401, "invalid_token", INVALID_IAT);
      expect(await t.db.client.count()).toBe(clients);
      const row = await t.db.initialAccessToken.findUniqueOrThrow({ where: { id: one.id } });
      expect([row.useCount, row.singleUse]).toEqual([1, true]);
    });

    it("concurrent registrations with one single-use token: exactly one wins (count first, then check)", async () => {
      const one = await store.createInitialAccessToken({ label: "race", expiresAt: new Date(Date.now() + 3600_000), createdById: adminId, singleUse: true });
      const meta = { client_name: "Race", redirect_uris: [], grant_types: ["client_credentials" as const], post_logout_redirect_uris: [], token_endpoint_auth_method: "client_secret_basic" as const, scope: "openid", require_pkce: true, id_token_signed_response_alg: "ES256" as const, id_token_user_claims: true };
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => store.register(meta, one.token)));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.filter((r) => r.status === "rejected").every((r) => (r as PromiseRejectedResult).reason instanceof InitialAccessTokenRejected)).toBe(true);
      expect(await t.db.client.count({ where: { name: "Race" } })).toBe(1);
      expect((await t.db.initialAccessToken.findUniqueOrThrow({ where: { id: one.id } })).useCount).toBe(1);
    });

    it("a multi-use token (the default) keeps working", async () => {
      const many = await store.createInitialAccessToken({ label: "many", expiresAt: new Date(Date.now() + 3600_000), createdById: adminId });
      for (let i = 0; i < 3; i++) expect((await ep.register(post({ client_name: `M${i}`, grant_types: ["client_credentials"] }, { token: many.token }))).status).toBe(201);
      expect((await t.db.initialAccessToken.findUniqueOrThrow({ where: { id: many.id } })).useCount).toBe(3);
    });
  });
});
