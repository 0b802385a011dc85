/**
 * TLS benchmarks: bulk transfer (64 MiB by default) and handshakes per
 * second, for pysocket's `ssl`, native Deno (`Deno.listenTls` /
 * `Deno.connectTls`), python3's `ssl` and Node's `tls`. Both ends of each
 * connection run in one process (Python: a thread for the server side), over
 * loopback, with a CA + leaf certificate made by `openssl` at start.
 *
 * ```ts ignore
 * import { runTlsBench } from "./_tls.ts";
 * for (const r of await runTlsBench()) console.log(r);
 * ```
 *
 * Each measurement is bounded: bulk moves `total` bytes (64 MiB), the
 * handshake loop runs for `seconds` (2 s).
 *
 * @module
 */

import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { makeCerts } from "../tests/_tls_certs.ts";

/** Which implementation a row measures. */
export type TlsImpl = "pysocket" | "deno" | "python" | "node";

/** One measurement. */
export interface TlsResult {
  impl: TlsImpl;
  workload: "tls-bulk" | "tls-handshake";
  /** MiB/s for bulk, handshakes/s for handshakes. */
  value: number;
  unit: "MiB/s" | "handshakes/s";
  seconds: number;
}

/** Certificate files the benchmarks use. */
export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

const MiB = 1024 * 1024;
const CHUNK = 65536;

function chunk(): Uint8Array {
  const data = new Uint8Array(CHUNK);
  for (let i = 0; i < CHUNK; i++) data[i] = (i * 131 + (i >> 9)) & 255;
  return data;
}

// ------------------------------------------------------------------ pysocket

async function pysocketPair(
  files: TlsFiles,
): Promise<[ssl.SSLSocket, ssl.SSLSocket, socket.Socket]> {
  const cctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cafile: files.ca });
  const sctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  sctx.load_cert_chain(files.cert, files.key);
  const listener = socket.create_server(["127.0.0.1", 0]);
  const client = socket.socket();
  await client.connect(listener.getsockname());
  const [conn] = await listener.accept();
  const [c, s] = await Promise.all([
    cctx.wrap_socket(client, { server_hostname: "localhost" }),
    sctx.wrap_socket(conn, { server_side: true }),
  ]);
  return [c, s, listener];
}

/** pysocket `ssl`: bulk, client → server. */
export async function pysocketBulk(files: TlsFiles, total = 64 * MiB): Promise<TlsResult> {
  const [c, s, listener] = await pysocketPair(files);
  const data = chunk();
  const start = performance.now();
  const sending = (async () => {
    for (let sent = 0; sent < total; sent += CHUNK) await c.sendall(data);
  })();
  const buf = new Uint8Array(CHUNK * 4);
  let got = 0;
  while (got < total) {
    const n = await s.recv_into(buf);
    if (n === 0) throw new Error("early end of stream");
    got += n;
  }
  await sending;
  const seconds = (performance.now() - start) / 1000;
  await Promise.all([c.close(), s.close(), listener.close()]);
  return {
    impl: "pysocket",
    workload: "tls-bulk",
    value: total / MiB / seconds,
    unit: "MiB/s",
    seconds,
  };
}

/** pysocket `ssl`: full handshakes per second (connect, handshake, close). */
export async function pysocketHandshakes(files: TlsFiles, seconds = 2): Promise<TlsResult> {
  const cctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cafile: files.ca });
  const sctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  sctx.load_cert_chain(files.cert, files.key);
  const listener = socket.create_server(["127.0.0.1", 0]);
  const address = listener.getsockname();
  let count = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  while (performance.now() < until) {
    const client = socket.socket();
    await client.connect(address);
    const [conn] = await listener.accept();
    const [c, s] = await Promise.all([
      cctx.wrap_socket(client, { server_hostname: "localhost" }),
      sctx.wrap_socket(conn, { server_side: true }),
    ]);
    await Promise.all([c.close(), s.close()]);
    count++;
  }
  const elapsed = (performance.now() - start) / 1000;
  await listener.close();
  return {
    impl: "pysocket",
    workload: "tls-handshake",
    value: count / elapsed,
    unit: "handshakes/s",
    seconds: elapsed,
  };
}

// ------------------------------------------------------------------ native Deno

async function denoPair(files: TlsFiles): Promise<[Deno.TlsConn, Deno.TlsConn, Deno.TlsListener]> {
  const listener = Deno.listenTls({
    hostname: "127.0.0.1",
    port: 0,
    cert: await Deno.readTextFile(files.cert),
    key: await Deno.readTextFile(files.key),
  });
  const caCerts = [await Deno.readTextFile(files.ca)];
  const [c, s] = await Promise.all([
    Deno.connectTls({ hostname: "localhost", port: listener.addr.port, caCerts }),
    listener.accept(),
  ]);
  await Promise.all([c.handshake(), s.handshake()]);
  return [c, s, listener];
}

/** Native `Deno.connectTls` / `Deno.listenTls`: bulk, client → server. */
export async function denoBulk(files: TlsFiles, total = 64 * MiB): Promise<TlsResult> {
  const [c, s, listener] = await denoPair(files);
  const data = chunk();
  const start = performance.now();
  const sending = (async () => {
    for (let sent = 0; sent < total; sent += CHUNK) {
      let at = 0;
      while (at < CHUNK) at += await c.write(data.subarray(at));
    }
  })();
  const buf = new Uint8Array(CHUNK * 4);
  let got = 0;
  while (got < total) {
    const n = await s.read(buf);
    if (n === null) throw new Error("early end of stream");
    got += n;
  }
  await sending;
  const seconds = (performance.now() - start) / 1000;
  c.close();
  s.close();
  listener.close();
  return {
    impl: "deno",
    workload: "tls-bulk",
    value: total / MiB / seconds,
    unit: "MiB/s",
    seconds,
  };
}

/** Native Deno TLS: full handshakes per second. */
export async function denoHandshakes(files: TlsFiles, seconds = 2): Promise<TlsResult> {
  const listener = Deno.listenTls({
    hostname: "127.0.0.1",
    port: 0,
    cert: await Deno.readTextFile(files.cert),
    key: await Deno.readTextFile(files.key),
  });
  const caCerts = [await Deno.readTextFile(files.ca)];
  let count = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  while (performance.now() < until) {
    const [c, s] = await Promise.all([
      Deno.connectTls({ hostname: "localhost", port: listener.addr.port, caCerts }),
      listener.accept(),
    ]);
    await Promise.all([c.handshake(), s.handshake()]);
    c.close();
    s.close();
    count++;
  }
  const elapsed = (performance.now() - start) / 1000;
  listener.close();
  return {
    impl: "deno",
    workload: "tls-handshake",
    value: count / elapsed,
    unit: "handshakes/s",
    seconds: elapsed,
  };
}

// ------------------------------------------------------------------ python3 and node

const PYTHON = String.raw`
import json, socket, ssl, sys, threading, time
ca, cert, key, workload, amount = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
cctx = ssl.create_default_context(cafile=ca)
sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); sctx.load_cert_chain(cert, key)
ls = socket.create_server(("127.0.0.1", 0)); addr = ls.getsockname()
data = bytes(((i * 131 + (i >> 9)) & 255) for i in range(65536))
if workload == "bulk":
    total = int(amount)
    def serve():
        conn, _ = ls.accept()
        s = sctx.wrap_socket(conn, server_side=True)
        buf = bytearray(262144); got = 0
        while got < total:
            n = s.recv_into(buf)
            if not n: raise SystemExit("early end")
            got += n
        s.close()
    t = threading.Thread(target=serve); t.start()
    c = cctx.wrap_socket(socket.create_connection(addr), server_hostname="localhost")
    start = time.perf_counter()
    sent = 0
    while sent < total:
        c.sendall(data); sent += len(data)
    t.join(); secs = time.perf_counter() - start
    c.close()
    print(json.dumps({"seconds": secs, "count": total}))
else:
    stop = [False]
    def serve():
        while True:
            conn, _ = ls.accept()
            if stop[0]: conn.close(); return
            try:
                s = sctx.wrap_socket(conn, server_side=True); s.close()
            except OSError:
                conn.close()
    t = threading.Thread(target=serve); t.start()
    start = time.perf_counter(); count = 0
    while time.perf_counter() - start < amount:
        c = cctx.wrap_socket(socket.create_connection(addr), server_hostname="localhost")
        c.close(); count += 1
    secs = time.perf_counter() - start
    stop[0] = True; socket.create_connection(addr).close(); t.join()
    print(json.dumps({"seconds": secs, "count": count}))
`;

const NODE = String.raw`
const tls = require("node:tls"); const fs = require("node:fs");
const [ca, cert, key, workload, amountText] = process.argv.slice(1);
const amount = Number(amountText);
const data = Buffer.alloc(65536); for (let i = 0; i < 65536; i++) data[i] = (i * 131 + (i >> 9)) & 255;
const server = tls.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) });
const opts = (port) => ({ host: "127.0.0.1", port, servername: "localhost", ca: fs.readFileSync(ca) });
server.listen(0, "127.0.0.1", async () => {
  const port = server.address().port;
  if (workload === "bulk") {
    let got = 0, start = 0;
    server.on("secureConnection", (s) => s.on("data", (d) => {
      got += d.length;
      if (got >= amount) { const secs = (performance.now() - start) / 1000; console.log(JSON.stringify({ seconds: secs, count: amount })); s.destroy(); c.destroy(); server.close(); }
    }));
    const c = tls.connect(opts(port), () => {
      start = performance.now(); let sent = 0;
      const pump = () => { while (sent < amount) { sent += data.length; if (!c.write(data)) { c.once("drain", pump); return; } } };
      pump();
    });
  } else {
    server.on("secureConnection", (s) => s.end());
    const start = performance.now(); let count = 0;
    while (performance.now() - start < amount * 1000) {
      await new Promise((resolve, reject) => { const c = tls.connect(opts(port), () => { c.end(); c.destroy(); resolve(); }); c.on("error", reject); });
      count++;
    }
    console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000, count }));
    server.close();
  }
});
`;

async function external(
  impl: "python" | "node",
  files: TlsFiles,
  workload: "bulk" | "handshake",
  amount: number,
): Promise<TlsResult> {
  const [cmd, args] = impl === "python" ? ["python3", ["-c", PYTHON]] : ["node", ["-e", NODE]];
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 120_000);
  try {
    const out = await new Deno.Command(cmd, {
      args: [...args, files.ca, files.cert, files.key, workload, String(amount)],
      stdout: "piped",
      stderr: "piped",
      signal: abort.signal,
    }).output();
    const text = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
    if (!out.success) throw new Error(`${cmd}: ${new TextDecoder().decode(out.stderr)}`);
    const { seconds, count } = JSON.parse(text) as { seconds: number; count: number };
    return workload === "bulk"
      ? { impl, workload: "tls-bulk", value: count / MiB / seconds, unit: "MiB/s", seconds }
      : { impl, workload: "tls-handshake", value: count / seconds, unit: "handshakes/s", seconds };
  } finally {
    clearTimeout(timer);
  }
}

/** python3's `ssl`: bulk (a thread serves). */
export function pythonBulk(files: TlsFiles, total = 64 * MiB): Promise<TlsResult> {
  return external("python", files, "bulk", total);
}

/** python3's `ssl`: handshakes per second. */
export function pythonHandshakes(files: TlsFiles, seconds = 2): Promise<TlsResult> {
  return external("python", files, "handshake", seconds);
}

/** Node's `tls` (the `node` binary): bulk. */
export function nodeBulk(files: TlsFiles, total = 64 * MiB): Promise<TlsResult> {
  return external("node", files, "bulk", total);
}

/** Node's `tls`: handshakes per second. */
export function nodeHandshakes(files: TlsFiles, seconds = 2): Promise<TlsResult> {
  return external("node", files, "handshake", seconds);
}

/**
 * Runs every TLS measurement (bulk then handshakes, for each
 * implementation available), making and removing its certificates.
 * Implementations whose program is missing (python3, node) are skipped.
 */
export async function runTlsBench(
  options: { total?: number; seconds?: number; impls?: TlsImpl[] } = {},
): Promise<TlsResult[]> {
  const total = options.total ?? 64 * MiB;
  const seconds = options.seconds ?? 2;
  const impls = options.impls ?? ["pysocket", "deno", "python", "node"];
  await using certs = await makeCerts();
  const files = { ca: certs.ca, cert: certs.cert, key: certs.key };
  const results: TlsResult[] = [];
  const table = {
    pysocket: [pysocketBulk, pysocketHandshakes],
    deno: [denoBulk, denoHandshakes],
    python: [pythonBulk, pythonHandshakes],
    node: [nodeBulk, nodeHandshakes],
  } as const;
  for (const impl of impls) {
    try {
      results.push(await table[impl][0](files, total));
      results.push(await table[impl][1](files, seconds));
    } catch (e) {
      console.error(`tls bench: ${impl} skipped: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  return results;
}

if (import.meta.main) {
  for (const r of await runTlsBench()) {
    console.log(`${r.workload.padEnd(14)} ${r.impl.padEnd(9)} ${r.value.toFixed(1)} ${r.unit}`);
  }
}
