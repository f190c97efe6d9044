// Parameter text rules shared by every endpoint.

/** C0 controls and DEL: never part of a legitimate OAuth parameter, and NUL breaks PostgreSQL text. */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export const hasControlChars = (s: string) => CONTROL_CHARS.test(s);

/** A row id, client_id or similar identifier from a URL or a form: letters, digits, "-" and "_". */
export const isSafeId = (s: unknown): s is string => typeof s === "string" && /^[A-Za-z0-9_-]{1,128}$/.test(s);
