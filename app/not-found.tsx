import Link from "next/link";
import { AuthShell } from "@/components/ui";

export default function NotFound() {
  return (
    <AuthShell title="Page not found" subtitle="There is nothing at this address.">
      <Link href="/" className="text-sm font-medium text-brand-700 hover:underline">
        Back to Latchkey
      </Link>
    </AuthShell>
  );
}
