// CPU time per counted unit (token, flow, sign-in) during a measured phase, read from /proc:
// the server's threads (its main thread apart from the rest: workers, libuv's pool, GC helpers),
// PostgreSQL's processes, and this process (the load generator). Both servers and the load
// generator share the machine's 2 cores, so these say where the cores went, which requests/s
// alone cannot: a server whose main thread is saturated cannot go faster by waiting less, one
// whose threads together use the machine cannot go faster by spreading the work.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export interface CpuPerUnit {
  /** All threads of the serving process, µs per unit. */
  serverUs: number;
  /** Its main thread (the event loop that parses, signs and answers). */
  mainThreadUs: number;
  /** PostgreSQL's server processes on this machine (all of them, background work included: the
   * bench is alone on this server); absent when none runs here. A backend that ended during the
   * phase took its count along. */
  postgresUs?: number;
  /** This process: autocannon and the scenario's own checks of each response. */
  loadGeneratorUs: number;
  /** Share of both cores busy (any process; time stolen by the hypervisor is not busy), %. */
  machineBusyPct: number;
}

export interface CpuSample {
  pid: number;
  /** The whole process: its live threads and those that ended. */
  process: number;
  threads: Map<number, number>;
  postgres: Map<number, number> | null;
  self: NodeJS.CpuUsage;
  machine: { busy: number; all: number };
}

let hz: number | undefined;
/** Clock ticks per second of /proc's counters (USER_HZ; 100 on Linux unless built otherwise). */
function ticksPerSecond(): number {
  if (hz === undefined) {
    const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
    const n = Number(r.stdout?.trim());
    hz = Number.isFinite(n) && n > 0 ? n : 100;
  }
  return hz;
}

/** utime + stime of a /proc/<pid>[/task/<tid>]/stat line; the command may hold spaces and ")". */
function statTicks(file: string): { comm: string; ticks: number } | null {
  try {
    const s = readFileSync(file, "utf8");
    const close = s.lastIndexOf(")");
    const f = s.slice(close + 2).split(" ");
    return { comm: s.slice(s.indexOf("(") + 1, close), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null; // gone meanwhile
  }
}

function threadTicks(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    const t = statTicks(`/proc/${pid}/task/${tid}/stat`);
    if (t) out.set(Number(tid), t.ticks);
  }
  return out;
}

function postgresTicks(): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const t = statTicks(`/proc/${d}/stat`);
    if (t && (t.comm === "postgres" || t.comm === "postmaster")) out.set(Number(d), t.ticks);
  }
  return out;
}

function machineTicks(): { busy: number; all: number } {
  // cpu  user nice system idle iowait irq softirq steal ...
  const f = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const all = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: all - (f[3] ?? 0) - (f[4] ?? 0) - (f[7] ?? 0), all };
}

export function cpuSample(pid: number, postgres: boolean): CpuSample {
  return {
    pid,
    process: statTicks(`/proc/${pid}/stat`)?.ticks ?? 0,
    threads: threadTicks(pid),
    postgres: postgres ? postgresTicks() : null,
    self: process.cpuUsage(),
    machine: machineTicks(),
  };
}

/** Ticks gained between the samples: a thread or process that started meanwhile counts from 0; one
 * that ended meanwhile took its count along (PostgreSQL backends of a pool live through a phase). */
function gained(a: Map<number, number>, b: Map<number, number>, only?: number): number {
  let sum = 0;
  for (const [id, t] of b) if (only === undefined || id === only) sum += t - (a.get(id) ?? 0);
  return sum;
}

export function cpuPerUnit(a: CpuSample, b: CpuSample, units: number): CpuPerUnit | undefined {
  if (units <= 0 || a.pid !== b.pid) return undefined;
  const us = (ticks: number) => Math.round(((ticks / ticksPerSecond()) * 1e6) / units);
  const self = { user: b.self.user - a.self.user, system: b.self.system - a.self.system };
  const m = { busy: b.machine.busy - a.machine.busy, all: b.machine.all - a.machine.all };
  return {
    serverUs: us(b.process - a.process),
    mainThreadUs: us(gained(a.threads, b.threads, a.pid)),
    ...(a.postgres?.size && b.postgres?.size ? { postgresUs: us(gained(a.postgres, b.postgres)) } : {}),
    loadGeneratorUs: Math.round((self.user + self.system) / units),
    machineBusyPct: m.all > 0 ? Math.round((100 * m.busy) / m.all) : 0,
  };
}
