import { createHash, hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openWithToken, sealWithToken } from "./token-seal";
import { randomToken, sha256 } from "./tokens";

describe("sealWithToken / openWithToken", () => {
  const token = randomToken();

  it("opens with the same token and context", () => {
    const sealed = sealWithToken(token, "row-1", '{"access_token":"a"}');
    expect(openWithToken(token, "row-1", sealed)).toBe('{"access_token":"a"}');
  });

  it("does not hold the plaintext, and seals differently each time (random IV)", () => {
    const a = sealWithToken(token, "row-1", "secret-access-token");
    const b = sealWithToken(token, "row-1", "secret-access-token");
    expect(a).not.toBe(b);
    for (const s of [a, b]) expect(Buffer.from(s, "base64url").toString("latin1")).not.toContain("secret");
  });

  it("another token, another context, or an altered byte cannot open it", () => {
    const sealed = sealWithToken(token, "row-1", "x".repeat(100));
    expect(openWithToken(randomToken(), "row-1", sealed)).toBeNull();
    expect(openWithToken(token, "row-2", sealed)).toBeNull();
    const raw = Buffer.from(sealed, "base64url");
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
    expect(openWithToken(token, "row-1", raw.toString("base64url"))).toBeNull();
    expect(openWithToken(token, "row-1", "short")).toBeNull();
  });

  it("the stored hash of the token is no key: neither as HKDF input nor as the key itself", () => {
    const sealed = sealWithToken(token, "row-1", "x");
    expect(openWithToken(sha256(token), "row-1", sealed)).toBeNull();
    // The key differs from every plain digest of the token a database could hold.
    const key = Buffer.from(hkdfSync("sha256", token, "latchkey token seal v1", "row-1", 32));
    expect(key.equals(createHash("sha256").update(token).digest())).toBe(false);
  });
});
