// What bench/run.ts needs from a server under test (Latchkey on either database, oidc-provider).
import { basicAuth, describe, fetchRaw, form, jwsHeader, jwtClaims, parseTokenResponse, pkcePair, randomState, type TokenSet } from "./http";
import { authorizeQuery, codeFromRedirect, type AuthorizeEndpoint, type SignInEndpoint, type TokenEndpoint } from "./load";
import type { Memory } from "./proc";

export type TargetKey = "latchkeySqlite" | "latchkeyPostgres" | "oidcProvider";

export interface Target {
  key: TargetKey;
  label: string;
  origin: string;
  /** Facts printed with the results (storage, configuration). */
  notes: string[];
  /** Latchkey's database (bench/db-growth.ts reads the SQLite file); oidc-provider has none. */
  databaseUrl?: string;
  memory(): Memory;
  /** The process that holds the listening socket (whose threads serve the requests). */
  servingPid(): number;
  token(): TokenEndpoint;
  /** A signed-in session with consent given: authorize answers with a code at once. Called
   * right before each phase that needs one; may return the same session each time. */
  authorize(): Promise<AuthorizeEndpoint>;
  /** Password sign-in, or null where the server has no user store (oidc-provider). */
  signIn(): Promise<SignInEndpoint | null>;
  /** Error and warning lines the server printed so far. */
  complaints(): { count: number; first: string[] };
  stop(): Promise<void>;
}

/** The API both servers know (bench/oidc-provider-server.ts, `api create` for Latchkey). */
export const BENCH_RESOURCE = "urn:latchkey-bench:api";

export function tokenEndpoint(tokenPath: string, clientId: string, clientSecret: string): TokenEndpoint {
  return { tokenPath, basic: basicAuth(clientId, clientSecret), resource: BENCH_RESOURCE };
}

/** One complete hot flow outside the load (GET authorize -> code -> POST token). */
export async function fullFlow(origin: string, ep: AuthorizeEndpoint): Promise<TokenSet> {
  const { verifier, challenge } = pkcePair();
  const state = randomState();
  const auth = await fetchRaw(`${origin}${ep.authorizePath}?${authorizeQuery(ep, state, challenge)}`, { headers: { cookie: ep.cookie } });
  const { code, why } = codeFromRedirect(auth.headers.get("location") ?? undefined, ep.redirectUri, state);
  if (!code) throw new Error(`authorize did not answer with a code (${why}): ${describe(auth)}`);
  const tok = await fetchRaw(`${origin}${ep.tokenPath}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: ep.basic },
    body: form({ grant_type: "authorization_code", code, redirect_uri: ep.redirectUri, code_verifier: verifier }),
  });
  return parseTokenResponse(tok, "authorization_code token request");
}

/** `n` independent refresh tokens, each from its own flow (a few flows at a time). */
export async function refreshChains(origin: string, ep: AuthorizeEndpoint, n: number): Promise<string[]> {
  const out: string[] = [];
  const worker = async () => {
    while (out.length < n) {
      const t = await fullFlow(origin, ep);
      if (!t.refresh_token) throw new Error(`the token response had no refresh_token (scope ${t.scope ?? "?"})`);
      out.push(t.refresh_token);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return out.slice(0, n);
}

/** One client_credentials request outside the load: checks the wiring and what gets signed. */
export async function probeClientCredentials(origin: string, ep: TokenEndpoint, withResource = false): Promise<string> {
  const body = withResource ? `grant_type=client_credentials&resource=${encodeURIComponent(ep.resource)}` : "grant_type=client_credentials";
  const r = await fetchRaw(`${origin}${ep.tokenPath}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: ep.basic },
    body,
  });
  const t = parseTokenResponse(r, "client_credentials token request");
  const h = jwsHeader(t.access_token);
  if (!h) return "access token: opaque";
  const aud = jwtClaims(t.access_token)?.aud;
  // The resource scenario measures audience-bound tokens: a server that ignored `resource` would
  // be measured doing less work, so say what it put in `aud`.
  if (withResource && !(aud === ep.resource || (Array.isArray(aud) && aud.includes(ep.resource)))) {
    throw new Error(`the access token's aud is ${JSON.stringify(aud)}, not the requested resource ${ep.resource}`);
  }
  return `access token: JWT ${String(h.alg)}${h.typ ? ` typ ${String(h.typ)}` : ""}, aud ${JSON.stringify(aud)}`;
}
