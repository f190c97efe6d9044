// An API protected by Latchkey, through the real endpoints on SQLite and PostgreSQL: the API and
// its credentials made as the CLI makes them, GET /oauth/authorize with two resources (RFC 8707
// §2), consent, POST /oauth/token naming one (§2.2), then POST /oauth/introspect with the API's
// own credentials (active), another API's (inactive), and after POST /oauth/revoke (inactive at
// once). Exact statuses and bodies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { instance, ISSUER } from "@test/http-instance";
import { locationOf } from "@test/oauth-fixtures";
import { apiStore } from "../../db/apis";
import { clientStore } from "../../db/clients";
import { sessionStore } from "../../db/sessions";
import { userStore } from "../../db/users";
import { randomToken } from "../../crypto/tokens";
import { s256 } from "../../oauth/pkce";
import { makeApiInputSchema } from "../../oauth/api-metadata";
import { clientMetadataSchema } from "../../oauth/client-metadata";
import { decideConsent } from "../../oauth/authorize";
import type { OAuthDeps, PortalSessionInfo } from "../../oauth/types";
import { authorizeEndpoints } from "./authorize";
import { makeIntrospection } from "./introspection";
import { makeRevocation } from "./revocation";
import { makeToken } from "./token";
import { makeUserinfo } from "./userinfo";
import { webHandler } from "../web-handler";
import { protocolSessionOf } from "../../auth/portal-session";

const REDIRECT = "https://app.test/cb";
const ITEMS = "https://items.test/api";
const NOTES = "urn:test:notes";

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
const post = (path: string, body: [string, string][], authorization: string) =>
  new Request(`${ISSUER}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization },
    body: new URLSearchParams(body),
  });

describe.each(PROVIDERS)("a protected API on %s", (provider) => {
  let t: TempDatabase;
  let deps: OAuthDeps;
  let session: PortalSessionInfo;
  let app: { client_id: string; client_secret: string };
  let items: { client_id: string; client_secret: string };
  let notes: { client_id: string; client_secret: string };

  beforeAll(async () => {
    t = await tempDatabase(provider);
    deps = instance(t);
    const userId = (await userStore(t.db).create({ email: "u@test.dev", passwordHash: "x" })).id;
    const s = await sessionStore(t.db).create({ userId, maxAgeSeconds: 3600 });
    session = protocolSessionOf(s);
    app = (await clientStore(t.db).create(
      clientMetadataSchema.parse({ client_name: "App", redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token"] }),
      null,
    )) as typeof app;
    const input = (identifier: string, name: string, scope: string) =>
      makeApiInputSchema().parse({ name, identifier, scopes: [{ name: scope, description: `Use ${name}` }], accessTokenTtl: 120 });
    items = await apiStore(t.db).create(input(ITEMS, "Items API", "read:items"), null);
    notes = await apiStore(t.db).create(input(NOTES, "Notes API", "read"), null);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const token = (body: [string, string][]) => webHandler(makeToken(() => deps))(post("/oauth/token", body, basic(app.client_id, app.client_secret)));
  const introspectAs = (who: { client_id: string; client_secret: string }, tok: string) =>
    webHandler(makeIntrospection(() => deps))(post("/oauth/introspect", [["token", tok]], basic(who.client_id, who.client_secret)));

  async function code(verifier: string): Promise<string> {
    const get = webHandler(authorizeEndpoints({ deps: () => deps, session: async () => session }).GET);
    const q = new URLSearchParams([
      ["response_type", "code"],
      ["client_id", app.client_id],
      ["redirect_uri", REDIRECT],
      ["scope", "openid offline_access read:items read"],
      ["resource", ITEMS],
      ["resource", NOTES],
      ["code_challenge", s256(verifier)],
      ["code_challenge_method", "S256"],
      ["state", "st"],
    ]);
    const res = await get(new Request(`${ISSUER}/oauth/authorize?${q}`));
    expect(res.status).toBe(302);
    const consent = res.headers.get("location")!;
    expect(consent).toMatch(/^\/consent\?request=/);
    const decided = await decideConsent(deps, { requestId: new URL(consent, ISSUER).searchParams.get("request")!, session, decision: "allow" });
    if (!decided.ok) throw new Error(decided.problem);
    return new URL(locationOf(decided)).searchParams.get("code")!;
  }

  it("authorize -> token for one API -> that API introspects it (active), another API does not; revoked: inactive at once", async () => {
    const verifier = randomToken(32);
    const c = await code(verifier);
    const base: [string, string][] = [["grant_type", "authorization_code"], ["code", c], ["code_verifier", verifier], ["redirect_uri", REDIRECT]];

    // Two resources in one token request: invalid_target (one audience per token), code not used.
    const two = await token([...base, ["resource", ITEMS], ["resource", NOTES]]);
    expect(two.status).toBe(400);
    expect(await two.json()).toEqual({ error: "invalid_target", error_description: "Send at most one resource per token request: an access token is for one API" });

    const res = await token([...base, ["resource", ITEMS]]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; refresh_token: string; expires_in: number; scope: string };
    expect({ expires_in: body.expires_in, scope: body.scope }).toEqual({ expires_in: 120, scope: "openid offline_access read:items" });
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ iss: ISSUER, aud: [ITEMS, ISSUER], scope: "openid offline_access read:items", client_id: app.client_id });

    const active = await introspectAs(items, body.access_token);
    expect(active.status).toBe(200);
    expect(await active.json()).toEqual({
      active: true,
      scope: "openid offline_access read:items",
      client_id: app.client_id,
      sub: session.userId,
      exp: claims.exp,
      iat: claims.iat,
      iss: ISSUER,
      aud: [ITEMS, ISSUER],
      jti: claims.jti,
      token_type: "Bearer",
      username: "u@test.dev",
      // RFC 9470 §6.2: the session's sign-in (a password), as the token says.
      auth_time: Math.floor(session.authTime.getTime() / 1000),
      acr: "urn:latchkey:acr:single-factor",
      amr: ["pwd"],
    });
    expect(await (await introspectAs(notes, body.access_token)).json()).toEqual({ active: false });
    expect(await (await introspectAs(items, body.refresh_token)).json()).toEqual({ active: false });

    // Userinfo accepts it: its audience includes the issuer.
    const ui = await webHandler(makeUserinfo(() => deps))(new Request(`${ISSUER}/oauth/userinfo`, { headers: { authorization: `Bearer ${body.access_token}` } }));
    expect(ui.status).toBe(200);

    // The client revokes it (RFC 7009): the API sees it at once.
    const revoked = await webHandler(makeRevocation(() => deps))(post("/oauth/revoke", [["token", body.access_token]], basic(app.client_id, app.client_secret)));
    expect(revoked.status).toBe(200);
    expect(await (await introspectAs(items, body.access_token)).json()).toEqual({ active: false });

    // The refresh token narrows to the other API; never to one outside the grant.
    const refreshed = await token([["grant_type", "refresh_token"], ["refresh_token", body.refresh_token], ["resource", NOTES]]);
    expect(refreshed.status).toBe(200);
    const r2 = (await refreshed.json()) as { access_token: string; refresh_token: string };
    expect(decodeJwt(r2.access_token)).toMatchObject({ aud: [NOTES, ISSUER], scope: "openid offline_access read" });
    expect(await (await introspectAs(notes, r2.access_token)).json()).toMatchObject({ active: true, aud: [NOTES, ISSUER] });
    const wider = await token([["grant_type", "refresh_token"], ["refresh_token", r2.refresh_token], ["resource", "https://other.test"]]);
    expect(wider.status).toBe(400);
    expect(await wider.json()).toEqual({ error: "invalid_target", error_description: "The resource https://other.test was not granted in this authorization" });
  });

  it("an unknown resource at authorize -> invalid_target, redirected to the client", async () => {
    const get = webHandler(authorizeEndpoints({ deps: () => deps, session: async () => session }).GET);
    const q = new URLSearchParams({ response_type: "code", client_id: app.client_id, redirect_uri: REDIRECT, scope: "openid", resource: "https://nope.test", code_challenge: s256(randomToken(32)), code_challenge_method: "S256", state: "st" });
    const res = await get(new Request(`${ISSUER}/oauth/authorize?${q}`));
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get("location")!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: "invalid_target", error_description: "The resource https://nope.test is not an API registered here", state: "st", iss: ISSUER });
  });
});
