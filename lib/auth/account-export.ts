// The "Download my data" file: one JSON document, every field named here, built from the rows
// lib/db/account-export.ts reads. Dates are ISO 8601 (UTC). Never a secret: no password or its
// hash, no TOTP secret, no recovery code or its hash, no session id, no token.
import type { AccountExportRows } from "../db/account-export";
import { parseAmr } from "../oauth/amr";

export interface AccountExport {
  exportedAt: string;
  profile: { id: string; email: string; name: string | null; emailVerified: boolean; role: string; createdAt: string };
  connectedApps: {
    name: string;
    homepage: string | null;
    scopes: { scope: string; description: string; api: string | null }[];
    grantedAt: string;
    lastUsedAt: string | null;
  }[];
  sessions: { createdAt: string; lastSeenAt: string; expiresAt: string; ip: string | null; userAgent: string | null; signedInWith: string[]; current: boolean }[];
  secondFactors: {
    authenticatorApp: { enabled: boolean; enabledAt: string | null };
    passkeys: { name: string; createdAt: string; lastUsedAt: string | null }[];
    recoveryCodesLeft: number;
  };
  securityEvents: { since: string; events: { type: string; at: string; ip: string | null }[] };
}

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export function accountExport(rows: AccountExportRows, now: Date): AccountExport {
  const { user } = rows;
  return {
    exportedAt: iso(now),
    profile: { id: user.id, email: user.email, name: user.name, emailVerified: user.emailVerified, role: user.role, createdAt: iso(user.createdAt) },
    connectedApps: rows.connectedApps.map((a) => ({
      name: a.name,
      homepage: a.homepageUrl,
      scopes: a.scopes.flatMap((g) => g.lines.map((l) => ({ scope: l.key, description: l.text, api: g.api?.name ?? null }))),
      grantedAt: iso(a.allowedAt),
      lastUsedAt: isoOrNull(a.lastUsedAt),
    })),
    sessions: rows.sessions.map((s) => ({
      createdAt: iso(s.createdAt),
      lastSeenAt: iso(s.lastSeenAt),
      expiresAt: iso(s.expiresAt),
      ip: s.ip,
      userAgent: s.userAgent,
      // RFC 8176 values (lib/oauth/amr.ts): how this session signed in.
      signedInWith: parseAmr(s.amr),
      current: s.current,
    })),
    secondFactors: {
      authenticatorApp: { enabled: user.totpEnabledAt !== null, enabledAt: isoOrNull(user.totpEnabledAt) },
      passkeys: rows.passkeys.map((p) => ({ name: p.name, createdAt: iso(p.createdAt), lastUsedAt: isoOrNull(p.lastUsedAt) })),
      recoveryCodesLeft: rows.recoveryCodesLeft,
    },
    securityEvents: { since: iso(rows.eventsSince), events: rows.events.map((e) => ({ type: e.type, at: iso(e.createdAt), ip: e.ip })) },
  };
}

/** `latchkey-account-2026-12-06.json` (the UTC date of the export). */
export function exportFileName(now: Date): string {
  return `latchkey-account-${now.toISOString().slice(0, 10)}.json`;
}
