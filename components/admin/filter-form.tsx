// A GET form of list filters (server component: plain HTML, works without JavaScript).
import Link from "next/link";
import type { ReactNode } from "react";
import { Button, buttonClassName } from "@/components/ui";

export function FilterForm({ action, label, children, active }: {
  action: string;
  /** Accessible name of the form (role=search). */
  label: string;
  children: ReactNode;
  /** Whether any filter is set (shows "Clear"). */
  active: boolean;
}) {
  return (
    <form method="get" action={action} role="search" aria-label={label} className="flex flex-col gap-4 rounded-xl border border-neutral-200 bg-white p-4 shadow-sm sm:p-5">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">{children}</div>
      <div className="flex gap-3">
        <Button type="submit" size="sm">Apply filters</Button>
        {active ? (
          <Link href={action} className={buttonClassName({ variant: "ghost", size: "sm" })}>
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}
