// Label/value rows in the style of the account page.
import type { ReactNode } from "react";

export function DefinitionList({ rows }: { rows: [label: string, value: ReactNode][] }) {
  return (
    <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[11rem_1fr] sm:gap-y-4">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="mt-3 font-medium text-neutral-500 first:mt-0 sm:mt-0">{label}</dt>
          <dd className="min-w-0 break-words text-neutral-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
