// Tabs: a labelled nav of links, the current one underlined (aria-current="page"). Scrolls
// horizontally on narrow screens (no JS). `short` is the label shown below the sm breakpoint.
import Link from "next/link";

export type TabItem = { href: string; label: string; short?: string; current: boolean };

export function Tabs({ label, items }: { label: string; items: TabItem[] }) {
  return (
    <nav aria-label={label} className="-mx-4 overflow-x-auto border-b border-neutral-200 px-4 sm:mx-0 sm:px-0">
      <ul className="flex gap-1 whitespace-nowrap">
        {items.map((t) => (
          <li key={t.href}>
            <Link
              href={t.href}
              aria-current={t.current ? "page" : undefined}
              className={[
                "-mb-px inline-flex border-b-2 px-3 py-2 text-sm font-medium transition-colors",
                t.current
                  ? "border-brand-600 text-brand-700"
                  : "border-transparent text-neutral-600 hover:border-neutral-300 hover:text-neutral-900",
              ].join(" ")}
            >
              {t.short ? (
                <>
                  <span className="sm:hidden">{t.short}</span>
                  <span className="hidden sm:inline">{t.label}</span>
                </>
              ) : (
                t.label
              )}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
