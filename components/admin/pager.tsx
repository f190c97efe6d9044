// Keyset pagination links: "Next page" carries the cursor of the last row shown; there is no
// page number (OFFSET would get slower the deeper one goes).
import Link from "next/link";
import { buttonClassName } from "@/components/ui";

export function Pager({ basePath, query, next, isFirst }: {
  basePath: string;
  /** The list's filters, without the cursor. */
  query: Record<string, string | undefined>;
  next: string | null;
  isFirst: boolean;
}) {
  const href = (cursor?: string) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
    if (cursor) q.set("cursor", cursor);
    const s = q.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  if (!next && isFirst) return null;
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-3">
      {isFirst ? <span /> : (
        <Link href={href()} className={buttonClassName({ variant: "ghost", size: "sm" })}>
          ← First page
        </Link>
      )}
      {next ? (
        <Link href={href(next)} className={buttonClassName({ variant: "secondary", size: "sm" })}>
          Next page →
        </Link>
      ) : (
        <span className="text-sm text-neutral-500">End of list</span>
      )}
    </nav>
  );
}
