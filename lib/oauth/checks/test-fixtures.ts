// Shared fixtures for the checks' and authorize's unit tests (not used by the app).
import { expect } from "vitest";
import { InvalidAuthorizationTarget, OAuthError } from "../errors";
import type { OAuthClient } from "../types";

/** A confidential web client with one redirect URI. */
export function testClient(overrides: Partial<OAuthClient> = {}): OAuthClient {
  return {
    id: "client-row-1",
    clientId: "web-app",
    name: "Web App",
    ownerName: "Dana Developer",
    logoUrl: null,
    homepageUrl: null,
    verified: false,
    tokenEndpointAuthMethod: "client_secret_basic",
    secretHash: "hash",
    previousSecretHash: null,
    previousSecretExpiresAt: null,
    redirectUris: ["https://app.example.com/callback"],
    postLogoutRedirectUris: [],
    scopes: ["openid", "profile", "email", "offline_access"],
    grantTypes: ["authorization_code", "refresh_token"],
    requirePkce: false,
    signingAlg: "ES256",
    suspended: false,
    ...overrides,
  };
}

/** A public (native) client: no secret, PKCE required. */
export function testPublicClient(overrides: Partial<OAuthClient> = {}): OAuthClient {
  return testClient({
    id: "client-row-2",
    clientId: "native-app",
    name: "Native App",
    tokenEndpointAuthMethod: "none",
    secretHash: null,
    redirectUris: ["http://127.0.0.1/callback"],
    requirePkce: true,
    ...overrides,
  });
}

export const raw = (q: Record<string, string> | string | [string, string][]) => new URLSearchParams(q);

/** A valid S256 challenge (RFC 7636 Appendix B). */
export const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/** Runs `fn` and returns the OAuthError it throws, failing the test if it throws anything else. */
export function oauthErrorOf(fn: () => unknown): OAuthError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    return e as OAuthError;
  }
  throw new Error("expected an OAuthError, nothing was thrown");
}

/** Runs `fn` and returns the InvalidAuthorizationTarget (error page) it throws. */
export function pageErrorOf(fn: () => unknown): InvalidAuthorizationTarget {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidAuthorizationTarget);
    return e as InvalidAuthorizationTarget;
  }
  throw new Error("expected an InvalidAuthorizationTarget, nothing was thrown");
}
