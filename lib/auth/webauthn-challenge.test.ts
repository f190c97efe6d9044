// The WebAuthn challenge cookie: opens only with the same secret, for the same ceremony and user,
// within its 5 minutes; tampering, another secret, or a swapped purpose give null.
import { describe, expect, it } from "vitest";
import { CHALLENGE_TTL_SECONDS, challengeCookieOptions, openChallenge, sealChallenge } from "./webauthn-challenge";

const SECRET = "s".repeat(40);
const now = new Date("2026-12-06T12:00:00Z");
const later = (s: number) => new Date(now.getTime() + s * 1000);

describe("WebAuthn challenge cookie", () => {
  it("round-trips the challenge, its ceremony and its user, with the expiry", async () => {
    const c = await sealChallenge({ challenge: "c".repeat(43), purpose: "register", userId: "u1" }, SECRET, now);
    expect(c).not.toContain("c".repeat(43)); // encrypted, not just signed
    expect(await openChallenge(c, SECRET, { purpose: "register", userId: "u1" }, later(10))).toEqual({
      challenge: "c".repeat(43),
      purpose: "register",
      userId: "u1",
      expiresAt: later(CHALLENGE_TTL_SECONDS),
    });
  });

  it("refuses another ceremony, another user, and a user-bound cookie for a usernameless sign-in", async () => {
    const bound = await sealChallenge({ challenge: "c".repeat(43), purpose: "authenticate", userId: "u1" }, SECRET, now);
    expect(await openChallenge(bound, SECRET, { purpose: "register", userId: "u1" }, now)).toBeNull();
    expect(await openChallenge(bound, SECRET, { purpose: "authenticate", userId: "u2" }, now)).toBeNull();
    expect(await openChallenge(bound, SECRET, { purpose: "authenticate" }, now)).toBeNull();
    const anon = await sealChallenge({ challenge: "c".repeat(43), purpose: "authenticate" }, SECRET, now);
    expect(await openChallenge(anon, SECRET, { purpose: "authenticate" }, now)).toMatchObject({ userId: undefined });
    expect(await openChallenge(anon, SECRET, { purpose: "authenticate", userId: "u1" }, now)).toBeNull();
  });

  it("refuses an expired, tampered, foreign or missing cookie", async () => {
    const c = await sealChallenge({ challenge: "c".repeat(43), purpose: "authenticate" }, SECRET, now);
    const want = { purpose: "authenticate" } as const;
    expect(await openChallenge(c, SECRET, want, later(CHALLENGE_TTL_SECONDS - 1))).not.toBeNull();
    expect(await openChallenge(c, SECRET, want, later(CHALLENGE_TTL_SECONDS + 1))).toBeNull();
    const parts = c.split(".");
    parts[3] = `${parts[3]![0] === "A" ? "B" : "A"}${parts[3]!.slice(1)}`;
    expect(await openChallenge(parts.join("."), SECRET, want, now)).toBeNull();
    expect(await openChallenge(c, "t".repeat(40), want, now)).toBeNull();
    expect(await openChallenge(undefined, SECRET, want, now)).toBeNull();
    expect(await openChallenge("garbage", SECRET, want, now)).toBeNull();
  });

  it("is an httpOnly, SameSite=Strict cookie that lives as long as the challenge", () => {
    expect(challengeCookieOptions(true)).toEqual({ httpOnly: true, sameSite: "strict", path: "/", secure: true, maxAge: CHALLENGE_TTL_SECONDS });
  });
});
