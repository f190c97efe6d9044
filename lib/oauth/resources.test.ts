// Resource indicator syntax (RFC 8707 §2) and the qualified form of API scopes in consents.
import { describe, expect, it } from "vitest";
import { qualifyScope, resourceProblem, unqualifyScope } from "./resources";

describe("resourceProblem (RFC 8707 §2: an absolute URI without a fragment)", () => {
  it.each(["https://api.example.com", "https://api.example.com/v1?x=1", "urn:example:items", "http://localhost:8080/"])("accepts %s", (v) => {
    expect(resourceProblem(v)).toBeNull();
  });
  it.each([
    ["/relative", "must be an absolute URI (such as https://api.example.com)"],
    ["api.example.com", "must be an absolute URI (such as https://api.example.com)"],
    ["https://api.example.com/#frag", "must not contain a fragment (#)"],
    ["https://api.example.com/a b", "must be a URI: no spaces, backslashes or characters outside ASCII"],
    ["https://api.example.com\\x", "must be a URI: no spaces, backslashes or characters outside ASCII"],
    ["https://bücher.example", "must be a URI: no spaces, backslashes or characters outside ASCII"],
    [`https://a.example/${"x".repeat(2000)}`, "is longer than 2000 characters"],
  ])("refuses %j", (v, problem) => {
    expect(resourceProblem(v)).toBe(problem);
  });
});

describe("qualified API scopes", () => {
  it("qualify and unqualify round-trip; OIDC scopes stay plain; two APIs' read differ", () => {
    const a = qualifyScope("https://a.example", "read");
    const b = qualifyScope("urn:b", "read");
    expect(a).toBe("https://a.example\\read");
    expect(a).not.toBe(b);
    expect(unqualifyScope(a)).toEqual({ resource: "https://a.example", scope: "read" });
    expect(unqualifyScope(b)).toEqual({ resource: "urn:b", scope: "read" });
    expect(unqualifyScope("openid")).toEqual({ resource: null, scope: "openid" });
  });
});
