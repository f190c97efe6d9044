// The CLI's commands, in-process against real SQLite and PostgreSQL: exact JSON results, what is
// stored (hashes only), and CliError with the right exit code for every refusal.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { storesFor } from "../db";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { keyCommands } from "./key-commands";
import { databaseCommands } from "./db-commands";
import { sha256 } from "../crypto/tokens";
import { verifyPassword } from "../auth/password";
import { CliError, runCli, type CliDeps } from "./commands";

const PASSWORD = "a long enough password";

/** An environment for loadConfig (NODE_ENV "test" unless given). */
const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;

describe.each(PROVIDERS)("runCli on %s", (provider) => {
  let t: TempDatabase;
  let dir: string;
  let deps: CliDeps;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-cli-"));
    const cfg = loadConfig(env({ LATCHKEY_SECRET: "x".repeat(40), DATA_DIR: dir }));
    t = await tempDatabase(provider);
    deps = { stores: storesFor(t.db, cfg), keys: keyCommands(t.db, cfg), database: databaseCommands(cfg) };
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...argv: string[]) => runCli(argv, deps);
  /** The CliError that `argv` is refused with. */
  async function refused(...argv: string[]): Promise<CliError> {
    const err = await cli(...argv).then(
      (r) => new Error(`accepted: ${JSON.stringify(r)}`),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CliError);
    return err as CliError;
  }
  const counts = async () => ({
    users: await t.db.user.count(),
    clients: await t.db.client.count(),
    apis: await t.db.api.count(),
    audit: await t.db.auditEvent.count(),
  });

  describe("user create", () => {
    it("returns {id, email, name, role, created_at} and stores the password only as an argon2id hash", async () => {
      const r = await cli("user", "create", "--email", "Ada@Example.com", "--password", PASSWORD, "--name", "Ada", "--role", "developer");
      const row = await t.db.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
      expect(r).toStrictEqual({
        id: row.id,
        email: "ada@example.com",
        name: "Ada",
        role: "developer",
        created_at: row.createdAt.toISOString(),
      });
      expect(row.passwordHash.startsWith("$argon2id$")).toBe(true);
      expect(row.passwordHash).not.toContain(PASSWORD);
      expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(true);
      // The audit event holds no password either.
      const events = await t.db.auditEvent.findMany({ where: { subjectId: row.id } });
      expect(events.map((e) => e.type)).toEqual(["user.created"]);
      expect(JSON.stringify(events)).not.toContain(PASSWORD);
    });

    it("defaults to role user and no name", async () => {
      const r = await cli("user", "create", "--email", "plain@example.com", "--password", PASSWORD);
      expect(r).toMatchObject({ email: "plain@example.com", name: null, role: "user" });
    });

    it("a duplicate email (different case) is a CliError; one user row, no extra audit row", async () => {
      await cli("user", "create", "--email", "dup@example.com", "--password", PASSWORD);
      const before = await counts();
      const e = await refused("user", "create", "--email", "DUP@Example.COM", "--password", PASSWORD);
      expect(e.exitCode).toBe(1);
      expect(e.message).toBe("A user with email dup@example.com already exists.");
      expect(await t.db.user.count({ where: { email: "dup@example.com" } })).toBe(1);
      expect(await counts()).toStrictEqual(before);
    });

    it.each([
      ["a bad role", ["--email", "r@example.com", "--password", PASSWORD, "--role", "root"], 1, "--role"],
      ["a short password", ["--email", "p@example.com", "--password", "short"], 1, "--password"],
      ["a bad email", ["--email", "not-an-email", "--password", PASSWORD], 1, "--email"],
      ["a missing --email", ["--password", PASSWORD], 2, "--email"],
      ["a missing --password", ["--email", "m@example.com"], 2, "--password"],
      ["an unknown flag", ["--email", "u@example.com", "--password", PASSWORD, "--admin"], 2, "--admin"],
    ])("%s is refused with its exit code, naming the flag, and creates nothing", async (_what, args, exitCode, flag) => {
      const before = await counts();
      const e = await refused("user", "create", ...args);
      expect(e.exitCode).toBe(exitCode);
      expect(e.message).toContain(flag);
      expect(await counts()).toStrictEqual(before);
    });
  });

  describe("client create", () => {
    it("a confidential client gets client_id and client_secret; only the secret's SHA-256 is stored", async () => {
      const r = (await cli("client", "create", "--name", "Web App", "--redirect-uri", "https://app.example.com/cb")) as Record<
        string,
        unknown
      >;
      expect(r).toStrictEqual({
        id: expect.any(String),
        client_id: expect.stringMatching(/^lk_/),
        client_secret: expect.stringMatching(/^lks_/),
        client_name: "Web App",
        redirect_uris: ["https://app.example.com/cb"],
        token_endpoint_auth_method: "client_secret_basic",
        grant_types: ["authorization_code", "refresh_token"],
        scope: "openid profile email offline_access",
        require_pkce: true,
        id_token_signed_response_alg: "ES256",
        id_token_user_claims: true,
      });
      const secret = r.client_secret as string;
      const row = await t.db.client.findUniqueOrThrow({ where: { clientId: r.client_id as string } });
      expect(row.id).toBe(r.id);
      expect(row.registeredVia).toBe("cli");
      expect(row.secretHash).toBe(sha256(secret));
      expect(row.idTokenSignedResponseAlg).toBe("ES256");
      expect(JSON.stringify(row)).not.toContain(secret);
      const events = await t.db.auditEvent.findMany({ where: { clientId: row.id } });
      expect(events.map((e) => e.type)).toEqual(["client.created"]);
      expect(JSON.stringify(events)).not.toContain(secret);
    });

    it("--public returns no client_secret and token_endpoint_auth_method none; nothing secret stored", async () => {
      const r = (await cli("client", "create", "--name", "SPA", "--redirect-uri", "https://spa.example.com/cb", "--public")) as Record<
        string,
        unknown
      >;
      expect(r).not.toHaveProperty("client_secret");
      expect(r.token_endpoint_auth_method).toBe("none");
      const row = await t.db.client.findUniqueOrThrow({ where: { clientId: r.client_id as string } });
      expect(row.secretHash).toBeNull();
      expect(row.tokenEndpointAuthMethod).toBe("none");
    });

    it("several --redirect-uri, --scope and --grant-types are stored as given", async () => {
      const r = (await cli(
        "client", "create", "--name", "Two", "--redirect-uri", "https://a.example.com/cb", "--redirect-uri", "http://127.0.0.1:8080/cb",
        "--scope", "openid email", "--grant-types", "authorization_code client_credentials",
      )) as Record<string, unknown>;
      expect(r).toMatchObject({
        redirect_uris: ["https://a.example.com/cb", "http://127.0.0.1:8080/cb"],
        scope: "openid email",
        grant_types: ["authorization_code", "client_credentials"],
      });
      const row = await t.db.client.findUniqueOrThrow({ where: { clientId: r.client_id as string } });
      expect(JSON.parse(row.redirectUris)).toEqual(["https://a.example.com/cb", "http://127.0.0.1:8080/cb"]);
      expect(row.scopes).toBe("openid email");
      expect(row.grantTypes).toBe("authorization_code client_credentials");
    });

    it("--id-token-alg RS256 is printed and stored in idTokenSignedResponseAlg", async () => {
      const r = (await cli(
        "client", "create", "--name", "Legacy", "--redirect-uri", "https://legacy.example.com/cb", "--id-token-alg", "RS256",
      )) as Record<string, unknown>;
      expect(r.id_token_signed_response_alg).toBe("RS256");
      const row = await t.db.client.findUniqueOrThrow({ where: { clientId: r.client_id as string } });
      expect(row.idTokenSignedResponseAlg).toBe("RS256");
    });

    it("--id-token-claims off is printed and stored; on is the default", async () => {
      const r = (await cli(
        "client", "create", "--name", "Lean", "--redirect-uri", "https://lean.example.com/cb", "--id-token-claims", "off",
      )) as Record<string, unknown>;
      expect(r.id_token_user_claims).toBe(false);
      expect((await t.db.client.findUniqueOrThrow({ where: { clientId: r.client_id as string } })).idTokenUserClaims).toBe(false);
      const on = (await cli("client", "create", "--name", "Rich", "--redirect-uri", "https://rich.example.com/cb", "--id-token-claims", "on")) as Record<string, unknown>;
      expect((await t.db.client.findUniqueOrThrow({ where: { clientId: on.client_id as string } })).idTokenUserClaims).toBe(true);
    });

    it.each(["yes", "true", "OFF", ""])("--id-token-claims %j is a CliError naming the flag, and writes nothing", async (value) => {
      const before = await counts();
      const e = await refused("client", "create", "--name", "X", "--redirect-uri", "https://a.example.com/cb", "--id-token-claims", value);
      expect(e.exitCode).toBe(1);
      expect(e.message).toBe("--id-token-claims must be on or off.");
      expect(await counts()).toStrictEqual(before);
    });

    it.each(["HS256", "none", "rs256", ""])("--id-token-alg %j is a CliError naming the flag, and writes nothing", async (alg) => {
      const before = await counts();
      const e = await refused("client", "create", "--name", "X", "--redirect-uri", "https://a.example.com/cb", "--id-token-alg", alg);
      expect(e.exitCode).toBe(1);
      expect(e.message).toBe("--id-token-alg must be one of: ES256, RS256.");
      expect(await counts()).toStrictEqual(before);
    });

    it("--auth-method client_secret_post: a secret, printed and stored as client_secret_post", async () => {
      const r = (await cli(
        "client", "create", "--name", "Poster", "--redirect-uri", "https://post.example.com/cb", "--auth-method", "client_secret_post",
      )) as Record<string, unknown>;
      expect(r.token_endpoint_auth_method).toBe("client_secret_post");
      expect(r.client_secret).toMatch(/^lks_/);
      const row = await t.db.client.findUniqueOrThrow({ where: { clientId: r.client_id as string } });
      expect([row.tokenEndpointAuthMethod, row.secretHash]).toEqual(["client_secret_post", sha256(r.client_secret as string)]);
    });

    it("--auth-method none is a public client (no secret); with --public as well it agrees", async () => {
      for (const extra of [[], ["--public"]]) {
        const r = (await cli(
          "client", "create", "--name", "Spa", "--redirect-uri", "https://spa.example.com/cb", "--auth-method", "none", ...extra,
        )) as Record<string, unknown>;
        expect(r).not.toHaveProperty("client_secret");
        expect(r.token_endpoint_auth_method).toBe("none");
        const row = await t.db.client.findUniqueOrThrow({ where: { clientId: r.client_id as string } });
        expect([row.tokenEndpointAuthMethod, row.secretHash]).toEqual(["none", null]);
      }
    });

    it("--auth-method client_secret_basic is the default, and may be said explicitly", async () => {
      const r = (await cli(
        "client", "create", "--name", "Basic", "--redirect-uri", "https://basic.example.com/cb", "--auth-method", "client_secret_basic",
      )) as Record<string, unknown>;
      expect(r.token_endpoint_auth_method).toBe("client_secret_basic");
      expect(r.client_secret).toMatch(/^lks_/);
    });

    it.each([
      ["an unknown --auth-method", ["--auth-method", "private_key_jwt"], 1, "--auth-method must be one of: client_secret_basic, client_secret_post, none."],
      ["an empty --auth-method", ["--auth-method", ""], 1, "--auth-method must be one of: client_secret_basic, client_secret_post, none."],
      ["--public with --auth-method client_secret_post", ["--public", "--auth-method", "client_secret_post"], 2, "--public means --auth-method none; it contradicts --auth-method client_secret_post."],
      ["--public with --auth-method client_secret_basic", ["--auth-method", "client_secret_basic", "--public"], 2, "--public means --auth-method none; it contradicts --auth-method client_secret_basic."],
    ])("%s is refused with exactly its message and exit code, and writes nothing", async (_what, args, exitCode, message) => {
      const before = await counts();
      const e = await refused("client", "create", "--name", "X", "--redirect-uri", "https://a.example.com/cb", ...args);
      expect([e.exitCode, e.message]).toEqual([exitCode, message]);
      expect(await counts()).toStrictEqual(before);
    });

    it("--post-logout-redirect-uri (repeatable) is printed and stored", async () => {
      const r = (await cli(
        "client", "create", "--name", "Logout", "--redirect-uri", "https://l.example.com/cb",
        "--post-logout-redirect-uri", "https://l.example.com/bye", "--post-logout-redirect-uri", "http://localhost:3000/signed-out",
      )) as Record<string, unknown>;
      expect(r.post_logout_redirect_uris).toEqual(["https://l.example.com/bye", "http://localhost:3000/signed-out"]);
      const row = await t.db.client.findUniqueOrThrow({ where: { clientId: r.client_id as string } });
      expect(JSON.parse(row.postLogoutRedirectUris)).toEqual(["https://l.example.com/bye", "http://localhost:3000/signed-out"]);
    });

    it.each([
      ["http on a public host", "http://evil.example/bye", "post_logout_redirect_uris.1: http://evil.example/bye must use https (http is allowed only for 127.0.0.1, [::1] or localhost)"],
      ["a fragment", "https://l.example.com/bye#x", "post_logout_redirect_uris.1: https://l.example.com/bye#x must not contain a fragment (#)"],
    ])("a --post-logout-redirect-uri with %s is refused like a redirect URI, naming it; nothing written", async (_what, uri, message) => {
      const before = await counts();
      const e = await refused(
        "client", "create", "--name", "X", "--redirect-uri", "https://a.example.com/cb",
        "--post-logout-redirect-uri", "https://a.example.com/bye", "--post-logout-redirect-uri", uri,
      );
      expect([e.exitCode, e.message]).toEqual([1, message]);
      expect(await counts()).toStrictEqual(before);
    });

    it("an invalid redirect URI is a CliError naming it, and writes no client row and no audit row", async () => {
      const before = await counts();
      const e = await refused("client", "create", "--name", "Bad", "--redirect-uri", "http://evil.example/cb");
      expect(e.exitCode).toBe(1);
      expect(e.message).toBe(
        "redirect_uris.0: http://evil.example/cb must use https (http is allowed only for 127.0.0.1, [::1] or localhost)",
      );
      expect(await counts()).toStrictEqual(before);
    });

    it("a non-ASCII (IDN) redirect URI is refused, naming the A-label to register; nothing written", async () => {
      const before = await counts();
      const e = await refused("client", "create", "--name", "Idn", "--redirect-uri", "https://bücher.example/cb");
      expect(e.exitCode).toBe(1);
      expect(e.message).toBe("redirect_uris.0: https://bücher.example/cb must be written in ASCII: register https://xn--bcher-kva.example/cb (an international host name as its punycode A-label, RFC 5891; other characters percent-encoded, RFC 3986)");
      expect(await counts()).toStrictEqual(before);
    });

    it.each([
      ["an unknown grant type", ["--redirect-uri", "https://a.example.com/cb", "--grant-types", "bogus"], "Unknown grant type bogus"],
      ["an unknown scope", ["--redirect-uri", "https://a.example.com/cb", "--scope", "openid admin"], "scope: Unknown scope"],
      ["no redirect URI", [], "redirect_uris: At least one redirect URI is required"],
      ["client_credentials for a public client", ["--public", "--grant-types", "client_credentials"], "A public client cannot use client_credentials"],
    ])("%s is refused and writes nothing", async (_what, args, message) => {
      const before = await counts();
      const e = await refused("client", "create", "--name", "X", ...args);
      expect(e.exitCode).toBe(1);
      expect(e.message).toContain(message);
      expect(await counts()).toStrictEqual(before);
    });

    it("a missing --name is a usage error (exit 2)", async () => {
      const e = await refused("client", "create", "--redirect-uri", "https://a.example.com/cb");
      expect(e.exitCode).toBe(2);
      expect(e.message).toContain("--name");
    });
  });

  describe("api create", () => {
    it("prints {id, name, identifier, scopes, scope_descriptions, client_id, client_secret}; the API and its credentials client in one go", async () => {
      const r = (await cli(
        "api", "create", "--name", "Items API", "--identifier", "https://api.example.com",
        "--scope", "read:items=Read your items", "--scope", "write:items=Change your items", "--scope", "admin",
      )) as Record<string, unknown>;
      const api = await t.db.api.findUniqueOrThrow({ where: { identifier: "https://api.example.com" }, include: { credentials: true } });
      expect(r).toStrictEqual({
        id: api.id,
        name: "Items API",
        identifier: "https://api.example.com",
        scopes: ["read:items", "write:items", "admin"],
        scope_descriptions: { "read:items": "Read your items", "write:items": "Change your items", admin: "" },
        client_id: api.credentials!.clientId,
        client_secret: expect.stringMatching(/^lks_/),
      });
      expect(Object.keys(r)).toEqual(["id", "name", "identifier", "scopes", "scope_descriptions", "client_id", "client_secret"]);
      // The credentials: confidential, no grant types, redirect URIs or scopes; only the secret's hash is stored.
      expect(api.credentials).toMatchObject({
        secretHash: sha256(r.client_secret as string),
        tokenEndpointAuthMethod: "client_secret_basic",
        grantTypes: "",
        redirectUris: "[]",
        scopes: "",
        registeredVia: "api",
        verified: true,
      });
      expect(api).toMatchObject({ accessTokenTtl: null, allClients: true, allowedClientIds: "[]" });
      const event = await t.db.auditEvent.findFirstOrThrow({ where: { type: "api.created", subjectId: api.id } });
      expect(event.data).not.toContain(r.client_secret as string);
    });

    it("--token-ttl is stored and printed as access_token_ttl", async () => {
      const r = (await cli("api", "create", "--name", "Short", "--identifier", "urn:example:short", "--token-ttl", "300")) as Record<string, unknown>;
      expect(r).toMatchObject({ identifier: "urn:example:short", scopes: [], scope_descriptions: {}, access_token_ttl: 300 });
      expect((await t.db.api.findUniqueOrThrow({ where: { identifier: "urn:example:short" } })).accessTokenTtl).toBe(300);
    });

    it.each([
      ["a duplicate identifier", ["--identifier", "https://api.example.com"], "An API with the identifier https://api.example.com already exists."],
      ["a relative identifier", ["--identifier", "/api"], "identifier: Identifier must be an absolute URI (such as https://api.example.com)"],
      ["an identifier with a fragment", ["--identifier", "https://api.example.com/#x"], "identifier: Identifier must not contain a fragment (#)"],
      ["an identifier with a backslash", ["--identifier", "https://api.example.com\\x"], "identifier: Identifier must be a URI: no spaces, backslashes or characters outside ASCII"],
      ["a scope with a space", ["--identifier", "https://b.example.com", "--scope", "read items=x"], "scopes.0.name: A scope name has no spaces, quotes or backslashes (RFC 6749 §3.3)"],
      ["a duplicate scope", ["--identifier", "https://b.example.com", "--scope", "read=a", "--scope", "read=b"], "scopes: Scope read is listed twice"],
      ["a portal scope", ["--identifier", "https://b.example.com", "--scope", "email=x"], "scopes.0.name: openid, profile, email and offline_access are the portal's own scopes"],
      ["a long description", ["--identifier", "https://b.example.com", "--scope", `read=${"x".repeat(201)}`], "scopes.0.description: A scope description is at most 200 characters"],
      ["a fractional --token-ttl", ["--identifier", "https://b.example.com", "--token-ttl", "1.5"], "--token-ttl must be a whole number of seconds."],
      ["a --token-ttl under a minute", ["--identifier", "https://b.example.com", "--token-ttl", "5"], "accessTokenTtl: The token lifetime is at least 60 seconds"],
    ])("%s is refused (exit 1) and writes nothing", async (_what, args, message) => {
      const before = await counts();
      const e = await refused("api", "create", "--name", "X", ...args);
      expect({ exit: e.exitCode, message: e.message }).toStrictEqual({ exit: 1, message });
      expect(await counts()).toStrictEqual(before);
    });

    it("a missing --identifier is a usage error (exit 2)", async () => {
      const e = await refused("api", "create", "--name", "X");
      expect(e.exitCode).toBe(2);
      expect(e.message).toContain("--identifier");
    });

    it("api list prints every API with its scopes and credentials client_id (never a secret)", async () => {
      const r = (await cli("api", "list")) as { apis: Record<string, unknown>[] };
      const items = r.apis.find((a) => a.identifier === "https://api.example.com");
      expect(items).toMatchObject({ name: "Items API", scopes: ["read:items", "write:items", "admin"], client_id: expect.stringMatching(/^lk_/) });
      expect(JSON.stringify(r)).not.toContain("lks_");
    });

    it("client create --default-api names an API by identifier: stored and printed; an unknown one writes nothing", async () => {
      const r = (await cli("client", "create", "--name", "Uses API", "--redirect-uri", "https://a.example.com/cb", "--default-api", "https://api.example.com")) as Record<string, unknown>;
      expect(r.default_api).toBe("https://api.example.com");
      const row = await t.db.client.findUniqueOrThrow({ where: { clientId: r.client_id as string }, include: { defaultApi: true } });
      expect(row.defaultApi?.identifier).toBe("https://api.example.com");
      const before = await counts();
      const e = await refused("client", "create", "--name", "X", "--redirect-uri", "https://a.example.com/cb", "--default-api", "https://nope.example.com");
      expect({ exit: e.exitCode, message: e.message }).toStrictEqual({ exit: 1, message: "No API with the identifier https://nope.example.com (--default-api)." });
      expect(await counts()).toStrictEqual(before);
    });
  });

  describe("keys", () => {
    it("keys rotate, then keys list shows one active ES256 and one active RS256 key", async () => {
      const rotated = (await cli("keys", "rotate")) as { rotated: { kid: string; alg: string }[] };
      expect(rotated.rotated.map((k) => k.alg)).toEqual(["ES256", "RS256"]);
      const listed = (await cli("keys", "list")) as { keys: { kid: string; alg: string; state: string; retired_at: string | null }[] };
      expect(listed.keys).toHaveLength(2);
      expect(listed.keys.map((k) => [k.alg, k.state, k.retired_at]).sort()).toEqual([
        ["ES256", "active", null],
        ["RS256", "active", null],
      ]);
      expect(listed.keys.map((k) => k.kid).sort()).toEqual(rotated.rotated.map((k) => k.kid).sort());
    });
  });

  it("user create refuses a --name with a bidirectional override (exit 1), creating nothing", async () => {
    const before = await counts();
    const e = await refused("user", "create", "--email", "rlo@example.com", "--password", PASSWORD, "--name", "Ada\u202Eelgoog");
    expect([e.exitCode, e.message]).toEqual([1, "--name must not contain control characters or invisible formatting (such as bidirectional overrides)."]);
    expect(await counts()).toEqual(before);
  });

  describe("user unlock", () => {
    it("clears the user's sign-in lock and prints {id, email, unlocked, counters_cleared}; audited", async () => {
      const u = await deps.stores.users.create({ email: "locked-out@example.com", passwordHash: "h", role: "admin" });
      await t.db.loginThrottle.create({
        data: { key: "email:locked-out@example.com", failures: 10, firstFailureAt: new Date(), lastFailureAt: new Date(), lockedUntil: new Date(Date.now() + 600_000) },
      });
      expect(await cli("user", "unlock", "--email", " Locked-Out@Example.com ")).toStrictEqual({
        id: u.id,
        email: "locked-out@example.com",
        unlocked: true,
        counters_cleared: 1,
      });
      expect(await t.db.loginThrottle.count({ where: { key: "email:locked-out@example.com" } })).toBe(0);
      const e = await t.db.auditEvent.findFirstOrThrow({ where: { type: "user.unlocked", subjectId: u.id } });
      expect([e.actorId, JSON.parse(e.data!)]).toEqual([null, { counters: 1 }]);
    });

    it("an unknown email is a CliError (exit 1); no --email is a usage error (exit 2)", async () => {
      const e = await refused("user", "unlock", "--email", "nobody@example.com");
      expect([e.exitCode, e.message]).toEqual([1, "No user with email nobody@example.com."]);
      expect((await refused("user", "unlock")).exitCode).toBe(2);
    });
  });

  it("an unknown command exits 2", async () => {
    const e = await refused("frobnicate", "now");
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('Unknown command "frobnicate now"');
    expect((await refused()).exitCode).toBe(2);
  });
});
