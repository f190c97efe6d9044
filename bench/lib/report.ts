// The results: ratios, the targets of issue 4, the printed table and the JSON file.
import type { JoseFloor } from "./floor";
import type { ScenarioResult } from "./load";
import type { Memory } from "./proc";
import type { TargetKey } from "./target";

export type ScenarioKey = "clientCredentials" | "clientCredentialsResource" | "refreshRotation" | "codeFlow" | "passwordSignIn";

export interface NotRun {
  scenario: string;
  notRun: string;
}
export type Outcome = ScenarioResult | NotRun;
export const ran = (o: Outcome | undefined): o is ScenarioResult => !!o && !("notRun" in o);

export interface TargetResult {
  key: TargetKey;
  label: string;
  notes: string[];
  /** Set when the server could not be started or set up at all. */
  failed?: string;
  memory: { afterWarmup?: Memory; afterLoad?: Memory };
  scenarios: Partial<Record<ScenarioKey, Outcome>>;
  warmups: Partial<Record<ScenarioKey, { completed: number; errors: number; errorSamples: ScenarioResult["errorSamples"] }>>;
}

export interface FloorResult {
  jose?: JoseFloor;
  nodeHttp?: ScenarioResult & { memory?: Memory };
  failed?: string;
}

export interface Ratio {
  name: string;
  numerator: string;
  denominator: string;
  value: number | null;
}

export interface TargetCheck {
  target: string;
  actual: number | null;
  required: string;
  met: boolean | null;
  why?: string;
}

export interface Results {
  startedAt: string;
  finishedAt: string;
  wallClockS: number;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; totalMemGB: number };
  settings: { connections: number; warmupS: number; durationS: number; rounds: number; quick: boolean; loadGenerator: string };
  passwordHash: Record<string, string | number>;
  floor: FloorResult;
  targets: TargetResult[];
  ratios: Ratio[];
  checks: TargetCheck[];
  notes: string[];
}

const SCENARIOS: Array<{ key: ScenarioKey; title: string; unit: string }> = [
  { key: "clientCredentials", title: "client_credentials", unit: "req/s" },
  { key: "clientCredentialsResource", title: "client_credentials + resource", unit: "req/s" },
  { key: "refreshRotation", title: "refresh rotation", unit: "tokens/s" },
  { key: "codeFlow", title: "hot code flow", unit: "flows/s" },
  { key: "passwordSignIn", title: "password sign-in", unit: "sign-ins/s" },
];

function rate(t: TargetResult | undefined, key: ScenarioKey): number | null {
  const o = t?.scenarios[key];
  return ran(o) && o.completed > 0 ? o.perSecond : null;
}

const clean = (t: TargetResult | undefined, key: ScenarioKey) => {
  const o = t?.scenarios[key];
  return ran(o) && o.errors === 0;
};

const div = (a: number | null | undefined, b: number | null | undefined) =>
  a != null && b != null && b > 0 ? Math.round((a / b) * 1000) / 1000 : null;

export function ratiosAndChecks(targets: TargetResult[], floor: FloorResult): { ratios: Ratio[]; checks: TargetCheck[] } {
  const by = (k: TargetKey) => targets.find((t) => t.key === k);
  const op = by("oidcProvider");
  const ratios: Ratio[] = [];
  const checks: TargetCheck[] = [];
  const floorHttp = floor.nodeHttp && floor.nodeHttp.completed > 0 ? floor.nodeHttp.perSecond : null;
  const jose = floor.jose?.perSecond ?? null;

  for (const [key, required] of [["latchkeySqlite", 1.5], ["latchkeyPostgres", 1]] as const) {
    const lk = by(key);
    if (!lk) continue;
    // Every scenario but password sign-in, which oidc-provider does not have (no user store).
    for (const s of SCENARIOS.filter((x) => x.key !== "passwordSignIn")) {
      const value = div(rate(lk, s.key), rate(op, s.key));
      ratios.push({ name: `${lk.label} / oidc-provider, ${s.title}`, numerator: `${lk.label} ${s.unit}`, denominator: `oidc-provider ${s.unit}`, value });
      if (op) {
        const bothClean = clean(lk, s.key) && clean(op, s.key);
        checks.push({
          target: `${lk.label} ${s.title} >= ${required}x oidc-provider`,
          actual: value,
          required: `>= ${required}`,
          met: value === null ? null : value >= required && bothClean,
          ...(value !== null && !bothClean ? { why: "errors during the run" } : {}),
          ...(value === null ? { why: "not measured" } : {}),
        });
      }
    }
  }
  for (const t of targets) {
    const cc = rate(t, "clientCredentials");
    ratios.push({ name: `${t.label} / node:http floor, client_credentials`, numerator: `${t.label} req/s`, denominator: "node:http req/s", value: div(cc, floorHttp) });
    ratios.push({ name: `${t.label} client_credentials / jose ES256 signatures (one core)`, numerator: `${t.label} req/s`, denominator: "jose signatures/s", value: div(cc, jose) });
    if (t.key === "latchkeySqlite") {
      const value = div(cc, floorHttp);
      checks.push({
        target: `${t.label} client_credentials >= 15% of the node:http floor`,
        actual: value,
        required: ">= 0.15",
        met: value === null ? null : value >= 0.15 && clean(t, "clientCredentials"),
        ...(value === null ? { why: "not measured" } : !clean(t, "clientCredentials") ? { why: "errors during the run" } : {}),
      });
    }
    if (t.key !== "oidcProvider") {
      const rss = t.memory.afterLoad?.rssMB ?? null;
      checks.push({
        target: `${t.label} RSS after load <= 300 MB`,
        actual: rss,
        required: "<= 300",
        met: rss === null ? null : rss <= 300,
        ...(rss === null ? { why: "not measured" } : {}),
      });
    }
  }
  return { ratios, checks };
}

// ---- printing ------------------------------------------------------------------------------

const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US");
const fmtMs = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0)) : "-");

function table(rows: string[][], header?: string[]): string {
  const all = header ? [header, ...rows] : rows;
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  const out = all.map(line);
  if (header) out.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  return out.join("\n");
}

function cell(o: Outcome | undefined, what: "rate" | "lat" | "err" | "cpu" | "pg" | "load"): string {
  if (!o) return "-";
  if (!ran(o)) return what === "rate" ? o.notRun.startsWith("n/a") ? "n/a" : "not run" : "";
  if (what === "rate") return fmtInt(o.perSecond);
  if (what === "lat") return `${fmtMs(o.latencyMs.p50)} / ${fmtMs(o.latencyMs.p99)}`;
  if (what === "cpu") return o.cpu ? `${o.cpu.serverUs} (${o.cpu.mainThreadUs})` : "-";
  if (what === "pg") return o.cpu?.postgresUs !== undefined ? String(o.cpu.postgresUs) : "-";
  if (what === "load") return o.cpu ? `${o.cpu.loadGeneratorUs} / ${o.cpu.machineBusyPct}%` : "-";
  return o.errors === 0 ? "0" : `${fmtInt(o.errors)} !`;
}

export function render(r: Results): string {
  const out: string[] = [];
  const s = r.settings;
  out.push(`Latchkey benchmark — ${r.startedAt}`);
  out.push(
    `${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}; ${s.loadGenerator}, ${s.connections} connections, ` +
      `per scenario and server ${s.warmupS} s warm-up + ${s.rounds} × ${s.durationS} s measured, the servers' rounds alternated${s.quick ? " (--quick)" : ""}`,
  );
  out.push("");

  const header = ["", ...r.targets.map((t) => t.label)];
  const rows: string[][] = [];
  for (const sc of SCENARIOS) {
    rows.push([`${sc.title} ${sc.unit}`, ...r.targets.map((t) => cell(t.scenarios[sc.key], "rate"))]);
    rows.push(["  p50 / p99 ms", ...r.targets.map((t) => cell(t.scenarios[sc.key], "lat"))]);
    rows.push(["  errors", ...r.targets.map((t) => cell(t.scenarios[sc.key], "err"))]);
    rows.push(["  CPU µs: server (main thread)", ...r.targets.map((t) => cell(t.scenarios[sc.key], "cpu"))]);
    if (r.targets.some((t) => cell(t.scenarios[sc.key], "pg") !== "-")) rows.push(["  CPU µs: PostgreSQL", ...r.targets.map((t) => cell(t.scenarios[sc.key], "pg"))]);
    rows.push(["  CPU µs: load gen. / busy", ...r.targets.map((t) => cell(t.scenarios[sc.key], "load"))]);
  }
  const mem = (m: Memory | undefined) => (m ? `${m.rssMB.toFixed(0)} (tree ${m.treeRssMB.toFixed(0)})` : "-");
  rows.push(["RSS after warm-up MB", ...r.targets.map((t) => mem(t.memory.afterWarmup))]);
  rows.push(["RSS after load MB", ...r.targets.map((t) => mem(t.memory.afterLoad))]);
  out.push(table(rows, header));
  out.push("");

  const f = r.floor;
  out.push("Floor (same run):");
  if (f.jose) out.push(`  jose ES256 signing, one core:      ${fmtInt(f.jose.perSecond)} signatures/s`);
  if (f.nodeHttp) {
    out.push(
      `  node:http 200 {} at c=${s.connections}:        ${fmtInt(f.nodeHttp.perSecond)} req/s, p50 / p99 ${fmtMs(f.nodeHttp.latencyMs.p50)} / ${fmtMs(f.nodeHttp.latencyMs.p99)} ms` +
        `${f.nodeHttp.cpu ? `; CPU per request ${f.nodeHttp.cpu.serverUs} µs server, ${f.nodeHttp.cpu.loadGeneratorUs} µs load generator` : ""}` +
        `${f.nodeHttp.errors ? `, ${f.nodeHttp.errors} errors !` : ""}`,
    );
  }
  if (f.failed) out.push(`  floor failed: ${f.failed}`);
  out.push("");

  out.push(table(
    r.ratios.map((x) => [x.name, x.value === null ? "-" : x.value.toFixed(2)]),
    ["Ratio", "value"],
  ));
  out.push("");
  if (r.checks.length === 0) out.push("Targets (issue 4): none measured (they need Latchkey and oidc-provider in the same run).");
  else out.push(table(
    r.checks.map((c) => [c.target, c.actual === null ? "-" : c.actual.toFixed(2), c.met === null ? "not measured" : c.met ? "met" : `MISSED${c.why ? ` (${c.why})` : ""}`]),
    ["Target (issue 4)", "actual", ""],
  ));
  out.push("");

  out.push(`Password sign-in is bounded by argon2id: ${Object.entries(r.passwordHash).map(([k, v]) => `${k} ${v}`).join(", ")}.`);
  for (const n of r.notes) out.push(`- ${n}`);
  for (const t of r.targets) for (const n of t.notes) out.push(`- ${t.label}: ${n}`);

  const problems: string[] = [];
  for (const t of r.targets) {
    if (t.failed) problems.push(`${t.label}: could not run: ${t.failed}`);
    for (const [key, o] of Object.entries(t.scenarios)) {
      if (!o) continue;
      if (!ran(o)) {
        if (!o.notRun.startsWith("n/a")) problems.push(`${t.label} ${key}: not run: ${o.notRun}`);
        continue;
      }
      if (o.errors > 0) {
        problems.push(
          `${t.label} ${key}: ${o.errors} errors (${o.unexpectedResponses} unexpected responses, ${o.connectionErrors} connection errors, ${o.timeouts} timeouts); responses ${JSON.stringify(o.responses)}`,
        );
        for (const e of o.errorSamples) problems.push(`    ${e.count} × ${e.message}`);
      }
    }
    for (const [key, w] of Object.entries(t.warmups)) {
      if (w && w.errors > 0) {
        problems.push(`${t.label} ${key} warm-up: ${w.errors} errors`);
        for (const e of w.errorSamples) problems.push(`    ${e.count} × ${e.message}`);
      }
    }
  }
  if (problems.length) {
    out.push("");
    out.push("PROBLEMS (a benchmark of errors is worthless):");
    out.push(...problems.map((p) => `  ${p}`));
  }
  return out.join("\n");
}
