// Client Identifier URLs (draft-ietf-oauth-client-id-metadata-document §3): a client_id that
// is an https URL names the document that describes the client. Latchkey never generates such
// client_ids (its own are "lk_…"), so the scheme alone tells the two kinds apart (§5.1).

/** Longest client_id worth a lookup (checks/client.ts refuses longer ones first). */
export const MAX_CLIENT_ID_URL_LENGTH = 255;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** Whether a client_id is to be resolved as a Client Identifier URL rather than looked up. */
export function isClientIdUrl(clientId: string): boolean {
  return clientId.startsWith("https://") || clientId.startsWith("http://");
}

export interface ClientIdUrlRules {
  /**
   * Development and tests only (CLIENT_METADATA_ALLOW_PRIVATE): also accept http URLs on a
   * loopback host. The draft requires https.
   */
  allowHttpLoopback: boolean;
}

/** Why `clientId` is not an acceptable Client Identifier URL (draft §3), or null. */
export function clientIdUrlProblem(clientId: string, rules: ClientIdUrlRules): string | null {
  if (clientId.length > MAX_CLIENT_ID_URL_LENGTH) return `is longer than ${MAX_CLIENT_ID_URL_LENGTH} characters`;
  if (!/^[\x21-\x7e]+$/.test(clientId) || clientId.includes("\\")) return "must be a URL in printable ASCII, without spaces or backslashes";
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return "is not a valid URL";
  }
  const http = url.protocol === "http:";
  if (url.protocol !== "https:" && !(http && rules.allowHttpLoopback && LOOPBACK_HOSTS.has(url.hostname))) {
    return "must use the https scheme (draft-ietf-oauth-client-id-metadata-document §3)";
  }
  // §3: MUST NOT contain a userinfo component; MUST NOT contain a fragment.
  if (url.username || url.password || /^https?:\/\/[^/?#]*@/.test(clientId)) return "must not contain a user name or password (§3)";
  if (clientId.includes("#")) return "must not contain a fragment (§3)";
  // §3: MUST contain a path component (the raw string, not the parser's "/" for an empty path).
  const rest = clientId.slice(url.protocol.length + 2);
  const pathStart = rest.search(/[/?]/);
  if (pathStart === -1 || rest[pathStart] !== "/") return "must contain a path, e.g. https://app.example/oauth/client.json (§3)";
  // §3: MUST NOT contain single-dot or double-dot path segments (written plainly or percent-encoded).
  const path = rest.slice(pathStart).split("?")[0]!;
  if (path.split("/").some((s) => /^(\.|%2e){1,2}$/i.test(s))) return "must not contain . or .. path segments (§3)";
  return null;
}

/**
 * Whether `host` is allowed by the admin's trusted-domain patterns (CLIENT_METADATA_TRUSTED_DOMAINS):
 * "example.com" matches that host only, "*.example.com" any host below it (not example.com
 * itself). No patterns: every host is allowed (the consent screen marks the app unverified).
 */
export function hostIsTrusted(host: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return true;
  const h = host.toLowerCase().replace(/\.$/, "");
  return patterns.some((p) => (p.startsWith("*.") ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : h === p));
}

/** The patterns of a CLIENT_METADATA_TRUSTED_DOMAINS value; throws naming the first bad one. */
export function parseTrustedDomains(value: string | undefined): string[] {
  const out: string[] = [];
  for (const raw of (value ?? "").split(",")) {
    const p = raw.trim().toLowerCase();
    if (!p) continue;
    const name = p.startsWith("*.") ? p.slice(2) : p;
    if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)) {
      throw new Error(`"${raw.trim()}" is not a host name or *.host pattern`);
    }
    out.push(p);
  }
  return out;
}
