// Verifying a Latchkey access token where it is used: a JWT access token (RFC 9068) checked
// locally against the authorization server's published keys. The key set is fetched once and
// cached by jose (and fetched again only when a token names a key it has not seen, at most
// every 30 s), so verifying a token makes no call to Latchkey.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";

/** What Latchkey signs with (its discovery lists the same for ID tokens). */
const ALGORITHMS = ["ES256", "RS256"];

export interface VerifiedAccessToken {
  claims: JWTPayload;
  /** The token's `scope` claim, split (RFC 9068 §2.2.3). */
  scopes: string[];
  /** The client the token was issued to (RFC 9068 §2.2). */
  clientId: string;
}

/** The token was checked and is not acceptable: an RFC 6750 `invalid_token`. */
export class InvalidToken extends Error {}

export interface AccessTokenVerifierOptions {
  issuer: string;
  /** This API's identifier: the only audience it accepts (RFC 9068 §4, RFC 8707). */
  audience: string;
  jwksUri: string;
  /** The clock; defaults to the real one. */
  now?: () => Date;
}

export type AccessTokenVerifier = (token: string) => Promise<VerifiedAccessToken>;

/**
 * RFC 9068 §4: the resource server MUST check `typ` is `at+jwt`, the issuer, that its own
 * identifier is in `aud`, the signature with the algorithms it expects (never `none`, never a
 * MAC keyed by a public key), and `exp`. Throws InvalidToken for any token that fails; other
 * errors (the key set cannot be fetched) are not the token's fault and are thrown as they are.
 */
export function accessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const jwks = createRemoteJWKSet(new URL(options.jwksUri));
  return async (token) => {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        typ: "at+jwt",
        algorithms: ALGORITHMS,
        // RFC 9068 §2.2: the claims every access token carries.
        requiredClaims: ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"],
        currentDate: options.now?.(),
      }));
    } catch (e) {
      if (e instanceof errors.JWKSTimeout || !(e instanceof errors.JOSEError)) throw e;
      throw new InvalidToken(reason(e));
    }
    if (typeof claims.client_id !== "string") throw new InvalidToken("The access token has no client_id");
    const scope = typeof claims.scope === "string" ? claims.scope : "";
    return { claims, scopes: scope.split(" ").filter(Boolean), clientId: claims.client_id };
  };
}

/** Plain words for why a token was refused (the error_description). */
function reason(e: errors.JOSEError): string {
  if (e instanceof errors.JWTExpired) return "The access token has expired";
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === "aud") return "The access token is not meant for this API (aud)";
    if (e.claim === "iss") return "The access token is from another issuer (iss)";
    if (e.claim === "typ") return "The token is not an access token (typ must be at+jwt)";
    return `The access token's ${e.claim} claim is not acceptable`;
  }
  return "The access token is not valid";
}
