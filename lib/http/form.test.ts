// queryOf reads the query of a request target as URL parsing does, whether the target is the
// lean router's (path and query) or a Web Request's (absolute, perhaps with a fragment).
import { describe, expect, it } from "vitest";
import { queryOf } from "./form";

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
