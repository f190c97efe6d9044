// POST /oauth/introspect (RFC 7662 §2): form -> lib/oauth -> JSON, no-store.
import { oauthDeps, rateLimits } from "../../runtime";
import { callerAddress, type RateLimits } from "../rate-limits";
import type { Endpoint } from "../endpoint";
import { readForm } from "../form";
import { json, oauthError } from "../oauth-response";
import { introspect } from "../../oauth/introspection";
import type { OAuthDeps } from "../../oauth/types";

export function makeIntrospection(deps: () => OAuthDeps, limits?: () => RateLimits): Endpoint {
  return async function introspection(req) {
    try {
      const rl = limits?.();
      const address = rl ? callerAddress(req) : "";
      rl?.admitAddress("introspection", address);
      return json(await introspect(deps(), await readForm(req), req.headers.get("authorization"), rl?.clientAuth("introspection", address)));
    } catch (err) {
      return oauthError(err);
    }
  };
}

export const introspectionPOST = makeIntrospection(oauthDeps, rateLimits);
