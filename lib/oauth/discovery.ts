// Authorization server metadata (RFC 8414 §2) = OpenID Provider metadata (OIDC Discovery 1.0
// §3). Served at both well-known paths. It advertises exactly what is implemented: a client
// that trusts this document must never be told about a grant, mode or method we refuse.
import { endpointUrl } from "./endpoints";
import { KNOWN_SCOPES } from "./scopes";
import { RESPONSE_MODES } from "./authorization-response";
import { ACR_VALUES } from "./amr";

/** Client authentication methods (RFC 6749 §2.3.1; OIDC Core §9). */
const SECRET_METHODS = ["client_secret_basic", "client_secret_post"] as const;

export interface ServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  revocation_endpoint: string;
  introspection_endpoint: string;
  end_session_endpoint: string;
  registration_endpoint: string;
  scopes_supported: string[];
  response_types_supported: string[];
  response_modes_supported: string[];
  grant_types_supported: string[];
  subject_types_supported: string[];
  id_token_signing_alg_values_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  revocation_endpoint_auth_methods_supported: string[];
  introspection_endpoint_auth_methods_supported: string[];
  code_challenge_methods_supported: string[];
  claims_supported: string[];
  acr_values_supported: string[];
  prompt_values_supported: string[];
  authorization_response_iss_parameter_supported: boolean;
  request_parameter_supported: boolean;
  request_uri_parameter_supported: boolean;
  claims_parameter_supported: boolean;
  client_id_metadata_document_supported?: boolean;
}

/** What the deployment turned on (lib/config). */
export interface MetadataOptions {
  /** CLIENT_ID_METADATA_DOCUMENTS: https client_ids are resolved (./client-documents). */
  clientIdMetadataDocuments?: boolean;
}

export function metadata(issuer: string, opts: MetadataOptions = {}): ServerMetadata {
  return {
    issuer,
    authorization_endpoint: endpointUrl(issuer, "authorization"),
    token_endpoint: endpointUrl(issuer, "token"),
    userinfo_endpoint: endpointUrl(issuer, "userinfo"),
    jwks_uri: endpointUrl(issuer, "jwks"),
    revocation_endpoint: endpointUrl(issuer, "revocation"),
    introspection_endpoint: endpointUrl(issuer, "introspection"),
    end_session_endpoint: endpointUrl(issuer, "endSession"),
    // RFC 8414 §2 / RFC 7591 §3: dynamic registration (an initial access token is required
    // unless OPEN_REGISTRATION is set).
    registration_endpoint: endpointUrl(issuer, "registration"),
    scopes_supported: [...KNOWN_SCOPES],
    // The code flow, and the login-only id_token (OIDC Core §3.2); no access token in the front
    // channel: no token, no hybrids (RFC 9700 §2.1.2).
    response_types_supported: ["code", "id_token"],
    // Multiple Response Types §2.1; Form Post Response Mode §2.
    response_modes_supported: [...RESPONSE_MODES],
    // No password grant (RFC 9700 §2.4). implicit serves response_type=id_token only.
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials", "implicit"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["ES256", "RS256"],
    token_endpoint_auth_methods_supported: [...SECRET_METHODS, "none"],
    // Public clients may revoke their own tokens (RFC 7009 §5); only confidential clients introspect.
    revocation_endpoint_auth_methods_supported: [...SECRET_METHODS, "none"],
    introspection_endpoint_auth_methods_supported: [...SECRET_METHODS],
    code_challenge_methods_supported: ["S256"],
    claims_supported: [
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
    ],
    // OIDC Discovery §3: the acr values acr_values can ask for (lib/oauth/amr.ts), weakest first.
    acr_values_supported: [...ACR_VALUES],
    prompt_values_supported: ["none", "login", "consent"],
    // RFC 9207: the authorization response carries `iss`.
    authorization_response_iss_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
    // draft-ietf-oauth-client-id-metadata-document §5: an https URL as client_id names the
    // client's metadata document (the MCP authorization spec's preferred registration).
    ...(opts.clientIdMetadataDocuments ? { client_id_metadata_document_supported: true } : {}),
  };
}

