// The developer's APIs: name, identifier, scopes, which clients may ask; or an empty state that
// says what an API is and points at creating one.
import Link from "next/link";
import { buttonClassName } from "@/components/ui";

export interface ApiListItem {
  id: string;
  name: string;
  identifier: string;
  scopes: string[];
  /** "Every client" or "2 chosen clients". */
  clients: string;
  createdAt: Date;
  /** Shown to admins, who see everyone's APIs. */
  ownerEmail?: string | null;
}

const date = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

export function ApiList({ apis }: { apis: ApiListItem[] }) {
  if (apis.length === 0) {
    return (
      <div className="flex flex-col items-center gap-3 rounded-xl border border-dashed border-neutral-300 bg-white px-6 py-12 text-center">
        <h2 className="text-base font-semibold text-neutral-900">No APIs yet</h2>
        <p className="max-w-md text-sm text-neutral-600">
          An API is a server of yours that apps call with Latchkey access tokens: you name its scopes, and it accepts only tokens
          issued for it.
        </p>
        <Link href="/dashboard/apis/new" className={buttonClassName()}>
          Create an API
        </Link>
      </div>
    );
  }
  return (
    <ul className="flex flex-col gap-3" aria-label="Your APIs">
      {apis.map((a) => (
        <li key={a.id} className="rounded-xl border border-neutral-200 bg-white p-4 shadow-sm sm:p-5">
          <Link href={`/dashboard/apis/${a.id}`} className="break-words text-base font-semibold text-brand-700 hover:underline">
            {a.name}
          </Link>
          <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
            <div className="min-w-0 sm:col-span-3">
              <dt className="text-xs text-neutral-500">Identifier</dt>
              <dd className="break-all font-mono text-neutral-900">{a.identifier}</dd>
            </div>
            <div className="min-w-0">
              <dt className="text-xs text-neutral-500">Scopes</dt>
              <dd className="break-words font-mono text-neutral-900">{a.scopes.length ? a.scopes.join(" ") : "none"}</dd>
            </div>
            <div>
              <dt className="text-xs text-neutral-500">Clients</dt>
              <dd className="text-neutral-900">{a.clients}</dd>
            </div>
            <div>
              <dt className="text-xs text-neutral-500">Created</dt>
              <dd className="text-neutral-900">{date.format(a.createdAt)}</dd>
            </div>
            {a.ownerEmail !== undefined ? (
              <div className="sm:col-span-3">
                <dt className="text-xs text-neutral-500">Owner</dt>
                <dd className="break-all text-neutral-900">{a.ownerEmail ?? "none (created by the CLI)"}</dd>
              </div>
            ) : null}
          </dl>
        </li>
      ))}
    </ul>
  );
}
