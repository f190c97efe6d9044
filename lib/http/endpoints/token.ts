// POST /oauth/token (RFC 6749 §3.2): form -> lib/oauth -> JSON, no-store.
// The hottest path of all: see docs/architecture.md.
import { CORS, preflight, withClientCors } from "../cors";
import { presentedClient } from "../cors-callers";
import type { Endpoint } from "../endpoint";
import { readForm } from "../form";
import { json, oauthError } from "../oauth-response";
import { oauthDeps } from "../../runtime";
import { tokenRequest } from "../../oauth/token";
import type { OAuthDeps } from "../../oauth/types";

export function makeToken(deps: () => OAuthDeps): Endpoint {
  const token: Endpoint = async (req) => {
    try {
      return json(await tokenRequest(deps(), await readForm(req), req.headers.get("authorization")));
    } catch (err) {
      return oauthError(err);
    }
  };
  // Browser apps (public clients) call it from their own origins: cors.ts.
  return withClientCors(CORS.token, token, presentedClient(deps));
}

export const tokenPOST = makeToken(oauthDeps);
export const tokenOPTIONS = preflight(CORS.token);
