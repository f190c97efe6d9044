// POST /oauth/revoke (RFC 7009 §2): form -> lib/oauth -> 200 with an empty body, no-store.
import { oauthDeps, rateLimits } from "../../runtime";
import { callerAddress, type RateLimits } from "../rate-limits";
import { CORS, preflight, withClientCors } from "../cors";
import { presentedClient } from "../cors-callers";
import type { Endpoint } from "../endpoint";
import { readForm } from "../form";
import { NO_STORE, oauthError } from "../oauth-response";
import { revoke } from "../../oauth/revocation";
import type { OAuthDeps } from "../../oauth/types";

export function makeRevocation(deps: () => OAuthDeps, limits?: () => RateLimits): Endpoint {
  const revocation: Endpoint = async (req) => {
    try {
      const rl = limits?.();
      const address = rl ? callerAddress(req) : "";
      rl?.admitAddress("revocation", address);
      await revoke(deps(), await readForm(req), req.headers.get("authorization"), rl?.clientAuth("revocation", address));
      return { status: 200, headers: { ...NO_STORE }, body: "" };
    } catch (err) {
      return oauthError(err);
    }
  };
  // A browser app signing out revokes its own tokens: cors.ts.
  return withClientCors(CORS.revocation, revocation, presentedClient(deps));
}

export const revocationPOST = makeRevocation(oauthDeps, rateLimits);
export const revocationOPTIONS = preflight(CORS.revocation);
