// The security scorecard: one row per rule, its status, what we found, why it matters (with the
// RFC section), and the one-click fix when there is one.
import type { SecretState } from "./action-states";
import { scoreSummary, type ScoreItem, type ScoreStatus } from "@/lib/dashboard/scorecard";
import { FixButton } from "./fix-button";

type Action = (prev: SecretState, form: FormData) => Promise<SecretState>;

const BADGE: Record<ScoreStatus, { text: string; className: string }> = {
  pass: { text: "Pass", className: "bg-green-100 text-green-800" },
  warn: { text: "Warning", className: "bg-amber-100 text-amber-900" },
  fail: { text: "Fail", className: "bg-red-100 text-red-800" },
};

export function ScorecardView({ items, fixAction, clientRowId }: { items: ScoreItem[]; fixAction: Action; clientRowId: string }) {
  const s = scoreSummary(items);
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-neutral-700">
        {s.pass} of {items.length} checks pass
        {s.fail ? `, ${s.fail} failing` : ""}
        {s.warn ? `, ${s.warn} ${s.warn === 1 ? "warning" : "warnings"}` : ""}.
      </p>
      <ul className="flex flex-col divide-y divide-neutral-200 rounded-lg border border-neutral-200" aria-label="Security checks">
        {items.map((i) => (
          <li key={i.id} className="flex flex-col gap-2 p-4" data-check={i.id} data-status={i.status}>
            <div className="flex flex-wrap items-center gap-2">
              <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${BADGE[i.status].className}`}>{BADGE[i.status].text}</span>
              <h3 className="text-sm font-semibold text-neutral-900">{i.title}</h3>
            </div>
            <p className="break-words text-sm text-neutral-800">{i.finding}</p>
            <p className="text-xs text-neutral-600">
              {i.why} <span className="whitespace-nowrap font-medium">({i.cite})</span>
            </p>
            {i.fix ? <FixButton action={fixAction} clientRowId={clientRowId} fix={i.fix.action} label={i.fix.label} /> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
