"use client";
// Copies a value to the clipboard and says so (politely, for screen readers too).
import { useState } from "react";
import { Button } from "@/components/ui";

export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [status, setStatus] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <div className="flex items-center gap-2">
      <Button
        type="button"
        variant="secondary"
        size="sm"
        onClick={() =>
          navigator.clipboard.writeText(value).then(
            () => setStatus("copied"),
            () => setStatus("failed"),
          )
        }
      >
        {label}
      </Button>
      <span aria-live="polite" className="text-xs text-neutral-600">
        {status === "copied" ? "Copied" : status === "failed" ? "Copy failed: select the token and copy it by hand" : ""}
      </span>
    </div>
  );
}
