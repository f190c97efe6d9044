// Discovery and JWKS on the wire: status, headers, exact documents.
import { describe, expect, it, vi } from "vitest";
import { createLocalJWKSet, jwtVerify } from "jose";
import { createWorld, ISSUER } from "@test/token-world";
import { metadata } from "../../oauth/discovery";
import { makeDiscovery } from "./discovery";
import { makeJwks, publicJwk } from "./jwks";
import { webHandler } from "../web-handler";

describe("GET /.well-known/openid-configuration", () => {
  it("serves the metadata, cacheable for 5 minutes", async () => {
    const res = await webHandler(makeDiscovery(() => ({ issuer: ISSUER })))(new Request(`${ISSUER}/.well-known/openid-configuration`));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await res.json();
    expect(body).toEqual(metadata(ISSUER));
    expect(body.issuer).toBe(ISSUER);
    expect(body.grant_types_supported).toEqual(["authorization_code", "refresh_token", "client_credentials", "implicit"]);
    expect(body.response_types_supported).toEqual(["code", "id_token"]);
    expect(body.response_modes_supported).toEqual(["query", "fragment", "form_post"]);
  });

  it("says client_id_metadata_document_supported: true when client documents are resolved", async () => {
    const resolver = { resolve: async () => Promise.reject(new Error("unused")) };
    const res = await webHandler(makeDiscovery(() => ({ issuer: ISSUER, clientDocuments: resolver })))(
      new Request(`${ISSUER}/.well-known/oauth-authorization-server`),
    );
    const body = await res.json();
    expect(body.client_id_metadata_document_supported).toBe(true);
    expect(body.code_challenge_methods_supported).toEqual(["S256"]);
  });

  it("never leaks an internal error", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await webHandler(
      makeDiscovery(() => {
        throw new Error("ISSUER is not set: secret detail");
      }),
    )(new Request(`${ISSUER}/.well-known/openid-configuration`));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "server_error", error_description: "The server could not complete the request." });
    logged.mockRestore();
  });
});

describe("GET /.well-known/jwks.json", () => {
  it("serves public keys only, cacheable, and they verify our tokens", async () => {
    const w = createWorld();
    const app = w.addClient({ clientId: "app" }, "s");
    const rs = w.addClient({ clientId: "rs", signingAlg: "RS256" }, "s");
    const user = w.addUser({ id: "u1", email: "u@example.com" });
    const es256 = await w.issueAccess({ client: app, user, scope: ["openid"] });
    const rs256 = await w.issueAccess({ client: rs, user, scope: ["openid"] });

    const res = await webHandler(makeJwks(() => w.deps))(new Request(`${ISSUER}/.well-known/jwks.json`));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const jwks = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
    for (const k of jwks.keys) {
      for (const member of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(k).not.toHaveProperty(member);
      expect(k).toMatchObject({ use: "sig", kid: expect.any(String) });
    }
    const set = createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]);
    const now = w.deps.now();
    for (const t of [es256, rs256]) {
      const { payload } = await jwtVerify(t, set, { issuer: ISSUER, currentDate: now });
      expect(payload.sub).toBe("u1");
    }
  });

  it("strips private members even if a key ring handed them over", () => {
    expect(publicJwk({ kty: "EC", crv: "P-256", x: "x", y: "y", d: "secret", kid: "k" })).toEqual({ kty: "EC", crv: "P-256", x: "x", y: "y", kid: "k" });
  });
});
