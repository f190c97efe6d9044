// A client secret, shown once (right after creation or rotation): selectable, with a copy
// button and a plain warning that it will not be shown again.
import { Alert, CopyButton } from "@/components/ui";

export function SecretOnce({ secret, title = "Client secret" }: { secret: string; title?: string }) {
  return (
    <div className="flex flex-col gap-3" data-testid="secret-once">
      <Alert tone="warning" title="Copy the secret now">
        This is the only time Latchkey shows it. We store only a hash; if you lose it, rotate it.
      </Alert>
      <div className="flex flex-col gap-1.5">
        <label htmlFor="secret-once-value" className="text-sm font-medium text-neutral-800">
          {title}
        </label>
        <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
          <input
            id="secret-once-value"
            readOnly
            value={secret}
            className="h-10 w-full min-w-0 rounded-lg border border-neutral-300 bg-neutral-50 px-3 font-mono text-sm text-neutral-900"
          />
          <CopyButton value={secret} what="client secret" />
        </div>
      </div>
    </div>
  );
}
