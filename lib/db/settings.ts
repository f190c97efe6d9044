// Admin settings that change at run time (the admin console's Settings page): one row per key in
// `Setting`; a missing or unreadable row means the default. Read where they apply (sign-in,
// sign-up), not cached, so that every instance sees a change at once.
import type { Db } from "./client";
import { audit } from "./audit";

/** Who must have a second factor: nobody, admins only, or everyone. */
export const MFA_POLICIES = ["off", "admins", "all"] as const;
export type MfaPolicy = (typeof MFA_POLICIES)[number];

export interface Settings {
  /** Refuse sign-in (with a way to get a new link) until the email address is verified. */
  requireEmailVerification: boolean;
  /** Who must sign in with a second factor (TOTP or a passkey). */
  mfaPolicy: MfaPolicy;
}

export const DEFAULT_SETTINGS: Settings = { requireEmailVerification: false, mfaPolicy: "off" };

function parse(rows: { key: string; value: string }[]): Settings {
  const out = { ...DEFAULT_SETTINGS };
  for (const r of rows) {
    if (r.key === "requireEmailVerification") out.requireEmailVerification = r.value === "true";
    if (r.key === "mfaPolicy" && (MFA_POLICIES as readonly string[]).includes(r.value)) out.mfaPolicy = r.value as MfaPolicy;
  }
  return out;
}

export function settingsStore(db: Db) {
  return {
    async get(): Promise<Settings> {
      return parse(await db.setting.findMany({ select: { key: true, value: true } }));
    },

    /** Changes some settings; audited (`settings.changed`: each new value, and the old one as `<key>Was`) in the same transaction. */
    async update(change: Partial<Settings>, actorId: string): Promise<Settings> {
      return db.$transaction(async (tx) => {
        const before = parse(await tx.setting.findMany({ select: { key: true, value: true } }));
        const after = { ...before, ...change };
        const changed: Record<string, string | boolean> = {};
        for (const key of Object.keys(change) as (keyof Settings)[]) {
          if (before[key] === after[key]) continue;
          changed[key] = after[key];
          changed[`${key}Was`] = before[key];
          const value = String(after[key]);
          await tx.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
        }
        if (Object.keys(changed).length) await audit(tx, { type: "settings.changed", actorId, data: changed });
        return after;
      });
    },
  };
}
