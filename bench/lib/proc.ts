// Child processes of the benchmark: start them in their own process group, find the process
// that actually serves a port, read its RSS, and stop everything we started, even on failure.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** The last lines the child wrote (stdout and stderr), for error messages. */
  output(): string;
  /** Lines that look like errors or warnings: how many, and the first few. */
  complaints(): { count: number; first: string[] };
  exited: Promise<number | null>;
}

const children = new Set<Child>();
const asyncCleanups: Array<() => Promise<void>> = [];
const tempDirs = new Set<string>();

/** Starts `command args` in a new process group (so the whole tree can be stopped by its id). */
export function startChild(name: string, command: string, args: string[], opts: SpawnOptions = {}): Child {
  const proc = spawn(command, args, { cwd: ROOT, ...opts, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  if (proc.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const lines: string[] = [];
  const complaints = { count: 0, first: [] as string[] };
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line.trim()) continue;
      lines.push(line);
      if (/\b(error|warn(ing)?|unhandled|exception|fatal)\b/i.test(line)) {
        complaints.count++;
        if (complaints.first.length < 3) complaints.first.push(line.trim().slice(0, 200));
      }
    }
    if (lines.length > 200) lines.splice(0, lines.length - 200);
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${name}] ${chunk.toString()}`);
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const child: Child = { name, proc, pid: proc.pid, output: () => lines.slice(-40).join("\n"), complaints: () => complaints, exited };
  children.add(child);
  void exited.then(() => children.delete(child));
  return child;
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/** SIGTERM to the child's process group, SIGKILL after `graceMs`. */
export async function stopChild(child: Child, graceMs = 5000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
    killGroup(child.pid, "SIGKILL"); // grandchildren may outlive their parent
    children.delete(child);
    return;
  }
  killGroup(child.pid, "SIGTERM");
  const timer = setTimeout(() => killGroup(child.pid, "SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
  killGroup(child.pid, "SIGKILL");
  children.delete(child);
}

export function registerTempDir(dir: string) {
  tempDirs.add(dir);
}
export function removeTempDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Asynchronous clean-up (e.g. DROP DATABASE) run by `cleanupAll`, last registered first. */
export function onCleanup(fn: () => Promise<void>): () => void {
  asyncCleanups.push(fn);
  return () => {
    const i = asyncCleanups.indexOf(fn);
    if (i >= 0) asyncCleanups.splice(i, 1);
  };
}

let cleaning: Promise<void> | undefined;
/** Stops every child we started, runs the registered clean-ups, removes temp directories. */
export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all([...children].map((c) => stopChild(c, 3000)));
    for (const fn of asyncCleanups.splice(0).reverse()) {
      await fn().catch((err: unknown) => console.error(`clean-up failed: ${err instanceof Error ? err.message : String(err)}`));
    }
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    tempDirs.clear();
  })();
  return cleaning;
}

/**
 * Runs a script's main (its result is the exit code), then cleans up whatever it started, also
 * when it throws (the error's message, or its stack with `stack`, goes to stderr; exit 1).
 */
export function runMain(main: () => Promise<number>, opts: { stack?: boolean } = {}): void {
  main()
    .then(async (code) => {
      await cleanupAll();
      process.exit(code);
    })
    .catch(async (err: unknown) => {
      console.error(err instanceof Error ? (opts.stack ? (err.stack ?? err.message) : err.message) : err);
      await cleanupAll();
      process.exit(1);
    });
}

/** Last resort on process exit: synchronous, so only signals and file removal. */
process.on("exit", () => {
  for (const c of children) killGroup(c.pid, "SIGKILL");
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `url` until it answers 200; fails early if the child exits. */
export async function waitForHttp(url: string, child: Child, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${child.name} exited before it was ready:\n${child.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  throw new Error(`${child.name} was not ready at ${url} within ${timeoutMs / 1000} s:\n${child.output()}`);
}

// ---- /proc: which process serves a port, and how much memory it holds --------------------

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[1]);
  } catch {
    return null;
  }
}

/** `root` and all its descendants. */
export function processTree(root: number): number[] {
  const all = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
  const kids = new Map<number, number[]>();
  for (const pid of all) {
    const ppid = parentOf(pid);
    if (ppid !== null) kids.set(ppid, [...(kids.get(ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(kids.get(pid) ?? []));
  }
  return out;
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const localPort = parseInt(f[1]!.split(":")[1] ?? "", 16);
      if (localPort === port && f[3] === "0A") inodes.add(f[9]!);
    }
  }
  return inodes;
}

/** The process in `root`'s tree that holds the listening socket of `port` (null if none). */
export function listenerPid(root: number, port: number): number | null {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return null;
  for (const pid of processTree(root)) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return pid;
      } catch {
        /* fd closed meanwhile */
      }
    }
  }
  return null;
}

export interface Memory {
  /** VmRSS of the serving process, MB (10^6 bytes). */
  rssMB: number;
  /** VmHWM (peak RSS) of the serving process, MB. */
  peakRssMB: number;
  /** Sum of VmRSS over the child's whole process tree (wrappers included), MB. */
  treeRssMB: number;
}

function statusKiB(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

const mb = (kib: number) => Math.round((kib * 1024) / 1e5) / 10;

export function memoryOf(servingPid: number, root: number): Memory {
  const tree = processTree(root).reduce((sum, pid) => sum + statusKiB(pid, "VmRSS"), 0);
  return { rssMB: mb(statusKiB(servingPid, "VmRSS")), peakRssMB: mb(statusKiB(servingPid, "VmHWM")), treeRssMB: mb(tree) };
}
