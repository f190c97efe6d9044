import { describe, expect, it } from "vitest";
import { discoveryUrl, nextAuthSnippet, openidClientSnippet, type SnippetInput } from "./snippets";

const conf: SnippetInput = {
  issuer: "https://id.example.com",
  clientId: "lk_abc",
  authMethod: "client_secret_basic",
  redirectUri: "https://app.example.com/cb",
  scopes: ["openid", "email"],
};

describe("snippets", () => {
  it("discoveryUrl", () => {
    expect(discoveryUrl("https://id.example.com/")).toBe("https://id.example.com/.well-known/openid-configuration");
  });

  it("openid-client: v6 discovery with the secret from the environment, PKCE S256", () => {
    const s = openidClientSnippet(conf);
    expect(s).toContain(`client.discovery(\n  new URL("https://id.example.com"),\n  "lk_abc",\n  process.env.LATCHKEY_CLIENT_SECRET,\n);`);
    expect(s).toContain(`redirect_uri: "https://app.example.com/cb"`);
    expect(s).toContain(`scope: "openid email"`);
    expect(s).toContain(`code_challenge_method: "S256"`);
    expect(s).not.toContain("allowInsecureRequests");
  });

  it("openid-client: a public client uses client.None(); an http issuer allows insecure requests", () => {
    const s = openidClientSnippet({ ...conf, authMethod: "none", issuer: "http://localhost:3000" });
    expect(s).toContain("undefined, client.None(),\n  { execute: [client.allowInsecureRequests] }");
  });

  it("next-auth v4: oauth type, wellKnown, idToken, pkce + state checks", () => {
    const s = nextAuthSnippet(conf);
    expect(s).toContain(`type: "oauth",`);
    expect(s).toContain(`wellKnown: "https://id.example.com/.well-known/openid-configuration",`);
    expect(s).toContain(`idToken: true,`);
    expect(s).toContain(`checks: ["pkce", "state"],`);
    expect(s).toContain(`clientSecret: process.env.LATCHKEY_CLIENT_SECRET,`);
    expect(s).not.toContain("token_endpoint_auth_method");
  });

  it("next-auth v4: a public client declares auth method none and has no secret", () => {
    const s = nextAuthSnippet({ ...conf, authMethod: "none" });
    expect(s).toContain(`client: { token_endpoint_auth_method: "none" },`);
    expect(s).not.toContain("clientSecret");
  });
});
