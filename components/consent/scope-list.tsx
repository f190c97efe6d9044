// A list of scopes in plain words (lib/oauth/scopes.ts SCOPES).
import { SCOPES, isKnownScope } from "@/lib/oauth/scopes";

export function ScopeList({ scopes, tone }: { scopes: string[]; tone: "new" | "granted" }) {
  return (
    <ul className="flex flex-col gap-2 text-sm">
      {scopes.map((s) => (
        <li key={s} className="flex items-start gap-2">
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
          <span className={tone === "new" ? "text-neutral-900" : "text-neutral-600"}>{isKnownScope(s) ? SCOPES[s] : s}</span>
        </li>
      ))}
    </ul>
  );
}
