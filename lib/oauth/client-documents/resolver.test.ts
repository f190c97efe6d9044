import { describe, expect, it, vi } from "vitest";
import { FakeStores } from "@test/fake-stores";
import { knownApiScopes } from "../client-metadata";
import { InvalidAuthorizationTarget } from "../errors";
import { ClientDocumentFetchLimit, clientDocumentResolver, type ClientDocumentOptions, type FetchedDocument } from "./resolver";

const URL_ID = "https://notes.example/oauth/client.json";
const doc = (over: Record<string, unknown> = {}) => ({
  client_id: URL_ID,
  client_name: "Notes",
  redirect_uris: ["http://127.0.0.1:3334/callback"],
  ...over,
});
const served = (body: unknown, freshSeconds = 300): FetchedDocument => ({ contentType: "application/json", body: JSON.stringify(body), freshSeconds });

function setup(over: Partial<ClientDocumentOptions> = {}) {
  const stores = new FakeStores();
  let now = new Date("2030-01-01T00:00:00Z");
  const fetch = vi.fn(async (_url: URL): Promise<FetchedDocument> => served(doc()));
  const resolver = clientDocumentResolver({
    issuer: "https://id.example.com",
    fetch,
    clients: stores.clients,
    store: stores.documentClients,
    trustedDomains: [],
    allowHttpLoopback: false,
    maxEntries: 3,
    now: () => now,
    ...over,
  });
  const advance = (s: number) => {
    now = new Date(now.getTime() + s * 1000);
  };
  return { stores, fetch, resolver, advance };
}

const go = () => null;

async function pageOf(p: Promise<unknown>): Promise<{ title: string; detail: string | undefined }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidAuthorizationTarget);
    const t = e as InvalidAuthorizationTarget;
    return { title: t.title, detail: t.pageDetail };
  }
  throw new Error("expected an error page");
}

describe("clientDocumentResolver", () => {
  // Issue 17 §5: an MCP client's document lists the scope its server's 401 named (e.g. mcp:tools).
  it("accepts a scope of a registered API in the document's scope, and refuses a scope of none", async () => {
    const { resolver, fetch, stores } = setup({ apiScopes: (names) => knownApiScopes(stores.apis)(names) });
    stores.addApi({ id: "api-1", identifier: "https://mcp.example/mcp", name: "Tools", scopes: [{ name: "mcp:tools", description: "" }], accessTokenTtl: null, allClients: true, allowedClientIds: [] });
    fetch.mockResolvedValueOnce(served(doc({ scope: "openid mcp:tools" })));
    expect(await resolver.resolve(URL_ID, go)).toMatchObject({ clientId: URL_ID, scopes: ["openid", "mcp:tools"] });

    const other = "https://notes.example/oauth/other.json";
    fetch.mockResolvedValueOnce(served(doc({ client_id: other, scope: "openid mcp:nope" })));
    expect((await pageOf(resolver.resolve(other, go))).detail).toBe(
      `The client ID metadata document at ${other} is not valid: scope: Unknown scope; known: openid profile email offline_access and the scopes of this server's APIs.`,
    );
  });

  it("fetches the document, saves the client row and returns it", async () => {
    const { resolver, fetch, stores } = setup();
    const client = await resolver.resolve(URL_ID, go);
    expect(fetch).toHaveBeenCalledWith(new URL(URL_ID));
    expect(client).toMatchObject({ clientId: URL_ID, name: "Notes", tokenEndpointAuthMethod: "none", requirePkce: true, verified: false });
    expect(stores.documentClientIds.has(URL_ID)).toBe(true);
  });

  it("serves a cached document until its freshness runs out, then fetches again and updates the row", async () => {
    const { resolver, fetch, advance } = setup();
    const first = await resolver.resolve(URL_ID, go);
    advance(299);
    expect(await resolver.resolve(URL_ID, go)).toEqual(first);
    expect(fetch).toHaveBeenCalledTimes(1);
    fetch.mockResolvedValueOnce(served(doc({ client_name: "Notes Pro" })));
    advance(2);
    const again = await resolver.resolve(URL_ID, go);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(again).toMatchObject({ id: first.id, name: "Notes Pro" });
  });

  it("does not keep a document served with freshness 0 (no-store)", async () => {
    const { resolver, fetch } = setup();
    fetch.mockResolvedValue(served(doc(), 0));
    await resolver.resolve(URL_ID, go);
    await resolver.resolve(URL_ID, go);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("never caches a failure or an invalid document (draft §4.2)", async () => {
    const { resolver, fetch } = setup();
    fetch.mockRejectedValueOnce(new Error("the server answered 404, not 200"));
    expect(await pageOf(resolver.resolve(URL_ID, go))).toEqual({
      title: "Application could not be verified",
      detail: `The client ID metadata document at ${URL_ID} could not be fetched: the server answered 404, not 200.`,
    });
    fetch.mockResolvedValueOnce(served(doc({ client_id: "https://other.example/oauth/client.json" })));
    expect(await pageOf(resolver.resolve(URL_ID, go))).toEqual({
      title: "Application could not be verified",
      detail: `The client ID metadata document at ${URL_ID} is not valid: its client_id "https://other.example/oauth/client.json" is not exactly the URL it was fetched from (§4).`,
    });
    expect((await resolver.resolve(URL_ID, go)).name).toBe("Notes");
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it("refuses a bad Client Identifier URL before fetching anything", async () => {
    const { resolver, fetch } = setup();
    expect(await pageOf(resolver.resolve("http://notes.example/client.json", go))).toEqual({
      title: "Unknown application",
      detail:
        'client_id "http://notes.example/client.json" looks like a client ID metadata document URL but must use the https scheme (draft-ietf-oauth-client-id-metadata-document §3).',
    });
    expect(fetch).not.toHaveBeenCalled();
  });

  it("applies the trusted-domain policy before fetching", async () => {
    const { resolver, fetch } = setup({ trustedDomains: ["*.trusted.example"] });
    expect(await pageOf(resolver.resolve(URL_ID, go))).toEqual({
      title: "Application not allowed",
      detail: "This server accepts client ID metadata documents only from the domains its administrator trusts, and notes.example is not one of them.",
    });
    expect(fetch).not.toHaveBeenCalled();
    const trusted = "https://app.trusted.example/client.json";
    fetch.mockResolvedValueOnce(served(doc({ client_id: trusted })));
    expect((await resolver.resolve(trusted, go)).clientId).toBe(trusted);
  });

  it("counts each fetch against the caller, and not cache hits", async () => {
    const { resolver, fetch } = setup();
    const admit = vi.fn(() => null);
    await resolver.resolve(URL_ID, admit);
    await resolver.resolve(URL_ID, admit);
    expect(admit).toHaveBeenCalledTimes(1);
    await expect(resolver.resolve("https://notes.example/other.json", () => 42)).rejects.toEqual(new ClientDocumentFetchLimit(42));
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("shares one fetch between concurrent requests for the same document", async () => {
    const { resolver, fetch } = setup();
    const [a, b] = await Promise.all([resolver.resolve(URL_ID, go), resolver.resolve(URL_ID, go)]);
    expect(a.id).toBe(b.id);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("keeps at most maxEntries documents, dropping the least recently used", async () => {
    const { resolver, fetch } = setup();
    const url = (n: number) => `https://notes.example/${n}.json`;
    fetch.mockImplementation(async (u: URL) => served(doc({ client_id: u.href })));
    for (const n of [1, 2, 3]) await resolver.resolve(url(n), go);
    await resolver.resolve(url(1), go); // 1 is now the most recently used
    await resolver.resolve(url(4), go); // evicts 2
    expect(fetch).toHaveBeenCalledTimes(4);
    await resolver.resolve(url(1), go);
    await resolver.resolve(url(3), go);
    expect(fetch).toHaveBeenCalledTimes(4);
    await resolver.resolve(url(2), go);
    expect(fetch).toHaveBeenCalledTimes(5);
  });

  it("saves the row again when it is gone (purged) but the document is still cached", async () => {
    const { resolver, fetch, stores } = setup();
    await resolver.resolve(URL_ID, go);
    stores.clientRows.delete(URL_ID);
    expect((await resolver.resolve(URL_ID, go)).clientId).toBe(URL_ID);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
