// The rate limits of the client-facing JSON endpoints (issue 18 §5; docs/operations.md "Rate
// limits"), on one limiter (lib/ratelimit/limiter.ts) whose counters are shared by every instance:
//
// - Volume: requests per client_id and per caller address (IPv6: per /64), per endpoint and
//   minute, on the token, introspection, revocation and registration endpoints (RFC 7591, and
//   the RFC 7592 client configuration paths). Decided in memory; merged in the background.
// - Failed client authentication (token, introspection, revocation): counted per client_id as
//   sent and per address, written through at once (exact across instances), audited one event
//   per failure up to the limit (`client.auth_failed`), then one `client.auth_throttled` for the
//   window, and nothing more: refused attempts write no row. Once a key has used up its failures,
//   every attempt is refused BEFORE the client is looked up or its secret checked, until the
//   window ends, even with the right secret (so a guesser cannot learn when it guessed right).
//
// Every refusal is 429 with Retry-After (RFC 6585 §4, RFC 9110 §10.2.3), no-store and a JSON
// OAuth error (TooManyRequests in lib/oauth/errors.ts says why `temporarily_unavailable`).
import type { RateLimitConfig } from "../config";
import { sha256 } from "../crypto/tokens";
import type { AuditInput } from "../db/audit";
import { logError } from "../log/logger";
import type { ClientAuthFailure, ClientAuthGuard } from "../oauth/client-auth";
import { TooManyRequests } from "../oauth/errors";
import type { RateLimiter } from "../ratelimit/limiter";
import { addressKey, requestIp } from "./anonymous-writes";
import type { FormSource } from "./form";

/** The endpoints with limits of their own (a client's token budget is not its introspection budget). */
export type LimitedEndpoint = "token" | "introspection" | "revocation" | "registration";

const MINUTE_MS = 60_000;
/** Longer client_ids (as sent: anything) are hashed, so that a counter key stays small. */
const MAX_ID_IN_KEY = 64;
/** Of a client_id as sent, this much goes into an audit event. */
const MAX_ID_IN_AUDIT = 200;

/** A client_id as sent, as a bounded counter key. */
export function clientKey(clientId: string): string {
  if (clientId.length <= MAX_ID_IN_KEY) return clientId;
  return `#${sha256(clientId)}`;
}

export interface RateLimitsDeps {
  limiter: RateLimiter;
  config: RateLimitConfig;
  /** Writes an audit event (lib/db/audit.ts auditStore). */
  audit: (e: AuditInput) => Promise<void>;
}

/** The budget a request's caller draws on: its address, or its IPv6 /64 (anonymous-writes.ts). */
export const callerAddress = (req: Pick<FormSource, "headers">): string => addressKey(requestIp(req.headers));

export class RateLimits {
  private readonly failureWindowMs: number;

  constructor(private readonly d: RateLimitsDeps) {
    this.failureWindowMs = d.config.authFailureWindowSeconds * 1000;
  }

  /** Counts a request from `address` (addressKey) to `endpoint`; throws TooManyRequests when over. */
  admitAddress(endpoint: LimitedEndpoint, address: string): void {
    const wait = this.d.limiter.hit(`${endpoint}.a`, address, this.d.config.perAddressPerMinute, MINUTE_MS);
    if (wait !== null) throw tooMany(`Too many requests from this address; retry after ${wait} seconds`, wait);
  }

  /** Counts a request for `clientId` (as sent) to `endpoint`; throws TooManyRequests when over. */
  admitClient(endpoint: LimitedEndpoint, clientId: string): void {
    const wait = this.d.limiter.hit(`${endpoint}.c`, clientKey(clientId), this.d.config.perClientPerMinute, MINUTE_MS);
    if (wait !== null) throw tooMany(`Too many requests for this client; retry after ${wait} seconds`, wait);
  }

  /**
   * The client authentication guard of one request from `address` (lib/oauth/client-auth.ts):
   * the client's volume limit, then its and the address's failure budgets, before the secret.
   */
  clientAuth(endpoint: LimitedEndpoint, address: string): ClientAuthGuard {
    return {
      admit: (clientId) => {
        this.admitClient(endpoint, clientId);
        const { authFailuresPerClient: perClient, authFailuresPerAddress: perAddress } = this.d.config;
        const wait =
          this.d.limiter.peek("authfail.c", clientKey(clientId), perClient, this.failureWindowMs) ??
          this.d.limiter.peek("authfail.a", address, perAddress, this.failureWindowMs);
        if (wait !== null) throw tooManyFailures(wait);
      },
      failed: (clientId, reason) => this.failed(endpoint, address, clientId, reason),
    };
  }

  /**
   * One failed client authentication: counted first (atomically, in the shared counters), then
   * checked. Audited while within the limits; the failure that uses up a budget also writes the
   * window's one `client.auth_throttled`; a failure over a budget (another instance's attempts
   * got there first) is refused with 429 and not audited.
   */
  private async failed(endpoint: LimitedEndpoint, address: string, clientId: string, reason: ClientAuthFailure): Promise<void> {
    const { authFailuresPerClient: perClient, authFailuresPerAddress: perAddress } = this.d.config;
    const window = this.failureWindowMs;
    const [byClient, byAddress] = await Promise.all([
      perClient > 0 ? this.d.limiter.record("authfail.c", clientKey(clientId), window) : 0,
      perAddress > 0 ? this.d.limiter.record("authfail.a", address, window) : 0,
    ]);
    const over = (n: number, limit: number) => limit > 0 && n > limit;
    const sent = clientId.slice(0, MAX_ID_IN_AUDIT);
    const ip = address === "unknown" ? null : address;
    const events: AuditInput[] = [];
    if (!over(byClient, perClient) && !over(byAddress, perAddress)) {
      events.push({ type: "client.auth_failed", clientId: sent, ip, data: { endpoint, reason } });
    }
    for (const [by, n, limit] of [["client", byClient, perClient], ["address", byAddress, perAddress]] as const) {
      if (limit > 0 && n === limit) {
        events.push({ type: "client.auth_throttled", clientId: sent, ip, data: { endpoint, by, failures: n, window_seconds: window / 1000 } });
      }
    }
    for (const e of events) {
      // The audit must not turn a 401 into a 500 (the database may be away): logged instead.
      await this.d.audit(e).catch((err) => logError(`Could not write the ${e.type} audit event:`, err instanceof Error ? err.message : err));
    }
    if (over(byClient, perClient) || over(byAddress, perAddress)) throw tooManyFailures(this.d.limiter.retryAfter(window));
  }
}

const tooMany = (description: string, wait: number) => new TooManyRequests(description, wait);
const tooManyFailures = (wait: number) =>
  new TooManyRequests(`Too many failed client authentications; retry after ${wait} seconds`, wait);
