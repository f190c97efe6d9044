// Ready-to-paste material for an API (a protected resource) that accepts Latchkey's access
// tokens: the RFC 9728 protected resource metadata it serves, the matching WWW-Authenticate
// challenge, and token verification for a Next.js route handler and an Express API (jose, as
// RFC 9068 §4 asks: signature from the issuer's JWKS, iss, aud = this API, typ at+jwt, exp,
// then the scope). Like the client snippets (snippets.ts), no secret is ever in them.
import { SIGNING_ALGS } from "../oauth/client-metadata";
import { endpointUrl } from "../oauth/endpoints";

export interface ApiSnippetInput {
  issuer: string;
  /** The API's identifier: the tokens' audience and the metadata's `resource`. */
  identifier: string;
  scopes: string[];
}

/** The well-known suffix of protected resource metadata (RFC 9728 §3). */
const WELL_KNOWN = "/.well-known/oauth-protected-resource";

/**
 * Where the API serves its metadata (RFC 9728 §3.1): the well-known string goes between the host
 * and the path (and query) of the identifier, after removing a terminating slash; for
 * `https://api.example.com/v1` that is `https://api.example.com/.well-known/oauth-protected-resource/v1`.
 * null for an identifier that is not an http(s) URL: RFC 9728 §2 wants an https URL as `resource`
 * (http only makes sense on a developer's own machine).
 */
export function protectedResourceMetadataUrl(identifier: string): string | null {
  let u: URL;
  try {
    u = new URL(identifier);
  } catch {
    return null;
  }
  if ((u.protocol !== "https:" && u.protocol !== "http:") || u.hash || !identifier.startsWith(`${u.protocol}//`)) return null;
  // The path and query exactly as written in the identifier (URL would normalise them).
  const rest = identifier.slice(`${u.protocol}//`.length);
  const cut = rest.search(/[/?]/);
  const authority = cut === -1 ? rest : rest.slice(0, cut);
  let tail = cut === -1 ? "" : rest.slice(cut);
  if (tail === "/") tail = "";
  return `${u.protocol}//${authority}${WELL_KNOWN}${tail}`;
}

/** The protected resource metadata document (RFC 9728 §2) the API serves as JSON. */
export function protectedResourceMetadata(s: ApiSnippetInput): Record<string, unknown> {
  return {
    // RFC 9728 §3.3: identical to the identifier the metadata URL was built from.
    resource: s.identifier,
    authorization_servers: [s.issuer],
    ...(s.scopes.length ? { scopes_supported: s.scopes } : {}),
    // Tokens only in the Authorization header (RFC 6750 §2.1), never in a query or a body.
    bearer_methods_supported: ["header"],
  };
}

export function protectedResourceMetadataJson(s: ApiSnippetInput): string {
  return `${JSON.stringify(protectedResourceMetadata(s), null, 2)}\n`;
}

/** The challenge of a 401 without a token (RFC 9728 §5.1, RFC 6750 §3): where the metadata is. */
export function wwwAuthenticateHeader(metadataUrl: string): string {
  return `WWW-Authenticate: Bearer resource_metadata="${metadataUrl}"`;
}

/** The scope the snippets check: the API's first, or a placeholder when it has none. */
const exampleScope = (s: ApiSnippetInput) => s.scopes[0] ?? "your:scope";

function constants(s: ApiSnippetInput): string {
  const metadataUrl = protectedResourceMetadataUrl(s.identifier);
  return `const ISSUER = ${JSON.stringify(s.issuer)};
const AUDIENCE = ${JSON.stringify(s.identifier)}; // this API's identifier
${metadataUrl ? `const RESOURCE_METADATA = ${JSON.stringify(metadataUrl)};\n` : ""}// Latchkey's signing keys: fetched once, then cached (and fetched again for a key not seen yet).
const JWKS = createRemoteJWKSet(new URL(${JSON.stringify(endpointUrl(s.issuer, "jwks"))}));`;
}

function verifyOptions(indent: string): string {
  return `{
${indent}  issuer: ISSUER,
${indent}  audience: AUDIENCE,
${indent}  typ: "at+jwt", // RFC 9068: an access token, never an ID token
${indent}  algorithms: [${SIGNING_ALGS.map((a) => JSON.stringify(a)).join(", ")}],
${indent}}`;
}

/** The WWW-Authenticate value of a refusal (RFC 6750 §3; RFC 9728 §5.1 adds resource_metadata). */
function challengeBody(s: ApiSnippetInput): string {
  const first = protectedResourceMetadataUrl(s.identifier) ? `[\`resource_metadata="\${RESOURCE_METADATA}"\`]` : "[]";
  return `  const params = ${first};
  if (error) params.push(\`error="\${error}"\`);
  if (scope) params.push(\`scope="\${scope}"\`);
  const value = params.length ? \`Bearer \${params.join(", ")}\` : "Bearer";`;
}

/** A Next.js App Router route handler (TypeScript) that answers only for valid tokens with the scope. */
export function nextRouteHandlerSnippet(s: ApiSnippetInput): string {
  return `// app/api/items/route.ts: answers only requests with a Latchkey access token for this API.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";

${constants(s)}

/** The token's claims, when it is valid for this API and grants \`scope\`; else the refusal. */
async function authorize(request: Request, scope: string): Promise<JWTPayload | Response> {
  const match = /^Bearer (\\S+)$/i.exec(request.headers.get("authorization") ?? "");
  if (!match) return challenge(401);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(match[1], JWKS, ${verifyOptions("    ")}));
  } catch {
    return challenge(401, "invalid_token"); // bad signature, expired, another audience...
  }
  const granted = typeof payload.scope === "string" ? payload.scope.split(" ") : [];
  if (!granted.includes(scope)) return challenge(403, "insufficient_scope", scope);
  return payload;
}

function challenge(status: 401 | 403, error?: string, scope?: string): Response {
${challengeBody(s)}
  return new Response(null, { status, headers: { "WWW-Authenticate": value } });
}

export async function GET(request: Request) {
  const auth = await authorize(request, ${JSON.stringify(exampleScope(s))});
  if (auth instanceof Response) return auth;
  return Response.json({ hello: auth.sub, client_id: auth.client_id });
}
`;
}

/** Express middleware (JavaScript, ES module): `requireScope(scope)` guards a route. */
export function expressSnippet(s: ApiSnippetInput): string {
  const metadataUrl = protectedResourceMetadataUrl(s.identifier);
  const serveMetadata = metadataUrl
    ? `\n//   app.get(${JSON.stringify(new URL(metadataUrl).pathname)}, (req, res) => res.json(METADATA));`
    : "";
  return `// auth.mjs: Express middleware that lets through only Latchkey access tokens for this API.
//   import { requireScope } from "./auth.mjs";
//   app.get("/items", requireScope(${JSON.stringify(exampleScope(s))}), (req, res) => res.json({ hello: req.auth.sub }));${serveMetadata}
import { createRemoteJWKSet, jwtVerify } from "jose";

${constants(s)}
${metadataUrl ? `\n// The protected resource metadata (RFC 9728 §2), served at RESOURCE_METADATA.\nexport const METADATA = ${JSON.stringify(protectedResourceMetadata(s), null, 2)};\n` : ""}
export function requireScope(scope) {
  return async (req, res, next) => {
    const match = /^Bearer (\\S+)$/i.exec(req.headers.authorization ?? "");
    if (!match) return challenge(res, 401);
    let payload;
    try {
      ({ payload } = await jwtVerify(match[1], JWKS, ${verifyOptions("      ")}));
    } catch {
      return challenge(res, 401, "invalid_token"); // bad signature, expired, another audience...
    }
    const granted = typeof payload.scope === "string" ? payload.scope.split(" ") : [];
    if (!granted.includes(scope)) return challenge(res, 403, "insufficient_scope", scope);
    req.auth = payload;
    next();
  };
}

function challenge(res, status, error, scope) {
${challengeBody(s)}
  res.status(status).set("WWW-Authenticate", value).end();
}
`;
}

/** Calling the API with a token, for the test token's result. */
export function curlSnippet(url: string, token: string): string {
  return `curl -i ${JSON.stringify(url)} \\\n  -H "Authorization: Bearer ${token}"`;
}
