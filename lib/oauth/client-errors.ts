// "Last error seen" for the developer dashboard: the last OAuth error a request of a client ran
// into, recorded on the client. Error paths only (never the success path), at most once per
// client every few seconds per process, and never awaited by the response: a client hammering
// an endpoint with bad requests must not turn each one into a database write.
import type { OAuthStores } from "./types";

const MIN_INTERVAL_MS = 5_000;
const lastNoted = new Map<string, number>();

export function noteClientError(stores: OAuthStores, clientId: string, error: string, description: string, now: Date): void {
  const record = stores.clients.recordError;
  if (!record || !clientId || clientId.length > 200) return;
  const t = now.getTime();
  if (t - (lastNoted.get(clientId) ?? -Infinity) < MIN_INTERVAL_MS) return;
  if (lastNoted.size > 10_000) lastNoted.clear();
  lastNoted.set(clientId, t);
  record(clientId, `${error}: ${description}`.slice(0, 500), now).catch(() => undefined);
}

/** Tests only: forget the throttle. */
export function resetClientErrorThrottle(): void {
  lastNoted.clear();
}
