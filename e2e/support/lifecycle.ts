// The account lifecycle and admin settings in the end-to-end specs: the delete-account page,
// the settings page, reading a downloaded file, and straight reads/writes of the database under
// test (SQLite under DATA_DIR, or E2E_DATABASE_URL) for what the UI cannot show or undo.
import Database from "better-sqlite3";
import pg from "pg";
import { readFile } from "node:fs/promises";
import { expect, type Download, type Locator, type Page } from "@playwright/test";
import { serverEnv } from "../env";
import { databaseProvider, databaseUrl } from "../../lib/config/database-url";

/** Runs one statement on the server's database (`?` placeholders on SQLite, `$1` on PostgreSQL); returns its rows. */
async function query(sql: { sqlite: string; postgres: string }, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const url = databaseUrl({ ...process.env, ...serverEnv() });
  if (databaseProvider(url) === "sqlite") {
    const db = new Database(url.slice("file:".length), { timeout: 5000 });
    try {
      const stmt = db.prepare(sql.sqlite);
      if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
      stmt.run(...params);
      return [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql.postgres, params)).rows;
  } finally {
    await client.end();
  }
}

/** Back to the default settings (no row = the default), whatever a failed test left behind. */
export async function resetSettings(): Promise<void> {
  await query({ sqlite: 'DELETE FROM "Setting"', postgres: 'DELETE FROM "Setting"' });
}

/** How many rows of `table` name the user in `column` (0 once the account is deleted). */
export async function rowsOfUser(table: "User" | "PortalSession" | "AccessToken" | "RefreshToken" | "Consent" | "TrustedDevice", userId: string): Promise<number> {
  const column = table === "User" ? "id" : "userId";
  const rows = await query(
    { sqlite: `SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}" = ?`, postgres: `SELECT COUNT(*)::int AS n FROM "${table}" WHERE "${column}" = $1` },
    [userId],
  );
  return Number(rows[0]?.n);
}

/** The audit events about the user, oldest first: type and details. */
export async function auditOf(userId: string): Promise<{ type: string; data: string | null }[]> {
  const rows = await query(
    {
      sqlite: 'SELECT "type", "data" FROM "AuditEvent" WHERE "subjectId" = ? ORDER BY "createdAt", "id"',
      postgres: 'SELECT "type", "data" FROM "AuditEvent" WHERE "subjectId" = $1 ORDER BY "createdAt", "id"',
    },
    [userId],
  );
  return rows.map((r) => ({ type: String(r.type), data: r.data === null ? null : String(r.data) }));
}

/** The JSON in a downloaded file, with the name the server suggested. */
export async function readDownload(download: Download): Promise<{ name: string; json: unknown }> {
  const path = await download.path();
  return { name: download.suggestedFilename(), json: JSON.parse(await readFile(path, "utf8")) };
}

export class DeleteAccountPage {
  readonly heading: Locator;
  readonly confirmStep: Locator;
  readonly password: Locator;
  readonly yes: Locator;
  readonly cancel: Locator;
  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Delete your account" });
    this.confirmStep = page.getByRole("group", { name: "Confirm deleting your account" });
    this.password = page.getByLabel("Your password", { exact: true });
    this.yes = page.getByRole("button", { name: "Yes, delete my account", exact: true });
    this.cancel = page.getByRole("button", { name: "Cancel", exact: true });
  }

  /** From /account, by its link. */
  async openFromAccount(): Promise<void> {
    await this.page.goto("/account");
    await this.page.getByRole("link", { name: "Delete my account…" }).click();
    await expect(this.page).toHaveURL((u) => u.pathname === "/account/delete");
    await expect(this.heading).toBeVisible();
  }

  async confirmWith(password: string): Promise<void> {
    await this.password.fill(password);
    await this.yes.click();
  }
}

export class SettingsPage {
  readonly heading: Locator;
  readonly requireVerified: Locator;
  readonly save: Locator;
  readonly saved: Locator;
  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Settings" });
    this.requireVerified = page.getByRole("checkbox", { name: "Require verified email to sign in" });
    this.save = page.getByRole("button", { name: "Save settings", exact: true });
    this.saved = page.getByRole("status").filter({ hasText: "Settings saved." });
  }

  mfa(label: "Nobody" | "Admins only" | "Everyone"): Locator {
    return this.page.getByRole("group", { name: "Require two-step verification" }).getByRole("radio", { name: label, exact: true });
  }

  async goto(): Promise<void> {
    await this.page.goto("/admin/settings");
    await expect(this.heading).toBeVisible();
  }

  /** The state the page shows: the checkbox and the chosen radio. */
  async shown(): Promise<{ requireVerified: boolean; mfa: string | null }> {
    const labels = ["Nobody", "Admins only", "Everyone"] as const;
    let mfa: string | null = null;
    for (const l of labels) if (await this.mfa(l).isChecked()) mfa = l;
    return { requireVerified: await this.requireVerified.isChecked(), mfa };
  }
}
