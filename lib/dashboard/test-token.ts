// The API page's test token: a real access token for the API, as one of the developer's
// clients would get it with client_credentials (RFC 6749 §4.4, RFC 8707 §2): sub and client_id
// are the client, aud is the API's identifier, scope holds only the chosen scopes of the API,
// and it lives as long as the API's tokens do. It is planned, recorded and signed by the
// protocol's own functions (the grant's steps, lib/oauth/grants/client-credentials.ts), so
// introspection and revocation see it like any other; and it is audited. It skips only the
// grant-type check: the developer tests an API with any of their clients, not the client's
// registration. The caller has checked that the developer manages the client and the API.
import { InvalidTarget } from "../oauth/errors";
import { apiFor } from "../oauth/grants/resource";
import { planAccessToken, signAccessToken } from "../oauth/tokens";
import type { OAuthDeps } from "../oauth/types";

/** A refusal to show the developer as is. */
export class TestTokenRefused extends Error {}

export interface TestToken {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  scope: string[];
}

export async function mintTestToken(
  deps: OAuthDeps,
  input: { clientId: string; identifier: string; scope: string[]; actorId: string },
): Promise<TestToken> {
  const client = await deps.stores.clients.findByClientId(input.clientId);
  if (!client) throw new TestTokenRefused("This client no longer exists.");
  if (client.suspended) throw new TestTokenRefused("This client is suspended by an administrator: it gets no tokens.");
  let api: Awaited<ReturnType<typeof apiFor>>;
  try {
    // The API must still exist and let this client ask for it (invalid_target otherwise).
    api = await apiFor(deps, client, input.identifier);
  } catch (err) {
    if (err instanceof InvalidTarget) throw new TestTokenRefused(err.description);
    throw err;
  }
  const refused = input.scope.filter((s) => !api.scopes.some((x) => x.name === s));
  if (refused.length) throw new TestTokenRefused(`Not a scope of ${api.name}: ${refused.join(" ")}.`);
  // In the API's order, once each.
  const scope = api.scopes.map((s) => s.name).filter((s) => input.scope.includes(s));
  const now = deps.now();
  const access = planAccessToken(deps, { client, userId: null, scope, grantId: null, authTime: null, amr: [], sessionId: null, api }, now);
  if (!(await deps.stores.tokens.recordAccess(access.record))) throw new TestTokenRefused("This client no longer exists.");
  const accessToken = await signAccessToken(deps, access);
  await deps.stores.audit.record({
    type: "api.test_token",
    actorId: input.actorId,
    clientId: client.id,
    subjectId: api.id,
    // Never the token itself: its id, which introspection and revocation know it by.
    data: { identifier: api.identifier, scope: scope.join(" "), jti: access.record.jti },
  });
  return { accessToken, expiresIn: access.expiresIn, scope };
}
