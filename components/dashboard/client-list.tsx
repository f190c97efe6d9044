// The developer's clients: name, type, client_id, created, tokens in the last 24 h; or an empty
// state that points at registration.
import Link from "next/link";
import { buttonClassName } from "@/components/ui";

export interface ClientListItem {
  id: string;
  name: string;
  clientId: string;
  publicClient: boolean;
  createdAt: Date;
  tokensLast24h: number;
  /** Shown to admins, who see everyone's clients. */
  ownerEmail?: string | null;
  suspended: boolean;
}

const date = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

export function ClientList({ clients }: { clients: ClientListItem[] }) {
  if (clients.length === 0) {
    return (
      <div className="flex flex-col items-center gap-3 rounded-xl border border-dashed border-neutral-300 bg-white px-6 py-12 text-center">
        <h2 className="text-base font-semibold text-neutral-900">No clients yet</h2>
        <p className="max-w-sm text-sm text-neutral-600">
          Register your app to get a client_id, a ready-to-paste configuration and a security checkup.
        </p>
        <Link href="/dashboard/clients/new" className={buttonClassName()}>
          Register a client
        </Link>
      </div>
    );
  }
  return (
    <ul className="flex flex-col gap-3" aria-label="Your clients">
      {clients.map((c) => (
        <li key={c.id} className="rounded-xl border border-neutral-200 bg-white p-4 shadow-sm sm:p-5">
          <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
            <Link href={`/dashboard/clients/${c.id}`} className="break-words text-base font-semibold text-brand-700 hover:underline">
              {c.name}
            </Link>
            <span className="text-xs text-neutral-600">
              {c.publicClient ? "Browser or native app (public)" : "Server app (confidential)"}
              {c.suspended ? " · suspended" : ""}
            </span>
          </div>
          <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
            <div className="min-w-0">
              <dt className="text-xs text-neutral-500">client_id</dt>
              <dd className="break-all font-mono text-neutral-900">{c.clientId}</dd>
            </div>
            <div>
              <dt className="text-xs text-neutral-500">Created</dt>
              <dd className="text-neutral-900">{date.format(c.createdAt)}</dd>
            </div>
            <div>
              <dt className="text-xs text-neutral-500">Tokens, last 24 h</dt>
              <dd className="text-neutral-900">{c.tokensLast24h}</dd>
            </div>
            {c.ownerEmail !== undefined ? (
              <div className="sm:col-span-3">
                <dt className="text-xs text-neutral-500">Owner</dt>
                <dd className="break-all text-neutral-900">{c.ownerEmail ?? "none (registered by the CLI or an administrator)"}</dd>
              </div>
            ) : null}
          </dl>
        </li>
      ))}
    </ul>
  );
}
