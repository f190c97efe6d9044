"use client";
// Copies a value to the clipboard and says so (politely, for screen readers too).
import { useState } from "react";
import { Button } from "./button";

export function CopyButton({ value, label = "Copy", what }: { value: string; label?: string; what?: string }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        type="button"
        variant="secondary"
        size="sm"
        aria-label={what ? `${label} ${what}` : label}
        onClick={() => {
          navigator.clipboard.writeText(value).then(
            () => setCopied("yes"),
            () => setCopied("no"),
          );
        }}
      >
        {label}
      </Button>
      <span aria-live="polite" className="text-xs text-neutral-600">
        {copied === "yes" ? "Copied" : copied === "no" ? "Copy failed: select the text instead" : ""}
      </span>
    </span>
  );
}
