// The recovery codes, shown once right after they are made: a list to write down, a copy button
// and a download (a data: link, so it works without JavaScript too).
import { Alert, CopyButton, buttonClassName } from "@/components/ui";

export function RecoveryCodesList({ codes }: { codes: string[] }) {
  const text = `Latchkey recovery codes (each works once)\n\n${codes.join("\n")}\n`;
  return (
    <div className="flex flex-col gap-4">
      <Alert tone="warning" title="Save your recovery codes now">
        They are shown only this once. Each one signs you in once if you lose your authenticator app. Keep them somewhere safe, like a password manager.
      </Alert>
      <ul aria-label="Recovery codes" className="grid grid-cols-1 gap-2 rounded-lg border border-neutral-200 bg-neutral-50 p-4 font-mono text-sm text-neutral-900 sm:grid-cols-2">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className="flex flex-wrap items-center gap-3">
        <a
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
          download="latchkey-recovery-codes.txt"
          className={buttonClassName({ variant: "secondary", size: "sm" })}
        >
          Download codes
        </a>
        <CopyButton value={codes.join("\n")} label="Copy" what="recovery codes" />
      </div>
    </div>
  );
}
