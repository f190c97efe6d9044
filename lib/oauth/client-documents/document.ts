// The Client ID Metadata Document itself (draft-ietf-oauth-client-id-metadata-document §4):
// JSON client metadata (RFC 7591 §2 names) served at the Client Identifier URL. Validated with the
// same rules as dynamic registration (../registration.ts), plus the draft's own:
// - its client_id MUST equal the URL it was fetched from, by simple string comparison (§4);
// - no shared secret: client_secret(_expires_at) MUST NOT appear and token_endpoint_auth_method
//   MUST NOT be a secret-based method (§4.1). Latchkey does not support private_key_jwt either, so
//   a document client is a public client (`none`, which an absent method means here) and always
//   uses PKCE (RFC 9700 §2.1.1; the authorization request must send S256).
import type { ClientMetadata } from "../client-metadata";
import { OAuthError } from "../errors";
import { parseClientMetadata } from "../registration";

/** Why a fetched document cannot describe a client; the message is for the app's developer. */
export class InvalidClientDocument extends Error {}

const SECRET_METHODS = new Set(["client_secret_basic", "client_secret_post", "client_secret_jwt"]);

/** application/json or application/<something>+json (§4), parameters ignored. */
function isJsonType(contentType: string | null): boolean {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** The client metadata the document at `clientIdUrl` gives, or InvalidClientDocument. */
export function parseClientDocument(
  clientIdUrl: string,
  response: { contentType: string | null; body: string },
  issuer: string,
  apiScopes?: ReadonlySet<string>,
): ClientMetadata {
  // Served as JSON: a text file that merely parses as JSON (an upload, a paste) is not a document.
  if (!isJsonType(response.contentType)) {
    throw new InvalidClientDocument(`it is served as ${JSON.stringify(response.contentType ?? "no Content-Type")}, not application/json`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(response.body);
  } catch {
    throw new InvalidClientDocument("it is not valid JSON");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new InvalidClientDocument("it is not a JSON object");
  const d = doc as Record<string, unknown>;
  if (d.client_id === undefined) throw new InvalidClientDocument("it has no client_id (§4: it MUST contain one, equal to its URL)");
  if (d.client_id !== clientIdUrl) {
    throw new InvalidClientDocument(
      `its client_id ${JSON.stringify(String(d.client_id).slice(0, 300))} is not exactly the URL it was fetched from (§4)`,
    );
  }
  for (const f of ["client_secret", "client_secret_expires_at"]) {
    if (f in d) throw new InvalidClientDocument(`it contains ${f}, which a client ID metadata document MUST NOT contain (§4.1)`);
  }
  const method = d.token_endpoint_auth_method ?? "none";
  if (method !== "none") {
    const m = JSON.stringify(String(method).slice(0, 60));
    if (SECRET_METHODS.has(String(method))) {
      throw new InvalidClientDocument(`token_endpoint_auth_method ${m} needs a shared secret, which a client ID metadata document cannot establish (§4.1); use "none"`);
    }
    throw new InvalidClientDocument(`token_endpoint_auth_method ${m} is not supported here: only public clients ("none") can use a client ID metadata document on this server`);
  }
  let host = clientIdUrl;
  try {
    host = new URL(clientIdUrl).host;
  } catch {}
  try {
    return parseClientMetadata(
      {
        ...d,
        token_endpoint_auth_method: "none",
        // RFC 7591 §2: client_name is optional; the document's host is what the user can check.
        client_name: d.client_name ?? host,
        // A Latchkey extension the draft does not know: a public client always uses PKCE.
        require_pkce: true,
      },
      issuer,
      apiScopes,
    );
  } catch (e) {
    if (e instanceof OAuthError) throw new InvalidClientDocument(e.description);
    throw e;
  }
}
