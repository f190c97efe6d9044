// AuthShell: centered single-column layout for sign-in, sign-up and consent pages.
// Also exports Wordmark (key icon + "Latchkey", links to "/"), shared with AppShell.
import Link from "next/link";
import type { ReactNode } from "react";
import { Card } from "./card";

export function Wordmark({ className }: { className?: string }) {
  return (
    <Link
      href="/"
      className={[
        "inline-flex items-center gap-2 rounded-md text-lg font-semibold tracking-tight text-neutral-900",
        className ?? "",
      ]
        .filter(Boolean)
        .join(" ")}
    >
      <svg aria-hidden="true" viewBox="0 0 32 32" className="size-7 shrink-0">
        <rect width="32" height="32" rx="8" className="fill-brand-600" />
        <circle cx="12" cy="16" r="5" fill="none" stroke="white" strokeWidth="2.5" />
        <path d="M17 16h9M22.5 16v3.5M26 16v2.5" stroke="white" strokeWidth="2.5" strokeLinecap="round" />
      </svg>
      <span>Latchkey</span>
    </Link>
  );
}

export type AuthShellProps = {
  /** Rendered as the page's <h1>. */
  title: ReactNode;
  subtitle?: ReactNode;
  children: ReactNode;
  /** Shown under the card, e.g. "No account? Sign up". */
  footer?: ReactNode;
};

export function AuthShell({ title, subtitle, children, footer }: AuthShellProps) {
  return (
    <div className="flex min-h-dvh flex-col items-center px-4 py-10 sm:py-16">
      <div className="w-full max-w-md">
        <header className="mb-8 flex justify-center">
          <Wordmark />
        </header>
        <main id="main">
          <div className="mb-6 text-center">
            <h1 className="text-2xl font-semibold tracking-tight text-neutral-900">{title}</h1>
            {subtitle ? <p className="mt-2 text-sm text-neutral-600">{subtitle}</p> : null}
          </div>
          <Card>{children}</Card>
          {footer ? <div className="mt-6 text-center text-sm text-neutral-600">{footer}</div> : null}
        </main>
      </div>
    </div>
  );
}
