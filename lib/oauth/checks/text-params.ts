// Check (7c): the free-text parameters we carry along unchanged: state (RFC 6749 §4.1.1,
// echoed back), nonce (OIDC Core §3.1.2.1, put into the ID token) and login_hint (prefills
// the sign-in form). Each is limited in length so that a request cannot bloat our rows, the
// ID token or the redirect.
import { InvalidRequest } from "../errors";
import type { AuthorizationParams } from "../types";
import { single, type RawParams } from "./params";
import { hasControlChars } from "../text";

export const MAX_TEXT_PARAM_LENGTH = 512;

function text(raw: RawParams, name: string): string | null {
  const value = single(raw, name);
  if (value !== null && value.length > MAX_TEXT_PARAM_LENGTH) {
    throw new InvalidRequest(`${name} must be at most ${MAX_TEXT_PARAM_LENGTH} characters`);
  }
  if (value !== null && hasControlChars(value)) throw new InvalidRequest(`${name} must not contain control characters`);
  return value;
}

export function checkTextParams(raw: RawParams): Pick<AuthorizationParams, "state" | "nonce" | "loginHint"> {
  return { state: text(raw, "state"), nonce: text(raw, "nonce"), loginHint: text(raw, "login_hint") };
}
