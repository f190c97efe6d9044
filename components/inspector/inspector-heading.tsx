import type { ReactNode } from "react";

/** The heading of both flow-inspector pages (step A, and the callback with steps C–E). */
export function InspectorHeading({ clientName, children }: { clientName: string; children: ReactNode }) {
  return (
    <div>
      <p className="text-sm text-neutral-600">Flow inspector</p>
      <h1 className="text-2xl font-semibold tracking-tight break-words text-neutral-900">Try {clientName}</h1>
      {children}
    </div>
  );
}
