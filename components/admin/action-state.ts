// What every admin server action returns to its form (useActionState).
export type AdminActionState = {
  ok: boolean;
  /** Shown as success. */
  message?: string;
  /** Shown as an error. */
  error?: string;
  fieldErrors?: Record<string, string>;
};

export type AdminAction = (prev: AdminActionState, form: FormData) => Promise<AdminActionState>;

export const IDLE: AdminActionState = { ok: false };
