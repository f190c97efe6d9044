// What every signed-in page hands its frame (PortalShell, AccountFrame, AdminFrame): the user's
// email, the sections the role allows (lib/auth/roles.ts) and the sign-out action. The action
// travels as a prop so that the import runs app/ -> components/, never the other way.
import "server-only";
import { signOutAction } from "@/app/actions/sign-out";
import type { PortalFrame } from "@/components/portal/portal-shell";
import { canUseDashboard, isAdmin } from "@/lib/auth/roles";
import type { CurrentSession } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";

export function portalShellProps(s: CurrentSession): PortalFrame {
  return {
    email: s.user.email,
    showDashboard: canUseDashboard(s.user, getConfig()),
    showAdmin: isAdmin(s.user),
    signOutAction,
  };
}
