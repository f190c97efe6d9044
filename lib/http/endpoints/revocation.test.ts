// Revocation on the wire (RFC 7009 §2.2): 200 with an empty body for every token, errors only
// for a bad request or client.
import { beforeEach, describe, expect, it } from "vitest";
import { basicAuth, createWorld, type World } from "@test/token-world";
import type { OAuthClient, OAuthUser } from "../../oauth/types";
import { makeRevocation } from "./revocation";
import { webHandler } from "../web-handler";

describe("POST /oauth/revoke", () => {
  let w: World;
  let app: OAuthClient;
  let other: OAuthClient;
  let alice: OAuthUser;
  let endpoint: (req: Request) => Promise<Response>;
  const post = (body: Record<string, string>, headers: Record<string, string> = { authorization: basicAuth("app", "app-secret") }) =>
    endpoint(
      new Request("https://id.test/oauth/revoke", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams(body),
      }),
    );
  const expectOk = async (res: Response) => {
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.text()).toBe("");
  };

  beforeEach(() => {
    w = createWorld();
    app = w.addClient({ clientId: "app" }, "app-secret");
    other = w.addClient({ clientId: "other" }, "other-secret");
    alice = w.addUser({ id: "u-alice", email: "alice@example.com" });
    endpoint = webHandler(makeRevocation(() => w.deps));
  });

  it("revokes a refresh token's whole family: 200, empty", async () => {
    const r = w.issueRefresh({ client: app, user: alice, scope: ["openid"], grantId: "g1" });
    await w.issueAccess({ client: app, user: alice, scope: ["openid"], grantId: "g1" });
    await expectOk(await post({ token: r, token_type_hint: "refresh_token" }));
    expect(w.calls.revokeGrant).toEqual(["g1"]);
    expect([...w.access.values()][0]!.revokedAt).not.toBeNull();
  });

  it("revokes an access token: it stops working at once", async () => {
    const a = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    await expectOk(await post({ token: a }));
    expect(w.calls.revokeAccess).toEqual([...w.access.keys()]);
  });

  it("another client's token: 200 and nothing revoked", async () => {
    const r = w.issueRefresh({ client: other, user: alice, scope: ["openid"], grantId: "g1" });
    const a = await w.issueAccess({ client: other, user: alice, scope: ["openid"], grantId: "g1" });
    await expectOk(await post({ token: r }));
    await expectOk(await post({ token: a }));
    expect(w.calls).toEqual({ revokeGrant: [], revokeAccess: [] });
  });

  it("an unknown token, or an unknown hint: 200", async () => {
    await expectOk(await post({ token: "no-such-token", token_type_hint: "whatever" }));
  });

  it("missing token: 400 invalid_request", async () => {
    const res = await post({});
    expect(res.status).toBe(400);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ error: "invalid_request", error_description: "token is required" });
  });

  it("not a form: 400 invalid_request", async () => {
    const res = await endpoint(
      new Request("https://id.test/oauth/revoke", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: basicAuth("app", "app-secret") },
        body: JSON.stringify({ token: "x" }),
      }),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("invalid_request");
  });

  it("bad Basic credentials: 401 invalid_client with a Basic challenge", async () => {
    const res = await post({ token: "x" }, { authorization: basicAuth("app", "wrong") });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Basic realm="latchkey"');
    expect(await res.json()).toEqual({ error: "invalid_client", error_description: "Client authentication failed" });
  });

  it("the right secret with another method than the registered one: 401 invalid_client saying which, Basic challenge only for Basic", async () => {
    const postClient = w.addClient({ clientId: "poster", tokenEndpointAuthMethod: "client_secret_post" }, "poster-secret");
    const viaPost = await post({ token: "x", client_id: "app", client_secret: "app-secret" }, {});
    expect(viaPost.status).toBe(401);
    expect(viaPost.headers.get("www-authenticate")).toBeNull();
    expect(await viaPost.json()).toEqual({
      error: "invalid_client",
      error_description: "This client is registered for client_secret_basic; it sent client_secret_post",
    });
    const viaBasic = await post({ token: "x" }, { authorization: basicAuth(postClient.clientId, "poster-secret") });
    expect(viaBasic.status).toBe(401);
    expect(viaBasic.headers.get("www-authenticate")).toBe('Basic realm="latchkey"');
    expect(await viaBasic.json()).toEqual({
      error: "invalid_client",
      error_description: "This client is registered for client_secret_post; it sent client_secret_basic",
    });
  });

  it("no client authentication: 401 invalid_client", async () => {
    const res = await post({ token: "x" }, {});
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe("invalid_client");
  });

  it("a public client with client_id only: 200", async () => {
    const spa = w.addClient({ clientId: "spa" });
    const r = w.issueRefresh({ client: spa, user: alice, scope: ["openid"], grantId: "g-spa" });
    await expectOk(await post({ token: r, client_id: "spa" }, {}));
    expect(w.calls.revokeGrant).toEqual(["g-spa"]);
  });
});
