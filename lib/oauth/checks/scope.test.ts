// Check (5): scope (RFC 6749 §3.3; OIDC Core §11 for offline_access).
import { describe, expect, it } from "vitest";
import { checkScope } from "./scope";
import { oauthErrorOf, raw, testClient } from "@test/oauth-fixtures";

describe("checkScope", () => {
  const client = testClient();

  it("returns the requested scopes, de-duplicated, in order", () => {
    expect(checkScope(raw({ scope: "openid email openid profile" }), client)).toEqual(["openid", "email", "profile"]);
  });

  // RFC 6749 §3.3 (a pre-defined default) and §3.1 (empty = omitted): the registered scopes.
  it.each<Record<string, string>>([{}, { scope: "" }])("missing or empty %o -> the client's registered scopes, in their order", (q) => {
    expect(checkScope(raw(q), client)).toEqual(["openid", "profile", "email", "offline_access"]);
    expect(checkScope(raw(q), testClient({ scopes: ["email", "openid"] }))).toEqual(["email", "openid"]);
  });

  it("missing: the default is a fresh array, never the client's own (the caller may keep it)", () => {
    const c = testClient({ scopes: ["openid", "email"] });
    const got = checkScope(raw({}), c);
    expect(got).toEqual(["openid", "email"]);
    expect(got).not.toBe(c.scopes);
  });

  it("missing: the registered set is checked as if sent, so offline_access is dropped without the refresh_token grant", () => {
    const noRefresh = testClient({ grantTypes: ["authorization_code"] });
    expect(checkScope(raw({}), noRefresh)).toEqual(["openid", "profile", "email"]);
  });

  it("missing, and no registered scope -> invalid_scope saying so", () => {
    const e = oauthErrorOf(() => checkScope(raw({}), testClient({ scopes: [] })));
    expect([e.error, e.description]).toEqual(["invalid_scope", "scope is missing and this client has no registered scopes to use instead"]);
  });

  it("missing, and only offline_access registered without the refresh_token grant -> invalid_scope", () => {
    const e = oauthErrorOf(() => checkScope(raw({}), testClient({ scopes: ["offline_access"], grantTypes: ["authorization_code"] })));
    expect([e.error, e.description]).toEqual(["invalid_scope", "scope is missing and this client has no registered scope it may use here"]);
  });

  it("only whitespace is not an omitted scope: invalid_scope, as before (no scope-token, RFC 6749 §3.3)", () => {
    const e = oauthErrorOf(() => checkScope(raw({ scope: "   " }), client));
    expect([e.error, e.description]).toEqual(["invalid_scope", "scope is required"]);
  });

  it("a request that names scopes gets exactly those, not the registered set", () => {
    expect(checkScope(raw({ scope: "email" }), client)).toEqual(["email"]);
  });

  it("an unknown scope -> invalid_scope naming it", () => {
    const e = oauthErrorOf(() => checkScope(raw({ scope: "openid admin" }), client));
    expect([e.error, e.description]).toEqual(["invalid_scope", "Unknown scope admin"]);
  });

  it("scopes are case-sensitive (RFC 6749 §3.3)", () => {
    expect(oauthErrorOf(() => checkScope(raw({ scope: "OpenID" }), client)).error).toBe("invalid_scope");
  });

  it("a known scope the client did not register -> invalid_scope", () => {
    const e = oauthErrorOf(() => checkScope(raw({ scope: "openid email" }), testClient({ scopes: ["openid"] })));
    expect([e.error, e.description]).toEqual(["invalid_scope", "This client may not request the scope email"]);
  });

  it("keeps offline_access for a client with the refresh_token grant", () => {
    expect(checkScope(raw({ scope: "openid offline_access" }), client)).toEqual(["openid", "offline_access"]);
  });

  it("drops offline_access silently for a client without the refresh_token grant", () => {
    const noRefresh = testClient({ grantTypes: ["authorization_code"] });
    expect(checkScope(raw({ scope: "openid offline_access" }), noRefresh)).toEqual(["openid"]);
  });

  it("only offline_access, dropped -> invalid_scope (nothing left)", () => {
    const noRefresh = testClient({ grantTypes: ["authorization_code"] });
    expect(oauthErrorOf(() => checkScope(raw({ scope: "offline_access" }), noRefresh)).error).toBe("invalid_scope");
  });
});
