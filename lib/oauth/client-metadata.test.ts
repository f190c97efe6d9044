// Client registration metadata (RFC 7591 §2): defaults, and each refusal with its issue path and
// message.
import { describe, expect, it } from "vitest";
import { apiScopeCandidates, clientMetadataSchema, makeClientMetadataSchema, type ClientMetadataInput } from "./client-metadata";

const CB = "https://app.example.com/cb";

/** The issues of a refused input, as [path, message] pairs. */
function issues(input: ClientMetadataInput) {
  const r = clientMetadataSchema.safeParse(input);
  expect(r.success, "expected the input to be refused").toBe(false);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

describe("clientMetadataSchema", () => {
  it("fills the defaults: client_secret_basic, code + refresh, the four scopes, PKCE required, ES256, user claims in ID tokens", () => {
    expect(clientMetadataSchema.parse({ client_name: "App", redirect_uris: [CB] })).toStrictEqual({
      client_name: "App",
      redirect_uris: [CB],
      post_logout_redirect_uris: [],
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["authorization_code", "refresh_token"],
      scope: "openid profile email offline_access",
      require_pkce: true,
      id_token_signed_response_alg: "ES256",
      id_token_user_claims: true,
    });
  });

  // OIDC Registration §2 id_token_signed_response_alg: only the algorithms the key ring signs with.
  it("id_token_signed_response_alg: RS256 is accepted; HS256, none and lower case are refused", () => {
    const m = clientMetadataSchema.parse({ client_name: "App", redirect_uris: [CB], id_token_signed_response_alg: "RS256" });
    expect(m.id_token_signed_response_alg).toBe("RS256");
    for (const alg of ["HS256", "none", "rs256", ""]) {
      const refused = issues({ client_name: "App", redirect_uris: [CB], id_token_signed_response_alg: alg as "RS256" });
      expect(refused.map((i) => i.path)).toStrictEqual([["id_token_signed_response_alg"]]);
    }
  });

  it("trims the name and the redirect URIs", () => {
    const m = clientMetadataSchema.parse({ client_name: "  App  ", redirect_uris: [`  ${CB} `] });
    expect(m.client_name).toBe("App");
    expect(m.redirect_uris).toEqual([CB]);
  });

  it("authorization_code requires at least one redirect URI", () => {
    expect(issues({ client_name: "App" })).toStrictEqual([
      { path: ["redirect_uris"], message: "At least one redirect URI is required" },
    ]);
  });

  it("client_credentials alone needs no redirect URI", () => {
    const m = clientMetadataSchema.parse({ client_name: "Svc", grant_types: ["client_credentials"] });
    expect(m.grant_types).toEqual(["client_credentials"]);
    expect(m.redirect_uris).toEqual([]);
  });

  it("refresh_token requires authorization_code", () => {
    expect(issues({ client_name: "Svc", grant_types: ["client_credentials", "refresh_token"] })).toStrictEqual([
      { path: ["grant_types"], message: "refresh_token needs authorization_code" },
    ]);
  });

  // RFC 6749 §4.4: the client credentials grant is for confidential clients only.
  it("a public client cannot have client_credentials", () => {
    expect(
      issues({
        client_name: "SPA",
        redirect_uris: [CB],
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "client_credentials"],
      }),
    ).toStrictEqual([{ path: ["grant_types"], message: "A public client cannot use client_credentials" }]);
    // The same grants are fine for a confidential client.
    expect(
      clientMetadataSchema.safeParse({
        client_name: "Web",
        redirect_uris: [CB],
        grant_types: ["authorization_code", "client_credentials"],
      }).success,
    ).toBe(true);
  });

  // RFC 9700 §2.1.1: public clients MUST use PKCE.
  it("a public client cannot set require_pkce=false (a confidential one can)", () => {
    expect(
      issues({ client_name: "SPA", redirect_uris: [CB], token_endpoint_auth_method: "none", require_pkce: false }),
    ).toStrictEqual([{ path: ["require_pkce"], message: "A public client must use PKCE" }]);
    expect(clientMetadataSchema.parse({ client_name: "Web", redirect_uris: [CB], require_pkce: false }).require_pkce).toBe(
      false,
    );
  });

  it("refuses an unknown scope", () => {
    expect(issues({ client_name: "App", redirect_uris: [CB], scope: "openid admin" })).toStrictEqual([
      { path: ["scope"], message: "Unknown scope; known: openid profile email offline_access and the scopes of this server's APIs" },
    ]);
  });

  it("accepts the scopes of registered APIs the caller looked up (apiScopes), and only those", () => {
    const schema = makeClientMetadataSchema({ apiScopes: new Set(["mcp:tools"]) });
    expect(schema.parse({ client_name: "App", redirect_uris: [CB], scope: "openid mcp:tools" }).scope).toBe("openid mcp:tools");
    expect(schema.safeParse({ client_name: "App", redirect_uris: [CB], scope: "mcp:tools mcp:admin" }).success).toBe(false);
  });

  it("apiScopeCandidates: the names that are not the portal's own, none when there are too many to look up", () => {
    expect(apiScopeCandidates("openid mcp:tools read")).toEqual(["mcp:tools", "read"]);
    expect(apiScopeCandidates("openid profile")).toEqual([]);
    expect(apiScopeCandidates(42)).toEqual([]);
    expect(apiScopeCandidates(Array.from({ length: 21 }, (_, i) => `s${i}`).join(" "))).toEqual([]);
  });

  it("refuses an unknown grant type and an empty grant list", () => {
    const bogus = issues({ client_name: "App", redirect_uris: [CB], grant_types: ["bogus" as "refresh_token"] });
    expect(bogus.map((i) => i.path)).toStrictEqual([["grant_types", 0]]);
    const empty = issues({ client_name: "App", redirect_uris: [CB], grant_types: [] });
    expect(empty.map((i) => i.path)).toStrictEqual([["grant_types"]]);
  });

  it("refuses an empty name", () => {
    expect(issues({ client_name: "   ", redirect_uris: [CB] })).toStrictEqual([
      { path: ["client_name"], message: "Name is required" },
    ]);
  });

  it("reports each bad redirect URI at its index, with the URI and the reason", () => {
    expect(
      issues({ client_name: "App", redirect_uris: [CB, "https://app.example.com/cb#x", "http://evil.example/cb"] }),
    ).toStrictEqual([
      { path: ["redirect_uris", 1], message: "https://app.example.com/cb#x must not contain a fragment (#)" },
      {
        path: ["redirect_uris", 2],
        message: "http://evil.example/cb must use https (http is allowed only for 127.0.0.1, [::1] or localhost)",
      },
    ]);
  });

  it("checks post-logout redirect URIs by the same rules", () => {
    expect(
      issues({ client_name: "App", redirect_uris: [CB], post_logout_redirect_uris: ["javascript:alert(1)"] }),
    ).toStrictEqual([
      { path: ["post_logout_redirect_uris", 0], message: "javascript:alert(1) must not use the javascript: scheme" },
    ]);
  });

  // RFC 8252 §7.1: private-use schemes for native (public) clients only, in reverse-domain form.
  it("private-use redirect URIs: public clients only, reverse-domain only", () => {
    const native = { client_name: "Native", token_endpoint_auth_method: "none" as const };
    expect(clientMetadataSchema.safeParse({ ...native, redirect_uris: ["com.example.app:/cb"] }).success).toBe(true);
    expect(issues({ ...native, redirect_uris: ["myapp:/cb"] })).toStrictEqual([
      {
        path: ["redirect_uris", 0],
        message: "myapp:/cb uses a private-use scheme that is not in reverse-domain form (e.g. com.example.app:/callback)",
      },
    ]);
    expect(issues({ client_name: "Web", redirect_uris: ["com.example.app:/cb"] })).toStrictEqual([
      { path: ["redirect_uris", 0], message: "com.example.app:/cb must use https for a confidential (server) client" },
    ]);
  });
});

// RFC 9700 §4.11: with the issuer given, redirect URIs on this server are refused (open redirector).
describe("makeClientMetadataSchema({ issuer })", () => {
  const schema = makeClientMetadataSchema({ issuer: "https://id.example.com" });

  it("refuses redirect and post-logout URIs on the issuer, at their index", () => {
    const r = schema.safeParse({
      client_name: "App",
      redirect_uris: [CB, "https://id.example.com/oauth/authorize"],
      post_logout_redirect_uris: ["https://id.example.com/signin"],
    });
    expect(r.success).toBe(false);
    expect(r.success ? [] : r.error.issues.map((i) => ({ path: i.path, message: i.message }))).toStrictEqual([
      {
        path: ["redirect_uris", 1],
        message: "https://id.example.com/oauth/authorize must not point at this server (it would pass the code on)",
      },
      {
        path: ["post_logout_redirect_uris", 0],
        message: "https://id.example.com/signin must not point at this server (it would pass the code on)",
      },
    ]);
  });

  it("accepts the inspector callback, and the schema without issuer accepts the issuer's URIs", () => {
    const inspector = "https://id.example.com/dashboard/inspector/callback";
    expect(schema.parse({ client_name: "App", redirect_uris: [inspector] }).redirect_uris).toEqual([inspector]);
    expect(clientMetadataSchema.safeParse({ client_name: "App", redirect_uris: ["https://id.example.com/cb"] }).success).toBe(
      true,
    );
  });

  it("implicit (response_type=id_token) needs a redirect URI, like authorization_code", () => {
    expect(issues({ client_name: "SPA", grant_types: ["implicit"] }).map((i) => [i.path, i.message])).toStrictEqual([
      [["redirect_uris"], "At least one redirect URI is required"],
    ]);
    expect(clientMetadataSchema.parse({ client_name: "SPA", grant_types: ["implicit"], redirect_uris: [CB] }).grant_types).toEqual(["implicit"]);
  });
});
