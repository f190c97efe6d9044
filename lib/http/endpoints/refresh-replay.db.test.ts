// Refresh tokens that survive a lost response (issue 18 §1), over real databases (SQLite and
// PostgreSQL) and, for the lost response itself, a real HTTP server: a retry with the
// just-rotated token gets the same successor; 20 parallel refreshes leave one chain; every other
// reuse revokes the family with exactly one refresh.reuse_detected event; a revocation that races
// refreshes leaves no live token (RFC 9700 §4.14.2).
import { connect } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { instance } from "@test/http-instance";
import { close, listen } from "@test/loopback-server";
import { clientStore } from "../../db/clients";
import { userStore } from "../../db/users";
import { randomToken, sha256 } from "../../crypto/tokens";
import { s256 } from "../../oauth/pkce";
import { clientMetadataSchema } from "../../oauth/client-metadata";
import type { OAuthDeps } from "../../oauth/types";
import { protocolRouter } from "../node-adapter";
import { makeToken } from "./token";

const REDIRECT = "https://app.test/cb";
type Creds = { id: string; client_id: string; client_secret: string };
type Tokens = { access_token: string; refresh_token: string; expires_in: number };

const basic = (c: Creds) => `Basic ${Buffer.from(`${encodeURIComponent(c.client_id)}:${encodeURIComponent(c.client_secret)}`).toString("base64")}`;

describe.each(PROVIDERS)("refresh retries and reuse on %s", (provider) => {
  let t: TempDatabase;
  let deps: OAuthDeps;
  let server: Server;
  let origin: string;
  let userId: string;
  let app: Creds;
  let other: Creds;

  beforeAll(async () => {
    t = await tempDatabase(provider);
    deps = instance(t);
    const router = protocolRouter({ "/oauth/token": { POST: makeToken(() => deps) } });
    ({ server, origin } = await listen((req, res) => void router(req, res)));
    userId = (await userStore(t.db).create({ email: "u@test.dev", passwordHash: "x" })).id;
    const meta = (name: string) => clientMetadataSchema.parse({ client_name: name, redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token"] });
    app = (await clientStore(t.db).create(meta("App"), null)) as Creds;
    other = (await clientStore(t.db).create(meta("Other"), null)) as Creds;
  });
  afterAll(async () => {
    if (server) await close(server);
    await t?.drop();
  });

  const body = (p: Record<string, string>) => new URLSearchParams(p).toString();

  function post(p: Record<string, string>, as: Creds = app): Promise<Response> {
    return fetch(`${origin}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(as) },
      body: body(p),
    });
  }
  const refresh = (token: string, as: Creds = app) => post({ grant_type: "refresh_token", refresh_token: token }, as);

  /** A new family: a code redeemed for its first refresh token. */
  async function family(): Promise<{ grantId: string; first: Tokens }> {
    const code = randomToken(32);
    const verifier = randomToken(32);
    const grantId = crypto.randomUUID();
    await deps.stores.codes.create({
      id: crypto.randomUUID(),
      codeHash: sha256(code),
      grantId,
      clientId: app.id,
      userId,
      sessionId: "sess-1",
      redirectUri: REDIRECT,
      redirectUriGiven: true,
      scope: ["openid", "offline_access"],
      nonce: null,
      codeChallenge: s256(verifier),
      codeChallengeMethod: "S256",
      authTime: new Date(Date.now() - 5000),
      amr: ["pwd"],
      expiresAt: new Date(Date.now() + 60_000),
    });
    const res = await post({ grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT });
    expect(res.status).toBe(200);
    return { grantId, first: (await res.json()) as Tokens };
  }

  const rowOf = (token: string) => t.db.refreshToken.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
  const reuseEvents = () => t.db.auditEvent.count({ where: { type: "refresh.reuse_detected", subjectId: userId } });
  const liveRefresh = (grantId: string) => t.db.refreshToken.count({ where: { grantId, rotatedAt: null, revokedAt: null } });

  async function expectInvalidGrant(res: Response, description: string) {
    expect(res.status).toBe(400);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ error: "invalid_grant", error_description: description });
  }

  async function expectFamilyRevoked(grantId: string) {
    expect(await t.db.refreshToken.count({ where: { grantId, revokedAt: null } })).toBe(0);
    expect(await t.db.accessToken.count({ where: { grantId, revokedAt: null } })).toBe(0);
  }

  it("the connection dropped before the response was read: the retry gets the successor that was committed", async () => {
    const { grantId, first } = await family();
    const old = await rowOf(first.refresh_token);
    // Write the whole request, then destroy the socket without reading a byte of the answer.
    const form = body({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    const { port } = new URL(origin);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(
          `POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${basic(app)}\r\n` +
            `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(form)}\r\n\r\n${form}`,
          () => {
            socket.destroy();
            resolve();
          },
        );
      });
      socket.on("error", reject);
    });
    // The server went on and rotated: the lost response held the successor.
    await expect.poll(async () => (await rowOf(first.refresh_token)).rotatedAt, { timeout: 5000 }).not.toBeNull();
    const rotated = await rowOf(first.refresh_token);
    expect(rotated.successorId).not.toBeNull();

    const retry = await refresh(first.refresh_token);
    expect(retry.status).toBe(200);
    const got = (await retry.json()) as Tokens;
    expect((await rowOf(got.refresh_token)).id).toBe(rotated.successorId);
    expect(got.expires_in).toBeGreaterThan(595);
    expect(got.expires_in).toBeLessThanOrEqual(600);
    expect(await t.db.refreshToken.count({ where: { grantId } })).toBe(2);
    expect(await liveRefresh(grantId)).toBe(1);
    expect(old.id).toBe(rotated.id);
    // The chain goes on from the successor.
    const next = await refresh(got.refresh_token);
    expect(next.status).toBe(200);
    expect(await liveRefresh(grantId)).toBe(1);
  });

  it("20 parallel refreshes of one token by its client: all 200 with the same successor, one chain, one successor row", async () => {
    const { grantId, first } = await family();
    const before = await reuseEvents();
    const results = await Promise.all(Array.from({ length: 20 }, () => refresh(first.refresh_token)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const bodies = (await Promise.all(results.map((r) => r.json()))) as Tokens[];
    expect(new Set(bodies.map((b) => b.refresh_token)).size).toBe(1);
    expect(new Set(bodies.map((b) => b.access_token)).size).toBe(1);
    expect(await t.db.refreshToken.count({ where: { grantId } })).toBe(2);
    expect(await t.db.accessToken.count({ where: { grantId } })).toBe(2); // the code's and the one rotation's
    expect(await liveRefresh(grantId)).toBe(1);
    expect(await reuseEvents()).toBe(before);
    expect((await refresh((bodies[0] as Tokens).refresh_token)).status).toBe(200);
  });

  it("a retry after the successor was used: invalid_grant, the family revoked, exactly one audit event", async () => {
    const { grantId, first } = await family();
    const second = (await (await refresh(first.refresh_token)).json()) as Tokens;
    expect((await refresh(second.refresh_token)).status).toBe(200);
    expect((await rowOf(second.refresh_token)).replay).toBeNull(); // dropped once used
    const before = await reuseEvents();
    await expectInvalidGrant(await refresh(first.refresh_token), "The refresh token was already used");
    await expectFamilyRevoked(grantId);
    expect(await reuseEvents()).toBe(before + 1);
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { type: "refresh.reuse_detected", subjectId: userId }, orderBy: { id: "desc" } });
    expect(event).toMatchObject({ clientId: app.id, subjectId: userId });
  });

  it("a retry beyond the bound: invalid_grant, the family revoked, exactly one audit event", async () => {
    const { grantId, first } = await family();
    const second = (await (await refresh(first.refresh_token)).json()) as Tokens;
    for (let i = 0; i < deps.refreshReuseGrace.max; i++) {
      expect(((await (await refresh(first.refresh_token)).json()) as Tokens).refresh_token).toBe(second.refresh_token);
    }
    const before = await reuseEvents();
    await expectInvalidGrant(await refresh(first.refresh_token), "The refresh token was already used");
    await expectFamilyRevoked(grantId);
    expect(await reuseEvents()).toBe(before + 1);
  });

  it("a rotated token presented by another client: invalid_grant, the family revoked, the event names that client", async () => {
    const { grantId, first } = await family();
    await refresh(first.refresh_token);
    await expectInvalidGrant(await refresh(first.refresh_token, other), "The refresh token is invalid");
    await expectFamilyRevoked(grantId);
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { type: "refresh.reuse_detected", subjectId: userId }, orderBy: { id: "desc" } });
    expect(event.clientId).toBe(other.id);
  });

  it("a revocation racing refreshes and retries: once it returns, no token of the family is live", async () => {
    // The revocation on a second instance (its own connections), as another process would.
    const revoker = instance(t);
    for (let round = 0; round < 6; round++) {
      const { grantId, first } = await family();
      const second = (await (await refresh(first.refresh_token)).json()) as Tokens;
      const refreshes = [...Array.from({ length: 4 }, () => refresh(second.refresh_token)), refresh(first.refresh_token)];
      await new Promise((r) => setTimeout(r, round)); // vary which side gets there first
      await revoker.stores.tokens.revokeGrant(grantId, new Date());
      await expectFamilyRevoked(grantId);
      const statuses = await Promise.all(refreshes.map((p) => p.then((r) => r.status)));
      for (const s of statuses) expect([200, 400]).toContain(s);
      // Whatever the refreshes got, nothing they got is live now, and nothing more can be had.
      await expectFamilyRevoked(grantId);
      await expectInvalidGrant(await refresh(first.refresh_token), "The refresh token is invalid");
    }
  });
});
