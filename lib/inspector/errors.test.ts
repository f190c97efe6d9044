import { describe, expect, it } from "vitest";
import { authenticateClient } from "../oauth/client-auth";
import type { OAuthError } from "../oauth/errors";
import { makeClient, rejectionOf } from "@test/oauth-fixtures";
import { explainAuthorizationError, explainMissingCallback, explainTokenError, explainUserinfoError } from "./errors";

describe("plain-words explanations", () => {
  it("invalid_client for a confidential client says the secret doesn't match", () => {
    const t = explainTokenError("code", "invalid_client", "Client authentication failed", { authMethod: "client_secret_basic" });
    expect(t).toContain("the secret doesn't match");
    expect(t).toContain('The server said: "Client authentication failed"');
  });

  it("invalid_client for the right secret sent the wrong way says how to send it the registered way", () => {
    const post = explainTokenError("code", "invalid_client", "This client is registered for client_secret_post; it sent client_secret_basic", {
      authMethod: "client_secret_post",
    });
    expect(post).toBe(
      'The secret is right, but it was sent with client_secret_basic while this client is registered for client_secret_post (RFC 7591 §2 token_endpoint_auth_method). Send it the registered way: as client_id and client_secret fields of the form body, and no Authorization header. Or change the client\'s token endpoint auth method to client_secret_basic. The server said: "This client is registered for client_secret_post; it sent client_secret_basic".',
    );
    const basic = explainTokenError("refresh", "invalid_client", "This client is registered for client_secret_basic; it sent client_secret_post", {
      authMethod: "client_secret_basic",
    });
    expect(basic).toContain("Send it the registered way: in the Authorization header, as Basic base64(client_id:client_secret)");
    expect(basic).not.toContain("doesn't match");
  });

  it("recognises the exact words the token endpoint uses (lib/oauth/client-auth.ts)", async () => {
    const client = makeClient({ secret: "s3cret", tokenEndpointAuthMethod: "client_secret_post" });
    const basic = `Basic ${Buffer.from(`${client.clientId}:s3cret`).toString("base64")}`;
    const e = (await rejectionOf(authenticateClient({ clients: { findByClientId: async () => client } } as never, basic, new Map(), new Date()))) as OAuthError;
    expect([e.error, e.description]).toEqual(["invalid_client", "This client is registered for client_secret_post; it sent client_secret_basic"]);
    expect(explainTokenError("code", e.error, e.description, { authMethod: "client_secret_post" })).toMatch(/^The secret is right, but it was sent with client_secret_basic/);
  });

  it("invalid_client with another description keeps the generic explanation", () => {
    const t = explainTokenError("code", "invalid_client", "This client is registered for something; it sent x", { authMethod: "client_secret_basic" });
    expect(t).toContain("the secret doesn't match");
  });

  it("invalid_scope at authorization mentions that leaving scope out gets the registered scopes", () => {
    expect(explainAuthorizationError("invalid_scope", null)).toContain("leave scope out to get all of them (RFC 6749 §3.3)");
  });

  it("invalid_grant for a code says used or expired, with the lifetime", () => {
    const t = explainTokenError("code", "invalid_grant", null, { authMethod: "none", codeLifetimeSeconds: 60 });
    expect(t).toContain("already used or expired (codes live 60 seconds)");
  });

  it("invalid_grant for a refresh token mentions rotation", () => {
    expect(explainTokenError("refresh", "invalid_grant", null, { authMethod: "none" })).toContain("already used");
  });

  it("userinfo 401 invalid_token says the token was refused", () => {
    expect(explainUserinfoError(401, "invalid_token", null)).toContain("revoked, expired");
  });

  it("a missing callback names what is registered", () => {
    expect(explainMissingCallback("http://x/cb", ["https://a.example/cb"])).toBe(
      "redirect_uri does not match any registered URI: the inspector uses http://x/cb, but you registered https://a.example/cb. The authorization endpoint would show an error page instead of coming back here.",
    );
  });
});
