// Check (8): what response_type=id_token (OIDC Core §3.2.2.1) asks beyond the code flow.
//  - scope MUST contain openid: the response is an ID token;
//  - nonce is REQUIRED (it binds the ID token to the browser session, §3.2.2.11);
//  - offline_access is ignored (OIDC Core §11: MUST be ignored unless the response type returns
//    a code): no refresh token can come out of this flow.
import { InvalidRequest, InvalidScope } from "../errors";
import type { AuthorizationParams } from "../types";

export function checkIdTokenRequest(params: Pick<AuthorizationParams, "scope" | "nonce">): string[] {
  if (!params.scope.includes("openid")) throw new InvalidScope("response_type=id_token needs the openid scope");
  if (params.nonce === null) throw new InvalidRequest("nonce is required for response_type=id_token");
  const scope = params.scope.filter((s) => s !== "offline_access");
  return scope;
}
