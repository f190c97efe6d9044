import { describe, expect, it } from "vitest";
import { applyFix } from "./fixes";
import { clientMetadataSchema } from "../oauth/client-metadata";

const base = clientMetadataSchema.parse({
  client_name: "App",
  redirect_uris: ["https://app.example.com/cb", "http://127.0.0.1:8080/cb"],
  grant_types: ["authorization_code", "refresh_token", "client_credentials"],
  require_pkce: false,
});

describe("applyFix", () => {
  it("require_pkce turns PKCE on and changes nothing else", () => {
    expect(applyFix(base, "require_pkce")).toStrictEqual({ ...base, require_pkce: true });
  });
  it("remove_loose_redirect_uris never removes a URI the client form allows: loopback http stays on a confidential client", () => {
    const dev = { ...base, redirect_uris: ["https://app.example.com/cb", "http://localhost:3000/cb", "http://127.0.0.1:8080/cb"] };
    expect(applyFix(dev, "remove_loose_redirect_uris").redirect_uris).toEqual(dev.redirect_uris);
  });
  it("remove_loose_redirect_uris removes only URIs the registration rules refuse (stored before a rule was tightened)", () => {
    const old = { ...base, redirect_uris: ["https://app.example.com/cb", "http://localhost:3000/cb", "http://app.example.com/cb", "com.example.app:/cb"] };
    expect(applyFix(old, "remove_loose_redirect_uris").redirect_uris).toEqual(["https://app.example.com/cb", "http://localhost:3000/cb"]);
  });
  it("remove_loose_redirect_uris keeps loopback URIs of a public client", () => {
    const pub = { ...base, token_endpoint_auth_method: "none" as const };
    expect(applyFix(pub, "remove_loose_redirect_uris").redirect_uris).toEqual(base.redirect_uris);
  });
  it("drop_client_credentials and drop_refresh_token remove exactly that grant", () => {
    expect(applyFix(base, "drop_client_credentials").grant_types).toEqual(["authorization_code", "refresh_token"]);
    expect(applyFix(base, "drop_refresh_token").grant_types).toEqual(["authorization_code", "client_credentials"]);
  });
});
