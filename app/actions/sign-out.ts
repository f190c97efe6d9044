"use server";
// Sign out of the portal: revoke this session's row, clear the cookie.
import { redirect } from "next/navigation";
import { endCurrentSession } from "@/lib/auth/session";

export async function signOutAction(): Promise<void> {
  await endCurrentSession();
  redirect("/signin");
}
