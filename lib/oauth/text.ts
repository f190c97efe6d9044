// Parameter text rules shared by every endpoint.

/** C0 controls and DEL: never part of a legitimate OAuth parameter, and NUL breaks PostgreSQL text. */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export const hasControlChars = (s: string) => CONTROL_CHARS.test(s);

/**
 * The characters of every id we hand out (row ids, client_ids, request ids): base64url's alphabet
 * (RFC 4648 §5), which UUIDs fit too. An id from a URL or a form with a character outside it is
 * not one of ours, and is never queried.
 */
export const SAFE_ID = /^[A-Za-z0-9_-]+$/;

/** An id from a URL or a form: SAFE_ID's characters, 1 to `max` of them. */
export const isSafeId = (s: unknown, max = 128): s is string => typeof s === "string" && s.length <= max && SAFE_ID.test(s);
