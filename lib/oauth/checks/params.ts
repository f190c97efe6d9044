// The raw authorization request as the checks see it: every parameter exactly as sent (query
// string or form body), repeats kept, so that a repeated parameter can be told from a single
// one (RFC 6749 §3.1) and refused at the right point of the validation order.
export type RawParams = URLSearchParams;

/** The non-empty values sent for `name` (RFC 6749 §3.1: a parameter sent without a value is omitted). */
export function values(raw: RawParams, name: string): string[] {
  return raw.getAll(name).filter((v) => v !== "");
}

/** The value of a parameter that has already been checked not to repeat, or null when omitted. */
export function single(raw: RawParams, name: string): string | null {
  return values(raw, name)[0] ?? null;
}

/**
 * A value safe to name in an error_description, or null when it is long or has characters
 * that RFC 6749 §5.2 does not allow there (%x20-21 / %x23-5B / %x5D-7E).
 */
export function nameable(value: string): string | null {
  return /^[\x21\x23-\x5B\x5D-\x7E]{1,40}$/.test(value) ? value : null;
}
