import { describe, expect, it } from "vitest";
import { checkCallback } from "./callback";

const expected = { state: "the-state", issuer: "https://id.example.com" };
const q = (o: Record<string, string>) => new URLSearchParams(o);

describe("step C: the redirect back", () => {
  it("a code with the right state and iss proceeds", () => {
    const r = checkCallback(q({ code: "c0de", state: "the-state", iss: expected.issuer }), expected);
    expect(r).toMatchObject({ code: "c0de", error: null, proceed: true });
    expect(r.checks.map((c) => [c.label, c.ok])).toEqual([["state", true], ["iss", true]]);
  });

  it("a state mismatch is explained as a CSRF sign and stops the flow (RFC 6749 §10.12)", () => {
    const r = checkCallback(q({ code: "c0de", state: "other", iss: expected.issuer }), expected);
    expect(r.proceed).toBe(false);
    expect(r.checks[0]).toMatchObject({ label: "state", ok: false });
    expect(r.checks[0]!.detail).toContain("CSRF");
  });

  it("a missing or foreign iss stops the flow (RFC 9207 §2.4)", () => {
    expect(checkCallback(q({ code: "c", state: "the-state" }), expected).proceed).toBe(false);
    const r = checkCallback(q({ code: "c", state: "the-state", iss: "https://evil.example" }), expected);
    expect(r.proceed).toBe(false);
    expect(r.checks[1]!.detail).toContain("mix-up");
  });

  it("an error response is explained in plain words and gives no code", () => {
    const r = checkCallback(q({ error: "access_denied", error_description: "The user denied", state: "the-state", iss: expected.issuer }), expected);
    expect(r.code).toBeNull();
    expect(r.proceed).toBe(false);
    expect(r.error).toMatchObject({ code: "access_denied", description: "The user denied" });
    expect(r.error!.explanation).toContain("Deny was pressed");
  });
});
