// Check (4c): response_mode (Multiple Response Types §2.1, §3; Form Post Response Mode §2).
import { describe, expect, it } from "vitest";
import { checkResponseMode, responseModeOf } from "./response-mode";
import { oauthErrorOf, raw } from "@test/oauth-fixtures";

describe("checkResponseMode", () => {
  it.each<[Record<string, string>, "code" | "id_token", string]>([
    [{}, "code", "query"],
    [{ response_mode: "query" }, "code", "query"],
    [{ response_mode: "fragment" }, "code", "fragment"],
    [{ response_mode: "form_post" }, "code", "form_post"],
    [{}, "id_token", "fragment"],
    [{ response_mode: "fragment" }, "id_token", "fragment"],
    [{ response_mode: "form_post" }, "id_token", "form_post"],
  ])("%o with %s -> %s", (q, type, mode) => {
    expect(checkResponseMode(raw(q), type)).toBe(mode);
  });

  it.each(["jwt", "query.jwt", "form_post.jwt", "FORM_POST", "web_message"])("%s -> invalid_request", (mode) => {
    const e = oauthErrorOf(() => checkResponseMode(raw({ response_mode: mode }), "code"));
    expect([e.error, e.description]).toEqual(["invalid_request", "response_mode must be query, fragment or form_post"]);
  });

  it("query for id_token -> invalid_request (§3: a token never goes in the query)", () => {
    const e = oauthErrorOf(() => checkResponseMode(raw({ response_mode: "query" }), "id_token"));
    expect([e.error, e.description]).toEqual(["invalid_request", "response_mode=query is not allowed for response_type=id_token"]);
  });
});

describe("responseModeOf: how errors travel, before validation", () => {
  it.each<[Record<string, string>, string]>([
    [{}, "query"],
    [{ response_type: "code" }, "query"],
    [{ response_type: "code", response_mode: "form_post" }, "form_post"],
    [{ response_type: "code", response_mode: "bogus" }, "query"],
    [{ response_type: "id_token" }, "fragment"],
    [{ response_type: "id_token", response_mode: "query" }, "fragment"],
    [{ response_type: "id_token", response_mode: "form_post" }, "form_post"],
    [{ response_type: "token" }, "fragment"],
    [{ response_type: "code id_token" }, "fragment"],
    [{ response_type: "code token", response_mode: "query" }, "fragment"],
  ])("%o -> %s", (q, mode) => {
    expect(responseModeOf(raw(q))).toBe(mode);
  });
});
