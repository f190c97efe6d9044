// The signed-in portal's frame: the same nav on every page (Account, Dashboard, Admin as the
// user's role allows), the user's email and Sign out. Pages pass what the server decided.
import type { ReactNode } from "react";
import { AppShell, type AppShellNavItem } from "@/components/ui";
import { SignOutButton } from "@/components/auth/sign-out-button";

export type PortalSection = "account" | "dashboard" | "admin";

export type PortalShellProps = {
  email: string;
  current: PortalSection;
  /** Computed on the server (lib/auth/roles.ts). */
  showDashboard: boolean;
  showAdmin: boolean;
  children: ReactNode;
};

export function PortalShell({ email, current, showDashboard, showAdmin, children }: PortalShellProps) {
  const nav: AppShellNavItem[] = [{ href: "/account", label: "Account", current: current === "account" }];
  if (showDashboard) nav.push({ href: "/dashboard/clients", label: "Dashboard", current: current === "dashboard" });
  if (showAdmin) nav.push({ href: "/admin", label: "Admin", current: current === "admin" });
  return (
    <AppShell
      nav={nav}
      actions={
        <div className="flex items-center gap-3">
          <span className="hidden text-sm text-neutral-600 sm:inline">{email}</span>
          <SignOutButton />
        </div>
      }
    >
      {children}
    </AppShell>
  );
}
