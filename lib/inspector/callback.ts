// Step C: what came back to the redirect URI (RFC 6749 §4.1.2), checked the way a client must.
import { safeEqual } from "../crypto/tokens";
import { explainAuthorizationError } from "./errors";

export type Check = { ok: boolean; label: string; detail: string };

export interface CallbackResult {
  code: string | null;
  error: { code: string; description: string | null; explanation: string } | null;
  checks: Check[];
  /** True when a real client would go on to step D. */
  proceed: boolean;
}

export function checkCallback(query: URLSearchParams, expected: { state: string; issuer: string }): CallbackResult {
  const code = query.get("code");
  const state = query.get("state");
  const iss = query.get("iss");
  const error = query.get("error");
  const checks: Check[] = [];

  // RFC 6749 §10.12 / RFC 9700 §4.7: the client MUST check state against what it sent.
  if (state === null) {
    checks.push({ ok: false, label: "state", detail: "Missing: the response carries no state, so it cannot be tied to the request this inspector sent. A real client must reject it." });
  } else if (!safeEqual(state, expected.state)) {
    checks.push({
      ok: false,
      label: "state",
      detail: "Does not match the state sent in step A. This is the sign of a forged redirect (CSRF) or of an answer to another, older request: a real client must reject it.",
    });
  } else {
    checks.push({ ok: true, label: "state", detail: "Matches the state sent in step A." });
  }

  // RFC 9207 §2.4: a client that expects iss MUST compare it with the issuer it talked to.
  if (iss === null) {
    checks.push({ ok: false, label: "iss", detail: "Missing: this server always sends iss (RFC 9207), so a response without it did not come from it." });
  } else if (iss !== expected.issuer) {
    checks.push({ ok: false, label: "iss", detail: `Is ${iss}, not ${expected.issuer}: the response names another server (a mix-up attack, RFC 9207). A real client must reject it.` });
  } else {
    checks.push({ ok: true, label: "iss", detail: `Is ${expected.issuer}, the server the request went to (RFC 9207).` });
  }

  const err = error
    ? { code: error, description: query.get("error_description"), explanation: explainAuthorizationError(error, query.get("error_description")) }
    : null;
  if (!err && !code) checks.push({ ok: false, label: "code", detail: "Missing: the response has neither a code nor an error." });
  return { code: err ? null : code, error: err, checks, proceed: !err && code !== null && checks.every((c) => c.ok) };
}
