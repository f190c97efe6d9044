// For admin server actions: who is acting (404 for anyone but an admin), and one way to turn an
// AdminRefusal into the form's error. Every action calls adminActor() before reading its input.
import "server-only";
import { headers } from "next/headers";
import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { clientIp } from "@/lib/http/client-ip";
import { AdminRefusal, type Actor } from "@/lib/db/admin/errors";
import type { AdminActionState } from "@/components/admin/action-state";
import { SAFE_ID } from "@/lib/oauth/text";

export async function adminActor(): Promise<Actor> {
  const session = await requireAdmin();
  return { id: session.userId, ip: clientIp(await headers()) };
}

/** A row id or client_id from a form: short, no surprises. */
export const rowId = z.string().trim().max(128).regex(SAFE_ID);

/** Runs `fn`; an AdminRefusal becomes the form's error, anything else propagates. */
export async function attempt<S extends AdminActionState>(fn: () => Promise<S>): Promise<S | AdminActionState> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AdminRefusal) return { ok: false, error: err.message };
    throw err;
  }
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
