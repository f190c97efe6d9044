// GET /.well-known/openid-configuration and /.well-known/oauth-authorization-server
// (OIDC Discovery 1.0 §4, RFC 8414 §3): the same metadata document at both paths.
import { oauthDeps } from "../../runtime";
import { CORS, preflight, withPublicCors } from "../cors";
import type { PlainResponse } from "../endpoint";
import { oauthError } from "../oauth-response";
import { metadata } from "../../oauth/discovery";
import type { OAuthDeps } from "../../oauth/types";

/** A public JSON document (discovery, the JWKS): identical for everyone, it changes only with the configuration. */
export function publicDocument(body: unknown): PlainResponse {
  return {
    status: 200,
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": "public, max-age=300",
    },
    body: JSON.stringify(body),
  };
}

export function makeDiscovery(deps: () => Pick<OAuthDeps, "issuer" | "clientDocuments">) {
  // Browser-based clients read discovery cross-origin; no credentials involved (cors.ts).
  return withPublicCors(CORS.discovery, async function discovery(): Promise<PlainResponse> {
    try {
      const d = deps();
      return publicDocument(metadata(d.issuer, { clientIdMetadataDocuments: d.clientDocuments !== undefined }));
    } catch (err) {
      return oauthError(err);
    }
  });
}

export const discoveryGET = makeDiscovery(oauthDeps);
export const discoveryOPTIONS = preflight(CORS.discovery);
