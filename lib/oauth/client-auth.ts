// Client authentication at the token, revocation and introspection endpoints
// (RFC 6749 §2.3.1; OIDC Core §9: client_secret_basic, client_secret_post, none).
import { InvalidClient, InvalidRequest } from "./errors";
import { isPublicClient, type OAuthClient, type OAuthStores } from "./types";
import { safeEqual, sha256 } from "../crypto/tokens";
import { hasControlChars } from "./text";

export interface ClientCredentials {
  clientId: string;
  secret: string | null;
  method: "client_secret_basic" | "client_secret_post" | "none";
}

/** Why a client authentication failed (the `client.auth_failed` audit event's reason). */
export type ClientAuthFailure = "unknown_client" | "suspended_client" | "wrong_secret" | "missing_secret" | "secret_for_public_client";

/**
 * Limits on client authentication, applied by the endpoint's layer (lib/http/rate-limits.ts,
 * which knows the caller's address): `admit` runs before the client is looked up or its secret
 * checked and throws TooManyRequests (429) when the client or the address is over a limit;
 * `failed` counts and audits a failure before the 401 goes out, and throws TooManyRequests when
 * that failure was over the limit.
 */
export interface ClientAuthGuard {
  admit(clientId: string): void;
  failed(clientId: string, reason: ClientAuthFailure): Promise<void>;
}

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64. */
function decodeBasic(header: string): { id: string; secret: string } {
  const raw = header.slice(6).trim();
  let decoded: string;
  try {
    decoded = Buffer.from(raw, "base64").toString("utf8");
  } catch {
    throw new InvalidClient("Malformed Basic credentials", true);
  }
  const i = decoded.indexOf(":");
  if (i < 0) throw new InvalidClient("Malformed Basic credentials", true);
  try {
    const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    const id = formDecode(decoded.slice(0, i));
    const secret = formDecode(decoded.slice(i + 1));
    if (hasControlChars(id) || hasControlChars(secret)) throw new Error("control characters");
    return { id, secret };
  } catch {
    throw new InvalidClient("Malformed Basic credentials", true);
  }
}

/** Which credentials the request presents. More than one method is invalid_request (§2.3). */
export function presentedCredentials(authorization: string | null, params: Map<string, string>): ClientCredentials {
  const basic = authorization && /^basic /i.test(authorization) ? decodeBasic(authorization) : null;
  const postSecret = params.get("client_secret") ?? null;
  const postId = params.get("client_id") ?? null;
  if (basic) {
    if (postSecret) throw new InvalidRequest("Use only one client authentication method");
    if (postId && postId !== basic.id) throw new InvalidRequest("client_id does not match the Basic credentials");
    return { clientId: basic.id, secret: basic.secret, method: "client_secret_basic" };
  }
  if (!postId) throw new InvalidClient("Client authentication is required");
  return { clientId: postId, secret: postSecret, method: postSecret ? "client_secret_post" : "none" };
}

function secretMatches(client: OAuthClient, secret: string, now: Date): boolean {
  const presented = sha256(secret);
  // Both comparisons always run: timing does not tell which secret matched.
  const current = client.secretHash !== null && safeEqual(presented, client.secretHash);
  const previous =
    client.previousSecretHash !== null &&
    client.previousSecretExpiresAt !== null &&
    client.previousSecretExpiresAt > now &&
    safeEqual(presented, client.previousSecretHash);
  return current || previous;
}

/**
 * RFC 6749 §5.2 invalid_client for a confidential client that proved its secret but sent it with
 * another method than the one it registered (RFC 7591 §2): saying which one is registered saves
 * the developer a guess, and tells nothing to someone without the secret.
 */
function wrongMethod(registered: string, sent: ClientCredentials["method"]): InvalidClient {
  return new InvalidClient(`This client is registered for ${registered}; it sent ${sent}`, sent === "client_secret_basic");
}

/**
 * The authenticated client, or InvalidClient (401). Every failure has the same words (an unknown
 * client and a wrong secret cannot be told apart), except the right secret sent with the wrong
 * method, which names the registered one.
 */
export async function authenticateClient(
  stores: Pick<OAuthStores, "clients">,
  authorization: string | null,
  params: Map<string, string>,
  now: Date,
  guard?: ClientAuthGuard,
): Promise<OAuthClient> {
  const creds = presentedCredentials(authorization, params);
  const basic = creds.method === "client_secret_basic";
  // Before the lookup and the secret: a client or address over its limit learns nothing more.
  guard?.admit(creds.clientId);
  const client = await stores.clients.findByClientId(creds.clientId);
  const fail = async (reason: ClientAuthFailure) => {
    await guard?.failed(creds.clientId, reason);
    return new InvalidClient("Client authentication failed", basic);
  };
  if (!client) throw await fail("unknown_client");
  if (client.suspended) throw await fail("suspended_client");
  if (isPublicClient(client)) {
    // A public client has no secret; presenting one is an error, not a free pass.
    if (creds.method !== "none") throw await fail("secret_for_public_client");
    return client;
  }
  if (creds.secret === null) throw await fail("missing_secret");
  if (!secretMatches(client, creds.secret, now)) throw await fail("wrong_secret");
  // RFC 7591 §2: the client authenticates with the method it registered. Checked after the
  // secret, so only its holder learns the registered method.
  if (creds.method !== client.tokenEndpointAuthMethod) throw wrongMethod(client.tokenEndpointAuthMethod, creds.method);
  return client;
}
