// Check (7c): state, nonce and login_hint are kept as given, up to a length limit.
import { describe, expect, it } from "vitest";
import { MAX_TEXT_PARAM_LENGTH, checkTextParams } from "./text-params";
import { oauthErrorOf, raw } from "@test/oauth-fixtures";

describe("checkTextParams", () => {
  it("keeps the values exactly", () => {
    expect(checkTextParams(raw({ state: "a b+c/=", nonce: "n-1", login_hint: "ana@example.com" }))).toEqual({
      state: "a b+c/=",
      nonce: "n-1",
      loginHint: "ana@example.com",
    });
  });

  it("absent: null", () => {
    expect(checkTextParams(raw({}))).toEqual({ state: null, nonce: null, loginHint: null });
  });

  it("accepts the maximum length", () => {
    expect(checkTextParams(raw({ state: "s".repeat(MAX_TEXT_PARAM_LENGTH) })).state).toHaveLength(MAX_TEXT_PARAM_LENGTH);
  });

  it.each(["state", "nonce", "login_hint"])("%s beyond the limit -> invalid_request", (name) => {
    const e = oauthErrorOf(() => checkTextParams(raw({ [name]: "x".repeat(MAX_TEXT_PARAM_LENGTH + 1) })));
    expect([e.error, e.description]).toEqual(["invalid_request", `${name} must be at most 512 characters`]);
  });
});
