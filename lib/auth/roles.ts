// Who may do what in the portal. One place, so pages, server actions and nav agree.
import type { AppConfig } from "../config";

export type Role = "user" | "developer" | "admin";
export const ROLES: readonly Role[] = ["user", "developer", "admin"];

interface WithRole {
  role: string;
}

export function isAdmin(user: WithRole): boolean {
  return user.role === "admin";
}

/** The developer dashboard: developers and admins, or everyone when DASHBOARD_OPEN_TO_ALL is set. */
export function canUseDashboard(user: WithRole, cfg: Pick<AppConfig, "dashboardOpenToAll">): boolean {
  return cfg.dashboardOpenToAll || user.role === "developer" || user.role === "admin";
}

/** A client may be managed by its owner, and by any admin. */
export function canManageClient(user: WithRole & { id: string }, client: { ownerId: string | null }): boolean {
  return isAdmin(user) || (client.ownerId !== null && client.ownerId === user.id);
}

/** An API, likewise: by its owner, and by any admin. */
export function canManageApi(user: WithRole & { id: string }, api: { ownerId: string | null }): boolean {
  return isAdmin(user) || (api.ownerId !== null && api.ownerId === user.id);
}
