// Check (7d): acr_values (OIDC Core §3.1.2.1): the Authentication Context Class Reference
// values the client asks for, space-separated, in order of preference. They are voluntary
// (§5.5.1.1): values this server does not know are ignored, and only the known ones are kept
// (lib/oauth/amr.ts ACR_VALUES), in the order sent. An essential acr would need the `claims`
// parameter (§5.5), which this server does not support (claims_parameter_supported: false).
// Bounded like the other free-text parameters, so that a request cannot bloat the parked row.
import { InvalidRequest } from "../errors";
import { ACR_VALUES } from "../amr";
import { hasControlChars } from "../text";
import { single, type RawParams } from "./params";
import { MAX_TEXT_PARAM_LENGTH } from "./text-params";

/** More values than any client needs (three are known); a longer list is a mistake or an attack. */
export const MAX_ACR_VALUES = 10;

export function checkAcrValues(raw: RawParams): string[] {
  const value = single(raw, "acr_values");
  if (value === null) return [];
  if (value.length > MAX_TEXT_PARAM_LENGTH) throw new InvalidRequest(`acr_values must be at most ${MAX_TEXT_PARAM_LENGTH} characters`);
  if (hasControlChars(value)) throw new InvalidRequest("acr_values must not contain control characters");
  const sent = value.split(" ").filter(Boolean);
  if (sent.length > MAX_ACR_VALUES) throw new InvalidRequest(`acr_values may name at most ${MAX_ACR_VALUES} values`);
  return [...new Set(sent.filter((v) => ACR_VALUES.includes(v)))];
}
