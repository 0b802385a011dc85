/**
 * Benchmarks of `select.ts` and `selectors.ts` (the echo servers written
 * with `selectors` are the `nonblocking` rows of the echo tables, in
 * `_pysocket.ts` and `_python.ts`):
 *
 * - `selectCost`: the cost of one `select()` / `poll()` / `selector.select()`
 *   call over N registered sockets (N - 1 idle listening sockets and one
 *   with a connection queued, so each call scans them all and returns at
 *   once), in µs per call; `pythonSelectCost`: the same with python3's
 *   `select.poll` (and `select.select` while N < 1024, its `FD_SETSIZE`).
 * - `registerRss`: the RSS growth of registering N idle connected sockets
 *   (their peers held by a python3 process) in a `DefaultSelector`: what
 *   watching costs per socket, beyond what the idle socket already holds.
 *
 * Each function is bounded in time and checks its own result (every call
 * must report exactly the ready socket). Standalone:
 *
 * ```sh
 * deno run --unstable-net -A bench/_select.ts           # 1, 100, 10000 sockets
 * deno run --unstable-net -A bench/_select.ts --quick   # 1, 100, 1000
 * ```
 *
 * @module
 */

import * as socket from "../mod.ts";
import * as select from "../select.ts";
import * as selectors from "../selectors.ts";

/** Which call `selectCost` measures. */
export type SelectApi = "select" | "poll" | "selector";

/** One measurement of `selectCost` / `pythonSelectCost`. */
export interface SelectCost {
  /** The call measured (python3: `poll` or `select`). */
  api: string;
  /** Sockets registered (or passed) per call. */
  sockets: number;
  /** Calls made in the counting window. */
  calls: number;
  /** Microseconds per call. */
  usPerCall: number;
}

/** N listening sockets on loopback; the last has a connection queued. */
async function listeners(n: number): Promise<{
  socks: socket.Socket[];
  client: Deno.Conn;
  close(): Promise<void>;
}> {
  const socks: socket.Socket[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = socket.socket();
      socks.push(s);
      s.bind(["127.0.0.1", 0]);
      s.listen(1);
    }
  } catch (e) {
    await Promise.all(socks.map((s) => s.close()));
    throw e;
  }
  const ready = socks[n - 1];
  const client = await Deno.connect({
    hostname: "127.0.0.1",
    port: (ready.getsockname() as [string, number])[1],
  });
  return {
    socks,
    client,
    async close() {
      client.close();
      await Promise.all(socks.map((s) => s.close()));
    },
  };
}

/**
 * The cost of one call of `api` over `n` sockets, of which one is ready.
 *
 * @param n Sockets (at least 1).
 * @param api `select.select()`, `poll.poll()` or `DefaultSelector.select()`.
 * @param seconds Length of the counting window (after a warm-up of a fifth of it).
 * @returns The measurement.
 * @throws {Error} if a call does not report exactly the ready socket.
 */
export async function selectCost(n: number, api: SelectApi, seconds = 1): Promise<SelectCost> {
  const set = await listeners(n);
  const ready = set.socks[n - 1];
  let call: () => Promise<number>;
  let cleanup = () => {};
  if (api === "select") {
    call = async () => {
      const [r] = await select.select(set.socks, [], [], 5);
      return r.length === 1 && r[0] === ready ? 1 : 0;
    };
  } else if (api === "poll") {
    const p = select.poll();
    for (const s of set.socks) p.register(s, select.POLLIN);
    const fd = ready.fileno();
    call = async () => {
      const got = await p.poll(5000);
      return got.length === 1 && got[0][0] === fd ? 1 : 0;
    };
    cleanup = () => {
      for (const s of set.socks) p.unregister(s);
    };
  } else {
    const sel = new selectors.DefaultSelector();
    for (const s of set.socks) sel.register(s, selectors.EVENT_READ);
    call = async () => {
      const got = await sel.select(5);
      return got.length === 1 && got[0][0].fileobj === ready ? 1 : 0;
    };
    cleanup = () => sel.close();
  }
  try {
    // Until the queued connection shows (the accept posted by watching).
    const start = performance.now();
    while ((await call()) !== 1) {
      if (performance.now() - start > 5000) throw new Error("the ready socket never showed");
    }
    const warmEnd = performance.now() + seconds * 200;
    while (performance.now() < warmEnd) await call();
    let calls = 0;
    let good = 0;
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    while (performance.now() < end) {
      good += await call();
      calls++;
    }
    const elapsed = performance.now() - t0;
    if (good !== calls) throw new Error(`${calls - good} calls did not report the ready socket`);
    return { api, sockets: n, calls, usPerCall: (elapsed * 1000) / calls };
  } finally {
    cleanup();
    await set.close();
  }
}

const PYTHON_COST = String.raw`
import select, socket, sys, time, json
n, seconds, api = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
socks = []
for i in range(n):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1); socks.append(s)
ready = socks[-1]
c = socket.create_connection(ready.getsockname())
if api == "poll":
    p = select.poll()
    for s in socks: p.register(s, select.POLLIN)
    fd = ready.fileno()
    def call():
        r = p.poll(5000)
        return 1 if len(r) == 1 and r[0][0] == fd else 0
else:
    def call():
        r, _, _ = select.select(socks, [], [], 5)
        return 1 if len(r) == 1 and r[0] is ready else 0
while call() != 1: pass
end = time.perf_counter() + seconds / 5
while time.perf_counter() < end: call()
calls = good = 0
t0 = time.perf_counter(); end = t0 + seconds
while time.perf_counter() < end:
    good += call(); calls += 1
elapsed = time.perf_counter() - t0
assert good == calls, "a call missed the ready socket"
print(json.dumps({"api": api, "sockets": n, "calls": calls, "usPerCall": elapsed * 1e6 / calls}))
`;

/**
 * The same measurement with python3's `select.poll` (or `select.select`,
 * for fewer than 1024 sockets).
 *
 * @param n Sockets.
 * @param api `"poll"` or `"select"`.
 * @param seconds Length of the counting window.
 * @returns The measurement.
 * @throws {Error} if python3 fails or is killed at its deadline.
 */
export async function pythonSelectCost(
  n: number,
  api: "poll" | "select" = "poll",
  seconds = 1,
): Promise<SelectCost> {
  const out = await new Deno.Command("python3", {
    args: ["-c", PYTHON_COST, String(n), String(seconds), api],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout((seconds * 2 + 30) * 1000),
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (out.code !== 0) {
    throw new Error(`python3 failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  return JSON.parse(text) as SelectCost;
}

/** What registering idle sockets costs. */
export interface RegisterRss {
  /** Sockets registered. */
  sockets: number;
  /** RSS growth per socket, in bytes, from registering them all. */
  bytesPerSocket: number;
}

const PYTHON_HOLDER = String.raw`
import socket, sys
n, port = int(sys.argv[1]), int(sys.argv[2])
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
print("held", flush=True)
sys.stdin.read()
`;

/**
 * The RSS growth of registering `n` idle connected sockets (blocking, no
 * call pending) in a `DefaultSelector`, whose watching keeps a read posted
 * on each.
 *
 * @param n Connections (a python3 process holds their other ends).
 * @returns The growth per socket.
 * @throws {Error} if python3 fails.
 */
export async function registerRss(n: number): Promise<RegisterRss> {
  await using server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen(4096);
  const port = (server.getsockname() as [string, number])[1];
  const holder = new Deno.Command("python3", {
    args: ["-c", PYTHON_HOLDER, String(n), String(port)],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
    signal: AbortSignal.timeout(120_000),
  }).spawn();
  const conns: socket.Socket[] = [];
  try {
    for (let i = 0; i < n; i++) conns.push((await server.accept())[0]);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
    await settle();
    const before = Deno.memoryUsage().rss;
    const sel = new selectors.DefaultSelector();
    for (const c of conns) sel.register(c, selectors.EVENT_READ);
    // Let the posted reads start, then check nothing is reported.
    await settle();
    const got = await sel.select(0);
    const after = Deno.memoryUsage().rss;
    sel.close();
    if (got.length !== 0) throw new Error(`${got.length} idle sockets reported ready`);
    return { sockets: n, bytesPerSocket: (after - before) / n };
  } finally {
    await Promise.all(conns.map((c) => c.close()));
    await holder.stdin.close().catch(() => {});
    await holder.output().catch(() => {});
  }
}

if (import.meta.main) {
  const quick = Deno.args.includes("--quick");
  const sizes = quick ? [1, 100, 1000] : [1, 100, 10_000];
  const seconds = quick ? 0.3 : 1;
  console.log(
    "| sockets | pysocket select() | pysocket poll() | pysocket DefaultSelector | python3 poll() | python3 select() |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const n of sizes) {
    const row: string[] = [String(n)];
    for (const api of ["select", "poll", "selector"] as const) {
      row.push((await selectCost(n, api, seconds)).usPerCall.toFixed(1));
    }
    row.push((await pythonSelectCost(n, "poll", seconds)).usPerCall.toFixed(1));
    row.push(
      n < 1000 ? (await pythonSelectCost(n, "select", seconds)).usPerCall.toFixed(1) : "n/a",
    );
    console.log(`| ${row.join(" | ")} |`);
  }
  const rss = await registerRss(quick ? 1000 : 5000);
  console.log(
    `\nRegistering ${rss.sockets} idle connected sockets in a DefaultSelector: ${
      (rss.bytesPerSocket / 1024).toFixed(2)
    } KiB of RSS per socket.`,
  );
}
