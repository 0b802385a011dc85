/**
 * The benchmark suite: pysocket against raw Deno (`Deno.listen`,
 * `Deno.connect`, `Deno.listenDatagram`, the limit this runtime sets),
 * Python's `socket` (`python3`) and Node's `net` / `dgram` (`node`), on
 * loopback, in one run. Prints a Markdown table per workload, ratios side
 * by side, and writes them with every repetition to `bench/RESULTS.md`.
 *
 * ```sh
 * deno task bench            # full suite, about 8 minutes on 2 cores
 * deno task bench --quick    # smaller sizes, one repetition, about a minute
 * deno task bench --only=echo,idle --reps=3
 * deno task bench --only=echo --clients=1000 --match="raw,pysocket," --module=../other-checkout
 * ```
 *
 * Sections (`--only=<a,b>`): bulk, pingpong, accept, echo (servers under
 * 10 / 100 / 1,000 clients: requests/s and server CPU per request), idle
 * (memory per connection at 1,000 and 10,000 connections, never read and
 * after one exchange, each mode), multicore (`examples/multicore_echo.ts`
 * with 1 and 2 processes), lines, udp, timeout, and tls / select when
 * `_tls.ts` / `_select.ts` are there.
 *
 * Other options: `--reps=<n>`; `--client=node` (drive the server
 * workloads with the Node client even where `cc` exists); `--clients=<n,…>` (echo tables for these
 * client counts only); `--match=<a,b>` (only rows whose label contains one
 * of these); `--module=<dir>` (benchmark the pysocket checkout in `dir`
 * instead of this one, to compare versions); `--out=<file>` (where to
 * write the Markdown; by default only a full, unfiltered run writes, to
 * `bench/RESULTS.md`).
 *
 * Every measurement runs in a fresh process (`_worker.ts` for the Deno
 * variants, an embedded script for Python and Node) killed at a deadline,
 * and checks its own result (byte counts, sampled pattern bytes, sequence
 * numbers, line counts and lengths, echoed requests): a mismatch is
 * printed as FAILED and the process exits with status 1 at the end. The
 * server workloads run the server in one process and the clients in
 * another (`client.c`, compiled with `cc` when there is one, else the Node
 * script in `_client.ts`). Every process runs with its open-file limit
 * raised to the hard limit (`ulimit -n`): the 10,000-connection rows need
 * 10,200 and are skipped, with a note, below that.
 *
 * @module
 */

import {
  ECHO_SIZE,
  expectedLines,
  median,
  type Params,
  type Result,
  SERVER_TIMEOUT,
  type ServerMode,
} from "./_common.ts";
import { PYTHON_SCRIPT } from "./_python.ts";
import { NODE_SCRIPT } from "./_node.ts";
import { CLIENT_SCRIPT, type ClientParams, type ClientResult } from "./_client.ts";

/** Who runs the measured side; "example": `examples/multicore_echo.ts`. */
type Peer = "raw" | "pysocket" | "python" | "node" | "example";
type RefName = "raw" | "python" | "blocking" | "base";

/** One line of a table: a variant measured `reps` times. */
interface Row {
  key: string;
  label: string;
  peer: Peer;
  params: Params;
  pinned?: boolean;
  /**
   * A server workload: the row's process is the server, and this Node
   * client (`_client.ts`) drives it from another process.
   */
  client?: Omit<ClientParams, "port" | "pids" | "ticks">;
  /** Keys of the rows this one is compared with, by reference name. */
  refs: Partial<Record<RefName, string>>;
}

interface Column {
  name: string;
  /** A figure: the median of this field over the repetitions. */
  field?: string;
  /** A comparison with the row named by `ref` in the row's `refs`. */
  compare?: {
    field: string;
    ref: RefName;
    /** ratio: mine / ref; cost: ref / mine (for costs, > 1 is cheaper); diff: mine - ref. */
    kind: "ratio" | "cost" | "diff";
  };
  digits?: number;
}

interface Table {
  name: string;
  title: string;
  /** How many times each row is measured (the figures are medians). */
  reps: number;
  /** Its share of the time budget, relative to the other tables. */
  weight: number;
  columns: Column[];
  rows: Row[];
  /** Figures of one successful repetition. */
  figures(r: Result, row: Row): Record<string, number>;
  /** Why a result is wrong, or null when it checks out. */
  check(r: Result, row: Row): string | null;
  notes: string[];
}

type Outcome =
  | { kind: "ok"; result: Result }
  | { kind: "failed"; reason: string }
  | { kind: "unavailable"; reason: string }
  | { kind: "error"; reason: string };

const HERE = new URL(".", import.meta.url);
/** The checkout whose examples the multicore rows run. */
const MODULE_ROOT = new URL("../", import.meta.url);
const WORKER = new URL("_worker.ts", HERE).pathname;
const MIB = 1024 * 1024;

// ---------------------------------------------------------------- options

const args = Deno.args;
const QUICK = args.includes("--quick");
const ONLY = optionValue("only")?.split(",");
const REPS_OPTION = optionValue("reps");
/** Repetitions of a table: `--reps`, else 1 in a quick run, else `full`. */
function reps(full: number): number {
  return REPS_OPTION ? Number(REPS_OPTION) : QUICK ? 1 : full;
}
const MODULE = optionValue("module");
/** `--match=a,b`: only rows whose label contains one of these. */
const MATCH = optionValue("match")?.split(",");
/** `--client=node`: drive the server workloads with the Node client even where `cc` exists. */
const CLIENT_OPTION = optionValue("client");
/** `--clients=1000`: the echo tables for these client counts only. */
const CLIENTS = optionValue("clients")?.split(",").map(Number);
const OUT = optionValue("out") ??
  // Only a complete, standard run replaces the published results.
  (QUICK || ONLY || MODULE || REPS_OPTION || MATCH || CLIENTS || CLIENT_OPTION
    ? null
    : new URL("RESULTS.md", HERE).pathname);
/** The whole run stays under this; later repetitions are skipped past it. */
const BUDGET_S = QUICK ? 90 : 600;
/** Each process is killed after this many seconds. */
const DEADLINE_S = QUICK ? 15 : 60;

const SIZE = QUICK
  ? {
    bulk: 64 * MIB,
    rounds: 5_000,
    warmup: 500,
    cycles: 1_000,
    idle: 500,
    blocks: 50,
    udp: 50_000,
    echoWarmup: 0.3,
    echoSeconds: 0.7,
    idleCounts: [1_000],
  }
  : {
    bulk: 256 * MIB,
    rounds: 20_000,
    warmup: 2_000,
    cycles: 5_000,
    idle: 2_000,
    blocks: 200,
    udp: 200_000,
    echoWarmup: 0.4,
    echoSeconds: 1.2,
    idleCounts: [1_000, 10_000],
  };

/** Client counts of the echo tables. */
const ECHO_CLIENTS = [10, 100, 1_000];
/** Open files a server process needs beyond its connections. */
const SPARE_FDS = 200;
/**
 * Connections accepted before the first memory snapshot: they grow the
 * heap and the allocator's arenas to a working size first, so the growth
 * measured after is what the next connections cost.
 */
const IDLE_WARM = 1_000;

function optionValue(name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

// ----------------------------------------------------------- environment

interface Environment {
  python: string | null;
  node: string | null;
  taskset: boolean;
  cpu: string;
  cores: number;
  /** Open-file limit the bench's processes get (`ulimit -n`, raised to the hard limit). */
  fdLimit: number;
  /** Clock ticks per second of `/proc/<pid>/stat`. */
  ticks: number;
  /** The server workloads' client: the compiled `client.c`, or "node", or none. */
  client: string | null;
}

/**
 * Compiles `client.c` with `cc -O2` into a temporary directory; null
 * without a compiler (the Node client is used then).
 */
async function compileClient(): Promise<string | null> {
  const dir = await Deno.makeTempDir({ prefix: "pysocket-bench-" });
  const exe = `${dir}/client`;
  const src = new URL("client.c", HERE).pathname;
  return await output("cc", ["-O2", "-o", exe, src]) === null ? null : exe;
}

/** What `cmd args…` prints (stdout then stderr), or null if it fails. */
async function output(cmd: string, args: string[]): Promise<string | null> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(10_000),
    }).output();
    if (!out.success) return null;
    return new TextDecoder().decode(out.stdout) +
      new TextDecoder().decode(out.stderr);
  } catch {
    return null;
  }
}

async function version(cmd: string): Promise<string | null> {
  return (await output(cmd, ["--version"]))?.trim().split("\n")[0] ?? null;
}

async function environment(): Promise<Environment> {
  let cpu = "unknown CPU";
  let info = "";
  try {
    info = await Deno.readTextFile("/proc/cpuinfo");
  } catch {
    // Deno wants --allow-all for /proc; without it, ask cat (not Linux:
    // neither works, and the CPU stays unknown).
    info = await output("cat", ["/proc/cpuinfo"]) ?? "";
  }
  cpu = info.match(/^model name\s*:\s*(.+)$/m)?.[1].trim() ?? cpu;
  const [python, node, taskset, limit, ticks, compiled] = await Promise.all([
    version("python3"),
    version("node"),
    version("taskset"),
    output("sh", ["-c", RAISE_FD_LIMIT + "ulimit -n"]),
    output("getconf", ["CLK_TCK"]),
    compileClient(),
  ]);
  const nodeVersion = node?.match(/^v(\d+\.\S+)$/)?.[1] ?? null;
  return {
    python: python?.replace(/^Python /, "") ?? null,
    // Without node on the PATH, Deno runs "node" itself: check the answer.
    node: nodeVersion,
    taskset: taskset !== null,
    cpu,
    cores: navigator.hardwareConcurrency,
    fdLimit: limit?.trim() === "unlimited" ? Infinity : Number(limit?.trim() ?? 1024) || 1024,
    ticks: Number(ticks?.trim()) || 100,
    client: (CLIENT_OPTION === "node" ? null : compiled) ?? (nodeVersion ? "node" : null),
  };
}

/** What drives the server workloads, for the notes. */
function clientName(env: Environment): string {
  return env.client === "node"
    ? "`_client.ts`, Node `net`: no C compiler here"
    : "`client.c`, one epoll loop, compiled with `cc -O2`";
}

/** The C client's command line for `p` (see the top of `client.c`). */
function clientArgs(p: ClientParams): string[] {
  return [
    p.kind,
    String(p.port),
    String(p.clients),
    String(p.size),
    String(p.warmup ?? 0),
    String(p.seconds ?? 1),
    String(p.ticks ?? 100),
    ...(p.pids ?? []).map(String),
  ];
}

/**
 * Raises the soft open-file limit to the hard one (thousands of
 * connections need as many descriptors). Every process the bench starts
 * runs under it: `sh -c "$RAISE_FD_LIMIT exec cmd args…"`.
 */
const RAISE_FD_LIMIT = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 65536 2>/dev/null; ';

/** `cmd argv` under the raised open-file limit (the pid stays `cmd`'s: `exec`). */
function withFdLimit(cmd: string, argv: string[]): [string, string[]] {
  return ["sh", ["-c", RAISE_FD_LIMIT + 'exec "$@"', "sh", cmd, ...argv]];
}

/** The 1-minute load average (other work on the machine skews figures). */
async function loadAverage(): Promise<string> {
  const text = await output("cat", ["/proc/loadavg"]);
  return text?.split(" ")[0] ?? "unknown";
}

// ------------------------------------------------------------- processes

function command(row: Row, env: Environment): [string, string[]] {
  const gc = row.params.workload === "idle";
  let cmd: string;
  let argv: string[];
  if (
    row.peer === "raw" || row.peer === "pysocket" || row.params.workload === "select" ||
    row.params.workload === "tls"
  ) {
    cmd = Deno.execPath();
    argv = [
      "run",
      "-q",
      "--unstable-net",
      "-A",
      ...(gc ? ["--v8-flags=--expose-gc,--max-semi-space-size=1"] : []),
      WORKER,
      JSON.stringify({
        ...row.params,
        peer: row.peer,
        deadline: DEADLINE_S - 2,
        ...(MODULE ? { module: MODULE } : {}),
      }),
    ];
  } else if (row.peer === "example") {
    cmd = Deno.execPath();
    const root = MODULE
      ? new URL(MODULE.endsWith("/") ? MODULE : `${MODULE}/`, `file://${Deno.cwd()}/`)
      : MODULE_ROOT;
    const example = new URL("examples/multicore_echo.ts", root).pathname;
    const workers = row.params.workload === "multicore" ? row.params.workers : 1;
    argv = ["run", "-q", "--unstable-net", "-A", example, `--workers=${workers}`, "--port=0"];
  } else if (row.peer === "python") {
    cmd = "python3";
    argv = ["-c", PYTHON_SCRIPT, JSON.stringify(row.params)];
  } else {
    cmd = "node";
    argv = [
      ...(gc ? ["--expose-gc", "--max-semi-space-size=1"] : []),
      "-e",
      NODE_SCRIPT,
      JSON.stringify(row.params),
    ];
  }
  if (row.pinned && env.taskset) {
    argv = ["-c", "0", cmd, ...argv];
    cmd = "taskset";
  }
  return withFdLimit(cmd, argv);
}

/**
 * Runs a process to completion or until `deadline` seconds, calling
 * `onLine` for each line of its standard output as it comes.
 */
async function runProcess(
  cmd: string,
  argv: string[],
  deadline: number,
  onLine: (line: string) => void = () => {},
  stdin: "null" | "piped" = "null",
): Promise<{ lines: string[]; stderr: string; code: number; killed: boolean }> {
  const child = new Deno.Command(cmd, {
    args: argv,
    stdin,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }, deadline * 1000);
  const lines: string[] = [];
  const readOut = (async () => {
    let carry = "";
    for await (
      const text of child.stdout.pipeThrough(new TextDecoderStream())
    ) {
      const parts = (carry + text).split("\n");
      carry = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        onLine(line);
      }
    }
    if (carry) {
      lines.push(carry);
      onLine(carry);
    }
  })();
  const readErr = new Response(child.stderr).text();
  if (stdin === "piped") await child.stdin.close();
  const [status, stderr] = await Promise.all([child.status, readErr, readOut]);
  clearTimeout(timer);
  return { lines, stderr, code: status.code, killed };
}

/** Runs one measurement of `row` and classifies what came back. */
async function measure(row: Row, env: Environment): Promise<Outcome> {
  if (row.client) return await measureWithClient(row, env);
  const [cmd, argv] = command(row, env);
  let holder: Deno.ChildProcess | undefined;
  let holderTimer: ReturnType<typeof setTimeout> | undefined;
  const onLine = (line: string) => {
    const m = line.match(/^PORT (\d+)$/);
    if (!m || row.params.workload !== "idle" || holder) return;
    const n = row.params.warm + row.params.count;
    const [hcmd, hargv] = withFdLimit(Deno.execPath(), [
      "run",
      "-q",
      "-A",
      WORKER,
      JSON.stringify({
        workload: "hold",
        port: Number(m[1]),
        count: n,
        exchange: row.params.exchange ?? false,
      }),
    ]);
    holder = new Deno.Command(hcmd, {
      args: hargv,
      stdin: "piped",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const h = holder;
    holderTimer = setTimeout(() => h.kill("SIGKILL"), DEADLINE_S * 1000);
  };
  let out;
  try {
    out = await runProcess(cmd, argv, DEADLINE_S, onLine);
  } finally {
    if (holder) {
      await holder.stdin.close().catch(() => {});
      await holder.status;
      clearTimeout(holderTimer);
    }
  }
  const last = out.lines.filter((l) => l.trim().startsWith("{")).at(-1);
  const unavailable = (reason: string): Outcome =>
    row.peer === "pysocket" ? { kind: "unavailable", reason } : { kind: "error", reason };
  if (out.killed) return unavailable(`timed out after ${DEADLINE_S} s`);
  if (last === undefined) {
    const err = out.stderr.trim().split("\n").filter(Boolean).at(-1) ??
      `exit code ${out.code}`;
    return unavailable(err.slice(0, 160));
  }
  const result = JSON.parse(last) as Result;
  if (result.unavailable) return unavailable(result.unavailable);
  if (result.error) return unavailable(result.error);
  return { kind: "ok", result };
}

/**
 * A server workload: starts the row's server process, waits for it to say
 * where it listens (`PORT n`, or the multicore example's `worker <pid>
 * listening on …:n` lines and `ready`), runs the Node client against it
 * (which reads the server processes' CPU time itself), then kills the
 * server processes.
 */
async function measureWithClient(row: Row, env: Environment): Promise<Outcome> {
  const unavailable = (reason: string): Outcome =>
    row.peer === "pysocket" || row.peer === "example"
      ? { kind: "unavailable", reason }
      : { kind: "error", reason };
  if (!env.client) return unavailable("the client needs a C compiler (cc) or node");
  const [cmd, argv] = command(row, env);
  const server = new Deno.Command(cmd, {
    args: argv,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const pids: number[] = [];
  let port = 0;
  let ready!: (ok: boolean) => void;
  const started = new Promise<boolean>((r) => (ready = r));
  const lines: string[] = [];
  const readOut = (async () => {
    let carry = "";
    for await (const text of server.stdout.pipeThrough(new TextDecoderStream())) {
      const parts = (carry + text).split("\n");
      carry = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        const single = line.match(/^PORT (\d+)$/);
        const worker = line.match(/^worker (\d+) listening on .*:(\d+)$/);
        if (single) {
          port = Number(single[1]);
          pids.push(server.pid);
          ready(true);
        } else if (worker) {
          pids.push(Number(worker[1]));
          port = Number(worker[2]);
        } else if (line.startsWith("ready:")) ready(true);
      }
    }
    ready(false);
  })();
  const readErr = new Response(server.stderr).text();
  const timer = setTimeout(() => ready(false), 20_000);
  let outcome: Outcome;
  try {
    if (!await started) {
      try {
        server.kill("SIGKILL");
      } catch {
        // already gone
      }
      await server.status;
      const err = (await readErr).trim().split("\n").filter(Boolean).at(-1);
      const last = lines.filter((l) => l.startsWith("{")).at(-1);
      const said = last ? (JSON.parse(last) as Result) : undefined;
      return unavailable(
        said?.unavailable ?? said?.error ?? err?.slice(0, 160) ?? "the server did not start",
      );
    }
    const params: ClientParams = { ...row.client!, port, pids, ticks: env.ticks };
    const [ccmd, cargv] = env.client === "node"
      ? withFdLimit("node", ["-e", CLIENT_SCRIPT, JSON.stringify(params)])
      : withFdLimit(env.client, clientArgs(params));
    const out = await runProcess(ccmd, cargv, DEADLINE_S);
    const last = out.lines.filter((l) => l.trim().startsWith("{")).at(-1);
    if (out.killed) outcome = { kind: "error", reason: `client timed out after ${DEADLINE_S} s` };
    else if (last === undefined) {
      outcome = { kind: "error", reason: `client: ${out.stderr.trim().slice(0, 160)}` };
    } else {
      const r = JSON.parse(last) as ClientResult;
      if (r.error) outcome = { kind: "error", reason: `client: ${r.error}` };
      else {
        outcome = {
          kind: "ok",
          result: {
            seconds: r.seconds,
            cpu: r.serverCpu,
            clientCpu: r.clientCpu,
            count: r.count,
            bad: r.bad,
          },
        };
      }
    }
  } finally {
    clearTimeout(timer);
    for (const pid of pids) {
      if (pid === server.pid) continue;
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    try {
      server.kill("SIGKILL");
    } catch {
      // already gone
    }
    await server.status;
    await readOut;
    await readErr;
  }
  return outcome;
}

// ---------------------------------------------------------------- tables

function rows(
  base: Omit<Row, "refs" | "key">[],
  refs: (r: Omit<Row, "refs" | "key">, key: string) => Row["refs"],
): Row[] {
  return base.map((r) => {
    const key = r.label + (r.pinned ? " (pinned)" : "");
    return { ...r, key, refs: refs(r, key) };
  });
}

function bulkTable(): Table {
  const bulk = (mode: "recv_into" | "recv" | "fresh"): Params => ({
    workload: "bulk",
    total: SIZE.bulk,
    mode,
    timeout: null,
  });
  return {
    name: "bulk",
    reps: reps(5),
    weight: 1,
    title: `bulk: ${SIZE.bulk / MIB} MiB one way, 64 KiB sends, one process`,
    columns: [
      { name: "MiB/s", field: "rate", digits: 0 },
      {
        name: "× raw Deno",
        compare: { field: "rate", ref: "raw", kind: "ratio" },
      },
      {
        name: "× Python",
        compare: { field: "rate", ref: "python", kind: "ratio" },
      },
      { name: "CPU µs/MiB", field: "cpu", digits: 0 },
      {
        name: "× raw Deno by CPU",
        compare: { field: "cpu", ref: "raw", kind: "cost" },
      },
    ],
    rows: rows([
      {
        label: "raw Deno `read()` into a reused 64 KiB buffer",
        peer: "raw",
        params: bulk("recv_into"),
      },
      {
        label: "raw Deno `read()` into a new 64 KiB buffer each time",
        peer: "raw",
        params: bulk("fresh"),
      },
      {
        label: "pysocket `recv_into()` a reused 64 KiB buffer",
        peer: "pysocket",
        params: bulk("recv_into"),
      },
      {
        label: "pysocket `recv(65536)`",
        peer: "pysocket",
        params: bulk("recv"),
      },
      {
        label: "Python `recv_into()` a reused 64 KiB buffer",
        peer: "python",
        params: bulk("recv_into"),
      },
      { label: "Python `recv(65536)`", peer: "python", params: bulk("recv") },
      {
        label: "Node `net` (`data` events)",
        peer: "node",
        params: bulk("recv"),
      },
    ], (r) => ({
      raw: "raw Deno `read()` into a reused 64 KiB buffer",
      python: r.params.workload === "bulk" && r.params.mode === "recv_into"
        ? "Python `recv_into()` a reused 64 KiB buffer"
        : "Python `recv(65536)`",
    })),
    figures: (r) => ({ rate: r.bytes! / MIB / r.seconds!, cpu: r.cpu! * 1e6 / (r.bytes! / MIB) }),
    check: (r, row) => {
      const total = (row.params as { total: number }).total;
      if (r.bytes !== total) return `received ${r.bytes} bytes, sent ${total}`;
      if (r.bad) return `${r.bad} chunks with wrong bytes`;
      return null;
    },
    notes: [
      "Both ends in one process (Python: the sender in a thread). Each received chunk is checked at three bytes against the sent pattern, and the byte count at the end.",
    ],
  };
}

function pingpongRows(pinned: boolean, timeout: number | null): Row[] {
  const pp = (preposted = false): Params => ({
    workload: "pingpong",
    rounds: SIZE.rounds,
    warmup: SIZE.warmup,
    size: 32,
    preposted,
    timeout,
  });
  const suffix = pinned ? " (pinned)" : "";
  return rows([
    { label: "raw Deno", peer: "raw", params: pp(), pinned },
    {
      label: "raw Deno, read posted before the write",
      peer: "raw",
      params: pp(true),
      pinned,
    },
    { label: "pysocket", peer: "pysocket", params: pp(), pinned },
    { label: "Python", peer: "python", params: pp(), pinned },
    { label: "Node", peer: "node", params: pp(), pinned },
  ], () => ({ raw: "raw Deno" + suffix, python: "Python" + suffix }));
}

function pingpongTable(env: Environment): Table {
  const columns: Column[] = [
    { name: "round trips/s", field: "rate", digits: 0 },
    { name: "p50 µs", field: "p50", digits: 1 },
    { name: "p99 µs", field: "p99", digits: 1 },
    {
      name: "× raw Deno",
      compare: { field: "rate", ref: "raw", kind: "ratio" },
    },
    {
      name: "p99 × raw Deno",
      compare: { field: "p99", ref: "raw", kind: "ratio" },
    },
    {
      name: "× Python",
      compare: { field: "rate", ref: "python", kind: "ratio" },
    },
    { name: "CPU µs/round trip", field: "cpu", digits: 1 },
    {
      name: "× raw Deno by CPU",
      compare: { field: "cpu", ref: "raw", kind: "cost" },
    },
  ];
  const pinned = env.taskset;
  return {
    name: "pingpong",
    reps: reps(5),
    weight: 2,
    title: `pingpong: ${
      SIZE.rounds.toLocaleString("en")
    } round trips of 32 bytes, TCP_NODELAY, one process`,
    columns,
    rows: [
      ...pingpongRows(false, null),
      ...(pinned ? pingpongRows(true, null) : []),
    ],
    figures: (r) => ({
      rate: r.count! / r.seconds!,
      p50: r.p50!,
      p99: r.p99!,
      cpu: r.cpu! * 1e6 / r.count!,
    }),
    check: (r, row) => {
      const rounds = (row.params as { rounds: number }).rounds;
      if (r.count !== rounds) return `${r.count} round trips, wanted ${rounds}`;
      if (r.bad) return `${r.bad} replies did not echo the request`;
      return null;
    },
    notes: [
      "Client and echo server in one process (Python: the server in a thread). Each reply is checked against its request's sequence number.",
      pinned
        ? '"(pinned)": the whole process on one core with `taskset -c 0` (an unpinned two-thread Python pays cross-CPU wake-ups, ~40 µs on this VM).'
        : "taskset not found: no pinned rows.",
    ],
  };
}

function acceptTable(): Table {
  const params: Params = {
    workload: "accept",
    cycles: SIZE.cycles,
    warmup: 200,
  };
  return {
    name: "accept",
    reps: reps(5),
    weight: 1,
    title: `accept: ${
      SIZE.cycles.toLocaleString("en")
    } connect + accept + close cycles, one process`,
    columns: [
      { name: "connections/s", field: "rate", digits: 0 },
      {
        name: "× raw Deno",
        compare: { field: "rate", ref: "raw", kind: "ratio" },
      },
      {
        name: "× Python",
        compare: { field: "rate", ref: "python", kind: "ratio" },
      },
      { name: "CPU µs/connection", field: "cpu", digits: 1 },
      {
        name: "× raw Deno by CPU",
        compare: { field: "cpu", ref: "raw", kind: "cost" },
      },
    ],
    rows: rows([
      { label: "raw Deno", peer: "raw", params },
      { label: "pysocket", peer: "pysocket", params },
      { label: "Python", peer: "python", params },
      { label: "Node", peer: "node", params },
    ], () => ({ raw: "raw Deno", python: "Python" })),
    figures: (r) => ({ rate: r.count! / r.seconds!, cpu: r.cpu! * 1e6 / r.count! }),
    check: (r) => {
      if (r.count !== SIZE.cycles) {
        return `${r.count} cycles, wanted ${SIZE.cycles}`;
      }
      if (r.bad) {
        return `${r.bad} accepted peers were not the connecting socket`;
      }
      return null;
    },
    notes: [
      "Each accepted socket's peer port is checked against the connecting socket's own port.",
    ],
  };
}

function idleTable(count: number): Table {
  const idle = (exchange: boolean, mode?: ServerMode): Params => ({
    workload: "idle",
    count,
    warm: IDLE_WARM,
    exchange,
    ...(mode ? { mode } : {}),
  });
  const RAW = "raw Deno, never read (`Deno.Conn` held, no read pending)";
  const RAW_X = "raw Deno, after one exchange (its next 4 KiB read posted)";
  const base: Omit<Row, "refs" | "key">[] = [
    { label: RAW, peer: "raw", params: idle(false) },
    { label: RAW_X, peer: "raw", params: idle(true) },
  ];
  const modes: [ServerMode, string][] = [
    ["blocking", "blocking"],
    ["timeout", `\`settimeout(${SERVER_TIMEOUT})\``],
    ["nonblocking", "non-blocking"],
  ];
  for (const [mode, name] of modes) {
    base.push(
      { label: `pysocket ${name}, never read`, peer: "pysocket", params: idle(false, mode) },
      {
        label: `pysocket ${name}, after one exchange`,
        peer: "pysocket",
        params: idle(true, mode),
      },
    );
  }
  base.push(
    { label: "Python blocking, never read", peer: "python", params: idle(false, "blocking") },
    {
      label: "Python blocking, after one exchange",
      peer: "python",
      params: idle(true, "blocking"),
    },
    { label: "Node, never read", peer: "node", params: idle(false) },
    { label: "Node, after one exchange", peer: "node", params: idle(true) },
  );
  return {
    name: "idle",
    reps: reps(count > 5_000 ? 2 : 3),
    weight: count > 5_000 ? 1.5 : 0.6,
    title: `idle: ${
      count.toLocaleString("en")
    } accepted connections held open, memory per connection`,
    columns: [
      { name: "RSS / conn (KiB)", field: "rss", digits: 2 },
      { name: "JS heap + external / conn (KiB)", field: "heap", digits: 2 },
      {
        name: "RSS KiB above raw Deno (same state)",
        compare: { field: "rss", ref: "raw", kind: "diff" },
      },
    ],
    rows: rows(base, (r) => ({
      raw: (r.params as { exchange: boolean }).exchange ? RAW_X : RAW,
    })),
    figures: (r) => ({
      rss: r.rss! / r.count! / 1024,
      heap: r.heap === undefined ? NaN : r.heap / r.count! / 1024,
    }),
    check: (r) =>
      r.count === count && Number.isFinite(r.rss)
        ? null
        : `held ${r.count} connections, wanted ${count}`,
    notes: [
      `Server side only, each variant in a fresh process (Deno and Node with \`--expose-gc --max-semi-space-size=1\`, collected before each snapshot); the clients are a separate (raw Deno) process, connecting 100 at a time. "After one exchange": the client sends ${ECHO_SIZE} bytes and reads the echo; the server did one \`recv(4096)\` and one \`sendall()\` and holds the socket, no call pending. RSS from \`Deno.memoryUsage().rss\` (Node \`process.memoryUsage()\`, Python \`/proc/self/statm\`), growth over the held connections after ${
        IDLE_WARM.toLocaleString("en")
      } warm-up ones, 0.1 s after the last exchange. At 1,000 connections the RSS growth is a few MiB, within the allocator's noise (see the repetitions; the JS heap figure is steady): quote the 10,000 rows. Every process runs with the open-file limit raised to the hard limit (\`ulimit -n\`; ${
        (count + IDLE_WARM + SPARE_FDS).toLocaleString("en")
      } needed here).`,
    ],
  };
}

function echoTable(clients: number, env: Environment): Table {
  const client: Row["client"] = {
    kind: "echo",
    clients,
    size: ECHO_SIZE,
    warmup: SIZE.echoWarmup,
    seconds: SIZE.echoSeconds,
  };
  const echo = (mode: ServerMode): Params => ({ workload: "echo", mode });
  const RAW = "raw Deno (`read()` 4 KiB, `write()`)";
  const PY: Record<ServerMode, string> = {
    blocking: "Python, a thread per connection",
    timeout: `Python, a thread per connection, \`settimeout(${SERVER_TIMEOUT})\``,
    nonblocking: "Python `selectors`, non-blocking",
  };
  const base: Omit<Row, "refs" | "key">[] = [
    { label: RAW, peer: "raw", params: echo("blocking"), client },
    { label: "pysocket, blocking", peer: "pysocket", params: echo("blocking"), client },
    {
      label: `pysocket, \`settimeout(${SERVER_TIMEOUT})\``,
      peer: "pysocket",
      params: echo("timeout"),
      client,
    },
    {
      label: "pysocket `selectors`, non-blocking",
      peer: "pysocket",
      params: echo("nonblocking"),
      client,
    },
    { label: PY.blocking, peer: "python", params: echo("blocking"), client },
    { label: PY.timeout, peer: "python", params: echo("timeout"), client },
    { label: PY.nonblocking, peer: "python", params: echo("nonblocking"), client },
    { label: "Node `net`", peer: "node", params: echo("blocking"), client },
  ];
  return {
    name: "echo",
    reps: reps(3),
    weight: 1.2,
    title: `echo: ${
      clients.toLocaleString("en")
    } clients, ${ECHO_SIZE}-byte request/response, server and clients in separate processes`,
    columns: [
      { name: "requests/s", field: "rate", digits: 0 },
      { name: "× raw Deno", compare: { field: "rate", ref: "raw", kind: "ratio" } },
      { name: "server CPU µs/request", field: "cpu", digits: 1 },
      { name: "× raw Deno by CPU", compare: { field: "cpu", ref: "raw", kind: "cost" } },
      {
        name: "× Python (same mode) by CPU",
        compare: { field: "cpu", ref: "python", kind: "cost" },
      },
      { name: "client CPU µs/request", field: "client", digits: 1 },
    ],
    rows: rows(base, (r) => ({
      raw: RAW,
      python: r.peer === "pysocket" ? PY[(r.params as { mode: ServerMode }).mode] : undefined,
    })),
    figures: (r) => ({
      rate: r.count! / r.seconds!,
      cpu: r.cpu! * 1e6 / r.count!,
      client: r.clientCpu! * 1e6 / r.count!,
    }),
    check: (r) => {
      if (r.bad) return `${r.bad} replies did not echo their request`;
      if (!r.count) return "no request answered";
      return null;
    },
    notes: [
      `The server runs in its own process; the ${
        clients.toLocaleString("en")
      } clients in another (${
        clientName(env)
      }; one request in flight per connection, TCP_NODELAY on both ends). Each reply must equal its request (sequence number, client id, check byte). Counting starts after ${SIZE.echoWarmup} s and lasts ${SIZE.echoSeconds} s; server CPU is user + system time of the server process (all threads) over exactly that window, read by the client from \`/proc/<pid>/stat\`. pysocket servers are written as Python's: \`recv(4096)\` then \`sendall()\` in a task per connection.`,
    ],
  };
}

/** Whether `bench/<name>` is there (the tls and select modules come from other work). */
function benchFile(name: string): boolean {
  try {
    return Deno.statSync(new URL(name, HERE)).isFile;
  } catch {
    return false;
  }
}

function tlsTables(files: { ca: string; cert: string; key: string }): Table[] {
  const total = (QUICK ? 16 : 64) * MIB;
  const seconds = QUICK ? 0.5 : 1;
  type Impl = Extract<Params, { workload: "tls" }>["impl"];
  const impls: [Impl, Peer, string][] = [
    ["deno", "raw", "Deno native (`Deno.connectTls` / `listenTls`)"],
    ["pysocket", "pysocket", "pysocket `ssl` (`SSLContext.wrap_socket`)"],
    ["python", "python", "Python `ssl`"],
    ["node", "node", "Node `tls`"],
  ];
  const table = (kind: "bulk" | "handshake"): Table => ({
    name: "tls",
    reps: reps(3),
    weight: 0.5,
    title: kind === "bulk"
      ? `tls: ${total / MIB} MiB one way over TLS, 64 KiB writes, one process (\`_tls.ts\`)`
      : `tls: full handshakes (connect, handshake, close) for ${seconds} s, one process (\`_tls.ts\`)`,
    columns: [
      { name: kind === "bulk" ? "MiB/s" : "handshakes/s", field: "rate", digits: 0 },
      { name: "× Deno native", compare: { field: "rate", ref: "raw", kind: "ratio" } },
      { name: "× Python", compare: { field: "rate", ref: "python", kind: "ratio" } },
    ],
    rows: rows(
      impls.map(([impl, peer, label]) => ({
        label: `${label}, ${kind === "bulk" ? "bulk" : "handshakes"}`,
        peer,
        params: { workload: "tls", impl, kind, total, seconds, files },
      })),
      () => ({
        raw: `${impls[0][2]}, ${kind === "bulk" ? "bulk" : "handshakes"}`,
        python: `${impls[2][2]}, ${kind === "bulk" ? "bulk" : "handshakes"}`,
      }),
    ),
    figures: (r) => ({ rate: r.value! }),
    check: (r) => (Number.isFinite(r.value) && r.value! > 0 ? null : "nothing measured"),
    notes: [
      "Both ends in one process (Python: a thread serves), a CA and a leaf certificate made with `openssl` once per run; each variant in a fresh process. Bulk counts the bytes the server side read; handshakes are full (no session resumption).",
    ],
  });
  return [table("bulk"), table("handshake")];
}

function selectTables(): Table[] {
  type Api = Extract<Params, { workload: "select" }>["api"];
  const sizes = QUICK ? [1, 100] : [1, 100, 1_000];
  const seconds = QUICK ? 0.2 : 0.5;
  const names: [Api, Peer, string][] = [
    ["select", "pysocket", "pysocket `select.select()`"],
    ["poll", "pysocket", "pysocket `select.poll().poll()`"],
    ["selector", "pysocket", "pysocket `selectors.DefaultSelector().select()`"],
    ["python-poll", "python", "Python `select.poll().poll()`"],
    ["python-select", "python", "Python `select.select()`"],
  ];
  const at = (n: number, what: string) =>
    `${n.toLocaleString("en")} socket${n === 1 ? "" : "s"}: ${what}`;
  const base: Omit<Row, "refs" | "key">[] = [];
  for (const n of sizes) {
    for (const [api, peer, what] of names) {
      base.push({
        label: at(n, what),
        peer,
        params: { workload: "select", api, sockets: n, seconds },
      });
    }
  }
  const cost: Table = {
    name: "select",
    reps: reps(2),
    weight: 0.5,
    title:
      "select: one call over N registered sockets, one of them ready (`_select.ts`), one process",
    columns: [
      { name: "µs per call", field: "perCall", digits: 1 },
      {
        name: "× Python `poll` by time",
        compare: { field: "perCall", ref: "python", kind: "cost" },
      },
    ],
    rows: rows(
      base,
      (r) => ({ python: at((r.params as { sockets: number }).sockets, names[3][2]) }),
    ),
    figures: (r) => ({ perCall: r.perCall! }),
    check: (r) => (r.count && Number.isFinite(r.perCall) ? null : "no call completed"),
    notes: [
      "N − 1 idle listening sockets and one with a connection queued: every call scans them all and must report exactly the ready one (checked on every call). Each variant in a fresh process; Python's `select.select()` stops at its FD_SETSIZE of 1,024.",
    ],
  };
  const n = QUICK ? 1_000 : 5_000;
  const register: Table = {
    name: "select",
    reps: reps(2),
    weight: 0.3,
    title: `select: registering ${
      n.toLocaleString("en")
    } idle connected sockets in a \`DefaultSelector\``,
    columns: [{ name: "RSS / socket (KiB)", field: "rss", digits: 2 }],
    rows: rows([{
      label: "pysocket `DefaultSelector().register(sock, EVENT_READ)`",
      peer: "pysocket",
      params: { workload: "select", api: "register", sockets: n, seconds: 0 },
    }], () => ({})),
    figures: (r) => ({ rss: r.rss! / r.count! / 1024 }),
    check: (r) => (r.count === n ? null : `registered ${r.count}, wanted ${n}`),
    notes: [
      "What watching costs per socket beyond the idle socket itself: a registered socket keeps a read posted so readiness is seen. Their peers are held by a python3 process; no socket may be reported ready.",
    ],
  };
  return [cost, register];
}

function multicoreTable(env: Environment): Table {
  const mc = (workers: number): Params => ({ workload: "multicore", workers });
  const connect: Row["client"] = {
    kind: "connect",
    clients: 50,
    size: ECHO_SIZE,
    warmup: SIZE.echoWarmup,
    seconds: SIZE.echoSeconds,
  };
  const echo: Row["client"] = { ...connect, kind: "echo", clients: 1_000 };
  const label = (w: number, what: string) => `${w} server process${w > 1 ? "es" : ""}: ${what}`;
  const C1 = label(1, "connect + one exchange + close (connections/s)");
  const E1 = label(1, "echo, 1,000 clients (requests/s)");
  return {
    name: "multicore",
    reps: reps(3),
    weight: 0.6,
    title:
      "multicore: `examples/multicore_echo.ts` (pysocket, blocking mode), N worker processes on one port with `reuse_port`",
    columns: [
      { name: "per second", field: "rate", digits: 0 },
      { name: "× 1 process", compare: { field: "rate", ref: "base", kind: "ratio" } },
      { name: "server CPU µs each (all workers)", field: "cpu", digits: 1 },
      { name: "client CPU µs each", field: "client", digits: 1 },
    ],
    rows: rows([
      { label: C1, peer: "example", params: mc(1), client: connect },
      {
        label: label(2, "connect + one exchange + close (connections/s)"),
        peer: "example",
        params: mc(2),
        client: connect,
      },
      { label: E1, peer: "example", params: mc(1), client: echo },
      {
        label: label(2, "echo, 1,000 clients (requests/s)"),
        peer: "example",
        params: mc(2),
        client: echo,
      },
    ], (r) => ({ base: r.client!.kind === "connect" ? C1 : E1 })),
    figures: (r) => ({
      rate: r.count! / r.seconds!,
      cpu: r.cpu! * 1e6 / r.count!,
      client: r.clientCpu! * 1e6 / r.count!,
    }),
    check: (r) => {
      if (r.bad) return `${r.bad} failed exchanges`;
      if (!r.count) return "nothing completed";
      return null;
    },
    notes: [
      `Clients: one process (${
        clientName(env)
      }), 50 concurrent connect/exchange/close loops, or 1,000 persistent connections. The kernel spreads connections over the workers by SO_REUSEPORT hashing. This machine has ${env.cores} cores and the client process needs one of them, so a second server process can only use what the client leaves; on a machine with more cores than server processes plus clients, throughput grows with the processes until the clients or the kernel's loopback path saturate.`,
    ],
  };
}

type LineMode = Extract<Params, { workload: "lines" }>["mode"];

function linesTable(): Table {
  const lp = (mode: LineMode): Params => ({
    workload: "lines",
    blocks: SIZE.blocks,
    mode,
  });
  const expected = expectedLines(SIZE.blocks);
  const pyRef: Record<LineMode, string> = {
    "rb-readline": 'Python `makefile("rb")` `readline()`',
    "rb-iter": 'Python `makefile("rb")` `for line in f`',
    "r-readline": 'Python `makefile("r")` `readline()`',
    "r-iter": 'Python `makefile("r")` `for line in f`',
    "raw-b": 'Python `makefile("rb")` `readline()`',
    "raw-t": 'Python `makefile("r")` `readline()`',
  };
  const rawB = "raw Deno hand-written splitter, binary (views)";
  const rawT = "raw Deno hand-written splitter, text (`TextDecoder`)";
  return {
    name: "lines",
    reps: reps(3),
    weight: 2,
    title: `lines: ${expected.lines.toLocaleString("en")} lines of 30–50 bytes (${
      (expected.bytes / MIB).toFixed(0)
    } MiB)`,
    columns: [
      { name: "M lines/s", field: "rate", digits: 2 },
      {
        name: "× raw Deno splitter",
        compare: { field: "rate", ref: "raw", kind: "ratio" },
      },
      {
        name: "× Python (same mode and loop)",
        compare: { field: "rate", ref: "python", kind: "ratio" },
      },
      { name: "CPU ns/line", field: "cpu", digits: 0 },
      {
        name: "× Python by CPU",
        compare: { field: "cpu", ref: "python", kind: "cost" },
      },
    ],
    rows: rows([
      { label: rawB, peer: "raw", params: lp("raw-b") },
      { label: rawT, peer: "raw", params: lp("raw-t") },
      {
        label: 'pysocket `makefile("rb")` `readline()`',
        peer: "pysocket",
        params: lp("rb-readline"),
      },
      {
        label: 'pysocket `makefile("rb")` `for await`',
        peer: "pysocket",
        params: lp("rb-iter"),
      },
      {
        label: 'pysocket `makefile("r")` `readline()`',
        peer: "pysocket",
        params: lp("r-readline"),
      },
      {
        label: 'pysocket `makefile("r")` `for await`',
        peer: "pysocket",
        params: lp("r-iter"),
      },
      {
        label: pyRef["rb-readline"],
        peer: "python",
        params: lp("rb-readline"),
      },
      { label: pyRef["rb-iter"], peer: "python", params: lp("rb-iter") },
      { label: pyRef["r-readline"], peer: "python", params: lp("r-readline") },
      { label: pyRef["r-iter"], peer: "python", params: lp("r-iter") },
      {
        label: "Node `readline` over a socket (text)",
        peer: "node",
        params: lp("r-iter"),
      },
    ], (r) => {
      const mode = (r.params as { mode: LineMode }).mode;
      const text = mode.startsWith("r-") || mode === "raw-t";
      return {
        raw: text ? rawT : rawB,
        python: r.peer === "node" ? pyRef["r-iter"] : pyRef[mode],
      };
    }),
    figures: (r) => ({ rate: r.lines! / r.seconds! / 1e6, cpu: r.cpu! * 1e9 / r.lines! }),
    check: (r) => {
      if (r.lines !== expected.lines) {
        return `${r.lines} lines, sent ${expected.lines}`;
      }
      if (r.bytes !== expected.bytes) {
        return `${r.bytes} bytes in lines, sent ${expected.bytes}`;
      }
      if (r.last !== expected.last) {
        return `last line ${JSON.stringify(r.last)}, sent ${JSON.stringify(expected.last)}`;
      }
      return null;
    },
    notes: [
      "The sender runs in the same process (Python: a thread). Each variant counts lines and their total length and keeps the last line; all three are checked.",
    ],
  };
}

function udpTable(): Table {
  const params: Params = { workload: "udp", count: SIZE.udp, size: 512 };
  return {
    name: "udp",
    reps: reps(3),
    weight: 2,
    title: `udp: ${
      SIZE.udp.toLocaleString("en")
    } datagrams of 512 bytes, sender and receiver in one process`,
    columns: [
      { name: "received/s", field: "rate", digits: 0 },
      { name: "lost", field: "lost", digits: 0 },
      {
        name: "× raw Deno",
        compare: { field: "rate", ref: "raw", kind: "ratio" },
      },
      {
        name: "× Python",
        compare: { field: "rate", ref: "python", kind: "ratio" },
      },
      { name: "CPU µs/datagram", field: "cpu", digits: 2 },
      {
        name: "× raw Deno by CPU",
        compare: { field: "cpu", ref: "raw", kind: "cost" },
      },
    ],
    rows: rows(
      [
        { label: "raw Deno `listenDatagram`", peer: "raw", params },
        {
          label: "pysocket `sendto` / `recvfrom(2048)`",
          peer: "pysocket",
          params,
        },
        { label: "Python `sendto` / `recvfrom(2048)`", peer: "python", params },
        { label: "Node `dgram`", peer: "node", params },
      ],
      () => ({
        raw: "raw Deno `listenDatagram`",
        python: "Python `sendto` / `recvfrom(2048)`",
      }),
    ),
    figures: (r) => ({
      rate: r.received! / r.seconds!,
      lost: r.count! - r.received!,
      cpu: r.cpu! * 1e6 / r.received!,
    }),
    check: (r) => {
      if (r.bad) return `${r.bad} damaged datagrams`;
      if (r.dup) return `${r.dup} duplicated datagrams`;
      if (!r.received) return "no datagram received";
      return null;
    },
    notes: [
      "Every datagram carries its sequence number and a check byte; damaged or duplicated ones fail the run, lost ones are counted. The sender (Python: a thread) keeps at most 64 datagrams in flight, so a receiver that keeps up loses none; a window that stays shut for 50 ms is counted as a loss and the sender goes on.",
    ],
  };
}

function timeoutTable(env: Environment): Table {
  const bulk = (timeout: number | null): Params => ({
    workload: "bulk",
    total: SIZE.bulk,
    mode: "recv_into",
    timeout,
  });
  const pp = (timeout: number | null): Params => ({
    workload: "pingpong",
    rounds: SIZE.rounds,
    warmup: SIZE.warmup,
    size: 32,
    preposted: false,
    timeout,
  });
  const pinned = env.taskset;
  const base: Omit<Row, "refs" | "key">[] = [];
  for (
    const [peer, name] of [["pysocket", "pysocket"], [
      "python",
      "Python",
    ]] as const
  ) {
    base.push(
      {
        label: `${name} bulk \`recv_into\`, blocking (MiB/s)`,
        peer,
        params: bulk(null),
      },
      {
        label: `${name} bulk \`recv_into\`, \`settimeout(5)\` (MiB/s)`,
        peer,
        params: bulk(5),
      },
      {
        label: `${name} pingpong, blocking (round trips/s)`,
        peer,
        params: pp(null),
        pinned,
      },
      {
        label: `${name} pingpong, \`settimeout(5)\` (round trips/s)`,
        peer,
        params: pp(5),
        pinned,
      },
    );
  }
  return {
    name: "timeout",
    reps: reps(5),
    weight: 1.5,
    title: "timeout mode: `settimeout(5)` on both ends, against blocking mode",
    columns: [
      { name: "figure", field: "rate", digits: 0 },
      {
        name: "× blocking",
        compare: { field: "rate", ref: "blocking", kind: "ratio" },
      },
      {
        name: "× blocking by CPU",
        compare: { field: "cpu", ref: "blocking", kind: "cost" },
      },
    ],
    rows: rows(base, (r) => ({
      blocking: r.label.includes("settimeout")
        ? r.label.replace("`settimeout(5)`", "blocking") +
          (r.pinned ? " (pinned)" : "")
        : undefined,
    })),
    figures: (r) =>
      r.p50 === undefined
        ? { rate: r.bytes! / MIB / r.seconds!, cpu: r.cpu! / (r.bytes! / MIB) }
        : { rate: r.count! / r.seconds!, cpu: r.cpu! / r.count! },
    check: (r, row) =>
      row.params.workload === "bulk" ? bulkTable().check(r, row) : pingpongTable(env).check(r, row),
    notes: [
      `Blocking and timeout runs alternate, pair by pair${
        pinned ? "; pingpong pinned with `taskset -c 0`" : ""
      }.`,
    ],
  };
}

// ------------------------------------------------------------ formatting

function fmt(x: number, digits = 0): string {
  if (!Number.isFinite(x)) return "–";
  return x.toLocaleString("en", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

interface RowStats {
  outcomes: Outcome[];
  /** Medians over the repetitions. */
  figures: Record<string, number>;
  /** Each successful repetition's figures, in order. */
  each: Record<string, number>[];
}

function cell(stats: RowStats, row: Row): string | null {
  const failed = stats.outcomes.find((o) => o.kind === "failed");
  if (failed) return `**FAILED**: ${failed.reason}`;
  if (stats.outcomes.some((o) => o.kind === "ok")) return null;
  const first = stats.outcomes[0];
  if (!first) return "skipped (time budget)";
  if (first.kind === "unavailable") {
    return `${row.peer}: not available (${first.reason})`;
  }
  if (first.kind === "error") return `error: ${first.reason}`;
  return null;
}

/** Whether `--match` keeps `row`. */
function selected(row: Row): boolean {
  return !MATCH || MATCH.some((m) => row.label.includes(m));
}

function renderTable(table: Table, stats: Map<string, RowStats>): string {
  const head = ["variant", ...table.columns.map((c) => c.name)];
  const lines = [
    `### ${table.title} (median of ${table.reps})`,
    "",
    `| ${head.join(" | ")} |`,
    `| ${head.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
  ];
  for (const row of table.rows.filter(selected)) {
    const s = stats.get(row.key)!;
    const label = row.label + (row.pinned ? " (pinned)" : "");
    const problem = cell(s, row);
    if (problem) {
      lines.push(
        `| ${label} | ${problem} |${" |".repeat(table.columns.length - 1)}`,
      );
      continue;
    }
    const okCount = s.outcomes.filter((o) => o.kind === "ok").length;
    const cells = table.columns.map((c) => {
      if (c.field) return fmt(s.figures[c.field], c.digits);
      const cmp = c.compare!;
      const refKey = row.refs[cmp.ref];
      if (!refKey || refKey === row.key) return "";
      const ref = stats.get(refKey)?.figures[cmp.field];
      const mine = s.figures[cmp.field];
      if (
        ref === undefined || !Number.isFinite(ref) || !Number.isFinite(mine)
      ) return "–";
      if (cmp.kind === "ratio") return `${fmt(mine / ref, 2)}×`;
      if (cmp.kind === "cost") return `${fmt(ref / mine, 2)}×`;
      return `${mine - ref >= 0 ? "+" : ""}${fmt(mine - ref, 2)}`;
    });
    const runs = okCount < table.reps ? ` (${okCount} of ${table.reps} runs)` : "";
    lines.push(`| ${label}${runs} | ${cells.join(" | ")} |`);
  }
  lines.push("");
  for (const n of table.notes) lines.push(n, "");
  // Every repetition, so a reader sees the spread behind each median.
  const fields = table.columns.filter((c) => c.field);
  const measured = table.rows.filter((r) => (stats.get(r.key)?.each.length ?? 0) > 0);
  if (measured.length > 0 && table.reps > 1) {
    lines.push(
      "<details><summary>Every repetition</summary>",
      "",
      `| variant | ${fields.map((c) => c.name).join(" | ")} |`,
      `| --- | ${fields.map(() => "---:").join(" | ")} |`,
    );
    for (const row of measured) {
      const each = stats.get(row.key)!.each;
      const cells = fields.map((c) => each.map((f) => fmt(f[c.field!], c.digits)).join(" · "));
      lines.push(`| ${row.label}${row.pinned ? " (pinned)" : ""} | ${cells.join(" | ")} |`);
    }
    lines.push("", "</details>", "");
  }
  return lines.join("\n");
}

// ------------------------------------------------------------------ main

const LEGEND =
  'Each figure is the median over fresh processes, measured on loopback. "× raw Deno" and "× Python" divide a variant\'s rate by the reference row\'s (above 1: faster). "by CPU" columns divide the reference\'s CPU time (user + system, all threads) per unit of work by the variant\'s (above 1: cheaper); other load on the machine disturbs them much less than the wall-clock rates.';

async function probeUdp(env: Environment): Promise<string | null> {
  const out = await measure({
    key: "probe",
    label: "probe",
    peer: "pysocket",
    params: { workload: "probe-udp" },
    refs: {},
  }, env);
  return out.kind === "ok" ? null : out.kind === "failed" ? out.reason : out.reason;
}

async function main(): Promise<number> {
  const started = performance.now();
  const env = await environment();
  const date = new Date().toISOString().slice(0, 16).replace("T", " ");
  const header =
    `${date} UTC · ${env.cores} cores, ${env.cpu} · Deno ${Deno.version.deno} (V8 ${Deno.version.v8}) · Python ${
      env.python ?? "missing"
    } · Node ${env.node ?? "missing"} · ${
      QUICK ? "quick run" : "full run"
    } · open-file limit ${env.fdLimit} · server-workload client: ${
      env.client === null ? "none" : env.client === "node" ? "Node" : "C"
    } · load average ${await loadAverage()} at the start`;
  console.log(`# pysocket benchmarks\n\n${header}\n\n${LEGEND}\n`);

  const wanted = (name: string) => !ONLY || ONLY.includes(name);
  const tables: Table[] = [];
  const skippedNotes: string[] = [];
  if (wanted("bulk")) tables.push(bulkTable());
  if (wanted("pingpong")) tables.push(pingpongTable(env));
  if (wanted("accept")) tables.push(acceptTable());
  if (wanted("echo")) {
    for (const n of CLIENTS ?? ECHO_CLIENTS) tables.push(echoTable(n, env));
  }
  if (wanted("idle")) {
    for (const n of SIZE.idleCounts) {
      if (env.fdLimit >= n + IDLE_WARM + SPARE_FDS) tables.push(idleTable(n));
      else {skippedNotes.push(
          `### idle: ${
            n.toLocaleString("en")
          } connections\n\nskipped: needs an open-file limit of ${
            n + SPARE_FDS
          } (\`ulimit -n\`); the hard limit here is ${env.fdLimit}\n`,
        );}
    }
  }
  if (wanted("multicore")) tables.push(multicoreTable(env));
  // Certificates for the tls tables, removed at the end of the run.
  let certs: AsyncDisposable & { ca: string; cert: string; key: string } | null = null;
  if (wanted("tls")) {
    if (!benchFile("_tls.ts")) {
      skippedNotes.push("### tls\n\nskipped: `bench/_tls.ts` is not there\n");
    } else {
      try {
        const { makeCerts } = await import("../tests/_tls_certs.ts");
        certs = await makeCerts();
        tables.push(...tlsTables({ ca: certs.ca, cert: certs.cert, key: certs.key }));
      } catch (e) {
        skippedNotes.push(`### tls\n\nskipped: cannot make certificates (${e})\n`);
      }
    }
  }
  if (wanted("select")) {
    if (benchFile("_select.ts")) tables.push(...selectTables());
    else skippedNotes.push("### select\n\nskipped: `bench/_select.ts` is not there\n");
  }
  if (wanted("lines")) tables.push(linesTable());
  if (wanted("udp")) {
    const reason = await probeUdp(env);
    if (reason === null) tables.push(udpTable());
    else {skippedNotes.push(
        `### udp\n\nskipped: datagram sockets not available yet (${reason})\n`,
      );}
  }
  if (wanted("timeout")) tables.push(timeoutTable(env));

  const missing: string[] = [];
  if (!env.python) missing.push("python3");
  if (!env.node) missing.push("node");
  const peerMissing = (peer: Peer) =>
    (peer === "python" && !env.python) || (peer === "node" && !env.node);
  if (missing.length) {
    console.log(`Skipped peers (not installed): ${missing.join(", ")}\n`);
  }

  let failed = false;
  const sections: string[] = [];
  const totalWeight = tables.reduce((sum, t) => sum + t.weight, 0);
  let weightSoFar = 0;
  for (const table of tables) {
    // Repetitions after the first stop once the table has used its share.
    weightSoFar += table.weight;
    const budgetEnd = started + BUDGET_S * 1000 * weightSoFar / totalWeight;
    const stats = new Map<string, RowStats>();
    for (const row of table.rows) {
      stats.set(row.key, { outcomes: [], figures: {}, each: [] });
    }
    const todo = table.rows.filter((r) => !peerMissing(r.peer) && selected(r));
    for (let rep = 0; rep < table.reps; rep++) {
      if (rep > 0 && performance.now() > budgetEnd) break;
      for (const row of todo) {
        const s = stats.get(row.key)!;
        // A variant that is not there will not appear on a second try.
        if (rep > 0 && !s.outcomes.some((o) => o.kind === "ok")) continue;
        let outcome = await measure(row, env);
        if (outcome.kind === "ok") {
          const wrong = table.check(outcome.result, row);
          if (wrong) outcome = { kind: "failed", reason: wrong };
        }
        if (outcome.kind === "failed" || outcome.kind === "error") {
          failed = true;
        }
        s.outcomes.push(outcome);
        const where = `${table.name}: ${row.label}${row.pinned ? " (pinned)" : ""}`;
        if (outcome.kind !== "ok") {
          console.error(`  ${where}: ${outcome.kind}: ${outcome.reason}`);
        }
      }
    }
    for (const row of table.rows) {
      const s = stats.get(row.key)!;
      const per = s.outcomes.flatMap((o) => o.kind === "ok" ? [table.figures(o.result, row)] : []);
      s.each = per;
      for (const field of Object.keys(per[0] ?? {})) {
        s.figures[field] = median(per.map((f) => f[field]));
      }
      if (peerMissing(row.peer)) {
        s.outcomes.push({
          kind: "unavailable",
          reason: `${row.peer === "python" ? "python3" : "node"} not installed`,
        });
      }
    }
    const text = renderTable(table, stats);
    sections.push(text);
    console.log(text);
  }
  for (const note of skippedNotes) {
    sections.push(note);
    console.log(note);
  }
  await certs?.[Symbol.asyncDispose]();
  const seconds = (performance.now() - started) / 1000;
  const footer = `Load average ${await loadAverage()} at the end. Suite took ${
    seconds.toFixed(0)
  } s. Reproduce with \`deno task bench${QUICK ? " --quick" : ""}\`.`;
  console.log(footer);
  if (OUT) {
    const doc = [
      "# pysocket benchmarks",
      "",
      header,
      "",
      LEGEND,
      "",
      ...(missing.length ? [`Skipped peers (not installed): ${missing.join(", ")}`, ""] : []),
      ...sections,
      footer,
      "",
    ].join("\n");
    await Deno.writeTextFile(OUT, doc);
    // Keep `deno fmt --check` quiet: let it pad the tables its own way.
    await output(Deno.execPath(), ["fmt", "-q", OUT]);
  }
  if (failed) {
    console.error("Some measurements FAILED their checks or errored.");
  }
  return failed ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
