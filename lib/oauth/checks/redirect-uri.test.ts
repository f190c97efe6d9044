// Check (2): redirect_uri exact match (RFC 9700 §4.1.3), loopback ports for native apps
// (RFC 8252 §7.3), optional only with one registered URI; failures are error pages.
import { describe, expect, it } from "vitest";
import { checkRedirectUri, loopbackMatches } from "./redirect-uri";
import { pageErrorOf, raw, testClient, testPublicClient } from "@test/oauth-fixtures";

const UNREGISTERED = "Unregistered redirect address";

describe("checkRedirectUri", () => {
  const web = testClient({ redirectUris: ["https://app.example.com/callback", "https://app.example.com/other?tenant=a"] });

  it("accepts an exactly registered URI", () => {
    expect(checkRedirectUri(raw({ redirect_uri: "https://app.example.com/callback" }), web)).toEqual({
      redirectUri: "https://app.example.com/callback",
      redirectUriGiven: true,
    });
  });

  it("accepts a registered URI with a query, compared as a string", () => {
    const uri = "https://app.example.com/other?tenant=a";
    expect(checkRedirectUri(raw({ redirect_uri: uri }), web).redirectUri).toBe(uri);
  });

  it.each([
    "https://app.example.com/callback/",
    "https://app.example.com/Callback",
    "https://APP.example.com/callback",
    "https://app.example.com:443/callback",
    "https://app.example.com/callback?x=1",
    "https://app.example.com/callback#frag",
    "https://evil.example/callback",
    "https://app.example.com/other?tenant=b",
    "https://app.example.com/other",
  ])("refuses anything but an exact match: %s -> error page", (uri) => {
    expect(pageErrorOf(() => checkRedirectUri(raw({ redirect_uri: uri }), web)).title).toBe(UNREGISTERED);
  });

  it("omitted with exactly one registered URI: that one, marked as not given", () => {
    expect(checkRedirectUri(raw({}), testClient())).toEqual({
      redirectUri: "https://app.example.com/callback",
      redirectUriGiven: false,
    });
  });

  it("omitted with two registered URIs -> error page", () => {
    expect(pageErrorOf(() => checkRedirectUri(raw({}), web)).title).toBe("Missing redirect address");
  });

  it("omitted with none registered -> error page", () => {
    expect(pageErrorOf(() => checkRedirectUri(raw({}), testClient({ redirectUris: [] }))).title).toBe("Missing redirect address");
  });

  it("repeated redirect_uri -> error page", () => {
    const q = raw([
      ["redirect_uri", "https://app.example.com/callback"],
      ["redirect_uri", "https://app.example.com/callback"],
    ]);
    expect(pageErrorOf(() => checkRedirectUri(q, web)).title).toBe("Invalid request");
  });

  describe("loopback redirects (RFC 8252 §7.3)", () => {
    const native = testPublicClient({
      redirectUris: ["http://127.0.0.1/callback", "http://[::1]:8000/cb", "http://localhost/cb?app=1"],
    });

    it.each(["http://127.0.0.1:51234/callback", "http://127.0.0.1/callback", "http://[::1]:1/cb", "http://[::1]/cb", "http://localhost:3999/cb?app=1"])(
      "a public client may use any port: %s",
      (uri) => {
        expect(checkRedirectUri(raw({ redirect_uri: uri }), native)).toEqual({ redirectUri: uri, redirectUriGiven: true });
      },
    );

    it.each([
      "http://127.0.0.1:51234/other", // path differs
      "http://127.0.0.1:51234/callback?x=1", // query differs
      "http://localhost:51234/callback", // host differs (localhost is not 127.0.0.1)
      "http://[::1]:8000/callback",
      "https://127.0.0.1:51234/callback", // scheme differs
      "http://127.0.0.1:0/callback", // not a port
      "http://127.0.0.1:99999/callback",
      "http://127.0.0.1:80@evil.example/callback", // user info, another host
      "http://127.0.0.1.evil.example:8080/callback",
      "http://localhost:3999/cb?app=2",
    ])("everything but the port must match: %s -> error page", (uri) => {
      expect(pageErrorOf(() => checkRedirectUri(raw({ redirect_uri: uri }), native)).title).toBe(UNREGISTERED);
    });

    it("a confidential client with a different loopback port -> error page", () => {
      const confidential = testClient({ redirectUris: ["http://127.0.0.1:8080/callback"] });
      expect(pageErrorOf(() => checkRedirectUri(raw({ redirect_uri: "http://127.0.0.1:9090/callback" }), confidential)).title).toBe(
        UNREGISTERED,
      );
      // ...while the exact URI is fine.
      expect(checkRedirectUri(raw({ redirect_uri: "http://127.0.0.1:8080/callback" }), confidential).redirectUriGiven).toBe(true);
    });

    it("no port freedom for a public client's non-loopback URIs", () => {
      const pub = testPublicClient({ redirectUris: ["https://app.example.com/cb"] });
      expect(pageErrorOf(() => checkRedirectUri(raw({ redirect_uri: "https://app.example.com:8443/cb" }), pub)).title).toBe(UNREGISTERED);
    });
  });
});

describe("loopbackMatches", () => {
  it("ignores only the port", () => {
    expect(loopbackMatches("http://127.0.0.1:1234/a?b=c", "http://127.0.0.1:5678/a?b=c")).toBe(true);
    expect(loopbackMatches("http://127.0.0.1/a", "http://127.0.0.1:5678/a/")).toBe(false);
    expect(loopbackMatches("http://127.0.0.1", "http://127.0.0.1:5678")).toBe(true);
    expect(loopbackMatches("http://127.0.0.1/", "http://127.0.0.1:5678")).toBe(false);
  });

  it("is false for anything that is not http loopback", () => {
    expect(loopbackMatches("https://app.example.com/a", "https://app.example.com:1/a")).toBe(false);
    expect(loopbackMatches("com.example.app:/cb", "com.example.app:/cb")).toBe(false);
  });
});
