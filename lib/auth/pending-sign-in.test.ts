// The pending sign-in between the password and the second factor: sealed so the browser can
// neither read nor change it, gone after five minutes, and only ours (another secret: nothing).
import { describe, expect, it } from "vitest";
import { newPendingSignIn, openPendingSignIn, PENDING_SIGN_IN_SECONDS, sealPendingSignIn } from "./pending-sign-in";

const SECRET = "p".repeat(40);
const NOW = new Date("2026-12-06T17:00:00Z");
const pending = () => newPendingSignIn({ userId: "user-1", amr: ["pwd"], step: "verify", callbackPath: "/oauth/authorize/continue?id=abc" }, NOW);

describe("pending sign-in", () => {
  it("round-trips, with a random id and an expiry five minutes on", async () => {
    const p = pending();
    expect(PENDING_SIGN_IN_SECONDS).toBe(300);
    expect(p.expiresAt).toEqual(new Date(NOW.getTime() + 300_000));
    expect(p.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(pending().id).not.toBe(p.id);
    const sealed = await sealPendingSignIn(p, SECRET);
    expect(await openPendingSignIn(sealed, SECRET, NOW)).toStrictEqual({ ...p, verified: false });
  });

  it("is encrypted: the user id and the callback cannot be read from the cookie", async () => {
    const sealed = await sealPendingSignIn(pending(), SECRET);
    expect(sealed.split(".")).toHaveLength(5); // compact JWE
    const readable = sealed.split(".").map((part) => Buffer.from(part, "base64url").toString("latin1")).join(" ");
    expect(readable).not.toContain("user-1");
    expect(readable).not.toContain("authorize");
    expect(JSON.parse(Buffer.from(sealed.split(".")[0]!, "base64url").toString())).toEqual({ alg: "dir", enc: "A256GCM" });
  });

  it("expires: valid one second before its end, gone at it", async () => {
    const p = pending();
    const sealed = await sealPendingSignIn(p, SECRET);
    expect(await openPendingSignIn(sealed, SECRET, new Date(p.expiresAt.getTime() - 1000))).not.toBeNull();
    expect(await openPendingSignIn(sealed, SECRET, new Date(p.expiresAt.getTime() + 1000))).toBeNull();
  });

  it("a changed byte anywhere, another app secret, or rubbish: null", async () => {
    const sealed = await sealPendingSignIn(pending(), SECRET);
    const parts = sealed.split(".");
    for (const i of [0, 2, 3, 4]) {
      const changed = [...parts];
      const bytes = Buffer.from(changed[i]!, "base64url");
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
      changed[i] = bytes.toString("base64url");
      expect(await openPendingSignIn(changed.join("."), SECRET, NOW)).toBeNull();
    }
    expect(await openPendingSignIn(sealed, "q".repeat(40), NOW)).toBeNull();
    for (const bad of ["", "a.b.c.d.e", null, undefined, "x".repeat(5000)]) expect(await openPendingSignIn(bad, SECRET, NOW)).toBeNull();
  });

  it("keeps the enrolment step and its verified flag", async () => {
    const p = newPendingSignIn({ userId: "u", amr: ["pwd", "otp", "mfa"], step: "enrol", callbackPath: "/", verified: true }, NOW);
    expect(await openPendingSignIn(await sealPendingSignIn(p, SECRET), SECRET, NOW)).toMatchObject({ step: "enrol", verified: true, amr: ["pwd", "otp", "mfa"] });
  });
});
