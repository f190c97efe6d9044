// Dates in the admin console: UTC, medium date + short time, so every admin reads the same.
const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dateTimeSeconds = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

export function formatDate(d: Date | null | undefined): string {
  return d ? `${dateTime.format(d)} UTC` : "—";
}

export function formatDateSeconds(d: Date): string {
  return `${dateTimeSeconds.format(d)} UTC`;
}
