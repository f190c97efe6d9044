// Where to go after sign-in: only a path on this site, never another origin (no open redirect,
// RFC 9700 §4.11). Everything refused falls back.
import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-redirect";

const FALLBACK = "/account";

/**
 * What a browser does with the returned value as a Location / href on our site: it must stay on
 * our origin. (A result starting with "//" or "/\" would be protocol-relative: another host.)
 */
function staysOnSite(result: string): boolean {
  const site = "https://portal.example";
  return (
    result.startsWith("/") &&
    !result.startsWith("//") &&
    !result.startsWith("/\\") &&
    !/[\u0000-\u001f\\]/.test(result) &&
    new URL(result, site).origin === site
  );
}

describe("safeCallbackPath", () => {
  it.each(["/account", "/account?tab=x#y", "/a/b", "/", "/oauth/authorize?client_id=c&redirect_uri=https%3A%2F%2Fx"])(
    "keeps the same-site path %s unchanged",
    (path) => {
      expect(safeCallbackPath(path)).toBe(path);
    },
  );

  it.each([
    ["an absolute URL to another origin", "https://evil.example/"],
    ["a protocol-relative URL", "//evil.example"],
    ["a backslash protocol-relative URL", "/\\evil.example"],
    ["a UNC-like path", "\\\\evil"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a scheme with one slash", "http:/evil"],
    ["a relative path", "account"],
    ["a tab that browsers strip (/\\t/ → //)", "/\t/evil.example"],
    ["a newline that browsers strip", "/\n/evil.example"],
    ["a CR LF pair", "/\r\n/evil.example"],
    ["a NUL byte", "/acc\u0000ount"],
    ["a backslash anywhere", "/a\\b"],
    ["the empty string", ""],
  ])("refuses %s", (_why, value) => {
    expect(safeCallbackPath(value)).toBe(FALLBACK);
  });

  it.each([undefined, null, 42, true, ["/account"], { path: "/account" }])("refuses the non-string %j", (value) => {
    expect(safeCallbackPath(value)).toBe(FALLBACK);
  });

  it("refuses values over 2048 characters, keeps one of exactly 2048", () => {
    const max = `/${"a".repeat(2047)}`;
    expect(safeCallbackPath(max)).toBe(max);
    expect(safeCallbackPath(`${max}a`)).toBe(FALLBACK);
  });

  it("uses the given fallback", () => {
    expect(safeCallbackPath("//evil.example", "/home")).toBe("/home");
    expect(safeCallbackPath(undefined, "/home")).toBe("/home");
  });

  it("percent-encoded CR LF stays an encoded path on this site (no header injection)", () => {
    const r = safeCallbackPath("/%0d%0aLocation:x");
    expect(r).toBe("/%0d%0aLocation:x");
    expect(staysOnSite(r)).toBe(true);
  });

  // Dot segments are resolved by the URL parser: "/./" and "/a/../" collapse, and what is left
  // must not turn into "//host" (a protocol-relative redirect to another origin).
  it.each(["/.//evil.example", "/a/..//evil.example", "/%2e%2e//evil.example"])("the result for %s stays on this site", (value) => {
    const r = safeCallbackPath(value);
    expect(r, `safeCallbackPath(${JSON.stringify(value)}) returned ${JSON.stringify(r)}`).toSatisfy(staysOnSite);
  });
});
