"use client";
// ErrorSummary: after a form comes back with errors, one box at the top that names each field
// and links to it, and takes the focus (so a screen reader reads it and a keyboard user starts
// there). Focus moves on the first render (server-rendered with `autofocus` when the form was
// posted without JavaScript) and again on every new answer (`answer`, e.g. the action's state).
import { useEffect, useRef } from "react";

export type ErrorSummaryItem = {
  /** The id of the field's input (Field uses `field-${name}`), for the link. */
  fieldId: string;
  /** The field's label, as the user sees it. */
  label: string;
  message: string;
};

export function ErrorSummary({
  items,
  formError,
  answer,
  title = "Please correct the following",
}: {
  items: ErrorSummaryItem[];
  /** A problem with the form as a whole (not one field). */
  formError?: string;
  answer: unknown;
  title?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const show = items.length > 0 || Boolean(formError);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `answer` is the trigger: focus again on every new answer
  useEffect(() => {
    if (show) ref.current?.focus();
  }, [answer, show]);
  if (!show) return null;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="alert"
      aria-labelledby="error-summary-title"
      autoFocus
      data-testid="error-summary"
      className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800 focus:outline-2 focus:outline-offset-2 focus:outline-red-600"
    >
      <p id="error-summary-title" className="font-semibold">
        {items.length > 0 ? title : formError}
      </p>
      {items.length > 0 ? (
        <ul className="mt-1 list-disc space-y-0.5 pl-5">
          {formError ? <li>{formError}</li> : null}
          {items.map((i) => (
            <li key={i.fieldId}>
              <a href={`#${i.fieldId}`} className="font-medium underline underline-offset-2 hover:text-red-900">
                {i.label}: {i.message}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
