// The admin console's frame: the portal shell (Admin current), the page heading and the
// section tabs. Server component; pages pass what they computed.
import Link from "next/link";
import type { ReactNode } from "react";
import { PortalShell, type PortalFrame } from "@/components/portal/portal-shell";
import { Tabs } from "@/components/ui";

export type AdminSection = "overview" | "users" | "clients" | "apis" | "grants" | "keys" | "audit" | "registration" | "settings";

export const ADMIN_SECTIONS: { id: Exclude<AdminSection, "overview">; href: string; label: string }[] = [
  { id: "users", href: "/admin/users", label: "Users" },
  { id: "clients", href: "/admin/clients", label: "Clients" },
  { id: "apis", href: "/admin/apis", label: "APIs" },
  { id: "grants", href: "/admin/grants", label: "Grants" },
  { id: "keys", href: "/admin/keys", label: "Signing keys" },
  { id: "audit", href: "/admin/audit", label: "Audit log" },
  // RFC 7591 initial access tokens live with the developer dashboard; admins reach them from here.
  { id: "registration", href: "/dashboard/registration-tokens", label: "Registration tokens" },
  { id: "settings", href: "/admin/settings", label: "Settings" },
];

export type AdminFrameProps = {
  shell: PortalFrame;
  section: AdminSection;
  title: string;
  description?: ReactNode;
  /** E.g. a "Back to users" link above the heading. */
  back?: { href: string; label: string };
  children: ReactNode;
};

export function AdminFrame({ shell, section, title, description, back, children }: AdminFrameProps) {
  return (
    <PortalShell current="admin" {...shell}>
      <div className="flex flex-col gap-6">
        <Tabs label="Admin" items={ADMIN_SECTIONS.map((s) => ({ href: s.href, label: s.label, current: s.id === section }))} />
        <div>
          {back ? (
            <Link href={back.href} className="mb-2 inline-flex text-sm font-medium text-brand-700 hover:underline">
              ← {back.label}
            </Link>
          ) : null}
          <h1 className="text-2xl font-semibold tracking-tight text-neutral-900 break-words">{title}</h1>
          {description ? <p className="mt-1 text-sm text-neutral-600">{description}</p> : null}
        </div>
        {children}
      </div>
    </PortalShell>
  );
}
