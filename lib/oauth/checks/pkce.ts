// Check (6): PKCE (RFC 7636; RFC 9700 §2.1.1).
//  - only S256: `plain` (and a challenge without a method, which means plain, RFC 7636 §4.3)
//    is refused, as RFC 9700 §2.1.1 recommends;
//  - code_challenge is 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.2);
//  - required for public clients (RFC 9700 §2.1.1: MUST) and for clients registered with
//    require_pkce;
//  - a method without a challenge is a malformed request.
import { InvalidRequest } from "../errors";
import { isPublicClient, type AuthorizationParams, type OAuthClient } from "../types";
import { single, type RawParams } from "./params";

const CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

export function checkPkce(
  raw: RawParams,
  client: OAuthClient,
): Pick<AuthorizationParams, "codeChallenge" | "codeChallengeMethod"> {
  const challenge = single(raw, "code_challenge");
  const method = single(raw, "code_challenge_method");
  if (challenge === null) {
    if (method !== null) throw new InvalidRequest("code_challenge_method was sent without a code_challenge");
    if (isPublicClient(client) || client.requirePkce) throw new InvalidRequest("code_challenge is required");
    return { codeChallenge: null, codeChallengeMethod: null };
  }
  if (method !== "S256") {
    throw new InvalidRequest(
      method === null ? "code_challenge_method is required and must be S256" : "code_challenge_method must be S256 (plain is not allowed)",
    );
  }
  if (!CHALLENGE.test(challenge)) {
    throw new InvalidRequest("code_challenge must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_' or '~'");
  }
  return { codeChallenge: challenge, codeChallengeMethod: "S256" };
}
