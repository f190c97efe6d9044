import { describe, expect, it } from "vitest";
import { apiFormValuesOf, parseApiSettingsForm, parseNewApiForm, scopesText } from "./api-form";

function form(fields: Record<string, string | string[]>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
}

const CHOICES = new Set(["c1", "c2"]);
const rules = { trustedName: false, clientChoices: CHOICES };

const ok = {
  name: " Items API ",
  identifier: "https://api.example.com",
  scopes: "read:items=Read your items\n\n  write:items = Change your items  \nadmin",
  access_token_ttl: "",
  client_access: "all",
};

describe("parseNewApiForm", () => {
  it("one scope per non-empty line, name=words; an empty lifetime is the server's default; all clients", () => {
    const r = parseNewApiForm(form(ok), rules);
    expect(r.ok && r.input).toStrictEqual({
      name: "Items API",
      identifier: "https://api.example.com",
      scopes: [
        { name: "read:items", description: "Read your items" },
        { name: "write:items", description: "Change your items" },
        { name: "admin", description: "" },
      ],
      accessTokenTtl: null,
      allClients: true,
      allowedClientIds: [],
    });
  });

  it("listed clients and a lifetime in seconds", () => {
    const r = parseNewApiForm(form({ ...ok, access_token_ttl: " 300 ", client_access: "listed", allowed_clients: ["c2", "c1", "c2"] }), rules);
    expect(r.ok && [r.input.accessTokenTtl, r.input.allClients, r.input.allowedClientIds]).toStrictEqual([300, false, ["c2", "c1"]]);
  });

  it("listed clients are ignored when all clients may ask", () => {
    const r = parseNewApiForm(form({ ...ok, allowed_clients: ["c1"] }), rules);
    expect(r.ok && r.input.allowedClientIds).toStrictEqual([]);
  });

  it("refuses a client that is not among the caller's choices (a crafted form)", () => {
    const r = parseNewApiForm(form({ ...ok, client_access: "listed", allowed_clients: ["c1", "someone-elses"] }), rules);
    expect(!r.ok && r.errors).toStrictEqual({ allowed_clients: ["Choose among your own clients"] });
  });

  it("each bad scope line gets its own message, naming the line; what was typed comes back", () => {
    const typed = { ...ok, scopes: "read items=Read\nopenid=Me\n=nameless\nok=fine" };
    const r = parseNewApiForm(form(typed), rules);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.scopes).toStrictEqual([
      "read items=Read: A scope name has no spaces, quotes or backslashes (RFC 6749 §3.3)",
      "openid=Me: openid, profile, email and offline_access are the portal's own scopes",
      "=nameless: A scope needs a name",
    ]);
    expect(r.values.scopes).toBe(typed.scopes);
    expect(r.values.name).toBe(" Items API ");
  });

  it("a scope listed twice is refused", () => {
    const r = parseNewApiForm(form({ ...ok, scopes: "ok=fine\nok=twice" }), rules);
    expect(!r.ok && r.errors).toStrictEqual({ scopes: ["Scope ok is listed twice"] });
  });

  it("an identifier must be an absolute URI without a fragment (RFC 8707 §2)", () => {
    expect(parseNewApiForm(form({ ...ok, identifier: "api.example.com" }), rules)).toMatchObject({
      ok: false,
      errors: { identifier: ["Identifier must be an absolute URI (such as https://api.example.com)"] },
    });
    expect(parseNewApiForm(form({ ...ok, identifier: "https://api.example.com/#x" }), rules)).toMatchObject({
      ok: false,
      errors: { identifier: ["Identifier must not contain a fragment (#)"] },
    });
    expect(parseNewApiForm(form({ ...ok, identifier: "" }), rules)).toMatchObject({ ok: false, errors: { identifier: ["Identifier is required"] } });
  });

  it("a lifetime that is not a whole number, or out of range, is refused on its field", () => {
    expect(parseNewApiForm(form({ ...ok, access_token_ttl: "5m" }), rules)).toMatchObject({
      ok: false,
      errors: { access_token_ttl: ["The token lifetime is a whole number of seconds, or empty for the default"] },
    });
    expect(parseNewApiForm(form({ ...ok, access_token_ttl: "30" }), rules)).toMatchObject({
      ok: false,
      errors: { access_token_ttl: ["The token lifetime is at least 60 seconds"] },
    });
  });

  it("a name that imitates the server is refused unless trusted (an admin)", () => {
    const typed = { ...ok, name: "Latchkey" };
    expect(parseNewApiForm(form(typed), rules).ok).toBe(false);
    expect(parseNewApiForm(form(typed), { ...rules, trustedName: true }).ok).toBe(true);
  });

  it("a crafted form without fields is refused field by field, never thrown", () => {
    const r = parseNewApiForm(new FormData(), rules);
    expect(!r.ok && Object.keys(r.errors).sort()).toStrictEqual(["identifier", "name"]);
  });
});

describe("parseApiSettingsForm", () => {
  it("has no identifier: a posted one is ignored", () => {
    const r = parseApiSettingsForm(form({ ...ok, identifier: "https://other.example.com" }), rules);
    expect(r.ok && "identifier" in r.input).toBe(false);
  });
});

describe("apiFormValuesOf", () => {
  it("round-trips a stored API through the form", () => {
    const stored = {
      name: "Items API",
      identifier: "https://api.example.com",
      scopes: [
        { name: "read:items", description: "Read your items" },
        { name: "admin", description: "" },
      ],
      accessTokenTtl: 900,
      allClients: false,
      allowedClientIds: ["c1"],
    };
    const values = apiFormValuesOf(stored);
    expect(values.scopes).toBe("read:items=Read your items\nadmin");
    expect(scopesText([])).toBe("");
    const r = parseApiSettingsForm(form({ ...values, allowed_clients: values.allowed_clients }), rules);
    const { identifier: _, ...settings } = stored;
    expect(r.ok && r.input).toStrictEqual(settings);
  });
});
