// The API step: what the API's own validator checks before it serves a request with the access
// token (RFC 9068 §4), each a pass/fail line in plain words, and the curl line that calls the
// API with it. Verified locally against the server's JWKS (the same keys an API fetches with
// createRemoteJWKSet), never over HTTP. A local check cannot see a revocation: the text says so.
import { decodeJwt, decodeProtectedHeader, type JSONWebKeySet } from "jose";
import type { Check } from "./callback";
import { verifySignature } from "./jwt";

export interface ApiStep {
  /** The API's identifier: the audience its validator expects (RFC 8707 resource). */
  identifier: string;
  checks: Check[];
  /** Only for an http(s) identifier: a URN names an API but is no address to call. */
  curl: string | null;
}

export interface ApiExpectations {
  issuer: string;
  identifier: string;
  /** The API's scopes asked for in step A (unqualified, as the API sees them). */
  scopes: string[];
  now?: Date;
}

/** Leeway for clocks that differ a little between the server and the API. */
const SKEW_SECONDS = 60;

export async function apiChecks(jwt: string, jwks: JSONWebKeySet, exp: ApiExpectations): Promise<ApiStep> {
  const checks: Check[] = [];
  const check = (ok: boolean, label: string, good: string, bad: string) => checks.push({ ok, label, detail: ok ? good : bad });
  let header: Record<string, unknown> = {};
  let claims: Record<string, unknown> = {};
  try {
    header = decodeProtectedHeader(jwt) as Record<string, unknown>;
    claims = decodeJwt(jwt) as Record<string, unknown>;
  } catch {
    checks.push({ ok: false, label: "format", detail: "is not a JWT: the API cannot validate it locally (it would have to introspect it)" });
    return { identifier: exp.identifier, checks, curl: curlLine(exp.identifier, jwt) };
  }
  const now = Math.floor((exp.now ?? new Date()).getTime() / 1000);
  // RFC 9068 §4 item 3 / RFC 7515 §5.2: the signature, with a key from the issuer's JWKS.
  const sig = await verifySignature(jwt, jwks);
  check(sig.valid, "signature", sig.valid ? `verifies with key ${sig.kid} (${sig.alg}) from the JWKS` : "", sig.valid ? "" : `does not verify: ${sig.reason}`);
  // RFC 9068 §4 item 1: typ is at+jwt (or application/at+jwt), so an ID token is never taken for one.
  const typOk = header.typ === "at+jwt" || header.typ === "application/at+jwt";
  check(typOk, "typ", "is at+jwt: an access token, not an ID token", `is ${String(header.typ ?? "missing")}, not at+jwt: the API must refuse it`);
  // Item 2: iss is exactly the issuer the API trusts.
  check(claims.iss === exp.issuer, "iss", `is ${exp.issuer}, the issuer the API trusts`, `is ${String(claims.iss ?? "missing")}, not ${exp.issuer}`);
  // Item 3: aud contains the API's own identifier; a token for another API is refused (RFC 8707).
  const aud = claims.aud;
  const audOk = aud === exp.identifier || (Array.isArray(aud) && aud.includes(exp.identifier));
  check(
    audOk,
    "aud",
    `includes ${exp.identifier}: the token was issued for this API`,
    `is ${JSON.stringify(aud ?? null)}, without ${exp.identifier}: a token for someone else, refused (send resource=${exp.identifier})`,
  );
  // Item 4: exp is in the future; iat is not (a little clock skew allowed).
  check(typeof claims.exp === "number" && claims.exp > now - SKEW_SECONDS, "exp", "is in the future: not expired", "has passed: the token expired");
  check(typeof claims.iat === "number" && claims.iat <= now + SKEW_SECONDS, "iat", "is not in the future", "is missing or in the future: the API must refuse it");
  // Then the API's own authorization: the scope claim (RFC 9068 §2.2.3) holds what it asked for.
  const granted = typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [];
  const missing = exp.scopes.filter((s) => !granted.includes(s));
  check(
    missing.length === 0,
    "scope",
    exp.scopes.length ? `holds ${exp.scopes.join(" ")}: the API may allow what these permit` : `is "${granted.join(" ")}": no scope of this API was asked for, so the API should allow nothing that needs one`,
    `lacks ${missing.join(" ")}: the API answers 403 insufficient_scope (RFC 6750 §3.1)`,
  );
  return { identifier: exp.identifier, checks, curl: curlLine(exp.identifier, jwt) };
}

/** RFC 6750 §2.1: the token in the Authorization header. */
function curlLine(identifier: string, token: string): string | null {
  if (!/^https?:\/\//i.test(identifier)) return null;
  return `curl -H 'Authorization: Bearer ${token}' '${identifier.replaceAll("'", "%27")}'`;
}
