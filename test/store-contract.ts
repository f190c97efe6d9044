// The behaviour every OAuthStores (lib/oauth/types.ts) must have, as one suite run against the
// real stores (lib/db/protocol, on SQLite and PostgreSQL: lib/db/protocol/protocol-stores.test.ts)
// and against the fake (test/fake-stores.test.ts), so that the unit tests' fake cannot drift from
// what production does: requests bind and are consumed once, consents add up, a session is
// signed in only while it and its user are live, codes are used once and not after they expire,
// refresh tokens rotate once, a grant's tokens are revoked together, and every issuance is audited
// in the same write.
// Set-up that no store method does (the portal, the admin console and the CLI do it) goes through
// the subject's `seed`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { randomToken, sha256 } from "../lib/crypto/tokens";
import type { ClientMetadata } from "../lib/oauth/client-metadata";
import type {
  ApiRecord,
  AuthorizationParams,
  DocumentClientStore,
  NewAccessToken,
  NewRefreshToken,
  OAuthClient,
  OAuthStores,
  OAuthUser,
  PortalSessionInfo,
} from "../lib/oauth/types";

export interface StoredEvent {
  type: string;
  actorId: string | null;
  subjectId: string | null;
  clientId: string | null;
  data: Record<string, unknown> | null;
}

export interface StoreSeed {
  /** A user, as users.findById returns it. */
  user(u?: { email?: string; name?: string | null }): Promise<OAuthUser>;
  /** A client owned by `ownerId` (or nobody), as clients.findByClientId returns it. */
  client(c: Omit<OAuthClient, "id" | "ownerName">, ownerId: string | null): Promise<OAuthClient>;
  /** A portal session; `amr` as a sign-in records it (lib/db/sessions.ts), "pwd" when not given. */
  session(userId: string, expiresAt: Date, amr?: string[]): Promise<PortalSessionInfo>;
  revokeSession(id: string): Promise<void>;
  updateUser(
    id: string,
    change: { disabled?: boolean; mustResetPassword?: boolean; name?: string | null; emailVerified?: boolean; updatedAt?: Date },
  ): Promise<void>;
  /** What a user's or an admin's revocation of an app does to its consent. */
  revokeConsent(userId: string, clientId: string): Promise<void>;
  /** What a revocation does to a grant's unused codes (lib/db/grants.ts). */
  expireCode(codeId: string, at: Date): Promise<void>;
  /** As another process would: nothing in this one hears of it. */
  deleteClient(id: string): Promise<void>;
  /** Every audit event recorded so far. */
  events(): Promise<StoredEvent[]>;
  /** An API and its credentials client (as lib/db/apis.ts creates them); the client's public client_id. */
  api(a: Omit<ApiRecord, "id">): Promise<{ api: ApiRecord; credentialsClientId: string }>;
  /** Sets (null: clears) a client's default API, as the portal does. */
  setDefaultApi(clientId: string, apiId: string | null): Promise<void>;
}

export interface StoreSubject {
  stores: OAuthStores;
  /** The rows of Client ID Metadata Documents (lib/oauth/types.ts DocumentClientStore). */
  documentClients: DocumentClientStore;
  seed: StoreSeed;
  close(): Promise<void>;
}

const REDIRECT = "https://app.test/cb";

export function storeContract(name: string, makeSubject: () => Promise<StoreSubject>) {
  describe(`OAuthStores contract: ${name}`, () => {
    let subject: StoreSubject;
    let stores: OAuthStores;
    let seed: StoreSeed;
    let user: OAuthUser;
    let client: OAuthClient;
    let otherClient: OAuthClient;

    const clientRecord = (over: Partial<OAuthClient> = {}): Omit<OAuthClient, "id" | "ownerName"> => ({
      clientId: `lk_${randomToken(12)}`,
      name: "App",
      logoUrl: null,
      homepageUrl: null,
      verified: false,
      tokenEndpointAuthMethod: "client_secret_basic",
      secretHash: sha256("secret"),
      previousSecretHash: null,
      previousSecretExpiresAt: null,
      redirectUris: [REDIRECT, "https://app.test/cb2?x=1"],
      postLogoutRedirectUris: ["https://app.test/bye"],
      scopes: ["openid", "email", "offline_access"],
      grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
      requirePkce: true,
      signingAlg: "ES256",
      idTokenUserClaims: true,
      suspended: false,
      defaultResource: null,
      resourceServer: null,
      ...over,
    });

    beforeAll(async () => {
      subject = await makeSubject();
      ({ stores, seed } = subject);
      user = await seed.user({ email: "u@test.dev" });
      client = await seed.client(clientRecord(), user.id);
      otherClient = await seed.client(clientRecord({ name: "Other" }), null);
    });
    afterAll(async () => {
      await subject?.close();
    });

    const newUser = () => seed.user({ email: `${randomToken(6).toLowerCase()}@test.dev` });
    const eventsOf = async (type: string, jti?: string) =>
      (await seed.events()).filter((e) => e.type === type && (jti === undefined || e.data?.jti === jti));

    // ------------------------------------------------------------------------------------------
    // requests

    const params = (extra: Partial<AuthorizationParams> = {}): AuthorizationParams => ({
      clientId: client.clientId,
      redirectUri: REDIRECT,
      redirectUriGiven: true,
      responseType: "code",
      responseMode: "query",
      scope: ["openid", "email", "https://api.test/items\\read:items"],
      resources: ["https://api.test/items"],
      state: 'st ä/€ "quoted" & <tag>',
      nonce: "n-1",
      codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      codeChallengeMethod: "S256",
      prompt: ["login", "consent"],
      maxAge: 0,
      loginHint: null,
      acrValues: ["http://schemas.openid.net/pape/policies/2007/06/multi-factor", "phr"],
      ...extra,
    });

    async function newRequest(p: AuthorizationParams = params(), sessionId: string | null = null) {
      const id = randomToken(24);
      const createdAt = new Date(Date.now() - 1000);
      const expiresAt = new Date(createdAt.getTime() + 600_000);
      await stores.requests.create({ id, clientId: client.id, params: p, sessionId, createdAt, expiresAt });
      return { id, createdAt, expiresAt };
    }

    it("requests.create/find round-trips the validated params exactly", async () => {
      const p = params();
      const r = await newRequest(p, "sess-x");
      expect(await stores.requests.find(r.id)).toEqual({
        id: r.id,
        clientId: client.id,
        params: p,
        sessionId: "sess-x",
        createdAt: r.createdAt,
        expiresAt: r.expiresAt,
        consumedAt: null,
        decision: null,
      });
      // Nulls and empty lists survive too.
      const q = params({ state: null, nonce: null, codeChallenge: null, codeChallengeMethod: null, prompt: [], maxAge: null, loginHint: "a@b.c", redirectUriGiven: false, resources: [], acrValues: [] });
      const r2 = await newRequest(q);
      const found = await stores.requests.find(r2.id);
      expect(found?.params).toEqual(q);
      expect(found?.sessionId).toBeNull();
      expect(await stores.requests.find("no-such-request")).toBeNull();
    });

    it("requests.bindSession binds the first session; true again for it, false for another", async () => {
      const { id } = await newRequest();
      expect(await stores.requests.bindSession(id, "s1")).toBe(true);
      expect(await stores.requests.bindSession(id, "s1")).toBe(true);
      expect(await stores.requests.bindSession(id, "s2")).toBe(false);
      expect((await stores.requests.find(id))?.sessionId).toBe("s1");
      expect(await stores.requests.bindSession("no-such-request", "s1")).toBe(false);
    });

    it("requests.bindSession under concurrency: exactly one of several sessions wins", async () => {
      const { id } = await newRequest();
      const sessions = Array.from({ length: 10 }, (_, i) => `s-${i}`);
      const results = await Promise.all(sessions.map((s) => stores.requests.bindSession(id, s)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await stores.requests.find(id))?.sessionId).toBe(sessions[results.indexOf(true)]);
    });

    it("requests.consume is true exactly once and records when", async () => {
      const { id } = await newRequest();
      const now = new Date(Date.now() - 123);
      expect(await stores.requests.consume(id, now)).toBe(true);
      expect(await stores.requests.consume(id, new Date())).toBe(false);
      expect((await stores.requests.find(id))?.consumedAt).toEqual(now);
      expect(await stores.requests.consume("no-such-request", new Date())).toBe(false);
    });

    it("requests.consume under 10 concurrent calls: exactly one true", async () => {
      const { id } = await newRequest();
      const results = await Promise.all(Array.from({ length: 10 }, () => stores.requests.consume(id, new Date())));
      expect(results.filter((r) => r === true)).toHaveLength(1);
    });

    it("requests.consume records a decision to deliver; takeDecision gives it to exactly one of 10 callers", async () => {
      const { id } = await newRequest();
      expect(await stores.requests.takeDecision(id)).toBeNull(); // nothing recorded yet
      expect(await stores.requests.consume(id, new Date(), "deny")).toBe(true);
      expect((await stores.requests.find(id))?.decision).toBe("deny");
      const taken = await Promise.all(Array.from({ length: 10 }, () => stores.requests.takeDecision(id)));
      expect(taken.filter((d) => d !== null)).toEqual(["deny"]);
      expect((await stores.requests.find(id))?.decision).toBeNull();
      // A plain consume records none.
      const plain = await newRequest();
      await stores.requests.consume(plain.id, new Date());
      expect(await stores.requests.takeDecision(plain.id)).toBeNull();
      expect(await stores.requests.takeDecision("no-such-request")).toBeNull();
    });

    // ------------------------------------------------------------------------------------------
    // consents

    it("consents: null without consent; the scopes after grant; grant unions scopes; each grant audited", async () => {
      const u = await newUser();
      expect(await stores.consents.find(u.id, client.id)).toBeNull();
      await stores.consents.grant(u.id, client.id, ["openid"]);
      expect(await stores.consents.find(u.id, client.id)).toEqual(["openid"]);
      await stores.consents.grant(u.id, client.id, ["email"]);
      expect(await stores.consents.find(u.id, client.id)).toEqual(["openid", "email"]);
      // Granting what is already there changes nothing, and adds no duplicate.
      await stores.consents.grant(u.id, client.id, ["email", "openid"]);
      expect(await stores.consents.find(u.id, client.id)).toEqual(["openid", "email"]);
      // Per client: another client has none.
      expect(await stores.consents.find(u.id, otherClient.id)).toBeNull();
      const events = (await eventsOf("consent.granted")).filter((e) => e.actorId === u.id);
      expect(events.map((e) => e.data?.scope).sort()).toEqual(["email", "email openid", "openid"]);
      expect(events.every((e) => e.clientId === client.id && e.subjectId === u.id)).toBe(true);
    });

    it("concurrent grants of different scopes keep every scope (first grant and existing consent)", async () => {
      for (const existing of [false, true]) {
        const u = await newUser();
        if (existing) await stores.consents.grant(u.id, client.id, ["openid"]);
        const wanted = ["profile", "email", "offline_access", "address"];
        await Promise.all(wanted.map((s) => stores.consents.grant(u.id, client.id, [s])));
        const granted = await stores.consents.find(u.id, client.id);
        expect([...(granted ?? [])].sort()).toEqual([...(existing ? ["openid"] : []), ...wanted].sort());
      }
    });

    it("a revoked consent reads as null; a new grant re-activates it with only the new scopes", async () => {
      const u = await newUser();
      await stores.consents.grant(u.id, client.id, ["openid", "email"]);
      await seed.revokeConsent(u.id, client.id);
      expect(await stores.consents.find(u.id, client.id)).toBeNull();
      await stores.consents.grant(u.id, client.id, ["offline_access"]);
      expect(await stores.consents.find(u.id, client.id)).toEqual(["offline_access"]);
    });

    // ------------------------------------------------------------------------------------------
    // sessions and users

    it("sessions.findSignedIn: the live session; null for unknown, revoked, expired, disabled-user and must-reset sessions", async () => {
      const inAnHour = () => new Date(Date.now() + 3600_000);
      const u = await newUser();
      const live = await seed.session(u.id, inAnHour());
      expect(await stores.sessions.findSignedIn(live.id)).toEqual(live);
      expect(await stores.sessions.findSignedIn("no-such-session")).toBeNull();
      expect(live.amr).toEqual(["pwd"]);

      // How the user authenticated comes with the session, in the order recorded.
      const stepped = await seed.session(u.id, inAnHour(), ["pwd", "otp", "mfa"]);
      expect(await stores.sessions.findSignedIn(stepped.id)).toEqual({ ...stepped, amr: ["pwd", "otp", "mfa"] });

      const revoked = await seed.session(u.id, inAnHour());
      await seed.revokeSession(revoked.id);
      expect(await stores.sessions.findSignedIn(revoked.id)).toBeNull();

      const expired = await seed.session(u.id, new Date(Date.now() - 1000));
      expect(await stores.sessions.findSignedIn(expired.id)).toBeNull();

      // Disabled user, session itself untouched (not revoked, not expired).
      const d = await newUser();
      const ofDisabled = await seed.session(d.id, inAnHour());
      expect(await stores.sessions.findSignedIn(ofDisabled.id)).not.toBeNull();
      await seed.updateUser(d.id, { disabled: true });
      expect(await stores.sessions.findSignedIn(ofDisabled.id)).toBeNull();
      expect(await stores.sessions.findSignedIn(live.id)).not.toBeNull();

      // An admin forced a password reset: no codes for this session until the password is changed.
      const r = await newUser();
      const ofReset = await seed.session(r.id, inAnHour());
      await seed.updateUser(r.id, { mustResetPassword: true });
      expect(await stores.sessions.findSignedIn(ofReset.id)).toBeNull();
      await seed.updateUser(r.id, { mustResetPassword: false });
      expect(await stores.sessions.findSignedIn(ofReset.id)).not.toBeNull();
    });

    it("users.findById returns the protocol's view of a user; null for an unknown id", async () => {
      expect(await stores.users.findById(user.id)).toEqual(user);
      expect(await stores.users.findById(randomUUID())).toBeNull();
    });

    // ------------------------------------------------------------------------------------------
    // clients

    it("clients.findByClientId returns the client as stored; null for an unknown client_id", async () => {
      expect(await stores.clients.findByClientId(client.clientId)).toEqual(client);
      const other = clientRecord({
        tokenEndpointAuthMethod: "none",
        secretHash: null,
        previousSecretHash: sha256("old"),
        previousSecretExpiresAt: new Date(Date.now() + 60_000),
        postLogoutRedirectUris: [],
        scopes: [],
        grantTypes: ["authorization_code"],
        requirePkce: false,
        signingAlg: "RS256",
        idTokenUserClaims: false,
        suspended: true,
        verified: true,
        logoUrl: "https://app.test/logo.png",
        homepageUrl: "https://app.test/",
      });
      const stored = await seed.client(other, null);
      expect(await stores.clients.findByClientId(other.clientId)).toEqual(stored);
      expect(await stores.clients.findByClientId("lk_unknown")).toBeNull();
    });

    it("clients.findByClientId names the owner: their name, else their email, else null", async () => {
      expect((await stores.clients.findByClientId(client.clientId))?.ownerName).toBe("u@test.dev");
      const named = await seed.user({ email: `${randomToken(6).toLowerCase()}@test.dev`, name: "Dev Shop" });
      const c = await seed.client(clientRecord(), named.id);
      expect((await stores.clients.findByClientId(c.clientId))?.ownerName).toBe("Dev Shop");
      expect((await stores.clients.findByClientId(otherClient.clientId))?.ownerName).toBeNull();
    });

    // ------------------------------------------------------------------------------------------
    // client rows of Client ID Metadata Documents

    const docMeta = (over: Partial<ClientMetadata> = {}): ClientMetadata => ({
      client_name: "Notes",
      client_uri: "https://notes.test",
      logo_uri: "https://notes.test/logo.png",
      redirect_uris: ["http://127.0.0.1/callback"],
      post_logout_redirect_uris: [],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      scope: "openid profile offline_access",
      require_pkce: true,
      id_token_signed_response_alg: "RS256",
      id_token_user_claims: true,
      ...over,
    });

    it("documentClients.save creates a public, ownerless, unverified client that findByClientId returns", async () => {
      const url = `https://notes.test/${randomToken(8)}/client.json`;
      const saved = await subject.documentClients.save(url, docMeta(), new Date());
      expect(saved).toEqual({
        id: expect.any(String),
        clientId: url,
        name: "Notes",
        ownerName: null,
        logoUrl: "https://notes.test/logo.png",
        homepageUrl: "https://notes.test",
        verified: false,
        tokenEndpointAuthMethod: "none",
        secretHash: null,
        previousSecretHash: null,
        previousSecretExpiresAt: null,
        redirectUris: ["http://127.0.0.1/callback"],
        postLogoutRedirectUris: [],
        scopes: ["openid", "profile", "offline_access"],
        grantTypes: ["authorization_code", "refresh_token"],
        requirePkce: true,
        signingAlg: "RS256",
        idTokenUserClaims: true,
        suspended: false,
        defaultResource: null,
        resourceServer: null,
      });
      expect(await stores.clients.findByClientId(url)).toEqual(saved);
    });

    it("documentClients.save updates the same row when the document changed, and again is a no-op", async () => {
      const url = `https://notes.test/${randomToken(8)}/client.json`;
      const first = (await subject.documentClients.save(url, docMeta(), new Date()))!;
      const second = (await subject.documentClients.save(url, docMeta({ client_name: "Notes 2", redirect_uris: ["http://127.0.0.1/cb2"] }), new Date()))!;
      expect(second.id).toBe(first.id);
      expect(second).toMatchObject({ name: "Notes 2", redirectUris: ["http://127.0.0.1/cb2"] });
      expect(await subject.documentClients.save(url, docMeta({ client_name: "Notes 2", redirect_uris: ["http://127.0.0.1/cb2"] }), new Date())).toEqual(second);
      expect(await stores.clients.findByClientId(url)).toEqual(second);
    });

    it("documentClients.save leaves a client registered another way alone (null)", async () => {
      const url = `https://notes.test/${randomToken(8)}/client.json`;
      const other = await seed.client(clientRecord({ clientId: url }), null);
      expect(await subject.documentClients.save(url, docMeta(), new Date())).toBeNull();
      expect(await stores.clients.findByClientId(url)).toEqual(other);
    });

    // APIs (RFC 8707 resources)

    const apiRecord = (over: Partial<Omit<ApiRecord, "id">> = {}): Omit<ApiRecord, "id"> => ({
      identifier: `https://api.test/${randomToken(8)}`,
      name: "Items API",
      scopes: [
        { name: "read:items", description: "Read your items" },
        { name: "write", description: "" },
      ],
      accessTokenTtl: 300,
      allClients: false,
      allowedClientIds: [client.id],
      ...over,
    });

    it("apis.findByIdentifier and findById return the API as stored; null when unknown", async () => {
      const { api } = await seed.api(apiRecord());
      expect(await stores.apis.findByIdentifier(api.identifier)).toEqual(api);
      expect(await stores.apis.findById(api.id)).toEqual(api);
      expect(await stores.apis.findByIdentifier(`${api.identifier}/`)).toBeNull(); // exact match only
      expect(await stores.apis.findByIdentifier("https://api.test/none")).toBeNull();
      expect(await stores.apis.findById(randomUUID())).toBeNull();
      const bare = await seed.api(apiRecord({ scopes: [], accessTokenTtl: null, allClients: true, allowedClientIds: [] }));
      expect(await stores.apis.findByIdentifier(bare.api.identifier)).toEqual(bare.api);
    });

    it("apis.findWithScope finds the APIs with a scope of exactly that name", async () => {
      const scope = `x_${randomToken(6)}%`;
      const { api } = await seed.api(apiRecord({ scopes: [{ name: scope, description: "" }] }));
      await seed.api(apiRecord({ scopes: [{ name: `${scope}y`, description: "" }] }));
      expect(await stores.apis.findWithScope(scope)).toEqual([api]);
      expect(await stores.apis.findWithScope(scope.slice(0, -1))).toEqual([]);
    });

    it("clients.findByClientId names the default API's identifier, and the API an API's own client speaks for", async () => {
      const { api, credentialsClientId } = await seed.api(apiRecord());
      const c = await seed.client(clientRecord(), null);
      expect(await stores.clients.findByClientId(c.clientId)).toMatchObject({ defaultResource: null, resourceServer: null });
      await seed.setDefaultApi(c.id, api.id);
      expect(await stores.clients.findByClientId(c.clientId)).toMatchObject({ defaultResource: api.identifier, resourceServer: null });
      await seed.setDefaultApi(c.id, null);
      expect(await stores.clients.findByClientId(c.clientId)).toMatchObject({ defaultResource: null });
      const credentials = await stores.clients.findByClientId(credentialsClientId);
      expect(credentials).toMatchObject({ resourceServer: api.identifier, defaultResource: null, grantTypes: [], redirectUris: [], scopes: [] });
      expect(credentials?.tokenEndpointAuthMethod).toBe("client_secret_basic");
    });

    // ------------------------------------------------------------------------------------------
    // codes and tokens

    async function newCode(o: { grantId?: string; userId?: string; amr?: string[] } = {}) {
      const code = randomToken(32);
      const id = randomUUID();
      const grantId = o.grantId ?? randomUUID();
      await stores.codes.create({
        id,
        codeHash: sha256(code),
        grantId,
        clientId: client.id,
        userId: o.userId ?? user.id,
        sessionId: "sess-1",
        redirectUri: REDIRECT,
        redirectUriGiven: true,
        scope: ["openid", "offline_access"],
        resources: ["https://api.test/one", "urn:example:two"],
        nonce: "n-1",
        codeChallenge: "c",
        codeChallengeMethod: "S256",
        authTime: new Date(Date.now() - 5000),
        amr: o.amr ?? ["pwd", "otp", "mfa"],
        expiresAt: new Date(Date.now() + 60_000),
      });
      return { id, code, grantId };
    }

    const access = (grantId: string | null, scope = ["openid", "offline_access"], userId: string | null = user.id): NewAccessToken => ({
      jti: randomUUID(),
      grantId,
      clientId: client.id,
      userId,
      scope,
      expiresAt: new Date(Date.now() + 600_000),
    });

    const refresh = (grantId: string, scope = ["openid", "offline_access"], userId = user.id, amr = ["hwk", "user", "mfa"]) => {
      const token = randomToken(32);
      const r: NewRefreshToken = {
        tokenHash: sha256(token),
        grantId,
        clientId: client.id,
        userId,
        sessionId: "sess-1",
        scope,
        resources: ["https://api.test/one"],
        authTime: new Date(Date.now() - 5000),
        amr,
        expiresAt: new Date(Date.now() + 3600_000),
        absoluteExpiresAt: new Date(Date.now() + 86400_000),
      };
      return { token, r };
    };

    it("codes.findByHash maps the record back, scope as a list, without the hash", async () => {
      const c = await newCode();
      const found = await stores.codes.findByHash(sha256(c.code));
      expect(found).toMatchObject({
        id: c.id,
        grantId: c.grantId,
        clientId: client.id,
        userId: user.id,
        sessionId: "sess-1",
        redirectUri: REDIRECT,
        redirectUriGiven: true,
        scope: ["openid", "offline_access"],
        resources: ["https://api.test/one", "urn:example:two"],
        nonce: "n-1",
        codeChallenge: "c",
        codeChallengeMethod: "S256",
        amr: ["pwd", "otp", "mfa"],
        consumedAt: null,
        userActive: true,
        user: { id: user.id, email: user.email, name: user.name, emailVerified: user.emailVerified, updatedAt: user.updatedAt },
      });
      expect(found).not.toHaveProperty("codeHash");
      // No amr (a code from before amr was recorded: the column's default): an empty list.
      const bare = await newCode({ amr: [] });
      expect((await stores.codes.findByHash(sha256(bare.code)))?.amr).toEqual([]);
      expect(await stores.codes.findByHash(sha256("nope"))).toBeNull();
      expect(await stores.codes.findByHash(c.code)).toBeNull(); // the raw code is not a key
    });

    it("tokens.redeemCode is true once, then false, and the loser records nothing (its audit event neither)", async () => {
      const c = await newCode();
      const a1 = access(c.grantId);
      const r1 = refresh(c.grantId);
      const now = new Date();
      expect(await stores.tokens.redeemCode(c.id, now, a1, r1.r)).toBe(true);
      expect((await stores.codes.findByHash(sha256(c.code)))?.consumedAt).toEqual(now);
      expect(await stores.tokens.findAccess(a1.jti)).not.toBeNull();
      expect(await stores.tokens.findRefreshByHash(r1.r.tokenHash)).not.toBeNull();

      // The issuance is audited in the same write: one event, naming the jti, never a token.
      const mine = await eventsOf("token.issued", a1.jti);
      expect(mine).toEqual([
        {
          type: "token.issued",
          actorId: user.id,
          subjectId: user.id,
          clientId: client.id,
          data: { grant_type: "authorization_code", jti: a1.jti, scope: "openid offline_access", refresh_token_issued: true },
        },
      ]);
      expect(JSON.stringify(mine)).not.toContain(r1.r.tokenHash);

      const a2 = access(c.grantId);
      const r2 = refresh(c.grantId);
      expect(await stores.tokens.redeemCode(c.id, new Date(), a2, r2.r)).toBe(false);
      expect(await stores.tokens.findAccess(a2.jti)).toBeNull();
      expect(await stores.tokens.findRefreshByHash(r2.r.tokenHash)).toBeNull();
      expect(await eventsOf("token.issued", a2.jti)).toEqual([]);
    });

    it("tokens.redeemCode without a refresh token records only the access token", async () => {
      const c = await newCode();
      const a = access(c.grantId);
      expect(await stores.tokens.redeemCode(c.id, new Date(), a, null)).toBe(true);
      expect(await stores.tokens.findAccess(a.jti)).not.toBeNull();
      expect((await eventsOf("token.issued", a.jti))[0]?.data).toMatchObject({ refresh_token_issued: false });
    });

    it("tokens.redeemCode refuses an expired code, and one expired after it was read (a revocation in between)", async () => {
      const c = await newCode();
      const record = await stores.codes.findByHash(sha256(c.code));
      await seed.expireCode(c.id, new Date(Date.now() - 1));
      const a = access(c.grantId);
      const r = refresh(c.grantId);
      expect(record?.consumedAt).toBeNull();
      expect(await stores.tokens.redeemCode(c.id, new Date(), a, r.r)).toBe(false);
      expect(await stores.tokens.findAccess(a.jti)).toBeNull();
      expect(await stores.tokens.findRefreshByHash(r.r.tokenHash)).toBeNull();

      // Expired at exactly `now` is expired.
      const d = await newCode();
      const at = new Date(Date.now() + 30_000);
      await seed.expireCode(d.id, at);
      expect(await stores.tokens.redeemCode(d.id, at, access(d.grantId), null)).toBe(false);
      expect(await stores.tokens.redeemCode(d.id, new Date(at.getTime() - 1), access(d.grantId), null)).toBe(true);
    });

    it("tokens.redeemCode under concurrency: exactly one winner, only its tokens recorded", async () => {
      const c = await newCode();
      const attempts = Array.from({ length: 8 }, () => ({ a: access(c.grantId), r: refresh(c.grantId).r }));
      const results = await Promise.all(attempts.map(({ a, r }) => stores.tokens.redeemCode(c.id, new Date(), a, r)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const found = await Promise.all(attempts.map(async ({ a, r }) => [await stores.tokens.findAccess(a.jti), await stores.tokens.findRefreshByHash(r.tokenHash)]));
      expect(found.map(([a, r]) => a !== null && r !== null)).toEqual(results);
    });

    it("tokens.rotateRefresh is true once, then false; a revoked one does not rotate", async () => {
      const c = await newCode();
      const first = refresh(c.grantId);
      await stores.tokens.redeemCode(c.id, new Date(), access(c.grantId), first.r);
      const rec = (await stores.tokens.findRefreshByHash(first.r.tokenHash))!;
      const next = refresh(c.grantId);
      const nextAccess = access(c.grantId);
      const now = new Date();
      expect(await stores.tokens.rotateRefresh(rec.id, now, nextAccess, next.r, null)).toBe(true);
      expect((await stores.tokens.findRefreshByHash(first.r.tokenHash))?.rotatedAt).toEqual(now);
      expect(await stores.tokens.findRefreshByHash(next.r.tokenHash)).toMatchObject({ rotatedAt: null, revokedAt: null, createdAt: now, amr: ["hwk", "user", "mfa"] });
      expect((await eventsOf("token.refreshed", nextAccess.jti)).map((e) => e.data)).toEqual([
        { grant_type: "refresh_token", jti: nextAccess.jti, scope: "openid offline_access", refresh_token_issued: true },
      ]);

      const again = refresh(c.grantId);
      const againAccess = access(c.grantId);
      expect(await stores.tokens.rotateRefresh(rec.id, new Date(), againAccess, again.r, null)).toBe(false);
      expect(await stores.tokens.findRefreshByHash(again.r.tokenHash)).toBeNull();
      expect(await stores.tokens.findAccess(againAccess.jti)).toBeNull();
      expect(await eventsOf("token.refreshed", againAccess.jti)).toEqual([]);

      // A revoked (never rotated) refresh token cannot rotate.
      const nextRec = (await stores.tokens.findRefreshByHash(next.r.tokenHash))!;
      await stores.tokens.revokeGrant(c.grantId, new Date());
      expect(await stores.tokens.rotateRefresh(nextRec.id, new Date(), access(c.grantId), refresh(c.grantId).r, null)).toBe(false);
    });

    it("tokens.rotateRefresh under concurrency: exactly one winner", async () => {
      const c = await newCode();
      const first = refresh(c.grantId);
      await stores.tokens.redeemCode(c.id, new Date(), access(c.grantId), first.r);
      const rec = (await stores.tokens.findRefreshByHash(first.r.tokenHash))!;
      const attempts = Array.from({ length: 8 }, () => ({ a: access(c.grantId), r: refresh(c.grantId).r }));
      const results = await Promise.all(attempts.map(({ a, r }) => stores.tokens.rotateRefresh(rec.id, new Date(), a, r, null)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const found = await Promise.all(attempts.map(async ({ a, r }) => [await stores.tokens.findAccess(a.jti), await stores.tokens.findRefreshByHash(r.tokenHash)]));
      expect(found.map(([a, r]) => a !== null && r !== null)).toEqual(results);
    });

    /** A family of two: `first` rotated at `at` into `second`, which carries `replay`. */
    async function rotatedFamily(replay: string | null = "sealed-1", at = new Date()) {
      const c = await newCode();
      const first = refresh(c.grantId);
      await stores.tokens.redeemCode(c.id, new Date(at.getTime() - 1000), access(c.grantId), first.r);
      const firstId = (await stores.tokens.findRefreshByHash(first.r.tokenHash))!.id;
      const second = refresh(c.grantId);
      expect(await stores.tokens.rotateRefresh(firstId, at, access(c.grantId), second.r, replay)).toBe(true);
      const secondId = (await stores.tokens.findRefreshByHash(second.r.tokenHash))!.id;
      return { grantId: c.grantId, firstId, secondId, at, before: new Date(at.getTime() - 1) };
    }

    it("tokens.claimReplay: the successor's response, only after `rotatedAfter`, fewer than `max` times", async () => {
      const f = await rotatedFamily("sealed-1");
      // Rotated at exactly `rotatedAfter`: outside the window.
      expect(await stores.tokens.claimReplay(f.firstId, f.at, 5)).toBeNull();
      expect(await stores.tokens.claimReplay(f.firstId, f.before, 2)).toBe("sealed-1");
      expect(await stores.tokens.claimReplay(f.firstId, f.before, 2)).toBe("sealed-1");
      expect(await stores.tokens.claimReplay(f.firstId, f.before, 2)).toBeNull(); // the count is spent
      expect(await stores.tokens.claimReplay(f.firstId, f.before, 3)).toBe("sealed-1");
      // A current token (not rotated) and an unknown id have nothing to replay.
      expect(await stores.tokens.claimReplay(f.secondId, f.before, 5)).toBeNull();
      expect(await stores.tokens.claimReplay(randomUUID(), f.before, 5)).toBeNull();
    });

    it("tokens.claimReplay: nothing once the successor was rotated (its response is dropped) or the family revoked", async () => {
      const f = await rotatedFamily("sealed-1");
      const third = refresh(f.grantId);
      const later = new Date(f.at.getTime() + 1000);
      expect(await stores.tokens.rotateRefresh(f.secondId, later, access(f.grantId), third.r, "sealed-2")).toBe(true);
      expect(await stores.tokens.claimReplay(f.firstId, f.before, 5)).toBeNull();
      expect(await stores.tokens.claimReplay(f.secondId, f.before, 5)).toBe("sealed-2");
      await stores.tokens.revokeGrant(f.grantId, new Date());
      expect(await stores.tokens.claimReplay(f.secondId, f.before, 5)).toBeNull();
      // Grace off: nothing was stored, nothing is replayed.
      const off = await rotatedFamily(null);
      expect(await stores.tokens.claimReplay(off.firstId, off.before, 5)).toBeNull();
    });

    it("tokens.claimReplay under concurrency: exactly `max` of 20 get the response (count first)", async () => {
      const f = await rotatedFamily("sealed-1");
      const results = await Promise.all(Array.from({ length: 20 }, () => stores.tokens.claimReplay(f.firstId, f.before, 5)));
      expect(results.filter((r) => r === "sealed-1")).toHaveLength(5);
      expect(results.filter((r) => r === null)).toHaveLength(15);
    });

    it("tokens.claimReplay with max null (a request that raced the rotation): answered, neither counted nor bounded", async () => {
      const f = await rotatedFamily("sealed-1");
      for (let i = 0; i < 3; i++) expect(await stores.tokens.claimReplay(f.firstId, f.before, null)).toBe("sealed-1");
      expect(await stores.tokens.claimReplay(f.firstId, f.before, 1)).toBe("sealed-1"); // the count is still 0
      expect(await stores.tokens.claimReplay(f.firstId, f.before, 1)).toBeNull();
      // The window and the successor's state still hold.
      expect(await stores.tokens.claimReplay(f.firstId, f.at, null)).toBeNull();
      await stores.tokens.revokeGrant(f.grantId, new Date());
      expect(await stores.tokens.claimReplay(f.firstId, f.before, null)).toBeNull();
    });

    it("tokens.revokeOnReuse revokes the grant's tokens and records refresh.reuse_detected with them", async () => {
      const f = await rotatedFamily("sealed-1");
      const other = await rotatedFamily("sealed-x");
      const before = (await seed.events()).filter((e) => e.type === "refresh.reuse_detected").length;
      const now = new Date();
      await stores.tokens.revokeOnReuse(f.grantId, now, { userId: user.id, clientId: otherClient.id });
      for (const id of [f.firstId, f.secondId]) expect(await stores.tokens.claimReplay(id, f.before, 99)).toBeNull();
      expect(await stores.tokens.claimReplay(other.firstId, other.before, 5)).toBe("sealed-x");
      const events = (await seed.events()).filter((e) => e.type === "refresh.reuse_detected");
      expect(events).toHaveLength(before + 1);
      expect(events.at(-1)).toMatchObject({ type: "refresh.reuse_detected", subjectId: user.id, clientId: otherClient.id });
    });

    it("tokens.revokeGrant revokes every refresh and access token of the grant, nothing of another; the first time stays", async () => {
      const g = await newCode();
      const other = await newCode();
      const gFirst = refresh(g.grantId);
      const gAccess = [access(g.grantId), access(g.grantId), access(g.grantId)];
      await stores.tokens.redeemCode(g.id, new Date(), gAccess[0]!, gFirst.r);
      const gSecond = refresh(g.grantId);
      await stores.tokens.rotateRefresh((await stores.tokens.findRefreshByHash(gFirst.r.tokenHash))!.id, new Date(), gAccess[1]!, gSecond.r, null);
      await stores.tokens.recordAccess(gAccess[2]!);
      const otherRefresh = refresh(other.grantId);
      const otherAccess = access(other.grantId);
      await stores.tokens.redeemCode(other.id, new Date(), otherAccess, otherRefresh.r);
      const ungranted = access(null);
      await stores.tokens.recordAccess(ungranted);

      const now = new Date();
      await stores.tokens.revokeGrant(g.grantId, now);
      for (const r of [gFirst, gSecond]) expect((await stores.tokens.findRefreshByHash(r.r.tokenHash))?.revokedAt).toEqual(now);
      for (const a of gAccess) expect((await stores.tokens.findAccess(a.jti))?.revokedAt).toEqual(now);
      expect((await stores.tokens.findRefreshByHash(otherRefresh.r.tokenHash))?.revokedAt).toBeNull();
      expect((await stores.tokens.findAccess(otherAccess.jti))?.revokedAt).toBeNull();
      expect((await stores.tokens.findAccess(ungranted.jti))?.revokedAt).toBeNull();

      // Revoking again keeps the first revocation time.
      await stores.tokens.revokeGrant(g.grantId, new Date(now.getTime() + 5000));
      for (const a of gAccess) expect((await stores.tokens.findAccess(a.jti))?.revokedAt).toEqual(now);
    });

    it("findRefreshByHash and findAccess map the records back (scope as a list, no hash)", async () => {
      const c = await newCode();
      const a = access(c.grantId, ["openid", "email", "offline_access"]);
      const r = refresh(c.grantId, ["openid", "email", "offline_access"]);
      const now = new Date();
      await stores.tokens.redeemCode(c.id, now, a, r.r);

      const rec = await stores.tokens.findRefreshByHash(r.r.tokenHash);
      const { tokenHash: _hash, ...fields } = r.r;
      const profile = { id: user.id, email: user.email, name: user.name, emailVerified: user.emailVerified, updatedAt: user.updatedAt };
      expect(rec).toEqual({ ...fields, id: expect.any(String), createdAt: now, rotatedAt: null, revokedAt: null, userActive: true, user: profile });
      expect(await stores.tokens.findRefreshByHash(r.token)).toBeNull(); // the raw token is not a key

      expect(await stores.tokens.findAccess(a.jti)).toEqual({ ...a, revokedAt: null });
      expect(await stores.tokens.findAccess(randomUUID())).toBeNull();

      // An access token with no scope maps to an empty list.
      const bare = access(null, []);
      await stores.tokens.recordAccess(bare);
      expect((await stores.tokens.findAccess(bare.jti))?.scope).toEqual([]);
    });

    it("codes and refresh tokens say whether their user is still active", async () => {
      const other = await newUser();
      const c = await newCode({ userId: other.id });
      const first = await newCode({ userId: other.id });
      const r = refresh(first.grantId, ["openid"], other.id);
      await stores.tokens.redeemCode(first.id, new Date(), access(first.grantId, ["openid"], other.id), r.r);
      expect((await stores.codes.findByHash(sha256(c.code)))?.userActive).toBe(true);
      expect((await stores.tokens.findRefreshByHash(r.r.tokenHash))?.userActive).toBe(true);
      await seed.updateUser(other.id, { disabled: true });
      expect((await stores.codes.findByHash(sha256(c.code)))?.userActive).toBe(false);
      expect((await stores.tokens.findRefreshByHash(r.r.tokenHash))?.userActive).toBe(false);
    });

    it("codes and refresh tokens carry their user's profile as it is now (the ID token's claims, OIDC Core §5.4)", async () => {
      const other = await newUser();
      const c = await newCode({ userId: other.id });
      const first = await newCode({ userId: other.id });
      const r = refresh(first.grantId, ["openid"], other.id);
      await stores.tokens.redeemCode(first.id, new Date(), access(first.grantId, ["openid"], other.id), r.r);
      const updatedAt = new Date("2031-02-03T04:05:06.000Z");
      await seed.updateUser(other.id, { name: "Ada Lovelace", emailVerified: true, updatedAt });
      const profile = { id: other.id, email: other.email, name: "Ada Lovelace", emailVerified: true, updatedAt };
      expect((await stores.codes.findByHash(sha256(c.code)))?.user).toEqual(profile);
      expect((await stores.tokens.findRefreshByHash(r.r.tokenHash))?.user).toEqual(profile);
      await seed.updateUser(other.id, { name: null, emailVerified: false, updatedAt });
      expect((await stores.codes.findByHash(sha256(c.code)))?.user).toEqual({ ...profile, name: null, emailVerified: false });
    });

    it("tokens.recordAccess records the token and a token.issued event (client_credentials)", async () => {
      const a = access(null, ["openid"], null);
      expect(await stores.tokens.recordAccess(a)).toBe(true);
      expect(await stores.tokens.findAccess(a.jti)).toEqual({ ...a, revokedAt: null });
      expect(await eventsOf("token.issued", a.jti)).toEqual([
        {
          type: "token.issued",
          actorId: null,
          subjectId: null,
          clientId: client.id,
          data: { grant_type: "client_credentials", jti: a.jti, scope: "openid", refresh_token_issued: false },
        },
      ]);
    });

    it("tokens.recordAccess is false and records nothing when the client is gone (deleted since it was read)", async () => {
      const gone = await seed.client(clientRecord({ name: "Gone", grantTypes: ["client_credentials"] }), user.id);
      expect(await stores.clients.findByClientId(gone.clientId)).not.toBeNull();
      await seed.deleteClient(gone.id);
      const a = { ...access(null, []), clientId: gone.id, userId: null };
      expect(await stores.tokens.recordAccess(a)).toBe(false);
      expect(await stores.tokens.findAccess(a.jti)).toBeNull();
      expect(await eventsOf("token.issued", a.jti)).toEqual([]);
      expect(await stores.clients.findByClientId(gone.clientId)).toBeNull(); // nothing stale is served after
    });

    it("tokens.revokeAccess revokes one access token only, and keeps the first time", async () => {
      const a = access(null);
      const b = access(null);
      await stores.tokens.recordAccess(a);
      await stores.tokens.recordAccess(b);
      const now = new Date();
      await stores.tokens.revokeAccess(a.jti, now);
      await stores.tokens.revokeAccess(a.jti, new Date(now.getTime() + 5000));
      expect((await stores.tokens.findAccess(a.jti))?.revokedAt).toEqual(now);
      expect((await stores.tokens.findAccess(b.jti))?.revokedAt).toBeNull();
    });

    it("audit.record keeps the event", async () => {
      await stores.audit.record({ type: "contract.test", actorId: user.id, subjectId: null, clientId: client.id, data: { n: 1, ok: true, none: null } });
      expect(await eventsOf("contract.test")).toEqual([{ type: "contract.test", actorId: user.id, subjectId: null, clientId: client.id, data: { n: 1, ok: true, none: null } }]);
    });
  });
}

/** An audit event in the shape StoredEvent compares (absent fields are null). */
export function storedEvent(e: { type: string; actorId?: string | null; subjectId?: string | null; clientId?: string | null; data?: Record<string, unknown> | null }): StoredEvent {
  return { type: e.type, actorId: e.actorId ?? null, subjectId: e.subjectId ?? null, clientId: e.clientId ?? null, data: e.data ?? null };
}
