// The node:crypto signer must produce exactly what a JOSE library accepts: jose verifies every
// token it makes against the public JWK, with the algorithm pinned.
import { createPrivateKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { compactVerify, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify } from "jose";
import { signCompact } from "./jws-sign";
import { SIGNING_ALGS } from "./generate";

async function keyPair(alg: (typeof SIGNING_ALGS)[number]) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const node = createPrivateKey({ key: (await exportJWK(privateKey)) as never, format: "jwk" });
  return { publicJwk: await exportJWK(publicKey), node };
}

describe("signCompact", () => {
  for (const alg of SIGNING_ALGS) {
    it(`${alg}: jose verifies the token, header and claims as given`, async () => {
      const { publicJwk, node } = await keyPair(alg);
      const claims = { iss: "https://id.test", sub: "ü-user", aud: "api", exp: Math.floor(Date.now() / 1000) + 60, scope: "a b" };
      const jwt = signCompact(alg, node, { kid: "k1", typ: "at+jwt" }, claims);
      expect(jwt.split(".")).toHaveLength(3);
      expect(jwt).not.toMatch(/[=+/]/); // base64url without padding (RFC 7515 §2)
      expect(decodeProtectedHeader(jwt)).toEqual({ alg, kid: "k1", typ: "at+jwt" });
      const { payload } = await jwtVerify(jwt, await importJWK(publicJwk, alg), { algorithms: [alg], typ: "at+jwt", issuer: "https://id.test", audience: "api" });
      expect(payload).toEqual(claims);
    });
  }

  it("ES256 signatures are R || S (64 bytes), not DER (RFC 7518 §3.4)", async () => {
    const { publicJwk, node } = await keyPair("ES256");
    for (let i = 0; i < 20; i++) {
      const jwt = signCompact("ES256", node, { kid: "k" }, { n: i });
      expect(Buffer.from(jwt.split(".")[2] ?? "", "base64url")).toHaveLength(64);
      await expect(compactVerify(jwt, await importJWK(publicJwk, "ES256"), { algorithms: ["ES256"] })).resolves.toBeTruthy();
    }
  });

  it("the header's alg is the one signed with, whatever the caller passes", async () => {
    const { node } = await keyPair("ES256");
    expect(decodeProtectedHeader(signCompact("ES256", node, { alg: "none", kid: "k" }, {})).alg).toBe("ES256");
  });

  it("refuses an algorithm it does not implement", async () => {
    const { node } = await keyPair("ES256");
    expect(() => signCompact("HS256" as never, node, {}, {})).toThrow(/unsupported/);
  });
});
