import { describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { apiChecks } from "./api-check";

const issuer = "https://id.example.com";
const api = "https://api.example.com";
const now = Math.floor(Date.now() / 1000);

async function keys() {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  return { privateKey, jwks: { keys: [jwk] } };
}

async function token(privateKey: CryptoKey, claims: Record<string, unknown> = {}, typ = "at+jwt") {
  return new SignJWT({ iss: issuer, sub: "u1", aud: api, client_id: "lk_1", scope: "openid read:items", exp: now + 300, iat: now, ...claims })
    .setProtectedHeader({ alg: "ES256", kid: "k1", typ })
    .sign(privateKey);
}

const lines = (r: Awaited<ReturnType<typeof apiChecks>>) => r.checks.map((c) => [c.label, c.ok]);

describe("the API step: an RFC 9068 §4 validator's checks", () => {
  it("a token for the API passes every line; the curl line sends it as a Bearer token", async () => {
    const { privateKey, jwks } = await keys();
    const jwt = await token(privateKey);
    const r = await apiChecks(jwt, jwks, { issuer, identifier: api, scopes: ["read:items"] });
    expect(lines(r)).toEqual([["signature", true], ["typ", true], ["iss", true], ["aud", true], ["exp", true], ["iat", true], ["scope", true]]);
    expect(r.checks[0]!.detail).toBe("verifies with key k1 (ES256) from the JWKS");
    expect(r.curl).toBe(`curl -H 'Authorization: Bearer ${jwt}' 'https://api.example.com'`);
  });

  it("a token for another audience fails the aud line, naming the resource to send", async () => {
    const { privateKey, jwks } = await keys();
    const r = await apiChecks(await token(privateKey, { aud: issuer }), jwks, { issuer, identifier: api, scopes: [] });
    const aud = r.checks.find((c) => c.label === "aud")!;
    expect(aud).toEqual({ ok: false, label: "aud", detail: `is "${issuer}", without ${api}: a token for someone else, refused (send resource=${api})` });
    expect(r.checks.filter((c) => !c.ok).map((c) => c.label)).toEqual(["aud"]);
  });

  it("an ID token (typ JWT), another issuer, an expired or future-dated token each fail their own line", async () => {
    const { privateKey, jwks } = await keys();
    const failing = async (claims: Record<string, unknown>, typ?: string) =>
      (await apiChecks(await token(privateKey, claims, typ), jwks, { issuer, identifier: api, scopes: [] })).checks.filter((c) => !c.ok).map((c) => c.label);
    expect(await failing({}, "JWT")).toEqual(["typ"]);
    expect(await failing({ iss: "https://evil.example" })).toEqual(["iss"]);
    expect(await failing({ exp: now - 3600 })).toEqual(["exp"]);
    expect(await failing({ iat: now + 3600 })).toEqual(["iat"]);
  });

  it("a token signed by another key fails the signature line; a missing scope fails the scope line", async () => {
    const { jwks } = await keys();
    const other = await keys();
    const r = await apiChecks(await token(other.privateKey), jwks, { issuer, identifier: api, scopes: ["write:items"] });
    expect(r.checks.filter((c) => !c.ok).map((c) => c.label)).toEqual(["signature", "scope"]);
    expect(r.checks.find((c) => c.label === "scope")!.detail).toBe("lacks write:items: the API answers 403 insufficient_scope (RFC 6750 §3.1)");
  });

  it("not a JWT: one failing line; a URN identifier gets no curl line", async () => {
    const { jwks } = await keys();
    const r = await apiChecks("opaque", jwks, { issuer, identifier: "urn:items", scopes: [] });
    expect(lines(r)).toEqual([["format", false]]);
    expect(r.curl).toBeNull();
  });
});
