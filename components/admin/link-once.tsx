// A link an admin must pass on by other means, because this server sends no mail (outbox only):
// selectable, with a copy button, and shown this once (only its hash is stored).
import { CopyButton } from "@/components/ui";

export function LinkOnce({ link }: { link: string }) {
  return (
    <div className="mt-2 flex flex-col gap-1.5" data-testid="link-once">
      <label htmlFor="link-once-value" className="text-xs text-neutral-700">
        Mail is off on this server, so nobody was emailed. Give them this link yourself; it is shown only now:
      </label>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <input
          id="link-once-value"
          readOnly
          value={link}
          className="h-9 w-full min-w-0 rounded-lg border border-neutral-300 bg-neutral-50 px-2 font-mono text-xs text-neutral-900"
        />
        <CopyButton value={link} what="link" />
      </div>
    </div>
  );
}
