// The example API: `GET /items`, for tokens Latchkey issued for this API with `read:items`.
//   - RFC 6750: the token comes in `Authorization: Bearer`; refusals carry a challenge.
//   - RFC 9068 §4: the token is verified locally (signature, typ, issuer, audience, expiry).
//   - RFC 9728: `/.well-known/oauth-protected-resource` says which server issues its tokens.
//   - Optionally RFC 7662: each token is also introspected, so that a revoked token is refused
//     at once instead of when it expires.
import type { RequestListener } from "node:http";
import { accessTokenVerifier } from "../shared/access-token";
import { discoverAuthorizationServer } from "../shared/authorization-server";
import { checkBearer, refuse } from "../shared/bearer";
import { resourceMetadata, resourceMetadataPath, resourceMetadataUrl, sendJson } from "../shared/resource-metadata";
import { introspection, type TokenIsActive } from "./introspection";

/** The scope `GET /items` needs. */
export const READ_ITEMS = "read:items";

export interface ItemsApiOptions {
  /** Latchkey's issuer URL. */
  issuer: string;
  /** This API's identifier in Latchkey (`cli api create --identifier`): its URL, the tokens' `aud`. */
  resource: string;
  /** The API's credentials: when given, every token is also introspected (revocation shows at once). */
  introspection?: { clientId: string; clientSecret: string };
  /** The clock; defaults to the real one. */
  now?: () => Date;
}

const ITEMS = [
  { id: 1, name: "Brass latchkey" },
  { id: 2, name: "Spare front-door key" },
];

/** Discovers Latchkey once, then returns the request listener. */
export async function itemsApi(o: ItemsApiOptions): Promise<RequestListener> {
  const server = await discoverAuthorizationServer(o.issuer);
  const verify = accessTokenVerifier({ issuer: o.issuer, audience: o.resource, jwksUri: server.jwks_uri, now: o.now });
  let isActive: TokenIsActive | undefined;
  if (o.introspection) {
    if (!server.introspection_endpoint) throw new Error(`${o.issuer} advertises no introspection_endpoint`);
    isActive = introspection({ endpoint: server.introspection_endpoint, ...o.introspection });
  }
  const metadata = resourceMetadata({ resource: o.resource, issuer: o.issuer, scopes: [READ_ITEMS], name: "Items API" });
  const metadataPath = resourceMetadataPath(o.resource);
  const check = { verify, isActive, resourceMetadata: resourceMetadataUrl(o.resource), scope: READ_ITEMS };

  return (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === metadataPath && req.method === "GET") return sendJson(res, 200, metadata);
    if (path === "/items" && req.method === "GET") {
      checkBearer(req, check).then(
        (result) => ("refusal" in result ? refuse(res, result.refusal) : sendJson(res, 200, { items: ITEMS })),
        (e: unknown) => {
          console.error("items API:", e);
          sendJson(res, 503, { error: "temporarily_unavailable", error_description: "Cannot check the token right now" });
        },
      );
      return;
    }
    sendJson(res, 404, { error: "not_found" });
  };
}
