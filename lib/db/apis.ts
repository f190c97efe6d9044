// APIs (protected resources) and their own credentials. An API is created with a confidential
// client of its own (registeredVia "api", `apiId` pointing back) in ONE transaction: the client
// has no grant types, redirect URIs or scopes, so it can get no token and start no
// authorization; it only authenticates at introspection (RFC 7662 §2.1) for the API. Its secret
// is returned once and stored as SHA-256, like every client secret (lib/db/clients.ts).
// Every change writes its audit event in the same transaction and, once committed, empties the
// protocol's client and API caches (client-cache.ts): a client's default API and the API records
// the token endpoint reads take effect on the next request.
import type { Db } from "./client";
import type { Api, Client } from "./generated/sqlite/client.ts";
import { audit } from "./audit";
import { ConcurrentChange, newSecret } from "./clients";
import { isUniqueViolation } from "./errors";
import { clientChange } from "./protocol/client-cache";
import { randomToken } from "../crypto/tokens";
import type { ApiInput, ApiScope, ApiSettings } from "../oauth/api-metadata";
import { apisNamedIn } from "../oauth/scope-groups";

export class ApiNotFound extends Error {
  constructor() {
    super("No such API.");
  }
}

export class ApiIdentifierTaken extends Error {
  constructor(identifier: string) {
    super(`An API with the identifier ${identifier} already exists.`);
  }
}

/** allowedClientIds names clients that do not exist (or are APIs' own credentials). */
export class UnknownClients extends Error {
  constructor(readonly ids: string[]) {
    super(`No such client: ${ids.join(", ")}.`);
  }
}

/** An API as the portal shows it (dashboard, admin console, CLI). */
export interface ApiView {
  id: string;
  name: string;
  identifier: string;
  scopes: ApiScope[];
  /** Seconds; null = the server's default access-token lifetime. */
  accessTokenTtl: number | null;
  allClients: boolean;
  /** Internal client ids; they apply when allClients is false. */
  allowedClientIds: string[];
  ownerId: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The API's own client (introspection credentials): its public client_id and the secret's visible prefix. */
  credentials: { id: string; clientId: string; secretPrefix: string | null; secretCreatedAt: Date | null } | null;
}

export interface CreatedApi {
  api: ApiView;
  /** The credentials' client_id and secret: the secret only here, it is not stored. */
  client_id: string;
  client_secret: string;
}

type ApiWithCredentials = Api & { credentials: Pick<Client, "id" | "clientId" | "secretPrefix" | "secretCreatedAt"> | null };

const CREDENTIALS = { select: { id: true, clientId: true, secretPrefix: true, secretCreatedAt: true } } as const;

/** The JSON text columns, parsed. */
export function apiScopesOf(text: string): ApiScope[] {
  return JSON.parse(text) as ApiScope[];
}

function viewOf(a: ApiWithCredentials): ApiView {
  return {
    id: a.id,
    name: a.name,
    identifier: a.identifier,
    scopes: apiScopesOf(a.scopes),
    accessTokenTtl: a.accessTokenTtl,
    allClients: a.allClients,
    allowedClientIds: JSON.parse(a.allowedClientIds) as string[],
    ownerId: a.ownerId,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    credentials: a.credentials,
  };
}

/** The columns the settings describe. */
function columnsOf(s: ApiSettings) {
  return {
    name: s.name,
    scopes: JSON.stringify(s.scopes.map(({ name, description }) => ({ name, description }))),
    accessTokenTtl: s.accessTokenTtl,
    allClients: s.allClients,
    allowedClientIds: JSON.stringify([...new Set(s.allowedClientIds)]),
  };
}

/** The names of the settings that differ, sorted (audit data: names only, no values). */
function changedSettings(before: ApiView, after: ApiSettings): string[] {
  const a = columnsOf(before);
  const b = columnsOf(after);
  return (Object.keys(a) as (keyof typeof a)[]).filter((k) => a[k] !== b[k]).sort();
}

/** The APIs that stored (qualified) scopes name, for their names and scope descriptions. */
export async function apisNamedInScopes(db: Db, stored: readonly string[]): Promise<Pick<ApiView, "identifier" | "name" | "scopes">[]> {
  const identifiers = apisNamedIn(stored);
  if (identifiers.length === 0) return [];
  const rows = await db.api.findMany({ where: { identifier: { in: identifiers } }, select: { identifier: true, name: true, scopes: true } });
  return rows.map((a) => ({ ...a, scopes: apiScopesOf(a.scopes) }));
}

export function apiStore(db: Db) {
  /** allowedClientIds must name ordinary clients (not an API's own credentials). */
  async function checkClients(tx: Pick<Db, "client">, ids: string[]) {
    if (ids.length === 0) return;
    const unique = [...new Set(ids)];
    const found = await tx.client.findMany({ where: { id: { in: unique }, apiId: null }, select: { id: true } });
    const known = new Set(found.map((c) => c.id));
    const missing = unique.filter((id) => !known.has(id));
    if (missing.length) throw new UnknownClients(missing);
  }

  return {
    /** The API and its credentials client, in one transaction; nothing is written on any error. */
    async create(input: ApiInput, ownerId: string | null, actorId: string | null = ownerId): Promise<CreatedApi> {
      const s = newSecret();
      const clientId = `lk_${randomToken(16)}`;
      try {
        const api = await clientChange(
          db.$transaction(async (tx) => {
            await checkClients(tx, input.allowedClientIds);
            const row = await tx.api.create({ data: { identifier: input.identifier, ownerId, ...columnsOf(input) } });
            const client = await tx.client.create({
              data: {
                clientId,
                name: input.name,
                secretHash: s.hash,
                secretPrefix: s.prefix,
                secretCreatedAt: new Date(),
                tokenEndpointAuthMethod: "client_secret_basic",
                redirectUris: "[]",
                scopes: "",
                grantTypes: "",
                verified: true,
                registeredVia: "api",
                ownerId,
                apiId: row.id,
              },
            });
            await audit(tx, {
              type: "api.created",
              actorId,
              clientId: client.id,
              subjectId: row.id,
              data: { identifier: row.identifier, name: row.name, scopes: input.scopes.map((x) => x.name).join(" "), client_id: clientId },
            });
            return tx.api.findUniqueOrThrow({ where: { id: row.id }, include: { credentials: CREDENTIALS } });
          }),
        );
        return { api: viewOf(api), client_id: clientId, client_secret: s.secret };
      } catch (err) {
        if (isUniqueViolation(err)) throw new ApiIdentifierTaken(input.identifier);
        throw err;
      }
    },

    /** The APIs a user manages: their own, or every API for an admin; newest first. */
    async listFor(user: { id: string; admin: boolean }): Promise<ApiView[]> {
      const rows = await db.api.findMany({
        where: user.admin ? {} : { ownerId: user.id },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        include: { credentials: CREDENTIALS },
      });
      return rows.map(viewOf);
    },

    async findById(id: string): Promise<ApiView | null> {
      const row = await db.api.findUnique({ where: { id }, include: { credentials: CREDENTIALS } });
      return row ? viewOf(row) : null;
    },

    async findByIdentifier(identifier: string): Promise<ApiView | null> {
      const row = await db.api.findUnique({ where: { identifier }, include: { credentials: CREDENTIALS } });
      return row ? viewOf(row) : null;
    },

    /**
     * Replaces the settings (the identifier is fixed: tokens and resource servers name it).
     * Audits `api.updated` with the changed setting names; returns them; writes nothing when none changed.
     */
    async update(id: string, settings: ApiSettings, actorId: string | null): Promise<string[]> {
      return clientChange(
        db.$transaction(async (tx) => {
          const current = await tx.api.findUnique({ where: { id }, include: { credentials: CREDENTIALS } });
          if (!current) throw new ApiNotFound();
          const changed = changedSettings(viewOf(current), settings);
          if (changed.length === 0) return changed;
          await checkClients(tx, settings.allowedClientIds);
          // Conditional on the row as read: of two edits at once, the second is refused (no lost update).
          const r = await tx.api.updateMany({ where: { id, updatedAt: current.updatedAt }, data: columnsOf(settings) });
          if (r.count !== 1) throw new ConcurrentChange();
          if (current.credentials && settings.name !== current.name) {
            await tx.client.update({ where: { id: current.credentials.id }, data: { name: settings.name } });
          }
          await audit(tx, { type: "api.updated", actorId, subjectId: id, clientId: current.credentials?.id ?? null, data: { fields: changed.join(" ") } });
          return changed;
        }),
      );
    },

    /** A new secret for the API's credentials, returned once; the old one stops at once. */
    async rotateSecret(id: string, actorId: string | null, now = new Date()): Promise<string> {
      const s = newSecret();
      await clientChange(
        db.$transaction(async (tx) => {
          const current = await tx.client.findUnique({ where: { apiId: id } });
          if (!current) throw new ApiNotFound();
          const r = await tx.client.updateMany({
            where: { id: current.id, secretHash: current.secretHash },
            data: { secretHash: s.hash, secretPrefix: s.prefix, secretCreatedAt: now, previousSecretHash: null, previousSecretExpiresAt: null },
          });
          if (r.count !== 1) throw new ConcurrentChange();
          await audit(tx, { type: "client.secret_rotated", actorId, subjectId: id, clientId: current.id, data: { grace_seconds: 0, api: true } });
        }),
      );
      return s.secret;
    },

    /**
     * Deletes the API and its credentials client (cascade). Clients that had it as their default
     * API lose the default (SetNull); consents keep the API's qualified scopes, which no longer match anything.
     */
    async remove(id: string, actorId: string | null): Promise<void> {
      await clientChange(
        db.$transaction(async (tx) => {
          const current = await tx.api.findUnique({ where: { id } });
          if (!current) throw new ApiNotFound();
          await tx.api.delete({ where: { id } });
          await audit(tx, { type: "api.deleted", actorId, subjectId: id, data: { identifier: current.identifier, name: current.name } });
        }),
      );
    },

    /** Sets (or clears, with null) the API a client gets when it names no resource. */
    async setDefaultFor(clientRowId: string, apiId: string | null, actorId: string | null): Promise<void> {
      await clientChange(
        db.$transaction(async (tx) => {
          const client = await tx.client.findUnique({ where: { id: clientRowId }, select: { apiId: true, defaultApiId: true } });
          if (!client || client.apiId) throw new UnknownClients([clientRowId]);
          if (apiId && !(await tx.api.findUnique({ where: { id: apiId }, select: { id: true } }))) throw new ApiNotFound();
          if (client.defaultApiId === apiId) return;
          await tx.client.update({ where: { id: clientRowId }, data: { defaultApiId: apiId } });
          await audit(tx, { type: "client.updated", actorId, clientId: clientRowId, data: { fields: "default_api" } });
        }),
      );
    },
  };
}
