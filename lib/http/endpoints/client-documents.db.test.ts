// Client ID Metadata Documents end to end over HTTP: the real authorization endpoint, the real
// SSRF-safe fetcher against a local document server (allowed only because the development switch
// is on, as CLIENT_METADATA_ALLOW_PRIVATE=1 does), the real stores on SQLite and PostgreSQL, then
// consent, the code and the token endpoint with the URL as client_id and no secret.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { instance, ISSUER } from "@test/http-instance";
import { CHALLENGE, locationOf } from "@test/oauth-fixtures";
import { sessionStore } from "../../db/sessions";
import { userStore } from "../../db/users";
import { documentClientStore } from "../../db/protocol/document-clients";
import { fetchJsonDocument } from "../../net/json-document";
import { clientDocumentResolver } from "../../oauth/client-documents/resolver";
import { decideConsent, loadConsent } from "../../oauth/authorize";
import type { OAuthDeps, PortalSessionInfo } from "../../oauth/types";
import { authorizeEndpoints } from "./authorize";
import { makeToken } from "./token";
import { makeRevocation } from "./revocation";
import { webHandler } from "../web-handler";
import { protocolSessionOf } from "../../auth/portal-session";

const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"; // RFC 7636 Appendix B (CHALLENGE)
const CALLBACK = "http://127.0.0.1:3334/callback";

let server: http.Server;
let origin: string;
const documents = new Map<string, { status?: number; body: unknown; headers?: Record<string, string> }>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const d = documents.get(req.url ?? "");
    if (!d) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(d.status ?? 200, { "content-type": "application/json", ...d.headers });
    res.end(JSON.stringify(d.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

/** Serves a valid document at `path` and returns its URL (the client_id). */
function serve(path: string, over: Record<string, unknown> = {}, headers?: Record<string, string>): string {
  const url = `${origin}${path}`;
  documents.set(path, { body: { client_id: url, client_name: "Notes CLI", redirect_uris: [CALLBACK], ...over }, headers });
  return url;
}

function authorizeUrl(clientId: string, over: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    client_id: clientId,
    redirect_uri: CALLBACK,
    response_type: "code",
    scope: "openid offline_access",
    state: "st",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
    ...over,
  });
  return `${ISSUER}/oauth/authorize?${q}`;
}

describe.each(PROVIDERS)("client ID metadata documents over HTTP on %s", (provider) => {
  let t: TempDatabase;
  let deps: OAuthDeps;
  let session: PortalSessionInfo | null = null;
  let fetchWait: number | null = null;

  const resolverDeps = (base: OAuthDeps, allowPrivate: boolean): OAuthDeps => ({
    ...base,
    clientDocuments: clientDocumentResolver({
      issuer: ISSUER,
      fetch: (url) => fetchJsonDocument(url, { allowPrivate }),
      clients: base.stores.clients,
      store: documentClientStore(t.db, base.stores.clients),
      trustedDomains: [],
      allowHttpLoopback: allowPrivate,
      maxEntries: 100,
      now: () => new Date(),
    }),
  });

  const endpoints = (d: () => OAuthDeps) =>
    authorizeEndpoints({ deps: d, session: async () => session, admitAnonymous: () => null, admitDocumentFetch: () => fetchWait });
  const get = (d: () => OAuthDeps, url: string) => webHandler(endpoints(d).GET)(new Request(url));

  beforeAll(async () => {
    t = await tempDatabase(provider);
    deps = resolverDeps(instance(t), true);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("a metadata-document client gets to the sign-in redirect, and its client row is saved", async () => {
    const id = serve(`/${provider}/good.json`);
    const res = await get(() => deps, authorizeUrl(id));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/signin\?callbackUrl=%2Foauth%2Fauthorize%2Fcontinue%3Frequest%3D[A-Za-z0-9_-]+$/);
    const row = await t.db.client.findUnique({ where: { clientId: id } });
    expect(row).toMatchObject({ registeredVia: "metadata_document", name: "Notes CLI", tokenEndpointAuthMethod: "none", ownerId: null, verified: false });
  });

  it("completes the code flow: consent, code, token with the URL as client_id and no secret, revocation", async () => {
    const id = serve(`/${provider}/flow.json`);
    const userId = (await userStore(t.db).create({ email: `${provider}-cimd@test.dev`, passwordHash: "x" })).id;
    const s = await sessionStore(t.db).create({ userId, maxAgeSeconds: 3600 });
    session = protocolSessionOf(s);
    try {
      const res = await get(() => deps, authorizeUrl(id));
      expect(res.status).toBe(302);
      const location = res.headers.get("location")!;
      expect(location).toMatch(/^\/consent\?request=/);
      const requestId = new URL(location, ISSUER).searchParams.get("request")!;
      // The consent screen: the document's name, its host ("from …"), unverified, runs locally.
      const consent = await loadConsent(deps, requestId, session);
      expect(consent).toMatchObject({
        ok: true,
        view: {
          client: { name: "Notes CLI", verified: false, ownerName: null },
          documentHost: new URL(origin).host,
          runsLocally: true,
          redirectHost: "127.0.0.1",
        },
      });
      const decided = await decideConsent(deps, { requestId, session, decision: "allow" });
      expect(decided.ok).toBe(true);
      const back = new URL(locationOf(decided));
      expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
      const code = back.searchParams.get("code")!;

      const token = webHandler(makeToken(() => deps));
      const form = (body: Record<string, string>) =>
        new Request(`${ISSUER}/oauth/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(body) });
      const tr = await token(form({ grant_type: "authorization_code", code, redirect_uri: CALLBACK, client_id: id, code_verifier: VERIFIER }));
      expect(tr.status).toBe(200);
      const tokens = await tr.json();
      expect(tokens).toMatchObject({ token_type: "Bearer", scope: "openid offline_access" });
      expect(tokens.refresh_token).toEqual(expect.any(String));

      const revoke = webHandler(makeRevocation(() => deps));
      const rr = await revoke(
        new Request(`${ISSUER}/oauth/revoke`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ token: tokens.refresh_token, client_id: id }),
        }),
      );
      expect(rr.status).toBe(200);
      const refreshed = await token(form({ grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: id }));
      expect(refreshed.status).toBe(400);
      expect((await refreshed.json()).error).toBe("invalid_grant");
    } finally {
      session = null;
    }
  });

  it("the token endpoint never fetches: a URL client_id not seen at authorize is 401 invalid_client", async () => {
    const id = serve(`/${provider}/token-only.json`);
    const res = await webHandler(makeToken(() => deps))(
      new Request(`${ISSUER}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "authorization_code", code: "x", redirect_uri: CALLBACK, client_id: id, code_verifier: VERIFIER }),
      }),
    );
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe("invalid_client");
    expect(await t.db.client.findUnique({ where: { clientId: id } })).toBeNull();
  });

  it("a document whose client_id differs from its URL: error page 400, never a redirect", async () => {
    const id = `${origin}/${provider}/mismatch.json`;
    documents.set(`/${provider}/mismatch.json`, { body: { client_id: "https://app.example/client.json", redirect_uris: [CALLBACK] } });
    const res = await get(() => deps, authorizeUrl(id));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    const html = await res.text();
    expect(html).toContain("Application could not be verified");
    expect(html).toContain(
      `The client ID metadata document at ${id} is not valid: its client_id &quot;https://app.example/client.json&quot; is not exactly the URL it was fetched from (§4).`,
    );
    expect(await t.db.client.findUnique({ where: { clientId: id } })).toBeNull();
  });

  it("an unreachable document (404) and a redirect: error page 400 saying why", async () => {
    const missing = await get(() => deps, authorizeUrl(`${origin}/${provider}/missing.json`));
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("could not be fetched: the server answered 404, not 200.");
    documents.set(`/${provider}/moved.json`, { status: 301, body: {}, headers: { location: "https://elsewhere.example/c.json" } });
    const moved = await get(() => deps, authorizeUrl(`${origin}/${provider}/moved.json`));
    expect(moved.status).toBe(400);
    expect(await moved.text()).toContain("the server answered 301 (a redirect to https://elsewhere.example/c.json); redirects are not followed");
  });

  it("a redirect_uri the document does not list: error page 400, never a redirect", async () => {
    const id = serve(`/${provider}/strict.json`);
    const res = await get(() => deps, authorizeUrl(id, { redirect_uri: "http://127.0.0.1:9999/elsewhere" }));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  it("PKCE is required: no code_challenge goes back to the client as invalid_request", async () => {
    const id = serve(`/${provider}/pkce.json`);
    const q = new URL(authorizeUrl(id));
    q.searchParams.delete("code_challenge");
    q.searchParams.delete("code_challenge_method");
    const res = await get(() => deps, q.href);
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get("location")!);
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get("error")).toBe("invalid_request");
  });

  it("without the development switch: loopback and private addresses are refused, and http client_ids are not documents", async () => {
    const prod = resolverDeps(instance(t), false);
    const https = await get(() => prod, authorizeUrl(`https://127.0.0.1:${new URL(origin).port}/${provider}/good.json`));
    expect(https.status).toBe(400);
    expect(await https.text()).toContain(
      "could not be fetched: the host 127.0.0.1 resolves to 127.0.0.1, a loopback address, which is not fetched (SSRF protection).",
    );
    const mapped = await get(() => prod, authorizeUrl(`https://[::ffff:10.0.0.7]/${provider}/c.json`));
    expect(mapped.status).toBe(400);
    expect(await mapped.text()).toContain("a private address, which is not fetched (SSRF protection)");
    const plain = await get(() => prod, authorizeUrl(serve(`/${provider}/good.json`)));
    expect(plain.status).toBe(400);
    expect(await plain.text()).toContain("must use the https scheme (draft-ietf-oauth-client-id-metadata-document §3).");
  });

  it("too many fetches from one address: 429 with Retry-After", async () => {
    fetchWait = 17;
    try {
      const res = await get(() => deps, authorizeUrl(serve(`/${provider}/busy.json`)));
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("17");
    } finally {
      fetchWait = null;
    }
  });
});
