// Counts of consents, refresh tokens, live access tokens and codes (a preview or a report).
import type { GrantCounts } from "@/lib/db/grants";

export function GrantCountList({ counts, label }: { counts: GrantCounts; label: string }) {
  const items: [string, number][] = [
    ["Consents", counts.consents],
    ["Refresh tokens", counts.refreshTokens],
    ["Live access tokens", counts.accessTokens],
    ["Authorization codes", counts.codes],
  ];
  return (
    <dl aria-label={label} className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {items.map(([name, n]) => (
        <div key={name} className="rounded-lg border border-neutral-200 px-3 py-2">
          <dt className="text-xs text-neutral-600">{name}</dt>
          <dd className="text-xl font-semibold text-neutral-900 tabular-nums">{n}</dd>
        </div>
      ))}
    </dl>
  );
}
