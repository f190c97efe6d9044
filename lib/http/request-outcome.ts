// What the lean router tells the request listener about a failed response, beside its status:
// the OAuth error code and an unexpected exception (PlainResponse's error and fault). Kept only
// for failures, so a successful request stores nothing. Both modules are in the same copy of
// lib/ (scripts/start.ts builds both).
import type { ServerResponse } from "node:http";
import type { PlainResponse } from "./endpoint";

export type Failure = Pick<PlainResponse, "error" | "fault">;

const failures = new WeakMap<ServerResponse, Failure>();

export function noteFailure(res: ServerResponse, r: Failure): void {
  if (r.error !== undefined || r.fault !== undefined) failures.set(res, r);
}

export function failureOf(res: ServerResponse): Failure | undefined {
  return failures.get(res);
}
