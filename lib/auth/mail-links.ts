// Sending a link by email, the one way: issue the link (lib/db/email-tokens.ts), build the message
// with the link's URL (from ISSUER), send it. If the mail server is down or refuses, the link is
// voided (nothing half-done: no live link that nobody received) and `mail.failed` is audited with
// the purpose and the error code, never the message or the link.
import type { Stores } from "../db";
import type { EmailTokenPurpose } from "../db/email-tokens";
import { MailFailed, type Mailer } from "../mail/mailer";
import type { MailMessage } from "../mail/message";

export interface MailLinkDeps {
  mailer: Mailer;
  emailTokens: Pick<Stores["emailTokens"], "issue" | "revoke">;
  audit: Stores["audit"];
  /** ISSUER: the links' origin. */
  issuer: string;
}

/** The page each purpose's link opens. */
export const LINK_PATHS: Record<EmailTokenPurpose, string> = {
  reset: "/reset-password",
  invite: "/reset-password",
  verify: "/verify-email",
  email_change: "/verify-email",
};

export function linkUrl(issuer: string, purpose: EmailTokenPurpose, token: string): string {
  return `${issuer}${LINK_PATHS[purpose]}?token=${encodeURIComponent(token)}`;
}

export type SentLink = { ok: true; link: string } | { ok: false };

export async function sendLink(
  d: MailLinkDeps,
  a: { userId: string; purpose: EmailTokenPurpose; email: string; ttlSeconds: number; ip: string | null; build: (link: string) => MailMessage },
): Promise<SentLink> {
  const issued = await d.emailTokens.issue(a.userId, a.purpose, a.email, a.ttlSeconds);
  const link = linkUrl(d.issuer, a.purpose, issued.token);
  if (await sendMail(d, a.build(link), { userId: a.userId, purpose: a.purpose, ip: a.ip })) return { ok: true, link };
  await d.emailTokens.revoke(issued.id);
  return { ok: false };
}

/** Sends a message; false (audited as mail.failed) when the mail server failed. Other errors propagate. */
export async function sendMail(
  d: Pick<MailLinkDeps, "mailer" | "audit">,
  message: MailMessage,
  about: { userId: string | null; purpose: string; ip: string | null },
): Promise<boolean> {
  try {
    await d.mailer.send(message);
    return true;
  } catch (err) {
    if (!(err instanceof MailFailed)) throw err;
    await d.audit.record({ type: "mail.failed", subjectId: about.userId, ip: about.ip, data: { purpose: about.purpose, reason: err.reason, mode: d.mailer.mode } });
    return false;
  }
}
