"use client";
// ConfirmStep: the "are you sure" half of a destructive form. Put it inside the <form> (next to
// the same hidden fields): "Yes, …" posts confirmed=yes, "Cancel" posts confirmed=no, so it works
// as plain HTML; the server action refuses to act without the yes (lib/http/action-args.ts).
// It says what will happen, and takes the focus when it appears.
import { useEffect, useRef, type ReactNode } from "react";
import { Button } from "./button";

export function ConfirmStep({ children, yes, pending, label }: {
  /** What will happen, in plain words. */
  children: ReactNode;
  /** The confirming button, e.g. "Yes, disable user". */
  yes: string;
  pending?: boolean;
  /** Accessible name of the group, e.g. "Confirm disabling ada@example.com". */
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="group"
      aria-label={label}
      autoFocus
      data-testid="confirm-step"
      className="flex flex-col gap-3 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900 focus:outline-2 focus:outline-offset-2 focus:outline-red-600"
    >
      <div className="break-words">{children}</div>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Button type="submit" name="confirmed" value="yes" variant="danger" size="sm" pending={pending}>
          {yes}
        </Button>
        <Button type="submit" name="confirmed" value="no" variant="secondary" size="sm" disabled={pending}>
          Cancel
        </Button>
      </div>
    </div>
  );
}

/**
 * A ref for the button that opens a ConfirmStep: when the step closes (Cancel, or an answer that
 * no longer asks), the focus goes back to that button instead of being lost with the step.
 */
export function useFocusAfterConfirm(asking: boolean) {
  const ref = useRef<HTMLButtonElement>(null);
  const was = useRef(asking);
  useEffect(() => {
    if (was.current && !asking) ref.current?.focus();
    was.current = asking;
  }, [asking]);
  return ref;
}
