// Check (7a): prompt (OIDC Core §3.1.2.1).
import { describe, expect, it } from "vitest";
import { checkPrompt } from "./prompt";
import { oauthErrorOf, raw } from "@test/oauth-fixtures";

describe("checkPrompt", () => {
  it("none given: no prompts", () => {
    expect(checkPrompt(raw({}))).toEqual([]);
  });

  it.each([
    ["none", ["none"]],
    ["login", ["login"]],
    ["consent", ["consent"]],
    ["login consent", ["login", "consent"]],
    ["consent  consent", ["consent"]],
  ])("accepts %s", (prompt, expected) => {
    expect(checkPrompt(raw({ prompt }))).toEqual(expected);
  });

  it.each(["select_account", "create", "Login"])("unsupported value %s -> invalid_request", (prompt) => {
    expect(oauthErrorOf(() => checkPrompt(raw({ prompt }))).error).toBe("invalid_request");
  });

  it.each(["none login", "consent none"])("none combined with anything (%s) -> invalid_request", (prompt) => {
    const e = oauthErrorOf(() => checkPrompt(raw({ prompt })));
    expect([e.error, e.description]).toEqual(["invalid_request", "prompt=none cannot be combined with other values"]);
  });
});
