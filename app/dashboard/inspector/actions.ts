"use server";
// Steps D and E and the calls after them, one action: redeem the code, call UserInfo, refresh,
// revoke. A public endpoint: it re-checks the session, the run (bound to this user) and that
// the caller may still manage the run's client. The client secret comes in the form for this
// one request and is never stored: not in the cookie, not in the database, not in a URL.
import { z } from "zod";
import { requireClientAccess, requireDashboardUser } from "@/lib/auth/session";
import type { AuthMethod } from "@/lib/inspector/errors";
import { callUserinfo, redeemCode, refresh, revoke, type InspectedClient } from "@/lib/inspector/run";
import { CALLBACK_PATH } from "@/lib/inspector/authorization-request";
import { apiChecks } from "@/lib/inspector/api-check";
import { currentRun, inspectorEndpoints, saveRun } from "./server";
import { formOrEmpty } from "@/lib/http/action-args";
import type { StepResult } from "@/components/inspector/token-steps";

const schema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("redeem"), code: z.string().min(1).max(512) }),
  z.object({ op: z.literal("userinfo") }),
  z.object({ op: z.literal("refresh") }),
  z.object({ op: z.literal("revoke"), token: z.enum(["access_token", "refresh_token"]) }),
]);

const NO_RUN = "This inspector run has ended (runs last 10 minutes) or was started in another browser. Start again from the client's Try page.";

export async function inspectorStepAction(form: FormData): Promise<StepResult> {
  form = formOrEmpty(form); // malformed arguments (a crafted request): an empty form, never a 500
  const session = await requireDashboardUser(CALLBACK_PATH);
  const none = { exchanges: [], have: { access: false, refresh: false }, api: null };
  const run = await currentRun(session);
  if (!run) return { ...none, error: NO_RUN };
  const { client } = await requireClientAccess(run.clientRowId, CALLBACK_PATH);
  const parsed = schema.safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")));
  if (!parsed.success) return { ...none, error: "That request is not one the inspector can send." };

  const authMethod = client.tokenEndpointAuthMethod as AuthMethod;
  const rawSecret = form.get("client_secret");
  const secret = authMethod === "none" ? null : typeof rawSecret === "string" ? rawSecret.trim() : "";
  if (secret === "" && parsed.data.op !== "userinfo") {
    return { ...none, have: haveOf(run), error: "Type the client secret: this confidential client must authenticate." };
  }
  const c: InspectedClient = { clientId: client.clientId, authMethod };
  const ep = inspectorEndpoints();
  const op = parsed.data;

  if (op.op === "redeem") {
    const { exchange, issued } = await redeemCode(ep, run, c, secret, op.code);
    const next = { ...run, accessToken: issued.accessToken, refreshToken: issued.refreshToken };
    if (exchange.ok) await saveRun(next);
    return { exchanges: [exchange], error: null, have: haveOf(exchange.ok ? next : run), api: exchange.ok ? await apiStep(ep, next) : null };
  }
  if (op.op === "userinfo") {
    if (!run.accessToken) return { ...none, error: "There is no access token yet: send the token request first." };
    return { exchanges: [await callUserinfo(ep, run.accessToken)], error: null, have: haveOf(run), api: null };
  }
  if (op.op === "refresh") {
    if (!run.refreshToken) return { ...none, have: haveOf(run), error: "There is no refresh token: ask for the offline_access scope in step A to get one." };
    const { exchanges, issued } = await refresh(ep, c, secret, run.refreshToken);
    if (!exchanges[0]!.ok) return { exchanges, error: null, have: haveOf(run), api: null };
    const next = { ...run, accessToken: issued.accessToken ?? run.accessToken, refreshToken: issued.refreshToken };
    await saveRun(next);
    return { exchanges, error: null, have: haveOf(next), api: await apiStep(ep, next) };
  }
  const token = op.token === "access_token" ? run.accessToken : run.refreshToken;
  if (!token) return { ...none, have: haveOf(run), error: `There is no ${op.token === "access_token" ? "access" : "refresh"} token to revoke.` };
  // The revoked token stays in the run, so that calling UserInfo with it shows the refusal.
  return { exchanges: [await revoke(ep, c, secret, token, op.token)], error: null, have: haveOf(run), api: null };
}

function haveOf(run: { accessToken?: string; refreshToken?: string }) {
  return { access: Boolean(run.accessToken), refresh: Boolean(run.refreshToken) };
}

/** The API step, when the run's token is for an API (chosen in step A, or the client's default). */
async function apiStep(ep: ReturnType<typeof inspectorEndpoints>, run: { api?: { identifier: string; scopes: string[] }; accessToken?: string }) {
  if (!run.api || !run.accessToken) return null;
  return apiChecks(run.accessToken, await ep.jwks(), { issuer: ep.issuer, identifier: run.api.identifier, scopes: run.api.scopes });
}
