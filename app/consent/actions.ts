"use server";
// The consent decision (Allow / Deny). A server action is a public endpoint: it authenticates
// itself, takes only the request id and the decision from the form, and re-derives the client,
// scopes and redirect URI from the stored request (lib/oauth/authorize.ts decideConsent).
import { redirect } from "next/navigation";
import { z } from "zod";
import { data } from "@/lib/runtime";
import { requireUser } from "@/lib/auth/session";
import { protocolSessionOf } from "@/lib/auth/portal-session";
import { CONSENT_PROBLEMS, decideConsent } from "@/lib/oauth/authorize";
import { responseLocation } from "@/lib/oauth/authorization-response";
import { goOnTo } from "@/app/signin/session";
import { formOrEmpty } from "@/lib/http/action-args";
import type { ConsentActionState } from "@/components/consent/consent-form";
import { isSafeId, SAFE_ID } from "@/lib/oauth/text";

const decisionSchema = z.object({
  request: z.string().max(64).regex(SAFE_ID),
  decision: z.enum(["allow", "deny"]),
});

export async function consentAction(_prev: ConsentActionState, form: FormData): Promise<ConsentActionState> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const rawId = form.get("request");
  const session = await requireUser(isSafeId(rawId, 64) ? `/consent?request=${rawId}` : "/account");
  const parsed = decisionSchema.safeParse({ request: rawId, decision: form.get("decision") });
  if (!parsed.success) return { error: "Choose Allow or Deny." };
  const result = await decideConsent(data().oauth, {
    requestId: parsed.data.request,
    session: protocolSessionOf(session),
    decision: parsed.data.decision,
  });
  if (!result.ok) return { error: CONSENT_PROBLEMS[result.problem].description };
  // response_mode=form_post: the continuation delivers the answer as the page that posts it to
  // the client (the code is in no URL).
  if ("continueAt" in result) return { error: null, ...(await goOnTo(result.continueAt)) };
  // To the client's redirect URI with a code, an ID token or access_denied (a 303 from a server action).
  redirect(responseLocation(result.response));
}
