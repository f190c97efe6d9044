// GET /.well-known/jwks.json (RFC 7517 §5): the public keys that verify our tokens, including
// retired keys that signed tokens still alive (the key ring decides which).
import { oauthDeps } from "../../runtime";
import { CORS, preflight, withPublicCors } from "../cors";
import type { PlainResponse } from "../endpoint";
import { oauthError } from "../oauth-response";
import { publicDocument } from "./discovery";
import type { OAuthDeps } from "../../oauth/types";

/** RFC 7518 §6.2.2, §6.3.2, §6.4: private (and symmetric) key members never leave the server. */
const PRIVATE_MEMBERS = new Set(["d", "p", "q", "dp", "dq", "qi", "oth", "k"]);

export function publicJwk(jwk: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_MEMBERS.has(name)));
}

export function makeJwks(deps: () => Pick<OAuthDeps, "keys">){
  // Browser-based clients and APIs read the keys cross-origin (cors.ts).
  return withPublicCors(CORS.jwks, async function jwks(): Promise<PlainResponse> {
    try {
      const { keys } = await deps().keys.jwks();
      return publicDocument({ keys: keys.map(publicJwk) });
    } catch (err) {
      return oauthError(err);
    }
  });
}

export const jwksGET = makeJwks(oauthDeps);
export const jwksOPTIONS = preflight(CORS.jwks);
