// Scopes in plain words, grouped: the portal's own first, then each API's under its name
// (lib/oauth/scope-groups.ts).
import type { ScopeGroup, ScopeLine } from "@/lib/oauth/scope-groups";

export function ScopeGroups({ groups, tone }: { groups: ScopeGroup[]; tone: "new" | "granted" }) {
  return (
    <div className="flex flex-col gap-3">
      {groups.map((g) =>
        g.api ? (
          <div key={g.api.identifier} className="flex flex-col gap-1.5">
            <h3 className="text-sm font-medium text-neutral-800" title={g.api.identifier}>
              {g.api.name}
            </h3>
            <ScopeList lines={g.lines} tone={tone} />
          </div>
        ) : (
          <ScopeList key="portal" lines={g.lines} tone={tone} />
        ),
      )}
    </div>
  );
}

function ScopeList({ lines, tone }: { lines: ScopeLine[]; tone: "new" | "granted" }) {
  return (
    <ul className="flex flex-col gap-2 text-sm">
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
