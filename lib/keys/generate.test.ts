// New signing keys: the public JWK is publishable (no private members) and its kid is the
// RFC 7638 thumbprint; the private half is sealed and usable.
import { calculateJwkThumbprint, importJWK, jwtVerify, SignJWT, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { decryptPrivateKey } from "./encryption";
import { generateSigningKey, SIGNING_ALGS } from "./generate";

const SECRET = "z".repeat(40);
// RFC 7517 §9.3 / RFC 7518 §6: the private members of EC and RSA keys (and "k" of oct keys).
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

describe.each(SIGNING_ALGS)("generateSigningKey(%s)", (alg) => {
  it("publishes kid, alg and use=sig, and no private member", async () => {
    const key = await generateSigningKey(alg, SECRET);
    const jwk = JSON.parse(key.publicJwk) as JWK;
    expect(key.alg).toBe(alg);
    expect(jwk.kid).toBe(key.kid);
    expect(jwk.alg).toBe(alg);
    expect(jwk.use).toBe("sig");
    expect(jwk.kty).toBe(alg === "ES256" ? "EC" : "RSA");
    if (alg === "ES256") expect(jwk.crv).toBe("P-256");
    else expect(Buffer.from(jwk.n!, "base64url")).toHaveLength(256); // 2048-bit modulus
    for (const m of PRIVATE_MEMBERS) expect(jwk, `public JWK has "${m}"`).not.toHaveProperty(m);
  });

  it("kid is the RFC 7638 SHA-256 thumbprint of the public key", async () => {
    const key = await generateSigningKey(alg, SECRET);
    const jwk = JSON.parse(key.publicJwk) as JWK;
    // The thumbprint covers only the required members (RFC 7638 §3.2).
    const required = alg === "ES256" ? { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } : { kty: jwk.kty, e: jwk.e, n: jwk.n };
    expect(key.kid).toBe(await calculateJwkThumbprint(required, "sha256"));
  });

  it("two keys get two kids", async () => {
    const a = await generateSigningKey(alg, SECRET);
    const b = await generateSigningKey(alg, SECRET);
    expect(a.kid).not.toBe(b.kid);
  });

  it("the sealed private key opens with the secret and kid, and signs what the public key verifies", async () => {
    const key = await generateSigningKey(alg, SECRET);
    expect(key.privateKeyEnc).not.toContain('"d"');
    const privateJwk = JSON.parse(decryptPrivateKey(key.privateKeyEnc, SECRET, key.kid)) as JWK;
    expect(privateJwk.d).toEqual(expect.any(String));
    const jwt = await new SignJWT({ sub: "s" })
      .setProtectedHeader({ alg, kid: key.kid })
      .sign(await importJWK(privateJwk, alg));
    const { payload, protectedHeader } = await jwtVerify(jwt, await importJWK(JSON.parse(key.publicJwk) as JWK, alg));
    expect(payload.sub).toBe("s");
    expect(protectedHeader.kid).toBe(key.kid);
  });
});
