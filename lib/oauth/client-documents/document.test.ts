import { describe, expect, it } from "vitest";
import { InvalidClientDocument, parseClientDocument } from "./document";

const URL_ID = "https://app.example/oauth/client.json";
const ISSUER = "https://id.example.com";
const json = (doc: unknown, contentType: string | null = "application/json") => ({ contentType, body: JSON.stringify(doc) });
const base = { client_id: URL_ID, client_name: "Notes", redirect_uris: ["http://127.0.0.1:3334/callback"] };

function problem(response: { contentType: string | null; body: string }): string {
  try {
    parseClientDocument(URL_ID, response, ISSUER);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidClientDocument);
    return (e as Error).message;
  }
  throw new Error("expected the document to be refused");
}

describe("parseClientDocument (draft-ietf-oauth-client-id-metadata-document §4)", () => {
  it("gives a public client with PKCE, the code and refresh grants, and RS256 ID tokens by default", () => {
    const meta = parseClientDocument(URL_ID, json({ ...base, client_uri: "https://app.example", logo_uri: "https://app.example/logo.png" }), ISSUER);
    expect(meta).toMatchObject({
      client_name: "Notes",
      client_uri: "https://app.example",
      logo_uri: "https://app.example/logo.png",
      redirect_uris: ["http://127.0.0.1:3334/callback"],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      require_pkce: true,
      id_token_signed_response_alg: "RS256",
    });
  });

  it("accepts none explicitly, application/*+json, and names the client after its host when client_name is absent", () => {
    const { client_name: _, ...noName } = base;
    const meta = parseClientDocument(URL_ID, json({ ...noName, token_endpoint_auth_method: "none" }, "application/foo+json; charset=utf-8"), ISSUER);
    expect(meta.client_name).toBe("app.example");
  });

  it("ignores require_pkce false: a document client always uses PKCE", () => {
    expect(parseClientDocument(URL_ID, json({ ...base, require_pkce: false }), ISSUER).require_pkce).toBe(true);
  });

  it.each([
    [json(base, "text/plain"), 'it is served as "text/plain", not application/json'],
    [json(base, null), 'it is served as "no Content-Type", not application/json'],
    [{ contentType: "application/json", body: "{nope" }, "it is not valid JSON"],
    [json([base]), "it is not a JSON object"],
    [json({ ...base, client_id: undefined }), "it has no client_id (§4: it MUST contain one, equal to its URL)"],
    [json({ ...base, client_id: "https://app.example:443/oauth/client.json" }), 'its client_id "https://app.example:443/oauth/client.json" is not exactly the URL it was fetched from (§4)'],
    [json({ ...base, client_id: "https://evil.example/oauth/client.json" }), 'its client_id "https://evil.example/oauth/client.json" is not exactly the URL it was fetched from (§4)'],
    [json({ ...base, client_secret: "s" }), "it contains client_secret, which a client ID metadata document MUST NOT contain (§4.1)"],
    [json({ ...base, client_secret_expires_at: 0 }), "it contains client_secret_expires_at, which a client ID metadata document MUST NOT contain (§4.1)"],
    [
      json({ ...base, token_endpoint_auth_method: "client_secret_basic" }),
      'token_endpoint_auth_method "client_secret_basic" needs a shared secret, which a client ID metadata document cannot establish (§4.1); use "none"',
    ],
    [
      json({ ...base, token_endpoint_auth_method: "private_key_jwt", jwks_uri: "https://app.example/jwks" }),
      'token_endpoint_auth_method "private_key_jwt" is not supported here: only public clients ("none") can use a client ID metadata document on this server',
    ],
    [json({ ...base, redirect_uris: [] }), "redirect_uris: At least one redirect URI is required"],
    [json({ ...base, redirect_uris: ["http://app.example/cb"] }), "redirect_uris[0]: http://app.example/cb must use https (http is allowed only for 127.0.0.1, [::1] or localhost)"],
    [json({ ...base, redirect_uris: ["https://id.example.com/oauth/authorize"] }), "redirect_uris[0]: https://id.example.com/oauth/authorize must not point at this server (it would pass the code on)"],
    [json({ ...base, grant_types: ["client_credentials"] }), "grant_types: A public client cannot use client_credentials"],
    [json({ ...base, response_types: ["token"] }), "response_types: only 'code' and 'id_token' are supported"],
    [json({ ...base, logo_uri: "http://app.example/logo.png" }), "logo_uri: Logo URL must be an https URL"],
  ])("refuses %j: %s", (response, expected) => {
    expect(problem(response)).toBe(expected);
  });
});
