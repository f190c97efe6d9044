// RP-Initiated Logout 1.0: when we sign out at once, when we ask, and when we refuse.
import { beforeEach, describe, expect, it } from "vitest";
import { createWorld, tamper, type World } from "@test/token-world";
import { endSession } from "./end-session";
import type { OAuthClient, OAuthUser, PortalSessionInfo } from "./types";

const params = (o: Record<string, string>) => new Map(Object.entries(o));
const LOGOUT_URI = "https://app.test/logged-out";
const refused = { error: "invalid_request", status: 400 };

describe("endSession", () => {
  let w: World;
  let app: OAuthClient;
  let other: OAuthClient;
  let alice: OAuthUser;
  let session: PortalSessionInfo;
  let hint: string;

  beforeEach(async () => {
    w = createWorld();
    app = w.addClient({ clientId: "app", postLogoutRedirectUris: [LOGOUT_URI, "https://app.test/bye?from=op"] }, "s");
    other = w.addClient({ clientId: "other", postLogoutRedirectUris: ["https://other.test/bye"] }, "s");
    alice = w.addUser({ id: "u-alice", email: "alice@example.com" });
    session = w.addSession(alice.id);
    hint = await w.issueIdToken({ client: app, user: alice, sid: session.sid });
  });

  describe("signs out without asking", () => {
    it("on a valid hint for the current session, to the sign-in page by default", async () => {
      expect(await endSession(w.deps, params({ id_token_hint: hint }), session, false)).toEqual({
        kind: "sign-out",
        sessionId: session.id,
        userId: "u-alice",
        client: app,
        location: "https://id.test/signin",
      });
    });

    it("back to a registered post_logout_redirect_uri, with state", async () => {
      const out = await endSession(
        w.deps,
        params({ id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI, state: "a b&c" }),
        session,
        false,
      );
      expect(out).toMatchObject({ kind: "sign-out", sessionId: session.id, location: `${LOGOUT_URI}?state=a+b%26c` });
    });

    it("keeps a registered URI's own query", async () => {
      const out = await endSession(
        w.deps,
        params({ id_token_hint: hint, post_logout_redirect_uri: "https://app.test/bye?from=op", state: "s1" }),
        session,
        false,
      );
      expect(out).toMatchObject({ location: "https://app.test/bye?from=op&state=s1" });
    });

    it("on an expired hint (§2: expiry does not matter)", async () => {
      const old = await w.issueIdToken({ client: app, user: alice, sid: session.sid, expiresIn: 60 });
      w.advance(86_400);
      expect(await endSession(w.deps, params({ id_token_hint: old }), session, false)).toMatchObject({ kind: "sign-out", sessionId: session.id });
    });

    it("on a valid hint when no one is signed in: nothing to end, redirect", async () => {
      const out = await endSession(w.deps, params({ id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI }), null, false);
      expect(out).toEqual({ kind: "sign-out", sessionId: null, userId: null, client: app, location: LOGOUT_URI });
    });

    it("with nothing at all and no session: to the sign-in page", async () => {
      expect(await endSession(w.deps, params({}), null, false)).toMatchObject({
        kind: "sign-out",
        sessionId: null,
        location: "https://id.test/signin",
      });
    });

    it("once the user confirmed", async () => {
      expect(await endSession(w.deps, params({}), session, true)).toMatchObject({ kind: "sign-out", sessionId: session.id });
      const out = await endSession(w.deps, params({ client_id: "app", post_logout_redirect_uri: LOGOUT_URI, state: "x" }), session, true);
      expect(out).toMatchObject({ kind: "sign-out", sessionId: session.id, location: `${LOGOUT_URI}?state=x` });
    });
  });

  describe("asks the user first", () => {
    it("when there is a session and no hint", async () => {
      expect(await endSession(w.deps, params({ state: "s" }), session, false)).toEqual({
        kind: "confirm",
        signedIn: true,
        client: null,
        fields: { state: "s" },
      });
    });

    it("when the hint is not valid (forged, or an access token)", async () => {
      const forged = tamper(hint);
      const out = await endSession(w.deps, params({ id_token_hint: forged, client_id: "app" }), session, false);
      expect(out).toEqual({ kind: "confirm", signedIn: true, client: app, fields: { id_token_hint: forged, client_id: "app" } });
      const access = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
      expect(await endSession(w.deps, params({ id_token_hint: access }), session, false)).toMatchObject({ kind: "confirm" });
    });

    it("when the hint is for another session", async () => {
      const stale = await w.issueIdToken({ client: app, user: alice, sid: "an-older-session" });
      const noSid = await w.issueIdToken({ client: app, user: alice });
      for (const h of [stale, noSid]) {
        expect(await endSession(w.deps, params({ id_token_hint: h }), session, false)).toMatchObject({ kind: "confirm", signedIn: true, client: app });
      }
    });

    it("before redirecting to a client that sent no valid hint, even with no session (§3)", async () => {
      const out = await endSession(w.deps, params({ client_id: "app", post_logout_redirect_uri: LOGOUT_URI, state: "s" }), null, false);
      expect(out).toEqual({
        kind: "confirm",
        signedIn: false,
        client: app,
        fields: { client_id: "app", post_logout_redirect_uri: LOGOUT_URI, state: "s" },
      });
    });
  });

  describe("refuses (error page, no redirect)", () => {
    it("a post_logout_redirect_uri the client did not register, even slightly different", async () => {
      for (const uri of ["https://evil.test/", `${LOGOUT_URI}/`, `${LOGOUT_URI}?x=1`, "https://APP.test/logged-out", "https://other.test/bye"]) {
        await expect(
          endSession(w.deps, params({ id_token_hint: hint, post_logout_redirect_uri: uri }), session, false),
        ).rejects.toMatchObject(refused);
      }
    });

    it("a post_logout_redirect_uri when the client is not known (no hint, no client_id)", async () => {
      await expect(endSession(w.deps, params({ post_logout_redirect_uri: LOGOUT_URI }), session, true)).rejects.toMatchObject(refused);
      await expect(
        endSession(w.deps, params({ id_token_hint: tamper(hint), post_logout_redirect_uri: LOGOUT_URI }), session, true),
      ).rejects.toMatchObject(refused);
    });

    it("a client_id different from the hint's audience", async () => {
      await expect(endSession(w.deps, params({ id_token_hint: hint, client_id: "other" }), session, false)).rejects.toMatchObject(refused);
    });

    it("an unknown or suspended client_id", async () => {
      await expect(endSession(w.deps, params({ client_id: "nope" }), session, false)).rejects.toMatchObject(refused);
      other.suspended = true;
      await expect(endSession(w.deps, params({ client_id: "other" }), session, false)).rejects.toMatchObject(refused);
    });

    it("a redirect for a suspended client, even with a valid hint", async () => {
      app.suspended = true;
      await expect(
        endSession(w.deps, params({ id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI }), session, false),
      ).rejects.toMatchObject(refused);
    });
  });
});
