// GET and POST /oauth/userinfo (OIDC Core §5.3) under RFC 6750: bearer token in the
// Authorization header or (POST only) the form body; JSON claims, no-store.
import { oauthDeps } from "../../runtime";
import { CORS, preflight, withClientCors } from "../cors";
import { bearerClient } from "../cors-callers";
import type { Endpoint, PlainRequest } from "../endpoint";
import { readForm } from "../form";
import { bearerChallenge, json, NO_STORE, oauthError } from "../oauth-response";
import { OAuthError } from "../../oauth/errors";
import { bearerToken, userinfo } from "../../oauth/userinfo";
import type { OAuthDeps } from "../../oauth/types";

const isForm = (req: PlainRequest) =>
  (req.headers.get("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");

/** The access token the request presents, or null (RFC 6750 §2). */
async function presentedToken(req: PlainRequest): Promise<string | null> {
  // RFC 6750 §2.2: the form-encoded body parameter, POST only. §2.3 (query) is not supported.
  const formToken = req.method === "POST" && isForm(req) ? ((await readForm(req)).get("access_token") ?? null) : null;
  return bearerToken(req.headers.get("authorization"), formToken);
}

export function makeUserinfo(deps: () => OAuthDeps): Endpoint {
  const userinfoEndpoint: Endpoint = async (req) => {
    try {
      const token = await presentedToken(req);
      // RFC 6750 §3.1: a request without any token gets the challenge and no error code.
      if (token === null) return { status: 401, headers: { ...NO_STORE, "WWW-Authenticate": bearerChallenge() }, body: "" };
      return json(await userinfo(deps(), token));
    } catch (err) {
      const res = oauthError(err, { bearer: true });
      // RFC 6750 §3: invalid_request (400) carries the challenge too.
      if (err instanceof OAuthError && err.status === 400) res.headers["WWW-Authenticate"] = bearerChallenge(err);
      return res;
    }
  };
  // OIDC Core §5.3: the UserInfo endpoint SHOULD support CORS; for the token's client (cors.ts).
  return withClientCors(CORS.userinfo, userinfoEndpoint, bearerClient(deps, presentedToken));
}

// GET and POST alike (OIDC Core §5.3.1).
export const userinfoEndpoint = makeUserinfo(oauthDeps);
export const userinfoOPTIONS = preflight(CORS.userinfo);
