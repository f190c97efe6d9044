// Check (7b): max_age (OIDC Core §3.1.2.1): the allowable elapsed time in seconds since the
// user last actively authenticated; a non-negative integer.
import { InvalidRequest } from "../errors";
import { single, type RawParams } from "./params";

export function checkMaxAge(raw: RawParams): number | null {
  const value = single(raw, "max_age");
  if (value === null) return null;
  // At most 10 digits: more than 300 years, and still an exact number.
  if (!/^\d{1,10}$/.test(value)) throw new InvalidRequest("max_age must be a non-negative integer (seconds)");
  return Number(value);
}
