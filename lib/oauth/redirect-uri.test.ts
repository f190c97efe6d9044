// Redirect URI registration rules (RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700 §4.1): exact reasons.
import { describe, expect, it } from "vitest";
import { asciiUri, inspectorCallbackUri, isLoopbackRedirect, redirectUriProblem } from "./redirect-uri";

const confidential = { publicClient: false };
const publicClient = { publicClient: true };
const both = [confidential, publicClient];

const HTTP_ONLY_LOOPBACK = "must use https (http is allowed only for 127.0.0.1, [::1] or localhost)";

describe("redirectUriProblem", () => {
  it.each(["https://app.example.com/cb", "https://app.example.com:8443/oauth/cb?x=1"])(
    "accepts https: %s (any client)",
    (uri) => {
      for (const o of both) expect(redirectUriProblem(uri, o)).toBeNull();
    },
  );

  // RFC 8252 §7.3 / §8.3: plain http only for loopback redirects.
  it.each(["http://127.0.0.1/cb", "http://127.0.0.1:51234/cb", "http://[::1]:8080/cb", "http://localhost:3000/cb"])(
    "accepts loopback http: %s",
    (uri) => {
      for (const o of both) expect(redirectUriProblem(uri, o)).toBeNull();
    },
  );

  it.each([
    "http://app.example.com/cb",
    "http://127.0.0.2/cb",
    "http://localhost.evil.example/cb",
    "http://127.0.0.1.nip.io/cb",
    "HTTP://app.example.com/cb",
  ])("refuses non-loopback http: %s", (uri) => {
    for (const o of both) expect(redirectUriProblem(uri, o)).toBe(HTTP_ONLY_LOOPBACK);
  });

  // §3.1.2: the redirection endpoint URI MUST NOT include a fragment component.
  it.each(["https://app.example.com/cb#frag", "https://app.example.com/cb#"])("refuses a fragment: %s", (uri) => {
    for (const o of both) expect(redirectUriProblem(uri, o)).toBe("must not contain a fragment (#)");
  });

  // RFC 9700 §4.1.3: exact string matching, so no patterns.
  it.each(["https://*.example.com/cb", "https://app.example.com/*", "com.example.*:/cb"])(
    "refuses wildcards: %s",
    (uri) => {
      for (const o of both) expect(redirectUriProblem(uri, o)).toBe("must not contain wildcards: register each URI exactly");
    },
  );

  it.each(["https://user@app.example.com/cb", "https://user:pw@app.example.com/cb", "http://localhost@evil.example/cb"])(
    "refuses userinfo: %s",
    (uri) => {
      for (const o of both) expect(redirectUriProblem(uri, o)).toBe("must not contain a user name or password");
    },
  );

  // Refused for public clients too, whose private-use schemes are otherwise allowed.
  it.each([
    ["javascript:alert(1)", "javascript:"],
    ["JavaScript:alert(1)", "javascript:"],
    ["data:text/html,<script>alert(1)</script>", "data:"],
    ["file:///etc/passwd", "file:"],
    ["vbscript:msgbox(1)", "vbscript:"],
  ])("refuses the dangerous scheme of %s", (uri, scheme) => {
    for (const o of both) expect(redirectUriProblem(uri, o)).toBe(`must not use the ${scheme} scheme`);
  });

  it.each(["/cb", "app.example.com/cb", "not a uri", ""])("refuses the non-absolute %j", (uri) => {
    for (const o of both) expect(redirectUriProblem(uri, o)).toBe("is not an absolute URI");
  });

  it("refuses URIs over 2000 characters", () => {
    const base = "https://app.example.com/";
    expect(redirectUriProblem(base + "a".repeat(2000 - base.length), confidential)).toBeNull();
    expect(redirectUriProblem(base + "a".repeat(2001 - base.length), confidential)).toBe("is longer than 2000 characters");
  });

  describe("private-use URI schemes (RFC 8252 §7.1)", () => {
    it("accepts a reverse-domain scheme for a public (native) client", () => {
      expect(redirectUriProblem("com.example.app:/cb", publicClient)).toBeNull();
      expect(redirectUriProblem("com.example.app:/oauth2redirect/provider", publicClient)).toBeNull();
    });

    it("refuses any private-use scheme for a confidential client", () => {
      expect(redirectUriProblem("com.example.app:/cb", confidential)).toBe("must use https for a confidential (server) client");
    });

    it("refuses a scheme that is not in reverse-domain form", () => {
      expect(redirectUriProblem("myapp:/cb", publicClient)).toBe(
        "uses a private-use scheme that is not in reverse-domain form (e.g. com.example.app:/callback)",
      );
    });
  });
});

describe("isLoopbackRedirect", () => {
  it("is true only for http on 127.0.0.1, [::1], localhost", () => {
    expect(isLoopbackRedirect(new URL("http://127.0.0.1:9/cb"))).toBe(true);
    expect(isLoopbackRedirect(new URL("http://[::1]/cb"))).toBe(true);
    expect(isLoopbackRedirect(new URL("http://localhost/cb"))).toBe(true);
    expect(isLoopbackRedirect(new URL("https://localhost/cb"))).toBe(false);
    expect(isLoopbackRedirect(new URL("http://example.com/cb"))).toBe(false);
  });
});

// RFC 9700 §4.11: a redirect URI on the server's own origin would make its endpoints bounce the
// code onward (an open redirector); only the dashboard's inspector callback is allowed there.
describe("redirectUriProblem: control characters", () => {
  it("refuses a URI with a NUL or another control character", () => {
    expect(redirectUriProblem("https://a.example/c\u0000b", { publicClient: false })).toBe("must not contain control characters");
    expect(redirectUriProblem("https://a.example/c\u007fb", { publicClient: false })).toBe("must not contain control characters");
  });
});

// RFC 3986 §2: a URI is ASCII. Internationalised host names are registered as A-labels (RFC 5891).
describe("redirectUriProblem: non-ASCII (IDN) URIs are refused with the ASCII form to register", () => {
  it("an international host name: names its punycode A-label", () => {
    expect(redirectUriProblem("https://bücher.example/cb", confidential)).toBe(
      "must be written in ASCII: register https://xn--bcher-kva.example/cb (an international host name as its punycode A-label, RFC 5891; other characters percent-encoded, RFC 3986)",
    );
    expect(redirectUriProblem("https://例え.jp/cb", confidential)).toMatch(/^must be written in ASCII: register https:\/\/xn--r8jz45g\.jp\/cb /);
  });

  it("a non-ASCII path or query, a private-use scheme, a bidi override: percent-encoded form", () => {
    expect(redirectUriProblem("https://app.example/größe?q=ü", confidential)).toMatch(/^must be written in ASCII: register https:\/\/app\.example\/gr%C3%B6%C3%9Fe\?q=%C3%BC /);
    expect(redirectUriProblem("com.example.app:/cb/é", publicClient)).toMatch(/^must be written in ASCII: register com\.example\.app:\/cb\/%C3%A9 /);
    expect(redirectUriProblem("https://app.example/cb\u202e", confidential)).toMatch(/^must be written in ASCII/);
  });

  it("the A-label itself is accepted", () => {
    expect(redirectUriProblem("https://xn--bcher-kva.example/cb", confidential)).toBeNull();
  });

  it("asciiUri: the ASCII form, unchanged when already ASCII", () => {
    expect(asciiUri("https://bücher.example/cb?x=1")).toBe("https://xn--bcher-kva.example/cb?x=1");
    expect(asciiUri("https://app.example/cb?x=%20")).toBe("https://app.example/cb?x=%20");
  });
});

describe("redirectUriProblem with the issuer", () => {
  const OWN = "must not point at this server (it would pass the code on)";
  const https = { publicClient: false, issuer: "https://id.example.com" };
  const loopback = { publicClient: true, issuer: "http://localhost:3000" };

  it.each([
    "https://id.example.com/oauth/authorize",
    "https://id.example.com/",
    "https://ID.example.com:443/signin?callbackUrl=x",
    "https://id.example.com/dashboard/inspector/callback?x=1",
    "https://id.example.com/dashboard/inspector/callback/",
    "https://id.example.com./oauth/authorize", // the fully qualified name: the same host
  ])("refuses %s on the issuer's origin", (uri) => {
    expect(redirectUriProblem(uri, https)).toBe(OWN);
  });

  it("allows exactly the inspector callback", () => {
    expect(inspectorCallbackUri("https://id.example.com")).toBe("https://id.example.com/dashboard/inspector/callback");
    expect(inspectorCallbackUri("https://id.example.com/")).toBe("https://id.example.com/dashboard/inspector/callback");
    expect(redirectUriProblem("https://id.example.com/dashboard/inspector/callback", https)).toBeNull();
  });

  it("allows other hosts and other ports of the same host name", () => {
    expect(redirectUriProblem("https://app.example.com/cb", https)).toBeNull();
    expect(redirectUriProblem("https://id.example.com.evil.example/cb", https)).toBeNull();
    expect(redirectUriProblem("https://id.example.com:8443/cb", https)).toBeNull();
  });

  it("treats every loopback name on the issuer's port as the issuer", () => {
    for (const uri of ["http://localhost:3000/cb", "http://127.0.0.1:3000/cb", "http://[::1]:3000/cb"]) {
      expect(redirectUriProblem(uri, loopback)).toBe(OWN);
    }
    expect(redirectUriProblem("http://127.0.0.1:51234/cb", loopback)).toBeNull();
    expect(redirectUriProblem("http://localhost:3000/dashboard/inspector/callback", loopback)).toBeNull();
  });

  it("without an issuer, nothing is refused for being on it", () => {
    expect(redirectUriProblem("https://id.example.com/oauth/authorize", { publicClient: false })).toBeNull();
  });
});
