import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { simpleParser } from "mailparser";
import { INBOX_DIR } from "../env";

interface Mail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** The http(s) links of the plain-text body, in order. */
  links: string[];
}

async function readInbox(): Promise<Mail[]> {
  let files: string[];
  try {
    files = (await readdir(INBOX_DIR)).filter((f) => f.endsWith(".eml") && !f.startsWith(".")).sort();
  } catch {
    return [];
  }
  return Promise.all(
    files.map(async (f) => {
      const m = await simpleParser(await readFile(path.join(INBOX_DIR, f)));
      const text = m.text ?? "";
      return {
        to: [m.to ?? []].flat().flatMap((a) => a.value.map((v) => (v.address ?? "").toLowerCase())),
        from: m.from?.text ?? "",
        subject: m.subject ?? "",
        text,
        html: typeof m.html === "string" ? m.html : "",
        links: [...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((x) => x[0]),
      };
    }),
  );
}

/** The messages to `to` whose subject matches, oldest first (what the test mail server has now). */
async function mailsTo(to: string, subject: RegExp | string = /./): Promise<Mail[]> {
  const match = (s: string) => (typeof subject === "string" ? s.includes(subject) : subject.test(s));
  return (await readInbox()).filter((m) => m.to.includes(to.toLowerCase()) && match(m.subject));
}

/**
 * Waits until the test mail server (e2e/smtp-inbox.ts) has received the `nth` (1 = first) message
 * to `to` whose subject matches, and returns it parsed, with its links.
 */
export async function waitForMail(to: string, subject: RegExp | string, opts: { nth?: number; timeoutMs?: number } = {}): Promise<Mail> {
  const nth = opts.nth ?? 1;
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  for (;;) {
    const found = await mailsTo(to, subject);
    if (found.length >= nth) return found[nth - 1]!;
    if (Date.now() > deadline) throw new Error(`no mail #${nth} to ${to} matching ${String(subject)} within the timeout (have ${found.length})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The one link of a mail that opens `pathname` on the portal. */
export function linkTo(mail: Mail, pathname: string): string {
  const link = mail.links.find((l) => new URL(l).pathname === pathname);
  if (!link) throw new Error(`the mail "${mail.subject}" has no link to ${pathname}: ${mail.links.join(" ")}`);
  return link;
}
