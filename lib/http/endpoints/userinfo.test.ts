// UserInfo on the wire (OIDC Core §5.3, RFC 6750 §3): statuses, challenges, bodies, caching.
import { beforeEach, describe, expect, it } from "vitest";
import { captureLog } from "@test/log-capture";
import { createWorld, tamper, type World } from "@test/token-world";
import type { OAuthClient, OAuthUser } from "../../oauth/types";
import { makeUserinfo } from "./userinfo";
import { webHandler } from "../web-handler";

const URL_ = "https://id.test/oauth/userinfo";
const INVALID_TOKEN =
  'Bearer realm="latchkey", error="invalid_token", error_description="The access token is invalid, expired or revoked"';

describe("/oauth/userinfo", () => {
  let w: World;
  let app: OAuthClient;
  let alice: OAuthUser;
  let endpoint: (req: Request) => Promise<Response>;

  const get = (headers: Record<string, string> = {}, query = "") => endpoint(new Request(`${URL_}${query}`, { headers }));
  const post = (body: Record<string, string> | null, headers: Record<string, string> = {}) =>
    endpoint(
      new Request(URL_, {
        method: "POST",
        headers: body ? { "content-type": "application/x-www-form-urlencoded", ...headers } : headers,
        body: body ? new URLSearchParams(body) : null,
      }),
    );

  beforeEach(() => {
    w = createWorld();
    app = w.addClient({ clientId: "app" }, "s");
    alice = w.addUser({ id: "u-alice", email: "alice@example.com", name: "Alice", emailVerified: true });
    endpoint = webHandler(makeUserinfo(() => w.deps));
  });

  it("GET with a Bearer header: 200, the claims, no-store", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid", "email"] });
    const res = await get({ authorization: `Bearer ${t}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await res.json()).toEqual({ sub: "u-alice", email: "alice@example.com", email_verified: true });
  });

  it("accepts the scheme in any case", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    expect((await get({ authorization: `bEaReR ${t}` })).status).toBe(200);
  });

  it("POST with a Bearer header, or with access_token in the form body (RFC 6750 §2.2)", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    const viaHeader = await post(null, { authorization: `Bearer ${t}` });
    expect(viaHeader.status).toBe(200);
    expect(await viaHeader.json()).toEqual({ sub: "u-alice" });
    const viaBody = await post({ access_token: t });
    expect(viaBody.status).toBe(200);
    expect(await viaBody.json()).toEqual({ sub: "u-alice" });
  });

  it("no token: 401 with a bare challenge and no error code (RFC 6750 §3.1)", async () => {
    for (const res of [await get(), await post(null), await get({ authorization: "Basic YTpi" })]) {
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="latchkey"');
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.text()).toBe("");
    }
  });

  it("never takes the token from the query (RFC 6750 §2.3 is not supported)", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    const res = await get({}, `?access_token=${t}`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="latchkey"');
  });

  it("ignores a POST body that is not a form", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    const res = await endpoint(
      new Request(URL_, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ access_token: t }) }),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="latchkey"');
  });

  it("header and body together: 400 invalid_request", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    const res = await post({ access_token: t }, { authorization: `Bearer ${t}` });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "invalid_request", error_description: "Send the access token in only one way" });
    expect(res.headers.get("www-authenticate")).toBe(
      'Bearer realm="latchkey", error="invalid_request", error_description="Send the access token in only one way"',
    );
  });

  it("a repeated access_token in the body: 400 invalid_request", async () => {
    const res = await endpoint(
      new Request(URL_, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "access_token=a&access_token=b",
      }),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("invalid_request");
  });

  it("a malformed Bearer header: 400 invalid_request", async () => {
    const res = await get({ authorization: "Bearer two words" });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("invalid_request");
  });

  describe("401 invalid_token", () => {
    const expectInvalid = async (res: Response) => {
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe(INVALID_TOKEN);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toEqual({ error: "invalid_token", error_description: "The access token is invalid, expired or revoked" });
    };

    it("for a bad signature", async () => {
      const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
      await expectInvalid(await get({ authorization: `Bearer ${tamper(t)}` }));
    });
    it("for an expired token", async () => {
      const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
      w.advance(600);
      await expectInvalid(await get({ authorization: `Bearer ${t}` }));
    });
    it("for the wrong typ (an ID token)", async () => {
      const id = await w.issueIdToken({ client: app, user: alice });
      await expectInvalid(await get({ authorization: `Bearer ${id}` }));
    });
    it("for an unknown jti", async () => {
      const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
      w.access.clear();
      await expectInvalid(await get({ authorization: `Bearer ${t}` }));
    });
    it("for a revoked token", async () => {
      const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
      await w.deps.stores.tokens.revokeAccess([...w.access.keys()][0]!, w.deps.now());
      await expectInvalid(await get({ authorization: `Bearer ${t}` }));
      await expectInvalid(await post({ access_token: t }));
    });
    it("for a user who is gone or disabled", async () => {
      const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
      alice.disabled = true;
      await expectInvalid(await get({ authorization: `Bearer ${t}` }));
      w.users.clear();
      await expectInvalid(await get({ authorization: `Bearer ${t}` }));
    });
  });

  it("no openid scope: 403 insufficient_scope", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["email"] });
    const res = await get({ authorization: `Bearer ${t}` });
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toBe(
      'Bearer realm="latchkey", error="insufficient_scope", error_description="The access token does not carry the openid scope"',
    );
    expect(await res.json()).toEqual({ error: "insufficient_scope", error_description: "The access token does not carry the openid scope" });
  });

  it("a store failure is a 500 without detail", async () => {
    const t = await w.issueAccess({ client: app, user: alice, scope: ["openid"] });
    w.deps.stores.tokens.findAccess = () => Promise.reject(new Error("db down at 10.0.0.5"));
    const log = captureLog();
    const res = await get({ authorization: `Bearer ${t}` });
    log.restore();
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "server_error", error_description: "The server could not complete the request." });
    // Logged on the server, with its stack: a bug, not an expected error.
    expect(log.lines()).toMatchObject([{ level: "error", err: { message: "db down at 10.0.0.5", stack: expect.stringContaining("Error: db down") } }]);
  });
});
