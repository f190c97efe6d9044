import { describe, expect, it } from "vitest";
import { clientIdUrlProblem, hostIsTrusted, isClientIdUrl, parseTrustedDomains } from "./client-id-url";

const prod = { allowHttpLoopback: false };
const dev = { allowHttpLoopback: true };

describe("Client Identifier URLs (draft-ietf-oauth-client-id-metadata-document §3)", () => {
  it("tells URL client_ids from registered ones", () => {
    expect(isClientIdUrl("https://app.example/client.json")).toBe(true);
    expect(isClientIdUrl("http://127.0.0.1:8080/client.json")).toBe(true);
    expect(isClientIdUrl("lk_abc")).toBe(false);
  });

  it.each([
    ["https://app.example/client.json"],
    ["https://app.example:8443/oauth/client"],
    ["https://app.example/"],
    ["https://app.example/client?v=1"], // a query is only NOT RECOMMENDED
    ["https://93.184.215.14/client.json"],
  ])("accepts %s", (url) => {
    expect(clientIdUrlProblem(url, prod)).toBeNull();
  });

  it.each([
    ["http://app.example/client.json", "must use the https scheme (draft-ietf-oauth-client-id-metadata-document §3)"],
    ["http://127.0.0.1:8080/client.json", "must use the https scheme (draft-ietf-oauth-client-id-metadata-document §3)"],
    ["https://user:pw@app.example/client.json", "must not contain a user name or password (§3)"],
    ["https://user@app.example/client.json", "must not contain a user name or password (§3)"],
    ["https://app.example/client.json#x", "must not contain a fragment (§3)"],
    ["https://app.example", "must contain a path, e.g. https://app.example/oauth/client.json (§3)"],
    ["https://app.example?x=1", "must contain a path, e.g. https://app.example/oauth/client.json (§3)"],
    ["https://app.example/a/../client.json", "must not contain . or .. path segments (§3)"],
    ["https://app.example/./client.json", "must not contain . or .. path segments (§3)"],
    ["https://app.example/a/%2E%2e/client.json", "must not contain . or .. path segments (§3)"],
    ["https://app.example/a b", "must be a URL in printable ASCII, without spaces or backslashes"],
    ["https://app.example\\client.json", "must be a URL in printable ASCII, without spaces or backslashes"],
    ["https://bücher.example/c", "must be a URL in printable ASCII, without spaces or backslashes"],
    [`https://app.example/${"a".repeat(250)}`, "is longer than 255 characters"],
    ["https://", "is not a valid URL"],
  ])("refuses %s", (url, problem) => {
    expect(clientIdUrlProblem(url, prod)).toBe(problem);
  });

  it("accepts http only on a loopback host, and only with the development switch", () => {
    expect(clientIdUrlProblem("http://127.0.0.1:8080/client.json", dev)).toBeNull();
    expect(clientIdUrlProblem("http://localhost:8080/client.json", dev)).toBeNull();
    expect(clientIdUrlProblem("http://app.example/client.json", dev)).toBe(
      "must use the https scheme (draft-ietf-oauth-client-id-metadata-document §3)",
    );
  });
});

describe("trusted domains (CLIENT_METADATA_TRUSTED_DOMAINS)", () => {
  it("parses host names and *.host patterns, lower-cased", () => {
    expect(parseTrustedDomains(" Example.com, *.apps.example.org ,")).toEqual(["example.com", "*.apps.example.org"]);
    expect(parseTrustedDomains(undefined)).toEqual([]);
    expect(() => parseTrustedDomains("example.com, https://x.org")).toThrow('"https://x.org" is not a host name or *.host pattern');
    expect(() => parseTrustedDomains("*")).toThrow('"*" is not a host name or *.host pattern');
  });

  it("matches exact hosts and subdomains of wildcard patterns", () => {
    const p = ["example.com", "*.example.org"];
    expect(hostIsTrusted("example.com", p)).toBe(true);
    expect(hostIsTrusted("EXAMPLE.com.", p)).toBe(true);
    expect(hostIsTrusted("app.example.com", p)).toBe(false);
    expect(hostIsTrusted("app.example.org", p)).toBe(true);
    expect(hostIsTrusted("a.b.example.org", p)).toBe(true);
    expect(hostIsTrusted("example.org", p)).toBe(false);
    expect(hostIsTrusted("evilexample.org", p)).toBe(false);
    expect(hostIsTrusted("anything.test", [])).toBe(true);
  });
});
