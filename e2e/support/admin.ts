// The admin console for the end-to-end specs: page objects over /admin/*, signing in as the
// bootstrap admin or any test user, recording a server action's request (without letting it
// run) and replaying it from another browser context, and reading every audit event straight
// from the database under test.
import { expect, type APIResponse, type BrowserContext, type Locator, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import pg from "pg";
import path from "node:path";
import { ADMIN, DATABASE_URL, DATA_DIR } from "../env";
import { SignInPage, alerts } from "./pages";
import { cliInProcess } from "./cli";

/** Signs `who` in on `page` and waits until the portal has them on /account. */
export async function signInAs(page: Page, who: { email: string; password: string }): Promise<void> {
  const signIn = new SignInPage(page);
  await signIn.goto("/account");
  await signIn.signIn(who.email, who.password);
  await expect(page).toHaveURL((u) => u.pathname === "/account");
}

export const signInAsAdmin = (page: Page) => signInAs(page, ADMIN);

/** Every admin page a non-admin must get a 404 for (ids filled in by the caller). */
export function adminPageUrls(ids: { userId: string; clientRowId: string; clientId: string }): string[] {
  return [
    "/admin",
    "/admin/users",
    `/admin/users/${ids.userId}`,
    "/admin/clients",
    "/admin/apis",
    `/admin/clients/${ids.clientRowId}/delete`,
    "/admin/grants",
    `/admin/grants?client=${encodeURIComponent(ids.clientId)}`,
    `/admin/grants/revoke-all?client=${encodeURIComponent(ids.clientId)}`,
    "/admin/keys",
    "/admin/audit",
    "/admin/settings",
  ];
}

/** A server action's HTTP request as the browser sent it. */
export interface RecordedAction {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Runs `trigger` (a click that submits an admin form) but stops the server action's request at
 * the browser and returns it instead: the action does not run. Replay it with replayAction.
 */
export async function recordAction(page: Page, trigger: () => Promise<void>): Promise<RecordedAction> {
  let recorded: RecordedAction | undefined;
  await page.route("**/*", async (route) => {
    const req = route.request();
    if (req.method() === "POST" && req.headers()["next-action"]) {
      recorded = { url: req.url(), headers: req.headers(), body: req.postDataBuffer() ?? Buffer.alloc(0) };
      await route.abort();
      return;
    }
    await route.fallback();
  });
  try {
    await trigger();
    await expect.poll(() => recorded !== undefined, { message: "the form sent a server action" }).toBe(true);
  } finally {
    await page.unroute("**/*");
  }
  return recorded!;
}

/** Sends a recorded action again, with the cookies of `context` (whoever is signed in there). */
export function replayAction(context: BrowserContext, action: RecordedAction): Promise<APIResponse> {
  const headers = Object.fromEntries(
    Object.entries(action.headers).filter(([k]) => !["cookie", "content-length", "host"].includes(k.toLowerCase())),
  );
  return context.request.post(action.url, { headers, data: action.body, maxRedirects: 0 });
}

export class AdminUsersPage {
  readonly list: Locator;
  constructor(readonly page: Page) {
    this.list = page.getByRole("list", { name: "Users" });
  }

  async search(q: string): Promise<void> {
    await this.page.goto(`/admin/users?q=${encodeURIComponent(q)}`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  }

  /** Opens the user's page from the search results. */
  async open(email: string): Promise<AdminUserPage> {
    await this.search(email);
    await this.list.getByRole("link", { name: email, exact: true }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: email })).toBeVisible();
    return new AdminUserPage(this.page);
  }
}

export class AdminUserPage {
  readonly disable: Locator;
  readonly enable: Locator;
  readonly forceReset: Locator;
  readonly role: Locator;
  readonly saveRole: Locator;
  readonly status: Locator;
  constructor(readonly page: Page) {
    this.disable = page.getByRole("button", { name: "Disable user", exact: true });
    this.enable = page.getByRole("button", { name: "Enable user", exact: true });
    this.forceReset = page.getByRole("button", { name: "Force password reset", exact: true });
    this.role = page.getByLabel("Role", { exact: true });
    this.saveRole = page.getByRole("button", { name: "Save role", exact: true });
    this.status = page.getByRole("status").filter({ hasText: /\S/ });
  }

  static async goto(page: Page, userId: string): Promise<AdminUserPage> {
    await page.goto(`/admin/users/${userId}`);
    return new AdminUserPage(page);
  }

  /** The badges under "Status": role and flags (e.g. ["user", "disabled"]). */
  async badges(): Promise<string[]> {
    const dd = this.page.locator("dt", { hasText: "Status" }).locator("xpath=following-sibling::dd[1]");
    return (await dd.locator("span.rounded-full").allInnerTexts()).map((t) => t.trim());
  }
}

export { alerts };

/** Every audit event's text (type and data JSON) from the database the server under test uses. */
export async function allAuditEventText(): Promise<string[]> {
  if (DATABASE_URL.startsWith("postgres")) {
    const c = new pg.Client({ connectionString: DATABASE_URL });
    await c.connect();
    try {
      const r = await c.query<{ row: string }>('SELECT row_to_json(e)::text AS row FROM "AuditEvent" e');
      return r.rows.map((x) => x.row);
    } finally {
      await c.end();
    }
  }
  const file = DATABASE_URL.startsWith("file:") ? DATABASE_URL.slice(5) : path.join(DATA_DIR, "latchkey.db");
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT * FROM AuditEvent").all() as Record<string, unknown>[]).map((r) => JSON.stringify(r));
  } finally {
    db.close();
  }
}

/** A confidential client allowed only client_credentials (a service), with the CLI's `client create`. */
export async function registerServiceClient(name: string, redirectUri: string) {
  const out = (await cliInProcess([
    "client", "create", "--name", name, "--redirect-uri", redirectUri, "--grant-types", "client_credentials",
  ])) as { client_id: string; client_secret: string };
  return { kind: "confidential" as const, name, clientId: out.client_id, clientSecret: out.client_secret, redirectUri };
}
