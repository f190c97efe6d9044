// One connected app: logo (or initial), name, what it may do in plain words, when it was
// allowed and last used, and the revoke control.
import type { ReactNode } from "react";
import { ScopeGroups } from "@/components/consent/scope-list";
import type { ScopeGroup } from "@/lib/oauth/scope-groups";
import { formatUtc } from "@/components/ui";

export type ConnectedAppView = {
  clientId: string;
  name: string;
  logoUrl: string | null;
  homepageUrl: string | null;
  scopes: ScopeGroup[];
  allowedAt: Date;
  lastUsedAt: Date | null;
};

/** An https home page as a link target and its host; anything else is not linked. */
function httpsHost(url: string | null): { href: string; host: string } | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" ? { href: u.href, host: u.host } : null;
  } catch {
    return null;
  }
}

export function ConnectedAppItem({ app, revoke }: { app: ConnectedAppView; revoke: ReactNode }) {
  // Only an https logo (never a script URL or mixed content). Decorative: the name is beside it.
  const logo = app.logoUrl?.startsWith("https://") ? app.logoUrl : null;
  const home = httpsHost(app.homepageUrl);
  const headingId = `app-${app.clientId}`;
  return (
    <li aria-labelledby={headingId} className="rounded-xl border border-neutral-200 bg-white p-5 shadow-sm sm:p-6">
      <div className="flex flex-col gap-4">
        <div className="flex items-center gap-3">
          {logo ? (
            <img src={logo} alt="" width={40} height={40} referrerPolicy="no-referrer" className="size-10 shrink-0 rounded-lg border border-neutral-200 object-contain" />
          ) : (
            <div aria-hidden="true" className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-brand-50 font-semibold text-brand-700">
              {app.name.slice(0, 1).toUpperCase()}
            </div>
          )}
          <div className="min-w-0">
            <h2 id={headingId} className="break-words font-semibold text-neutral-900">
              {app.name}
            </h2>
            {home ? (
              <a href={home.href} rel="noopener noreferrer" target="_blank" className="break-all text-sm text-brand-700 hover:underline">
                {home.host}
              </a>
            ) : null}
          </div>
        </div>
        <div className="flex flex-col gap-2">
          <p className="text-sm font-medium text-neutral-700">It can:</p>
          <ScopeGroups groups={app.scopes} tone="granted" />
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-neutral-500">Allowed</dt>
          <dd className="text-neutral-900">{formatUtc(app.allowedAt)}</dd>
          <dt className="text-neutral-500">Last used</dt>
          <dd className="text-neutral-900">{app.lastUsedAt ? formatUtc(app.lastUsedAt) : "Never"}</dd>
        </dl>
        {revoke}
      </div>
    </li>
  );
}
