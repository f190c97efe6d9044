// POST /oauth/token (RFC 6749 §3.2): form -> lib/oauth -> JSON, no-store.
import { readForm } from "../form";
import { json, oauthError } from "../oauth-response";
import { oauthDeps } from "../deps";
import { tokenRequest } from "../../oauth/token";
import type { OAuthDeps } from "../../oauth/types";

export function makeToken(deps: () => OAuthDeps) {
  return async function token(req: Request): Promise<Response> {
    try {
      return json(await tokenRequest(deps(), await readForm(req), req.headers.get("authorization")));
    } catch (err) {
      return oauthError(err);
    }
  };
}

export const tokenPOST = makeToken(oauthDeps);
