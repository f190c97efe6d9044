// POST /oauth/token (RFC 6749 §3.2): form -> lib/oauth -> JSON, no-store.
// The hottest path of all: see docs/architecture.md.
import { CORS, preflight, withClientCors } from "../cors";
import { presentedClient } from "../cors-callers";
import type { Endpoint } from "../endpoint";
import { readForm } from "../form";
import { json, oauthError } from "../oauth-response";
import { oauthDeps, rateLimits } from "../../runtime";
import { callerAddress, type RateLimits } from "../rate-limits";
import { tokenRequest } from "../../oauth/token";
import type { OAuthDeps } from "../../oauth/types";
import { builtMetrics } from "../../ops/metrics";

export function makeToken(deps: () => OAuthDeps, limits?: () => RateLimits): Endpoint {
  const token: Endpoint = async (req) => {
    try {
      // Rate limits (rate-limits.ts): the address first; the client's, before its secret is checked.
      const rl = limits?.();
      const address = rl ? callerAddress(req) : "";
      rl?.admitAddress("token", address);
      const form = await readForm(req);
      const body = await tokenRequest(deps(), form, req.headers.get("authorization"), rl?.clientAuth("token", address));
      // latchkey_tokens_issued_total: the grant type is one tokenRequest accepted (bounded).
      builtMetrics()?.tokenIssued(form.get("grant_type") as string);
      return json(body);
    } catch (err) {
      return oauthError(err);
    }
  };
  // Browser apps (public clients) call it from their own origins: cors.ts.
  return withClientCors(CORS.token, token, presentedClient(deps));
}

export const tokenPOST = makeToken(oauthDeps, rateLimits);
export const tokenOPTIONS = preflight(CORS.token);
