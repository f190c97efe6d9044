// OAuth 2.0 Protected Resource Metadata (RFC 9728): the document that tells a client which
// authorization server issues tokens for this resource and which scopes it knows.
import type { ServerResponse } from "node:http";

export interface ResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: string[];
  bearer_methods_supported: string[];
  resource_name?: string;
}

/**
 * RFC 9728 §3.1: the well-known suffix goes between the host and the path of the resource
 * identifier: `https://api.example.com/mcp` -> `https://api.example.com/.well-known/oauth-protected-resource/mcp`.
 */
export function resourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.origin}/.well-known/oauth-protected-resource${path}${url.search}`;
}

/** The path the document is served at on this server. */
export const resourceMetadataPath = (resource: string) => new URL(resourceMetadataUrl(resource)).pathname;

export function resourceMetadata(o: { resource: string; issuer: string; scopes: string[]; name?: string }): ResourceMetadata {
  return {
    // RFC 9728 §3.3: exactly the identifier the document was fetched for (and the tokens' aud).
    resource: o.resource,
    authorization_servers: [o.issuer],
    scopes_supported: o.scopes,
    // RFC 6750 §2.1 only: no tokens in URLs or bodies.
    bearer_methods_supported: ["header"],
    ...(o.name ? { resource_name: o.name } : {}),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}
