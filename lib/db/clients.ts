// OAuth clients. Secrets are generated here, returned once, and stored only as SHA-256.
// Every change writes its audit event in the same transaction; audit data never holds a secret.
import { clientChange } from "./protocol/client-cache";
import type { Db } from "./client";
import type { Client } from "./generated/sqlite/client.ts";
import { audit } from "./audit";
import { previewRevocation, type GrantCounts } from "./grants";
import { randomToken, sha256 } from "../crypto/tokens";
import type { AuthMethod, ClientMetadata, GrantType } from "../oauth/client-metadata";

export type ClientRow = Client;

export interface CreatedClient {
  id: string;
  client_id: string;
  /** Only for confidential clients, and only in this return value: it is not stored. */
  client_secret?: string;
}

/** How a client is used, for the dashboard. */
export interface ClientUsage {
  activeConsents: number;
  /** Access tokens issued in the last 24 hours. */
  tokensLast24h: number;
  /** Access tokens without a user (client_credentials) issued in the last 30 days. */
  clientCredentialsTokensLast30d: number;
}

export class ClientNotFound extends Error {}
export class NotConfidential extends Error {}

const DAY_MS = 24 * 3600 * 1000;

/** A new secret: 256 random bits; the row keeps its SHA-256 and a short prefix to tell it apart. */
export function newSecret() {
  const secret = `lks_${randomToken(32)}`;
  return { secret, hash: sha256(secret), prefix: secret.slice(0, 10) };
}

/** The registration metadata (RFC 7591 names) of a stored client: what the edit form starts from. */
export function clientMetadataOf(c: ClientRow): ClientMetadata {
  return {
    client_name: c.name,
    ...(c.description ? { description: c.description } : {}),
    ...(c.homepageUrl ? { client_uri: c.homepageUrl } : {}),
    ...(c.logoUrl ? { logo_uri: c.logoUrl } : {}),
    redirect_uris: JSON.parse(c.redirectUris) as string[],
    post_logout_redirect_uris: JSON.parse(c.postLogoutRedirectUris) as string[],
    token_endpoint_auth_method: c.tokenEndpointAuthMethod as AuthMethod,
    grant_types: c.grantTypes.split(" ").filter(Boolean) as GrantType[],
    scope: c.scopes,
    require_pkce: c.requirePkce,
    id_token_signed_response_alg: c.idTokenSignedResponseAlg as ClientMetadata["id_token_signed_response_alg"],
  };
}

/** The columns `meta` describes (everything but identity, secret and ownership). */
export function clientColumnsOf(meta: ClientMetadata) {
  return {
    name: meta.client_name,
    description: meta.description || null,
    homepageUrl: meta.client_uri || null,
    logoUrl: meta.logo_uri || null,
    tokenEndpointAuthMethod: meta.token_endpoint_auth_method,
    redirectUris: JSON.stringify(meta.redirect_uris),
    postLogoutRedirectUris: JSON.stringify(meta.post_logout_redirect_uris),
    scopes: meta.scope.trim().split(/\s+/).join(" "),
    grantTypes: meta.grant_types.join(" "),
    requirePkce: meta.require_pkce,
    idTokenSignedResponseAlg: meta.id_token_signed_response_alg,
  };
}

/** The RFC 7591 names of the fields that differ between two metadata documents, sorted. */
export function changedFields(before: ClientMetadata, after: ClientMetadata): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof ClientMetadata)[]);
  const norm = (k: keyof ClientMetadata, m: ClientMetadata) => {
    const v = m[k];
    if (k === "scope") return [...new Set(String(v).split(/\s+/).filter(Boolean))].sort().join(" ");
    if (k === "grant_types") return [...(v as string[])].sort().join(" ");
    return JSON.stringify(v ?? "");
  };
  return [...keys].filter((k) => norm(k, before) !== norm(k, after)).sort();
}

/**
 * Whether a change of these fields (RFC 7591 names) ends an admin's verification: what the
 * consent screen shows users to recognise the app (its name, home page, logo) or where it sends
 * them (redirect URIs). An admin verified the client as it was.
 */
export function losesVerification(changed: string[]): boolean {
  return changed.some((f) => ["client_name", "client_uri", "logo_uri", "redirect_uris"].includes(f));
}

/** Another change to the same client won the race; nothing was changed. Try again. */
export class ConcurrentChange extends Error {
  constructor() {
    super("The client was changed at the same time; nothing was changed. Try again.");
  }
}

export function clientStore(db: Db) {
  return {
    async create(
      meta: ClientMetadata,
      ownerId: string | null,
      actorId: string | null = ownerId,
      registeredVia: "dashboard" | "cli" = "dashboard",
      /** Shown as verified on the consent screen: created by an admin in the portal, or by the CLI. */
      verified: boolean = registeredVia === "cli",
      /** The API (row id) the client gets when a request names no resource (RFC 8707). */
      defaultApiId: string | null = null,
    ): Promise<CreatedClient> {
      const confidential = meta.token_endpoint_auth_method !== "none";
      const clientId = `lk_${randomToken(16)}`;
      const s = confidential ? newSecret() : undefined;
      const row = await db.$transaction(async (tx) => {
        const c = await tx.client.create({
          data: {
            clientId,
            ...clientColumnsOf(meta),
            secretHash: s ? s.hash : null,
            secretPrefix: s ? s.prefix : null,
            secretCreatedAt: s ? new Date() : null,
            ownerId,
            registeredVia,
            verified,
            defaultApiId,
          },
        });
        await audit(tx, {
          type: "client.created",
          actorId,
          clientId: c.id,
          data: { client_id: clientId, confidential, via: registeredVia, verified },
        });
        return c;
      });
      return { id: row.id, client_id: clientId, ...(s ? { client_secret: s.secret } : {}) };
    },

    /** A client the dashboard manages; an API's own credentials client is not one (it belongs to its API: lib/db/apis.ts). */
    findById(id: string) {
      return db.client.findFirst({ where: { id, apiId: null } });
    },

    findByClientId(clientId: string) {
      return db.client.findUnique({ where: { clientId } });
    },

    /** The clients a user manages: their own, or every client for an admin; newest first. An API's own credentials belong to its API, not here. */
    listFor(user: { id: string; admin: boolean }) {
      return db.client.findMany({
        where: user.admin ? { apiId: null } : { ownerId: user.id, apiId: null },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        include: { owner: { select: { email: true } } },
      });
    },

    /** Tokens issued in the last 24 h per client row id (AccessToken rows by clientId + createdAt). */
    async tokensLast24h(ids: string[], now = new Date()): Promise<Map<string, number>> {
      if (ids.length === 0) return new Map();
      const rows = await db.accessToken.groupBy({
        by: ["clientId"],
        where: { clientId: { in: ids }, createdAt: { gt: new Date(now.getTime() - DAY_MS) } },
        _count: { _all: true },
      });
      return new Map(rows.map((r) => [r.clientId, r._count._all]));
    },

    async usage(id: string, now = new Date()): Promise<ClientUsage> {
      const [activeConsents, tokensLast24h, clientCredentialsTokensLast30d] = await Promise.all([
        db.consent.count({ where: { clientId: id, revokedAt: null } }),
        db.accessToken.count({ where: { clientId: id, createdAt: { gt: new Date(now.getTime() - DAY_MS) } } }),
        db.accessToken.count({ where: { clientId: id, userId: null, createdAt: { gt: new Date(now.getTime() - 30 * DAY_MS) } } }),
      ]);
      return { activeConsents, tokensLast24h, clientCredentialsTokensLast30d };
    },

    /**
     * Replaces the client's metadata. The client type (its auth method) is fixed at creation:
     * it decides whether a secret exists. Audits `client.updated` with the changed field names
     * only (no values). Returns those names; nothing is written when none changed.
     */
    /** `byAdmin`: an admin's change keeps the verified mark; anyone else's change of what users see drops it. */
    async update(id: string, meta: ClientMetadata, actorId: string | null, byAdmin = false): Promise<string[]> {
      return clientChange(db.$transaction(async (tx) => {
        const current = await tx.client.findUnique({ where: { id } });
        // An API's credentials keep no grants, redirect URIs or scopes: never edited as a client.
        if (!current || current.apiId) throw new ClientNotFound();
        const next = { ...meta, token_endpoint_auth_method: current.tokenEndpointAuthMethod as AuthMethod };
        const changed = changedFields(clientMetadataOf(current), next);
        if (changed.length === 0) return changed;
        const unverify = current.verified && !byAdmin && losesVerification(changed);
        await tx.client.update({ where: { id }, data: { ...clientColumnsOf(next), ...(unverify ? { verified: false } : {}) } });
        await audit(tx, { type: "client.updated", actorId, clientId: id, data: { fields: changed.join(" "), ...(unverify ? { unverified: true } : {}) } });
        return changed;
      }));
    },

    /**
     * A new secret for a confidential client, returned once. The previous one keeps working for
     * `graceSeconds` (0: it stops at once); lib/oauth/client-auth.ts honours it until then.
     */
    async rotateSecret(id: string, graceSeconds: number, actorId: string | null, now = new Date()): Promise<string> {
      const s = newSecret();
      await clientChange(db.$transaction(async (tx) => {
        const current = await tx.client.findUnique({ where: { id } });
        if (!current || current.apiId) throw new ClientNotFound();
        if (current.tokenEndpointAuthMethod === "none" || !current.secretHash) throw new NotConfidential();
        const grace = graceSeconds > 0;
        // Conditional on the secret read above: of two rotations at once, the second changes
        // nothing and is refused, instead of showing a secret that never works (lost update).
        const changed = await tx.client.updateMany({
          where: { id, secretHash: current.secretHash },
          data: {
            secretHash: s.hash,
            secretPrefix: s.prefix,
            secretCreatedAt: now,
            previousSecretHash: grace ? current.secretHash : null,
            previousSecretExpiresAt: grace ? new Date(now.getTime() + graceSeconds * 1000) : null,
          },
        });
        if (changed.count !== 1) throw new ConcurrentChange();
        await audit(tx, { type: "client.secret_rotated", actorId, clientId: id, data: { grace_seconds: Math.max(0, graceSeconds) } });
      }));
      return s.secret;
    },

    /**
     * Deletes the client; its consents, codes and tokens go with it (foreign keys cascade). What
     * was still live is counted first (previewRevocation), audited as `client.deleted` and returned.
     */
    async remove(id: string, actorId: string | null, now = new Date()): Promise<GrantCounts> {
      return clientChange(db.$transaction(async (tx) => {
        const current = await tx.client.findUnique({ where: { id } });
        if (!current || current.apiId) throw new ClientNotFound();
        const counts = await previewRevocation(tx, { clientId: id }, now);
        await tx.client.delete({ where: { id } });
        await audit(tx, {
          type: "client.deleted",
          actorId,
          clientId: id,
          data: { client_id: current.clientId, name: current.name, ...toSnake(counts) },
        });
        return counts;
      }));
    },
  };
}

function toSnake(c: GrantCounts) {
  return { consents: c.consents, codes: c.codes, refresh_tokens: c.refreshTokens, access_tokens: c.accessTokens };
}
