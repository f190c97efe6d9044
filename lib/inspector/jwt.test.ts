import { describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { atHash } from "../oauth/tokens";
import { decodeToken } from "./jwt";

const issuer = "https://id.example.com";
const now = Math.floor(Date.now() / 1000);

async function keys() {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  return { privateKey, jwks: { keys: [jwk] } };
}

describe("step E: decoding and verifying tokens", () => {
  it("an ID token: signature valid with kid and alg, claims explained, OIDC checks pass", async () => {
    const { privateKey, jwks } = await keys();
    const access = "access-token-value";
    const jwt = await new SignJWT({ iss: issuer, sub: "u1", aud: "lk_1", exp: now + 60, iat: now, nonce: "n1", at_hash: atHash(access) })
      .setProtectedHeader({ alg: "ES256", kid: "k1", typ: "JWT" })
      .sign(privateKey);
    const d = (await decodeToken("id_token", jwt, jwks, { issuer, clientId: "lk_1", nonce: "n1", accessToken: access }))!;
    expect(d.signature).toEqual({ valid: true, kid: "k1", alg: "ES256" });
    expect(d.header.map((h) => h.name)).toEqual(["alg", "kid", "typ"]);
    expect(d.claims.find((c) => c.name === "exp")!.value).toMatch(/^\d+ \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/);
    expect(d.claims.find((c) => c.name === "nonce")!.meaning).toContain("nonce from step A");
    expect(d.checks.map((c) => [c.label, c.ok])).toEqual([["iss", true], ["exp", true], ["aud", true], ["nonce", true], ["at_hash", true]]);
  });

  it("a token signed by another key is reported as not valid, and a wrong nonce fails its check", async () => {
    const a = await keys();
    const b = await keys();
    const jwt = await new SignJWT({ iss: issuer, aud: "lk_1", exp: now + 60, nonce: "other" })
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .sign(b.privateKey);
    const d = (await decodeToken("id_token", jwt, a.jwks, { issuer, clientId: "lk_1", nonce: "n1" }))!;
    expect(d.signature).toEqual({ valid: false, reason: "the signature does not match: the token was changed or signed by another key" });
    expect(d.checks.find((c) => c.label === "nonce")!.ok).toBe(false);
  });

  it("an unknown kid and a non-JWT", async () => {
    const { privateKey, jwks } = await keys();
    const jwt = await new SignJWT({ iss: issuer }).setProtectedHeader({ alg: "ES256", kid: "gone", typ: "at+jwt" }).sign(privateKey);
    const d = (await decodeToken("access_token", jwt, jwks, { issuer, clientId: "lk_1" }))!;
    expect(d.signature.valid).toBe(false);
    expect(d.checks.map((c) => [c.label, c.ok])).toEqual([["iss", true], ["exp", false], ["typ", true], ["client_id", false]]);
    expect(await decodeToken("access_token", "opaque", jwks, { issuer, clientId: "lk_1" })).toBeNull();
  });
});
