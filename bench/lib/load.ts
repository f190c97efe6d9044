// The measured load: autocannon at a fixed concurrency, with our own accounting of every
// response (status per step, latency measured from the moment a request is built to the moment
// its response is parsed), so that a 302 we expect is not an "error" and a 200 that carries an
// error is not a success.
//
// autocannon notes that shape this file (autocannon 8, lib/requestIterator.js):
//  - the per-connection `context` is reset every time the request list wraps around, so state
//    that must outlive one iteration (a refresh-token chain) lives in a pool outside it;
//  - `onResponse` runs before the next request is built, so a response can feed the next request;
//  - a falsy `setupRequest` result on a later step restarts the list (counted as a "reset");
//  - its own latency histogram keeps only 2xx responses, hence our own timing.
import autocannon from "autocannon";
import { performance } from "node:perf_hooks";
import type { CpuPerUnit } from "./cpu";
import { pkcePair, randomState, summarizeBody } from "./http";

export type Phase = "warmup" | "measure";

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { count: sorted.length, p50: round(at(50)), p90: round(at(90)), p99: round(at(99)), max: round(sorted[sorted.length - 1]!) };
}

/** Collects what one run of one scenario saw. */
export class Recorder {
  active = true;
  completions = 0;
  readonly unitLatencies: number[] = [];
  readonly steps = new Map<string, { statuses: Map<number, number>; latencies: number[] }>();
  unexpected = 0;
  readonly samples = new Map<string, number>();

  response(step: string, status: number, ms: number, ok: boolean, problem?: string): void {
    if (!this.active) return;
    let s = this.steps.get(step);
    if (!s) this.steps.set(step, (s = { statuses: new Map(), latencies: [] }));
    s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
    s.latencies.push(ms);
    if (!ok) {
      this.unexpected++;
      this.sample(`${step}: HTTP ${status}${problem ? ` ${problem}` : ""}`);
    }
  }

  /** A counted unit of work (a token, a flow, a sign-in) finished, `ms` after it started. */
  complete(ms: number): void {
    if (!this.active) return;
    this.completions++;
    this.unitLatencies.push(ms);
  }

  /** A problem that is not an HTTP response (e.g. no live refresh chain left). */
  problem(message: string): void {
    if (!this.active) return;
    this.unexpected++;
    this.sample(message);
  }

  private sample(message: string) {
    const key = message.replace(/\s+/g, " ").slice(0, 240);
    if (this.samples.has(key) || this.samples.size < 12) this.samples.set(key, (this.samples.get(key) ?? 0) + 1);
  }
}

export interface ScenarioResult {
  scenario: string;
  unit: string;
  durationS: number;
  completed: number;
  perSecond: number;
  /** Latency of one counted unit (for the code flow: GET authorize sent -> token response parsed). */
  latencyMs: Percentiles;
  /** Latency per HTTP request, by step. */
  requestLatencyMs: Record<string, Percentiles>;
  /** Every response by step and status code. */
  responses: Record<string, Record<string, number>>;
  unexpectedResponses: number;
  connectionErrors: number;
  timeouts: number;
  /** unexpectedResponses + connectionErrors + timeouts. */
  errors: number;
  errorSamples: Array<{ message: string; count: number }>;
  /** Where the cores went, per counted unit (bench/lib/cpu.ts). */
  cpu?: CpuPerUnit;
  /** The measured rounds this result pools, in the order they ran. */
  rounds?: Array<{ perSecond: number; completed: number; durationS: number; cpu?: CpuPerUnit }>;
}

/** One result from several measured rounds of the same scenario on the same server: counts and
 * durations add up, percentiles are taken over every latency of every round, CPU is weighted by
 * the units of each round. */
export function pooled(rounds: Array<{ rec: Recorder; result: ScenarioResult }>): ScenarioResult {
  const [first] = rounds;
  if (!first) throw new Error("pooled: no rounds");
  const sum = (f: (r: ScenarioResult) => number) => rounds.reduce((a, { result }) => a + f(result), 0);
  const completed = sum((r) => r.completed);
  const durationS = Math.round(sum((r) => r.durationS) * 100) / 100;
  const steps = new Map<string, { latencies: number[]; statuses: Map<string, number> }>();
  const samples = new Map<string, number>();
  for (const { rec, result } of rounds) {
    for (const [name, st] of rec.steps) {
      let s = steps.get(name);
      if (!s) steps.set(name, (s = { latencies: [], statuses: new Map() }));
      for (const l of st.latencies) s.latencies.push(l);
    }
    for (const [name, byStatus] of Object.entries(result.responses)) {
      let s = steps.get(name);
      if (!s) steps.set(name, (s = { latencies: [], statuses: new Map() }));
      for (const [status, n] of Object.entries(byStatus)) s.statuses.set(status, (s.statuses.get(status) ?? 0) + n);
    }
    for (const e of result.errorSamples) if (samples.has(e.message) || samples.size < 12) samples.set(e.message, (samples.get(e.message) ?? 0) + e.count);
  }
  const withCpu = rounds.filter(({ result }) => result.cpu && result.completed > 0);
  /** Per unit: weighed by each round's units; a share of time (busy %): by its seconds. */
  const weighted = (f: (c: CpuPerUnit) => number | undefined, by: (r: ScenarioResult) => number = (r) => r.completed) => {
    const weight = withCpu.reduce((a, { result }) => a + by(result), 0);
    let total = 0;
    for (const { result } of withCpu) {
      const v = f(result.cpu!);
      if (v === undefined) return undefined;
      total += v * by(result);
    }
    return weight > 0 ? Math.round(total / weight) : undefined;
  };
  const cpu: CpuPerUnit | undefined = withCpu.length
    ? {
        serverUs: weighted((c) => c.serverUs)!,
        mainThreadUs: weighted((c) => c.mainThreadUs)!,
        ...(withCpu.every(({ result }) => result.cpu!.postgresUs !== undefined) ? { postgresUs: weighted((c) => c.postgresUs) } : {}),
        loadGeneratorUs: weighted((c) => c.loadGeneratorUs)!,
        machineBusyPct: weighted((c) => c.machineBusyPct, (r) => r.durationS)!,
      }
    : undefined;
  return {
    scenario: first.result.scenario,
    unit: first.result.unit,
    durationS,
    completed,
    perSecond: durationS > 0 ? Math.round((completed / durationS) * 10) / 10 : 0,
    latencyMs: percentiles(rounds.flatMap(({ rec }) => rec.unitLatencies)),
    requestLatencyMs: Object.fromEntries([...steps].map(([name, s]) => [name, percentiles(s.latencies)])),
    responses: Object.fromEntries([...steps].map(([name, s]) => [name, Object.fromEntries([...s.statuses].sort((a, b) => Number(a[0]) - Number(b[0])))])),
    unexpectedResponses: sum((r) => r.unexpectedResponses),
    connectionErrors: sum((r) => r.connectionErrors),
    timeouts: sum((r) => r.timeouts),
    errors: sum((r) => r.errors),
    errorSamples: [...samples].map(([message, count]) => ({ message, count })),
    ...(cpu ? { cpu } : {}),
    rounds: rounds.map(({ result }) => ({ perSecond: result.perSecond, completed: result.completed, durationS: result.durationS, ...(result.cpu ? { cpu: result.cpu } : {}) })),
  };
}

export interface LoadOptions {
  origin: string;
  connections: number;
  durationS: number;
  requests: autocannon.Request[];
}

/** Runs autocannon once; the recorder is closed as soon as autocannon reports done. */
export function runLoad(opts: LoadOptions, rec: Recorder, scenario: string, unit: string): Promise<ScenarioResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    autocannon(
      {
        url: opts.origin,
        connections: opts.connections,
        pipelining: 1,
        duration: opts.durationS,
        timeout: 10,
        requests: opts.requests,
      },
      (err, result) => {
        rec.active = false;
        if (err) return reject(err instanceof Error ? err : new Error(String(err)));
        const durationS = (performance.now() - started) / 1000;
        const requestLatencyMs: Record<string, Percentiles> = {};
        const responses: Record<string, Record<string, number>> = {};
        for (const [step, s] of rec.steps) {
          requestLatencyMs[step] = percentiles(s.latencies);
          responses[step] = Object.fromEntries([...s.statuses].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v]));
        }
        const connectionErrors = result.errors;
        const timeouts = result.timeouts;
        resolve({
          scenario,
          unit,
          durationS: Math.round(durationS * 100) / 100,
          completed: rec.completions,
          perSecond: Math.round((rec.completions / durationS) * 10) / 10,
          latencyMs: percentiles(rec.unitLatencies),
          requestLatencyMs,
          responses,
          unexpectedResponses: rec.unexpected,
          connectionErrors,
          timeouts,
          errors: rec.unexpected + connectionErrors + timeouts,
          errorSamples: [...rec.samples].map(([message, count]) => ({ message, count })),
        });
      },
    );
  });
}

// ---- scenarios ---------------------------------------------------------------------------

/** Per-iteration context autocannon hands to setupRequest and onResponse (see above). */
interface Ctx {
  t0?: number;
  t1?: number;
  verifier?: string;
  state?: string;
  code?: string;
  chain?: { token: string };
}

type Setup = (req: autocannon.Request, ctx: Ctx) => autocannon.Request | null;
type OnResponse = (status: number, body: string, ctx: Ctx, headers: Record<string, string | string[]>) => void;

/** autocannon's types say `context: object` and forbid a null request (which it accepts). */
function step(base: autocannon.Request, setup: Setup, onResponse: OnResponse): autocannon.Request {
  return {
    ...base,
    setupRequest: setup as unknown as autocannon.Request["setupRequest"],
    onResponse: onResponse as unknown as autocannon.Request["onResponse"],
  };
}

function header(headers: Record<string, string | string[]>, name: string): string[] {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === name) return Array.isArray(v) ? v : [v];
  return [];
}

const brief = (body: string) => summarizeBody(body);

function tokenOk(status: number, body: string, needRefresh: boolean): { ok: boolean; refresh?: string; problem?: string } {
  if (status !== 200) return { ok: false, problem: brief(body) };
  try {
    const json = JSON.parse(body) as { access_token?: string; refresh_token?: string };
    if (!json.access_token) return { ok: false, problem: `no access_token: ${brief(body)}` };
    if (needRefresh && !json.refresh_token) return { ok: false, problem: `no refresh_token: ${brief(body)}` };
    return { ok: true, refresh: json.refresh_token };
  } catch {
    return { ok: false, problem: `not JSON: ${brief(body)}` };
  }
}

const FORM = "application/x-www-form-urlencoded";

export interface TokenEndpoint {
  tokenPath: string;
  basic: string;
  /** The API (RFC 8707 resource indicator) registered on the server for the resource scenario. */
  resource: string;
}

/**
 * POST token grant_type=client_credentials (no scope: both servers then issue their default),
 * optionally naming the API the token is for (RFC 8707 `resource`): the audience-bound variant.
 */
export function clientCredentials(ep: TokenEndpoint, rec: Recorder, withResource = false): autocannon.Request[] {
  const body = withResource ? `grant_type=client_credentials&resource=${encodeURIComponent(ep.resource)}` : "grant_type=client_credentials";
  return [
    step(
      { method: "POST", path: ep.tokenPath, headers: { "content-type": FORM, authorization: ep.basic }, body },
      (req, ctx) => {
        ctx.t0 = performance.now();
        return req;
      },
      (status, resBody, ctx) => {
        const ms = performance.now() - (ctx.t0 ?? 0);
        const r = tokenOk(status, resBody, false);
        rec.response("token", status, ms, r.ok, r.problem);
        if (r.ok) rec.complete(ms);
      },
    ),
  ];
}

/**
 * Refresh-token rotation: a pool of independent chains; every request takes an idle chain,
 * sends its latest refresh token and puts the chain back with the token the response returned.
 * At most `connections` chains are in flight, so each chain is strictly sequential. A chain whose
 * request fails is dropped (the server may have rotated it); spares keep the pool from running dry.
 */
export function refreshRotation(ep: TokenEndpoint, tokens: string[], rec: Recorder): autocannon.Request[] {
  const pool = tokens.map((token) => ({ token }));
  return [
    step(
      { method: "POST", path: ep.tokenPath, headers: { "content-type": FORM, authorization: ep.basic } },
      (req, ctx) => {
        ctx.chain = pool.shift();
        ctx.t0 = performance.now();
        const token = ctx.chain?.token ?? "no-live-chain-left";
        return { ...req, body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}` };
      },
      (status, resBody, ctx) => {
        const ms = performance.now() - (ctx.t0 ?? 0);
        const r = tokenOk(status, resBody, true);
        rec.response("token", status, ms, r.ok, ctx.chain ? r.problem : "(no live refresh chain left)");
        if (r.ok && ctx.chain && r.refresh) {
          ctx.chain.token = r.refresh;
          pool.push(ctx.chain);
          rec.complete(ms);
        }
      },
    ),
  ];
}

export interface AuthorizeEndpoint extends TokenEndpoint {
  authorizePath: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  /** Cookie header of a signed-in session that has already consented. */
  cookie: string;
}

export function authorizeQuery(ep: Omit<AuthorizeEndpoint, "cookie" | "tokenPath" | "basic" | "resource">, state: string, challenge: string): string {
  return new URLSearchParams({
    response_type: "code",
    client_id: ep.clientId,
    redirect_uri: ep.redirectUri,
    scope: ep.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
}

/** Reads `code` from a redirect to the client; null (and why) when it is anything else. */
export function codeFromRedirect(location: string | undefined, redirectUri: string, state: string): { code: string | null; why?: string } {
  if (!location) return { code: null, why: "no Location" };
  if (!location.startsWith(`${redirectUri}?`)) return { code: null, why: `Location ${location.slice(0, 160)}` };
  const q = new URL(location).searchParams;
  if (q.get("error")) return { code: null, why: `error=${q.get("error")} ${q.get("error_description") ?? ""}` };
  if (q.get("state") !== state) return { code: null, why: "state mismatch" };
  const code = q.get("code");
  return code ? { code } : { code: null, why: `no code in ${location.slice(0, 160)}` };
}

/**
 * The hot authorization-code path, two requests per flow on one connection:
 * GET authorize (signed in, consent given) -> 302/303 with code -> POST token (PKCE verifier).
 * A flow counts when the token response is a 200 with an access token; its latency runs from
 * building the GET to parsing the token response.
 */
export function hotCodeFlow(ep: AuthorizeEndpoint, rec: Recorder): autocannon.Request[] {
  return [
    step(
      { method: "GET", path: ep.authorizePath, headers: { cookie: ep.cookie } },
      (req, ctx) => {
        const { verifier, challenge } = pkcePair();
        ctx.verifier = verifier;
        ctx.state = randomState();
        ctx.code = undefined;
        ctx.t0 = performance.now();
        return { ...req, path: `${ep.authorizePath}?${authorizeQuery(ep, ctx.state, challenge)}` };
      },
      (status, body, ctx, headers) => {
        const ms = performance.now() - (ctx.t0 ?? 0);
        const redirect = status === 302 || status === 303;
        const r = redirect ? codeFromRedirect(header(headers, "location")[0], ep.redirectUri, ctx.state ?? "") : { code: null, why: brief(body) };
        rec.response("authorize", status, ms, r.code !== null, r.why);
        ctx.code = r.code ?? undefined;
      },
    ),
    step(
      { method: "POST", path: ep.tokenPath, headers: { "content-type": FORM, authorization: ep.basic } },
      (req, ctx) => {
        if (!ctx.code) return null; // the authorize step failed: start the next flow
        ctx.t1 = performance.now();
        const body = new URLSearchParams({
          grant_type: "authorization_code",
          code: ctx.code,
          redirect_uri: ep.redirectUri,
          code_verifier: ctx.verifier ?? "",
        }).toString();
        return { ...req, body };
      },
      (status, body, ctx) => {
        const now = performance.now();
        const r = tokenOk(status, body, ep.scope.split(" ").includes("offline_access"));
        rec.response("token", status, now - (ctx.t1 ?? 0), r.ok, r.problem);
        if (r.ok) rec.complete(now - (ctx.t0 ?? 0));
      },
    ),
  ];
}

export interface SignInEndpoint {
  path: string;
  csrfToken: string;
  /** Cookie header carrying next-auth's CSRF cookie (double-submit). */
  cookie: string;
  email: string;
  password: string;
  sessionCookie: string;
}

/** next-auth credentials sign-in: counted when the response sets a session cookie. */
export function passwordSignIn(ep: SignInEndpoint, rec: Recorder): autocannon.Request[] {
  const body = new URLSearchParams({ csrfToken: ep.csrfToken, email: ep.email, password: ep.password, json: "true" }).toString();
  return [
    step(
      { method: "POST", path: ep.path, headers: { "content-type": FORM, cookie: ep.cookie }, body },
      (req, ctx) => {
        ctx.t0 = performance.now();
        return req;
      },
      (status, resBody, ctx, headers) => {
        const ms = performance.now() - (ctx.t0 ?? 0);
        const session = header(headers, "set-cookie").some((c) => c.startsWith(`${ep.sessionCookie}=`) && !c.startsWith(`${ep.sessionCookie}=;`));
        const ok = (status === 200 || status === 302) && session && !/[?&]error=/.test(resBody);
        rec.response("sign-in", status, ms, ok, ok ? undefined : `${session ? "" : "(no session cookie) "}${brief(resBody)}`);
        if (ok) rec.complete(ms);
      },
    ),
  ];
}

/** GET / on the floor server. */
export function trivialGet(rec: Recorder): autocannon.Request[] {
  return [
    step(
      { method: "GET", path: "/" },
      (req, ctx) => {
        ctx.t0 = performance.now();
        return req;
      },
      (status, body, ctx) => {
        const ms = performance.now() - (ctx.t0 ?? 0);
        const ok = status === 200;
        rec.response("GET /", status, ms, ok, ok ? undefined : brief(body));
        if (ok) rec.complete(ms);
      },
    ),
  ];
}
