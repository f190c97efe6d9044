// queryOf reads the query of a request target as URL parsing does, whether the target is the
// lean router's (path and query) or a Web Request's (absolute, perhaps with a fragment).
import { describe, expect, it } from "vitest";
import { paramsFrom, queryOf } from "./form";
import { resourcesOf } from "../oauth/resources";

const same = (target: string) => [...queryOf(target)];
const byUrl = (target: string) => [...new URL(target, "http://h").searchParams];

describe("queryOf", () => {
  it.each([
    "/oauth/authorize?client_id=a&state=x%20y&redirect_uri=https%3A%2F%2Fapp%2Fcb%3Fq%3D1",
    "http://h/oauth/authorize?client_id=a&scope=openid+email",
    "/oauth/authorize?a=1?b=2",
    "/oauth/authorize?a=1#frag?b=2",
    "http://h/oauth/authorize#x?client_id=evil",
    "/oauth/authorize",
    "/oauth/authorize?",
    "/oauth/authorize?a=&a=2",
  ])("%s: the same parameters as URL parsing", (target) => {
    expect(same(target)).toEqual(byUrl(target));
  });

  it("ignores what follows a fragment mark, even a question mark", () => {
    expect(same("http://h/oauth/authorize#x?client_id=evil")).toEqual([]);
  });
});

describe("paramsFrom: resource may repeat (RFC 8707 §2), nothing else may (RFC 6749 §3.1)", () => {
  it("keeps every resource value, in order; resourcesOf gives them back", () => {
    const p = paramsFrom(new URLSearchParams("grant_type=x&resource=https%3A%2F%2Fa.example&resource=&resource=urn%3Ab"));
    expect(resourcesOf(p)).toEqual(["https://a.example", "urn:b"]);
    expect(resourcesOf(paramsFrom(new URLSearchParams("resource=urn%3Ab")))).toEqual(["urn:b"]);
    expect(resourcesOf(paramsFrom(new URLSearchParams("grant_type=x")))).toEqual([]);
  });
  it("a resource value with a line feed is refused (so a joined value can never come from one)", () => {
    expect(() => paramsFrom(new URLSearchParams("resource=a%0Ab"))).toThrow("Parameter resource contains control characters");
  });
  it("another repeated parameter is still invalid_request", () => {
    expect(() => paramsFrom(new URLSearchParams("scope=a&scope=b"))).toThrow("Parameter scope is repeated");
  });
});
