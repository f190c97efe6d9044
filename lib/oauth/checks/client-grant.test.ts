// Check (4d): the client must have the authorization_code grant (RFC 6749 §4.1.2.1).
import { describe, expect, it } from "vitest";
import { checkClientGrant } from "./client-grant";
import { oauthErrorOf, testClient } from "@test/oauth-fixtures";

describe("checkClientGrant", () => {
  it("passes a client with authorization_code", () => {
    expect(() => checkClientGrant(testClient())).not.toThrow();
  });

  it("a client_credentials-only client -> unauthorized_client", () => {
    expect(oauthErrorOf(() => checkClientGrant(testClient({ grantTypes: ["client_credentials"] }))).error).toBe("unauthorized_client");
  });
});
