// APIs (protected resources) for the specs that call one: registered through the CLI
// (`api create`, the contract in shared/DESIGN.md), tokens for them through the token endpoint,
// and the example servers of examples/ started on loopback ports.
import { randomBytes } from "node:crypto";
import type { RequestListener, Server } from "node:http";
import { BASE_URL } from "../env";
import { close, listen } from "../../test/loopback-server";
import { cli } from "./cli";

export interface CreatedApi {
  id: string;
  identifier: string;
  scopes: string[];
  /** The API's own credentials, for introspection. */
  client_id: string;
  client_secret: string;
}

/** `cli api create`, with `scopes` as "name=plain words". */
export async function createApi(identifier: string, scopes: string[], name = `E2E API ${randomBytes(3).toString("hex")}`): Promise<CreatedApi> {
  const out = await cli(["api", "create", "--name", name, "--identifier", identifier, ...scopes.flatMap((s) => ["--scope", s])]);
  const api = out as Partial<CreatedApi> | null;
  if (!api || api.identifier !== identifier || typeof api.client_id !== "string" || typeof api.client_secret !== "string") {
    throw new Error(`cli api create printed ${JSON.stringify(out)}, expected {identifier, scopes, client_id, client_secret}`);
  }
  return api as CreatedApi;
}

/** A confidential client of the client_credentials grant only. */
export async function createServiceClient(): Promise<{ clientId: string; clientSecret: string }> {
  const out = (await cli([
    "client", "create",
    "--name", `E2E service ${randomBytes(3).toString("hex")}`,
    "--redirect-uri", "http://127.0.0.1/unused",
    "--grant-types", "client_credentials",
  ])) as { client_id?: string; client_secret?: string };
  if (!out.client_id || !out.client_secret) throw new Error(`cli client create printed ${JSON.stringify(out)}`);
  return { clientId: out.client_id, clientSecret: out.client_secret };
}

async function discovery(): Promise<Record<string, string>> {
  return (await fetch(`${BASE_URL}/.well-known/oauth-authorization-server`)).json();
}

/** POSTs `params` to the token endpoint with client_secret_basic. */
export async function tokenRequest(client: { clientId: string; clientSecret: string }, params: Record<string, string>): Promise<Response> {
  const { token_endpoint } = await discovery();
  return fetch(token_endpoint!, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}` },
    body: new URLSearchParams(params),
  });
}

/** An access token by client_credentials, for `resource` (RFC 8707; none when undefined) with `scope`. */
export async function serviceToken(
  client: { clientId: string; clientSecret: string },
  resource: string | undefined,
  scope: string,
): Promise<string> {
  const response = await tokenRequest(client, { grant_type: "client_credentials", ...(scope ? { scope } : {}), ...(resource ? { resource } : {}) });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`token endpoint: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** Revokes `token` as `client` (RFC 7009). */
export async function revoke(client: { clientId: string; clientSecret: string }, token: string): Promise<number> {
  const { revocation_endpoint } = await discovery();
  const response = await fetch(revocation_endpoint!, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}` },
    body: new URLSearchParams({ token, token_type_hint: "access_token" }),
  });
  return response.status;
}

/** A loopback server whose URL is known before its listener is built (the listener needs the URL). */
export async function serve(build: (origin: string) => Promise<RequestListener>): Promise<{ origin: string; server: Server; stop: () => Promise<void> }> {
  const { server, origin } = await listen();
  server.on("request", await build(origin));
  return { origin, server, stop: () => close(server) };
}
