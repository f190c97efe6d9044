// The new initial access token, shown once, with a copy button and the warning that it will not
// be shown again.
import { Alert, CopyButton, formatUtc } from "@/components/ui";

export function CreatedToken({ token, label, expiresAt }: { token: string; label: string; expiresAt: string }) {
  return (
    <Alert tone="warning" title={`Token “${label}” created: copy it now`}>
      <p>This is the only time it is shown. Latchkey keeps only a hash of it. It expires {formatUtc(new Date(expiresAt))}.</p>
      <div className="mt-3 flex flex-col gap-2">
        <label htmlFor="new-initial-access-token" className="text-xs font-medium text-amber-900">
          Initial access token
        </label>
        <textarea
          id="new-initial-access-token"
          readOnly
          rows={2}
          value={token}
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full resize-none break-all rounded-lg border border-amber-300 bg-white px-3 py-2 font-mono text-xs text-neutral-900"
        />
        <CopyButton value={token} label="Copy token" />
      </div>
    </Alert>
  );
}
