// JWS Compact Serialization (RFC 7515 §7.1) signed with node:crypto, synchronously.
//
// Why not jose's SignJWT here: jose 6 signs through WebCrypto, whose every call is a promise and
// a thread-pool job, and it measured far more CPU per signature than node:crypto's sign()
// (docs/architecture.md, "Signing, hashing and the session cookie"). Tokens are
// signed on the hot paths (token endpoint, code flow), so that difference is most of a
// client_credentials grant. jose still does every verification, key generation and JWKS.
import { sign, type KeyObject } from "node:crypto";
import type { SigningAlg } from "./generate";

/** How each algorithm is computed with node:crypto (RFC 7518 §3.1). */
const NODE_SIGN: Record<SigningAlg, { digest: string; dsaEncoding?: "ieee-p1363" }> = {
  // ECDSA P-256 + SHA-256; the signature is R || S, 32 bytes each, not DER (RFC 7518 §3.4).
  ES256: { digest: "sha256", dsaEncoding: "ieee-p1363" },
  // RSASSA-PKCS1-v1_5 + SHA-256 (RFC 7518 §3.3); node's default RSA padding.
  RS256: { digest: "sha256" },
};

const b64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");

/** `header.payload.signature` over UTF-8 JSON, base64url without padding (RFC 7515 §2, §7.1). */
export function signCompact(alg: SigningAlg, key: KeyObject, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const how = NODE_SIGN[alg];
  if (!how) throw new Error(`unsupported signing algorithm ${alg}`);
  const input = `${b64url(JSON.stringify({ ...header, alg }))}.${b64url(JSON.stringify(payload))}`;
  const signature = sign(how.digest, Buffer.from(input, "ascii"), how.dsaEncoding ? { key, dsaEncoding: how.dsaEncoding } : key);
  return `${input}.${signature.toString("base64url")}`;
}
