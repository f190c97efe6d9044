import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { authorizationRequest, callbackUrl, newRun } from "./authorization-request";

const issuer = "https://id.example.com";

describe("step A: the authorization request", () => {
  it("uses the built-in callback and fresh 43-character values; a nonce only for openid", () => {
    const a = newRun({ clientRowId: "c", userId: "u", issuer, scope: ["openid", "email"] });
    const b = newRun({ clientRowId: "c", userId: "u", issuer, scope: ["email"] });
    expect(a.redirectUri).toBe("https://id.example.com/dashboard/inspector/callback");
    expect(callbackUrl(issuer)).toBe(a.redirectUri);
    expect(a.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.nonce).toBeNull();
    expect(a.state).not.toBe(b.state);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
  });

  it("lists every parameter with a meaning and builds the URL with an S256 challenge (RFC 7636 §4.2)", () => {
    const run = newRun({ clientRowId: "c", userId: "u", issuer, scope: ["openid", "offline_access"] });
    const r = authorizationRequest(run, { clientId: "lk_1" }, `${issuer}/oauth/authorize`);
    expect(r.params.map((p) => p.name)).toEqual([
      "response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method",
    ]);
    for (const p of r.params) expect(p.meaning.length).toBeGreaterThan(10);
    const expected = createHash("sha256").update(run.codeVerifier).digest("base64url");
    expect(r.pkce).toEqual({ verifier: run.codeVerifier, challenge: expected, method: "S256" });
    const url = new URL(r.url);
    expect(url.origin + url.pathname).toBe("https://id.example.com/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "lk_1",
      redirect_uri: run.redirectUri,
      scope: "openid offline_access",
      state: run.state,
      nonce: run.nonce,
      code_challenge: expected,
      code_challenge_method: "S256",
    });
    // The verifier itself never travels in step A.
    expect(r.url).not.toContain(run.codeVerifier);
  });

  it("with an API chosen, the request names it as resource (RFC 8707 §2), after the nonce, and the run remembers it for the API step", () => {
    const api = { identifier: "https://api.example.com", scopes: ["read:items"] };
    const run = newRun({ clientRowId: "c", userId: "u", issuer, scope: ["openid", "read:items"], resource: api.identifier, api });
    const r = authorizationRequest(run, { clientId: "lk_1" }, `${issuer}/oauth/authorize`);
    expect(r.params.map((p) => p.name).slice(4, 7)).toEqual(["state", "nonce", "resource"]);
    expect(new URL(r.url).searchParams.get("resource")).toBe("https://api.example.com");
    expect(new URL(r.url).searchParams.get("scope")).toBe("openid read:items");
    expect(run.api).toEqual(api);
    // None chosen (the client's default API applies at the server): no resource parameter.
    const plain = newRun({ clientRowId: "c", userId: "u", issuer, scope: ["openid"], api });
    expect(new URL(authorizationRequest(plain, { clientId: "lk_1" }, `${issuer}/oauth/authorize`).url).searchParams.has("resource")).toBe(false);
  });
});
