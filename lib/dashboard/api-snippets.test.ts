import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  curlSnippet,
  expressSnippet,
  nextRouteHandlerSnippet,
  protectedResourceMetadata,
  protectedResourceMetadataJson,
  protectedResourceMetadataUrl,
  wwwAuthenticateHeader,
  type ApiSnippetInput,
} from "./api-snippets";

const conf: ApiSnippetInput = { issuer: "https://id.example.com", identifier: "https://api.example.com", scopes: ["read:items", "write:items"] };

describe("protected resource metadata (RFC 9728)", () => {
  it("§3.1: the well-known string goes between the host and the path; a terminating slash is removed", () => {
    expect(protectedResourceMetadataUrl("https://api.example.com")).toBe("https://api.example.com/.well-known/oauth-protected-resource");
    expect(protectedResourceMetadataUrl("https://api.example.com/")).toBe("https://api.example.com/.well-known/oauth-protected-resource");
    expect(protectedResourceMetadataUrl("https://api.example.com/v1")).toBe("https://api.example.com/.well-known/oauth-protected-resource/v1");
    expect(protectedResourceMetadataUrl("https://api.example.com:8443/a/b/")).toBe(
      "https://api.example.com:8443/.well-known/oauth-protected-resource/a/b/",
    );
    expect(protectedResourceMetadataUrl("https://api.example.com?x=1")).toBe("https://api.example.com/.well-known/oauth-protected-resource?x=1");
    expect(protectedResourceMetadataUrl("http://localhost:4000/api")).toBe("http://localhost:4000/.well-known/oauth-protected-resource/api");
  });

  it("§2: only an http(s) URL can be a resource with metadata", () => {
    expect(protectedResourceMetadataUrl("urn:example:items")).toBeNull();
    expect(protectedResourceMetadataUrl("not a uri")).toBeNull();
  });

  it("§2: resource, authorization_servers = [issuer], scopes_supported, bearer_methods_supported = [header]", () => {
    expect(JSON.parse(protectedResourceMetadataJson(conf))).toStrictEqual({
      resource: "https://api.example.com",
      authorization_servers: ["https://id.example.com"],
      scopes_supported: ["read:items", "write:items"],
      bearer_methods_supported: ["header"],
    });
    expect(protectedResourceMetadata({ ...conf, scopes: [] })).not.toHaveProperty("scopes_supported");
  });

  it("§5.1: the WWW-Authenticate challenge names the metadata URL", () => {
    expect(wwwAuthenticateHeader("https://api.example.com/.well-known/oauth-protected-resource")).toBe(
      'WWW-Authenticate: Bearer resource_metadata="https://api.example.com/.well-known/oauth-protected-resource"',
    );
  });
});

describe("verification snippets: the values", () => {
  for (const [name, snippet] of [
    ["Next.js", nextRouteHandlerSnippet],
    ["Express", expressSnippet],
  ] as const) {
    it(`${name}: issuer, audience = identifier, typ at+jwt, the JWKS URI, the scope check`, () => {
      const s = snippet(conf);
      expect(s).toContain(`const ISSUER = "https://id.example.com";`);
      expect(s).toContain(`const AUDIENCE = "https://api.example.com"; // this API's identifier`);
      expect(s).toContain(`createRemoteJWKSet(new URL("https://id.example.com/.well-known/jwks.json"))`);
      expect(s).toContain(`typ: "at+jwt"`);
      expect(s).toContain(`algorithms: ["ES256", "RS256"]`);
      expect(s).toContain(`const RESOURCE_METADATA = "https://api.example.com/.well-known/oauth-protected-resource";`);
      expect(s).toContain(`"read:items"`);
      expect(s).not.toMatch(/secret/i);
    });
  }

  it("an API without scopes gets a placeholder scope; one that is not an https URL has no resource_metadata", () => {
    const s = expressSnippet({ ...conf, identifier: "urn:example:items", scopes: [] });
    expect(s).toContain(`requireScope("your:scope")`);
    expect(s).not.toContain("RESOURCE_METADATA");
    expect(s).not.toContain("METADATA");
  });

  it("curl sends the token in the Authorization header (RFC 6750 §2.1)", () => {
    expect(curlSnippet("https://api.example.com/items", "eyJ.x.y")).toBe(`curl -i "https://api.example.com/items" \\\n  -H "Authorization: Bearer eyJ.x.y"`);
  });
});

// The snippets run: compiled as they are pasted, against a JWKS served over HTTP, with tokens
// shaped like Latchkey's (RFC 9068: typ at+jwt, iss, aud, sub, client_id, scope, exp).
describe("verification snippets: they verify", () => {
  const IDENTIFIER = "https://api.example.com/v1";
  const METADATA_URL = "https://api.example.com/.well-known/oauth-protected-resource/v1";
  let server: Server;
  let issuer: string;
  let dir: string;
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair("ES256");
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair("ES256")).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    server = createServer((req, res) => {
      if (req.url === "/.well-known/jwks.json") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-snippets-"));
  });

  afterAll(() => {
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the snippet (TypeScript compiled as a bundler would) where Node can import it, with jose from this repo. */
  async function load<T>(code: string, file: string): Promise<T> {
    const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const jose = pathToFileURL(path.resolve("node_modules/jose/dist/webapi/index.js")).href;
    const out = path.join(dir, file);
    writeFileSync(out, js.replace(/from "jose"/g, `from ${JSON.stringify(jose)}`));
    return (await import(/* @vite-ignore */ pathToFileURL(out).href)) as T;
  }

  async function token(claims: JWTPayload, opts: { typ?: string; key?: CryptoKey } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: issuer, aud: IDENTIFIER, sub: "user-1", client_id: "lk_c", scope: "openid read:items", iat: now, exp: now + 300, ...claims })
      .setProtectedHeader({ alg: "ES256", kid: "k1", typ: opts.typ ?? "at+jwt" })
      .sign(opts.key ?? privateKey);
  }

  const input = () => ({ issuer, identifier: IDENTIFIER, scopes: ["read:items", "write:items"] });
  const resourceMetadata = `resource_metadata="${METADATA_URL}"`;

  it("Next.js route handler: 200 for a valid token; 401/403 with the right challenge otherwise", async () => {
    const { GET } = await load<{ GET: (r: Request) => Promise<Response> }>(nextRouteHandlerSnippet(input()), "route.mjs");
    const call = (authorization?: string) =>
      GET(new Request(`${IDENTIFIER}/items`, { headers: authorization ? { authorization } : {} }));

    const ok = await call(`Bearer ${await token({})}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toStrictEqual({ hello: "user-1", client_id: "lk_c" });

    const none = await call();
    expect([none.status, none.headers.get("www-authenticate")]).toStrictEqual([401, `Bearer ${resourceMetadata}`]);

    const invalid = `Bearer ${resourceMetadata}, error="invalid_token"`;
    for (const bad of [
      await token({ aud: "https://other.example.com" }), // another API's token
      await token({ aud: issuer }), // a token for userinfo only
      await token({ iss: "https://evil.example.com" }),
      await token({ exp: Math.floor(Date.now() / 1000) - 120 }),
      await token({}, { typ: "JWT" }), // an ID token is not an access token
      await token({}, { key: otherKey }),
    ]) {
      const r = await call(`Bearer ${bad}`);
      expect([r.status, r.headers.get("www-authenticate")]).toStrictEqual([401, invalid]);
    }

    const noScope = await call(`Bearer ${await token({ scope: "write:items" })}`);
    expect([noScope.status, noScope.headers.get("www-authenticate")]).toStrictEqual([
      403,
      `Bearer ${resourceMetadata}, error="insufficient_scope", scope="read:items"`,
    ]);
  });

  it("Express middleware: next() with req.auth for a valid token; 401/403 with the right challenge otherwise", async () => {
    const { requireScope, METADATA } = await load<{
      requireScope: (scope: string) => (req: unknown, res: unknown, next: () => void) => Promise<void>;
      METADATA: unknown;
    }>(expressSnippet(input()), "auth.mjs");
    expect(METADATA).toStrictEqual(protectedResourceMetadata(input()));

    async function call(authorization?: string) {
      const req: { headers: Record<string, string>; auth?: JWTPayload } = { headers: authorization ? { authorization } : {} };
      const res = { status: 0, headers: {} as Record<string, string>, ended: false };
      const api = {
        status(n: number) {
          res.status = n;
          return api;
        },
        set(name: string, value: string) {
          res.headers[name.toLowerCase()] = value;
          return api;
        },
        end() {
          res.ended = true;
        },
      };
      let nextCalled = false;
      await requireScope("read:items")(req, api, () => {
        nextCalled = true;
      });
      return { req, res, nextCalled };
    }

    const ok = await call(`Bearer ${await token({})}`);
    expect([ok.nextCalled, ok.res.ended, ok.req.auth?.sub]).toStrictEqual([true, false, "user-1"]);

    const none = await call();
    expect([none.nextCalled, none.res.status, none.res.headers["www-authenticate"]]).toStrictEqual([false, 401, `Bearer ${resourceMetadata}`]);

    const other = await call(`Bearer ${await token({ aud: "https://other.example.com" })}`);
    expect([other.nextCalled, other.res.status, other.res.headers["www-authenticate"]]).toStrictEqual([
      false,
      401,
      `Bearer ${resourceMetadata}, error="invalid_token"`,
    ]);

    const noScope = await call(`Bearer ${await token({ scope: "openid" })}`);
    expect([noScope.nextCalled, noScope.res.status, noScope.res.headers["www-authenticate"]]).toStrictEqual([
      false,
      403,
      `Bearer ${resourceMetadata}, error="insufficient_scope", scope="read:items"`,
    ]);
  });
});
