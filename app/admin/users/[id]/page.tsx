// Admin: one user — profile, actions (disable/enable, role, force password reset), their
// active consents (revocable) and their active portal sessions.
import { data } from "@/lib/runtime";
import { isSafeId } from "@/lib/oauth/text";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, formatUtc } from "@/components/ui";
import { AdminFrame } from "@/components/admin/admin-frame";
import { ActionButton } from "@/components/admin/action-button";
import { RoleForm } from "@/components/admin/role-form";
import { UserBadges } from "@/components/admin/user-badges";
import { EmptyState } from "@/components/admin/empty-state";
import { requireAdmin } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { changeRoleAction, forceResetAction, resendInviteAction, resetSecondFactorsAction, setUserAccessAction, unlockUserAction } from "../actions";
import { revokeGrantAction } from "../../grants/actions";

export const metadata: Metadata = { title: "User · Admin" };

type Props = { params: Promise<{ id: string }> };

export default async function AdminUserPage({ params }: Props) {
  const session = await requireAdmin();
  const { id } = await params;
  const detail = isSafeId(id) ? await data().admin.userDetail(id) : null;
  if (!detail) notFound();
  const { user, signIn, invitePending, consents, sessions } = detail;
  const self = user.id === session.userId;
  const factors = await data().mfa.factors(user.id);
  return (
    <AdminFrame
      shell={portalShellProps(session)}
      section="users"
      title={user.email}
      description={user.name ?? undefined}
      back={{ href: "/admin/users", label: "All users" }}
    >
      <Card title="Account">
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr] sm:gap-y-3">
          <dt className="mt-3 font-medium text-neutral-500 first:mt-0 sm:mt-0">Status</dt>
          <dd className="flex flex-wrap gap-2">
            <UserBadges user={user} />
            {!user.disabled ? <span className="text-neutral-700">active</span> : null}
          </dd>
          <dt className="mt-3 font-medium text-neutral-500 sm:mt-0">Sign-in</dt>
          <dd className="text-neutral-900">
            {signIn.lockedUntil
              ? `Locked until ${formatUtc(signIn.lockedUntil)} (${signIn.failures} failed attempts)`
              : signIn.failures > 0
                ? `Not locked (${signIn.failures} recent failed attempts)`
                : "Not locked"}
          </dd>
          <dt className="mt-3 font-medium text-neutral-500 sm:mt-0">Joined</dt>
          <dd className="text-neutral-900">{formatUtc(user.createdAt)}</dd>
          <dt className="mt-3 font-medium text-neutral-500 sm:mt-0">User id</dt>
          <dd className="font-mono text-xs break-all text-neutral-700">{user.id}</dd>
        </dl>
      </Card>

      <Card
        title="Actions"
        description={self ? "This is your own account: you cannot disable it or change its role." : undefined}
      >
        <div className="grid gap-6 sm:grid-cols-2 lg:grid-cols-4">
          <div className="flex flex-col gap-2">
            <p className="text-sm font-medium text-neutral-800">Access</p>
            <p className="text-xs text-neutral-600">
              {user.disabled
                ? "Disabled: they cannot sign in. Enabling does not bring back ended sessions or revoked tokens."
                : "Disabling ends their sessions and revokes every token they granted."}
            </p>
            <ActionButton
              action={setUserAccessAction}
              fields={{ userId: user.id, access: user.disabled ? "enable" : "disable" }}
              label={user.disabled ? "Enable user" : "Disable user"}
              variant={user.disabled ? "secondary" : "danger"}
              confirm={
                user.disabled || self
                  ? undefined
                  : {
                      question: (
                        <>
                          Disable <span className="font-semibold">{user.email}</span>? This ends every session of this user and revokes
                          every token their apps hold, at once. They cannot sign in until you enable them again.
                        </>
                      ),
                      yes: "Yes, disable user",
                    }
              }
            />
          </div>
          <RoleForm action={changeRoleAction} userId={user.id} role={user.role} />
          <div className="flex flex-col gap-2">
            <p className="text-sm font-medium text-neutral-800">Password</p>
            {invitePending ? (
              <>
                <p className="text-xs text-neutral-600">Invited: they have not chosen a password yet. A new invitation replaces the old link.</p>
                <ActionButton action={resendInviteAction} fields={{ userId: user.id }} label="Re-send invitation" />
              </>
            ) : (
              <>
                <p className="text-xs text-neutral-600">
                  Their sessions end and every app they allowed is signed out now; they are emailed a link to choose a new password.
                </p>
                <ActionButton
                  action={forceResetAction}
                  fields={{ userId: user.id }}
                  label="Force password reset"
                  confirm={{
                    question: (
                      <>
                        Force a password reset for <span className="font-semibold">{user.email}</span>? Their sessions and app tokens end at once, and
                        they are emailed a link to choose a new password.
                      </>
                    ),
                    yes: "Yes, reset password",
                  }}
                />
              </>
            )}
          </div>
          <div className="flex flex-col gap-2">
            <p className="text-sm font-medium text-neutral-800">Sign-in lock</p>
            <p className="text-xs text-neutral-600">
              Failed attempts pause sign-in for a while. Unlocking clears them so they can sign in now.
            </p>
            <ActionButton action={unlockUserAction} fields={{ userId: user.id }} label="Unlock sign-in" />
          </div>
        </div>
      </Card>

      <Card title="Two-step verification" description="Second factors this user signs in with.">
        <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="user-factors">
            <dt className="text-neutral-500">Authenticator app</dt>
            <dd className="text-neutral-900">{factors.totpEnabledAt ? `On since ${formatUtc(factors.totpEnabledAt)}` : "Off"}</dd>
            <dt className="text-neutral-500">Passkeys</dt>
            <dd className="text-neutral-900">{factors.passkeys}</dd>
            <dt className="text-neutral-500">Recovery codes left</dt>
            <dd className="text-neutral-900">{factors.recoveryCodesLeft}</dd>
          </dl>
          <ActionButton
            action={resetSecondFactorsAction}
            fields={{ userId: user.id }}
            label="Reset second factors"
            variant="danger"
            confirm={{
              question: (
                <>
                  Reset the second factors of <span className="font-semibold">{user.email}</span>? Their authenticator app, recovery codes and
                  passkeys are removed at once. Their sessions stay; their next sign-in follows the MFA policy.
                </>
              ),
              yes: "Yes, reset second factors",
            }}
          />
        </div>
      </Card>

      <Card title="Connected apps" description="Apps this user has allowed. Revoking ends the app's tokens at once.">
        {consents.length === 0 ? (
          <EmptyState title="No connected apps" />
        ) : (
          <ul className="divide-y divide-neutral-200">
            {consents.map((c) => (
              <li key={c.id} className="flex flex-col gap-2 py-3 first:pt-0 last:pb-0 sm:flex-row sm:items-center sm:justify-between">
                <div className="min-w-0">
                  <Link href={`/admin/grants?client=${encodeURIComponent(c.client.clientId)}`} className="font-medium text-brand-700 hover:underline">
                    {c.client.name}
                  </Link>
                  <p className="font-mono text-xs break-all text-neutral-500">{c.client.clientId}</p>
                  <p className="text-xs text-neutral-600">
                    {c.scopes} · allowed {formatUtc(c.createdAt)} · last used {formatUtc(c.lastUsedAt)}
                  </p>
                </div>
                <ActionButton
                  action={revokeGrantAction}
                  fields={{ userId: user.id, clientRowId: c.client.id }}
                  label="Revoke"
                  ariaLabel={`Revoke ${c.client.name}`}
                  variant="danger"
                  confirm={{
                    question: (
                      <>
                        Revoke <span className="font-semibold">{c.client.name}</span>&apos;s access to {user.email}? Its consent, refresh
                        and access tokens end at once; the app must ask again.
                      </>
                    ),
                    yes: "Yes, revoke",
                  }}
                />
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title="Sessions" description="Browsers signed in to the portal now.">
        {sessions.length === 0 ? (
          <EmptyState title="No active sessions" />
        ) : (
          <ul className="divide-y divide-neutral-200 text-sm">
            {sessions.map((s) => (
              <li key={s.label} className="flex flex-col gap-0.5 py-3 first:pt-0 last:pb-0">
                <p className="font-medium text-neutral-900">
                  {s.ip ?? "unknown address"} <span className="font-mono text-xs text-neutral-500">#{s.label}</span>
                </p>
                <p className="text-xs break-words text-neutral-600">{s.userAgent ?? "unknown browser"}</p>
                <p className="text-xs text-neutral-500">
                  Signed in {formatUtc(s.createdAt)} · last seen {formatUtc(s.lastSeenAt)} · expires {formatUtc(s.expiresAt)}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </AdminFrame>
  );
}
