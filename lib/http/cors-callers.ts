// Who is calling, for the CORS of the token, revocation and userinfo endpoints (cors.ts): the
// web origins of the client a request comes from. Asked only for requests that carry an Origin,
// after the endpoint has answered, so a malformed request is the endpoint's to refuse; here it
// just names no client.
import { decodeJwt } from "jose";
import { clientWebOrigins, type CallerOrigins } from "./cors";
import type { PlainRequest } from "./endpoint";
import { readForm } from "./form";
import { presentedCredentials } from "../oauth/client-auth";
import type { OAuthDeps } from "../oauth/types";

type Deps = () => Pick<OAuthDeps, "stores">;

async function originsOf(deps: Deps, clientId: string | null): Promise<ReadonlySet<string> | null> {
  if (!clientId) return null;
  const client = await deps().stores.clients.findByClientId(clientId);
  return client ? clientWebOrigins(client) : null;
}

/**
 * Token and revocation: the client_id the request presents, in the Basic credentials or the form
 * (RFC 6749 §2.3.1, §3.2.1). Authenticated or not: when authentication fails the response is the
 * error, which the app of that client may read and which tells nobody anything new.
 */
export function presentedClient(deps: Deps): CallerOrigins {
  return async (req) => originsOf(deps, presentedCredentials(req.headers.get("authorization"), await readForm(req)).clientId);
}

/**
 * Userinfo: the client the access token was issued to (its RFC 9068 §2.2 client_id). The claim is
 * read without verifying the signature: when the endpoint answered 200 it has verified the token;
 * when it refused the token, all a forged claim can earn is reading that refusal.
 */
export function bearerClient(deps: Deps, tokenOf: (req: PlainRequest) => Promise<string | null>): CallerOrigins {
  return async (req) => {
    const token = await tokenOf(req);
    if (token === null) return null;
    const clientId = decodeJwt(token).client_id;
    return originsOf(deps, typeof clientId === "string" ? clientId : null);
  };
}
