// Check (4a): response_type=code only (RFC 6749 §4.1.1, §4.1.2.1).
import { describe, expect, it } from "vitest";
import { checkResponseType } from "./response-type";
import { oauthErrorOf, raw } from "@test/oauth-fixtures";

describe("checkResponseType", () => {
  it("accepts code", () => {
    expect(() => checkResponseType(raw({ response_type: "code" }))).not.toThrow();
  });

  it("missing -> invalid_request", () => {
    expect(oauthErrorOf(() => checkResponseType(raw({}))).error).toBe("invalid_request");
  });

  it.each(["token", "id_token", "code id_token", "CODE"])("%s -> unsupported_response_type", (rt) => {
    expect(oauthErrorOf(() => checkResponseType(raw({ response_type: rt }))).error).toBe("unsupported_response_type");
  });
});
