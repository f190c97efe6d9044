// The example API (examples/api) with real tokens from the Latchkey under test: registered with
// `cli api create`, tokens by client_credentials with `resource` (RFC 8707). It accepts a token
// for its audience and refuses one for another audience, an expired one, one without its scope,
// and, with introspection on, a revoked one (RFC 7662), which without introspection it cannot
// see until the token expires. Every rule is also unit-tested in examples/api/items-api.test.ts.
import { decodeJwt } from "jose";
import { itemsApi } from "../examples/api/items-api";
import { BASE_URL } from "./env";
import { expect, test } from "./support";
import { createApi, createServiceClient, revoke, serve, serviceToken, type CreatedApi } from "./support/resource-servers";

// The revocation below must happen between the two checks: one test at a time, in order.
test.describe.configure({ mode: "serial" });

let api: CreatedApi;
let otherApi: CreatedApi;
let client: { clientId: string; clientSecret: string };
/** The API as most would run it: local verification only. */
let plain: Awaited<ReturnType<typeof serve>>;
/** The same API with every token also introspected with its credentials. */
let introspecting: Awaited<ReturnType<typeof serve>>;
/** The same API with its clock `ahead` ms fast, to see a token after it expired. */
let late: Awaited<ReturnType<typeof serve>>;
let ahead = 0;

test.beforeAll(async () => {
  plain = await serve(async (origin) => {
    api = await createApi(origin, ["read:items=Read your items", "write:items=Change your items"], "Items API (e2e)");
    return itemsApi({ issuer: BASE_URL, resource: origin });
  });
  const credentials = { clientId: api.client_id, clientSecret: api.client_secret };
  introspecting = await serve(() => itemsApi({ issuer: BASE_URL, resource: api.identifier, introspection: credentials }));
  late = await serve(() => itemsApi({ issuer: BASE_URL, resource: api.identifier, now: () => new Date(Date.now() + ahead) }));
  [otherApi, client] = await Promise.all([
    createApi(`https://other-api.e2e.test/${Date.now().toString(36)}`, ["read:items=Read your items"]),
    createServiceClient(),
  ]);
});

test.afterAll(async () => {
  await Promise.all([plain?.stop(), introspecting?.stop(), late?.stop()]);
});

const getItems = (origin: string, token: string) => fetch(`${origin}/items`, { headers: { authorization: `Bearer ${token}` } });

async function expectChallenge(response: Response, status: number, error: string, description: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("www-authenticate")).toBe(
    `Bearer resource_metadata="${plain.origin}/.well-known/oauth-protected-resource", error="${error}", ` +
      `error_description="${description}", scope="read:items"`,
  );
}

test("a token for the API's audience with read:items: 200", async () => {
  const token = await serviceToken(client, api.identifier, "read:items");
  expect(decodeJwt(token)).toMatchObject({ iss: BASE_URL, aud: api.identifier, client_id: client.clientId, scope: "read:items" });
  const response = await getItems(plain.origin, token);
  expect(response.status).toBe(200);
  expect((await response.json()).items).toHaveLength(2);
  expect((await getItems(introspecting.origin, token)).status).toBe(200);
});

test("the API serves its metadata, naming Latchkey (RFC 9728)", async () => {
  const response = await fetch(`${plain.origin}/.well-known/oauth-protected-resource`);
  expect(await response.json()).toEqual({
    resource: api.identifier,
    authorization_servers: [BASE_URL],
    scopes_supported: ["read:items"],
    bearer_methods_supported: ["header"],
    resource_name: "Items API",
  });
});

test("a token for another API, or for no API, is refused: 401 invalid_token", async () => {
  const forOther = await serviceToken(client, otherApi.identifier, "read:items");
  expect(decodeJwt(forOther).aud).toBe(otherApi.identifier);
  await expectChallenge(await getItems(plain.origin, forOther), 401, "invalid_token", "The access token is not meant for this API (aud)");
  // Without `resource` the token is for the issuer (userinfo), not for any API.
  const forIssuer = await serviceToken(client, undefined, "");
  expect(decodeJwt(forIssuer).aud).toBe(BASE_URL);
  await expectChallenge(await getItems(plain.origin, forIssuer), 401, "invalid_token", "The access token is not meant for this API (aud)");
});

test("an expired token is refused: 401 invalid_token", async () => {
  const token = await serviceToken(client, api.identifier, "read:items");
  expect((await getItems(late.origin, token)).status).toBe(200);
  // The API's clock one second past the token's exp (RFC 7519 §4.1.4).
  ahead = decodeJwt(token).exp! * 1000 - Date.now() + 1000;
  await expectChallenge(await getItems(late.origin, token), 401, "invalid_token", "The access token has expired");
});

test("a token without read:items is refused: 403 insufficient_scope", async () => {
  const token = await serviceToken(client, api.identifier, "write:items");
  expect(decodeJwt(token).scope).toBe("write:items");
  await expectChallenge(await getItems(plain.origin, token), 403, "insufficient_scope", "This needs the scope read:items");
});

test("a revoked token is refused at once with introspection on; without it, it works until it expires", async () => {
  const token = await serviceToken(client, api.identifier, "read:items");
  expect((await getItems(introspecting.origin, token)).status).toBe(200);
  expect(await revoke(client, token)).toBe(200);
  await expectChallenge(await getItems(introspecting.origin, token), 401, "invalid_token", "The access token has been revoked");
  // The signature, audience and expiry are still good: local verification alone cannot know.
  expect((await getItems(plain.origin, token)).status).toBe(200);
});
