// Text for the server's log. A log line is one event: a request-controlled value (a callbackUrl,
// a client_name, a redirect_uri, an error message that quotes one) must not start a new line or
// forge one (CWE-117), nor reorder what a terminal shows. So CR, LF, every other C0/C1 control,
// DEL, the Unicode line/paragraph separators and the bidirectional controls are written as
// visible escapes (\n, \r, \t, \u{202e} …). Used by every console call that may carry such a value.

// C0 controls, DEL, C1 controls, U+2028/2029, and the bidi marks/embeddings/overrides/isolates
// (U+061C, U+200E-200F, U+202A-202E, U+2066-2069).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `s` with every line-breaking or display-reordering character written as a visible escape. */
export function escapeForLog(s: string): string {
  return s.replace(UNSAFE, (c) => NAMED[c] ?? `\\u{${c.codePointAt(0)!.toString(16).padStart(4, "0")}}`);
}

/** Any value as one escaped log line: an Error by its stack (or message), other objects as JSON. */
export function logText(value: unknown): string {
  if (value instanceof Error) return escapeForLog(value.stack ?? `${value.name}: ${value.message}`);
  if (typeof value === "string") return escapeForLog(value);
  if (value === undefined) return "undefined";
  try {
    return escapeForLog(JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v)) ?? String(value));
  } catch {
    return escapeForLog(String(value));
  }
}

/** console.error(`message`, value) as one line, whatever the value holds. */
export function logError(message: string, value?: unknown): void {
  console.error(value === undefined ? escapeForLog(message) : `${escapeForLog(message)} ${logText(value)}`);
}
