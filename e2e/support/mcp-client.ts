// The MCP client side of e2e/mcp.spec.ts: an OAuthClientProvider for the official MCP SDK that
// keeps everything in memory and, instead of opening a browser itself, records the URL the SDK
// wants the user sent to, so that the test can drive Playwright's browser there.
import { randomBytes } from "node:crypto";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";

export class RecordingOAuthProvider implements OAuthClientProvider {
  /** Where redirectToAuthorization was asked to send the user, last. */
  authorizationUrl: URL | undefined;
  /** The state of the last authorization request, to compare with the callback's. */
  lastState: string | undefined;
  private information: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier: string | undefined;

  /**
   * `preRegistered`: a client_id from `cli client create --public`; else the SDK registers one
   * (RFC 7591), or, with `clientMetadataUrl`, identifies itself by that document's URL
   * (draft-ietf-oauth-client-id-metadata-document) when the server supports it.
   */
  constructor(
    readonly redirectUrl: string,
    readonly clientName: string,
    preRegistered?: { client_id: string },
    readonly clientMetadataUrl?: string,
  ) {
    this.information = preRegistered;
  }

  get clientMetadata(): OAuthClientMetadata {
    // A public client (a desktop MCP client): authorization code + PKCE, no secret (RFC 8252).
    return {
      client_name: this.clientName,
      redirect_uris: [this.redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }

  state(): string {
    this.lastState = randomBytes(16).toString("base64url");
    return this.lastState;
  }

  clientInformation() {
    return this.information;
  }

  saveClientInformation(information: OAuthClientInformationMixed): void {
    this.information = information;
  }

  tokens() {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error("no code verifier saved");
    return this.verifier;
  }
}

/**
 * fetch for the SDK that sends an initial access token (RFC 7591 §3) with its registration
 * request: the SDK has no option for one, and Latchkey requires it unless OPEN_REGISTRATION is on.
 */
export function withInitialAccessToken(registrationEndpoint: string, token: string): FetchLike {
  return (url, init) => {
    if (String(url) !== registrationEndpoint || init?.method !== "POST") return fetch(url, init);
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${token}`);
    return fetch(url, { ...init, headers });
  };
}
