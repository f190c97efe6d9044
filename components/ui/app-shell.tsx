// AppShell: layout for signed-in pages: top bar (wordmark, nav links, right-side actions)
// and a max-w-5xl <main id="main">. Nav scrolls horizontally on narrow screens (no JS).
import Link from "next/link";
import type { ReactNode } from "react";
import { Wordmark } from "./auth-shell";

export type AppShellNavItem = { href: string; label: string; current?: boolean };

export type AppShellProps = {
  nav?: AppShellNavItem[];
  /** Right side of the top bar, e.g. the user's email and a sign-out form. */
  actions?: ReactNode;
  children: ReactNode;
};

export function AppShell({ nav, actions, children }: AppShellProps) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="border-b border-neutral-200 bg-white">
        <div className="mx-auto flex w-full max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
          <Wordmark />
          {nav && nav.length > 0 ? (
            <nav
              aria-label="Main"
              className="order-last -mx-4 w-[calc(100%+2rem)] overflow-x-auto px-4 md:order-none md:mx-0 md:w-auto md:px-0"
            >
              <ul className="flex gap-1 whitespace-nowrap">
                {nav.map((item) => (
                  <li key={item.href}>
                    <Link
                      href={item.href}
                      aria-current={item.current ? "page" : undefined}
                      className={[
                        "inline-flex rounded-md px-3 py-2 text-sm font-medium transition-colors",
                        item.current
                          ? "bg-brand-50 text-brand-700"
                          : "text-neutral-600 hover:bg-neutral-100 hover:text-neutral-900",
                      ].join(" ")}
                    >
                      {item.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          {actions ? (
            <div className="ml-auto flex min-w-0 items-center gap-3 text-sm text-neutral-700">{actions}</div>
          ) : null}
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6 sm:py-10">
        {children}
      </main>
    </div>
  );
}
