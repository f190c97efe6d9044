// A titled, copyable block of code that scrolls sideways on a phone instead of overflowing.
import { CopyButton } from "@/components/ui";

export function CodeBlock({ title, code }: { title: string; code: string }) {
  return (
    <div className="flex min-w-0 flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold text-neutral-900">{title}</h3>
        <CopyButton value={code} what={title} />
      </div>
      <pre className="max-h-96 overflow-auto rounded-lg bg-neutral-900 p-4 text-xs leading-relaxed text-neutral-100">
        <code>{code}</code>
      </pre>
    </div>
  );
}
