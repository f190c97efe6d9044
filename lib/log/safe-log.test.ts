import { afterEach, describe, expect, it, vi } from "vitest";
import { escapeForLog, logError, logText } from "./safe-log";
import { nextAuthLogger } from "../auth/next-auth-logger";
import { oauthError } from "../http/oauth-response";

const INJECTED = "/account\r\n[next-auth][error][FORGED] admin signed in from 10.0.0.1";

afterEach(() => vi.restoreAllMocks());

/** Everything `fn` wrote with console.error / console.warn, as the lines a log file would get. */
function captured(fn: () => void): string[] {
  const out: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void out.push(args.map(String).join(" ")));
  vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void out.push(args.map(String).join(" ")));
  fn();
  return out.flatMap((s) => s.split(/\r\n|\r|\n|\u2028|\u2029/));
}

describe("escapeForLog", () => {
  it("writes CR, LF, tab, other controls, DEL, C1, line separators and bidi controls as visible escapes", () => {
    expect(escapeForLog("a\r\nb\tc\u0000d\u007fe\u0085f\u2028g\u202eh\u2066i\u200fj")).toBe(
      "a\\r\\nb\\tc\\u{0000}d\\u{007f}e\\u{0085}f\\u{2028}g\\u{202e}h\\u{2066}i\\u{200f}j",
    );
  });

  it("leaves ordinary text, including non-ASCII letters, alone", () => {
    expect(escapeForLog("callbackUrl=/consent?request=abc Bücher — ok")).toBe("callbackUrl=/consent?request=abc Bücher — ok");
  });
});

describe("log calls that may carry request values write exactly one line", () => {
  it("logError: a message and an Error whose message quotes a callbackUrl", () => {
    const lines = captured(() => logError("Unexpected error:", new Error(`bad callbackUrl ${INJECTED}`)));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("bad callbackUrl /account\\r\\n[next-auth][error][FORGED]");
  });

  it("logText: objects as JSON, errors inside them by message and stack, one line", () => {
    expect(logText({ url: "a\u2028b" })).toBe('{"url":"a\\u{2028}b"}');
    expect(logText({ error: new Error("x\ny") }).split("\n")).toHaveLength(1);
  });

  it("next-auth's logger (also what POST /api/auth/_log reaches): error and warn entries are one escaped line", () => {
    const lines = captured(() => {
      nextAuthLogger.error("CLIENT\nFORGED", { error: new Error(INJECTED), message: INJECTED, url: INJECTED });
      nextAuthLogger.error("SIGNIN_EMAIL_ERROR", new Error(INJECTED));
      nextAuthLogger.warn("NEXTAUTH_URL\r\nforged" as "NEXTAUTH_URL");
    });
    expect(lines).toHaveLength(3);
    expect(lines[0]!.startsWith("[next-auth][error][CLIENT\\nFORGED] ")).toBe(true);
    expect(lines[2]).toBe("[next-auth][warn][NEXTAUTH_URL\\r\\nforged]");
  });

  it("an unexpected error in an OAuth endpoint: server_error on the wire, one escaped line in the log", () => {
    let res: ReturnType<typeof oauthError> | undefined;
    const lines = captured(() => {
      res = oauthError(new Error(`redirect_uri ${INJECTED}`));
    });
    expect(res!.status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("redirect_uri /account\\r\\n[next-auth]");
  });
});
