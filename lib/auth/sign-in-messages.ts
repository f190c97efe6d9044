// Words for a refused sign-in, from the code lib/auth/sign-in.ts produces ("invalid",
// "wait:<seconds>", "locked:<seconds>"). A disabled account gets the "invalid" words: saying
// "disabled" would tell whoever typed it that the password was right. Pure, so the browser form can use it.
/** The message the sign-in page shows for a refused attempt: one generic text for bad credentials. */
export function signInErrorMessage(code: string | null | undefined): string {
  const [kind, seconds] = (code ?? "").split(":");
  const n = Number(seconds);
  switch (kind) {
    case "wait":
      return `Too many attempts in a row. Wait ${n} second${n === 1 ? "" : "s"} before trying again.`;
    case "locked": {
      const minutes = Math.ceil(n / 60);
      return (
        `Too many failed attempts. Sign-in is paused for this account or address. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}. ` +
        "If this is your account, you can still sign in from a browser you have used to sign in to it before, or ask an administrator to unlock it."
      );
    }
    case "second_factor": // the pending sign-in behind it is gone (lib/auth/pending-sign-in.ts)
    case "expired":
      return "Your sign-in timed out or was stopped after too many wrong codes. Sign in again.";
    case "unverified": // lib/auth/sign-in.ts: the right password, an unverified address, and an admin requires it
      return "Confirm your email address first: we sent a new link to it. Open it, then sign in again.";
    case "unavailable": // lib/auth/password-session.ts: something failed on our side (logged there)
      return "Sign-in is not available right now. Try again in a moment.";
    default:
      return "Email or password is incorrect.";
  }
}

/** Words for a refused second-factor code (lib/auth/second-factor.ts, lib/auth/totp-enrolment.ts). */
export function secondFactorErrorMessage(code: string | null | undefined, method: "totp" | "recovery" = "totp"): string {
  const [kind] = (code ?? "").split(":");
  switch (kind) {
    case "wait":
    case "locked":
      return signInErrorMessage(code);
    case "bad_setup":
      return "This set-up has expired. Scan the new code below and try again.";
    case "already_enabled":
      return "Two-step verification is already on for this account.";
    case "unavailable":
      return signInErrorMessage(code);
    default:
      return method === "recovery"
        ? "That recovery code is not right, or it has been used already."
        : "That code is not right. Enter the 6-digit code your authenticator app shows now.";
  }
}

/** What the sign-in page says after an emailed link was used (`/signin?notice=…`); unknown keys say nothing. */
const SIGN_IN_NOTICES: Record<string, string> = {
  "password-reset": "Your password was changed and every browser and app was signed out. Sign in with your new password.",
  "password-chosen": "Your password is set. Sign in with it.",
  "email-verified": "Your email address is confirmed. Sign in to continue.",
  "email-changed": "Your new email address is confirmed. Sign in with it.",
  "check-email": "Check your email: we sent you a link.",
};

export function signInNotice(key: unknown): string | undefined {
  return typeof key === "string" && Object.hasOwn(SIGN_IN_NOTICES, key) ? SIGN_IN_NOTICES[key] : undefined;
}
