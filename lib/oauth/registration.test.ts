// RFC 7591 / RFC 7592 request parsing and response shaping: exact error codes and descriptions,
// exact documents.
import { describe, expect, it } from "vitest";
import { clientMetadataSchema } from "./client-metadata";
import { OAuthError } from "./errors";
import {
  bearerCredential,
  checkAuthMethodChange,
  clientIdFromPath,
  clientInformation,
  DYNAMIC_REGISTRATION_ID_TOKEN_ALG,
  parseClientMetadata,
  parseOpenRegistration,
  parseUpdateRequest,
  registrationClientUri,
} from "./registration";

const ISSUER = "https://id.example.com";
const CB = "https://app.example.com/cb";

/** The wire error ({error, error_description}, status) that `fn` throws. */
function wireError(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof OAuthError) return { status: err.status, error: err.error, error_description: err.description };
    throw err;
  }
  throw new Error("expected an OAuth error");
}

describe("parseClientMetadata (RFC 7591 §2, §3.2.2)", () => {
  it("accepts metadata, fills the schema defaults and ignores unknown fields (§2)", () => {
    // The ID-token algorithm's default differs from the dashboard's (see the next test).
    expect(parseClientMetadata({ client_name: "App", redirect_uris: [CB], software_id: "x", jwks_uri: "https://a/j" })).toStrictEqual(
      clientMetadataSchema.parse({ client_name: "App", redirect_uris: [CB], id_token_signed_response_alg: "RS256" }),
    );
  });

  it("id_token_signed_response_alg defaults to RS256 when omitted (OIDC Registration §2); a named one is kept", () => {
    expect(DYNAMIC_REGISTRATION_ID_TOKEN_ALG).toBe("RS256");
    expect(parseClientMetadata({ client_name: "App", redirect_uris: [CB] }).id_token_signed_response_alg).toBe("RS256");
    expect(parseClientMetadata({ client_name: "App", redirect_uris: [CB], id_token_signed_response_alg: "ES256" }).id_token_signed_response_alg).toBe("ES256");
    expect(parseClientMetadata({ client_name: "App", redirect_uris: [CB], id_token_signed_response_alg: "RS256" }).id_token_signed_response_alg).toBe("RS256");
    // An update without it (RFC 7592 §2.2: omitted fields take their defaults) gets RS256 too.
    expect(parseUpdateRequest({ client_id: "lk_1", client_name: "App", redirect_uris: [CB] }, "lk_1").metadata.id_token_signed_response_alg).toBe("RS256");
    // The schema the CLI and the dashboard use keeps ES256.
    expect(clientMetadataSchema.parse({ client_name: "App", redirect_uris: [CB] }).id_token_signed_response_alg).toBe("ES256");
  });

  it("id_token_user_claims is not registration metadata: ignored, the default (on) applies", () => {
    expect(parseClientMetadata({ client_name: "App", redirect_uris: [CB], id_token_user_claims: false }).id_token_user_claims).toBe(true);
    expect(parseClientMetadata({ client_name: "App", redirect_uris: [CB], id_token_user_claims: "bad" }).id_token_user_claims).toBe(true);
  });

  it("an id_token_signed_response_alg the key ring does not sign with is invalid_client_metadata", () => {
    for (const alg of ["HS256", "none", "rs256", null]) {
      expect(wireError(() => parseClientMetadata({ client_name: "App", redirect_uris: [CB], id_token_signed_response_alg: alg }))).toMatchObject({
        status: 400,
        error: "invalid_client_metadata",
        error_description: expect.stringMatching(/^id_token_signed_response_alg: /),
      });
    }
  });

  it("a body that is not an object is invalid_client_metadata", () => {
    for (const body of [null, [], "x", 3]) {
      expect(wireError(() => parseClientMetadata(body))).toStrictEqual({
        status: 400,
        error: "invalid_client_metadata",
        error_description: "The request body must be a JSON object of client metadata",
      });
    }
  });

  it("a refused redirect URI is invalid_redirect_uri naming the index and the reason", () => {
    expect(wireError(() => parseClientMetadata({ client_name: "App", redirect_uris: [CB, "http://evil.example/cb"] }))).toStrictEqual({
      status: 400,
      error: "invalid_redirect_uri",
      error_description:
        "redirect_uris[1]: http://evil.example/cb must use https (http is allowed only for 127.0.0.1, [::1] or localhost)",
    });
  });

  it("a redirect URI on this server's own origin is refused (no open redirector), as in the dashboard", () => {
    const err = wireError(() =>
      parseClientMetadata({ client_name: "App", redirect_uris: ["https://id.example.com/oauth/authorize"] }, "https://id.example.com"),
    );
    expect(err.status).toBe(400);
    expect(err.error).toBe("invalid_redirect_uri");
    expect(err.error_description).toMatch(/^redirect_uris\[0\]: https:\/\/id\.example\.com\/oauth\/authorize /);
    // Without the issuer (the CLI) the same URI is acceptable.
    expect(parseClientMetadata({ client_name: "App", redirect_uris: ["https://id.example.com/oauth/authorize"] }).redirect_uris).toHaveLength(1);
  });

  it("missing redirect URIs for the code grant is invalid_redirect_uri", () => {
    expect(wireError(() => parseClientMetadata({ client_name: "App" }))).toStrictEqual({
      status: 400,
      error: "invalid_redirect_uri",
      error_description: "redirect_uris: At least one redirect URI is required",
    });
  });

  it("other refusals are invalid_client_metadata naming the field", () => {
    expect(wireError(() => parseClientMetadata({ client_name: "App", redirect_uris: [CB], scope: "openid admin" }))).toStrictEqual({
      status: 400,
      error: "invalid_client_metadata",
      error_description: "scope: Unknown scope; known: openid profile email offline_access and the scopes of this server's APIs",
    });
    expect(wireError(() => parseClientMetadata({ redirect_uris: [CB] })).error_description).toMatch(/^client_name: /);
    expect(
      wireError(() => parseClientMetadata({ client_name: "Svc", grant_types: ["client_credentials"], token_endpoint_auth_method: "private_key_jwt" })),
    ).toMatchObject({ error: "invalid_client_metadata", error_description: expect.stringMatching(/^token_endpoint_auth_method: /) });
  });

  it('response_types: "code" and "id_token", each only with its grant type (§2.1)', () => {
    expect(parseClientMetadata({ client_name: "App", redirect_uris: [CB], response_types: ["code"] }).grant_types).toEqual([
      "authorization_code",
      "refresh_token",
    ]);
    expect(wireError(() => parseClientMetadata({ client_name: "App", redirect_uris: [CB], response_types: ["token"] }))).toStrictEqual({
      status: 400,
      error: "invalid_client_metadata",
      error_description: "response_types: only 'code' and 'id_token' are supported",
    });
    for (const t of ["id_token token", "code id_token", "none"]) {
      expect(wireError(() => parseClientMetadata({ client_name: "App", redirect_uris: [CB], response_types: [t] })).error).toBe("invalid_client_metadata");
    }
    expect(
      parseClientMetadata({ client_name: "SPA", redirect_uris: [CB], grant_types: ["implicit"], response_types: ["id_token"], token_endpoint_auth_method: "none" })
        .grant_types,
    ).toEqual(["implicit"]);
    expect(wireError(() => parseClientMetadata({ client_name: "App", redirect_uris: [CB], response_types: ["id_token"] }))).toStrictEqual({
      status: 400,
      error: "invalid_client_metadata",
      error_description: "response_types: 'id_token' needs the implicit grant type",
    });
    expect(
      wireError(() => parseClientMetadata({ client_name: "Svc", grant_types: ["client_credentials"], response_types: ["code"] })),
    ).toStrictEqual({
      status: 400,
      error: "invalid_client_metadata",
      error_description: "response_types: 'code' needs the authorization_code grant type",
    });
  });
});

describe("parseOpenRegistration (no initial access token: public clients only)", () => {
  it("takes an omitted auth method as none (RFC 7591 §3.2.1): a public client with the code flow and PKCE", () => {
    expect(parseOpenRegistration({ client_name: "MCP", redirect_uris: ["http://127.0.0.1:5000/cb"] }, ISSUER)).toMatchObject({
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      require_pkce: true,
    });
  });

  it.each(["client_secret_basic", "client_secret_post", "private_key_jwt", 7])("refuses token_endpoint_auth_method %j with invalid_client_metadata", (method) => {
    expect(wireError(() => parseOpenRegistration({ client_name: "C", redirect_uris: [CB], token_endpoint_auth_method: method }, ISSUER))).toEqual({
      status: 400,
      error: "invalid_client_metadata",
      error_description:
        "token_endpoint_auth_method: registration without an initial access token is open to public clients only (none); a confidential client needs an initial access token from this server's administrator",
    });
  });

  it("refuses client_credentials and PKCE off, as for any public client", () => {
    expect(wireError(() => parseOpenRegistration({ client_name: "C", grant_types: ["client_credentials"] }, ISSUER)).error_description).toBe(
      "grant_types: A public client cannot use client_credentials",
    );
    expect(wireError(() => parseOpenRegistration({ client_name: "C", redirect_uris: [CB], require_pkce: false }, ISSUER)).error_description).toBe(
      "require_pkce: A public client must use PKCE",
    );
    expect(wireError(() => parseOpenRegistration([], ISSUER)).error_description).toBe("The request body must be a JSON object of client metadata");
  });
});

describe("parseUpdateRequest (RFC 7592 §2.2)", () => {
  const body = { client_id: "lk_1", client_name: "App", redirect_uris: [CB] };

  it("returns the full replacement metadata and the client_secret sent, if any", () => {
    expect(parseUpdateRequest(body, "lk_1")).toStrictEqual({
      metadata: clientMetadataSchema.parse({ client_name: "App", redirect_uris: [CB], id_token_signed_response_alg: "RS256" }),
      clientSecret: null,
    });
    expect(parseUpdateRequest({ ...body, client_secret: "lks_x" }, "lk_1").clientSecret).toBe("lks_x");
  });

  it("client_id MUST be present and match", () => {
    const expected = { status: 400, error: "invalid_client_metadata", error_description: "client_id: must be present and match this client" };
    expect(wireError(() => parseUpdateRequest({ client_name: "App", redirect_uris: [CB] }, "lk_1"))).toStrictEqual(expected);
    expect(wireError(() => parseUpdateRequest({ ...body, client_id: "lk_2" }, "lk_1"))).toStrictEqual(expected);
  });

  it("server-set fields MUST NOT be sent", () => {
    for (const f of ["registration_access_token", "registration_client_uri", "client_id_issued_at", "client_secret_expires_at"]) {
      expect(wireError(() => parseUpdateRequest({ ...body, [f]: 0 }, "lk_1"))).toStrictEqual({
        status: 400,
        error: "invalid_client_metadata",
        error_description: `${f}: must not be sent in an update`,
      });
    }
  });

  it("validates the metadata like a registration", () => {
    expect(wireError(() => parseUpdateRequest({ ...body, redirect_uris: ["https://a/#x"] }, "lk_1")).error).toBe("invalid_redirect_uri");
  });
});

describe("checkAuthMethodChange", () => {
  const meta = (m: "none" | "client_secret_basic" | "client_secret_post") =>
    clientMetadataSchema.parse({ client_name: "A", redirect_uris: [CB], token_endpoint_auth_method: m });
  it("allows basic <-> post, refuses public <-> confidential", () => {
    expect(() => checkAuthMethodChange("client_secret_basic", meta("client_secret_post"))).not.toThrow();
    expect(() => checkAuthMethodChange("none", meta("none"))).not.toThrow();
    expect(wireError(() => checkAuthMethodChange("client_secret_basic", meta("none"))).error).toBe("invalid_client_metadata");
    expect(wireError(() => checkAuthMethodChange("none", meta("client_secret_post"))).error).toBe("invalid_client_metadata");
  });
});

describe("clientInformation (RFC 7591 §3.2.1)", () => {
  const issuedAt = new Date("2026-11-22T10:00:00.500Z");

  it("a confidential client just registered: secret, expires_at 0, token, URI and all metadata", () => {
    const metadata = clientMetadataSchema.parse({ client_name: "App", redirect_uris: [CB], client_uri: "https://app.example.com" });
    expect(
      clientInformation(ISSUER, { clientId: "lk_1", issuedAt, metadata }, { clientSecret: "lks_s", registrationAccessToken: "lkrat_t" }),
    ).toStrictEqual({
      client_id: "lk_1",
      client_secret: "lks_s",
      client_id_issued_at: Math.floor(issuedAt.getTime() / 1000),
      client_secret_expires_at: 0,
      registration_access_token: "lkrat_t",
      registration_client_uri: "https://id.example.com/oauth/register/lk_1",
      client_name: "App",
      client_uri: "https://app.example.com",
      redirect_uris: [CB],
      post_logout_redirect_uris: [],
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      scope: "openid profile email offline_access",
      require_pkce: true,
      id_token_signed_response_alg: "ES256",
    });
  });

  it("a read of a public client: no secret, no secret expiry, no token", () => {
    const metadata = clientMetadataSchema.parse({ client_name: "SPA", redirect_uris: [CB], token_endpoint_auth_method: "none" });
    const info = clientInformation(ISSUER, { clientId: "lk_2", issuedAt, metadata });
    expect(Object.keys(info)).not.toContain("client_secret");
    expect(Object.keys(info)).not.toContain("client_secret_expires_at");
    expect(Object.keys(info)).not.toContain("registration_access_token");
    expect(info.registration_client_uri).toBe(registrationClientUri(ISSUER, "lk_2"));
  });

  it("response_types is empty without the code grant", () => {
    const metadata = clientMetadataSchema.parse({ client_name: "Svc", grant_types: ["client_credentials"] });
    expect(clientInformation(ISSUER, { clientId: "lk_3", issuedAt, metadata }).response_types).toEqual([]);
  });

  it("response_types follows the grant types: code for authorization_code, id_token for implicit", () => {
    const metadata = clientMetadataSchema.parse({ client_name: "App", redirect_uris: [CB], grant_types: ["authorization_code", "implicit"] });
    expect(clientInformation(ISSUER, { clientId: "lk_4", issuedAt, metadata }).response_types).toEqual(["code", "id_token"]);
  });
});

describe("bearerCredential and clientIdFromPath", () => {
  it("reads a Bearer header; none is null; another scheme or a malformed one is empty", () => {
    expect(bearerCredential("Bearer abc.DEF-_~+/=")).toBe("abc.DEF-_~+/=");
    expect(bearerCredential("bearer  abc")).toBe("abc");
    expect(bearerCredential(null)).toBeNull();
    expect(bearerCredential("Basic YTpi")).toBe("");
    expect(bearerCredential("Bearer a b")).toBe("");
    expect(bearerCredential("Bearer")).toBe("");
  });

  it("takes the client_id from /oauth/register/<client_id> only", () => {
    expect(clientIdFromPath("/oauth/register/lk_abc")).toBe("lk_abc");
    expect(clientIdFromPath("/oauth/register/a%20b")).toBe("a b");
    expect(clientIdFromPath("/oauth/register/")).toBeNull();
    expect(clientIdFromPath("/oauth/register")).toBeNull();
    expect(clientIdFromPath("/oauth/register/a/b")).toBeNull();
    expect(clientIdFromPath("/oauth/register/%E0")).toBeNull();
  });
});
