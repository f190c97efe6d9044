// The signed-in portal's frame: the same nav on every page (Account, Dashboard, Admin as the
// user's role allows), the user's email and Sign out. Pages pass what the server decided.
import type { ReactNode } from "react";
import { AppShell, type AppShellNavItem } from "@/components/ui";
import { SignOutButton } from "@/components/auth/sign-out-button";

export type PortalSection = "account" | "dashboard" | "admin";

/** What the page decided on the server (app/_lib/portal-frame.ts), handed through every frame. */
export type PortalFrame = {
  email: string;
  /** From the user's role (lib/auth/roles.ts). */
  showDashboard: boolean;
  showAdmin: boolean;
  signOutAction: () => Promise<void>;
};

type PortalShellProps = PortalFrame & { current: PortalSection; children: ReactNode };

export function PortalShell({ email, current, showDashboard, showAdmin, signOutAction, children }: PortalShellProps) {
  const nav: AppShellNavItem[] = [{ href: "/account", label: "Account", current: current === "account" }];
  if (showDashboard) nav.push({ href: "/dashboard/clients", label: "Dashboard", current: current === "dashboard" });
  if (showAdmin) nav.push({ href: "/admin", label: "Admin", current: current === "admin" });
  return (
    <AppShell
      nav={nav}
      actions={
        <div className="flex items-center gap-3">
          <span className="hidden text-sm text-neutral-600 sm:inline">{email}</span>
          <SignOutButton action={signOutAction} />
        </div>
      }
    >
      {children}
    </AppShell>
  );
}
