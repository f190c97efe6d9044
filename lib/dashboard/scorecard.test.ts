// The scorecard's rules, one by one, with exact statuses and fixes.
import { describe, expect, it } from "vitest";
import { isLooseRedirectUri, scorecard, scoreSummary, type ScorecardInput } from "./scorecard";

const NOW = new Date("2030-06-01T00:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 24 * 3600 * 1000);

const good: ScorecardInput = {
  publicClient: false,
  requirePkce: true,
  redirectUris: ["https://app.example.com/cb"],
  grantTypes: ["authorization_code", "refresh_token"],
  scopes: ["openid", "offline_access"],
  secretCreatedAt: daysAgo(10),
  createdAt: daysAgo(10),
  clientCredentialsTokensLast30d: 0,
  now: NOW,
};

const item = (input: Partial<ScorecardInput>, id: string) => scorecard({ ...good, ...input }).find((i) => i.id === id);

describe("scorecard", () => {
  it("a well-configured confidential client passes everything, with no fixes offered", () => {
    const items = scorecard(good);
    expect(items.map((i) => [i.id, i.status])).toEqual([
      ["pkce", "pass"],
      ["redirect_uris", "pass"],
      ["refresh_rotation", "pass"],
      ["secret_age", "pass"],
    ]);
    expect(items.filter((i) => i.fix)).toEqual([]);
    expect(scoreSummary(items)).toEqual({ pass: 4, warn: 0, fail: 0 });
    for (const i of items) expect(i.cite).toMatch(/^RFC \d+ §/);
  });

  it("PKCE not required fails and offers require_pkce (RFC 9700 §2.1.1)", () => {
    const i = item({ requirePkce: false }, "pkce");
    expect([i?.status, i?.fix?.action, i?.cite]).toEqual(["fail", "require_pkce", "RFC 9700 §2.1.1"]);
  });

  it("loopback http on a confidential client warns, says it is for development, and offers no one-click removal (the form allows it)", () => {
    const both = item({ redirectUris: ["https://app.example.com/cb", "http://127.0.0.1:8080/cb"] }, "redirect_uris");
    expect([both?.status, both?.finding, both?.fix]).toEqual([
      "warn",
      "Not https: http://127.0.0.1:8080/cb. Fine while you develop on your own machine; remove it with Edit before the app goes live.",
      undefined,
    ]);
    const only = item({ redirectUris: ["http://localhost:3000/cb"] }, "redirect_uris");
    expect([only?.status, only?.fix]).toEqual(["warn", undefined]);
  });

  it("URIs the rules refuse today get the fix, which is offered only when an allowed URI remains", () => {
    const old = item({ redirectUris: ["https://app.example.com/cb", "http://localhost:3000/cb", "http://app.example.com/cb"] }, "redirect_uris");
    expect([old?.status, old?.finding, old?.fix]).toEqual([
      "warn",
      "No longer allowed: http://app.example.com/cb. Not https: http://localhost:3000/cb. Fine while you develop on your own machine; remove it with Edit before the app goes live.",
      { action: "remove_loose_redirect_uris", label: "Remove the URI no longer allowed" },
    ]);
    expect(item({ redirectUris: ["http://app.example.com/cb"] }, "redirect_uris")?.fix).toBeUndefined();
  });

  it("loopback and private-use redirect URIs are fine for a public client", () => {
    const i = item(
      { publicClient: true, secretCreatedAt: null, redirectUris: ["http://127.0.0.1/cb", "com.example.app:/cb"] },
      "redirect_uris",
    );
    expect(i?.status).toBe("pass");
  });

  it("isLooseRedirectUri", () => {
    expect(isLooseRedirectUri("https://a.example/cb", false)).toBe(false);
    expect(isLooseRedirectUri("http://127.0.0.1/cb", false)).toBe(true);
    expect(isLooseRedirectUri("com.example.app:/cb", false)).toBe(true);
    expect(isLooseRedirectUri("http://127.0.0.1/cb", true)).toBe(false);
    expect(isLooseRedirectUri("com.example.app:/cb", true)).toBe(false);
    expect(isLooseRedirectUri("http://a.example/cb", true)).toBe(true);
    expect(isLooseRedirectUri("not a uri", true)).toBe(true);
  });

  it("refresh rotation always passes and says it is always on", () => {
    expect(item({}, "refresh_rotation")).toMatchObject({ status: "pass", cite: "RFC 9700 §4.14.2" });
    expect(item({}, "refresh_rotation")?.finding).toMatch(/^Always on in Latchkey/);
  });

  it("secret age: 90 days passes, 91 warns with a rotation fix; public clients have no such item", () => {
    expect(item({ secretCreatedAt: daysAgo(90) }, "secret_age")).toMatchObject({ status: "pass", finding: "The secret is 90 days old." });
    const old = item({ secretCreatedAt: daysAgo(91) }, "secret_age");
    expect([old?.status, old?.finding, old?.fix?.action]).toEqual(["warn", "The secret is 91 days old, more than 90.", "rotate_secret"]);
    expect(item({ publicClient: true, secretCreatedAt: null }, "secret_age")).toBeUndefined();
    expect(item({ secretCreatedAt: NOW }, "secret_age")?.finding).toBe("The secret is less than a day old.");
    expect(item({ secretCreatedAt: daysAgo(1) }, "secret_age")?.finding).toBe("The secret is 1 day old.");
  });

  it("client_credentials with no token in 30 days warns and offers to turn it off; used, it passes", () => {
    const grants = ["authorization_code", "refresh_token", "client_credentials"];
    const unused = item({ grantTypes: grants }, "client_credentials_unused");
    expect([unused?.status, unused?.fix?.action]).toEqual(["warn", "drop_client_credentials"]);
    const used = item({ grantTypes: grants, clientCredentialsTokensLast30d: 3 }, "client_credentials_unused");
    expect([used?.status, used?.finding, used?.fix]).toEqual(["pass", "3 tokens issued with it in the last 30 days.", undefined]);
    expect(item({}, "client_credentials_unused")).toBeUndefined();
  });

  it("refresh_token without offline_access warns and offers to turn refresh_token off", () => {
    const i = item({ scopes: ["openid", "email"] }, "refresh_without_offline");
    expect([i?.status, i?.fix?.action]).toEqual(["warn", "drop_refresh_token"]);
    expect(item({ scopes: ["openid", "email"], grantTypes: ["authorization_code"] }, "refresh_without_offline")).toBeUndefined();
    expect(item({}, "refresh_without_offline")).toBeUndefined();
  });
});
