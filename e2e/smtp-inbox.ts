// The e2e suite's mail server, started beside the portal by playwright.config.ts: a real SMTP
// server (smtp-server) on 127.0.0.1:E2E_SMTP_PORT offering STARTTLS with the run's test
// certificate (which the portal trusts through NODE_EXTRA_CA_CERTS, so its STARTTLS is checked as
// in production), writing each message it accepts into E2E_INBOX_DIR as an .eml file, which any
// test worker reads (e2e/support/mail.ts).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { SMTPServer } from "smtp-server";

const port = Number(process.env.E2E_SMTP_PORT);
const inbox = process.env.E2E_INBOX_DIR ?? "";
const tls = { key: process.env.E2E_TLS_KEY ?? "", cert: process.env.E2E_TLS_CERT ?? "" };
if (!Number.isInteger(port) || !inbox || !tls.key || !tls.cert) throw new Error("E2E_SMTP_PORT, E2E_INBOX_DIR, E2E_TLS_KEY and E2E_TLS_CERT must be set");
mkdirSync(inbox, { recursive: true });

const server = new SMTPServer({
  logger: false,
  authOptional: true,
  key: readFileSync(tls.key),
  cert: readFileSync(tls.cert),
  onData(stream, _session, cb) {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      const name = `${String(Date.now()).padStart(15, "0")}-${randomBytes(4).toString("hex")}.eml`;
      // Written under a temporary name, then renamed: a reader never sees half a message.
      const tmp = path.join(inbox, `.${name}`);
      writeFileSync(tmp, Buffer.concat(chunks));
      renameSync(tmp, path.join(inbox, name));
      cb();
    });
  },
});
server.listen(port, "127.0.0.1");
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
