// `npm start` under a process manager (issue 18 §3): a SIGTERM sent to the PID of `npm start`
// reaches the server (npm forwards it to its child, which must be node itself), which lets a
// request in flight finish with `Connection: close`, frees the port and exits 0, so npm does too.
// A second server of its own, on a free port and a fresh SQLite directory: the suite's server
// stays up. Raw sockets: what is sent, and when, is exactly what the test says.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT, serverEnv } from "./env";
import { expect, test } from "./support";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** "refused", or "connected" (then closed at once). */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve("connected");
    });
    s.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED" ? "refused" : (err.code ?? "error")));
  });
}

test("SIGTERM to npm start's PID: the request in flight finishes with Connection: close, the port is freed, exit code 0", async () => {
  test.setTimeout(120_000);
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "latchkey-shutdown-e2e-"));
  const npm = spawn("npm", ["start"], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...serverEnv(), PORT: String(port), ISSUER: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, DATABASE_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  npm.stdout.on("data", (c: Buffer) => (output += c.toString()));
  npm.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
  try {
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.status, { timeout: 90_000 })
      .toBe(200);

    // A token request whose body is still arriving when the signal comes: in flight.
    const body = "grant_type=client_credentials&client_id=nobody";
    const socket = net.connect(port, "127.0.0.1");
    let raw = "";
    socket.on("data", (c: Buffer) => (raw += c.toString()));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write(
      `POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 300));

    expect(npm.pid).toBeDefined();
    process.kill(npm.pid as number, "SIGTERM");
    await expect.poll(() => connectOutcome(port), { timeout: 10_000 }).toBe("refused");
    socket.write(body.slice(10));
    await closed; // the server ends the connection after its answer

    expect(raw.split("\r\n")[0]).toBe("HTTP/1.1 401 Unauthorized");
    expect(raw).toMatch(/\r\nConnection: close\r\n/i);
    expect(JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4))).toMatchObject({ error: "invalid_client" });
    expect(await exited).toBe(0);
    expect(output).toContain("SIGTERM: no longer accepting connections");
    expect(await connectOutcome(port)).toBe("refused");
  } finally {
    if (npm.exitCode === null) npm.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  }
});
