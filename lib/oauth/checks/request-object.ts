// Check (4b): request objects. We do not support passing the request as a JWT, by value or by
// reference (OIDC Core §6.1, §6.2); OIDC Core §6.3 names the errors to return.
import { OAuthError } from "../errors";
import { single, type RawParams } from "./params";

export function checkRequestObject(raw: RawParams): void {
  if (single(raw, "request") !== null) {
    throw new OAuthError("request_not_supported", "The request parameter is not supported");
  }
  if (single(raw, "request_uri") !== null) {
    throw new OAuthError("request_uri_not_supported", "The request_uri parameter is not supported");
  }
}
