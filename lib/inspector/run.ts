// The calls of a run after the browser came back: the token request (D) and its response (E),
// UserInfo, refresh (with rotation shown), revocation. Each is sent to the endpoint's own Web
// handler, given by the caller (app/dashboard/inspector passes the ones the server routes to),
// and comes back as an Exchange to show: request (secret masked), response, plain-words
// explanation, decoded tokens.
import { randomUUID } from "node:crypto";
import type { JSONWebKeySet } from "jose";
import { explainTokenError, explainUserinfoError, type AuthMethod } from "./errors";
import { bearerGet, formPost, oauthErrorOf, send, shown, type ShownRequest, type ShownResponse, type WebHandler } from "./http";
import { decodeToken, type DecodedToken } from "./jwt";
import type { InspectorState } from "./state";

export interface Endpoints {
  issuer: string;
  urls: { token: string; userinfo: string; revocation: string; introspection: string };
  token: WebHandler;
  userinfo: WebHandler;
  revocation: WebHandler;
  introspection: WebHandler;
  jwks(): Promise<JSONWebKeySet>;
  codeLifetimeSeconds: number;
}

export interface InspectedClient {
  clientId: string;
  authMethod: AuthMethod;
}

export interface Exchange {
  id: string;
  title: string;
  request: ShownRequest;
  response: ShownResponse;
  ok: boolean;
  /** Why it failed, in plain words; or what a success means when that is not obvious. */
  explanation: string | null;
  tokens: DecodedToken[];
}

export interface Issued {
  accessToken?: string;
  refreshToken?: string;
}

const str = (body: unknown, key: string): string | undefined => {
  if (typeof body !== "object" || body === null || !(key in body)) return undefined;
  const v = (body as Record<string, unknown>)[key];
  return typeof v === "string" ? v : undefined;
};

async function decodedTokens(ep: Endpoints, body: unknown, client: InspectedClient, nonce: string | null): Promise<DecodedToken[]> {
  const access = str(body, "access_token");
  const id = str(body, "id_token");
  if (!access && !id) return [];
  const jwks = await ep.jwks();
  const out: DecodedToken[] = [];
  const base = { issuer: ep.issuer, clientId: client.clientId };
  if (access) {
    const d = await decodeToken("access_token", access, jwks, base);
    if (d) out.push(d);
  }
  if (id) {
    const d = await decodeToken("id_token", id, jwks, { ...base, nonce, accessToken: access });
    if (d) out.push(d);
  }
  return out;
}

function exchange(title: string, request: ShownRequest, response: ShownResponse, explanation: string | null, tokens: DecodedToken[] = []): Exchange {
  return { id: randomUUID(), title, request, response, ok: response.status === 200, explanation, tokens };
}

/** Step D -> E: RFC 6749 §4.1.3 with the PKCE verifier (RFC 7636 §4.5). */
export async function redeemCode(ep: Endpoints, run: InspectorState, client: InspectedClient, secret: string | null, code: string) {
  const req = formPost(ep.urls.token, { clientId: client.clientId, method: client.authMethod, secret }, [
    ["grant_type", "authorization_code"],
    ["code", code],
    ["redirect_uri", run.redirectUri],
    ["code_verifier", run.codeVerifier],
  ]);
  const res = await send(ep.token, req);
  const err = oauthErrorOf(res.json);
  const explanation = res.status === 200 ? null : explainTokenError("code", err?.error ?? "", err?.description ?? null, { authMethod: client.authMethod, codeLifetimeSeconds: ep.codeLifetimeSeconds });
  const tokens = res.status === 200 ? await decodedTokens(ep, res.json, client, run.nonce) : [];
  const issued: Issued = res.status === 200 ? { accessToken: str(res.json, "access_token"), refreshToken: str(res.json, "refresh_token") } : {};
  return { exchange: exchange("Token request (authorization_code)", shown(req), res, explanation, tokens), issued };
}

/** OIDC Core §5.3.1: GET the UserInfo endpoint with the access token. */
export async function callUserinfo(ep: Endpoints, accessToken: string): Promise<Exchange> {
  const req = bearerGet(ep.urls.userinfo, accessToken);
  const res = await send(ep.userinfo, req);
  const err = oauthErrorOf(res.json) ?? bearerError(res);
  const explanation = res.status === 200 ? null : explainUserinfoError(res.status, err?.error ?? null, err?.description ?? null);
  return exchange("UserInfo request", shown(req), res, explanation);
}

/** RFC 6750 §3: the error is in the WWW-Authenticate challenge when the body is empty. */
function bearerError(res: ShownResponse): { error: string; description: string | null } | null {
  const challenge = res.headers.find(([k]) => k === "www-authenticate")?.[1] ?? "";
  const error = /error="([^"]*)"/.exec(challenge)?.[1];
  if (!error) return null;
  return { error, description: /error_description="([^"]*)"/.exec(challenge)?.[1] ?? null };
}

/**
 * RFC 6749 §6 refresh; the server rotates the refresh token (RFC 9700 §4.14.2). For a
 * confidential client the old one is then introspected (RFC 7662) to show it is no longer
 * active: presenting it at the token endpoint instead would count as reuse and revoke the grant.
 */
export async function refresh(ep: Endpoints, client: InspectedClient, secret: string | null, old: string) {
  const auth = { clientId: client.clientId, method: client.authMethod, secret };
  const req = formPost(ep.urls.token, auth, [["grant_type", "refresh_token"], ["refresh_token", old]]);
  const res = await send(ep.token, req);
  const err = oauthErrorOf(res.json);
  const ok = res.status === 200;
  const issued: Issued = ok ? { accessToken: str(res.json, "access_token"), refreshToken: str(res.json, "refresh_token") } : {};
  let explanation = ok ? null : explainTokenError("refresh", err?.error ?? "", err?.description ?? null, { authMethod: client.authMethod });
  if (ok) {
    explanation = issued.refreshToken && issued.refreshToken !== old
      ? "Rotation: the response carries a new refresh token, different from the one sent. Keep the new one; the old one no longer works."
      : "The response carries no new refresh token.";
  }
  const tokens = ok ? await decodedTokens(ep, res.json, client, null) : [];
  const exchanges = [exchange("Refresh request", shown(req), res, explanation, tokens)];
  if (ok && client.authMethod !== "none") {
    const ireq = formPost(ep.urls.introspection, auth, [["token", old], ["token_type_hint", "refresh_token"]]);
    const ires = await send(ep.introspection, ireq);
    const active = typeof ires.json === "object" && ires.json !== null && "active" in ires.json ? ires.json.active : undefined;
    const note = active === false
      ? "The old refresh token is no longer active: rotation replaced it (RFC 7662 introspection)."
      : active === true
        ? "The old refresh token is still active: the server did not rotate it."
        : explainTokenError("introspect", oauthErrorOf(ires.json)?.error ?? "", oauthErrorOf(ires.json)?.description ?? null, { authMethod: client.authMethod });
    exchanges.push(exchange("Introspection of the old refresh token", shown(ireq), ires, note));
  }
  return { exchanges, issued };
}

/** RFC 7009 §2.1. The answer is 200 whether or not the token was valid (§2.2). */
export async function revoke(ep: Endpoints, client: InspectedClient, secret: string | null, token: string, hint: "access_token" | "refresh_token") {
  const req = formPost(ep.urls.revocation, { clientId: client.clientId, method: client.authMethod, secret }, [["token", token], ["token_type_hint", hint]]);
  const res = await send(ep.revocation, req);
  const err = oauthErrorOf(res.json);
  const explanation = res.status === 200
    ? hint === "refresh_token"
      ? "Revoked: the refresh token and every token of its grant no longer work (RFC 7009 §2.1). A 200 is also the answer for an unknown token (§2.2)."
      : "Revoked: the access token no longer works. A 200 is also the answer for an unknown token (RFC 7009 §2.2). Call UserInfo again to see it refused."
    : explainTokenError("revoke", err?.error ?? "", err?.description ?? null, { authMethod: client.authMethod });
  return exchange(`Revocation of the ${hint === "access_token" ? "access" : "refresh"} token`, shown(req), res, explanation);
}
