// Tests only: a real SMTP server (the smtp-server package) on a free loopback port that keeps
// every message it accepts, parsed with mailparser. It offers STARTTLS with smtp-server's own
// self-signed certificate (clients then need `?tls.rejectUnauthorized=false`), or has none.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Every http(s) link in the text body. */
  links: string[];
  raw: ParsedMail;
}

export interface TestSmtpServer {
  port: number;
  /** An SMTP_URL for this server (STARTTLS, certificate not checked), with credentials if given. */
  url(auth?: { user: string; pass: string }): string;
  messages: ReceivedMail[];
  /** Resolves with the first message to `to` (already received or arriving later). */
  waitFor(to: string): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export interface TestSmtpOptions {
  /** Accepted credentials; unset = no authentication asked for. */
  auth?: { user: string; pass: string };
  /** No STARTTLS at all (a server a smtp:// client must refuse). */
  noSTARTTLS?: boolean;
  /** Refuse every message with this SMTP reply code (e.g. 554). */
  rejectWith?: number;
}

export function linksIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]);
}

export async function startSmtpServer(o: TestSmtpOptions = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters: { to: string; resolve: (m: ReceivedMail) => void }[] = [];
  const server = new SMTPServer({
    logger: false,
    ...(o.noSTARTTLS ? { hideSTARTTLS: true, disabledCommands: ["STARTTLS"] } : {}),
    authOptional: !o.auth,
    authMethods: ["PLAIN", "LOGIN"],
    // Auth over the STARTTLS-upgraded connection only (the default); nodemailer upgrades first.
    onAuth(auth, _session, cb) {
      if (o.auth && auth.username === o.auth.user && auth.password === o.auth.pass) return cb(null, { user: auth.username });
      cb(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (o.rejectWith) return cb(Object.assign(new Error("Message refused"), { responseCode: o.rejectWith }));
        simpleParser(Buffer.concat(chunks))
          .then((parsed) => {
            const to = [parsed.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ""));
            const m: ReceivedMail = {
              from: parsed.from?.text ?? "",
              to,
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              html: typeof parsed.html === "string" ? parsed.html : "",
              links: linksIn(parsed.text ?? ""),
              raw: parsed,
            };
            messages.push(m);
            for (const w of waiters.splice(0)) {
              if (m.to.includes(w.to)) w.resolve(m);
              else waiters.push(w);
            }
            cb();
          })
          .catch(cb);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: (auth) => `smtp://${auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : ""}127.0.0.1:${port}?tls.rejectUnauthorized=false`,
    messages,
    waitFor: (to) =>
      new Promise((resolve) => {
        const m = messages.find((x) => x.to.includes(to));
        if (m) resolve(m);
        else waiters.push({ to, resolve });
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
