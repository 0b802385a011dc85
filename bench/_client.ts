/**
 * The load generator of the server workloads (`echo`, `multicore`), run in
 * its own process so the server under test has its process (and, on two
 * cores, a core) to itself.
 *
 * The client must cost less per request than the servers it drives,
 * whatever they are written in, or the rates measure the client. `client.c`
 * (one epoll loop, one `write()` and one `read()` per request) costs
 * 2–4 µs of CPU per request on this machine; `run.ts` compiles it with
 * `cc -O2` when a compiler is there. Otherwise this Node script stands in:
 * Node's `net` runs a thousand sockets on one epoll loop with no promise
 * per request, at 10–13 µs per request, as much as the fastest servers here
 * (raw Deno, Node, Python `selectors`), so their rates are then capped by
 * the client while their CPU per request still reads true. Every row
 * prints the client's CPU per request beside the server's.
 *
 * The server's CPU time is read by the client itself from
 * `/proc/<pid>/stat` (user + system time of every thread of each server
 * process, in clock ticks) at the instants it starts and stops counting, so
 * the window is exact.
 *
 * Kinds:
 * - `echo`: `clients` connections, each sending `size`-byte requests and
 *   waiting for the echo before the next; after `warmup` s, counts round
 *   trips for `seconds` s. Each reply must equal its request (sequence
 *   number, client id and a check byte): a mismatch counts in `bad`.
 * - `connect`: `clients` concurrent loops of connect, one exchange, close;
 *   counts completed cycles.
 *
 * @module
 */

/** Parameters of the client script. */
export interface ClientParams {
  kind: "echo" | "connect";
  port: number;
  clients: number;
  size: number;
  /** echo, connect: seconds before counting starts. */
  warmup?: number;
  /** echo, connect: seconds of counting. */
  seconds?: number;
  /** Server processes whose CPU time is read. */
  pids?: number[];
  /** Clock ticks per second of `/proc/<pid>/stat` (`getconf CLK_TCK`). */
  ticks?: number;
}

/** What the client prints as JSON on its last line. */
export interface ClientResult {
  /** Round trips (echo) or cycles (connect) counted. */
  count: number;
  /** Replies that did not match their request, or failed connections. */
  bad: number;
  /** Length of the counting window. */
  seconds: number;
  /** Server CPU seconds in the window, over all `pids`. */
  serverCpu: number;
  /** The client's own CPU seconds in the window. */
  clientCpu: number;
  error?: string;
}

/** The Node client script. */
export const CLIENT_SCRIPT = String.raw`
"use strict";
const net = require("node:net");
const fs = require("node:fs");
const p = JSON.parse(process.argv[1]);
const HOST = "127.0.0.1";
const BATCH = 100;

function serverCpu() {
  let ticks = 0;
  for (const pid of p.pids || []) {
    const s = fs.readFileSync("/proc/" + pid + "/stat", "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / (p.ticks || 100);
}
const cpuNow = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; };
const sleep = (s) => new Promise((r) => setTimeout(r, s * 1000));

// Request k of client id: sequence, id, a check byte; the rest zero.
function fill(msg, id, k) {
  msg.writeUInt32LE(k >>> 0, 0);
  msg.writeUInt32LE(id, 4);
  msg[p.size - 1] = (k * 7 + id) & 255;
}

// One connection's request/response loop. onReply(ok) after each echo.
function client(id, sock, onReply) {
  const msg = Buffer.alloc(p.size);
  const reply = Buffer.alloc(p.size);
  let k = 0, have = 0, stopped = false, ended;
  const done = new Promise((r) => { ended = r; });
  sock.on("data", (d) => {
    if (have + d.length > p.size) { onReply(false); have = 0; return; }
    d.copy(reply, have);
    have += d.length;
    if (have < p.size) return;
    have = 0;
    onReply(reply.equals(msg));
    if (stopped) return ended();
    fill(msg, id, ++k);
    sock.write(msg);
  });
  sock.on("close", () => ended());
  sock.on("error", () => {});
  return {
    start() { fill(msg, id, k); sock.write(msg); },
    stop() { stopped = true; return done; },
  };
}

function connect() {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port: p.port, host: HOST, noDelay: true });
    s.once("connect", () => { s.removeListener("error", reject); resolve(s); });
    s.once("error", reject);
  });
}

async function connectAll(n) {
  const socks = [];
  for (let i = 0; i < n; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) batch.push(connect());
    socks.push(...await Promise.all(batch));
  }
  return socks;
}

async function echo() {
  const socks = await connectAll(p.clients);
  let count = 0, bad = 0, counting = false;
  const onReply = (ok) => { if (!ok) bad++; else if (counting) count++; };
  const clients = socks.map((s, id) => client(id, s, onReply));
  for (const c of clients) c.start();
  await sleep(p.warmup);
  counting = true;
  const t0 = performance.now(), s0 = serverCpu(), c0 = cpuNow();
  await sleep(p.seconds);
  const s1 = serverCpu(), c1 = cpuNow(), t1 = performance.now();
  counting = false;
  const total = count;
  await Promise.race([Promise.all(clients.map((c) => c.stop())), sleep(5)]);
  for (const s of socks) s.destroy();
  return { count: total, bad, seconds: (t1 - t0) / 1000, serverCpu: s1 - s0, clientCpu: c1 - c0 };
}

async function cycles() {
  let count = 0, bad = 0, counting = false, running = true;
  const msg = Buffer.alloc(p.size, 7);
  async function loop() {
    while (running) {
      let s;
      try {
        s = await connect();
        const got = await new Promise((resolve) => {
          let have = 0;
          const parts = [];
          s.on("data", (d) => { parts.push(d); have += d.length; if (have >= p.size) resolve(Buffer.concat(parts)); });
          s.on("close", () => resolve(Buffer.concat(parts)));
          s.on("error", () => {});
          s.write(msg);
        });
        if (!got.equals(msg)) bad++;
        else if (counting) count++;
      } catch {
        bad++;
      } finally {
        if (s) s.destroy();
      }
    }
  }
  const loops = [];
  for (let i = 0; i < p.clients; i++) loops.push(loop());
  await sleep(p.warmup);
  counting = true;
  const t0 = performance.now(), s0 = serverCpu(), c0 = cpuNow();
  await sleep(p.seconds);
  const s1 = serverCpu(), c1 = cpuNow(), t1 = performance.now();
  counting = false;
  const total = count;
  running = false;
  await Promise.race([Promise.all(loops), sleep(5)]);
  return { count: total, bad, seconds: (t1 - t0) / 1000, serverCpu: s1 - s0, clientCpu: c1 - c0 };
}

(async () => {
  let result;
  try {
    result = await ({ echo, connect: cycles })[p.kind]();
  } catch (e) {
    result = { error: (e && e.name) + ": " + (e && e.message) };
  }
  console.log(JSON.stringify(result));
  process.exit(0);
})();
`;
