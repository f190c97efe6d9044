// The initial access tokens: label, prefix, created, expires, uses, state; revoke for active ones.
// A list of rows that stacks on a phone and lines up on a desktop.
import { formatUtc } from "@/components/ui";
import { RevokeTokenForm, type RevokeTokenAction } from "./revoke-token-form";

export type TokenState = "active" | "expired" | "revoked" | "used";

export interface TokenRow {
  id: string;
  label: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date;
  useCount: number;
  lastUsedAt: Date | null;
  state: TokenState;
}

const stateLabel: Record<TokenState, string> = { active: "Active", expired: "Expired", revoked: "Revoked", used: "Used (single use)" };

const badge: Record<TokenState, string> = {
  active: "bg-green-50 text-green-800 ring-green-200",
  expired: "bg-neutral-100 text-neutral-700 ring-neutral-200",
  revoked: "bg-red-50 text-red-800 ring-red-200",
  used: "bg-neutral-100 text-neutral-700 ring-neutral-200",
};

function StateBadge({ state }: { state: TokenState }) {
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${badge[state]}`}>
      {stateLabel[state]}
    </span>
  );
}

export function TokenList({ tokens, revokeAction }: { tokens: TokenRow[]; revokeAction: RevokeTokenAction }) {
  if (tokens.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-neutral-300 px-4 py-8 text-center text-sm text-neutral-600">
        <p className="font-medium text-neutral-900">No initial access tokens yet</p>
        <p className="mt-1">Create one above and hand it to whoever should register a client.</p>
      </div>
    );
  }
  return (
    <ul className="divide-y divide-neutral-200" aria-label="Initial access tokens">
      {tokens.map((t) => (
        <li key={t.id} className="flex flex-col gap-3 py-4 first:pt-0 last:pb-0 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0 space-y-1">
            <div className="flex flex-wrap items-center gap-2">
              <span className="break-all font-medium text-neutral-900">{t.label}</span>
              <StateBadge state={t.state} />
            </div>
            <p className="font-mono text-xs text-neutral-600">{t.prefix}…</p>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs text-neutral-600 sm:flex sm:flex-wrap sm:gap-x-4">
              <div className="contents sm:flex sm:gap-1">
                <dt className="text-neutral-500">Created</dt>
                <dd>{formatUtc(t.createdAt)}</dd>
              </div>
              <div className="contents sm:flex sm:gap-1">
                <dt className="text-neutral-500">{t.state === "expired" ? "Expired" : "Expires"}</dt>
                <dd>{formatUtc(t.expiresAt)}</dd>
              </div>
              <div className="contents sm:flex sm:gap-1">
                <dt className="text-neutral-500">Uses</dt>
                <dd>
                  {t.useCount}
                  {t.lastUsedAt ? ` (last ${formatUtc(t.lastUsedAt)})` : ""}
                </dd>
              </div>
            </dl>
          </div>
          {t.state === "active" ? <RevokeTokenForm action={revokeAction} id={t.id} label={t.label} /> : null}
        </li>
      ))}
    </ul>
  );
}
