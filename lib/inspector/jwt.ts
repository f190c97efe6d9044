// Step E: a JWT from the token response, decoded (header and claims, each explained) and its
// signature verified against the server's JWKS (RFC 7515 §5.2), then the checks a client makes
// on an ID token (OIDC Core §3.1.3.7) or an access token (RFC 9068 §4).
import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, type JSONWebKeySet } from "jose";
import { atHash } from "../oauth/tokens";
import type { Check } from "./callback";
import { CLAIMS, JWT_HEADER, explain } from "./explanations";

export interface ExplainedValue {
  name: string;
  value: string;
  meaning: string;
}

export type Signature = { valid: true; kid: string; alg: string } | { valid: false; reason: string };

export interface DecodedToken {
  kind: "access_token" | "id_token";
  header: ExplainedValue[];
  claims: ExplainedValue[];
  signature: Signature;
  checks: Check[];
}

const utc = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
const TIME_CLAIMS = new Set(["exp", "iat", "nbf", "auth_time", "updated_at"]);

function show(name: string, value: unknown): string {
  if (TIME_CLAIMS.has(name) && typeof value === "number") return `${value} (${utc(value)})`;
  return typeof value === "string" ? value : JSON.stringify(value);
}

export async function verifySignature(jwt: string, jwks: JSONWebKeySet): Promise<Signature> {
  const getKey = createLocalJWKSet(jwks);
  try {
    // The algorithms this server signs with; "none" and HMAC are never accepted.
    const { protectedHeader } = await compactVerify(jwt, getKey, { algorithms: ["ES256", "RS256"] });
    return { valid: true, kid: protectedHeader.kid ?? "(none)", alg: protectedHeader.alg };
  } catch (err) {
    if (err instanceof errors.JWKSNoMatchingKey) return { valid: false, reason: "no key in the JWKS has this token's kid (was the key rotated out?)" };
    if (err instanceof errors.JWSSignatureVerificationFailed) return { valid: false, reason: "the signature does not match: the token was changed or signed by another key" };
    if (err instanceof errors.JOSEAlgNotAllowed) return { valid: false, reason: "the token's alg is not one this server signs with" };
    return { valid: false, reason: err instanceof Error ? err.message : "the token could not be verified" };
  }
}

export interface Expectations {
  issuer: string;
  clientId: string;
  /** ID tokens: the nonce sent in step A, and the access token issued alongside. */
  nonce?: string | null;
  accessToken?: string;
  now?: Date;
}

function claimChecks(kind: DecodedToken["kind"], header: Record<string, unknown>, claims: Record<string, unknown>, exp: Expectations): Check[] {
  const now = Math.floor((exp.now ?? new Date()).getTime() / 1000);
  const checks: Check[] = [];
  const check = (ok: boolean, label: string, good: string, bad: string) => checks.push({ ok, label, detail: ok ? good : bad });
  check(claims.iss === exp.issuer, "iss", `is ${exp.issuer}`, `is ${show("iss", claims.iss)}, not ${exp.issuer}`);
  check(typeof claims.exp === "number" && claims.exp > now, "exp", "is in the future: the token is still valid", "has passed: the token expired");
  if (kind === "id_token") {
    const aud = claims.aud;
    const audOk = aud === exp.clientId || (Array.isArray(aud) && aud.includes(exp.clientId));
    check(audOk, "aud", `contains the client_id ${exp.clientId}`, `does not contain the client_id ${exp.clientId}`);
    if (exp.nonce) check(claims.nonce === exp.nonce, "nonce", "matches the nonce sent in step A", "does not match the nonce sent in step A: a replayed ID token");
    if (exp.accessToken) {
      check(claims.at_hash === atHash(exp.accessToken), "at_hash", "matches the access token of this response", "does not match the access token of this response");
    }
  } else {
    // RFC 9068 §4: typ must be at+jwt, so an ID token cannot pass for an access token.
    check(header.typ === "at+jwt", "typ", "is at+jwt (RFC 9068 §2.1)", `is ${show("typ", header.typ)}, not at+jwt`);
    check(claims.client_id === exp.clientId, "client_id", `is ${exp.clientId}`, `is ${show("client_id", claims.client_id)}, not ${exp.clientId}`);
  }
  return checks;
}

/** Null when `jwt` is not a JWT at all. */
export async function decodeToken(kind: DecodedToken["kind"], jwt: string, jwks: JSONWebKeySet, exp: Expectations): Promise<DecodedToken | null> {
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(jwt) as Record<string, unknown>;
    claims = decodeJwt(jwt) as Record<string, unknown>;
  } catch {
    return null;
  }
  return {
    kind,
    header: Object.entries(header).map(([name, v]) => ({ name, value: show(name, v), meaning: explain(JWT_HEADER, name) })),
    claims: Object.entries(claims).map(([name, v]) => ({ name, value: show(name, v), meaning: explain(CLAIMS, name) })),
    signature: await verifySignature(jwt, jwks),
    checks: claimChecks(kind, header, claims, exp),
  };
}
