// Name = value, with a one-line meaning under each: parameters, headers, claims.
export type Explained = { name: string; value: string; meaning: string };

export function ExplainedList({ items, label }: { items: Explained[]; label: string }) {
  if (items.length === 0) return <p className="text-neutral-500">None.</p>;
  return (
    <dl aria-label={label} className="divide-y divide-neutral-100 rounded-lg border border-neutral-200">
      {items.map((p) => (
        <div key={p.name} className="grid gap-1 px-3 py-2 sm:grid-cols-[11rem_1fr] sm:gap-3">
          <dt className="font-mono text-xs font-semibold text-neutral-900 sm:pt-0.5">{p.name}</dt>
          <dd className="min-w-0">
            <code className="block break-all font-mono text-xs text-brand-900">{p.value}</code>
            <p className="mt-0.5 text-xs text-neutral-600">{p.meaning}</p>
          </dd>
        </div>
      ))}
    </dl>
  );
}
