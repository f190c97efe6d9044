// The limits of the started server (npm start, issue #15): bodies over the limit are refused
// before anything reads them, on paths the lean router serves and on paths Next serves; other
// spellings of protocol paths are refused; the server listens on the loopback address only
// (ISSUER is 127.0.0.1); the SQLite files are readable by their owner only.
// Raw sockets: what is sent, and when, is exactly what the test says.
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { existsSync, statSync } from "node:fs";
import { DATA_DIR, DATABASE_URL, PORT } from "./env";
import { expect, test } from "./support";

/** Sends `head` (and optional chunks), returns everything received until the server closes. */
function exchange(head: string, chunks: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(PORT, "127.0.0.1");
    let data = "";
    socket.on("data", (c) => (data += c.toString()));
    socket.on("close", () => resolve(data));
    socket.on("error", (err) => (data ? resolve(data) : reject(err)));
    socket.on("connect", () => {
      socket.write(head);
      for (const c of chunks) if (socket.writable) socket.write(c);
    });
  });
}

const status = (raw: string) => raw.split("\r\n")[0];
const json = (raw: string) => JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4)) as unknown;
const TOO_LARGE = { error: "invalid_request", error_description: "The request body is larger than 65536 bytes" };

test.describe("request limits of the running server", () => {
  for (const [method, target] of [
    ["POST", "/api/auth/callback/credentials"], // next-auth, served by Next
    ["PUT", "/oauth/register/lk_abc"], // RFC 7592, the lean router's prefix route
    ["POST", "/oauth/token"], // the lean router
    ["POST", "/signin"], // a page with server actions
  ] as const) {
    test(`${method} ${target} announcing 200 MB: 413 at once, the body never read`, async () => {
      const raw = await exchange(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 209715200\r\n\r\n`);
      expect(status(raw)).toBe("HTTP/1.1 413 Payload Too Large");
      expect(json(raw)).toEqual(TOO_LARGE);
    });
  }

  test("a chunked body is cut at the limit with 413", async () => {
    const chunk = "a".repeat(16 * 1024);
    const chunks = Array.from({ length: 6 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    const raw = await exchange(`PUT /oauth/register/lk_abc HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`, chunks);
    expect(status(raw)).toBe("HTTP/1.1 413 Payload Too Large");
    expect(json(raw)).toEqual(TOO_LARGE);
  });

  test("a small chunked body still reaches its endpoint", async () => {
    const body = "grant_type=client_credentials";
    const raw = await exchange(
      `POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
      [`${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`],
    );
    expect(status(raw)).toBe("HTTP/1.1 401 Unauthorized");
    expect(json(raw)).toMatchObject({ error: "invalid_client" });
  });

  for (const spelling of ["/oauth/./token", "//oauth/token", "/oauth/token/", "/oauth/%74oken"]) {
    test(`POST ${spelling}: 400 naming /oauth/token`, async () => {
      const raw = await exchange(`POST ${spelling} HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      expect(status(raw)).toBe("HTTP/1.1 400 Bad Request");
      expect(json(raw)).toEqual({ error: "invalid_request", error_description: "Send this request to /oauth/token: other spellings of the path are refused" });
    });
  }

  test("listens on 127.0.0.1 only (ISSUER is a loopback URL, HOST unset)", async () => {
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a && a.family === "IPv4" && !a.internal)
      .map((a) => a!.address);
    // Skipped only where there is nothing to connect to: a machine whose sole IPv4 address is the
    // loopback one cannot show that the server refuses other interfaces.
    test.skip(others.length === 0, "this machine has no non-loopback IPv4 address");
    const error = await new Promise<string>((resolve) => {
      const s = net.connect(PORT, others[0]!);
      s.on("connect", () => {
        s.destroy();
        resolve("connected");
      });
      s.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "error"));
    });
    expect(error).toBe("ECONNREFUSED");
  });

  test("the SQLite database, its WAL and shm are mode 0600", async () => {
    // Skipped when E2E_DATABASE_URL points the suite at PostgreSQL: there is no SQLite file.
    test.skip(DATABASE_URL !== "", "the suite runs against another database");
    const file = path.join(DATA_DIR, "latchkey.db");
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      expect(existsSync(f), f).toBe(true);
      expect((statSync(f).mode & 0o777).toString(8), f).toBe("600");
    }
  });
});
