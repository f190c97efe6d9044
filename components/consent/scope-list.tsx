// Scopes in plain words, grouped: the portal's own first, then each API's under its name
// (lib/oauth/scope-groups.ts).
import type { ScopeGroup, ScopeLine } from "@/lib/oauth/scope-groups";

/** Where an API lives, for people: the host of an http(s) identifier, else the identifier itself. */
function apiPlace(identifier: string): string {
  try {
    const u = new URL(identifier);
    return u.protocol === "https:" || u.protocol === "http:" ? u.host : identifier;
  } catch {
    return identifier;
  }
}

export function ScopeGroups({ groups, tone }: { groups: ScopeGroup[]; tone: "new" | "granted" }) {
  const apis = groups.some((g) => g.api);
  return (
    <div className="flex flex-col gap-3">
      {groups.map((g) =>
        g.api ? (
          // Each API on its own, under its name and where it lives: the same words ("Read your
          // items") mean something else at another API.
          <div key={g.api.identifier} className="flex flex-col gap-2 rounded-lg border border-neutral-200 p-3" data-testid="consent-api">
            <div className="flex min-w-0 flex-col">
              <h3 className="break-words text-sm font-semibold text-neutral-900">{g.api.name}</h3>
              <p className="break-all text-xs text-neutral-600">{apiPlace(g.api.identifier)}</p>
            </div>
            <ScopeList lines={g.lines} tone={tone} label={g.api.name} />
          </div>
        ) : apis ? (
          <div key="portal" className="flex flex-col gap-2 rounded-lg border border-neutral-200 p-3">
            <h3 className="text-sm font-semibold text-neutral-900">Your account</h3>
            <ScopeList lines={g.lines} tone={tone} label="Your account" />
          </div>
        ) : (
          <ScopeList key="portal" lines={g.lines} tone={tone} />
        ),
      )}
    </div>
  );
}

function ScopeList({ lines, tone, label }: { lines: ScopeLine[]; tone: "new" | "granted"; label?: string }) {
  return (
    <ul className="flex flex-col gap-2 text-sm" aria-label={label}>
      {lines.map(({ key, text }) => (
        <li key={key} className="flex items-start gap-2">
          <svg
            aria-hidden="true"
            viewBox="0 0 20 20"
            fill="currentColor"
            className={`mt-0.5 size-4 shrink-0 ${tone === "new" ? "text-brand-600" : "text-neutral-400"}`}
          >
            <path
              fillRule="evenodd"
              d="M16.704 4.153a.75.75 0 0 1 .143 1.052l-8 10.5a.75.75 0 0 1-1.127.075l-4.5-4.5a.75.75 0 0 1 1.06-1.06l3.894 3.893 7.48-9.817a.75.75 0 0 1 1.05-.143Z"
              clipRule="evenodd"
            />
          </svg>
          <span className={tone === "new" ? "text-neutral-900" : "text-neutral-600"}>{text}</span>
        </li>
      ))}
    </ul>
  );
}
