import type { ReactNode } from "react";

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-neutral-300 bg-white px-6 py-10 text-center">
      <p className="text-sm font-semibold text-neutral-900">{title}</p>
      {children ? <div className="mt-1 text-sm text-neutral-600">{children}</div> : null}
    </div>
  );
}
