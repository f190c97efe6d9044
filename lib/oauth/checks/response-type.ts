// Check (4a): response_type (RFC 6749 §4.1.1: REQUIRED, "code"). This server implements only
// the authorization code flow (RFC 9700 §2.1.2: no implicit grant), so anything else is
// unsupported_response_type (§4.1.2.1).
import { InvalidRequest, UnsupportedResponseType } from "../errors";
import { single, type RawParams } from "./params";

export function checkResponseType(raw: RawParams): void {
  const responseType = single(raw, "response_type");
  if (responseType === null) throw new InvalidRequest("response_type is required");
  if (responseType !== "code") throw new UnsupportedResponseType("Only response_type=code is supported");
}
