// Admin console home: the sections.
import type { Metadata } from "next";
import Link from "next/link";
import { AdminFrame, ADMIN_SECTIONS } from "@/components/admin/admin-frame";
import { requireAdmin } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";

export const metadata: Metadata = { title: "Admin" };

const BLURBS: Record<string, string> = {
  users: "Search accounts; disable, change roles, force password resets.",
  clients: "Every app, its owner and activity; suspend, resume or delete.",
  apis: "Every API (protected resource), its owner, scopes and clients; delete.",
  grants: "What users allowed which apps; revoke one, or all of an app's.",
  keys: "Token signing keys: rotate, retire.",
  audit: "Who did what, when. Filter by person, app, event and time.",
  registration: "Initial access tokens that let software register its own client (RFC 7591).",
  settings: "Sign-in rules: require a verified email, require two-step verification.",
};

export default async function AdminHomePage() {
  const session = await requireAdmin();
  return (
    <AdminFrame shell={portalShellProps(session)} section="overview" title="Admin" description="Run this Latchkey server.">
      <ul className="grid gap-4 sm:grid-cols-2">
        {ADMIN_SECTIONS.map((s) => (
          <li key={s.id}>
            <Link href={s.href} className="block h-full rounded-xl border border-neutral-200 bg-white p-5 shadow-sm transition-colors hover:border-brand-300 hover:bg-brand-50/40">
              <p className="font-semibold text-neutral-900">{s.label}</p>
              <p className="mt-1 text-sm text-neutral-600">{BLURBS[s.id]}</p>
            </Link>
          </li>
        ))}
      </ul>
    </AdminFrame>
  );
}
