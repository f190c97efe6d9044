// Introspection on the wire (RFC 7662 §2.2, §2.3).
import { beforeEach, describe, expect, it } from "vitest";
import { basicAuth, createWorld, type World } from "@test/token-world";
import type { OAuthClient, OAuthUser } from "../../oauth/types";
import { makeIntrospection } from "./introspection";
import { makeRevocation } from "./revocation";
import { webHandler } from "../web-handler";

describe("POST /oauth/introspect", () => {
  let w: World;
  let app: OAuthClient;
  let alice: OAuthUser;
  let endpoint: (req: Request) => Promise<Response>;
  const post = (path: string, body: Record<string, string>, headers: Record<string, string> = { authorization: basicAuth("app", "app-secret") }) =>
    new Request(`https://id.test${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(body),
    });
  const introspect = (body: Record<string, string>, headers?: Record<string, string>) => endpoint(post("/oauth/introspect", body, headers));

  beforeEach(() => {
    w = createWorld();
    app = w.addClient({ clientId: "app" }, "app-secret");
    w.addClient({ clientId: "other" }, "other-secret");
    w.addClient({ clientId: "spa" });
    alice = w.addUser({ id: "u-alice", email: "alice@example.com" });
    endpoint = webHandler(makeIntrospection(() => w.deps));
  });

  it("an active access token: 200, its description, no-store", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid", "profile"] });
    const res = await introspect({ token: t });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await res.json()).toEqual({
      active: true,
      scope: "openid profile",
      client_id: "app",
      sub: "u-alice",
      exp: 1_893_456_600,
      iat: 1_893_456_000,
      iss: "https://id.test",
      aud: "https://id.test",
      jti: [...w.access.keys()][0],
      token_type: "Bearer",
      username: "alice@example.com",
      auth_time: 1_893_456_000,
      acr: "http://schemas.openid.net/pape/policies/2007/06/multi-factor",
      amr: ["pwd", "otp", "mfa"],
    });
  });

  it("a token revoked at /oauth/revoke is inactive at once", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    const r = w.issueRefresh({ client: app, user: alice, scope: ["openid"], grantId: "g1" });
    expect((await (await introspect({ token: r })).json()).active).toBe(true);
    const revoke = webHandler(makeRevocation(() => w.deps));
    expect((await revoke(post("/oauth/revoke", { token: t }))).status).toBe(200);
    expect((await revoke(post("/oauth/revoke", { token: r }))).status).toBe(200);
    expect(await (await introspect({ token: t })).json()).toEqual({ active: false });
    expect(await (await introspect({ token: r })).json()).toEqual({ active: false });
  });

  it("another client's token: active:false", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    const res = await introspect({ token: t }, { authorization: basicAuth("other", "other-secret") });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ active: false });
  });

  it("a public client: 401 invalid_client", async () => {
    const res = await introspect({ token: "x", client_id: "spa" }, {});
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "invalid_client", error_description: "Only confidential clients may introspect tokens" });
  });

  it("no client authentication: 401 invalid_client", async () => {
    const res = await introspect({ token: "x" }, {});
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe("invalid_client");
  });

  it("bad Basic credentials: 401 with a Basic challenge", async () => {
    const res = await introspect({ token: "x" }, { authorization: basicAuth("app", "nope") });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Basic realm="latchkey"');
  });

  it("missing token: 400 invalid_request", async () => {
    const res = await introspect({});
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "invalid_request", error_description: "token is required" });
  });
});
