// Log lines are JSON (lib/log/logger.ts): one line is one event. JSON already escapes CR, LF and
// every other C0 control, so a request-controlled value (a callbackUrl, a client_name, an error
// message that quotes one) cannot start a new line or forge one (CWE-117). It leaves some
// characters raw that still break or reorder what a terminal or a line-based tool shows: DEL, the
// C1 controls (U+0085 is a line break to some tools), the Unicode line/paragraph separators and
// the bidirectional controls. This writes those as \u escapes too, which keeps the line valid JSON
// with the same content (they can only occur inside JSON strings).

// DEL, C1 controls, U+2028/2029, and the bidi marks/embeddings/overrides/isolates
// (U+061C, U+200E-200F, U+202A-202E, U+2066-2069).
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A JSON log line with every character that JSON leaves raw but a terminal would act on escaped. */
export function safeJsonLine(line: string): string {
  return line.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
