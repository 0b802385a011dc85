/**
 * Runs one measurement of a Deno variant in a fresh process, so that the
 * variants do not share a heap or JIT state. `run.ts` starts it as
 *
 * ```sh
 * deno run --unstable-net -A bench/_worker.ts '{"peer":"raw","workload":"bulk",...}'
 * ```
 *
 * and reads the result as JSON from the last line of standard output.
 *
 * @module
 */

import { ECHO_SIZE, type Params, type Result } from "./_common.ts";
import * as raw from "./_raw.ts";
import * as py from "./_pysocket.ts";

type Hold = { workload: "hold"; port: number; count: number; exchange: boolean };
type Job = Params & {
  peer: "raw" | "pysocket";
  deadline: number;
  /** Directory of the module under test, if not this checkout. */
  module?: string;
};

function announce(port: number): void {
  console.log(`PORT ${port}`);
}

async function snapshot(): Promise<{ rss: number; heap: number }> {
  // Let writes under way finish first.
  await new Promise((r) => setTimeout(r, 100));
  const gc = (globalThis as { gc?: () => void }).gc;
  // Fill the young generation once, then collect twice, so that later
  // growth is what the held connections cost, not the collector's sizing.
  const junk: unknown[] = [];
  for (let i = 0; i < 200_000; i++) junk[i & 1023] = { i };
  gc?.();
  gc?.();
  const m = Deno.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external };
}

/** Runs a `_tls.ts` measurement (loaded only here: it needs `ssl.ts`). */
async function tlsWorkload(p: Extract<Params, { workload: "tls" }>): Promise<Result> {
  const tls = await import("./_tls.ts");
  const run = {
    pysocket: [tls.pysocketBulk, tls.pysocketHandshakes],
    deno: [tls.denoBulk, tls.denoHandshakes],
    python: [tls.pythonBulk, tls.pythonHandshakes],
    node: [tls.nodeBulk, tls.nodeHandshakes],
  }[p.impl];
  const r = p.kind === "bulk" ? await run[0](p.files, p.total) : await run[1](p.files, p.seconds);
  return { value: r.value, seconds: r.seconds };
}

/** Runs a `_select.ts` measurement (loaded only here: it needs `select.ts`). */
async function selectWorkload(p: Extract<Params, { workload: "select" }>): Promise<Result> {
  const sel = await import("./_select.ts");
  if (p.api === "register") {
    const r = await sel.registerRss(p.sockets);
    return { count: r.sockets, rss: r.bytesPerSocket * r.sockets };
  }
  const r = p.api === "python-poll" || p.api === "python-select"
    ? await sel.pythonSelectCost(p.sockets, p.api === "python-poll" ? "poll" : "select", p.seconds)
    : await sel.selectCost(p.sockets, p.api, p.seconds);
  return { count: r.calls, perCall: r.usPerCall };
}

async function measure(job: Job): Promise<Result> {
  const v = job.peer === "raw" ? raw : py;
  switch (job.workload) {
    case "bulk":
      return await v.bulk(job);
    case "pingpong":
      return await v.pingpong(job);
    case "accept":
      return await v.accept(job);
    case "idle":
      return await v.idle(job, announce, snapshot);
    case "lines":
      return await v.lines(job);
    case "echo":
      return await v.echoServer(job, announce);
    case "udp":
      return await v.udp(job);
    case "select":
      return await selectWorkload(job);
    case "tls":
      return await tlsWorkload(job);
    case "multicore":
      throw new Error("multicore runs examples/multicore_echo.ts, not a worker");
    case "probe-udp":
      if (job.peer === "raw") return {};
      return await py.probeUdp();
  }
}

/**
 * The client side of the idle workload: opens `count` connections to
 * `port`, 100 at a time (each sending one 32-byte request and reading its
 * echo first if `exchange`), says "held", and keeps them until its
 * standard input closes.
 */
async function hold(job: Hold): Promise<void> {
  const held: Deno.Conn[] = [];
  const msg = new Uint8Array(ECHO_SIZE).fill(5);
  let bad = 0;
  const one = async () => {
    const c = await Deno.connect({ hostname: "127.0.0.1", port: job.port });
    held.push(c);
    if (!job.exchange) return;
    await c.write(msg);
    const reply = new Uint8Array(64);
    let got = 0;
    while (got < ECHO_SIZE) {
      const n = await c.read(reply.subarray(got));
      if (n === null) break;
      got += n;
    }
    if (got !== ECHO_SIZE || reply[0] !== 5 || reply[ECHO_SIZE - 1] !== 5) bad++;
  };
  for (let i = 0; i < job.count; i += 100) {
    const batch = [];
    for (let j = i; j < Math.min(job.count, i + 100); j++) batch.push(one());
    await Promise.all(batch);
  }
  console.log(`held ${held.length} bad ${bad}`);
  for await (const _ of Deno.stdin.readable) { /* until the driver is done */ }
  for (const c of held) c.close();
}

async function main(): Promise<void> {
  const job = JSON.parse(Deno.args[0]) as Job | Hold;
  if (job.workload === "hold") return await hold(job);
  if (job.module) py.setRoot(job.module);
  const timer = setTimeout(() => {
    console.log(JSON.stringify({ error: `timed out after ${job.deadline} s` }));
    Deno.exit(3);
  }, job.deadline * 1000);
  Deno.unrefTimer(timer);
  let result: Result;
  try {
    result = await measure(job);
  } catch (e) {
    result = e instanceof py.Unavailable || job.peer === "pysocket"
      ? { unavailable: py.firstLine(e) }
      : { error: py.firstLine(e) };
  }
  clearTimeout(timer);
  console.log(JSON.stringify(result));
  // A variant that failed half-way may leave operations pending: do not
  // wait for them.
  Deno.exit(0);
}

if (import.meta.main) await main();
