// POST /oauth/token (RFC 6749 §3.2): form -> lib/oauth -> JSON, no-store.
// The hot path: the lean router calls `.lite` with the raw request (no Web Request/Response,
// ~30 µs per request measured); the app/ route file gets the same code as a Web handler.
import { readForm, type FormSource } from "../form";
import { jsonLite, oauthErrorLite, withLite, type LiteResponse } from "../oauth-response";
import { oauthDeps } from "../deps";
import { tokenRequest } from "../../oauth/token";
import type { OAuthDeps } from "../../oauth/types";

export function makeToken(deps: () => OAuthDeps) {
  async function lite(req: FormSource): Promise<LiteResponse> {
    try {
      return jsonLite(await tokenRequest(deps(), await readForm(req), req.headers.get("authorization")));
    } catch (err) {
      return oauthErrorLite(err);
    }
  }
  return withLite(lite);
}

export const tokenPOST = makeToken(oauthDeps);
