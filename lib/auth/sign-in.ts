// Password sign-in: throttle check, password check, session creation, audit. The one place the
// portal decides whether a password sign-in succeeds.
import type { Stores } from "../db";
import { throttleKeys } from "../db/throttle";
import { verifyPassword } from "./password";

export interface SignInInput {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

export type SignInResult =
  | { ok: true; userId: string; email: string; name: string | null; sessionId: string }
  | { ok: false; error: "invalid" | "disabled" }
  | { ok: false; error: "locked" | "wait"; retryAfterSeconds: number };

export async function signInWithPassword(
  s: Pick<Stores, "users" | "sessions" | "throttle" | "audit">,
  input: SignInInput,
  sessionMaxAgeSeconds: number,
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const keys = throttleKeys(email, input.ip);
  const gate = await s.throttle.check(keys);
  if (!gate.ok) {
    await s.audit.record({ type: "signin.throttled", ip: input.ip, data: { email, reason: gate.reason } });
    return { ok: false, error: gate.reason, retryAfterSeconds: gate.retryAfterSeconds };
  }
  const user = email ? await s.users.findByEmail(email) : null;
  const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !valid) {
    await s.throttle.recordFailure(keys);
    await s.audit.record({ type: "signin.failed", subjectId: user?.id ?? null, ip: input.ip, data: { email } });
    const after = await s.throttle.check(keys);
    if (!after.ok && after.reason === "locked") {
      await s.audit.record({ type: "signin.locked", subjectId: user?.id ?? null, ip: input.ip, data: { email } });
      return { ok: false, error: "locked", retryAfterSeconds: after.retryAfterSeconds };
    }
    return { ok: false, error: "invalid" };
  }
  if (user.disabled) {
    await s.audit.record({ type: "signin.refused_disabled", subjectId: user.id, ip: input.ip });
    return { ok: false, error: "disabled" };
  }
  await s.throttle.reset(keys);
  const session = await s.sessions.create({
    userId: user.id,
    maxAgeSeconds: sessionMaxAgeSeconds,
    ip: input.ip,
    userAgent: input.userAgent,
  });
  await s.audit.record({ type: "signin.succeeded", actorId: user.id, subjectId: user.id, ip: input.ip });
  return { ok: true, userId: user.id, email: user.email, name: user.name, sessionId: session.id };
}
