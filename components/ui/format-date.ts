// Dates as the portal shows them: medium date and short time, in UTC and said so, so that a
// user, a developer and an admin read the same instant the same way.
const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dateTimeSeconds = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/** "Dec 6, 2026, 8:05 AM UTC", or "—" when there is no date. */
export function formatUtc(d: Date | null | undefined): string {
  return d ? `${dateTime.format(d)} UTC` : "—";
}

/** With seconds, where events follow each other closely (the audit log). */
export function formatUtcSeconds(d: Date): string {
  return `${dateTimeSeconds.format(d)} UTC`;
}
