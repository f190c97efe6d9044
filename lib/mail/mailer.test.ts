// The mailer against a real SMTP server (test/smtp-server.ts): the message that arrives, and each
// way a mail server can fail (no STARTTLS, wrong credentials, down, refusing, stalled) as a
// MailFailed with nodemailer's code. The outbox: the .eml file, its mode, the bound, the printed links.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { startSmtpServer, type TestSmtpServer } from "@test/smtp-server";
import { createMailer, MailFailed } from "./mailer";
import type { MailMessage } from "./message";
import { passwordResetMail } from "./templates";

const FROM = "Latchkey <no-reply@id.example.com>";
const message = (to = "ann@example.com"): MailMessage =>
  passwordResetMail({ issuer: "https://id.example.com", to, link: "https://id.example.com/reset-password?token=abc<&>", ttlSeconds: 1800 });
const outbox = { dir: "/nonexistent", keep: 10 };

async function failure(p: Promise<unknown>): Promise<MailFailed> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(MailFailed);
  return err as MailFailed;
}

describe("SMTP", () => {
  let smtp: TestSmtpServer;
  let authed: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    authed = await startSmtpServer({ auth: { user: "mailer", pass: "s3cret:pass" } });
  });
  afterAll(async () => {
    await smtp.close();
    await authed.close();
  });

  it("delivers over STARTTLS: From, To, subject, the plain-text and the HTML body, the link escaped in HTML", async () => {
    const mailer = createMailer({ smtpUrl: smtp.url(), from: FROM, outbox });
    expect(mailer.mode).toBe("smtp");
    await mailer.send(message());
    const m = await smtp.waitFor("ann@example.com");
    expect(m.from).toBe('"Latchkey" <no-reply@id.example.com>');
    expect(m.subject).toBe("Reset your Latchkey password");
    expect(m.text).toContain("https://id.example.com/reset-password?token=abc<&>");
    expect(m.text).toContain("The link works once, for 30 minutes.");
    expect(m.html).toContain('href="https://id.example.com/reset-password?token=abc&lt;&amp;&gt;"');
    expect(m.html).not.toContain("abc<&>");
  });

  it("authenticates with the credentials in the URL; wrong ones fail with EAUTH", async () => {
    await createMailer({ smtpUrl: authed.url({ user: "mailer", pass: "s3cret:pass" }), from: FROM, outbox }).send(message("bob@example.com"));
    expect((await authed.waitFor("bob@example.com")).subject).toBe("Reset your Latchkey password");
    const err = await failure(createMailer({ smtpUrl: authed.url({ user: "mailer", pass: "wrong" }), from: FROM, outbox }).send(message("eve@example.com")));
    expect(err.reason).toBe("EAUTH");
    expect(authed.messages.map((x) => x.to)).not.toContainEqual(["eve@example.com"]);
  });

  it("smtp:// to a server without STARTTLS is refused before anything is sent (unless ?requireTLS=false)", async () => {
    const plain = await startSmtpServer({ noSTARTTLS: true });
    try {
      const err = await failure(createMailer({ smtpUrl: plain.url(), from: FROM, outbox }).send(message()));
      expect(err.reason).toBe("ETLS");
      expect(plain.messages).toEqual([]);
      await createMailer({ smtpUrl: `${plain.url()}&requireTLS=false`, from: FROM, outbox }).send(message("relay@example.com"));
      expect((await plain.waitFor("relay@example.com")).subject).toBe("Reset your Latchkey password");
    } finally {
      await plain.close();
    }
  });

  it("a server that is down, one that refuses the message, and one that never answers: MailFailed", async () => {
    // A port nothing listens on any more.
    const gone: Server = createServer();
    await new Promise<void>((r) => gone.listen(0, "127.0.0.1", r));
    const url = `smtp://127.0.0.1:${(gone.address() as AddressInfo).port}`;
    await new Promise<void>((r) => gone.close(() => r()));
    expect((await failure(createMailer({ smtpUrl: url, from: FROM, outbox }).send(message()))).reason).toBe("ESOCKET");

    const refusing = await startSmtpServer({ rejectWith: 554 });
    try {
      expect((await failure(createMailer({ smtpUrl: refusing.url(), from: FROM, outbox }).send(message()))).reason).toBe("EMESSAGE");
    } finally {
      await refusing.close();
    }

    // Accepts the connection and says nothing: the greeting timeout ends the attempt.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      const port = (silent.address() as AddressInfo).port;
      const err = await failure(createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, outbox, timeoutMs: 300 }).send(message()));
      expect(err.reason).toBe("ETIMEDOUT");
    } finally {
      silent.close();
    }
  });
});

describe("the outbox (no SMTP_URL)", () => {
  it("writes each message as an .eml file of mode 0600 and prints its links in one line", async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), "outbox-")), "outbox");
    const printed: unknown[] = [];
    const mailer = createMailer({ smtpUrl: null, from: FROM, outbox: { dir, keep: 10, print: (l) => printed.push(l) } });
    expect(mailer.mode).toBe("outbox");
    await mailer.send(message());
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{15}-[0-9a-f]{8}\.eml$/);
    const file = path.join(dir, files[0]!);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const parsed = await simpleParser(await readFile(file));
    expect(parsed.subject).toBe("Reset your Latchkey password");
    expect(parsed.from?.text).toBe('"Latchkey" <no-reply@id.example.com>');
    expect(parsed.text).toContain("https://id.example.com/reset-password?token=abc<&>");
    expect(parsed.html).toContain("Choose a new password");
    expect(printed).toEqual([
      { to: "ann@example.com", subject: "Reset your Latchkey password", links: ["https://id.example.com/reset-password?token=abc<&>"], file },
    ]);
  });

  it("keeps the newest `keep` messages", async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), "outbox-")), "outbox");
    const mailer = createMailer({ smtpUrl: null, from: FROM, outbox: { dir, keep: 3 } });
    for (let i = 0; i < 5; i++) await mailer.send(message(`n${i}@example.com`));
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(3);
    const to = await Promise.all(files.map(async (f) => (await simpleParser(await readFile(path.join(dir, f)))).to));
    expect(to.map((a) => [a ?? []].flat()[0]?.text)).toEqual(["n2@example.com", "n3@example.com", "n4@example.com"]);
  });

  it("an outbox that cannot be written is a MailFailed", async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "outbox-")), "a-file");
    await writeFile(file, "");
    const mailer = createMailer({ smtpUrl: null, from: FROM, outbox: { dir: path.join(file, "outbox"), keep: 3 } });
    expect((await failure(mailer.send(message()))).reason).toMatch(/^E[A-Z]+$/);
  });
});
