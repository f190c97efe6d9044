// POST /oauth/revoke (RFC 7009 §2): form -> lib/oauth -> 200 with an empty body, no-store.
import { oauthDeps } from "../deps";
import { readForm } from "../form";
import { NO_STORE, oauthError } from "../oauth-response";
import { revoke } from "../../oauth/revocation";
import type { OAuthDeps } from "../../oauth/types";

export function makeRevocation(deps: () => OAuthDeps) {
  return async function revocation(req: Request): Promise<Response> {
    try {
      await revoke(deps(), await readForm(req), req.headers.get("authorization"));
      return new Response(null, { status: 200, headers: NO_STORE });
    } catch (err) {
      return oauthError(err);
    }
  };
}

export const revocationPOST = makeRevocation(oauthDeps);
