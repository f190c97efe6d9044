// Discovery advertises exactly what is implemented (RFC 8414 §2, OIDC Discovery §3).
import { describe, expect, it } from "vitest";
import { metadata } from "./discovery";
import { KNOWN_SCOPES } from "./scopes";

const ISSUER = "https://id.example.com";

describe("metadata", () => {
  const m = metadata(ISSUER);

  it("names the issuer and every endpoint, and no other", () => {
    const endpoints = Object.fromEntries(Object.entries(m).filter(([k]) => k.endsWith("_endpoint") || k === "jwks_uri"));
    expect(endpoints).toEqual({
      authorization_endpoint: `${ISSUER}/oauth/authorize`,
      token_endpoint: `${ISSUER}/oauth/token`,
      userinfo_endpoint: `${ISSUER}/oauth/userinfo`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      revocation_endpoint: `${ISSUER}/oauth/revoke`,
      introspection_endpoint: `${ISSUER}/oauth/introspect`,
      end_session_endpoint: `${ISSUER}/oauth/logout`,
      registration_endpoint: `${ISSUER}/oauth/register`,
    });
    expect(m.issuer).toBe(ISSUER);
  });

  it("advertises PKCE with S256 only (RFC 7636 §4.2, RFC 9700 §2.1.1; the MCP authorization spec checks it)", () => {
    expect(m.code_challenge_methods_supported).toEqual(["S256"]);
  });

  it("advertises client ID metadata documents only when they are enabled", () => {
    expect(m).not.toHaveProperty("client_id_metadata_document_supported");
    expect(metadata(ISSUER, { clientIdMetadataDocuments: true }).client_id_metadata_document_supported).toBe(true);
  });

  it("offers the code flow and the login-only id_token: no token, hybrid or password grant", () => {
    expect(m.response_types_supported).toEqual(["code", "id_token"]);
    expect(m.response_modes_supported).toEqual(["query", "fragment", "form_post"]);
    expect(m.grant_types_supported).toEqual(["authorization_code", "refresh_token", "client_credentials", "implicit"]);
    expect(m.grant_types_supported).not.toContain("password");
    expect(m.code_challenge_methods_supported).toEqual(["S256"]);
  });

  it("lists the methods and values it supports", () => {
    expect(m).toMatchObject({
      scopes_supported: KNOWN_SCOPES,
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["ES256", "RS256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
      revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
      introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      acr_values_supported: ["urn:latchkey:acr:single-factor", "http://schemas.openid.net/pape/policies/2007/06/multi-factor", "phr"],
      prompt_values_supported: ["none", "login", "consent"],
      authorization_response_iss_parameter_supported: true,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      claims_parameter_supported: false,
    });
    expect(m.scopes_supported).toEqual(["openid", "profile", "email", "offline_access"]);
    expect(m.claims_supported).toEqual([
      "iss",
      "sub",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "amr",
      "nonce",
      "azp",
      "at_hash",
      "sid",
      "name",
      "updated_at",
      "email",
      "email_verified",
    ]);
  });

  it("does not advertise what is not implemented", () => {
    for (const key of [
      "check_session_iframe",
      "frontchannel_logout_supported",
      "backchannel_logout_supported",
      "token_endpoint_auth_signing_alg_values_supported",
      "introspection_signing_alg_values_supported",
      "revocation_signing_alg_values_supported",
      "userinfo_signing_alg_values_supported",
      "request_object_signing_alg_values_supported",
    ]) {
      expect(m).not.toHaveProperty(key);
    }
  });
});
