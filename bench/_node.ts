/**
 * The Node peer: one CommonJS script for every workload, run as
 * `node -e SCRIPT '<params as JSON>'` (built-in `net` and `dgram` only). It
 * builds the same data as `_common.ts` and prints its result as JSON on the
 * last line. Both ends live in one process, on Node's event loop.
 *
 * @module
 */

/** The Node script. */
export const NODE_SCRIPT = String.raw`
"use strict";
const net = require("node:net");
const dgram = require("node:dgram");
const readline = require("node:readline");
const { once } = require("node:events");

const P = 65521, CHUNK = 65536, BLOCK = 10000, HOST = "127.0.0.1";
const WINDOW = 64, STALL_MS = 50;
const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const now = () => performance.now();
const cpuSince = (c0) => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1e6; };

function pattern() {
  const out = Buffer.alloc(P + CHUNK);
  for (let k = 0; k < out.length; k++) {
    const j = k % P;
    out[k] = (j * 131 + (j >>> 9)) & 255;
  }
  return out;
}

async function pair(server) {
  const accepted = once(server, "connection");
  const c = net.connect(server.address().port, HOST);
  await once(c, "connect");
  const [s] = await accepted;
  return [c, s];
}

async function listen(backlog = 16) {
  const server = net.createServer({ pauseOnConnect: false });
  server.listen({ port: 0, host: HOST, backlog });
  await once(server, "listening");
  return server;
}

function rank(sorted, q) {
  const r = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, r)) - 1];
}

async function bulk(p) {
  const server = await listen();
  const [c, s] = await pair(server);
  server.close();
  const pat = pattern();
  let got = 0, bad = 0;
  const t0 = now(), c0 = process.cpuUsage();
  const done = new Promise((resolve, reject) => {
    s.on("data", (d) => {
      const n = d.length, st = got % P, m = n >>> 1;
      if (d[0] !== pat[st] || d[n - 1] !== pat[st + n - 1] || d[m] !== pat[st + m]) bad++;
      got += n;
    });
    s.on("end", resolve);
    s.on("error", reject);
  });
  for (let off = 0; off < p.total;) {
    const n = Math.min(CHUNK, p.total - off), st = off % P;
    if (!c.write(pat.subarray(st, st + n))) await once(c, "drain");
    off += n;
  }
  c.end();
  await done;
  const seconds = (now() - t0) / 1000, cpu = cpuSince(c0);
  c.destroy();
  s.destroy();
  return { seconds, cpu, bytes: got, bad };
}

function reader(sock) {
  // Collects bytes; take(n) resolves once n bytes are there.
  let chunks = [], have = 0, want = 0, wake = null, ended = false;
  sock.on("data", (d) => {
    chunks.push(d);
    have += d.length;
    if (wake && have >= want) { const w = wake; wake = null; w(); }
  });
  sock.on("end", () => { ended = true; if (wake) { const w = wake; wake = null; w(); } });
  return async function take(n) {
    if (have < n && !ended) {
      want = n;
      await new Promise((r) => { wake = r; });
    }
    if (have < n) return null;
    const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    const out = all.subarray(0, n);
    chunks = all.length > n ? [all.subarray(n)] : [];
    have -= n;
    return out;
  };
}

async function pingpong(p) {
  const server = await listen();
  const [c, s] = await pair(server);
  server.close();
  c.setNoDelay(true);
  s.setNoDelay(true);
  const takeS = reader(s), takeC = reader(c);
  const serving = (async () => {
    for (;;) {
      const d = await takeS(p.size);
      if (d === null) break;
      s.write(d);
    }
    s.end();
  })();
  const lat = new Float64Array(p.rounds);
  let bad = 0, t0 = now(), c0 = process.cpuUsage();
  for (let i = 0; i < p.warmup + p.rounds; i++) {
    if (i === p.warmup) { t0 = now(); c0 = process.cpuUsage(); }
    const msg = Buffer.alloc(p.size);
    msg[0] = i & 255; msg[1] = (i >>> 8) & 255; msg[2] = (i >>> 16) & 255;
    const a = now();
    c.write(msg);
    const reply = await takeC(p.size);
    if (i >= p.warmup) lat[i - p.warmup] = now() - a;
    if (reply === null) throw new Error("early end of stream");
    if (reply[0] !== msg[0] || reply[1] !== msg[1] || reply[2] !== msg[2]) bad++;
  }
  const seconds = (now() - t0) / 1000, cpu = cpuSince(c0);
  c.end();
  await serving;
  c.destroy();
  s.destroy();
  lat.sort();
  return { seconds, cpu, count: p.rounds, bad, p50: rank(lat, 0.5) * 1000, p99: rank(lat, 0.99) * 1000 };
}

async function accept(p) {
  const server = await listen(4096);
  const port = server.address().port;
  let bad = 0, t0 = now(), c0 = process.cpuUsage();
  for (let i = 0; i < p.warmup + p.cycles; i++) {
    if (i === p.warmup) { t0 = now(); c0 = process.cpuUsage(); }
    const accepted = once(server, "connection");
    const c = net.connect(port, HOST);
    await once(c, "connect");
    const [s] = await accepted;
    if (s.remotePort !== c.localPort) bad++;
    s.destroy();
    c.destroy();
  }
  const seconds = (now() - t0) / 1000, cpu = cpuSince(c0);
  server.close();
  return { seconds, cpu, count: p.cycles, bad };
}

function snapshot() {
  const junk = new Array(1024);
  for (let i = 0; i < 200000; i++) junk[i & 1023] = { i };
  if (global.gc) { global.gc(); global.gc(); }
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external };
}

async function idle(p) {
  const server = await listen(4096);
  const held = [];
  let wake = null;
  server.on("connection", (s) => {
    s.setNoDelay(true);
    s.on("error", () => {});
    if (!p.exchange) {
      held.push(s);
      if (wake) wake();
      return;
    }
    s.once("data", (d) => {
      if (d.length !== 32) throw new Error("exchange received " + d.length + " bytes");
      s.write(d, () => { held.push(s); if (wake) wake(); });
    });
  });
  const until = async (n) => { while (held.length < n) await new Promise((r) => { wake = r; }); wake = null; };
  console.log("PORT " + server.address().port);
  await until(p.warm);
  await new Promise((r) => setTimeout(r, 100));
  const before = snapshot();
  await until(p.warm + p.count);
  await new Promise((r) => setTimeout(r, 100));
  const after = snapshot();
  for (const s of held) s.destroy();
  server.close();
  return { count: p.count, rss: after.rss - before.rss, heap: after.heap - before.heap };
}

async function echo(p) {
  const server = net.createServer((s) => {
    s.setNoDelay(true);
    s.on("data", (d) => s.write(d));
    s.on("error", () => {});
  });
  server.listen({ port: 0, host: HOST, backlog: 4096 });
  await once(server, "listening");
  console.log("PORT " + server.address().port);
  await new Promise(() => {});
}

function blockBytes() {
  let s = "";
  for (let j = 0; j < BLOCK; j++) s += String(j).padStart(8, "0") + " " + ALPHABET.slice(0, 20 + (j * 7) % 21) + "\n";
  return Buffer.from(s);
}

async function lines(p) {
  const server = await listen();
  const [c, s] = await pair(server);
  server.close();
  const block = blockBytes();
  const sending = (async () => {
    for (let b = 0; b < p.blocks; b++) if (!c.write(block)) await once(c, "drain");
    c.end();
  })();
  const t0 = now(), c0 = process.cpuUsage();
  let count = 0, bytes = 0, last = "";
  const rl = readline.createInterface({ input: s, crlfDelay: Infinity });
  for await (const line of rl) {
    count++;
    bytes += line.length + 1; // readline strips the "\n"
    last = line;
  }
  const seconds = (now() - t0) / 1000, cpu = cpuSince(c0);
  await sending;
  c.destroy();
  s.destroy();
  return { seconds, cpu, lines: count, bytes, last: last + "\n" };
}

async function udp(p) {
  const r = dgram.createSocket("udp4"), snd = dgram.createSocket("udp4");
  r.bind(0, HOST);
  snd.bind(0, HOST);
  await Promise.all([once(r, "listening"), once(snd, "listening")]);
  const port = r.address().port;
  const seen = new Uint8Array(p.count);
  // Flow control as SendWindow in _common.ts: at most WINDOW in flight.
  const w = { sent: 0, got: 0, stalls: 0, wake: null };
  let received = 0, dup = 0, bad = 0, tLast = 0;
  const t0 = now(), c0 = process.cpuUsage();
  tLast = t0;
  const done = new Promise((resolve) => {
    r.on("message", (d) => {
      if (d.length === 4) return resolve();
      w.got++;
      if (w.wake && w.sent - w.got <= WINDOW / 2) w.wake();
      const i = d.readUInt32LE(0);
      if (d.length !== p.size || i >= p.count || d[p.size - 1] !== ((i * 7) & 255)) bad++;
      else if (seen[i]) dup++;
      else { seen[i] = 1; received++; }
      tLast = now();
    });
  });
  const send = (buf) => new Promise((res, rej) => snd.send(buf, port, HOST, (e) => e ? rej(e) : res()));
  const room = async () => {
    while (w.sent - w.got >= WINDOW) {
      let timer;
      const opened = await new Promise((resolve) => {
        w.wake = () => resolve(true);
        timer = setTimeout(() => resolve(false), STALL_MS);
      });
      clearTimeout(timer);
      w.wake = null;
      if (!opened) { w.stalls++; w.got = w.sent; }
    }
  };
  const sending = (async () => {
    for (let i = 0; i < p.count; i++) {
      await room();
      const msg = Buffer.alloc(p.size);
      msg.writeUInt32LE(i, 0);
      msg[p.size - 1] = (i * 7) & 255;
      await send(msg);
      w.sent++;
    }
    for (let k = 0; k < 10; k++) {
      await new Promise((res) => setTimeout(res, k === 0 ? 100 : 20));
      await send(Buffer.from([255, 255, 255, 255]));
    }
  })();
  await done;
  const cpu = cpuSince(c0);
  await sending;
  r.close();
  snd.close();
  return { seconds: (tLast - t0) / 1000, cpu, received, dup, bad, count: p.count, stalls: w.stalls };
}

(async () => {
  const p = JSON.parse(process.argv[1]);
  let result;
  try {
    result = await ({ bulk, pingpong, accept, idle, lines, udp, echo })[p.workload](p);
  } catch (e) {
    result = { error: (e && e.name) + ": " + (e && e.message) };
  }
  console.log(JSON.stringify(result));
  process.exit(0);
})();
`;
