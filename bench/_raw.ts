/**
 * The raw Deno variants: each workload written directly against
 * `Deno.listen`, `Deno.connect` and `Deno.listenDatagram`, the limit this
 * runtime sets. Run by `_worker.ts` in a fresh process.
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
  Stopwatch,
  UDP_END_LENGTH,
} from "./_common.ts";

const HOST = "127.0.0.1";

type Of<W extends Params["workload"]> = Extract<Params, { workload: W }>;

async function pair(): Promise<[Deno.TcpConn, Deno.TcpConn]> {
  using listener = Deno.listen({ hostname: HOST, port: 0 });
  const [client, server] = await Promise.all([
    Deno.connect({ hostname: HOST, port: listener.addr.port }),
    listener.accept(),
  ]);
  return [client, server];
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  while (data.length > 0) data = data.subarray(await conn.write(data));
}

async function readExactly(conn: Deno.Conn, buf: Uint8Array): Promise<boolean> {
  let got = 0;
  while (got < buf.length) {
    const n = await conn.read(got === 0 ? buf : buf.subarray(got));
    if (n === null) return false;
    got += n;
  }
  return true;
}

/** Bulk: 64 KiB writes one way; reads into one reused buffer (or a new one). */
export async function bulk(p: Of<"bulk">): Promise<Result> {
  const [client, server] = await pair();
  const pattern = bulkPattern();
  const check = new BulkChecker(pattern);
  const watch = new Stopwatch();
  const sending = (async () => {
    for (let off = 0; off < p.total;) {
      const n = Math.min(BULK_CHUNK, p.total - off);
      const st = off % BULK_PERIOD;
      await writeAll(client, pattern.subarray(st, st + n));
      off += n;
    }
    await client.closeWrite();
  })();
  const reused = new Uint8Array(BULK_CHUNK);
  for (;;) {
    const buf = p.mode === "fresh" ? new Uint8Array(BULK_CHUNK) : reused;
    const n = await server.read(buf);
    if (n === null) break;
    check.chunk(buf, n);
  }
  const { seconds, cpu } = watch.read();
  await sending;
  client.close();
  server.close();
  return { seconds, cpu, bytes: check.bytes, bad: check.bad };
}

/**
 * Pingpong: `size`-byte messages echoed, TCP_NODELAY (Deno's default).
 * `preposted`: the client starts its read before it writes.
 */
export async function pingpong(p: Of<"pingpong">): Promise<Result> {
  const [client, server] = await pair();
  client.setNoDelay(true);
  server.setNoDelay(true);
  const serving = (async () => {
    const buf = new Uint8Array(p.size);
    while (await readExactly(server, buf)) await writeAll(server, buf);
    server.close();
  })();
  const msg = new Uint8Array(p.size);
  const reply = new Uint8Array(p.size);
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
    if (p.preposted) {
      const reading = client.read(reply);
      await writeAll(client, msg);
      const n = await reading;
      if (n === null) throw new Error("early end of stream");
      if (n < p.size && !await readExactly(client, reply.subarray(n))) {
        throw new Error("early end of stream");
      }
    } else {
      await writeAll(client, msg);
      if (!await readExactly(client, reply)) {
        throw new Error("early end of stream");
      }
    }
    if (i >= p.warmup) lat[i - p.warmup] = performance.now() - a;
    if (reply[0] !== msg[0] || reply[1] !== msg[1] || reply[2] !== msg[2]) {
      bad++;
    }
  }
  const { seconds, cpu } = watch.read();
  await client.closeWrite();
  await serving;
  client.close();
  lat.sort();
  return {
    seconds,
    cpu,
    count: p.rounds,
    bad,
    p50: percentile(lat, 0.5) * 1000,
    p99: percentile(lat, 0.99) * 1000,
  };
}

/** Accept: connect + accept + close, one connection at a time. */
export async function accept(p: Of<"accept">): Promise<Result> {
  using listener = Deno.listen({ hostname: HOST, port: 0, tcpBacklog: 4096 });
  const port = listener.addr.port;
  let bad = 0;
  let watch = new Stopwatch();
  for (let i = 0; i < p.warmup + p.cycles; i++) {
    if (i === p.warmup) watch = new Stopwatch();
    const [c, s] = await Promise.all([
      Deno.connect({ hostname: HOST, port }),
      listener.accept(),
    ]);
    if (s.remoteAddr.port !== c.localAddr.port) bad++;
    s.close();
    c.close();
  }
  const { seconds, cpu } = watch.read();
  return { seconds, cpu, count: p.cycles, bad };
}

/**
 * Idle: accept `warm` then `count` connections from another process and
 * hold them; report the memory growth over the `count`. With `exchange`,
 * each connection first reads one request into a 4 KiB buffer and writes
 * it back, then posts its next 4 KiB read (what a server waiting for the
 * next request holds).
 */
export async function idle(
  p: Of<"idle">,
  announce: (port: number) => void,
  snapshot: () => Promise<{ rss: number; heap: number }>,
): Promise<Result> {
  using listener = Deno.listen({ hostname: HOST, port: 0, tcpBacklog: 4096 });
  announce(listener.addr.port);
  const held: Deno.TcpConn[] = [];
  const reads: Promise<number | null>[] = [];
  const take = async () => {
    const c = await listener.accept();
    c.setNoDelay(true);
    held.push(c);
    if (!p.exchange) return;
    const buf = new Uint8Array(4096);
    const n = await c.read(buf);
    if (n !== ECHO_SIZE) throw new Error(`exchange received ${n} bytes`);
    await writeAll(c, buf.subarray(0, n));
    reads.push(c.read(new Uint8Array(4096)).catch(() => null));
  };
  for (let i = 0; i < p.warm; i++) await take();
  const before = await snapshot();
  for (let i = 0; i < p.count; i++) await take();
  const after = await snapshot();
  for (const c of held) c.close();
  await Promise.all(reads);
  return {
    count: p.count,
    rss: after.rss - before.rss,
    heap: after.heap - before.heap,
  };
}

/** Echo server: per connection, `read()` into a 4 KiB buffer, write it back. */
export async function echoServer(
  _p: Of<"echo">,
  announce: (port: number) => void,
): Promise<Result> {
  const listener = Deno.listen({ hostname: HOST, port: 0, tcpBacklog: 4096 });
  announce(listener.addr.port);
  const serve = async (c: Deno.TcpConn) => {
    try {
      c.setNoDelay(true);
      const buf = new Uint8Array(4096);
      for (;;) {
        const n = await c.read(buf);
        if (n === null) break;
        await writeAll(c, buf.subarray(0, n));
      }
    } catch (e) {
      console.error(`echo server: ${e}`);
    } finally {
      c.close();
    }
  };
  for await (const c of listener) serve(c);
  return {};
}

/** Lines: a hand-written splitter over `conn.read()`, binary or text. */
export async function lines(p: Of<"lines">): Promise<Result> {
  const [client, server] = await pair();
  const block = lineBlock();
  const sending = (async () => {
    for (let b = 0; b < p.blocks; b++) await writeAll(client, block);
    await client.closeWrite();
  })();
  const watch = new Stopwatch();
  let count = 0;
  let bytes = 0;
  let last = "";
  if (p.mode === "raw-b") {
    const buf = new Uint8Array(65536);
    let have = 0;
    let lastLine: Uint8Array = new Uint8Array(0);
    for (;;) {
      const n = await server.read(buf.subarray(have));
      if (n === null) break;
      have += n;
      const view = buf.subarray(0, have);
      let start = 0;
      let line = lastLine;
      for (let i = view.indexOf(10); i !== -1; i = view.indexOf(10, start)) {
        line = view.subarray(start, i + 1);
        count++;
        bytes += line.length;
        start = i + 1;
      }
      if (start === 0 && have === buf.length) throw new Error("line too long");
      if (start > 0) lastLine = line.slice(); // the buffer is about to move
      buf.copyWithin(0, start, have);
      have -= start;
    }
    last = new TextDecoder().decode(lastLine);
  } else {
    const buf = new Uint8Array(65536);
    const decoder = new TextDecoder();
    let carry = "";
    for (;;) {
      const n = await server.read(buf);
      if (n === null) break;
      const s = carry + decoder.decode(buf.subarray(0, n), { stream: true });
      let start = 0;
      for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", start)) {
        const line = s.slice(start, i + 1);
        count++;
        bytes += line.length;
        last = line;
        start = i + 1;
      }
      carry = s.slice(start);
    }
  }
  const { seconds, cpu } = watch.read();
  await sending;
  client.close();
  server.close();
  return { seconds, cpu, lines: count, bytes, last };
}

/** UDP: `count` datagrams of `size` bytes, then end markers. */
export async function udp(p: Of<"udp">): Promise<Result> {
  const open = () => Deno.listenDatagram({ hostname: HOST, port: 0, transport: "udp" });
  const receiver = open();
  const sender = open();
  try {
    const to = receiver.addr;
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
        await sender.send(msg, to);
        window.sent++;
      }
      const end = new Uint8Array(UDP_END_LENGTH).fill(255);
      for (let k = 0; k < 10; k++) {
        await new Promise((r) => setTimeout(r, k === 0 ? 100 : 20));
        await sender.send(end, to);
      }
    })();
    const seen = new Uint8Array(p.count);
    const buf = new Uint8Array(2048);
    let received = 0;
    let dup = 0;
    let bad = 0;
    const watch = new Stopwatch();
    let tLast = performance.now();
    const t0 = tLast;
    for (;;) {
      const [d] = await receiver.receive(buf);
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
    receiver.close();
    sender.close();
  }
}
