// Helpers for the flow inspector spec: a developer who owns a confidential client (both made
// with the CLI), the client's row id (the dashboard URLs use it; the CLI prints only client_id),
// and the inspector pages as page objects.
import { randomBytes } from "node:crypto";
import { expect, type Locator, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import pg from "pg";
import { serverEnv } from "../env";
import { databaseUrl } from "../../lib/config/database-url";
import { cliInProcess } from "./cli";

export interface OwnedClient {
  rowId: string;
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUri: string;
}

/** `client create --owner`: a confidential client with the default scopes and grants. */
export async function createOwnedClient(ownerEmail: string): Promise<OwnedClient> {
  const name = `Inspector app ${randomBytes(3).toString("hex")}`;
  const redirectUri = "https://app.example/cb";
  const out = (await cliInProcess(["client", "create", "--name", name, "--redirect-uri", redirectUri, "--owner", ownerEmail])) as Record<string, unknown>;
  if (typeof out?.client_id !== "string" || typeof out.client_secret !== "string") {
    throw new Error(`cli client create printed ${JSON.stringify(out)}, expected client_id and client_secret`);
  }
  return { rowId: await clientRowId(out.client_id), clientId: out.client_id, clientSecret: out.client_secret, name, redirectUri };
}

/** The client's row id, read from the database the server under test uses. */
async function clientRowId(clientId: string): Promise<string> {
  const url = databaseUrl({ ...process.env, ...serverEnv() });
  if (url.startsWith("file:")) {
    const db = new Database(url.slice("file:".length), { readonly: true, timeout: 5000 });
    try {
      const row = db.prepare('SELECT id FROM "Client" WHERE "clientId" = ?').get(clientId) as { id: string } | undefined;
      if (!row) throw new Error(`no client ${clientId}`);
      return row.id;
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ id: string }>('SELECT id FROM "Client" WHERE "clientId" = $1', [clientId]);
    if (!r.rows[0]) throw new Error(`no client ${clientId}`);
    return r.rows[0].id;
  } finally {
    await c.end();
  }
}

export const tryPath = (rowId: string) => `/dashboard/clients/${rowId}/try`;

export class InspectorPage {
  readonly addCallback: Locator;
  readonly prepare: Locator;
  readonly sendToAuthorize: Locator;
  readonly secret: Locator;
  readonly sendTokenRequest: Locator;
  readonly userinfo: Locator;
  readonly refresh: Locator;
  readonly revoke: Locator;

  constructor(readonly page: Page) {
    this.addCallback = page.getByRole("button", { name: "Add the callback to the redirect URIs" });
    this.prepare = page.getByRole("button", { name: "Prepare the authorization request" });
    this.sendToAuthorize = page.getByRole("link", { name: "Send the browser to /oauth/authorize" });
    this.secret = page.getByLabel("Client secret", { exact: true });
    this.sendTokenRequest = page.getByRole("button", { name: "Send the token request" });
    this.userinfo = page.getByRole("button", { name: "Call UserInfo" });
    this.refresh = page.getByRole("button", { name: "Refresh the tokens" });
    this.revoke = page.getByRole("button", { name: "Revoke", exact: true });
  }

  /** The exchanges titled `title`, in order (an <article> per request/response pair). */
  exchanges(title: string): Locator {
    return this.page.getByRole("article", { name: title, exact: true });
  }

  /** Waits for the `n`-th (1-based) exchange titled `title` and asserts its status. */
  async expectExchange(title: string, n: number, status: number): Promise<Locator> {
    const all = this.exchanges(title);
    await expect(all).toHaveCount(n);
    const e = all.nth(n - 1);
    await expect(e).toHaveAttribute("data-status", String(status));
    return e;
  }
}
