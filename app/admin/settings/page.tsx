// Admin: settings that change at run time (lib/db/settings.ts): whether sign-in needs a verified
// email address, and who must use two-step verification. Read fresh on every request.
import type { Metadata } from "next";
import { Alert, Card } from "@/components/ui";
import { AdminFrame } from "@/components/admin/admin-frame";
import { SettingsForm } from "@/components/admin/settings-form";
import { data } from "@/lib/runtime";
import { requireAdmin } from "@/lib/auth/session";
import { portalShellProps } from "@/app/_lib/portal-frame";
import { saveSettingsAction } from "./actions";

export const metadata: Metadata = { title: "Settings · Admin" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AdminSettingsPage({ searchParams }: Props) {
  const session = await requireAdmin();
  const q = await searchParams;
  const settings = await data().settings.get();
  return (
    <AdminFrame
      shell={portalShellProps(session)}
      section="settings"
      title="Settings"
      description="How people sign in to this server. Changes apply at everyone's next sign-in and are recorded in the audit log."
    >
      {q.saved === "1" ? <Alert tone="success">Settings saved.</Alert> : null}
      <Card>
        <SettingsForm action={saveSettingsAction} settings={settings} />
      </Card>
    </AdminFrame>
  );
}
