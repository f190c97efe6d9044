// Dynamic registration storage: initial access tokens (RFC 7591 §3, admin-issued), clients
// registered with them, and their registration access tokens (RFC 7592). Every token is random
// (256 bits), returned once, and stored only as SHA-256 + a short prefix. Every write runs in a
// transaction with its audit event.
import { clientChange } from "./protocol/client-cache";
import type { Db, Tx } from "./client";
import { audit } from "./audit";
import { previewRevocation } from "./grants";
import { changedFields, clientColumnsOf, clientMetadataOf, losesVerification } from "./clients";
import { randomToken, safeEqual, sha256 } from "../crypto/tokens";
import type { ClientMetadata } from "../oauth/client-metadata";
import type { RegisteredClient } from "../oauth/registration";

const IAT_PREFIX = "lkiat_";
/** registeredVia of a client registered without an initial access token (OPEN_REGISTRATION). */
export const OPEN_REGISTRATION = "open_registration";
const RAT_PREFIX = "lkrat_";

/** Thrown inside a transaction when the initial access token stopped being valid. */
export class InitialAccessTokenRejected extends Error {}

export type InitialAccessTokenState = "active" | "expired" | "revoked" | "used";

export function initialAccessTokenState(
  t: { expiresAt: Date; revokedAt: Date | null; singleUse?: boolean; useCount?: number },
  now = new Date(),
): InitialAccessTokenState {
  if (t.revokedAt) return "revoked";
  if (t.singleUse && (t.useCount ?? 0) >= 1) return "used";
  return t.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

type ClientRow = NonNullable<Awaited<ReturnType<Db["client"]["findUnique"]>>>;

/** The stored client as registration metadata (lib/db/clients.ts maps both ways). */
export function registeredClient(row: ClientRow): RegisteredClient {
  return { clientId: row.clientId, issuedAt: row.createdAt, metadata: clientMetadataOf(row) };
}

export interface RegistrationResult {
  client: RegisteredClient;
  clientSecret?: string;
  registrationAccessToken: string;
}

export function registrationStore(db: Db) {
  /** The active initial access token row for `token`, or null. */
  async function activeInitialAccessToken(tx: Tx, token: string, now: Date) {
    const row = await tx.initialAccessToken.findUnique({ where: { tokenHash: sha256(token) } });
    return row && initialAccessTokenState(row, now) === "active" ? row : null;
  }

  return {
    // ---- initial access tokens (admin) ----

    /** `singleUse`: the first registration it authorizes consumes it (RFC 7591 §3 leaves the policy to the server). */
    async createInitialAccessToken(input: { label: string; expiresAt: Date; createdById: string; singleUse?: boolean }) {
      const token = `${IAT_PREFIX}${randomToken(32)}`;
      const prefix = token.slice(0, IAT_PREFIX.length + 6);
      const row = await db.$transaction(async (tx) => {
        const r = await tx.initialAccessToken.create({
          data: {
            tokenHash: sha256(token),
            prefix,
            label: input.label,
            createdById: input.createdById,
            expiresAt: input.expiresAt,
            singleUse: input.singleUse ?? false,
          },
        });
        await audit(tx, {
          type: "registration_token.created",
          actorId: input.createdById,
          data: { id: r.id, prefix, label: input.label, expires_at: input.expiresAt.toISOString(), single_use: r.singleUse },
        });
        return r;
      });
      return { id: row.id, token, prefix, expiresAt: row.expiresAt, singleUse: row.singleUse };
    },

    listInitialAccessTokens() {
      return db.initialAccessToken.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 200 });
    },

    /** Revokes an unrevoked token; false when there is no such token or it was already revoked. */
    async revokeInitialAccessToken(id: string, actorId: string, now = new Date()): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const r = await tx.initialAccessToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
        if (r.count === 0) return false;
        const row = await tx.initialAccessToken.findUniqueOrThrow({ where: { id } });
        await audit(tx, { type: "registration_token.revoked", actorId, data: { id, prefix: row.prefix, label: row.label } });
        return true;
      });
    },

    /** Whether `token` is an active initial access token (the check before any parsing). */
    async isActiveInitialAccessToken(token: string, now = new Date()): Promise<boolean> {
      return (await activeInitialAccessToken(db, token, now)) !== null;
    },

    // ---- dynamic clients ----

    /**
     * Registers a client (RFC 7591 §3.2.1). With an initial access token, the token is counted
     * and its creator owns the client; the token is re-checked inside the transaction, so a
     * revocation that commits first wins (InitialAccessTokenRejected). A single-use token is
     * counted first and then checked: of concurrent registrations, the one whose increment made
     * the count 1 wins; the others roll back (their increment with them). Without a token (open
     * registration) the client has no owner. `registrationAccessTokenExpiresAt`: null = never.
     */
    async register(
      meta: ClientMetadata,
      initialAccessToken: string | null,
      now = new Date(),
      registrationAccessTokenExpiresAt: Date | null = null,
    ): Promise<RegistrationResult> {
      const confidential = meta.token_endpoint_auth_method !== "none";
      const clientId = `lk_${randomToken(16)}`;
      const secret = confidential ? `lks_${randomToken(32)}` : undefined;
      const registrationAccessToken = `${RAT_PREFIX}${randomToken(32)}`;
      const row = await db.$transaction(async (tx) => {
        let iat: { id: string; prefix: string; createdById: string | null } | null = null;
        if (initialAccessToken !== null) {
          const found = await activeInitialAccessToken(tx, initialAccessToken, now);
          // Counted only while still unrevoked and unexpired (a concurrent revocation wins).
          const used = found
            ? await tx.initialAccessToken.updateMany({
                where: { id: found.id, revokedAt: null, expiresAt: { gt: now } },
                data: { useCount: { increment: 1 }, lastUsedAt: now },
              })
            : { count: 0 };
          if (!found || used.count !== 1) throw new InitialAccessTokenRejected();
          if (found.singleUse) {
            // Count first, then check: the increment above took the row's write lock (PostgreSQL)
            // or the database's (SQLite), so this read sees every registration that committed first.
            const after = await tx.initialAccessToken.findUniqueOrThrow({ where: { id: found.id }, select: { useCount: true } });
            if (after.useCount > 1) throw new InitialAccessTokenRejected();
          }
          iat = found;
        }
        const c = await tx.client.create({
          data: {
            clientId,
            ...clientColumnsOf(meta),
            secretHash: secret ? sha256(secret) : null,
            secretPrefix: secret ? secret.slice(0, 10) : null,
            secretCreatedAt: secret ? now : null,
            registrationAccessTokenHash: sha256(registrationAccessToken),
            registrationAccessTokenExpiresAt,
            // Open registrations that are never used expire (lib/db/purge.ts); those with a token stay.
            registeredVia: initialAccessToken === null ? OPEN_REGISTRATION : "dynamic",
            ownerId: iat?.createdById ?? null,
          },
        });
        await audit(tx, {
          type: "client.registered",
          actorId: iat?.createdById ?? null,
          clientId: c.id,
          data: { client_id: clientId, confidential, iat_prefix: iat?.prefix ?? null },
        });
        return c;
      });
      return { client: registeredClient(row), ...(secret ? { clientSecret: secret } : {}), registrationAccessToken };
    },

    /**
     * The client `clientId` if `token` is its registration access token (compared as SHA-256
     * digests in constant time); null otherwise, the same for a client that does not exist.
     */
    async findByRegistrationToken(clientId: string, token: string): Promise<ClientRow | null> {
      const row = await db.client.findUnique({ where: { clientId } });
      const presented = sha256(token);
      // Compare against something even when there is no row, so both paths do the same work.
      const ok = safeEqual(presented, row?.registrationAccessTokenHash ?? "\0");
      return row?.registrationAccessTokenHash && ok ? row : null;
    },

    /**
     * RFC 7592 §2.2: replaces the client's metadata and rotates its registration access token.
     * Only if the token is still the one presented (two concurrent updates: one wins, the other
     * gets null). The client secret is unchanged.
     */
    async update(
      row: ClientRow,
      meta: ClientMetadata,
      now = new Date(),
      registrationAccessTokenExpiresAt: Date | null = null,
    ): Promise<RegistrationResult | null> {
      const registrationAccessToken = `${RAT_PREFIX}${randomToken(32)}`;
      const updated = await clientChange(db.$transaction(async (tx) => {
        // A change of what users see ends an admin's verification (clients.ts losesVerification).
        const unverify = row.verified && losesVerification(changedFields(clientMetadataOf(row), meta));
        const r = await tx.client.updateMany({
          where: { id: row.id, registrationAccessTokenHash: row.registrationAccessTokenHash },
          data: {
            ...clientColumnsOf(meta),
            ...(unverify ? { verified: false } : {}),
            registrationAccessTokenHash: sha256(registrationAccessToken),
            registrationAccessTokenExpiresAt,
            updatedAt: now,
          },
        });
        if (r.count !== 1) return null;
        await audit(tx, {
          type: "client.updated",
          clientId: row.id,
          data: { client_id: row.clientId, via: "rfc7592" },
        });
        return tx.client.findUniqueOrThrow({ where: { id: row.id } });
      }));
      return updated ? { client: registeredClient(updated), registrationAccessToken } : null;
    },

    /**
     * RFC 7592 §2.3: deletes the client; its consents, codes and tokens go with it (the rows
     * cascade). The audit event keeps what was live at that moment.
     */
    async delete(row: ClientRow, now = new Date()): Promise<boolean> {
      return clientChange(db.$transaction(async (tx) => {
        const live = await previewRevocation(tx, { clientId: row.id }, now);
        const r = await tx.client.deleteMany({ where: { id: row.id, registrationAccessTokenHash: row.registrationAccessTokenHash } });
        if (r.count !== 1) return false;
        await audit(tx, {
          type: "client.deleted",
          clientId: row.id,
          data: { client_id: row.clientId, via: "rfc7592", ...live },
        });
        return true;
      }));
    },
  };
}

export type RegistrationStore = ReturnType<typeof registrationStore>;
export type { ClientRow };
