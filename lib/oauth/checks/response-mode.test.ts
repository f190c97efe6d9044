// Check (4c): response_mode query only.
import { describe, expect, it } from "vitest";
import { checkResponseMode } from "./response-mode";
import { oauthErrorOf, raw } from "@test/oauth-fixtures";

describe("checkResponseMode", () => {
  it.each<Record<string, string>>([{}, { response_mode: "query" }])("passes %o", (q) => {
    expect(() => checkResponseMode(raw(q))).not.toThrow();
  });

  it.each(["fragment", "form_post"])("%s -> invalid_request", (mode) => {
    expect(oauthErrorOf(() => checkResponseMode(raw({ response_mode: mode }))).error).toBe("invalid_request");
  });
});
