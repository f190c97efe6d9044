// POST /oauth/introspect (RFC 7662 §2): form -> lib/oauth -> JSON, no-store.
import { oauthDeps } from "../../runtime";
import type { Endpoint } from "../endpoint";
import { readForm } from "../form";
import { json, oauthError } from "../oauth-response";
import { introspect } from "../../oauth/introspection";
import type { OAuthDeps } from "../../oauth/types";

export function makeIntrospection(deps: () => OAuthDeps): Endpoint {
  return async function introspection(req) {
    try {
      return json(await introspect(deps(), await readForm(req), req.headers.get("authorization")));
    } catch (err) {
      return oauthError(err);
    }
  };
}

export const introspectionPOST = makeIntrospection(oauthDeps);
