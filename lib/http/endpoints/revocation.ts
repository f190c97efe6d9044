// POST /oauth/revoke (RFC 7009 §2): form -> lib/oauth -> 200 with an empty body, no-store.
import { oauthDeps } from "../../runtime";
import type { Endpoint } from "../endpoint";
import { readForm } from "../form";
import { NO_STORE, oauthError } from "../oauth-response";
import { revoke } from "../../oauth/revocation";
import type { OAuthDeps } from "../../oauth/types";

export function makeRevocation(deps: () => OAuthDeps): Endpoint {
  return async function revocation(req) {
    try {
      await revoke(deps(), await readForm(req), req.headers.get("authorization"));
      return { status: 200, headers: { ...NO_STORE }, body: "" };
    } catch (err) {
      return oauthError(err);
    }
  };
}

export const revocationPOST = makeRevocation(oauthDeps);
