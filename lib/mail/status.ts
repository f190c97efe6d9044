// What the start-up log says about mail (scripts/start.ts), one line or none.
import type { MailConfig } from "../config";

/**
 * Without SMTP_URL: in production with a public issuer, a warning naming what is limited and how
 * to enable it; in development or on a loopback issuer, where the links are printed. With SMTP: null.
 */
export function mailStatusLine(mail: MailConfig): { level: "warn" | "info"; line: string } | null {
  if (mail.smtpUrl) return null;
  if (!mail.printLinks) {
    return {
      level: "warn",
      line:
        `Mail is not configured (no SMTP_URL): password reset, email verification and invitations are limited: ` +
        `their messages stay on this server in ${mail.outboxDir} and reach nobody. Set SMTP_URL ` +
        "(e.g. smtp://user:pass@mail.example.com:587) and MAIL_FROM to send them.",
    };
  }
  return { level: "info", line: `Mail: no SMTP_URL, so messages are written to ${mail.outboxDir} and their links printed here.` };
}
