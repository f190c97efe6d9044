// Ready-to-paste configuration for a registered client: openid-client v6 and a next-auth v4
// provider. The secret is never in them (it is shown once, elsewhere): they read it from the
// environment.

export interface SnippetInput {
  issuer: string;
  clientId: string;
  /** "client_secret_basic" | "client_secret_post" | "none" */
  authMethod: string;
  redirectUri: string | null;
  scopes: string[];
}

/** The OpenID Provider configuration URL (OIDC Discovery §4). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

function requestedScope(scopes: string[]): string {
  return (scopes.length ? scopes : ["openid"]).join(" ");
}

function clientAuth(method: string): string {
  if (method === "none") return "undefined, client.None()";
  if (method === "client_secret_post") return "undefined, client.ClientSecretPost(process.env.LATCHKEY_CLIENT_SECRET)";
  return "process.env.LATCHKEY_CLIENT_SECRET";
}

/** openid-client v6: discovery, an authorization URL with PKCE and state, the code exchange. */
export function openidClientSnippet(s: SnippetInput): string {
  const insecure = s.issuer.startsWith("http:");
  return `import * as client from "openid-client";

const config = await client.discovery(
  new URL(${JSON.stringify(s.issuer)}),
  ${JSON.stringify(s.clientId)},
  ${clientAuth(s.authMethod)},${insecure ? "\n  { execute: [client.allowInsecureRequests] }, // http issuer: local development only" : ""}
);

// Sign-in: keep codeVerifier and state in the user's session.
const codeVerifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const url = client.buildAuthorizationUrl(config, {
  redirect_uri: ${JSON.stringify(s.redirectUri ?? "https://your.app/callback")},
  scope: ${JSON.stringify(requestedScope(s.scopes))},
  code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
  code_challenge_method: "S256",
  state,
});

// Callback: exchange the code (checks state, iss and the ID token).
const tokens = await client.authorizationCodeGrant(config, new URL(callbackUrl), {
  pkceCodeVerifier: codeVerifier,
  expectedState: state,
});
`;
}

/** A next-auth v4 provider entry for `providers: [...]`. */
export function nextAuthSnippet(s: SnippetInput): string {
  const publicClient = s.authMethod === "none";
  const secretLine = publicClient
    ? `  client: { token_endpoint_auth_method: "none" },`
    : `  clientSecret: process.env.LATCHKEY_CLIENT_SECRET,${
        s.authMethod === "client_secret_post" ? `\n  client: { token_endpoint_auth_method: "client_secret_post" },` : ""
      }`;
  return `// Redirect URI to register: <your NEXTAUTH_URL>/api/auth/callback/latchkey
{
  id: "latchkey",
  name: "Latchkey",
  type: "oauth",
  wellKnown: ${JSON.stringify(discoveryUrl(s.issuer))},
  clientId: ${JSON.stringify(s.clientId)},
${secretLine}
  authorization: { params: { scope: ${JSON.stringify(requestedScope(s.scopes))} } },
  idToken: true,
  checks: ["pkce", "state"],
  profile(profile) {
    return { id: profile.sub, name: profile.name ?? null, email: profile.email ?? null };
  },
}
`;
}
