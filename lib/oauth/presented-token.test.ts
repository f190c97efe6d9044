// The contract with the token endpoint: tokens minted by lib/oauth/tokens.ts are understood by
// UserInfo, introspection, revocation and end session (the fixtures mint the same format, but
// this catches either side drifting).
import { describe, expect, it } from "vitest";
import { basicAuth, createWorld } from "@test/token-world";
import { planAccessToken, signAccessToken, signIdToken, type GrantContext } from "./tokens";
import { userinfo } from "./userinfo";
import { introspect } from "./introspection";
import { revoke } from "./revocation";
import { endSession } from "./end-session";
import { searchOrder } from "./presented-token";

describe("tokens from lib/oauth/tokens.ts", () => {
  it("are read back by every endpoint here", async () => {
    const w = createWorld();
    const client = w.addClient({ clientId: "app", signingAlg: "RS256" }, "app-secret");
    const user = w.addUser({ id: "u1", email: "u1@example.com", emailVerified: true });
    const session = w.addSession(user.id);
    const now = w.deps.now();
    const ctx: GrantContext = { client, userId: user.id, scope: ["openid", "email"], grantId: "g1", authTime: now, amr: session.amr, sessionId: session.sid };

    const planned = planAccessToken(w.deps, ctx, now);
    w.access.set(planned.record.jti, { ...planned.record, revokedAt: null });
    const access = await signAccessToken(w.deps, planned);
    const idToken = await signIdToken(w.deps, { ...ctx, userId: user.id, authTime: now }, access, "n-1", now);

    expect(await userinfo(w.deps, access)).toEqual({ sub: "u1", email: "u1@example.com", email_verified: true });
    const params = new Map([["token", access]]);
    expect(await introspect(w.deps, params, basicAuth("app", "app-secret"))).toMatchObject({ active: true, sub: "u1", jti: planned.record.jti });
    expect(await endSession(w.deps, new Map([["id_token_hint", idToken]]), session, false)).toMatchObject({
      kind: "sign-out",
      sessionId: session.id,
    });
    await revoke(w.deps, params, basicAuth("app", "app-secret"));
    expect(w.calls.revokeAccess).toEqual([planned.record.jti]);
    await expect(userinfo(w.deps, access)).rejects.toMatchObject({ error: "invalid_token" });
  });
});

describe("searchOrder", () => {
  it("tries the hinted kind first and ignores unknown hints (RFC 7009 §2.1, RFC 7662 §2.1)", () => {
    expect(searchOrder("refresh_token")).toEqual(["refresh_token", "access_token"]);
    expect(searchOrder("access_token")).toEqual(["access_token", "refresh_token"]);
    expect(searchOrder("id_token")).toEqual(["access_token", "refresh_token"]);
    expect(searchOrder(undefined)).toEqual(["access_token", "refresh_token"]);
  });
});
