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

import type { Params, Result } from "./_common.ts";
import * as raw from "./_raw.ts";
import * as py from "./_pysocket.ts";

type Hold = { workload: "hold"; port: number; count: number };
type Job = Params & {
  peer: "raw" | "pysocket";
  deadline: number;
  /** Directory of the module under test, if not this checkout. */
  module?: string;
};

function announce(port: number): void {
  console.log(`PORT ${port}`);
}

function snapshot(): { rss: number; heap: number } {
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
    case "udp":
      return await v.udp(job);
    case "probe-udp":
      if (job.peer === "raw") return {};
      return await py.probeUdp();
  }
}

/**
 * The client side of the idle workload: opens `count` connections to
 * `port`, says "held", and keeps them until its standard input closes.
 */
async function hold(port: number, count: number): Promise<void> {
  const held: Deno.Conn[] = [];
  for (let i = 0; i < count; i++) {
    held.push(await Deno.connect({ hostname: "127.0.0.1", port }));
  }
  console.log("held");
  for await (const _ of Deno.stdin.readable) { /* until the driver is done */ }
  for (const c of held) c.close();
}

async function main(): Promise<void> {
  const job = JSON.parse(Deno.args[0]) as Job | Hold;
  if (job.workload === "hold") return await hold(job.port, job.count);
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
