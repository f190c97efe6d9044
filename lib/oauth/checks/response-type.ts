// Check (4a): response_type (RFC 6749 §4.1.1: REQUIRED). Served: "code" (the authorization code
// flow) and "id_token" (OIDC Core §3.2: login only, no access token in the front channel).
// Every type that puts an access token in the front channel (token, code token, id_token token,
// code id_token token) and the other hybrids are unsupported_response_type (RFC 9700 §2.1.2:
// no implicit grant for access tokens; RFC 6749 §4.1.2.1).
import { InvalidRequest, UnsupportedResponseType } from "../errors";
import type { ResponseType } from "../authorization-response";
import { single, type RawParams } from "./params";

export function checkResponseType(raw: RawParams): ResponseType {
  const responseType = single(raw, "response_type");
  if (responseType === null) throw new InvalidRequest("response_type is required");
  if (responseType !== "code" && responseType !== "id_token") {
    throw new UnsupportedResponseType("Only response_type=code and response_type=id_token are supported");
  }
  return responseType;
}
