// /dashboard: the clients list is the dashboard's front page (it checks access itself).
import { redirect } from "next/navigation";

export default function DashboardPage() {
  redirect("/dashboard/clients");
}
