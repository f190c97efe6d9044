import { describe, expect, it } from "vitest";
import { defaultApiChoices, formValuesOf, parseClientForm, parseDefaultApi } from "./client-form";
import { clientMetadataSchema, makeClientMetadataSchema } from "../oauth/client-metadata";

const ISSUER = "https://id.example.com";

function form(fields: Record<string, string | string[]>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
}

const ok = {
  client_name: " My app ",
  description: "",
  client_uri: "",
  logo_uri: "",
  client_type: "confidential",
  redirect_uris: "https://app.example.com/cb\n\n  https://app.example.com/cb2  \n",
  post_logout_redirect_uris: "",
  scope: ["openid", "email"],
  grant_types: ["authorization_code", "refresh_token"],
  require_pkce: "on",
  id_token_user_claims: "on",
};

describe("parseClientForm", () => {
  it("turns the form into RFC 7591 metadata: one redirect URI per non-empty line", () => {
    const r = parseClientForm(form(ok), { issuer: ISSUER });
    expect(r.ok && r.metadata).toStrictEqual({
      client_name: "My app",
      redirect_uris: ["https://app.example.com/cb", "https://app.example.com/cb2"],
      post_logout_redirect_uris: [],
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["authorization_code", "refresh_token"],
      scope: "openid email",
      require_pkce: true,
      id_token_signed_response_alg: "ES256",
      id_token_user_claims: true,
    });
  });

  it("a public client: auth method none; an unchecked PKCE box is refused for it", () => {
    const r = parseClientForm(form({ ...ok, client_type: "public", require_pkce: [] }), { issuer: ISSUER });
    expect(r.ok ? null : r.errors).toStrictEqual({ require_pkce: ["A public client must use PKCE"] });
  });

  it("reports each bad redirect URI line, and refuses URIs on the issuer", () => {
    const r = parseClientForm(
      form({ ...ok, redirect_uris: "http://example.com/cb\nhttps://a.example/cb#x\nhttps://id.example.com/oauth/authorize" }),
      { issuer: ISSUER },
    );
    expect(r.ok ? null : r.errors).toStrictEqual({
      redirect_uris: [
        "http://example.com/cb must use https (http is allowed only for 127.0.0.1, [::1] or localhost)",
        "https://a.example/cb#x must not contain a fragment (#)",
        "https://id.example.com/oauth/authorize must not point at this server (it would pass the code on)",
      ],
    });
    // The typed text comes back to refill the form.
    expect(r.values.redirect_uris).toBe("http://example.com/cb\nhttps://a.example/cb#x\nhttps://id.example.com/oauth/authorize");
  });

  it("a non-ASCII (IDN) redirect URI is refused, naming the A-label to register", () => {
    const r = parseClientForm(form({ ...ok, redirect_uris: "https://bücher.example/cb" }), { issuer: ISSUER });
    expect(r.ok ? null : r.errors).toStrictEqual({
      redirect_uris: ["https://bücher.example/cb must be written in ASCII: register https://xn--bcher-kva.example/cb (an international host name as its punycode A-label, RFC 5891; other characters percent-encoded, RFC 3986)"],
    });
  });

  it("a name that imitates the server: refused for a developer, allowed for an admin, kept when an edit leaves it as it is", () => {
    const imitating = form({ ...ok, client_name: "Latchkey Account Security" });
    const refused = parseClientForm(imitating, { issuer: ISSUER });
    expect(refused.ok ? null : refused.errors.client_name).toStrictEqual([
      "Name must not contain “Latchkey” (or look like it): users would take the app for this server itself. An admin can register such a client.",
    ]);
    expect(parseClientForm(imitating, { issuer: ISSUER, trustedName: true }).ok).toBe(true);
    // The issuer's host (id.example.com) counts as imitation too.
    expect(parseClientForm(form({ ...ok, client_name: "id.example.com portal" }), { issuer: ISSUER }).ok).toBe(false);
    // An admin's client, edited by its developer without renaming it: still fine.
    const stored = makeClientMetadataSchema({ trustedName: true }).parse({ client_name: "Latchkey Account Security", redirect_uris: ["https://app.example.com/cb"] });
    expect(parseClientForm(imitating, { issuer: ISSUER, stored }).ok).toBe(true);
  });

  it("field errors: name, home page, no grant type, no scope", () => {
    const r = parseClientForm(form({ ...ok, client_name: " ", client_uri: "ftp://x", grant_types: [] }), { issuer: ISSUER });
    expect(r.ok ? null : r.errors).toStrictEqual({
      client_name: ["Name is required"],
      client_uri: ["Home page must be an https URL"],
      grant_types: ["Choose at least one grant type"],
    });
    const noScope = parseClientForm(form({ ...ok, scope: [] }), { issuer: ISSUER });
    expect(noScope.ok ? null : noScope.errors).toStrictEqual({ scope: ["Choose at least one scope"] });
    const bogus = parseClientForm(form({ ...ok, grant_types: ["password"] }), { issuer: ISSUER });
    expect(bogus.ok ? null : bogus.errors).toStrictEqual({ grant_types: ["Unknown grant type"] });
  });

  it("on edit, the stored auth method wins over the posted client type, and the signing alg is kept", () => {
    const stored = clientMetadataSchema.parse({
      client_name: "Old",
      redirect_uris: ["https://app.example.com/cb"],
      token_endpoint_auth_method: "client_secret_post",
      id_token_signed_response_alg: "RS256",
    });
    const r = parseClientForm(form({ ...ok, client_type: "public" }), { issuer: ISSUER, stored });
    expect(r.ok && [r.metadata.token_endpoint_auth_method, r.metadata.id_token_signed_response_alg]).toEqual([
      "client_secret_post",
      "RS256",
    ]);
    expect(r.values.client_type).toBe("confidential");
  });

  it("a confidential client may choose client_secret_post and RS256; both reach the metadata", () => {
    const r = parseClientForm(form({ ...ok, token_endpoint_auth_method: "client_secret_post", id_token_signed_response_alg: "RS256" }), { issuer: ISSUER });
    expect(r.ok && [r.metadata.token_endpoint_auth_method, r.metadata.id_token_signed_response_alg]).toEqual(["client_secret_post", "RS256"]);
    const basic = parseClientForm(form({ ...ok, token_endpoint_auth_method: "client_secret_basic", id_token_signed_response_alg: "ES256" }), { issuer: ISSUER });
    expect(basic.ok && [basic.metadata.token_endpoint_auth_method, basic.metadata.id_token_signed_response_alg]).toEqual(["client_secret_basic", "ES256"]);
  });

  it("a public client ignores the secret method (none), and keeps the chosen algorithm", () => {
    const r = parseClientForm(
      form({ ...ok, client_type: "public", token_endpoint_auth_method: "client_secret_post", id_token_signed_response_alg: "RS256" }),
      { issuer: ISSUER },
    );
    expect(r.ok && [r.metadata.token_endpoint_auth_method, r.metadata.id_token_signed_response_alg]).toEqual(["none", "RS256"]);
  });

  it("an unknown method or algorithm is a field error; what was typed comes back, and other errors are reported too", () => {
    const r = parseClientForm(
      form({ ...ok, client_name: " ", token_endpoint_auth_method: "none", id_token_signed_response_alg: "HS256", redirect_uris: "https://app.example.com/cb" }),
      { issuer: ISSUER },
    );
    expect(r.ok ? null : r.errors).toStrictEqual({
      token_endpoint_auth_method: ["Choose how the app sends its secret: client_secret_basic or client_secret_post"],
      client_name: ["Name is required"],
      id_token_signed_response_alg: ["Choose the ID token algorithm: ES256 or RS256"],
    });
    expect([r.values.token_endpoint_auth_method, r.values.id_token_signed_response_alg, r.values.redirect_uris]).toEqual([
      "none",
      "HS256",
      "https://app.example.com/cb",
    ]);
    // Alone, the bad method still refuses the form (no client is made with a default instead).
    const alone = parseClientForm(form({ ...ok, token_endpoint_auth_method: "private_key_jwt" }), { issuer: ISSUER });
    expect(alone.ok ? null : alone.errors).toStrictEqual({
      token_endpoint_auth_method: ["Choose how the app sends its secret: client_secret_basic or client_secret_post"],
    });
  });

  it("on edit a confidential client may switch basic <-> post and the algorithm; a public one stays none", () => {
    const stored = clientMetadataSchema.parse({ client_name: "Old", redirect_uris: ["https://app.example.com/cb"] });
    const r = parseClientForm(form({ ...ok, token_endpoint_auth_method: "client_secret_post", id_token_signed_response_alg: "RS256" }), { issuer: ISSUER, stored });
    expect(r.ok && [r.metadata.token_endpoint_auth_method, r.metadata.id_token_signed_response_alg]).toEqual(["client_secret_post", "RS256"]);
    const pub = clientMetadataSchema.parse({ client_name: "Spa", redirect_uris: ["https://app.example.com/cb"], token_endpoint_auth_method: "none" });
    const p = parseClientForm(form({ ...ok, client_type: "confidential", token_endpoint_auth_method: "client_secret_post" }), { issuer: ISSUER, stored: pub });
    expect(p.ok && p.metadata.token_endpoint_auth_method).toBe("none");
    expect(p.values.client_type).toBe("public");
  });

  it("formValuesOf shows the stored method and algorithm (a public client: no secret method)", () => {
    const m = clientMetadataSchema.parse({
      client_name: "A",
      redirect_uris: ["https://app.example.com/cb"],
      token_endpoint_auth_method: "client_secret_post",
      id_token_signed_response_alg: "RS256",
    });
    expect([formValuesOf(m).token_endpoint_auth_method, formValuesOf(m).id_token_signed_response_alg]).toEqual(["client_secret_post", "RS256"]);
    const pub = clientMetadataSchema.parse({ client_name: "B", redirect_uris: ["https://app.example.com/cb"], token_endpoint_auth_method: "none" });
    expect(formValuesOf(pub).token_endpoint_auth_method).toBe("");
  });

  it("the ID token claims checkbox: ticked is on, unticked (not sent) is off", () => {
    const on = parseClientForm(form(ok), { issuer: ISSUER });
    expect(on.ok && on.metadata.id_token_user_claims).toBe(true);
    const { id_token_user_claims: _ticked, ...unticked } = ok;
    const off = parseClientForm(form(unticked), { issuer: ISSUER });
    expect(off.ok && off.metadata.id_token_user_claims).toBe(false);
    expect(off.values.id_token_user_claims).toBe(false);
  });

  it("formValuesOf round-trips through the parser", () => {
    const r = parseClientForm(form(ok), { issuer: ISSUER });
    if (!r.ok) throw new Error("expected ok");
    const v = formValuesOf(r.metadata);
    const again = parseClientForm(
      form({ ...v, require_pkce: v.require_pkce ? "on" : [], id_token_user_claims: v.id_token_user_claims ? "on" : [], scope: v.scope, grant_types: v.grant_types }),
      { issuer: ISSUER },
    );
    expect(again.ok && again.metadata).toStrictEqual(r.metadata);
  });
});

describe("parseDefaultApi", () => {
  const choices = [{ id: "api-1" }, { id: "api-2" }];
  it("None clears the default; one of the offered APIs is kept; the posted value comes back to refill the form", () => {
    expect(parseDefaultApi("", choices)).toEqual({ ok: true, apiId: null });
    expect(parseDefaultApi("api-2", choices)).toEqual({ ok: true, apiId: "api-2" });
    expect(parseClientForm(form({ ...ok, default_api: "api-2" }), { issuer: ISSUER }).values.default_api).toBe("api-2");
    expect(parseClientForm(form(ok), { issuer: ISSUER }).values.default_api).toBe("");
  });
  it("offers the managed APIs that allow every client or list this one", () => {
    const all = { id: "a", allClients: true, allowedClientIds: [] };
    const listed = { id: "b", allClients: false, allowedClientIds: ["c1"] };
    const other = { id: "c", allClients: false, allowedClientIds: ["c2"] };
    expect(defaultApiChoices([all, listed, other], "c1").map((a) => a.id)).toEqual(["a", "b"]);
  });
  it("an API not offered (someone else's, or one that does not allow the client) is a field error, never stored", () => {
    expect(parseDefaultApi("api-3", choices)).toEqual({ ok: false, error: "Choose one of your APIs that allows this client, or None" });
    expect(parseDefaultApi("api-1", [])).toEqual({ ok: false, error: "Choose one of your APIs that allows this client, or None" });
  });
  it("the client's current default, sent back unchanged, is kept even when not offered (set by the CLI or an admin)", () => {
    expect(parseDefaultApi("api-9", choices, "api-9")).toEqual({ ok: true, apiId: "api-9" });
    expect(parseDefaultApi("api-8", choices, "api-9").ok).toBe(false);
  });
});
