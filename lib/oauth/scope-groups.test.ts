import { describe, expect, it } from "vitest";
import { qualifyScope } from "./resources";
import { apisNamedIn, groupScopes, scopeSummary } from "./scope-groups";

const items = { identifier: "https://items.example", name: "Items API", scopes: [{ name: "read", description: "Read your items" }, { name: "write", description: "" }] };
const notes = { identifier: "urn:notes", name: "Notes API", scopes: [{ name: "read", description: "Read your notes" }] };

describe("groupScopes", () => {
  it("portal scopes first, then each API's under its name; two APIs' read stay apart; a missing description shows the name", () => {
    const stored = ["openid", qualifyScope(items.identifier, "read"), qualifyScope(notes.identifier, "read"), "email", qualifyScope(items.identifier, "write")];
    expect(groupScopes(stored, [items, notes])).toEqual([
      { api: null, lines: [{ key: "openid", text: "Sign you in with your Latchkey account" }, { key: "email", text: "See your email address and whether it is verified" }] },
      { api: { name: "Items API", identifier: items.identifier }, lines: [{ key: "https://items.example\\read", text: "Read your items" }, { key: "https://items.example\\write", text: "write" }] },
      { api: { name: "Notes API", identifier: "urn:notes" }, lines: [{ key: "urn:notes\\read", text: "Read your notes" }] },
    ]);
  });
  it("an API that no longer exists is shown by its identifier; apisNamedIn lists the identifiers once", () => {
    const stored = [qualifyScope("https://gone.example", "x"), qualifyScope("https://gone.example", "y")];
    expect(groupScopes(stored, [])).toEqual([
      { api: { name: "https://gone.example", identifier: "https://gone.example" }, lines: [{ key: stored[0], text: "x" }, { key: stored[1], text: "y" }] },
    ]);
    expect(apisNamedIn(["openid", ...stored])).toEqual(["https://gone.example"]);
  });
});

describe("scopeSummary", () => {
  it("portal scopes by name, then each API's by its own name under the API's name; never the qualified form", () => {
    const stored = ["openid", qualifyScope(items.identifier, "read"), qualifyScope(notes.identifier, "read"), "email", qualifyScope(items.identifier, "write")];
    expect(scopeSummary(stored, [items, notes])).toBe("openid email · Items API: read write · Notes API: read");
  });
  it("an API that no longer exists is named by its identifier; nothing stored reads as no scopes", () => {
    expect(scopeSummary([qualifyScope("https://gone.example", "x")], [])).toBe("https://gone.example: x");
    expect(scopeSummary([], [])).toBe("no scopes");
  });
});
