// Check (5): scope (RFC 6749 §3.3; OIDC Core §11 for offline_access).
import { describe, expect, it } from "vitest";
import { checkScope } from "./scope";
import { oauthErrorOf, raw, testClient } from "@test/oauth-fixtures";

describe("checkScope", () => {
  const client = testClient();

  it("returns the requested scopes, de-duplicated, in order", () => {
    expect(checkScope(raw({ scope: "openid email openid profile" }), client)).toEqual(["openid", "email", "profile"]);
  });

  it.each<Record<string, string>>([{}, { scope: "" }, { scope: "   " }])("missing or empty %o -> invalid_scope", (q) => {
    expect(oauthErrorOf(() => checkScope(raw(q), client)).error).toBe("invalid_scope");
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
