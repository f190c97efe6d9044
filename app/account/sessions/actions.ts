"use server";
// Signing out other browsers: one (by its opaque handle) or all but this one. Only the
// caller's own sessions: a handle that is not theirs changes nothing.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { data } from "@/lib/runtime";
import { endCurrentSession, requireUser } from "@/lib/auth/session";
import { sessionHandle } from "@/lib/db/account";
import { clientIp } from "@/lib/http/client-ip";
import { formOrEmpty } from "@/lib/http/action-args";
import type { SessionActionState } from "@/components/account/session-forms";

const handleSchema = z.object({ session: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

export async function revokeSessionAction(_prev: SessionActionState, form: FormData): Promise<SessionActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const session = await requireUser("/account/sessions");
  const parsed = handleSchema.safeParse({ session: form.get("session") });
  if (!parsed.success) return { error: "Choose a session to sign out." };
  if (parsed.data.session === sessionHandle(session.id)) {
    // This browser: an ordinary sign-out (the row, then the cookie).
    await endCurrentSession();
    redirect("/signin");
  }
  const ended = await data().account.revokeSession(session.userId, parsed.data.session, { ip: clientIp(await headers()) });
  if (!ended) return { error: "That session has already ended. Reload the page." };
  redirect("/account/sessions?ended=1");
}

export async function revokeOtherSessionsAction(_prev: SessionActionState, _form: FormData): Promise<SessionActionState> {
  const session = await requireUser("/account/sessions");
  const count = await data().account.revokeOtherSessions(session.userId, session.id, { ip: clientIp(await headers()) });
  redirect(count === 0 ? "/account/sessions" : `/account/sessions?ended=${count > 1 ? "all" : "1"}`);
}
