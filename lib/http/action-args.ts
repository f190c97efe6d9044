// A server action is a public endpoint, and its arguments come from whoever posts to it: Next
// decodes them from the request body, so a crafted request can hand any serializable value where
// a form's FormData is expected. Actions check the shape before they read it, and answer a
// plain error instead of crashing into a 500 on `form.get is not a function`.
export function formDataOrNull(value: unknown): FormData | null {
  return value instanceof FormData ? value : null;
}

/**
 * The second step of an action that breaks something at once (disabling a user, suspending a
 * client, revoking a grant, retiring a key, rotating a secret with no grace): the form that asks
 * "are you sure" posts `confirmed=yes` (or `no` to back out). The action itself refuses to act
 * without it, so the question cannot be skipped, with or without JavaScript.
 */
export const CONFIRM_FIELD = "confirmed";
export type Confirmation = "yes" | "no" | "ask";

export function confirmation(form: { get(name: string): unknown }): Confirmation {
  const v = form.get(CONFIRM_FIELD);
  return v === "yes" ? "yes" : v === "no" ? "no" : "ask";
}

/**
 * For actions that take their form as an argument: anything but a FormData is read as an empty
 * form, so the action answers with its own "nothing given" error (after its usual session check)
 * instead of a TypeError and a 500.
 */
export function formOrEmpty(value: unknown): FormData {
  return value instanceof FormData ? value : new FormData();
}
