/**
 * The pysocket variants: each workload written as a Python programmer would
 * write it with this module (`import * as socket from "../mod.ts"`). Run by
 * `_worker.ts` in a fresh process.
 *
 * The module is loaded with a dynamic `import()` and typed by the small
 * interfaces below, so the harness keeps working (and says "not available"
 * for the cells concerned) while parts of the module are missing.
 *
 * @module
 */

import {
  BULK_CHUNK,
  BULK_PERIOD,
  BulkChecker,
  bulkPattern,
  ECHO_SIZE,
  lineBlock,
  type Params,
  percentile,
  type Result,
  SendWindow,
  SERVER_TIMEOUT,
  type ServerMode,
  Stopwatch,
  UDP_END_LENGTH,
} from "./_common.ts";

type Of<W extends Params["workload"]> = Extract<Params, { workload: W }>;
type Address = [string, number];

/** The part of `FileObject` the benchmarks use. */
interface PyFile extends AsyncIterable<Uint8Array | string> {
  readline(): Promise<Uint8Array | string>;
  close(): Promise<void>;
}

/** The part of `Socket` the benchmarks use. */
interface PySocket {
  bind(address: Address): void;
  listen(backlog?: number): void;
  accept(): Promise<[PySocket, Address]>;
  connect(address: Address): Promise<void>;
  getsockname(): Address;
  recv(bufsize: number): Promise<Uint8Array>;
  // deno-lint-ignore camelcase
  recv_into(buffer: Uint8Array): Promise<number>;
  recvfrom(bufsize: number): Promise<[Uint8Array, Address]>;
  send(data: Uint8Array): Promise<number>;
  sendall(data: Uint8Array): Promise<void>;
  sendto(data: Uint8Array, address: Address): Promise<number>;
  setsockopt(level: number, optname: number, value: number): void;
  settimeout(value: number | null): void;
  setblocking(flag: boolean): void;
  shutdown(how: number): Promise<void>;
  close(): Promise<void>;
  makefile(mode: string): PyFile;
}

/** The part of the module the benchmarks use. */
interface PyModule {
  socket(family?: number, type?: number, proto?: number): PySocket;
  AF_INET: number;
  SOCK_STREAM: number;
  SOCK_DGRAM: number;
  IPPROTO_TCP: number;
  TCP_NODELAY: number;
  SHUT_WR: number;
}

/** Thrown when the module lacks something a workload needs. */
export class Unavailable extends Error {}

let loaded: PyModule | undefined;

/** Where the module under test is: this checkout, unless `setRoot()` moved it. */
let root = new URL("../", import.meta.url);

/** Benchmarks the module in directory `dir` instead (to compare versions). */
export function setRoot(dir: string): void {
  root = new URL(dir.endsWith("/") ? dir : `${dir}/`, `file://${Deno.cwd()}/`);
}

/** Loads `mod.ts`; throws {@linkcode Unavailable} with the reason. */
export async function load(): Promise<PyModule> {
  if (loaded) return loaded;
  let mod: Record<string, unknown>;
  const url = (file: string) => new URL(file, root).href;
  try {
    mod = await import(url("mod.ts"));
  } catch (e) {
    // mod.ts also re-exports the other public files: without one of them,
    // socket.ts and constants.ts alone may still do.
    try {
      mod = {
        ...await import(url("constants.ts")),
        ...await import(url("socket.ts")),
      };
    } catch {
      throw new Unavailable(`cannot import mod.ts: ${firstLine(e)}`);
    }
  }
  for (
    const name of [
      "socket",
      "AF_INET",
      "SOCK_STREAM",
      "SOCK_DGRAM",
      "IPPROTO_TCP",
      "TCP_NODELAY",
      "SHUT_WR",
    ]
  ) {
    if (mod[name] === undefined) {
      throw new Unavailable(`mod.ts does not export ${name}`);
    }
  }
  loaded = mod as unknown as PyModule;
  return loaded;
}

/** The first line of an error's message, for a table cell. */
export function firstLine(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.split("\n")[0].slice(0, 160);
}

function need(obj: object, method: string): void {
  if (typeof (obj as Record<string, unknown>)[method] !== "function") {
    throw new Unavailable(`Socket.${method}() is missing`);
  }
}

async function pair(
  m: PyModule,
  timeout: number | null = null,
): Promise<[PySocket, PySocket]> {
  const listener = m.socket(m.AF_INET, m.SOCK_STREAM);
  try {
    listener.bind(["127.0.0.1", 0]);
    listener.listen(16);
    const client = m.socket(m.AF_INET, m.SOCK_STREAM);
    const [[server]] = await Promise.all([
      listener.accept(),
      client.connect(listener.getsockname()),
    ]);
    if (timeout !== null) {
      client.settimeout(timeout);
      server.settimeout(timeout);
    }
    return [client, server];
  } finally {
    await listener.close();
  }
}

async function endWrite(m: PyModule, s: PySocket): Promise<void> {
  if (typeof s.shutdown === "function") await s.shutdown(m.SHUT_WR);
  else await s.close();
}

/** Bulk: `sendall` of 64 KiB chunks; `recv_into` a reused buffer or `recv`. */
export async function bulk(p: Of<"bulk">): Promise<Result> {
  const m = await load();
  const [client, server] = await pair(m, p.timeout);
  try {
    need(server, p.mode === "recv_into" ? "recv_into" : "recv");
    const pattern = bulkPattern();
    const check = new BulkChecker(pattern);
    const watch = new Stopwatch();
    const sending = (async () => {
      for (let off = 0; off < p.total;) {
        const n = Math.min(BULK_CHUNK, p.total - off);
        const st = off % BULK_PERIOD;
        await client.sendall(pattern.subarray(st, st + n));
        off += n;
      }
      await endWrite(m, client);
    })();
    if (p.mode === "recv_into") {
      const buf = new Uint8Array(BULK_CHUNK);
      for (;;) {
        const n = await server.recv_into(buf);
        if (n === 0) break;
        check.chunk(buf, n);
      }
    } else {
      for (;;) {
        const d = await server.recv(BULK_CHUNK);
        if (d.length === 0) break;
        check.chunk(d, d.length);
      }
    }
    const { seconds, cpu } = watch.read();
    await sending;
    return { seconds, cpu, bytes: check.bytes, bad: check.bad };
  } finally {
    await client.close();
    await server.close();
  }
}

async function recvExactly(s: PySocket, size: number): Promise<Uint8Array> {
  let d = await s.recv(size);
  while (d.length < size && d.length > 0) {
    const more = await s.recv(size - d.length);
    if (more.length === 0) break;
    const joined = new Uint8Array(d.length + more.length);
    joined.set(d);
    joined.set(more, d.length);
    d = joined;
  }
  return d;
}

/** Pingpong: `sendall` then `recv` of small messages, TCP_NODELAY. */
export async function pingpong(p: Of<"pingpong">): Promise<Result> {
  const m = await load();
  const [client, server] = await pair(m, p.timeout);
  try {
    client.setsockopt(m.IPPROTO_TCP, m.TCP_NODELAY, 1);
    server.setsockopt(m.IPPROTO_TCP, m.TCP_NODELAY, 1);
    const serving = (async () => {
      for (;;) {
        const d = await recvExactly(server, p.size);
        if (d.length < p.size) break;
        await server.sendall(d);
      }
    })();
    const msg = new Uint8Array(p.size);
    const total = p.warmup + p.rounds;
    const lat = new Float64Array(p.rounds);
    let bad = 0;
    let watch = new Stopwatch();
    for (let i = 0; i < total; i++) {
      if (i === p.warmup) watch = new Stopwatch();
      msg[0] = i & 255;
      msg[1] = (i >>> 8) & 255;
      msg[2] = (i >>> 16) & 255;
      const a = performance.now();
      await client.sendall(msg);
      const reply = await recvExactly(client, p.size);
      if (i >= p.warmup) lat[i - p.warmup] = performance.now() - a;
      if (reply.length !== p.size) throw new Error("early end of stream");
      if (reply[0] !== msg[0] || reply[1] !== msg[1] || reply[2] !== msg[2]) {
        bad++;
      }
    }
    const { seconds, cpu } = watch.read();
    await endWrite(m, client);
    await serving;
    lat.sort();
    return {
      seconds,
      cpu,
      count: p.rounds,
      bad,
      p50: percentile(lat, 0.5) * 1000,
      p99: percentile(lat, 0.99) * 1000,
    };
  } finally {
    await client.close();
    await server.close();
  }
}

/** Accept: connect + accept + close, one connection at a time. */
export async function accept(p: Of<"accept">): Promise<Result> {
  const m = await load();
  const listener = m.socket(m.AF_INET, m.SOCK_STREAM);
  try {
    listener.bind(["127.0.0.1", 0]);
    listener.listen(4096);
    const address = listener.getsockname();
    let bad = 0;
    let watch = new Stopwatch();
    for (let i = 0; i < p.warmup + p.cycles; i++) {
      if (i === p.warmup) watch = new Stopwatch();
      const c = m.socket(m.AF_INET, m.SOCK_STREAM);
      const [[s, peer]] = await Promise.all([
        listener.accept(),
        c.connect(address),
      ]);
      if (peer[1] !== c.getsockname()[1]) bad++;
      await s.close();
      await c.close();
    }
    const { seconds, cpu } = watch.read();
    return { seconds, cpu, count: p.cycles, bad };
  } finally {
    await listener.close();
  }
}

/** Puts an accepted socket in `mode`, as a Python server would. */
function prepare(m: PyModule, c: PySocket, mode: ServerMode | undefined): void {
  c.setsockopt(m.IPPROTO_TCP, m.TCP_NODELAY, 1);
  if (mode === "timeout") c.settimeout(SERVER_TIMEOUT);
  else if (mode === "nonblocking") c.setblocking(false);
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One `recv` then one `sendall` of what it got. Non-blocking: retries on
 * `BlockingIOError` (the client sends at once, so a retry or two).
 */
async function exchange(c: PySocket, mode: ServerMode | undefined): Promise<void> {
  for (let tries = 0;; tries++) {
    try {
      const d = await c.recv(4096);
      if (d.length !== ECHO_SIZE) throw new Error(`exchange received ${d.length} bytes`);
      for (;;) {
        try {
          await c.sendall(d);
          return;
        } catch (e) {
          if (mode !== "nonblocking" || (e as Error).name !== "BlockingIOError") throw e;
          await delay(1);
        }
      }
    } catch (e) {
      if (mode !== "nonblocking" || (e as Error).name !== "BlockingIOError" || tries > 5000) {
        throw e;
      }
      await delay(1);
    }
  }
}

/**
 * Idle: accept and hold connections (in `mode`, after one exchange each if
 * `exchange`); report memory growth.
 */
export async function idle(
  p: Of<"idle">,
  announce: (port: number) => void,
  snapshot: () => Promise<{ rss: number; heap: number }>,
): Promise<Result> {
  const m = await load();
  const listener = m.socket(m.AF_INET, m.SOCK_STREAM);
  const held: PySocket[] = [];
  try {
    listener.bind(["127.0.0.1", 0]);
    listener.listen(4096);
    announce(listener.getsockname()[1]);
    const take = async () => {
      const [c] = await listener.accept();
      prepare(m, c, p.mode);
      held.push(c);
      if (p.exchange) await exchange(c, p.mode);
    };
    for (let i = 0; i < p.warm; i++) await take();
    const before = await snapshot();
    for (let i = 0; i < p.count; i++) await take();
    const after = await snapshot();
    return {
      count: p.count,
      rss: after.rss - before.rss,
      heap: after.heap - before.heap,
    };
  } finally {
    for (const s of held) await s.close();
    await listener.close();
  }
}

/**
 * Echo server, as a Python programmer writes one with threads: an accept
 * loop, and per connection a loop of `recv(4096)` and `sendall()` of what
 * came, in `mode`. Runs until the process is killed. Non-blocking mode
 * needs `selectors.ts` (see {@linkcode echoSelectors}).
 */
export async function echoServer(
  p: Of<"echo">,
  announce: (port: number) => void,
): Promise<Result> {
  const m = await load();
  const listener = m.socket(m.AF_INET, m.SOCK_STREAM);
  listener.bind(["127.0.0.1", 0]);
  listener.listen(4096);
  if (p.mode === "nonblocking") return await echoSelectors(m, listener, announce);
  announce(listener.getsockname()[1]);
  const serve = async (c: PySocket) => {
    try {
      prepare(m, c, p.mode);
      for (;;) {
        const d = await c.recv(4096);
        if (d.length === 0) break;
        await c.sendall(d);
      }
    } catch (e) {
      // The clients reset their connections when the run ends.
      if (!(e instanceof Error && e.name === "ConnectionResetError")) {
        console.error(`echo server: ${firstLine(e)}`);
      }
    } finally {
      await c.close();
    }
  };
  for (;;) {
    const [c] = await listener.accept();
    serve(c);
  }
}

/** The part of `selectors.ts` the benchmarks use. */
interface PySelectors {
  DefaultSelector: new () => {
    register(fileobj: PySocket, events: number): unknown;
    modify(fileobj: PySocket, events: number): unknown;
    unregister(fileobj: PySocket): unknown;
    select(timeout?: number | null): Promise<[{ fileobj: unknown }, number][]>;
    close(): void;
  };
  EVENT_READ: number;
  EVENT_WRITE: number;
}

/** Whether `e` is a `BlockingIOError` (the call would have waited). */
function wouldBlock(e: unknown): boolean {
  return e instanceof Error && e.name === "BlockingIOError";
}

/**
 * The non-blocking echo server, as Python's `selectors` example writes
 * one: a `DefaultSelector`, the listener and every connection registered
 * for reading, `recv()` / `send()` in non-blocking mode, unsent bytes kept
 * per connection until it is writable.
 */
async function echoSelectors(
  m: PyModule,
  listener: PySocket,
  announce: (port: number) => void,
): Promise<Result> {
  let selectors: PySelectors;
  try {
    selectors = await import(new URL("selectors.ts", root).href);
  } catch (e) {
    await listener.close();
    throw new Unavailable(`cannot import selectors.ts: ${firstLine(e)}`);
  }
  const { EVENT_READ, EVENT_WRITE } = selectors;
  const sel = new selectors.DefaultSelector();
  listener.setblocking(false);
  sel.register(listener, EVENT_READ);
  announce(listener.getsockname()[1]);
  const unsent = new Map<PySocket, Uint8Array>();
  for (;;) {
    for (const [key, events] of await sel.select()) {
      const s = key.fileobj as PySocket;
      if (s === listener) {
        let c: PySocket;
        try {
          [c] = await listener.accept();
        } catch (e) {
          if (wouldBlock(e)) continue;
          throw e;
        }
        c.setsockopt(m.IPPROTO_TCP, m.TCP_NODELAY, 1);
        c.setblocking(false);
        sel.register(c, EVENT_READ);
        continue;
      }
      if (events & EVENT_WRITE) {
        const out = unsent.get(s)!;
        let n = 0;
        try {
          n = await s.send(out);
        } catch (e) {
          if (!wouldBlock(e)) throw e;
        }
        if (n < out.length) unsent.set(s, out.subarray(n));
        else {
          unsent.delete(s);
          sel.modify(s, EVENT_READ);
        }
        continue;
      }
      let d: Uint8Array;
      try {
        d = await s.recv(4096);
      } catch (e) {
        if (wouldBlock(e)) continue;
        d = new Uint8Array(0);
      }
      if (d.length === 0) {
        sel.unregister(s);
        unsent.delete(s);
        await s.close();
        continue;
      }
      let n = 0;
      try {
        n = await s.send(d);
      } catch (e) {
        if (!wouldBlock(e)) throw e;
      }
      if (n < d.length) {
        unsent.set(s, d.subarray(n));
        sel.modify(s, EVENT_READ | EVENT_WRITE);
      }
    }
  }
}

/** Lines: `makefile("rb")` / `makefile("r")`, `readline()` or `for await`. */
export async function lines(p: Of<"lines">): Promise<Result> {
  const m = await load();
  const [client, server] = await pair(m);
  let file: PyFile | undefined;
  try {
    need(server, "makefile");
    const block = lineBlock();
    const binary = p.mode.startsWith("rb");
    file = server.makefile(binary ? "rb" : "r");
    const sending = (async () => {
      for (let b = 0; b < p.blocks; b++) await client.sendall(block);
      await endWrite(m, client);
    })();
    const watch = new Stopwatch();
    let count = 0;
    let bytes = 0;
    let last: Uint8Array | string = "";
    if (p.mode.endsWith("readline")) {
      for (;;) {
        const line = await file.readline();
        if (line.length === 0) break;
        count++;
        bytes += line.length;
        last = line;
      }
    } else {
      for await (const line of file) {
        count++;
        bytes += line.length;
        last = line;
      }
    }
    const { seconds, cpu } = watch.read();
    await sending;
    if (typeof last !== "string") last = new TextDecoder().decode(last);
    return { seconds, cpu, lines: count, bytes, last };
  } finally {
    await file?.close();
    await client.close();
    await server.close();
  }
}

async function udpSockets(m: PyModule): Promise<[PySocket, PySocket]> {
  const receiver = m.socket(m.AF_INET, m.SOCK_DGRAM);
  const sender = m.socket(m.AF_INET, m.SOCK_DGRAM);
  try {
    need(receiver, "recvfrom");
    need(sender, "sendto");
    receiver.bind(["127.0.0.1", 0]);
    sender.bind(["127.0.0.1", 0]);
  } catch (e) {
    await receiver.close();
    await sender.close();
    throw e;
  }
  return [receiver, sender];
}

/** Checks that datagram sockets work: one datagram there, within 2 s. */
export async function probeUdp(): Promise<Result> {
  const m = await load();
  const [receiver, sender] = await udpSockets(m);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const hello = new TextEncoder().encode("probe");
    await sender.sendto(hello, receiver.getsockname());
    const [d] = await Promise.race([
      receiver.recvfrom(64),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("no datagram in 2 s")), 2000);
      }),
    ]);
    if (d.length !== hello.length) throw new Error("datagram damaged");
    return {};
  } finally {
    clearTimeout(timer);
    await receiver.close();
    await sender.close();
  }
}

/** UDP: `sendto` `count` datagrams, `recvfrom(2048)` them, end markers. */
export async function udp(p: Of<"udp">): Promise<Result> {
  const m = await load();
  const [receiver, sender] = await udpSockets(m);
  try {
    const to = receiver.getsockname();
    const window = new SendWindow();
    const sending = (async () => {
      const msg = new Uint8Array(p.size);
      for (let i = 0; i < p.count; i++) {
        msg[0] = i & 255;
        msg[1] = (i >>> 8) & 255;
        msg[2] = (i >>> 16) & 255;
        msg[3] = (i >>> 24) & 255;
        msg[p.size - 1] = (i * 7) & 255;
        await window.room();
        await sender.sendto(msg, to);
        window.sent++;
      }
      const end = new Uint8Array(UDP_END_LENGTH).fill(255);
      for (let k = 0; k < 10; k++) {
        await new Promise((r) => setTimeout(r, k === 0 ? 100 : 20));
        await sender.sendto(end, to);
      }
    })();
    const seen = new Uint8Array(p.count);
    let received = 0;
    let dup = 0;
    let bad = 0;
    const watch = new Stopwatch();
    let tLast = performance.now();
    const t0 = tLast;
    for (;;) {
      const [d] = await receiver.recvfrom(2048);
      if (d.length === UDP_END_LENGTH) break;
      window.arrived();
      const i = d[0] | d[1] << 8 | d[2] << 16 | d[3] << 24;
      if (
        d.length !== p.size || i >= p.count ||
        d[p.size - 1] !== ((i * 7) & 255)
      ) bad++;
      else if (seen[i]) dup++;
      else {
        seen[i] = 1;
        received++;
      }
      tLast = performance.now();
    }
    await sending;
    return {
      seconds: (tLast - t0) / 1000,
      cpu: watch.read().cpu,
      received,
      dup,
      bad,
      count: p.count,
      stalls: window.stalls,
    };
  } finally {
    await receiver.close();
    await sender.close();
  }
}
