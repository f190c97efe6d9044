import { describe, expect, it } from "vitest";
import { qualifyScope } from "../oauth/resources";
import { planRun } from "./api-choice";

const items = { id: "a1", name: "Items API", identifier: "https://items.example", scopes: [{ name: "read", description: "Read" }] };
const notes = { id: "a2", name: "Notes API", identifier: "urn:notes", scopes: [{ name: "read", description: "Read notes" }] };
const rules = { clientScopes: ["openid", "email"], apis: [items, notes], defaultApi: null };

describe("step A: the API choice", () => {
  it("an API chosen: its identifier is the resource and the token's audience; its scopes go unqualified into scope", () => {
    expect(planRun({ apiId: "a1", scopes: ["openid", qualifyScope(items.identifier, "read")] }, rules)).toEqual({
      ok: true,
      scope: ["openid", "read"],
      resource: items.identifier,
      api: { identifier: items.identifier, scopes: ["read"] },
    });
  });
  it("None: no resource; the client's default API (if any) is still the token's audience", () => {
    expect(planRun({ apiId: "", scopes: ["openid"] }, rules)).toEqual({ ok: true, scope: ["openid"] });
    expect(planRun({ apiId: "", scopes: ["openid", qualifyScope(notes.identifier, "read")] }, { ...rules, defaultApi: notes })).toEqual({
      ok: true,
      scope: ["openid", "read"],
      api: { identifier: notes.identifier, scopes: ["read"] },
    });
  });
  it("refuses another API's scope, an unknown API or scope, and nothing ticked", () => {
    expect(planRun({ apiId: "a1", scopes: [qualifyScope(notes.identifier, "read")] }, rules)).toEqual({ ok: false, error: "read is a scope of Notes API: choose Notes API as the API, or untick it." });
    expect(planRun({ apiId: "zz", scopes: ["openid"] }, rules).ok).toBe(false);
    expect(planRun({ apiId: "a1", scopes: ["profile"] }, rules)).toEqual({ ok: false, error: "Pick only scopes listed here." });
    expect(planRun({ apiId: "a1", scopes: [qualifyScope(items.identifier, "write")] }, rules)).toEqual({ ok: false, error: "Pick only scopes listed here." });
    expect(planRun({ apiId: "a1", scopes: [] }, rules)).toEqual({ ok: false, error: "Pick at least one of this client's scopes." });
  });
});
