// GET /.well-known/openid-configuration and /.well-known/oauth-authorization-server
// (OIDC Discovery 1.0 §4, RFC 8414 §3): the same metadata document at both paths.
import { oauthDeps } from "../deps";
import { oauthError } from "../oauth-response";
import { metadata } from "../../oauth/discovery";
import type { OAuthDeps } from "../../oauth/types";

/** Public, identical for everyone, and it changes only with the configuration. */
export const PUBLIC_DOCUMENT_HEADERS = {
  "Cache-Control": "public, max-age=300",
  // Browser-based clients read discovery and the JWKS cross-origin; no credentials involved.
  "Access-Control-Allow-Origin": "*",
} as const;

export function makeDiscovery(deps: () => Pick<OAuthDeps, "issuer">) {
  return async function discovery(): Promise<Response> {
    try {
      return Response.json(metadata(deps().issuer), { headers: PUBLIC_DOCUMENT_HEADERS });
    } catch (err) {
      return oauthError(err);
    }
  };
}

export const discoveryGET = makeDiscovery(oauthDeps);
