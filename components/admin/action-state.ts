// What every admin server action returns to its form (useActionState).
import type { GrantCounts } from "@/lib/db/grants";

export type AdminActionState = {
  ok: boolean;
  /** Shown as success. */
  message?: string;
  /** Shown as an error. */
  error?: string;
  fieldErrors?: Record<string, string>;
  /** A link to pass on by other means (mail is off on this server): shown once, with a copy button. */
  link?: string;
  /** The action breaks something at once and waits for `confirmed=yes` (ActionButton asks). */
  needsConfirmation?: boolean;
};

/** What an action answers before it acts, when its form has not confirmed (lib/http/action-args.ts). */
export const ASK: AdminActionState = { ok: false, needsConfirmation: true };

export type AdminAction = (prev: AdminActionState, form: FormData) => Promise<AdminActionState>;

export const IDLE: AdminActionState = { ok: false };

/** "Revoke all for client" answers with what it revoked. */
export type RevokeAllState = AdminActionState & { report?: GrantCounts };
