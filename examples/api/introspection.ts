// Asking Latchkey whether a token is still live (RFC 7662), with the API's own credentials.
// A JWT stays valid until it expires even after it is revoked; an API that must see
// revocations at once asks the introspection endpoint, at the price of one call per request.

export interface IntrospectionOptions {
  endpoint: string;
  /** The API's own credentials (printed by `cli api create`). */
  clientId: string;
  clientSecret: string;
}

/** True when the authorization server says the token is active for this API. */
export type TokenIsActive = (token: string) => Promise<boolean>;

export function introspection(o: IntrospectionOptions): TokenIsActive {
  // RFC 6749 §2.3.1: client_secret_basic, each part form-urlencoded (application/x-www-form-urlencoded) before base64.
  const form = (s: string) => new URLSearchParams({ s }).toString().slice(2);
  const basic = Buffer.from(`${form(o.clientId)}:${form(o.clientSecret)}`).toString("base64");
  return async (token) => {
    const response = await fetch(o.endpoint, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ token, token_type_hint: "access_token" }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`introspection answered ${response.status}`);
    // RFC 7662 §2.2: `active` is the one required member; anything but true is "not active".
    const body = (await response.json()) as { active?: unknown };
    return body.active === true;
  };
}
