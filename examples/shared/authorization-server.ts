// Where the authorization server's endpoints are: its metadata (RFC 8414), fetched once at
// start-up. Nothing else is addressed by a path of our own choosing.

/** The parts of the authorization server's metadata a resource server needs. */
export interface AuthorizationServer {
  issuer: string;
  jwks_uri: string;
  introspection_endpoint?: string;
}

/**
 * Fetches `<issuer>/.well-known/oauth-authorization-server` (RFC 8414 §3.1: the well-known
 * suffix goes between the host and any path of the issuer) and checks that the document names
 * the issuer it was fetched for (RFC 8414 §3.3: otherwise it MUST NOT be used).
 */
export async function discoverAuthorizationServer(issuer: string): Promise<AuthorizationServer> {
  const url = new URL(issuer);
  url.pathname = `/.well-known/oauth-authorization-server${url.pathname === "/" ? "" : url.pathname}`;
  const response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: is ${issuer} a Latchkey issuer?`);
  const metadata = (await response.json()) as Partial<AuthorizationServer>;
  if (metadata.issuer !== issuer) {
    throw new Error(`${url} names the issuer ${JSON.stringify(metadata.issuer)}, not ${issuer} (RFC 8414 §3.3)`);
  }
  if (typeof metadata.jwks_uri !== "string") throw new Error(`${url} has no jwks_uri`);
  return { issuer, jwks_uri: metadata.jwks_uri, introspection_endpoint: metadata.introspection_endpoint };
}
