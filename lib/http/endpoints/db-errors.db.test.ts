// Database errors never reach the client (issue #15): a forced database error, on real SQLite and
// real PostgreSQL, gives a generic answer on the wire, and the detail only in the server's log.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config";
import { storesFor } from "../../db";
import { registrationStore } from "../../db/registration";
import { PROVIDERS, tempDatabase, type TempDatabase } from "@test/db";
import { passwordSignIn, signInErrorCode } from "../../auth/password-session";
import { signInErrorMessage } from "../../auth/sign-in-messages";
import { makeRegistration } from "./registration";
import { ISSUER } from "../../../test/http-instance";
import { webEndpoints } from "../../../test/web-endpoints";
import { captureLog, type CapturedLog } from "@test/log-capture";

const register = (body: string) =>
  new Request(`${ISSUER}/oauth/register`, { method: "POST", headers: { "content-type": "application/json" }, body });

describe.each(PROVIDERS)("database errors on %s", (provider) => {
  let t: TempDatabase;
  let dir: string;
  let log: CapturedLog;
  beforeAll(async () => {
    log = captureLog();
    t = await tempDatabase(provider);
    dir = mkdtempSync(path.join(tmpdir(), "latchkey-dberr-"));
  });
  afterAll(async () => {
    log.restore();
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    log.raw.length = 0;
  });
  /** The one error line the server logged, with the error's message and stack. */
  const loggedError = () => {
    const lines = log.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "error", err: { type: expect.any(String), stack: expect.any(String) } });
    return String((lines[0]!.err as { message: string }).message);
  };

  const ep = () => webEndpoints(makeRegistration(() => ({ issuer: ISSUER, openRegistration: true, store: registrationStore(t.db), now: () => new Date() })));

  it("sign-in: a database failure reaches the browser (next-auth's redirect URL, the action's answer) only as the code 'unavailable'", async () => {
    const cfg = loadConfig({ NODE_ENV: "test", LATCHKEY_SECRET: "x".repeat(40), DATA_DIR: dir } as NodeJS.ProcessEnv);
    await t.db.$executeRawUnsafe('DROP TABLE "LoginThrottle"');
    const result = await passwordSignIn(
      storesFor(t.db, cfg),
      { email: "ada@example.com", password: "pw", ip: "198.51.100.1", userAgent: null, cookieHeader: null },
      3600,
    );
    expect(result).toStrictEqual({ ok: false, error: "unavailable" });
    if (result.ok) throw new Error("unreachable");
    expect(signInErrorCode(result)).toBe("unavailable");
    expect(signInErrorMessage("unavailable")).toBe("Sign-in is not available right now. Try again in a moment.");
    // The detail is in the server's log.
    expect(loggedError()).toMatch(/LoginThrottle/);
  });

  it("registration: a failing database is 500 server_error with a generic description; the detail is only logged", async () => {
    await t.db.$executeRawUnsafe(provider === "postgres" ? 'DROP TABLE "Client" CASCADE' : 'DROP TABLE "Client"');
    const res = await ep().register(register(JSON.stringify({ client_name: "App", redirect_uris: ["https://a.test/cb"] })));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toStrictEqual({ error: "server_error", error_description: "The server could not complete the request." });
    expect(loggedError()).toMatch(/Client/);
  });
});
