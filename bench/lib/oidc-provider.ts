// Starts bench/oidc-provider-server.ts and signs its fixed account in once (interactions
// complete themselves), so that the session cookie + grant make authorize answer with a code.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { CookieJar, describe, fetchRaw, pkcePair, randomState } from "./http";
import { authorizeQuery, codeFromRedirect, type AuthorizeEndpoint } from "./load";
import { freePort, listenerPid, memoryOf, ROOT, startChild, stopChild, waitForHttp } from "./proc";
import { tokenEndpoint, type Target } from "./target";

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

export async function startOidcProvider(redirectUri: string, scope: string): Promise<Target> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const clientId = "bench";
  const clientSecret = randomBytes(32).toString("base64url");
  const child = startChild("oidc-provider", process.execPath, ["--import", "tsx", "bench/oidc-provider-server.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      ISSUER: origin,
      CLIENT_ID: clientId,
      CLIENT_SECRET: clientSecret,
      REDIRECT_URI: redirectUri,
    },
  });
  const target: Target = {
    key: "oidcProvider",
    label: "oidc-provider",
    origin,
    notes: [],
    memory: () => memoryOf(listenerPid(child.pid, port) ?? child.pid, child.pid),
    servingPid: () => listenerPid(child.pid, port) ?? child.pid,
    complaints: () => child.complaints(),
    token: () => tokenEndpoint(tokenPath, clientId, clientSecret),
    // Not memoized: the default adapter (an LRU of 1000 entries) evicts the session and grant
    // once enough other entries are written, so each phase signs in afresh (a few ms).
    authorize: () => signInOnce(),
    signIn: () => Promise.resolve(null),
    stop: () => stopChild(child),
  };
  let tokenPath = "/token";
  let authorizePath = "/auth";

  await waitForHttp(`${origin}/.well-known/openid-configuration`, child, 60_000);
  const disco = (await (await fetch(`${origin}/.well-known/openid-configuration`)).json()) as Discovery;
  tokenPath = new URL(disco.token_endpoint).pathname;
  authorizePath = new URL(disco.authorization_endpoint).pathname;
  const { version } = JSON.parse(readFileSync(path.join(ROOT, "node_modules/oidc-provider/package.json"), "utf8")) as { version: string };
  target.notes.push(`oidc-provider ${version}, default in-memory adapter`);

  async function signInOnce(): Promise<AuthorizeEndpoint> {
    const jar = new CookieJar();
    const { challenge } = pkcePair();
    const state = randomState();
    const ep = { authorizePath, clientId, redirectUri, scope };
    let url = `${origin}${authorizePath}?${authorizeQuery(ep, state, challenge)}`;
    for (let hop = 0; hop < 10; hop++) {
      const r = await fetchRaw(url, {}, jar);
      const location = r.headers.get("location");
      if (r.status < 300 || r.status > 399 || !location) throw new Error(`oidc-provider interactive sign-in: ${describe(r)}`);
      if (location.startsWith(redirectUri)) {
        const { code, why } = codeFromRedirect(location, redirectUri, state);
        if (!code) throw new Error(`oidc-provider interactive sign-in ended without a code: ${why}`);
        // The code of this round is not needed; the session cookie and the grant are.
        return { ...ep, ...target.token(), cookie: jar.header() };
      }
      url = new URL(location, url).toString();
    }
    throw new Error("oidc-provider interactive sign-in: too many redirects");
  }

  return target;
}
