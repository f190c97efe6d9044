// The arithmetic behind the benchmark's pooled rounds and CPU per unit (bench/lib/load.ts,
// bench/lib/cpu.ts): a wrong sum here would print a wrong ratio against issue 4's targets.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cpuPerUnit, type CpuSample } from "./cpu";
import { pooled, Recorder, type ScenarioResult } from "./load";

function round(latencies: number[], durationS: number, extra: Partial<ScenarioResult> = {}) {
  const rec = new Recorder();
  for (const ms of latencies) {
    rec.response("POST /token", 200, ms, true);
    rec.complete(ms);
  }
  const result: ScenarioResult = {
    scenario: "client_credentials",
    unit: "req/s",
    durationS,
    completed: latencies.length,
    perSecond: latencies.length / durationS,
    latencyMs: { count: 0, p50: 0, p90: 0, p99: 0, max: 0 },
    requestLatencyMs: {},
    responses: { "POST /token": { "200": latencies.length } },
    unexpectedResponses: 0,
    connectionErrors: 0,
    timeouts: 0,
    errors: 0,
    errorSamples: [],
    ...extra,
  };
  return { rec, result };
}

describe("pooled rounds", () => {
  it("adds completions and seconds, and takes percentiles over every round's latencies", () => {
    const a = round([1, 1, 1, 1], 1);
    const b = round([9, 9, 9, 9, 9, 9, 9, 9], 4);
    const p = pooled([a, b]);
    expect(p.completed).toBe(12);
    expect(p.durationS).toBe(5);
    expect(p.perSecond).toBe(2.4); // 12 / 5, not the mean of 4 and 2 per second
    expect(p.latencyMs).toMatchObject({ count: 12, p50: 9, max: 9 });
    expect(p.requestLatencyMs["POST /token"]).toMatchObject({ count: 12 });
    expect(p.responses).toEqual({ "POST /token": { "200": 12 } });
    expect(p.rounds).toEqual([
      { perSecond: 4, completed: 4, durationS: 1 },
      { perSecond: 2, completed: 8, durationS: 4 },
    ]);
  });

  it("adds errors and keeps their samples", () => {
    const a = round([1], 1, { unexpectedResponses: 2, errors: 2, errorSamples: [{ message: "POST /token: HTTP 500", count: 2 }] });
    const b = round([1], 1, { timeouts: 1, errors: 1, errorSamples: [{ message: "POST /token: HTTP 500", count: 1 }] });
    const p = pooled([a, b]);
    expect([p.errors, p.unexpectedResponses, p.timeouts]).toEqual([3, 2, 1]);
    expect(p.errorSamples).toEqual([{ message: "POST /token: HTTP 500", count: 3 }]);
  });

  it("weighs each round's CPU per unit by its units, and how busy the machine was by its seconds", () => {
    const cpu = (serverUs: number, postgresUs?: number, machineBusyPct = 50) => ({ serverUs, mainThreadUs: serverUs / 2, loadGeneratorUs: serverUs / 10, machineBusyPct, ...(postgresUs === undefined ? {} : { postgresUs }) });
    const a = round([1], 3, { cpu: cpu(100, 40, 90) });
    const b = round([1, 1, 1], 1, { cpu: cpu(200, 80, 50) });
    // 3 s at 90% and 1 s at 50% busy: 80%, whatever the units of each round.
    expect(pooled([a, b]).cpu).toEqual({ serverUs: 175, mainThreadUs: 88, postgresUs: 70, loadGeneratorUs: 18, machineBusyPct: 80 });
    // PostgreSQL's share only when every round measured it.
    expect(pooled([round([1], 1, { cpu: cpu(100) }), b]).cpu).not.toHaveProperty("postgresUs");
  });
});

describe("CPU per unit", () => {
  const hz = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  const sample = (threads: Array<[number, number]>, postgres: Array<[number, number]> | null, selfUs: number, busy: number, all: number, proc = 0): CpuSample => ({
    pid: 7,
    process: proc,
    threads: new Map(threads),
    postgres: postgres && new Map(postgres),
    self: { user: selfUs, system: 0 },
    machine: { busy, all },
  });

  it("splits the server's main thread from its other threads; what started meanwhile counts from zero", () => {
    const before = sample([[7, 100], [8, 50]], [[20, 10], [21, 10]], 1_000, 1_000, 4_000, 150);
    // Thread 9 started during the phase; PostgreSQL backend 21 ended (its count is gone), 22 started.
    // The process's own count (2 s more) also holds a thread that ended meanwhile.
    const after = sample([[7, 100 + hz], [8, 50 + hz / 2], [9, hz / 10]], [[20, 10 + hz / 4], [22, hz / 20]], 1_000 + 250_000, 2_500, 6_000, 150 + 2 * hz);
    expect(cpuPerUnit(before, after, 1000)).toEqual({
      serverUs: 2000, // the process: 2 s of ticks over 1,000 units
      mainThreadUs: 1000,
      postgresUs: 300,
      loadGeneratorUs: 250,
      machineBusyPct: 75,
    });
  });

  it("says nothing for a phase without units or across two different processes", () => {
    const s = sample([[7, 0]], null, 0, 0, 1);
    expect(cpuPerUnit(s, s, 0)).toBeUndefined();
    expect(cpuPerUnit(s, { ...s, pid: 8 }, 10)).toBeUndefined();
    expect(cpuPerUnit(s, s, 10)).not.toHaveProperty("postgresUs");
    // PostgreSQL asked for, but no server process on this machine (a remote server): no figure, not 0.
    const remote = sample([[7, 0]], [], 0, 0, 1);
    expect(cpuPerUnit(remote, remote, 10)).not.toHaveProperty("postgresUs");
  });
});
