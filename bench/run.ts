/**
 * The benchmark suite: pysocket against raw Deno (`Deno.listen`,
 * `Deno.connect`, `Deno.listenDatagram`, the limit this runtime sets),
 * Python's `socket` (`python3`) and Node's `net` / `dgram` (`node`), on
 * loopback, in one run. Prints a Markdown table per workload and writes them
 * to `bench/RESULTS.md`.
 *
 * ```sh
 * deno task bench            # full suite, under 8 minutes on 2 cores
 * deno task bench --quick    # smaller sizes, one repetition, under 1 minute
 * deno task bench --only=bulk,lines --reps=5
 * ```
 *
 * Options: `--quick`; `--only=<workloads>` (bulk, pingpong, accept, idle,
 * lines, udp, timeout); `--reps=<n>`; `--module=<dir>` (benchmark the
 * pysocket checkout in `dir` instead of this one, to compare versions);
 * `--out=<file>` (where to write the Markdown; by default only a full run
 * without `--only`, `--reps` or `--module` writes, to `bench/RESULTS.md`).
 *
 * Every measurement runs in a fresh process (`_worker.ts` for the Deno
 * variants, an embedded script for Python and Node) killed at a deadline,
 * and checks its own result (byte counts, sampled pattern bytes, sequence
 * numbers, line counts and lengths): a mismatch is printed as FAILED and
 * the process exits with status 1 at the end.
 *
 * @module
 */

import { expectedLines, median, type Params, type Result } from "./_common.ts";
import { PYTHON_SCRIPT } from "./_python.ts";
import { NODE_SCRIPT } from "./_node.ts";

type Peer = "raw" | "pysocket" | "python" | "node";

/** One line of a table: a variant measured `reps` times. */
interface Row {
  key: string;
  label: string;
  peer: Peer;
  params: Params;
  pinned?: boolean;
  /** Keys of the rows this one is compared with, by reference name. */
  refs: Partial<Record<"raw" | "python" | "blocking", string>>;
}

interface Column {
  name: string;
  /** A figure: the median of this field over the repetitions. */
  field?: string;
  /** A comparison with the row named by `ref` in the row's `refs`. */
  compare?: {
    field: string;
    ref: "raw" | "python" | "blocking";
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
const OUT = optionValue("out") ??
  // Only a complete, standard run replaces the published results.
  (QUICK || ONLY || MODULE || REPS_OPTION ? null : new URL("RESULTS.md", HERE).pathname);
/** The whole run stays under this; later repetitions are skipped past it. */
const BUDGET_S = QUICK ? 45 : 400;
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
  }
  : {
    bulk: 256 * MIB,
    rounds: 20_000,
    warmup: 2_000,
    cycles: 5_000,
    idle: 2_000,
    blocks: 200,
    udp: 200_000,
  };

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
  const [python, node, taskset] = await Promise.all([
    version("python3"),
    version("node"),
    version("taskset"),
  ]);
  return {
    python: python?.replace(/^Python /, "") ?? null,
    // Without node on the PATH, Deno runs "node" itself: check the answer.
    node: node?.match(/^v(\d+\.\S+)$/)?.[1] ?? null,
    taskset: taskset !== null,
    cpu,
    cores: navigator.hardwareConcurrency,
  };
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
  if (row.peer === "raw" || row.peer === "pysocket") {
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
  return [cmd, argv];
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
  const [cmd, argv] = command(row, env);
  let holder: Deno.ChildProcess | undefined;
  let holderTimer: ReturnType<typeof setTimeout> | undefined;
  const onLine = (line: string) => {
    const m = line.match(/^PORT (\d+)$/);
    if (!m || row.params.workload !== "idle" || holder) return;
    const n = row.params.warm + row.params.count;
    holder = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-q",
        "-A",
        WORKER,
        JSON.stringify({ workload: "hold", port: Number(m[1]), count: n }),
      ],
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

function idleTable(): Table {
  const params: Params = { workload: "idle", count: SIZE.idle, warm: 100 };
  return {
    name: "idle",
    reps: reps(3),
    weight: 1,
    title: `idle: ${
      SIZE.idle.toLocaleString("en")
    } accepted connections held open, memory per connection`,
    columns: [
      { name: "RSS / conn (KiB)", field: "rss", digits: 2 },
      { name: "JS heap + external / conn (KiB)", field: "heap", digits: 2 },
      {
        name: "RSS KiB above raw Deno",
        compare: { field: "rss", ref: "raw", kind: "diff" },
      },
    ],
    rows: rows([
      {
        label: "raw Deno (`Deno.Conn` held, no read pending)",
        peer: "raw",
        params,
      },
      { label: "pysocket", peer: "pysocket", params },
      { label: "Python", peer: "python", params },
      { label: "Node", peer: "node", params },
    ], () => ({ raw: "raw Deno (`Deno.Conn` held, no read pending)" })),
    figures: (r) => ({
      rss: r.rss! / r.count! / 1024,
      heap: r.heap === undefined ? NaN : r.heap / r.count! / 1024,
    }),
    check: (r) =>
      r.count === SIZE.idle && Number.isFinite(r.rss)
        ? null
        : `held ${r.count} connections, wanted ${SIZE.idle}`,
    notes: [
      "Server side only, each variant in a fresh process (Deno and Node with `--expose-gc --max-semi-space-size=1`, collected before each snapshot); the clients are a separate (raw Deno) process. RSS from `Deno.memoryUsage().rss` (Node `process.memoryUsage()`, Python `/proc/self/statm`), growth over the held connections after 100 warm-up ones.",
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
  figures: Record<string, number>;
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

function renderTable(table: Table, stats: Map<string, RowStats>): string {
  const head = ["variant", ...table.columns.map((c) => c.name)];
  const lines = [
    `### ${table.title} (median of ${table.reps})`,
    "",
    `| ${head.join(" | ")} |`,
    `| ${head.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
  ];
  for (const row of table.rows) {
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
    } · load average ${await loadAverage()} at the start`;
  console.log(`# pysocket benchmarks\n\n${header}\n\n${LEGEND}\n`);

  const wanted = (name: string) => !ONLY || ONLY.includes(name);
  const tables: Table[] = [];
  if (wanted("bulk")) tables.push(bulkTable());
  if (wanted("pingpong")) tables.push(pingpongTable(env));
  if (wanted("accept")) tables.push(acceptTable());
  if (wanted("idle")) tables.push(idleTable());
  if (wanted("lines")) tables.push(linesTable());
  const skippedNotes: string[] = [];
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
      stats.set(row.key, { outcomes: [], figures: {} });
    }
    const todo = table.rows.filter((r) => !peerMissing(r.peer));
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
