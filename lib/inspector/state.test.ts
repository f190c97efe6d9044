import { describe, expect, it } from "vitest";
import { openState, sealState, STATE_TTL_SECONDS, type InspectorState } from "./state";

const SECRET = "x".repeat(48);
const run: InspectorState = {
  clientRowId: "c1",
  userId: "u1",
  redirectUri: "http://localhost:3000/dashboard/inspector/callback",
  scope: ["openid", "offline_access"],
  state: "s".repeat(43),
  nonce: "n".repeat(43),
  codeVerifier: "v".repeat(43),
};

describe("inspector state cookie", () => {
  it("round-trips, and the sealed value shows none of the values (encrypted, not just signed)", async () => {
    const sealed = await sealState(run, SECRET);
    expect(sealed.split(".")).toHaveLength(5); // JWE compact serialization
    expect(sealed).not.toContain(run.state);
    expect(Buffer.from(sealed.split(".")[0]!, "base64url").toString()).toBe('{"alg":"dir","enc":"A256GCM"}');
    expect(await openState(sealed, SECRET)).toEqual(run);
  });

  it("is refused with another secret, when tampered with, or when missing", async () => {
    const sealed = await sealState(run, SECRET);
    expect(await openState(sealed, "y".repeat(48))).toBeNull();
    const parts = sealed.split(".");
    parts[3] = parts[3]!.slice(0, -2) + (parts[3]!.endsWith("AA") ? "BB" : "AA");
    expect(await openState(parts.join("."), SECRET)).toBeNull();
    expect(await openState(undefined, SECRET)).toBeNull();
    expect(await openState("not-a-jwe", SECRET)).toBeNull();
  });

  it("expires after 10 minutes", async () => {
    const t0 = new Date("2026-01-01T00:00:00Z");
    const sealed = await sealState(run, SECRET, t0);
    expect(await openState(sealed, SECRET, new Date(t0.getTime() + (STATE_TTL_SECONDS - 1) * 1000))).toEqual(run);
    expect(await openState(sealed, SECRET, new Date(t0.getTime() + (STATE_TTL_SECONDS + 1) * 1000))).toBeNull();
  });
});
