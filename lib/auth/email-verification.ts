// Proving an address: a verification link at sign-up and on request (resend), a link to the new
// address on an email change (the change applies when it is used: lib/db/email-verification.ts),
// and a notice to the old address once it did. Same link rules as password reset
// (lib/db/email-tokens.ts): hashed, single-use, short-lived, a newer link voids the older.
import type { Stores } from "../db";
import type { EmailLinkConfig } from "../config";
import type { VerificationResult } from "../db/email-verification";
import { emailChangedNotice, emailChangeMail, verifyEmailMail } from "../mail/templates";
import { sendLink, sendMail, type MailLinkDeps, type SentLink } from "./mail-links";

export type VerificationDeps = MailLinkDeps & { ttl: Pick<EmailLinkConfig, "verifySeconds"> };

export function sendVerification(d: VerificationDeps, user: { id: string; email: string }, ip: string | null): Promise<SentLink> {
  return sendLink(d, {
    userId: user.id,
    purpose: "verify",
    email: user.email,
    ttlSeconds: d.ttl.verifySeconds,
    ip,
    build: (link) => verifyEmailMail({ issuer: d.issuer, to: user.email, link, ttlSeconds: d.ttl.verifySeconds }),
  });
}

export function sendEmailChange(d: VerificationDeps, user: { id: string }, newEmail: string, ip: string | null): Promise<SentLink> {
  return sendLink(d, {
    userId: user.id,
    purpose: "email_change",
    email: newEmail,
    ttlSeconds: d.ttl.verifySeconds,
    ip,
    build: (link) => emailChangeMail({ issuer: d.issuer, to: newEmail, link, ttlSeconds: d.ttl.verifySeconds }),
  });
}

/**
 * "Send me a new link" (the account page; a sign-in refused for an unverified address): counted
 * per address and account like forgot-password (lib/db/throttle.ts emailLinkLimitStore).
 */
export async function requestVerification(
  d: VerificationDeps & { emailLinkLimits: Stores["emailLinkLimits"] },
  user: { id: string; email: string; emailVerified: boolean },
  ip: string | null,
): Promise<"sent" | "verified" | "throttled" | "mail_failed"> {
  if (user.emailVerified) return "verified";
  const counted = await d.emailLinkLimits.count({ ip, email: user.email, userId: user.id });
  if (!counted.ok) {
    await d.audit.record({ type: "email.verification_throttled", subjectId: user.id, ip, data: { limit: counted.limit } });
    return "throttled";
  }
  return (await sendVerification(d, user, ip)).ok ? "sent" : "mail_failed";
}

/** Uses a verify or email-change link; after a change, the old address is told (a failed notice is audited; the change stands). */
export async function applyVerificationLink(
  d: Pick<MailLinkDeps, "mailer" | "audit" | "issuer"> & { emailVerification: Stores["emailVerification"] },
  token: unknown,
  ip: string | null,
): Promise<VerificationResult> {
  const r = await d.emailVerification.applyLink(token, { ip });
  if (r.ok && r.kind === "changed") {
    await sendMail(
      d,
      emailChangedNotice({ issuer: d.issuer, to: r.previousEmail, newEmail: r.email, signInLink: `${d.issuer}/signin` }),
      { userId: r.userId, purpose: "email_changed", ip },
    );
  }
  return r;
}
