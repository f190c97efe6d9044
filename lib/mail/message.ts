// One email: what every template builds and every transport sends.
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The message's links (printed with an outbox message in development; never audited). */
  links: string[];
}
