// node-oidc-provider 9.x configured as close to Latchkey as it allows, for bench/run.ts:
//  - one confidential client, client_secret_basic, grant types authorization_code,
//    refresh_token and client_credentials, redirect_uri from REDIRECT_URI;
//  - JWT access tokens (RFC 9068) signed ES256 via a default resource server, ID tokens ES256;
//  - refresh tokens for offline_access, rotated on every use; PKCE required (S256);
//  - its default in-memory adapter: it writes nothing to disk (Latchkey does).
// Interactions complete themselves: the first authorization request logs in a fixed account and
// grants `openid offline_access`, so afterwards the session cookie + grant give a code at once.
// Run: PORT=… ISSUER=… CLIENT_ID=… CLIENT_SECRET=… REDIRECT_URI=… node --import tsx bench/oidc-provider-server.ts
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import Provider, { type Configuration } from "oidc-provider";
import { BENCH_RESOURCE } from "./lib/target";

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
}

const port = Number(env("PORT"));
const issuer = env("ISSUER");
const redirectUri = env("REDIRECT_URI");
const ACCOUNT_ID = "bench-user";
/** The API every access token is for: makes the access tokens JWTs (see resourceIndicators). */
const RESOURCE = BENCH_RESOURCE;

const { privateKey } = await generateKeyPair("ES256", { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: "bench-es256", alg: "ES256", use: "sig" };

const configuration: Configuration = {
  clients: [
    {
      client_id: env("CLIENT_ID"),
      client_secret: env("CLIENT_SECRET"),
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["authorization_code", "refresh_token", "client_credentials"],
      response_types: ["code"],
      redirect_uris: [redirectUri],
      id_token_signed_response_alg: "ES256",
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
  pkce: { required: () => true },
  rotateRefreshToken: true,
  // oidc-provider drops offline_access from any authorization request without prompt=consent
  // (OIDC Core §11), and prompt=consent forces the consent interaction every time: no hot path.
  // So it issues a refresh token for every code of a client allowed the grant, not bound to the
  // session, which is what Latchkey does for `openid offline_access` without prompt=consent.
  issueRefreshToken: (_ctx, client) => client.grantTypeAllowed("refresh_token"),
  expiresWithSession: () => false,
  // Latchkey's defaults (README, Configuration).
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 60,
    ClientCredentials: 600,
    IdToken: 3600,
    RefreshToken: 14 * 24 * 3600,
    Grant: 90 * 24 * 3600,
    Session: 7 * 24 * 3600,
    Interaction: 3600,
  },
  clientBasedCORS: () => false,
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: "api",
        audience: RESOURCE,
        accessTokenTTL: 600,
        accessTokenFormat: "jwt",
        jwt: { sign: { alg: "ES256" } },
      }),
    },
  },
};

const provider = new Provider(issuer, configuration);
const callback = provider.callback();

/** Completes whatever the interaction asks for: login as ACCOUNT_ID, then consent. */
async function interaction(req: IncomingMessage, res: ServerResponse) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params } = details;
  if (prompt.name === "login") {
    await provider.interactionFinished(req, res, { login: { accountId: ACCOUNT_ID } }, { mergeWithLastSubmission: false });
    return;
  }
  if (prompt.name === "consent") {
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId: ACCOUNT_ID, clientId: String(params.client_id) }))
      : new provider.Grant({ accountId: details.session?.accountId ?? ACCOUNT_ID, clientId: String(params.client_id) });
    const missing = prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
    grant.addOIDCScope(["openid", "offline_access", ...(missing.missingOIDCScope ?? [])].join(" "));
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(" "));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  res.statusCode = 500;
  res.end(`unexpected prompt ${prompt.name}`);
}

createServer((req, res) => {
  if (req.url?.startsWith("/interaction/")) {
    interaction(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(err instanceof Error ? err.message : String(err));
    });
    return;
  }
  void callback(req, res);
}).listen(port, "127.0.0.1", () => console.log(`oidc-provider ${issuer} ready`));
