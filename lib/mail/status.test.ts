import { describe, expect, it } from "vitest";
import { mailStatusLine } from "./status";

const base = { from: "Latchkey <no-reply@id.example.com>", outboxDir: "/srv/data/outbox" };

describe("the start-up line about mail", () => {
  it("production without SMTP: a warning naming the limited features, where messages go, and SMTP_URL", () => {
    const s = mailStatusLine({ ...base, smtpUrl: null, printLinks: false });
    expect(s?.level).toBe("warn");
    expect(s?.line).toContain("password reset, email verification and invitations are limited");
    expect(s?.line).toContain("/srv/data/outbox");
    expect(s?.line).toContain("Set SMTP_URL");
  });
  it("development without SMTP: where the messages and links go", () => {
    expect(mailStatusLine({ ...base, smtpUrl: null, printLinks: true })).toEqual({
      level: "info",
      line: "Mail: no SMTP_URL, so messages are written to /srv/data/outbox and their links printed here.",
    });
  });
  it("with SMTP: nothing", () => {
    expect(mailStatusLine({ ...base, smtpUrl: "smtp://mail.example.com", printLinks: false })).toBeNull();
  });
});
