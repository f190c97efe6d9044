// Check (6): PKCE, S256 only (RFC 7636 §4.2-§4.3, RFC 9700 §2.1.1).
import { describe, expect, it } from "vitest";
import { checkPkce } from "./pkce";
import { CHALLENGE, oauthErrorOf, raw, testClient, testPublicClient } from "@test/oauth-fixtures";

const desc = (fn: () => unknown) => {
  const e = oauthErrorOf(fn);
  return [e.error, e.description];
};

describe("checkPkce", () => {
  it("accepts an S256 challenge", () => {
    expect(checkPkce(raw({ code_challenge: CHALLENGE, code_challenge_method: "S256" }), testPublicClient())).toEqual({
      codeChallenge: CHALLENGE,
      codeChallengeMethod: "S256",
    });
  });

  it("plain is refused -> invalid_request", () => {
    expect(desc(() => checkPkce(raw({ code_challenge: CHALLENGE, code_challenge_method: "plain" }), testClient()))).toEqual([
      "invalid_request",
      "code_challenge_method must be S256 (plain is not allowed)",
    ]);
  });

  it("a challenge without a method (= plain, RFC 7636 §4.3) -> invalid_request", () => {
    expect(desc(() => checkPkce(raw({ code_challenge: CHALLENGE }), testClient()))).toEqual([
      "invalid_request",
      "code_challenge_method is required and must be S256",
    ]);
  });

  it("a method without a challenge -> invalid_request", () => {
    expect(desc(() => checkPkce(raw({ code_challenge_method: "S256" }), testClient()))).toEqual([
      "invalid_request",
      "code_challenge_method was sent without a code_challenge",
    ]);
  });

  it("missing for a public client -> invalid_request", () => {
    expect(desc(() => checkPkce(raw({}), testPublicClient()))).toEqual(["invalid_request", "code_challenge is required"]);
  });

  it("missing for a client registered with require_pkce -> invalid_request", () => {
    expect(desc(() => checkPkce(raw({}), testClient({ requirePkce: true })))).toEqual(["invalid_request", "code_challenge is required"]);
  });

  it("optional for a confidential client without require_pkce", () => {
    expect(checkPkce(raw({}), testClient({ requirePkce: false }))).toEqual({ codeChallenge: null, codeChallengeMethod: null });
  });

  it.each([
    ["42 characters", "a".repeat(42)],
    ["129 characters", "a".repeat(129)],
    ["a character outside [A-Za-z0-9-._~]", `${"a".repeat(42)}+`],
    ["padding", `${"a".repeat(43)}=`],
  ])("a malformed challenge (%s) -> invalid_request", (_, challenge) => {
    expect(oauthErrorOf(() => checkPkce(raw({ code_challenge: challenge, code_challenge_method: "S256" }), testClient())).error).toBe(
      "invalid_request",
    );
  });

  it.each([43, 128])("accepts %i characters", (n) => {
    const challenge = "a-._~".repeat(30).slice(0, n);
    expect(checkPkce(raw({ code_challenge: challenge, code_challenge_method: "S256" }), testClient()).codeChallenge).toBe(challenge);
  });
});
