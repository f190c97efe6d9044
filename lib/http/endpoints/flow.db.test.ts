// Scale-out (issue 3): two instances on one database, a flow begun on one and finished on the
// other. Instance A and instance B have separate stores and key rings over the same database
// (SQLite and PostgreSQL): authorize on A, consent on B (exactly one of concurrent decisions
// wins), redeem at A's token endpoint, and the consent is remembered by A afterwards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { instance, ISSUER } from "@test/http-instance";
import { keysOf, locationOf } from "@test/oauth-fixtures";
import { SCOPES } from "../../oauth/scopes";
import { clientStore } from "../../db/clients";
import { sessionStore } from "../../db/sessions";
import { userStore } from "../../db/users";
import { randomToken } from "../../crypto/tokens";
import { s256 } from "../../oauth/pkce";
import { clientMetadataSchema } from "../../oauth/client-metadata";
import { authorize, continueAuthorization, decideConsent, loadConsent, type AuthorizeOutcome } from "../../oauth/authorize";
import type { OAuthDeps, PortalSessionInfo } from "../../oauth/types";
import { makeToken } from "./token";
import { webHandler } from "../web-handler";
import { protocolSessionOf } from "../../auth/portal-session";

const REDIRECT = "https://app.test/cb";


function form(body: Record<string, string>, auth: { id: string; secret: string }): Request {
  const basic = Buffer.from(`${encodeURIComponent(auth.id)}:${encodeURIComponent(auth.secret)}`).toString("base64");
  return new Request(`${ISSUER}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
    body: new URLSearchParams(body),
  });
}

/** The request id of a redirect to our consent page. */
function consentRequestId(outcome: AuthorizeOutcome): string {
  expect(outcome.type).toBe("redirect");
  const location = (outcome as { location: string }).location;
  expect(location).toMatch(/^\/consent\?request=[A-Za-z0-9_-]+$/);
  return new URL(location, ISSUER).searchParams.get("request")!;
}

/** The code of a successful redirect to the client, after checking state and iss. */
function codeFrom(location: string, state: string): string {
  const url = new URL(location);
  expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
  expect(url.searchParams.get("state")).toBe(state);
  expect(url.searchParams.get("iss")).toBe(ISSUER);
  expect(url.searchParams.get("error")).toBeNull();
  const code = url.searchParams.get("code");
  expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return code!;
}

describe.each(PROVIDERS)("a flow across two instances on %s", (provider) => {
  let t: TempDatabase;
  let a: OAuthDeps;
  let b: OAuthDeps;
  let userId: string;
  let conf: { id: string; client_id: string; client_secret: string };
  let auth: { id: string; secret: string };

  beforeAll(async () => {
    t = await tempDatabase(provider);
    // A on the Prisma stores, B on the hot-path SQL: the same rows, read and written by both.
    a = instance(t);
    b = instance(t);
    userId = (await userStore(t.db).create({ email: "u@test.dev", passwordHash: "x" })).id;
    conf = (await clientStore(t.db).create(
      clientMetadataSchema.parse({ client_name: "App", redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token"] }),
      null,
    )) as typeof conf;
    auth = { id: conf.client_id, secret: conf.client_secret };
  });
  afterAll(async () => {
    await t?.drop();
  });

  async function newSession(uid = userId): Promise<PortalSessionInfo> {
    const s = await sessionStore(t.db).create({ userId: uid, maxAgeSeconds: 3600 });
    return protocolSessionOf(s);
  }

  function request(scope: string, extra: Record<string, string> = {}) {
    const verifier = randomToken(32);
    const state = randomToken(8);
    const nonce = randomToken(8);
    const raw = new URLSearchParams({
      client_id: conf.client_id,
      redirect_uri: REDIRECT,
      response_type: "code",
      scope,
      state,
      nonce,
      code_challenge: s256(verifier),
      code_challenge_method: "S256",
      ...extra,
    });
    return { raw, verifier, state, nonce };
  }

  const redeemAt = (deps: OAuthDeps, code: string, verifier: string) =>
    webHandler(makeToken(() => deps))(form({ grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT }, auth));

  it("authorize on A, consent on B (one of 8 concurrent decisions wins), redeem at A; A then remembers the consent", async () => {
    // A user of their own: no consent from another test.
    const uid = (await userStore(t.db).create({ email: "flow@test.dev", passwordHash: "x" })).id;
    const session = await newSession(uid);
    const req = request("openid email");

    // A: signed in, no consent yet -> our consent page.
    const first = await authorize(a, req.raw, async () => session);
    const requestId = consentRequestId(first);

    // B: shows the consent screen for that request.
    const view = await loadConsent(b, requestId, session);
    expect(view).toEqual({
      ok: true,
      view: {
        requestId,
        client: { name: "App", ownerName: null, logoUrl: null, homepageUrl: null, verified: false },
        redirectHost: "app.test",
        documentHost: null,
        runsLocally: false,
        newScopes: [{ api: null, lines: [{ key: "openid", text: SCOPES.openid }, { key: "email", text: SCOPES.email }] }],
        grantedScopes: [],
      },
    });

    // B: 8 concurrent "Allow" -> exactly one answer.
    const decisions = await Promise.all(
      Array.from({ length: 8 }, () => decideConsent(b, { requestId, session, decision: "allow" })),
    );
    const won = decisions.filter((d) => d.ok);
    expect(won).toHaveLength(1);
    expect(decisions.filter((d) => !d.ok)).toEqual(Array.from({ length: 7 }, () => ({ ok: false, problem: "decided" })));
    const code = codeFrom(locationOf(won[0]!), req.state);
    // One code, one consent row, one consent.granted event.
    expect(await t.db.authorizationCode.count({ where: { userId: uid } })).toBe(1);
    expect(await t.db.auditEvent.count({ where: { type: "consent.granted", actorId: uid } })).toBe(1);
    // Decided: B's consent screen and A's continuation no longer offer it.
    expect(await loadConsent(b, requestId, session)).toEqual({ ok: false, problem: "decided" });
    expect(await loadConsent(a, requestId, session)).toEqual({ ok: false, problem: "decided" });

    // A: the token endpoint redeems the code issued by B.
    const res = await redeemAt(a, code, req.verifier);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ token_type: "Bearer", scope: "openid email" });
    const idToken = decodeJwt(body.id_token);
    expect(idToken).toMatchObject({ iss: ISSUER, sub: uid, aud: conf.client_id, nonce: req.nonce, sid: session.sid });
    // The sid is the session's public id, never the row id the session cookie names.
    expect(idToken.sid).not.toBe(session.id);
    expect((await t.db.portalSession.findUniqueOrThrow({ where: { id: session.id } })).publicSid).toBe(idToken.sid);
    expect(await b.keys.verify(body.access_token, { typ: "at+jwt", audience: ISSUER })).toMatchObject({ sub: uid });
    // Used once, whichever instance is asked next.
    const replay = await redeemAt(b, code, req.verifier);
    expect(replay.status).toBe(400);
    expect((await replay.json()).error).toBe("invalid_grant");

    // A again, same scopes: the consent given on B is remembered -> a code at once.
    const again = request("openid email");
    const second = await authorize(a, again.raw, async () => session);
    expect(second.type).toBe("respond");
    const code2 = codeFrom(locationOf(second), again.state);
    expect(code2).not.toBe(code);
    // Also by B, and for a subset of the scopes.
    const subset = request("openid");
    const third = await authorize(b, subset.raw, async () => session);
    codeFrom(locationOf(third), subset.state);
    // The second code redeems too, at B this time.
    const res2 = await redeemAt(b, code2, again.verifier);
    expect(res2.status).toBe(200);
    expect(decodeJwt((await res2.json()).id_token).nonce).toBe(again.nonce);

    // A wider request asks again, for the new scope only.
    const wider = request("openid email profile");
    const widerId = consentRequestId(await authorize(a, wider.raw, async () => session));
    const widerView = await loadConsent(b, widerId, session);
    expect(widerView.ok && [keysOf(widerView.view.newScopes), keysOf(widerView.view.grantedScopes)]).toEqual([["profile"], ["openid", "email"]]);
  });

  it("a whole code flow without scope: consent, code and tokens carry the client's registered scopes (RFC 6749 §3.3)", async () => {
    const uid = (await userStore(t.db).create({ email: "noscope@test.dev", passwordHash: "x" })).id;
    const session = await newSession(uid);
    const registered = (await clientStore(t.db).create(
      clientMetadataSchema.parse({
        client_name: "No-scope App",
        redirect_uris: [REDIRECT],
        grant_types: ["authorization_code", "refresh_token"],
        scope: "openid email offline_access",
      }),
      null,
    )) as typeof conf;
    const req = request("", { client_id: registered.client_id });
    req.raw.delete("scope"); // absent, as the MCP TypeScript SDK sends it

    const requestId = consentRequestId(await authorize(a, req.raw, async () => session));
    const view = await loadConsent(b, requestId, session);
    expect(view.ok && keysOf(view.view.newScopes)).toEqual(["openid", "email", "offline_access"]);
    const decided = await decideConsent(b, { requestId, session, decision: "allow" });
    expect(decided.ok).toBe(true);
    const code = codeFrom(locationOf(decided), req.state);

    const res = await webHandler(makeToken(() => a))(
      form(
        { grant_type: "authorization_code", code, code_verifier: req.verifier, redirect_uri: REDIRECT },
        { id: registered.client_id, secret: registered.client_secret },
      ),
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    // RFC 6749 §5.1: the response says what was granted; openid made it an OIDC request.
    expect(body.scope).toBe("openid email offline_access");
    expect(typeof body.refresh_token).toBe("string");
    expect(decodeJwt(body.id_token)).toMatchObject({ sub: uid, aud: registered.client_id, nonce: req.nonce });
    expect(decodeJwt(body.access_token).scope).toBe("openid email offline_access");
  });

  it("a request bound to session S1 cannot be shown or decided by session S2 (on either instance)", async () => {
    const s1 = await newSession();
    const s2 = await newSession(); // same user, another browser
    const req = request("openid email", { prompt: "consent" });
    const requestId = consentRequestId(await authorize(a, req.raw, async () => s1));

    expect(await loadConsent(b, requestId, s2)).toEqual({ ok: false, problem: "other_session" });
    expect(await decideConsent(b, { requestId, session: s2, decision: "allow" })).toEqual({ ok: false, problem: "other_session" });
    expect(await decideConsent(a, { requestId, session: s2, decision: "deny" })).toEqual({ ok: false, problem: "other_session" });
    // S2's attempts used nothing up: S1 can still answer.
    const r = await decideConsent(b, { requestId, session: s1, decision: "allow" });
    expect(r.ok).toBe(true);
    codeFrom(locationOf(r), req.state);
  });

  it("a request parked before sign-in is bound to the first session that continues it, across instances", async () => {
    const s1 = await newSession();
    const s2 = await newSession();
    const req = request("openid email", { prompt: "consent" });
    // A: not signed in -> sign-in page, which comes back to the continuation.
    const first = await authorize(a, req.raw, async () => null);
    expect(first.type).toBe("redirect");
    const signIn = new URL((first as { location: string }).location, ISSUER);
    expect(signIn.pathname).toBe("/signin");
    const callback = new URL(signIn.searchParams.get("callbackUrl")!, ISSUER);
    expect(callback.pathname).toBe("/oauth/authorize/continue");
    const requestId = callback.searchParams.get("request")!;

    // B: S1 continues first and is sent to consent; S2 (on A) is turned away.
    expect(await continueAuthorization(b, requestId, async () => s1)).toEqual({ type: "redirect", location: `/consent?request=${requestId}` });
    const other = await continueAuthorization(a, requestId, async () => s2);
    expect(other).toMatchObject({ type: "page", status: 400, title: "Request not valid here" });
    expect(await decideConsent(a, { requestId, session: s2, decision: "allow" })).toEqual({ ok: false, problem: "other_session" });

    // S1 denies on A: access_denied back to the client, with state and iss, once.
    const denied = await decideConsent(a, { requestId, session: s1, decision: "deny" });
    expect(denied.ok).toBe(true);
    const url = new URL(locationOf(denied));
    expect(url.searchParams.get("error")).toBe("access_denied");
    expect(url.searchParams.get("state")).toBe(req.state);
    expect(url.searchParams.get("iss")).toBe(ISSUER);
    expect(url.searchParams.get("code")).toBeNull();
    expect(await decideConsent(b, { requestId, session: s1, decision: "allow" })).toEqual({ ok: false, problem: "decided" });
  });
});
