// Audit events: written with the same transaction client as the change they record.
import type { Tx } from "./client";
import { countAuditEvent } from "../ops/metrics";

export interface AuditInput {
  type: string; // e.g. "user.created", "signin.failed"
  actorId?: string | null;
  subjectId?: string | null;
  clientId?: string | null;
  ip?: string | null;
  /** Details. Never a secret, password or token. */
  data?: Record<string, string | number | boolean | null>;
}

function auditRow(e: AuditInput) {
  return {
    type: e.type,
    actorId: e.actorId ?? null,
    subjectId: e.subjectId ?? null,
    clientId: e.clientId ?? null,
    ip: e.ip ?? null,
    data: e.data ? JSON.stringify(e.data) : null,
  };
}

export async function audit(tx: Tx, e: AuditInput): Promise<void> {
  await tx.auditEvent.create({ data: auditRow(e) });
  // Sign-ins, refresh reuse and code replay are metrics too (lib/ops/metrics.ts).
  countAuditEvent(e.type);
}

/** Audit events not tied to another write (e.g. a failed sign-in). */
export function auditStore(db: Tx) {
  return { record: (e: AuditInput) => audit(db, e) };
}
