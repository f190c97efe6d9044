// The outbox: without SMTP_URL, each message is written as an .eml file (RFC 5322, built by
// nodemailer's stream transport) into DATA_DIR/outbox/, mode 0600, keeping the newest `keep`
// files. In development, or with a loopback issuer, the message's links go to the log in one line,
// so that the first README command needs no mail server to reset a password.
import { chmod, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import nodemailer from "nodemailer";
import type { MailMessage } from "./message";

export interface OutboxOptions {
  dir: string;
  /** Files kept; the oldest beyond this are deleted after each write. */
  keep: number;
  /** Called with one line per message when links are to be shown (development). */
  print?: (line: { to: string; subject: string; links: string[]; file: string }) => void;
}

export const OUTBOX_KEEP = 1000;

const build = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });

/** Writes the message, prints its links when asked, and trims the outbox. Returns the file's path. */
export async function writeOutbox(o: OutboxOptions, from: string, m: MailMessage): Promise<string> {
  const info = await build.sendMail({ from, to: m.to, subject: m.subject, text: m.text, html: m.html });
  await mkdir(o.dir, { recursive: true, mode: 0o700 });
  // Sortable by time: the name starts with the moment in milliseconds, zero-padded.
  const name = `${String(Date.now()).padStart(15, "0")}-${randomBytes(4).toString("hex")}.eml`;
  const file = path.join(o.dir, name);
  await writeFile(file, info.message as Buffer, { mode: 0o600, flag: "wx" });
  await chmod(file, 0o600);
  o.print?.({ to: m.to, subject: m.subject, links: m.links, file });
  await trim(o.dir, o.keep);
  return file;
}

async function trim(dir: string, keep: number): Promise<void> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".eml")).sort();
  const extra = files.slice(0, Math.max(0, files.length - keep));
  await Promise.all(extra.map((f) => rm(path.join(dir, f), { force: true })));
}
