// A GET form of list filters (server component: plain HTML, works without JavaScript).
import Link from "next/link";
import type { ReactNode } from "react";
import { Button, buttonClassName } from "@/components/ui";

export function FilterForm({ action, label, children, active, collapsible = false, submitLabel = "Apply filters" }: {
  action: string;
  /** Accessible name of the form (role=search). */
  label: string;
  children: ReactNode;
  /** Whether any filter is set (shows "Clear"). */
  active: boolean;
  /** Many filters: fold them under a "Filters" disclosure, open while any is set. */
  collapsible?: boolean;
  submitLabel?: string;
}) {
  const form = (
    <form method="get" action={action} role="search" aria-label={label} className="flex flex-col gap-4 rounded-xl border border-neutral-200 bg-white p-4 shadow-sm sm:p-5">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">{children}</div>
      <div className="flex gap-3">
        <Button type="submit" size="sm">{submitLabel}</Button>
        {active ? (
          <Link href={action} className={buttonClassName({ variant: "ghost", size: "sm" })}>
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
  if (!collapsible) return form;
  return (
    <details open={active} className="group rounded-xl border border-neutral-200 bg-white shadow-sm [&>form]:rounded-t-none [&>form]:border-0 [&>form]:border-t [&>form]:shadow-none">
      <summary className="flex cursor-pointer list-none items-center justify-between rounded-xl px-4 py-3 text-sm font-medium text-neutral-900 select-none hover:bg-neutral-50 sm:px-5 [&::-webkit-details-marker]:hidden">
        <span>
          Filters{active ? <span className="ml-2 rounded-full bg-brand-50 px-2 py-0.5 text-xs text-brand-700">active</span> : null}
        </span>
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4 text-neutral-500 transition-transform group-open:rotate-180">
          <path fillRule="evenodd" d="M5.22 8.22a.75.75 0 0 1 1.06 0L10 11.94l3.72-3.72a.75.75 0 1 1 1.06 1.06l-4.25 4.25a.75.75 0 0 1-1.06 0L5.22 9.28a.75.75 0 0 1 0-1.06Z" clipRule="evenodd" />
        </svg>
      </summary>
      {form}
    </details>
  );
}
