// The frame of every account page: the portal shell, the page heading and the account's own
// tabs (Profile, Connected apps, Sessions, Password, Security, Passkeys). While a password reset is pending the
// tabs are left out: the password page is the only one the user can use.
import type { ReactNode } from "react";
import { Tabs } from "@/components/ui";
import { PortalShell, type PortalFrame } from "@/components/portal/portal-shell";

export type AccountTab = "profile" | "apps" | "sessions" | "password" | "security" | "passkeys";

// `short` keeps the tabs short on a phone; the row scrolls sideways when they do not fit.
const TABS: { id: AccountTab; href: string; label: string; short?: string }[] = [
  { id: "profile", href: "/account", label: "Profile" },
  { id: "apps", href: "/account/apps", label: "Connected apps", short: "Apps" },
  { id: "sessions", href: "/account/sessions", label: "Sessions" },
  { id: "password", href: "/account/password", label: "Password" },
  { id: "security", href: "/account/security", label: "Security" },
  { id: "passkeys", href: "/account/passkeys", label: "Passkeys" },
];

export function AccountFrame({
  tab,
  title,
  description,
  shell,
  hideTabs = false,
  children,
}: {
  tab: AccountTab;
  title: string;
  description: string;
  shell: PortalFrame;
  hideTabs?: boolean;
  children: ReactNode;
}) {
  return (
    <PortalShell current="account" {...shell}>
      <div className="flex flex-col gap-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-neutral-900">{title}</h1>
          <p className="mt-1 text-sm text-neutral-600">{description}</p>
        </div>
        {hideTabs ? null : <Tabs label="Account" items={TABS.map((t) => ({ ...t, current: t.id === tab }))} />}
        {children}
      </div>
    </PortalShell>
  );
}
