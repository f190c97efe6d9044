// Check (5a): resource (RFC 8707 §2) at the authorization endpoint, with the scope rules that
// depend on it (5b): one test per rule, each with the exact error.
import { describe, expect, it } from "vitest";
import { makeApi, oauthErrorOf, raw, testClient } from "@test/oauth-fixtures";
import type { ApiRecord } from "../types";
import { checkResource, resourceLookups, type FoundApis } from "./resource";
import { checkScope } from "./scope";

const items = makeApi();
const notes = makeApi({ identifier: "urn:example:notes", name: "Notes API", scopes: [{ name: "read", description: "Read your notes" }] });
const files = makeApi({ identifier: "https://files.example.com", name: "Files API", scopes: [{ name: "read", description: "Read your files" }] });
const client = testClient();
const found = (...apis: ApiRecord[]): FoundApis => new Map(apis.map((a) => [a.identifier, a]));
const q = (pairs: [string, string][]) => raw(pairs);

function invalidTarget(fn: () => unknown, description: string) {
  const e = oauthErrorOf(fn);
  expect({ error: e.error, status: e.status, description: e.description }).toEqual({ error: "invalid_target", status: 400, description });
}

describe("checkResource (RFC 8707 §2)", () => {
  it("returns the requested APIs in order, repeats de-duplicated", () => {
    const r = q([["resource", notes.identifier], ["resource", items.identifier], ["resource", notes.identifier]]);
    expect(checkResource(r, client, found(items, notes))).toEqual([notes, items]);
    expect(resourceLookups(r, client)).toEqual([notes.identifier, items.identifier]);
  });

  it("none sent and no default: no API (the audience stays the issuer), nothing to look up", () => {
    expect(checkResource(q([]), client, found())).toEqual([]);
    expect(resourceLookups(q([["resource", ""]]), client)).toEqual([]);
  });

  it("none sent: the client's default API", () => {
    const withDefault = testClient({ defaultResource: items.identifier });
    expect(resourceLookups(q([]), withDefault)).toEqual([items.identifier]);
    expect(checkResource(q([]), withDefault, found(items))).toEqual([items]);
    // One sent: the default does not apply.
    expect(checkResource(q([["resource", notes.identifier]]), withDefault, found(items, notes))).toEqual([notes]);
  });

  it.each([
    ["a relative URI", "/api", "The resource /api must be an absolute URI (such as https://api.example.com) (RFC 8707)"],
    ["a fragment", "https://api.example.com/#x", "The resource https://api.example.com/#x must not contain a fragment (#) (RFC 8707)"],
    ["a space", "https://api.example.com/a b", "The resource https://api.example.com/a b must be a URI: no spaces, backslashes or characters outside ASCII (RFC 8707)"],
  ])("%s -> invalid_target, and nothing is looked up", (_what, value, description) => {
    const r = q([["resource", items.identifier], ["resource", value]]);
    expect(resourceLookups(r, client)).toEqual([]);
    invalidTarget(() => checkResource(r, client, found(items)), description);
  });

  it("an unregistered API -> invalid_target", () => {
    invalidTarget(() => checkResource(q([["resource", "https://nope.example.com"]]), client, found(items)), "The resource https://nope.example.com is not an API registered here");
  });

  it("an API that does not allow this client -> invalid_target; one that lists it -> ok", () => {
    const closed = makeApi({ allClients: false, allowedClientIds: ["someone-else"] });
    invalidTarget(() => checkResource(q([["resource", closed.identifier]]), client, found(closed)), "This client may not request the resource https://api.example.com");
    const listed = makeApi({ allClients: false, allowedClientIds: [client.id] });
    expect(checkResource(q([["resource", listed.identifier]]), client, found(listed))).toEqual([listed]);
  });

  it("more than 10 resources -> invalid_target", () => {
    const many = Array.from({ length: 11 }, (_, i): [string, string] => ["resource", `https://a${i}.example.com`]);
    expect(resourceLookups(q(many), client)).toEqual([]);
    invalidTarget(() => checkResource(q(many), client, found()), "At most 10 resources may be requested");
  });
});

describe("checkScope with resources", () => {
  const scopeOf = (pairs: [string, string][], apis: ApiRecord[], c = client) => checkScope(q(pairs), c, apis);

  it("an API scope comes out qualified by its API; OIDC scopes stay plain", () => {
    expect(scopeOf([["scope", "openid read:items"]], [items])).toEqual(["openid", "https://api.example.com\\read:items"]);
  });

  it("two requested APIs that both have `read`: one scope for each", () => {
    expect(scopeOf([["scope", "read"]], [notes, files])).toEqual(["urn:example:notes\\read", "https://files.example.com\\read"]);
  });

  it("no scope: the client's registered scopes plus every scope of the requested APIs (RFC 6749 §3.3)", () => {
    const c = testClient({ scopes: ["openid", "email"] });
    expect(scopeOf([], [items], c)).toEqual(["openid", "email", "https://api.example.com\\read:items", "https://api.example.com\\write:items"]);
  });

  it("client.scopes restricts only the portal's scopes: an API scope needs no registration", () => {
    expect(scopeOf([["scope", "write:items"]], [items], testClient({ scopes: ["openid"] }))).toEqual(["https://api.example.com\\write:items"]);
  });

  it("a scope of no requested API -> invalid_scope (without resource: unknown scope)", () => {
    const e = oauthErrorOf(() => scopeOf([["scope", "openid delete:items"]], [items]));
    expect({ error: e.error, description: e.description }).toEqual({ error: "invalid_scope", description: "delete:items is not a scope of the requested resource" });
    const bare = oauthErrorOf(() => scopeOf([["scope", "openid read:items"]], []));
    expect({ error: bare.error, description: bare.description }).toEqual({ error: "invalid_scope", description: "Unknown scope read:items" });
  });
});
