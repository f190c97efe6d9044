// One step of the flow, lettered as in RFC 6749 §4.1's figure: (A) ... (E).
import type { ReactNode } from "react";

export type StepStatus = "todo" | "current" | "done" | "failed";

const badge: Record<StepStatus, string> = {
  todo: "bg-neutral-100 text-neutral-500 ring-neutral-200",
  current: "bg-brand-600 text-white ring-brand-600",
  done: "bg-green-600 text-white ring-green-600",
  failed: "bg-red-600 text-white ring-red-600",
};

const statusWords: Record<StepStatus, string> = { todo: "not yet", current: "now", done: "done", failed: "failed" };

export function Step({ letter, title, status, children }: { letter: string; title: string; status: StepStatus; children?: ReactNode }) {
  return (
    <section id={`step-${letter.toLowerCase()}`} aria-labelledby={`step-${letter.toLowerCase()}-title`} className="scroll-mt-6 rounded-xl border border-neutral-200 bg-white p-4 shadow-sm sm:p-6">
      <div className="flex items-center gap-3">
        <span aria-hidden="true" className={`inline-flex size-8 shrink-0 items-center justify-center rounded-full text-sm font-semibold ring-1 ${badge[status]}`}>
          {letter}
        </span>
        <h2 id={`step-${letter.toLowerCase()}-title`} className="min-w-0 text-base font-semibold text-neutral-900">
          <span className="sr-only">Step {letter}: </span>
          {title}
          <span className="sr-only"> ({statusWords[status]})</span>
        </h2>
      </div>
      {/* Full width on a phone; aligned with the title from sm up. */}
      {children ? <div className="mt-3 flex min-w-0 flex-col gap-4 text-sm text-neutral-700 sm:pl-11">{children}</div> : null}
    </section>
  );
}
