// Client authentication at the token endpoint (RFC 6749 §2.3, §2.3.1, §5.2; OIDC Core §9):
// client_secret_basic, client_secret_post, none — and the exact error each failure gets.
import { beforeEach, describe, expect, it } from "vitest";
import { authenticateClient, presentedCredentials, type ClientAuthFailure, type ClientAuthGuard } from "./client-auth";
import { InvalidClient, InvalidRequest, TooManyRequests, type OAuthError } from "./errors";
import { FakeStores } from "@test/fake-stores";
import { basicAuth, fakeClock, makeClient, params, rejectionOf, type FakeClock } from "@test/oauth-fixtures";
import type { OAuthClient } from "./types";

const SECRET = "correct-horse-battery-staple-0123456789abcdef";
const FAILED = "Client authentication failed";

let stores: FakeStores;
let clock: FakeClock;
let confidential: OAuthClient;
let publicClient: OAuthClient;

beforeEach(() => {
  stores = new FakeStores();
  clock = fakeClock();
  confidential = stores.addClient(makeClient({ secret: SECRET }));
  publicClient = stores.addClient(makeClient({ tokenEndpointAuthMethod: "none", secretHash: null }));
});

const auth = (authorization: string | null, body: Record<string, string> = {}) =>
  authenticateClient(stores, authorization, params(body), clock.now());

/** The error `p` rejects with, checked to be exactly this OAuth error. */
async function expectOAuthError(
  p: Promise<unknown>,
  cls: abstract new (...args: never[]) => OAuthError,
  wire: { error: string; status: number; description: string },
) {
  const e = await rejectionOf(p);
  expect(e).toBeInstanceOf(cls);
  const err = e as OAuthError;
  expect({ error: err.error, status: err.status, description: err.description }).toEqual(wire);
  return err;
}

const invalidClient = (description: string) => ({ error: "invalid_client", status: 401, description });

describe("client_secret_basic (RFC 6749 §2.3.1)", () => {
  it("authenticates with form-urlencoded id and secret", async () => {
    await expect(auth(basicAuth(confidential.clientId, SECRET))).resolves.toMatchObject({ id: confidential.id });
  });

  it("decodes a secret with ':' '+' '%' and a space, encoded as the RFC says", async () => {
    const secret = "a:b+c%d e/f=g&h";
    const c = stores.addClient(makeClient({ clientId: "my:client+1", secret }));
    const header = basicAuth(c.clientId, secret);
    // The encoding is the form one: ':' -> %3A, '+' -> %2B, '%' -> %25, ' ' -> '+'.
    expect(Buffer.from(header.slice(6), "base64").toString()).toBe("my%3Aclient%2B1:a%3Ab%2Bc%25d+e%2Ff%3Dg%26h");
    expect(presentedCredentials(header, params({}))).toEqual({ clientId: "my:client+1", secret, method: "client_secret_basic" });
    await expect(auth(header)).resolves.toMatchObject({ id: c.id });
  });

  it("a '+' in the encoded secret means a space, so the unencoded secret 'a+b' does not authenticate", async () => {
    const c = stores.addClient(makeClient({ secret: "a+b" }));
    const raw = `Basic ${Buffer.from(`${c.clientId}:a+b`).toString("base64")}`;
    const e = await expectOAuthError(auth(raw), InvalidClient, invalidClient(FAILED));
    expect((e as InvalidClient).usedBasicAuth).toBe(true);
  });

  it.each([
    ["no colon", `Basic ${Buffer.from("just-an-id").toString("base64")}`],
    ["empty credentials", "Basic "],
    ["not base64", "Basic !!!***"],
    ["a broken percent-escape", `Basic ${Buffer.from("id:%E0%A4%A").toString("base64")}`],
  ])("malformed Basic (%s) -> invalid_client, flagged as Basic so the response is 401 + WWW-Authenticate", async (_, header) => {
    const e = await expectOAuthError(auth(header), InvalidClient, invalidClient("Malformed Basic credentials"));
    expect((e as InvalidClient).usedBasicAuth).toBe(true);
  });

  it("Basic plus client_secret in the body -> invalid_request (one method only, §2.3)", async () => {
    await expectOAuthError(auth(basicAuth(confidential.clientId, SECRET), { client_secret: SECRET }), InvalidRequest, {
      error: "invalid_request",
      status: 400,
      description: "Use only one client authentication method",
    });
  });

  it("Basic id different from the body's client_id -> invalid_request", async () => {
    await expectOAuthError(auth(basicAuth(confidential.clientId, SECRET), { client_id: publicClient.clientId }), InvalidRequest, {
      error: "invalid_request",
      status: 400,
      description: "client_id does not match the Basic credentials",
    });
  });

  it("Basic id equal to the body's client_id is accepted", async () => {
    await expect(auth(basicAuth(confidential.clientId, SECRET), { client_id: confidential.clientId })).resolves.toMatchObject({
      id: confidential.id,
    });
  });
});

describe("failures (RFC 6749 §5.2 invalid_client, 401)", () => {
  it("no credentials at all -> invalid_client, not flagged as Basic", async () => {
    const e = await expectOAuthError(auth(null, { grant_type: "client_credentials" }), InvalidClient, invalidClient("Client authentication is required"));
    expect((e as InvalidClient).usedBasicAuth).toBe(false);
  });

  it("an unknown client and a wrong secret get the same error, word for word", async () => {
    for (const [authorization, body, basic] of [
      [basicAuth("no-such-client", SECRET), {}, true],
      [basicAuth(confidential.clientId, "wrong-secret"), {}, true],
      [null, { client_id: "no-such-client", client_secret: SECRET }, false],
      [null, { client_id: confidential.clientId, client_secret: "wrong-secret" }, false],
    ] as const) {
      const e = await expectOAuthError(auth(authorization, body), InvalidClient, invalidClient(FAILED));
      expect((e as InvalidClient).usedBasicAuth).toBe(basic);
    }
  });

  it("a suspended client with the right secret -> invalid_client", async () => {
    const c = stores.addClient(makeClient({ secret: SECRET, suspended: true }));
    await expectOAuthError(auth(basicAuth(c.clientId, SECRET)), InvalidClient, invalidClient(FAILED));
  });

  it("a suspended public client -> invalid_client", async () => {
    const c = stores.addClient(makeClient({ tokenEndpointAuthMethod: "none", suspended: true }));
    await expectOAuthError(auth(null, { client_id: c.clientId }), InvalidClient, invalidClient(FAILED));
  });

  it("a public client presenting a secret (Basic or post) -> invalid_client", async () => {
    const basic = await expectOAuthError(auth(basicAuth(publicClient.clientId, "anything")), InvalidClient, invalidClient(FAILED));
    expect((basic as InvalidClient).usedBasicAuth).toBe(true);
    const post = await expectOAuthError(
      auth(null, { client_id: publicClient.clientId, client_secret: "anything" }),
      InvalidClient,
      invalidClient(FAILED),
    );
    expect((post as InvalidClient).usedBasicAuth).toBe(false);
  });

  it("a confidential client with client_id only (no secret) -> invalid_client", async () => {
    await expectOAuthError(auth(null, { client_id: confidential.clientId }), InvalidClient, invalidClient(FAILED));
  });

  it("a confidential client with no stored secret is never authenticated", async () => {
    const c = stores.addClient(makeClient({ secretHash: null }));
    await expectOAuthError(auth(basicAuth(c.clientId, "")), InvalidClient, invalidClient(FAILED));
    await expectOAuthError(auth(null, { client_id: c.clientId, client_secret: "x" }), InvalidClient, invalidClient(FAILED));
  });
});

describe("the right secret with another method than the registered one (RFC 7591 §2, RFC 6749 §5.2)", () => {
  let post: OAuthClient;
  beforeEach(() => {
    post = stores.addClient(makeClient({ tokenEndpointAuthMethod: "client_secret_post", secret: SECRET }));
  });

  it("a client_secret_basic client sending client_secret_post: 401 invalid_client naming both, no Basic challenge", async () => {
    const e = await expectOAuthError(
      auth(null, { client_id: confidential.clientId, client_secret: SECRET }),
      InvalidClient,
      invalidClient("This client is registered for client_secret_basic; it sent client_secret_post"),
    );
    expect((e as InvalidClient).usedBasicAuth).toBe(false);
  });

  it("a client_secret_post client sending Basic: 401 invalid_client naming both, flagged as Basic (WWW-Authenticate)", async () => {
    const e = await expectOAuthError(
      auth(basicAuth(post.clientId, SECRET)),
      InvalidClient,
      invalidClient("This client is registered for client_secret_post; it sent client_secret_basic"),
    );
    expect((e as InvalidClient).usedBasicAuth).toBe(true);
  });

  it("a wrong secret with the wrong method gets the generic words: the registered method is told only to the secret's holder", async () => {
    for (const [authorization, body, basic] of [
      [null, { client_id: confidential.clientId, client_secret: "wrong-secret" }, false],
      [basicAuth(post.clientId, "wrong-secret"), {}, true],
    ] as const) {
      const e = await expectOAuthError(auth(authorization, body), InvalidClient, invalidClient(FAILED));
      expect((e as InvalidClient).usedBasicAuth).toBe(basic);
    }
  });

  it("a suspended client with the right secret and the wrong method stays generic", async () => {
    const c = stores.addClient(makeClient({ secret: SECRET, suspended: true }));
    await expectOAuthError(auth(null, { client_id: c.clientId, client_secret: SECRET }), InvalidClient, invalidClient(FAILED));
  });
});

describe("none and client_secret_post", () => {
  it("a public client authenticates with client_id only (method none)", async () => {
    expect(presentedCredentials(null, params({ client_id: publicClient.clientId }))).toEqual({
      clientId: publicClient.clientId,
      secret: null,
      method: "none",
    });
    await expect(auth(null, { client_id: publicClient.clientId })).resolves.toMatchObject({ id: publicClient.id });
  });

  it("client_secret_post works for a confidential client", async () => {
    const c = stores.addClient(makeClient({ tokenEndpointAuthMethod: "client_secret_post", secret: SECRET }));
    expect(presentedCredentials(null, params({ client_id: c.clientId, client_secret: SECRET }))).toEqual({
      clientId: c.clientId,
      secret: SECRET,
      method: "client_secret_post",
    });
    await expect(auth(null, { client_id: c.clientId, client_secret: SECRET })).resolves.toMatchObject({ id: c.id });
  });
});

describe("secret rotation: the previous secret works until previousSecretExpiresAt", () => {
  const OLD = "old-secret-0123456789abcdef0123456789abcdef";
  const NEW = "new-secret-0123456789abcdef0123456789abcdef";
  let rotated: OAuthClient;
  let expiresAt: Date;

  beforeEach(() => {
    expiresAt = new Date(clock.now().getTime() + 3600_000);
    rotated = stores.addClient(makeClient({ secret: NEW, previousSecretHash: makeClient({ secret: OLD }).secretHash, previousSecretExpiresAt: expiresAt }));
  });

  it("accepts the previous secret before it expires", async () => {
    clock.set(new Date(expiresAt.getTime() - 1));
    await expect(auth(basicAuth(rotated.clientId, OLD))).resolves.toMatchObject({ id: rotated.id });
  });

  it("refuses a method other than the registered one, even with the right secret (RFC 7591 §2)", async () => {
    await expectOAuthError(
      auth(null, { client_id: rotated.clientId, client_secret: NEW }),
      InvalidClient,
      invalidClient("This client is registered for client_secret_basic; it sent client_secret_post"),
    );
  });

  it("refuses the previous secret from its expiry on", async () => {
    clock.set(expiresAt);
    await expectOAuthError(auth(basicAuth(rotated.clientId, OLD)), InvalidClient, invalidClient(FAILED));
    clock.advance(60);
    await expectOAuthError(auth(null, { client_id: rotated.clientId, client_secret: OLD }), InvalidClient, invalidClient(FAILED));
  });

  it("the current secret keeps working after the previous one expired", async () => {
    clock.set(expiresAt);
    clock.advance(86400);
    await expect(auth(basicAuth(rotated.clientId, NEW))).resolves.toMatchObject({ id: rotated.id });
  });

  it("a previous secret without an expiry is never accepted", async () => {
    const c = stores.addClient(makeClient({ secret: NEW, previousSecretHash: makeClient({ secret: OLD }).secretHash, previousSecretExpiresAt: null }));
    await expectOAuthError(auth(basicAuth(c.clientId, OLD)), InvalidClient, invalidClient(FAILED));
  });
});

describe("the client authentication guard (rate limits: lib/http/rate-limits.ts)", () => {
  let lookups = 0;
  beforeEach(() => {
    lookups = 0;
    const find = stores.clients.findByClientId;
    stores.clients.findByClientId = (id) => {
      lookups++;
      return find(id);
    };
  });
  function guard(refuse = false) {
    const seen: string[] = [];
    return {
      seen,
      admit(clientId: string) {
        seen.push(`admit ${clientId} (lookups so far: ${lookups})`);
        if (refuse) throw new TooManyRequests("Too many failed client authentications; retry after 7 seconds", 7);
      },
      async failed(clientId: string, reason: ClientAuthFailure) {
        seen.push(`failed ${clientId} ${reason}`);
      },
    };
  }
  const guarded = (g: ClientAuthGuard, authorization: string | null, body: Record<string, string> = {}) =>
    authenticateClient(stores, authorization, params(body), clock.now(), g);

  it("admits before the client is looked up; a refusal is 429 and nothing is checked", async () => {
    const g = guard(true);
    await expectOAuthError(guarded(g, basicAuth(confidential.clientId, SECRET)), TooManyRequests, {
      error: "temporarily_unavailable",
      status: 429,
      description: "Too many failed client authentications; retry after 7 seconds",
    });
    expect(g.seen).toEqual([`admit ${confidential.clientId} (lookups so far: 0)`]);
  });

  it("reports each failure with its reason before the 401, and a success as nothing", async () => {
    const g = guard();
    await guarded(g, basicAuth(confidential.clientId, SECRET));
    await rejectionOf(guarded(g, basicAuth(confidential.clientId, "wrong")));
    await rejectionOf(guarded(g, basicAuth("nobody", "x")));
    await rejectionOf(guarded(g, null, { client_id: confidential.clientId }));
    await rejectionOf(guarded(g, basicAuth(publicClient.clientId, "x")));
    const suspended = stores.addClient(makeClient({ secret: SECRET, suspended: true }));
    await rejectionOf(guarded(g, basicAuth(suspended.clientId, SECRET)));
    expect(g.seen.filter((s) => s.startsWith("failed"))).toEqual([
      `failed ${confidential.clientId} wrong_secret`,
      "failed nobody unknown_client",
      `failed ${confidential.clientId} missing_secret`,
      `failed ${publicClient.clientId} secret_for_public_client`,
      `failed ${suspended.clientId} suspended_client`,
    ]);
  });
});
