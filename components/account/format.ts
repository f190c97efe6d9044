// Dates on the account pages: one format, in UTC, said so.
const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function formatUtc(d: Date): string {
  return `${dateTime.format(d)} UTC`;
}
