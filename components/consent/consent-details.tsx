// What the user is asked to allow: which app (and who registered it), where it will send them
// back (the host, prominent, so that a look-alike stands out), and what it gets, in plain words.
import type { ConsentView } from "@/lib/oauth/authorize";
import { ScopeList } from "./scope-list";

export function ConsentDetails({ view }: { view: ConsentView }) {
  const { client } = view;
  // Only an https logo: never a script URL or mixed content. Decorative: the name is beside it.
  const logo = client.logoUrl && client.logoUrl.startsWith("https://") ? client.logoUrl : null;
  return (
    <div className="flex flex-col gap-5">
      <div className="flex items-center gap-3">
        {logo ? (
          <img src={logo} alt="" width={48} height={48} referrerPolicy="no-referrer" className="size-12 shrink-0 rounded-lg border border-neutral-200 object-contain" />
        ) : (
          <div aria-hidden="true" className="flex size-12 shrink-0 items-center justify-center rounded-lg bg-brand-50 text-lg font-semibold text-brand-700">
            {client.name.slice(0, 1).toUpperCase()}
          </div>
        )}
        <div className="min-w-0">
          <p className="break-words font-semibold text-neutral-900">{client.name}</p>
          <p className="break-words text-sm text-neutral-600">
            {client.ownerName ? `Registered by ${client.ownerName}` : "Registered by the server administrator"}
          </p>
        </div>
      </div>

      <div className="rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
        <p>After you answer, you will be sent to</p>
        <p className="mt-1 break-all font-mono text-base font-semibold">{view.redirectHost}</p>
        <p className="mt-1 text-xs">Continue only if you trust this address.</p>
      </div>

      {view.newScopes.length > 0 ? (
        <section aria-labelledby="consent-new-scopes" className="flex flex-col gap-2">
          <h2 id="consent-new-scopes" className="text-sm font-semibold text-neutral-900">
            {client.name} wants to:
          </h2>
          <ScopeList scopes={view.newScopes} tone="new" />
        </section>
      ) : null}

      {view.grantedScopes.length > 0 ? (
        <section aria-labelledby="consent-granted-scopes" className="flex flex-col gap-2">
          <h2 id="consent-granted-scopes" className="text-sm font-semibold text-neutral-700">
            {view.newScopes.length > 0 ? "It already has permission to:" : `${client.name} asks you to confirm that it may:`}
          </h2>
          <ScopeList scopes={view.grantedScopes} tone="granted" />
        </section>
      ) : null}
    </div>
  );
}
