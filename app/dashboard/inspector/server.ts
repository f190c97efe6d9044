// Server-side wiring of the flow inspector: its state cookie, and the endpoints it calls.
import "server-only";
import { cookies } from "next/headers";
import { getConfig } from "@/lib/config";
import { endpointUrl } from "@/lib/oauth/endpoints";
import type { CurrentSession } from "@/lib/auth/session";
import { introspectionPOST } from "@/lib/http/endpoints/introspection";
import { jwksGET } from "@/lib/http/endpoints/jwks";
import { revocationPOST } from "@/lib/http/endpoints/revocation";
import { tokenPOST } from "@/lib/http/endpoints/token";
import { userinfoEndpoint } from "@/lib/http/endpoints/userinfo";
import { webHandler } from "@/lib/http/web-handler";
import type { Endpoints } from "@/lib/inspector/run";
import type { ApiOption } from "@/lib/inspector/api-choice";
import { defaultApiChoices } from "@/lib/dashboard/client-form";
import { data } from "@/lib/runtime";
import { isAdmin } from "@/lib/auth/roles";
import { openState, sealState, STATE_COOKIE, STATE_COOKIE_PATH, STATE_TTL_SECONDS, type InspectorState } from "@/lib/inspector/state";

/**
 * The endpoints, invoked IN-PROCESS: each is the very endpoint that the server routes
 * `${ISSUER}/oauth/...` to (lib/http/routes.ts), called through the app/ route files' adapter
 * with a Request for that URL. This is the same code path a real client reaches, without
 * depending on the server being able to reach its own public URL (a TLS proxy, NAT or
 * container in front of it often prevents that).
 */
export function inspectorEndpoints(): Endpoints {
  const cfg = getConfig();
  return {
    issuer: cfg.issuer,
    urls: {
      token: endpointUrl(cfg.issuer, "token"),
      userinfo: endpointUrl(cfg.issuer, "userinfo"),
      revocation: endpointUrl(cfg.issuer, "revocation"),
      introspection: endpointUrl(cfg.issuer, "introspection"),
    },
    token: webHandler(tokenPOST),
    userinfo: webHandler(userinfoEndpoint),
    revocation: webHandler(revocationPOST),
    introspection: webHandler(introspectionPOST),
    jwks: async () => JSON.parse((await jwksGET()).body) as Awaited<ReturnType<Endpoints["jwks"]>>,
    codeLifetimeSeconds: cfg.tokens.authorizationCode,
  };
}

/** The run in this browser, if it belongs to the signed-in user (and, if given, to this client). */
export async function currentRun(session: CurrentSession, clientRowId?: string): Promise<InspectorState | null> {
  const run = await openState((await cookies()).get(STATE_COOKIE)?.value, getConfig().secret);
  if (!run || run.userId !== session.userId) return null;
  if (clientRowId !== undefined && run.clientRowId !== clientRowId) return null;
  return run;
}

/** httpOnly, SameSite=Lax, 10 minutes; Secure when the issuer is https. */
export async function saveRun(run: InspectorState): Promise<void> {
  const cfg = getConfig();
  (await cookies()).set(STATE_COOKIE, await sealState(run, cfg.secret), {
    httpOnly: true,
    sameSite: "lax",
    path: STATE_COOKIE_PATH,
    secure: cfg.issuer.startsWith("https:"),
    maxAge: STATE_TTL_SECONDS,
  });
}

/**
 * The APIs step A offers for a client: those the caller manages that allow it (as for the
 * client's default API on its edit page), and the client's default API, which the server gives
 * the token to when no resource is sent.
 */
export async function inspectorApis(session: CurrentSession, client: { id: string; defaultApiId: string | null }) {
  const managed = defaultApiChoices(await data().apis.listFor({ id: session.userId, admin: isAdmin(session.user) }), client.id);
  const def = client.defaultApiId ? (managed.find((a) => a.id === client.defaultApiId) ?? (await data().apis.findById(client.defaultApiId))) : null;
  const all = def && !managed.some((a) => a.id === def.id) ? [def, ...managed] : managed;
  const apis: ApiOption[] = all.map((a) => ({ id: a.id, name: a.name, identifier: a.identifier, scopes: a.scopes }));
  return { apis, defaultApi: def ? { id: def.id, identifier: def.identifier, name: def.name } : null };
}
