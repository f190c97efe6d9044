// The checks a client makes, each passed or failed in words (not colour alone).
export type CheckItem = { ok: boolean; label: string; detail: string };

export function Checks({ items, label }: { items: CheckItem[]; label: string }) {
  return (
    <ul aria-label={label} className="flex flex-col gap-1.5">
      {items.map((c) => (
        <li key={c.label} className={`flex gap-2 text-sm ${c.ok ? "text-green-800" : "text-red-800"}`}>
          <span aria-hidden="true" className="font-bold">{c.ok ? "✓" : "✗"}</span>
          <span>
            <span className="font-mono font-semibold">{c.label}</span> <span className="sr-only">{c.ok ? "passed" : "failed"}:</span> {c.detail}
          </span>
        </li>
      ))}
    </ul>
  );
}
