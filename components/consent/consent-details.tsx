// What the user is asked to allow: which app (and who registered it, when someone did), whether
// an admin has verified it (a clear warning when not: anyone can register any name and logo),
// its home page, where it will send them back (the host, prominent, so that a look-alike stands
// out), and what it gets, in plain words.
import type { ConsentView } from "@/lib/oauth/authorize";
import { Alert } from "@/components/ui";
import { ScopeGroups } from "./scope-list";

/** The home page as host + href, only for https (or a loopback http address in development). */
function homepage(url: string | null): { host: string; href: string } | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.protocol !== "https:" && !(u.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname))) return null;
    return { host: u.host, href: u.href };
  } catch {
    return null;
  }
}

function VerifiedBadge() {
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-green-50 px-2 py-0.5 text-xs font-medium text-green-800 ring-1 ring-inset ring-green-200">
      <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-3.5">
        <path
          fillRule="evenodd"
          d="M16.704 4.153a.75.75 0 0 1 .143 1.052l-8 10.5a.75.75 0 0 1-1.127.075l-4.5-4.5a.75.75 0 0 1 1.06-1.06l3.894 3.893 7.48-9.817a.75.75 0 0 1 1.05-.143Z"
          clipRule="evenodd"
        />
      </svg>
      Verified by Latchkey
    </span>
  );
}

export function ConsentDetails({ view }: { view: ConsentView }) {
  const { client } = view;
  // Only an https logo: never a script URL or mixed content. Decorative: the name is beside it.
  const logo = client.logoUrl?.startsWith("https://") ? client.logoUrl : null;
  const site = homepage(client.homepageUrl);
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
        <div className="flex min-w-0 flex-col items-start gap-1">
          <p className="break-words font-semibold text-neutral-900">{client.name}</p>
          {client.verified ? <VerifiedBadge /> : null}
          {client.ownerName ? <p className="break-words text-sm text-neutral-600">Registered by {client.ownerName}</p> : null}
          {site ? (
            <p className="break-all text-sm text-neutral-600">
              Website:{" "}
              <a href={site.href} target="_blank" rel="noopener noreferrer" className="font-medium text-brand-700 underline-offset-2 hover:underline">
                {site.host}
              </a>
            </p>
          ) : null}
        </div>
      </div>

      {client.verified ? null : (
        <Alert tone="warning" title="Latchkey has not verified this app" data-testid="unverified-warning">
          <p>
            Anyone can register an app under any name and logo. Latchkey has not checked who is behind {client.name}. Allow it
            only if you know the app and expected to sign in to it just now.
          </p>
        </Alert>
      )}

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
          <ScopeGroups groups={view.newScopes} tone="new" />
        </section>
      ) : null}

      {view.grantedScopes.length > 0 ? (
        <section aria-labelledby="consent-granted-scopes" className="flex flex-col gap-2">
          <h2 id="consent-granted-scopes" className="text-sm font-semibold text-neutral-700">
            {view.newScopes.length > 0 ? "It already has permission to:" : `${client.name} asks you to confirm that it may:`}
          </h2>
          <ScopeGroups groups={view.grantedScopes} tone="granted" />
        </section>
      ) : null}
    </div>
  );
}
