// Check (4b): request objects are not supported (OIDC Core §6.3).
import { describe, expect, it } from "vitest";
import { checkRequestObject } from "./request-object";
import { oauthErrorOf, raw } from "@test/oauth-fixtures";

describe("checkRequestObject", () => {
  it("passes without request / request_uri", () => {
    expect(() => checkRequestObject(raw({ response_type: "code" }))).not.toThrow();
  });

  it("request -> request_not_supported", () => {
    expect(oauthErrorOf(() => checkRequestObject(raw({ request: "eyJhbGciOi..." }))).error).toBe("request_not_supported");
  });

  it("request_uri -> request_uri_not_supported", () => {
    expect(oauthErrorOf(() => checkRequestObject(raw({ request_uri: "https://x.example/r" }))).error).toBe(
      "request_uri_not_supported",
    );
  });
});
