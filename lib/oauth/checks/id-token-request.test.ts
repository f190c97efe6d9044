// Check (8): response_type=id_token (OIDC Core §3.2.2.1, §11).
import { describe, expect, it } from "vitest";
import { checkIdTokenRequest } from "./id-token-request";
import { oauthErrorOf } from "@test/oauth-fixtures";

describe("checkIdTokenRequest", () => {
  it("keeps the scope, dropping offline_access (§11: ignored without a code)", () => {
    expect(checkIdTokenRequest({ scope: ["openid", "email", "offline_access"], nonce: "n" })).toEqual(["openid", "email"]);
  });

  it("no openid -> invalid_scope", () => {
    const e = oauthErrorOf(() => checkIdTokenRequest({ scope: ["email"], nonce: "n" }));
    expect([e.error, e.description]).toEqual(["invalid_scope", "response_type=id_token needs the openid scope"]);
  });

  it("no nonce -> invalid_request (§3.2.2.1: REQUIRED)", () => {
    const e = oauthErrorOf(() => checkIdTokenRequest({ scope: ["openid"], nonce: null }));
    expect([e.error, e.description]).toEqual(["invalid_request", "nonce is required for response_type=id_token"]);
  });
});
