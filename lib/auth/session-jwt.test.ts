// The session cookie stays next-auth's: what next-auth wrote, we read, and the other way round,
// so browsers signed in before the change stay signed in (and a later return to next-auth's own
// functions would keep them too). It refuses what next-auth refuses, and more: any algorithm but
// the pair next-auth writes.
import { hkdfSync } from "node:crypto";
import { EncryptJWT } from "jose4";
import { decode as nextAuthDecode, encode as nextAuthEncode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionJwt, encodeSessionJwt } from "./session-jwt";

const secret = "a-portal-secret-of-enough-length-0123456789";
const now = () => Math.floor(Date.now() / 1000);

describe("portal session cookie", () => {
  it("reads a cookie next-auth encoded", async () => {
    const token = await nextAuthEncode({ token: { sub: "u1", sid: "s1" }, secret, maxAge: 3600 });
    expect(await decodeSessionJwt({ token, secret })).toMatchObject({ sub: "u1", sid: "s1" });
  });

  it("writes a cookie next-auth reads, with next-auth's claims: iat, exp = iat + maxAge, a jti", async () => {
    const token = await encodeSessionJwt({ token: { sub: "u1", sid: "s1" }, secret, maxAge: 3600 });
    const payload = await nextAuthDecode({ token, secret });
    expect(payload).toMatchObject({ sub: "u1", sid: "s1" });
    expect(Math.abs((payload?.iat as number) - now())).toBeLessThanOrEqual(1);
    expect((payload?.exp as number) - (payload?.iat as number)).toBe(3600);
    expect(payload?.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("derives the key from the secret and the salt, as next-auth does", async () => {
    const token = await nextAuthEncode({ token: { sid: "s1" }, secret, salt: "authjs.session-token" });
    expect(await decodeSessionJwt({ token, secret, salt: "authjs.session-token" })).toMatchObject({ sid: "s1" });
    await expect(decodeSessionJwt({ token, secret })).rejects.toThrow();
  });

  it("refuses a cookie made with another secret, or altered", async () => {
    const other = await encodeSessionJwt({ token: { sid: "s1" }, secret: `${secret}-other` });
    await expect(decodeSessionJwt({ token: other, secret })).rejects.toThrow();
    const token = await encodeSessionJwt({ token: { sid: "s1" }, secret });
    const parts = token.split(".");
    const ciphertext = parts[3]!;
    parts[3] = (ciphertext[0] === "A" ? "B" : "A") + ciphertext.slice(1);
    await expect(decodeSessionJwt({ token: parts.join("."), secret })).rejects.toThrow();
  });

  it("refuses an expired cookie past next-auth's 15 s of leeway, and accepts one within it", async () => {
    const expiredBy = async (seconds: number) => {
      const key = await keyOf(secret);
      return new EncryptJWT({ sid: "s1" }).setProtectedHeader({ alg: "dir", enc: "A256GCM" }).setIssuedAt(now() - 100).setExpirationTime(now() - seconds).encrypt(key);
    };
    await expect(decodeSessionJwt({ token: await expiredBy(60), secret })).rejects.toThrow(/exp/);
    expect(await decodeSessionJwt({ token: await expiredBy(5), secret })).toMatchObject({ sid: "s1" });
  });

  it("refuses other key management than dir, though the key would fit it", async () => {
    const key = await keyOf(secret);
    const wrapped = await new EncryptJWT({ sid: "s1" }).setProtectedHeader({ alg: "A256KW", enc: "A256GCM" }).setExpirationTime("1h").encrypt(key);
    await expect(decodeSessionJwt({ token: wrapped, secret })).rejects.toThrow();
  });

  it("refuses another content encryption than A256GCM, though the key would fit it", async () => {
    const key = await keyOf(secret);
    const cbc = await new EncryptJWT({ sid: "s1" }).setProtectedHeader({ alg: "dir", enc: "A128CBC-HS256" }).setExpirationTime("1h").encrypt(key);
    await expect(decodeSessionJwt({ token: cbc, secret })).rejects.toThrow();
  });

  it("takes a Buffer secret as next-auth does, and never confuses it with a string secret", async () => {
    const buf = Buffer.from("another-secret-as-bytes-0123456789abcdef");
    const token = await nextAuthEncode({ token: { sid: "s1" }, secret: buf });
    expect(await decodeSessionJwt({ token, secret: buf })).toMatchObject({ sid: "s1" });
    // The string that looks like the Buffer's base64 is another secret.
    await expect(decodeSessionJwt({ token, secret: buf.toString("base64") })).rejects.toThrow();
  });

  it("refuses an empty secret instead of deriving a key anyone could compute", async () => {
    await expect(encodeSessionJwt({ token: { sid: "s1" }, secret: "" })).rejects.toThrow(/secret/);
  });

  it("reads nothing from no cookie", async () => {
    expect(await decodeSessionJwt({ token: undefined, secret })).toBeNull();
  });
});

/** next-auth's key for `s` (the derivation the tests above check against next-auth itself). */
async function keyOf(s: string): Promise<Uint8Array> {
  return new Uint8Array(hkdfSync("sha256", s, "", "NextAuth.js Generated Encryption Key", 32));
}
