// The messages Latchkey sends: each a subject, a plain-text body and a small HTML body (every
// value escaped), naming the portal and its address. Links are built by the caller from ISSUER.
import type { MailMessage } from "./message";

const PORTAL = "Latchkey";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** HTML-escapes text for element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

interface Body {
  to: string;
  subject: string;
  /** Paragraphs of plain text. */
  paragraphs: string[];
  /** The main link, as a button in HTML. */
  action?: { label: string; url: string };
  /** Further links (each with a label). */
  more?: { label: string; url: string }[];
  /** A closing line in small print. */
  footer: string;
  issuer: string;
}

function compose(b: Body): MailMessage {
  const host = new URL(b.issuer).host;
  const links = [b.action, ...(b.more ?? [])].filter((l): l is { label: string; url: string } => Boolean(l));
  const text = [
    ...b.paragraphs,
    ...links.map((l) => `${l.label}:\n${l.url}`),
    `${b.footer}\n\n${PORTAL} (${host})`,
  ].join("\n\n");
  const p = (t: string) => `<p style="margin:0 0 16px">${escapeHtml(t)}</p>`;
  const button = b.action
    ? `<p style="margin:0 0 16px"><a href="${escapeHtml(b.action.url)}" style="display:inline-block;background:#4f46e5;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(b.action.label)}</a></p>` +
      p(`Or paste this address into your browser: ${b.action.url}`)
    : "";
  const more = (b.more ?? []).map((l) => `<p style="margin:0 0 16px"><a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a></p>`).join("");
  const html =
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:15px;color:#171717;max-width:560px;margin:0 auto;padding:24px">` +
    `<p style="margin:0 0 24px;font-weight:700">${PORTAL}</p>${b.paragraphs.map(p).join("")}${button}${more}` +
    `<p style="margin:24px 0 0;font-size:12px;color:#525252">${escapeHtml(b.footer)}<br>${PORTAL} · ${escapeHtml(host)}</p></body></html>`;
  return { to: b.to, subject: b.subject, text, html, links: links.map((l) => l.url) };
}

function minutesText(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day${seconds === 86_400 ? "" : "s"}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? "" : "s"}`;
  const m = Math.ceil(seconds / 60);
  return `${m} minute${m === 1 ? "" : "s"}`;
}

export interface LinkMail {
  issuer: string;
  to: string;
  link: string;
  ttlSeconds: number;
}

export function passwordResetMail(m: LinkMail & { byAdmin?: boolean }): MailMessage {
  return compose({
    ...m,
    subject: `Reset your ${PORTAL} password`,
    paragraphs: [
      m.byAdmin
        ? `An administrator asked you to choose a new password for your ${PORTAL} account ${m.to}.`
        : `Someone (we hope you) asked to reset the password of your ${PORTAL} account ${m.to}.`,
      `The link works once, for ${minutesText(m.ttlSeconds)}. Setting a new password signs you out everywhere.`,
    ],
    action: { label: "Choose a new password", url: m.link },
    footer: m.byAdmin ? "Ask your administrator if you did not expect this." : "If you did not ask for this, ignore this email: your password stays as it is.",
  });
}

export function verifyEmailMail(m: LinkMail): MailMessage {
  return compose({
    ...m,
    subject: `Confirm your email address for ${PORTAL}`,
    paragraphs: [`Confirm that ${m.to} is your address for your ${PORTAL} account.`, `The link works once, for ${minutesText(m.ttlSeconds)}.`],
    action: { label: "Confirm my address", url: m.link },
    footer: "If you did not create an account, ignore this email.",
  });
}

export function emailChangeMail(m: LinkMail): MailMessage {
  return compose({
    ...m,
    subject: `Confirm your new email address for ${PORTAL}`,
    paragraphs: [
      `Your ${PORTAL} account's address is to change to ${m.to}. It changes when you open this link (it works once, for ${minutesText(m.ttlSeconds)}).`,
    ],
    action: { label: "Confirm the new address", url: m.link },
    footer: "If you did not ask for this, ignore this email: nothing changes.",
  });
}

export function emailChangedNotice(m: { issuer: string; to: string; newEmail: string; signInLink: string }): MailMessage {
  return compose({
    ...m,
    subject: `Your ${PORTAL} email address was changed`,
    paragraphs: [
      `The address of your ${PORTAL} account was changed from ${m.to} to ${m.newEmail}. You now sign in with the new address.`,
      "If you did not do this, contact your administrator at once.",
    ],
    more: [{ label: "Sign in", url: m.signInLink }],
    footer: "You get this email because this address was the account's until now.",
  });
}

export function inviteMail(m: LinkMail & { name: string | null }): MailMessage {
  return compose({
    ...m,
    subject: `You are invited to ${PORTAL}`,
    paragraphs: [
      `${m.name ? `Hello ${m.name}. ` : ""}An administrator created a ${PORTAL} account for ${m.to}. Choose a password to start using it.`,
      `The link works once, for ${minutesText(m.ttlSeconds)}.`,
    ],
    action: { label: "Choose my password", url: m.link },
    footer: "If you did not expect this, ignore this email.",
  });
}

export function signUpAttemptMail(m: { issuer: string; to: string; signInLink: string; resetLink: string }): MailMessage {
  return compose({
    ...m,
    subject: `Someone tried to create a ${PORTAL} account with your address`,
    paragraphs: [
      `Someone tried to create a new ${PORTAL} account for ${m.to}, but you already have one, so nothing was created.`,
      "If it was you: sign in instead, or reset your password if you forgot it.",
    ],
    more: [
      { label: "Sign in", url: m.signInLink },
      { label: "Reset my password", url: m.resetLink },
    ],
    footer: "If it was not you, ignore this email: your account is unchanged.",
  });
}
