// The dashboard's sections: the apps that sign users in (clients) and the APIs they call.
import { Tabs } from "@/components/ui";

export type DashboardSection = "clients" | "apis";

export function DashboardTabs({ current }: { current: DashboardSection }) {
  return (
    <Tabs
      label="Dashboard"
      items={[
        { href: "/dashboard/clients", label: "Clients", current: current === "clients" },
        { href: "/dashboard/apis", label: "APIs", current: current === "apis" },
      ]}
    />
  );
}
