// Outgoing mail: SMTP when SMTP_URL is set (nodemailer), else the outbox (lib/mail/outbox.ts).
// One Mailer per process, built by the composition root (lib/runtime.ts mailer()); the flows that
// send mail take it as an argument, so tests point them at a real test SMTP server
// (test/smtp-server.ts).
//
// smtp:// must be upgraded with STARTTLS (RFC 3207; nodemailer's requireTLS): a server that does not
// offer it is refused rather than sent the message and the password in clear. smtps:// is TLS from
// the first byte (RFC 8314 §3.3). Options in the URL's query (`?requireTLS=false` for a local relay
// without TLS, `?tls.rejectUnauthorized=false`) override these defaults, as nodemailer reads them.
import nodemailer from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import { writeOutbox, type OutboxOptions } from "./outbox";
import type { MailMessage } from "./message";

export interface Mailer {
  /** "outbox": no SMTP; messages stay on the server (DATA_DIR/outbox). */
  readonly mode: "smtp" | "outbox";
  /** Sends, or throws MailFailed. */
  send(message: MailMessage): Promise<void>;
}

/** The message users see when mail could not be sent (the action was undone). */
export const MAIL_FAILED_MESSAGE = "We could not send the email; try again in a few minutes.";

/** The mail server was down, too slow, refused us or the message. `reason` is nodemailer's error code. */
export class MailFailed extends Error {
  constructor(readonly reason: string) {
    super(`Mail could not be sent (${reason}).`);
  }
}

/** A stalled server cannot hang a request for longer than this, per phase (connect, greeting, each reply). */
export const MAIL_TIMEOUT_MS = 10_000;

export interface MailerOptions {
  smtpUrl: string | null;
  from: string;
  outbox: OutboxOptions;
  timeoutMs?: number;
}

export function createMailer(o: MailerOptions): Mailer {
  if (!o.smtpUrl) {
    return {
      mode: "outbox",
      send: async (m) => {
        try {
          await writeOutbox(o.outbox, o.from, m);
        } catch (err) {
          throw new MailFailed((err as NodeJS.ErrnoException).code ?? "EOUTBOX");
        }
      },
    };
  }
  const timeout = o.timeoutMs ?? MAIL_TIMEOUT_MS;
  // The transport object itself: createTransport({ url }) would read the URL and drop every other option.
  const smtp = new SMTPTransport({
    url: o.smtpUrl,
    requireTLS: o.smtpUrl.startsWith("smtp:"),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // Never log message bodies (they hold links).
    logger: false,
    debug: false,
  });
  const transport = nodemailer.createTransport(smtp);
  return {
    mode: "smtp",
    send: async (m) => {
      try {
        await transport.sendMail({ from: o.from, to: m.to, subject: m.subject, text: m.text, html: m.html });
      } catch (err) {
        throw new MailFailed(String((err as { code?: unknown }).code ?? "ESEND"));
      }
    },
  };
}
