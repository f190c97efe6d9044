// Admin: signing keys (kid, alg, created, state); rotate all, retire one.
import type { Metadata } from "next";
import { Card, formatUtc } from "@/components/ui";
import { AdminFrame } from "@/components/admin/admin-frame";
import { ActionButton } from "@/components/admin/action-button";
import { Badge } from "@/components/admin/badge";
import { EmptyState } from "@/components/admin/empty-state";
import { data } from "@/lib/runtime";
import { requireAdmin } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { retireKeyAction, rotateKeysAction } from "./actions";

export const metadata: Metadata = { title: "Signing keys · Admin" };

export default async function AdminKeysPage() {
  const session = await requireAdmin();
  const keys = await data().admin.listKeys();
  return (
    <AdminFrame
      shell={portalShellProps(session)}
      section="keys"
      title="Signing keys"
      description="Keys that sign ID tokens and access tokens. Retired keys stay in the JWKS for two days."
    >
      <Card title="Rotate" description="Creates a new active key for each algorithm and retires the current ones.">
        <ActionButton action={rotateKeysAction} fields={{}} label="Rotate keys" variant="primary" />
      </Card>
      {keys.length === 0 ? (
        <EmptyState title="No keys yet">They are created when the server first signs a token.</EmptyState>
      ) : (
        <ul aria-label="Signing keys" className="divide-y divide-neutral-200 overflow-hidden rounded-xl border border-neutral-200 bg-white shadow-sm">
          {keys.map((k) => (
            <li key={k.kid} className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:gap-4 sm:px-5">
              <div className="min-w-0 flex-1 text-sm">
                <p className="flex flex-wrap items-center gap-2">
                  <Badge tone="brand">{k.alg}</Badge>
                  <Badge tone={k.state === "active" ? "green" : "neutral"}>{k.state}</Badge>
                </p>
                <p className="mt-1 font-mono text-xs break-all text-neutral-700">{k.kid}</p>
                <p className="text-xs text-neutral-600">
                  Created {formatUtc(k.createdAt)}
                  {k.retiredAt ? ` · retired ${formatUtc(k.retiredAt)}` : ""}
                </p>
              </div>
              {k.state === "active" ? (
                <ActionButton
                  action={retireKeyAction}
                  fields={{ kid: k.kid }}
                  label="Retire"
                  ariaLabel={`Retire key ${k.kid}`}
                  confirm={{
                    question: (
                      <>
                        Retire this {k.alg} key? Nothing new is signed with it from now on; it stays published for two days so that
                        tokens it signed still verify, then they stop verifying.
                      </>
                    ),
                    yes: "Yes, retire key",
                  }}
                />
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </AdminFrame>
  );
}
