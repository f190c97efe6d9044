// Check (4d): the client must be registered for the grant its response type uses (RFC 6749
// §4.1.2.1; RFC 7591 §2.1: code <-> authorization_code, id_token <-> implicit).
import { describe, expect, it } from "vitest";
import { checkClientGrant } from "./client-grant";
import { oauthErrorOf, testClient } from "@test/oauth-fixtures";

describe("checkClientGrant", () => {
  it("passes a client with authorization_code for code", () => {
    expect(() => checkClientGrant(testClient(), "code")).not.toThrow();
  });

  it("a client_credentials-only client -> unauthorized_client", () => {
    const e = oauthErrorOf(() => checkClientGrant(testClient({ grantTypes: ["client_credentials"] }), "code"));
    expect([e.error, e.description]).toEqual(["unauthorized_client", "This client may not use the authorization code grant"]);
  });

  it("id_token needs the implicit grant: passes with it, unauthorized_client without it", () => {
    expect(() => checkClientGrant(testClient({ grantTypes: ["implicit"] }), "id_token")).not.toThrow();
    const e = oauthErrorOf(() => checkClientGrant(testClient(), "id_token"));
    expect([e.error, e.description]).toEqual([
      "unauthorized_client",
      "This client may not use response_type=id_token (it is not registered for the implicit grant)",
    ]);
  });

  it("an implicit-only client may not ask for a code", () => {
    expect(oauthErrorOf(() => checkClientGrant(testClient({ grantTypes: ["implicit"] }), "code")).error).toBe("unauthorized_client");
  });
});
