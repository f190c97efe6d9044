// Check (4a): response_type code or id_token (RFC 6749 §4.1.1, §4.1.2.1; OIDC Core §3.2.2.1;
// RFC 9700 §2.1.2: no access token in the front channel).
import { describe, expect, it } from "vitest";
import { checkResponseType } from "./response-type";
import { oauthErrorOf, raw } from "@test/oauth-fixtures";

describe("checkResponseType", () => {
  it.each(["code", "id_token"])("accepts %s", (rt) => {
    expect(checkResponseType(raw({ response_type: rt }))).toBe(rt);
  });

  it("missing -> invalid_request", () => {
    expect(oauthErrorOf(() => checkResponseType(raw({}))).error).toBe("invalid_request");
  });

  it.each(["token", "id_token token", "code id_token", "code token", "code id_token token", "none", "CODE", "ID_TOKEN"])(
    "%s -> unsupported_response_type",
    (rt) => {
      const e = oauthErrorOf(() => checkResponseType(raw({ response_type: rt })));
      expect([e.error, e.description]).toEqual(["unsupported_response_type", "Only response_type=code and response_type=id_token are supported"]);
    },
  );
});
