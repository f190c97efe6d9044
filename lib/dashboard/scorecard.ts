// A client's security scorecard against RFC 9700 (OAuth 2.0 Security BCP) and OAuth 2.1: a pure
// function of the client's registration and usage, so every rule is unit-tested. Each item
// says why it matters, cites the section, and names the one-click fix the dashboard offers.
import { isLoopbackRedirect, redirectUriProblem } from "../oauth/redirect-uri";

export type ScoreStatus = "pass" | "warn" | "fail";

/** The fixes the dashboard can apply in one click (each a server action, ownership-checked). */
export type ScoreFix = "require_pkce" | "remove_loose_redirect_uris" | "rotate_secret" | "drop_client_credentials" | "drop_refresh_token";

export interface ScoreItem {
  id: "pkce" | "redirect_uris" | "refresh_rotation" | "secret_age" | "client_credentials_unused" | "refresh_without_offline";
  title: string;
  status: ScoreStatus;
  /** What we found, for this client. */
  finding: string;
  /** Why it matters, one sentence. */
  why: string;
  /** The section it comes from, e.g. "RFC 9700 §2.1.1". */
  cite: string;
  fix?: { action: ScoreFix; label: string };
}

export interface ScorecardInput {
  publicClient: boolean;
  requirePkce: boolean;
  redirectUris: string[];
  grantTypes: string[];
  scopes: string[];
  secretCreatedAt: Date | null;
  createdAt: Date;
  /** Access tokens without a user (client_credentials) issued in the last 30 days. */
  clientCredentialsTokensLast30d: number;
  now: Date;
}

export const SECRET_MAX_AGE_DAYS = 90;
export const UNUSED_GRANT_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

/**
 * A redirect URI that is not an exact https URI: loopback http, or a private-use scheme. Fine for
 * a public (native) client (RFC 8252 §7); a confidential (server) client should only have https.
 */
export function isLooseRedirectUri(uri: string, publicClient: boolean): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return true;
  }
  if (url.protocol === "https:") return false;
  if (!publicClient) return true;
  return url.protocol === "http:" && !isLoopbackRedirect(url);
}

/**
 * A redirect URI the registration rules refuse today (lib/oauth/redirect-uri.ts), e.g. one stored
 * before a rule was tightened. Only these may be removed by the scorecard's one-click fix: a fix
 * never takes away what the client form says is allowed (a loopback http URI on a confidential
 * client is allowed, for development: the scorecard warns about it, but only the developer removes it).
 */
export function isRefusedRedirectUri(uri: string, publicClient: boolean): boolean {
  return redirectUriProblem(uri, { publicClient }) !== null;
}

export function scorecard(c: ScorecardInput): ScoreItem[] {
  const items: ScoreItem[] = [];

  items.push({
    id: "pkce",
    title: "PKCE enforced",
    status: c.requirePkce ? "pass" : "fail",
    finding: c.requirePkce
      ? "Every authorization request must carry an S256 code challenge."
      : "Authorization requests without PKCE are accepted.",
    why: "PKCE stops a stolen or injected authorization code from being redeemed by anyone but the app that asked for it.",
    cite: "RFC 9700 §2.1.1",
    ...(c.requirePkce ? {} : { fix: { action: "require_pkce" as const, label: "Require PKCE" } }),
  });

  const loose = c.redirectUris.filter((u) => isLooseRedirectUri(u, c.publicClient));
  const refused = c.redirectUris.filter((u) => isRefusedRedirectUri(u, c.publicClient));
  const development = loose.filter((u) => !refused.includes(u));
  const canDropRefused = refused.length > 0 && refused.length < c.redirectUris.length;
  items.push({
    id: "redirect_uris",
    title: "Exact https redirect URIs",
    status: loose.length === 0 ? "pass" : "warn",
    finding:
      loose.length === 0
        ? c.publicClient
          ? "Every redirect URI is https, loopback or a private-use scheme, and matched exactly."
          : "Every redirect URI is https and matched exactly."
        : [
            refused.length ? `No longer allowed: ${refused.join(", ")}.` : "",
            development.length
              ? `Not https: ${development.join(", ")}. Fine while you develop on your own machine; remove ${development.length === 1 ? "it" : "them"} with Edit before the app goes live.`
              : "",
          ]
            .filter(Boolean)
            .join(" "),
    why: "Codes sent over plain http or to a scheme any app can claim can be read on the way; exact https URIs leave no room for that.",
    cite: "RFC 9700 §2.1, §4.1.3",
    ...(canDropRefused
      ? { fix: { action: "remove_loose_redirect_uris" as const, label: `Remove the ${refused.length === 1 ? "URI" : "URIs"} no longer allowed` } }
      : {}),
  });

  items.push({
    id: "refresh_rotation",
    title: "Refresh token rotation",
    status: "pass",
    finding: "Always on in Latchkey: each refresh returns a new refresh token, and reusing an old one revokes the whole grant.",
    why: "Rotation turns a leaked refresh token into a detectable, short-lived problem instead of lasting access.",
    cite: "RFC 9700 §4.14.2",
  });

  if (!c.publicClient && c.secretCreatedAt) {
    const days = Math.floor((c.now.getTime() - c.secretCreatedAt.getTime()) / DAY_MS);
    const old = days > SECRET_MAX_AGE_DAYS;
    items.push({
      id: "secret_age",
      title: "Client secret age",
      status: old ? "warn" : "pass",
      finding:
        days < 1
          ? "The secret is less than a day old."
          : `The secret is ${days === 1 ? "1 day" : `${days} days`} old${old ? `, more than ${SECRET_MAX_AGE_DAYS}` : ""}.`,
      why: "A secret that is rotated regularly limits how long a copy left in a log, a backup or a laptop stays useful.",
      cite: "RFC 9700 §2.5",
      ...(old ? { fix: { action: "rotate_secret" as const, label: "Rotate now (24 h grace)" } } : {}),
    });
  }

  if (c.grantTypes.includes("client_credentials")) {
    const unused = c.clientCredentialsTokensLast30d === 0;
    items.push({
      id: "client_credentials_unused",
      title: "client_credentials in use",
      status: unused ? "warn" : "pass",
      finding: unused
        ? `Enabled, but no token was issued with it in the last ${UNUSED_GRANT_DAYS} days.`
        : `${c.clientCredentialsTokensLast30d} token${c.clientCredentialsTokensLast30d === 1 ? "" : "s"} issued with it in the last ${UNUSED_GRANT_DAYS} days.`,
      why: "A grant the app does not use only widens what a stolen client secret can do; enable only what you need.",
      cite: "RFC 9700 §2.3",
      ...(unused ? { fix: { action: "drop_client_credentials" as const, label: "Turn off client_credentials" } } : {}),
    });
  }

  if (c.grantTypes.includes("refresh_token") && !c.scopes.includes("offline_access")) {
    items.push({
      id: "refresh_without_offline",
      title: "refresh_token without offline_access",
      status: "warn",
      finding: "The refresh_token grant is on, but the client may not ask for offline_access, so it never gets a refresh token.",
      why: "An enabled grant that can never be used is dead configuration that hides what the client really does.",
      cite: "RFC 9700 §2.3; OpenID Connect Core §11",
      fix: { action: "drop_refresh_token", label: "Turn off refresh_token" },
    });
  }

  return items;
}

/** pass/warn/fail counts, for the summary line. */
export function scoreSummary(items: ScoreItem[]): Record<ScoreStatus, number> {
  const out: Record<ScoreStatus, number> = { pass: 0, warn: 0, fail: 0 };
  for (const i of items) out[i.status]++;
  return out;
}
