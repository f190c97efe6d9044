// CWE-117 in the JSON log (lib/log/safe-log.ts, lib/log/logger.ts): a request-controlled value
// cannot start a new line, forge one, or reorder what a terminal shows. JSON escapes C0 controls;
// safeJsonLine escapes what JSON leaves raw (DEL, C1, U+2028/2029, bidi controls).
import { describe, expect, it } from "vitest";
import { captureLog } from "@test/log-capture";
import { nextAuthLogger } from "../auth/next-auth-logger";
import { safeJsonLine } from "./safe-log";

const INJECTED = "/account\r\n{\"level\":\"info\",\"msg\":\"admin signed in\"}\u2028\u0085\u202etxt.exe\u2066\u007f";
const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("safeJsonLine", () => {
  it("escapes DEL, C1, line separators and bidi controls as \\u escapes: still valid JSON with the same value", () => {
    const line = JSON.stringify({ v: "a\u007fb\u0085c\u2028d\u2029e\u202ef\u2066g\u200fh\u061ci" });
    const safe = safeJsonLine(line);
    expect(safe).toBe('{"v":"a\\u007fb\\u0085c\\u2028d\\u2029e\\u202ef\\u2066g\\u200fh\\u061ci"}');
    expect(JSON.parse(safe)).toEqual(JSON.parse(line));
  });

  it("leaves ordinary text, including non-ASCII letters, alone", () => {
    const line = JSON.stringify({ v: "callbackUrl=/consent?request=abc Bücher — ok" });
    expect(safeJsonLine(line)).toBe(line);
  });
});

describe("every log line is one line, whatever it carries", () => {
  it("an error whose message quotes a request value: one JSON line, nothing raw", () => {
    const log = captureLog();
    log.log.unexpected("Unexpected error", new Error(`bad callbackUrl ${INJECTED}`));
    log.log.logger.info({ client_name: INJECTED }, `registered ${INJECTED}`);
    log.restore();
    expect(log.raw).toHaveLength(2);
    for (const line of log.raw) {
      expect(line.endsWith("\n")).toBe(true);
      expect(line.slice(0, -1)).not.toMatch(RAW);
    }
    const [err, info] = log.lines();
    expect((err!.err as { message: string }).message).toBe(`bad callbackUrl ${INJECTED}`);
    expect(info!.msg).toBe(`registered ${INJECTED}`);
  });

  it("next-auth's logger (also what POST /api/auth/_log reaches): error and warn entries are one escaped line each, with the stack of an error", () => {
    const log = captureLog();
    nextAuthLogger.error("CLIENT\nFORGED", { error: new Error(INJECTED), message: INJECTED, url: INJECTED });
    nextAuthLogger.error("SIGNIN_EMAIL_ERROR", new Error(INJECTED));
    nextAuthLogger.warn("NEXTAUTH_URL\r\nforged" as "NEXTAUTH_URL");
    log.restore();
    expect(log.raw).toHaveLength(3);
    for (const line of log.raw) expect(line.slice(0, -1)).not.toMatch(RAW);
    const [a, b, c] = log.lines();
    expect(a).toMatchObject({ level: "error", code: "CLIENT\nFORGED", err: { message: INJECTED }, metadata: { message: INJECTED, url: INJECTED } });
    expect(b).toMatchObject({ level: "error", code: "SIGNIN_EMAIL_ERROR", err: { message: INJECTED, stack: expect.any(String) } });
    expect(c).toMatchObject({ level: "warn", code: "NEXTAUTH_URL\r\nforged" });
  });

  it("next-auth entries are rate-limited per code: /api/auth/_log cannot flood the log", () => {
    const log = captureLog({ perSecond: 5 });
    for (let i = 0; i < 100; i++) nextAuthLogger.error("CLIENT_FETCH_ERROR", new Error(`entry ${i}`));
    log.restore(); // writes the summary of what was held back
    const lines = log.lines();
    expect(lines.filter((l) => l.code === "CLIENT_FETCH_ERROR")).toHaveLength(5);
    expect(lines.at(-1)).toMatchObject({ level: "warn", suppressed: 95, msg: "suppressed 95 similar lines" });
  });
});
