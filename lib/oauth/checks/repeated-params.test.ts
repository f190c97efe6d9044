// Check (3): no repeated parameters (RFC 6749 §3.1) -> invalid_request.
import { describe, expect, it } from "vitest";
import { checkNoRepeats } from "./repeated-params";
import { oauthErrorOf, raw } from "@test/oauth-fixtures";

describe("checkNoRepeats", () => {
  it("passes distinct parameters", () => {
    expect(() => checkNoRepeats(raw({ response_type: "code", scope: "openid", state: "s" }))).not.toThrow();
  });

  it("repeated scope -> invalid_request naming it", () => {
    const e = oauthErrorOf(() => checkNoRepeats(raw("scope=openid&state=s&scope=email")));
    expect([e.error, e.description]).toEqual(["invalid_request", "Parameter scope is repeated"]);
  });

  it("an empty repeat is an omitted parameter, not a repeat (RFC 6749 §3.1)", () => {
    expect(() => checkNoRepeats(raw("state=&state=s"))).not.toThrow();
  });

  it("does not echo a name that cannot go into error_description", () => {
    const e = oauthErrorOf(() => checkNoRepeats(raw([["a\"b", "1"], ["a\"b", "2"]])));
    expect(e.description).toBe("A parameter is repeated");
  });
});
