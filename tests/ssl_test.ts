// Copyright 2025 the pysocket authors. MIT license.
// ssl.ts against real peers: python3's ssl module (client, server, STARTTLS
// both ways, client certificates), openssl s_server / s_client and curl,
// with python3 as the oracle for getpeercert(), version(), cipher() and the
// error for each failure case. Certificates are made at test time.

import assert from "node:assert/strict";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { POLLIN, POLLNVAL, readiness } from "../_readiness.ts";
import { has, makeCerts } from "./_tls_certs.ts";
import {
  assertBytes,
  concat,
  listener,
  pair,
  prng,
  pythonJSON,
  randomBytes,
  rejects,
  tick,
  withPythonPeer,
} from "./_utils.ts";

const HAVE_OPENSSL = await has("openssl");
const HAVE_CURL = await has("curl");
if (!HAVE_OPENSSL) console.log("ssl_test.ts: openssl not installed: TLS tests skipped");
if (!HAVE_CURL) console.log("ssl_test.ts: curl not installed: the curl test is skipped");

const certs = HAVE_OPENSSL ? await makeCerts() : null;
globalThis.addEventListener("unload", () => {
  if (certs) Deno.removeSync(certs.dir, { recursive: true });
});
const C = certs!;

function test(name: string, fn: () => Promise<void>, extra: { needs?: boolean } = {}): void {
  Deno.test({ name, ignore: !HAVE_OPENSSL || extra.needs === false, fn });
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function clientContext(): ssl.SSLContext {
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  ctx.load_verify_locations(C.ca);
  return ctx;
}

function serverContext(cert = C.cert, key = C.key): ssl.SSLContext {
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  ctx.load_cert_chain(cert, key);
  return ctx;
}

/** Reads until `n` bytes or end of stream. */
async function readN(s: ssl.SSLSocket, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const chunk = await s.recv(n - got);
    if (chunk.length === 0) break;
    out.set(chunk, got);
    got += chunk.length;
  }
  return out.subarray(0, got);
}

// ------------------------------------------------------------------ python3 peers

const PY_SERVER = (opts = "") => `
import socket, ssl, json, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(${JSON.stringify(C?.cert)}, ${JSON.stringify(C?.key)})
${opts}
srv = socket.create_server(("127.0.0.1", 0))
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
s = ctx.wrap_socket(conn, server_side=True)
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk: break
    s.sendall(chunk)
    data += chunk
print(json.dumps({"n": len(data), "version": s.version(), "cipher": s.cipher(), "peer": s.getpeercert()}), flush=True)
s.close()
`;

test("SSLSocket client: echo through a python3 ssl server; version() and cipher() as python3", async () => {
  await withPythonPeer(PY_SERVER(), async (peer) => {
    const sock = await socket.create_connection(["127.0.0.1", peer.port]);
    const tls = await clientContext().wrap_socket(sock, { server_hostname: "localhost" });
    const payload = randomBytes(200_000, 1);
    await tls.sendall(payload);
    assert.deepEqual(await readN(tls, payload.length), payload);
    const version = tls.version();
    const cipher = tls.cipher();
    await tls.shutdown(socket.SHUT_WR);
    assert.equal((await tls.recv(10)).length, 0);
    await tls.close();
    const report = JSON.parse((await peer.line())!);
    assert.equal(report.n, payload.length);
    assert.equal(version, report.version);
    assert.deepEqual(cipher, report.cipher);
    assert.equal((await peer.wait()).code, 0);
  });
});

test("SSLSocket server: a python3 ssl client's echo, getpeercert() dict equal to python3's", async () => {
  await using srv = await listener();
  const port = (srv.address as [string, number])[1];
  const script = `
import socket, ssl, json
ctx = ssl.create_default_context(cafile=${JSON.stringify(C.ca)})
with socket.create_connection(("127.0.0.1", ${port})) as raw:
    with ctx.wrap_socket(raw, server_hostname="localhost") as s:
        s.sendall(b"hello over tls\\n")
        got = s.recv(100)
        print(json.dumps({"got": got.decode(), "cert": s.getpeercert(), "version": s.version(), "cipher": s.cipher()}), flush=True)
`;
  const py = pythonJSON<{ got: string; cert: unknown; version: string; cipher: unknown }>(script);
  const [conn] = await srv.sock.accept();
  await using tls = await serverContext().wrap_socket(conn, { server_side: true });
  const line = await tls.recv(100);
  await tls.sendall(line);
  const report = await py;
  assert.equal(report.got, "hello over tls\n");
  assert.equal(tls.version(), report.version);
  assert.deepEqual(tls.cipher(), report.cipher);
  // Our client's view of the same server certificate must equal python3's.
  const sock = socket.socket();
  const srv2 = socket.socket();
  srv2.bind(["127.0.0.1", 0]);
  srv2.listen();
  await sock.connect(srv2.getsockname());
  const [conn2] = await srv2.accept();
  const [client, server] = await Promise.all([
    clientContext().wrap_socket(sock, { server_hostname: "localhost" }),
    serverContext().wrap_socket(conn2, { server_side: true }),
  ]);
  assert.deepEqual(JSON.parse(JSON.stringify(client.getpeercert())), report.cert);
  await Promise.all([client.close(), server.close(), srv2.close()]);
});

// ------------------------------------------------------------------ STARTTLS

test("STARTTLS client: SMTP-like dialogue with a python3 server, then TLS on the same socket", async () => {
  const script = `
import socket, ssl
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(${JSON.stringify(C.cert)}, ${JSON.stringify(C.key)})
srv = socket.create_server(("127.0.0.1", 0))
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
f = conn.makefile("rb")
conn.sendall(b"220 smtp.example ESMTP\\r\\n")
assert f.readline() == b"EHLO client\\r\\n"
conn.sendall(b"250-smtp.example\\r\\n250 STARTTLS\\r\\n")
assert f.readline() == b"STARTTLS\\r\\n"
conn.sendall(b"220 Go ahead\\r\\n")
s = ctx.wrap_socket(conn, server_side=True)
sf = s.makefile("rwb")
assert sf.readline() == b"EHLO client\\r\\n"
sf.write(b"250 secure hello\\r\\n"); sf.flush()
print(sf.readline().decode().strip(), flush=True)
s.close()
`;
  await withPythonPeer(script, async (peer) => {
    const sock = await socket.create_connection(["127.0.0.1", peer.port]);
    const f = sock.makefile("rwb");
    assert.equal(dec.decode(await f.readline()), "220 smtp.example ESMTP\r\n");
    await f.write(enc.encode("EHLO client\r\n"));
    await f.flush();
    assert.equal(dec.decode(await f.readline()), "250-smtp.example\r\n");
    assert.equal(dec.decode(await f.readline()), "250 STARTTLS\r\n");
    await f.write(enc.encode("STARTTLS\r\n"));
    await f.flush();
    assert.equal(dec.decode(await f.readline()), "220 Go ahead\r\n");
    await f.close();
    const tls = await clientContext().wrap_socket(sock, { server_hostname: "localhost" });
    const tf = tls.makefile("rw", { newline: "" });
    await tf.write("EHLO client\r\n");
    await tf.flush();
    assert.equal(await tf.readline(), "250 secure hello\r\n");
    await tf.write("QUIT\r\n");
    await tf.close();
    await tls.close();
    assert.equal(await peer.line(), "QUIT");
    assert.equal((await peer.wait()).code, 0);
  });
});

test("STARTTLS server: the ClientHello already buffered behind readline() goes to TLS", async () => {
  await using srv = await listener();
  const port = (srv.address as [string, number])[1];
  // The client sends STARTTLS and its ClientHello at once, without waiting for the reply.
  const script = `
import socket, ssl, json
ctx = ssl.create_default_context(cafile=${JSON.stringify(C.ca)})
raw = socket.create_connection(("127.0.0.1", ${port}))
f = raw.makefile("rb")
assert f.readline() == b"220 ready\\r\\n"
raw.sendall(b"STARTTLS\\r\\n")
s = ctx.wrap_socket(raw, server_side=False, server_hostname="localhost", do_handshake_on_connect=False)
s.do_handshake()
s.sendall(b"secret line\\n")
print(json.dumps({"got": s.recv(100).decode(), "v": s.version()}), flush=True)
s.close()
`;
  const py = pythonJSON<{ got: string; v: string }>(script);
  const [conn] = await srv.sock.accept();
  await conn.sendall("220 ready\r\n");
  const f = conn.makefile("rb");
  // Wait for the ClientHello to be buffered behind the line, to make the case real.
  assert.equal(dec.decode(await f.readline()), "STARTTLS\r\n");
  await f.close();
  const tls = await serverContext().wrap_socket(conn, { server_side: true });
  const tf = tls.makefile("rb");
  const line = await tf.readline();
  assert.equal(dec.decode(line), "secret line\n");
  await tls.sendall(enc.encode("reply\n"));
  await tf.close();
  await tls.close();
  const report = await py;
  assert.equal(report.got, "reply\n");
  assert.equal(report.v, "TLSv1.3");
});

test("SSLContext server with CERT_REQUIRED: python3 client with and without a client certificate", async () => {
  for (const withCert of [true, false]) {
    await using srv = await listener();
    const port = (srv.address as [string, number])[1];
    const script = `
import socket, ssl, json
ctx = ssl.create_default_context(cafile=${JSON.stringify(C.ca)})
${
      withCert
        ? `ctx.load_cert_chain(${JSON.stringify(C.clientCert)}, ${JSON.stringify(C.clientKey)})`
        : ""
    }
try:
    with ctx.wrap_socket(socket.create_connection(("127.0.0.1", ${port})), server_hostname="localhost") as s:
        s.sendall(b"hi")
        print(json.dumps({"got": s.recv(10).decode()}), flush=True)
except ssl.SSLError as e:
    print(json.dumps({"error": type(e).__name__, "reason": e.reason}), flush=True)
`;
    const py = pythonJSON<{ got?: string; error?: string; reason?: string }>(script);
    const ctx = serverContext();
    ctx.verify_mode = ssl.CERT_REQUIRED;
    ctx.load_verify_locations(C.ca);
    const [conn] = await srv.sock.accept();
    if (withCert) {
      await using tls = await ctx.wrap_socket(conn, { server_side: true });
      const peerCert = tls.getpeercert()!;
      assert.deepEqual(peerCert.subject, [[["organizationName", "pysocket"]], [[
        "commonName",
        "client",
      ]]]);
      await tls.sendall(await tls.recv(10));
      assert.deepEqual(await py, { got: "hi" });
    } else {
      await rejects(ctx.wrap_socket(conn, { server_side: true }), ssl.SSLError, {
        message: /^\[SSL: (PEER_DID_NOT_RETURN_A_CERTIFICATE|[A-Z_]+)\]/,
      });
      // python3's server sends the alert "certificate required"; node:tls closes without
      // one, so the python3 client sees an end of stream: either way, no data.
      const report = await py;
      assert.notEqual(report.got, "hi", JSON.stringify(report));
    }
  }
});

// ------------------------------------------------------------------ errors, python3 as the oracle

interface Case {
  name: string;
  /** Server certificate and key. */
  cert?: string;
  key?: string;
  hostname?: string;
  serverMin?: boolean; // server minimum TLS 1.3
  clientMax?: boolean; // client maximum TLS 1.2
  plainServer?: boolean; // the "server" speaks plaintext
  plainClient?: boolean; // the "client" speaks plaintext
  requireClientCert?: boolean;
  closeAtOnce?: boolean; // the "server" closes without a word
}

const CASES: Case[] = [
  { name: "unknown CA", cert: "strangerCert", key: "strangerKey" },
  { name: "wrong hostname", hostname: "example.com" },
  { name: "expired certificate", cert: "expired", key: "expiredKey" },
  { name: "protocol mismatch", serverMin: true, clientMax: true },
  { name: "server not speaking TLS", plainServer: true },
  { name: "client not speaking TLS", plainClient: true },
  { name: "client certificate missing", requireClientCert: true },
  { name: "server closes during the handshake", closeAtOnce: true },
];

type ErrorReport =
  | {
    cls: string;
    message: string;
    errno: number | null;
    library: string | null;
    reason: string | null;
    verify_code?: number | null;
    verify_message?: string | null;
  }
  | "ok"
  | null;

function caseFiles(c: Case): { cert: string; key: string } {
  const files = C as unknown as Record<string, string>;
  return { cert: files[c.cert ?? "cert"], key: files[c.key ?? "key"] };
}

/** python3 code for one side of a case: prints the port (server), then its outcome as JSON. */
function pySide(c: Case, role: "server" | "client", port = 0): string {
  const { cert, key } = caseFiles(c);
  return `
import socket, ssl, json, sys
def report(e):
    if e is None: return "ok"
    return {"cls": type(e).__name__, "message": str(e).rsplit(" (_ssl.c:", 1)[0], "errno": e.errno,
            "library": getattr(e, "library", None), "reason": getattr(e, "reason", None),
            **({"verify_code": e.verify_code, "verify_message": e.verify_message} if hasattr(e, "verify_code") else {})}
role = ${JSON.stringify(role)}
if role == "server":
    srv = socket.create_server(("127.0.0.1", 0))
    print(srv.getsockname()[1], flush=True)
    conn, _ = srv.accept()
    if ${c.plainServer ? "True" : "False"}:
        conn.sendall(b"220 smtp.example ESMTP\\r\\n"); conn.recv(1000); conn.close(); print("null"); sys.exit()
    if ${c.closeAtOnce ? "True" : "False"}:
        conn.recv(1000); conn.close(); print("null"); sys.exit()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(${JSON.stringify(cert)}, ${JSON.stringify(key)})
    ${c.serverMin ? "ctx.minimum_version = ssl.TLSVersion.TLSv1_3" : ""}
    ${
    c.requireClientCert
      ? `ctx.verify_mode = ssl.CERT_REQUIRED; ctx.load_verify_locations(${JSON.stringify(C?.ca)})`
      : ""
  }
    err = None
    try:
        s = ctx.wrap_socket(conn, server_side=True)
        s.recv(10)
        s.close()
    except (ssl.SSLError, OSError) as e:
        err = e
    print(json.dumps(report(err)), flush=True)
else:
    raw = socket.create_connection(("127.0.0.1", ${port}))
    if ${c.plainClient ? "True" : "False"}:
        raw.sendall(b"EHLO client.example\\r\\n")
        try: raw.recv(1000)
        except OSError: pass
        raw.close(); print("null"); sys.exit()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(${JSON.stringify(C?.ca)})
    ${c.clientMax ? "ctx.maximum_version = ssl.TLSVersion.TLSv1_2" : ""}
    err = None
    try:
        s = ctx.wrap_socket(raw, server_hostname=${JSON.stringify(c.hostname ?? "localhost")})
        # Without a client certificate, TLS 1.3's alert comes after the handshake: a send
        # could race the server's close (EOF instead of the alert), so only read.
        ${c.requireClientCert ? "" : 's.sendall(b"x")'}
        s.recv(10)
        s.close()
    except (ssl.SSLError, OSError) as e:
        err = e
    print(json.dumps(report(err)), flush=True)
`;
}

function ourReport(e: unknown): ErrorReport {
  if (e === null) return "ok";
  const err = e as ssl.SSLCertVerificationError;
  const out: Exclude<ErrorReport, "ok" | null> = {
    cls: err.name,
    message: err.message,
    errno: err.errno,
    library: err.library ?? null,
    reason: err.reason ?? null,
  };
  if (err instanceof ssl.SSLCertVerificationError) {
    out.verify_code = err.verify_code;
    out.verify_message = err.verify_message;
  }
  return out;
}

/** Python's own outcome of the case: python3 server and python3 client. */
async function oracle(c: Case): Promise<{ server: ErrorReport; client: ErrorReport }> {
  return await withPythonPeer(pySide(c, "server"), async (peer) => {
    const client = await pythonJSON<ErrorReport>(pySide(c, "client", peer.port));
    const server = JSON.parse((await peer.line())!) as ErrorReport;
    return { server, client };
  });
}

/**
 * Our side as the client of a python3 server (or as the server of a python3
 * client): our outcome, and what the python3 peer saw.
 */
async function ours(
  c: Case,
  role: "server" | "client",
): Promise<{ mine: ErrorReport; peer: ErrorReport }> {
  const { cert, key } = caseFiles(c);
  if (role === "client") {
    return await withPythonPeer(pySide(c, "server"), async (peer) => {
      let mine: ErrorReport;
      const ctx = clientContext();
      if (c.clientMax) ctx.maximum_version = ssl.TLSVersion.TLSv1_2;
      const raw = await socket.create_connection(["127.0.0.1", peer.port]);
      // wrap_socket() detaches `raw` (its close() is then a no-op, as in
      // Python): the TLS socket is the one to close, whatever happens.
      let s: ssl.SSLSocket | undefined;
      try {
        s = await ctx.wrap_socket(raw, { server_hostname: c.hostname ?? "localhost" });
        if (!c.requireClientCert) await s.sendall("x");
        await s.recv(10);
        await s.close();
        mine = "ok";
      } catch (e) {
        mine = ourReport(e);
      } finally {
        await s?.close();
        await raw.close();
      }
      const out = (await peer.wait()).stdout.trim().split("\n").pop()!;
      return { mine, peer: JSON.parse(out) as ErrorReport };
    });
  }
  await using srv = await listener();
  const port = (srv.address as [string, number])[1];
  const py = pythonJSON<ErrorReport>(pySide(c, "client", port));
  const [conn] = await srv.sock.accept();
  let result: ErrorReport;
  try {
    if (c.plainServer || c.closeAtOnce) {
      await conn.sendall(c.plainServer ? "220 smtp.example ESMTP\r\n" : "");
      await conn.recv(1000);
      result = null;
    } else {
      const ctx = serverContext(cert, key);
      if (c.serverMin) ctx.minimum_version = ssl.TLSVersion.TLSv1_3;
      if (c.requireClientCert) {
        ctx.verify_mode = ssl.CERT_REQUIRED;
        ctx.load_verify_locations(C.ca);
      }
      const s = await ctx.wrap_socket(conn, { server_side: true });
      await s.recv(10);
      await s.close();
      result = "ok";
    }
  } catch (e) {
    result = ourReport(e);
  } finally {
    await conn.close();
  }
  return { mine: result, peer: await py };
}

/**
 * Where our side fails the handshake, node:tls closes without sending the
 * TLS alert OpenSSL sends, so the python3 peer sees an end of stream
 * (`SSLEOFError`) instead of the alert (documented in ssl.ts). In every
 * other case the peer's view is python3's own.
 */
const EOF_INSTEAD_OF_ALERT = new Set([
  "client-role unknown CA",
  "client-role wrong hostname",
  "client-role expired certificate",
  "server-role protocol mismatch",
]);
const PEER_EOF: ErrorReport = {
  cls: "SSLEOFError",
  message: "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol",
  errno: 8,
  library: "SSL",
  reason: "UNEXPECTED_EOF_WHILE_READING",
};

function checkPeer(role: string, c: Case, got: ErrorReport, python: ErrorReport): void {
  const key = `${role} ${c.name}`;
  if (EOF_INSTEAD_OF_ALERT.has(key)) assert.deepEqual(got, PEER_EOF, key);
  else if (key === "server-role client certificate missing") {
    // TLS 1.3: the client's handshake completes; without the alert its read sees the close.
    assert.ok(got === "ok" || (got !== null && got.cls === "SSLEOFError"), JSON.stringify(got));
  } else assert.deepEqual(got, python, `the python3 peer's view, ${key}`);
}

for (const c of CASES) {
  test(`ssl errors as python3: ${c.name}`, async () => {
    const want = await oracle(c);
    if (!c.plainClient) {
      const got = await ours(c, "client");
      assert.deepEqual(got.mine, want.client, `client side of "${c.name}"`);
      checkPeer("client-role", c, got.peer, want.server);
    }
    if (!c.plainServer && !c.closeAtOnce) {
      const got = await ours(c, "server");
      assert.deepEqual(got.mine, want.server, `server side of "${c.name}"`);
      checkPeer("server-role", c, got.peer, want.client);
    }
  });
}

// ------------------------------------------------------------------ modes: nothing lost

/** A TLS connection between two of our sockets: `[client, server]`; dispose closes both. */
async function tlsPair(): Promise<[ssl.SSLSocket, ssl.SSLSocket] & AsyncDisposable> {
  const p = await pair();
  const [a, b] = p;
  const [client, server] = await Promise.all([
    clientContext().wrap_socket(a, { server_hostname: "localhost" }),
    serverContext().wrap_socket(b, { server_side: true }),
  ]);
  const result = [client, server] as [ssl.SSLSocket, ssl.SSLSocket] & AsyncDisposable;
  result[Symbol.asyncDispose] = async () => {
    await Promise.all([client.close(), server.close()]);
    await p[Symbol.asyncDispose]();
  };
  return result;
}

/** Sends `data` in random pieces with random pauses, then shuts down writing. */
async function trickle(s: ssl.SSLSocket, data: Uint8Array, seed: number): Promise<void> {
  const rand = prng(seed);
  for (let at = 0; at < data.length;) {
    const n = Math.min(data.length - at, 1 + Math.floor(rand() * 200_000));
    await s.sendall(data.subarray(at, at + n));
    at += n;
    if (rand() < 0.3) await tick(Math.floor(rand() * 30));
  }
  await s.shutdown(socket.SHUT_WR);
}

for (const seed of [1, 2, 3]) {
  test(`SSLSocket.recv() with a timeout in a large transfer loses nothing (seed ${seed})`, async () => {
    await using p = await tlsPair();
    const [client, server] = p;
    const data = randomBytes(3_000_000, seed);
    const sending = trickle(server, data, seed);
    client.settimeout(0.005);
    const parts: Uint8Array[] = [];
    let timeouts = 0;
    while (true) {
      try {
        const chunk = await client.recv(65536);
        if (chunk.length === 0) break;
        parts.push(chunk);
      } catch (e) {
        if (!(e instanceof socket.TimeoutError)) throw e;
        assert.equal(e.message, "The read operation timed out");
        timeouts++;
      }
    }
    await sending;
    assertBytes(concat(parts), data);
    assert.ok(timeouts > 0, "the test must have timed out at least once");
  });

  test(`SSLSocket non-blocking recv_into(): SSLWantReadError in a large transfer loses nothing (seed ${seed})`, async () => {
    await using p = await tlsPair();
    const [client, server] = p;
    const data = randomBytes(3_000_000, seed + 10);
    const sending = trickle(server, data, seed);
    client.setblocking(false);
    const out = new Uint8Array(data.length + 1);
    let got = 0;
    let wants = 0;
    while (true) {
      try {
        const n = await client.recv_into(out.subarray(got), Math.min(40_000, out.length - got));
        if (n === 0) break;
        got += n;
      } catch (e) {
        if (!(e instanceof ssl.SSLWantReadError)) throw e;
        assert.equal(e.errno, ssl.SSL_ERROR_WANT_READ);
        assert.ok(e instanceof ssl.SSLError && e instanceof socket.OSError);
        wants++;
        await tick();
      }
    }
    await sending;
    assertBytes(out.subarray(0, got), data);
    assert.ok(wants > 0);
  });
}

test("SSLSocket.makefile().readline() retried after a timeout returns the whole line", async () => {
  await using p = await tlsPair();
  const [client, server] = p;
  client.settimeout(0.05);
  const f = client.makefile("rb");
  await server.sendall("first half, ");
  // Python's message for a TLS read that timed out.
  await rejects(f.readline(), socket.TimeoutError, { message: "The read operation timed out" });
  await server.sendall("second half\nnext\n");
  assert.equal(dec.decode(await f.readline()), "first half, second half\n");
  assert.equal(dec.decode(await f.readline()), "next\n");
  await f.close();
});

test("SSLSocket non-blocking send(): SSLWantWriteError when the peer does not read, nothing lost", async () => {
  await using p = await tlsPair();
  const [client, server] = p;
  client.setblocking(false);
  const chunk = randomBytes(65536, 7);
  let sent = 0;
  let blocked = false;
  for (let i = 0; i < 2000 && !blocked; i++) {
    try {
      sent += await client.send(chunk);
    } catch (e) {
      if (!(e instanceof ssl.SSLWantWriteError)) throw e;
      assert.equal(e.errno, ssl.SSL_ERROR_WANT_WRITE);
      blocked = true;
    }
    await tick(0);
  }
  assert.ok(blocked, "send() never blocked");
  // The receiver holds a bounded amount while it does not read (backpressure).
  assert.ok(server.pending() <= 512 * 1024, `pending ${server.pending()}`);
  let got = 0;
  while (got < sent) {
    const data = await server.recv(65536);
    for (let i = 0; i < data.length; i++) {
      if (data[i] !== chunk[(got + i) % 65536]) assert.fail(`byte ${got + i} differs`);
    }
    got += data.length;
  }
  assert.equal(got, sent);
});

test("SSLSocket in blocking mode: recv() after the peer's close returns b''", async () => {
  await using p = await tlsPair();
  const [client, server] = p;
  await server.sendall("bye");
  await server.close();
  assert.equal(dec.decode(await client.recv(10)), "bye");
  assert.equal((await client.recv(10)).length, 0);
});

// ------------------------------------------------------------------ openssl and curl

/** Runs a program with a deadline, reading its stdout line by line. */
async function withProgram<T>(
  cmd: string,
  args: string[],
  fn: (
    io: {
      line(): Promise<string | null>;
      write(s: string): Promise<void>;
      closeStdin(): Promise<void>;
    },
  ) => Promise<T>,
): Promise<{ result: T; stdout: string }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 20_000);
  const child = new Deno.Command(cmd, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    signal: abort.signal,
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const writer = child.stdin.getWriter();
  let buffered = "";
  let all = "";
  let ended = false;
  const line = async () => {
    while (true) {
      const at = buffered.indexOf("\n");
      if (at >= 0) {
        const l = buffered.slice(0, at);
        buffered = buffered.slice(at + 1);
        return l;
      }
      if (ended) return null;
      const { value, done } = await reader.read();
      if (done) ended = true;
      else {
        buffered += value;
        all += value;
      }
    }
  };
  try {
    const result = await fn({
      line,
      write: (s) => writer.write(enc.encode(s)),
      closeStdin: () => writer.close().catch(() => {}),
    });
    await writer.close().catch(() => {});
    while (await line() !== null) { /* drain */ }
    await child.status;
    return { result, stdout: all };
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
    await writer.close().catch(() => {});
    await child.status;
    while (!ended) {
      const { done } = await reader.read();
      if (done) ended = true;
    }
    await stderr;
    clearTimeout(timer);
  }
}

test("SSLSocket client against openssl s_server -rev", async () => {
  await withProgram(
    "openssl",
    ["s_server", "-accept", "0", "-naccept", "1", "-rev", "-cert", C.cert, "-key", C.key],
    async (io) => {
      let port = 0;
      while (!port) {
        const l = await io.line();
        assert.notEqual(l, null, "s_server ended before listening");
        const m = /ACCEPT .*:(\d+)$/.exec(l!);
        if (m) port = Number(m[1]);
      }
      const sock = await socket.create_connection(["127.0.0.1", port]);
      await using tls = await clientContext().wrap_socket(sock, { server_hostname: "localhost" });
      const f = tls.makefile("rwb");
      await f.write(enc.encode("hello openssl\n"));
      await f.flush();
      assert.equal(dec.decode(await f.readline()), "lssnepo olleh\n");
      await f.close();
    },
  );
});

test("SSLSocket server against openssl s_client", async () => {
  await using srv = await listener();
  const port = (srv.address as [string, number])[1];
  const serving = (async () => {
    const [conn] = await srv.sock.accept();
    await using tls = await serverContext().wrap_socket(conn, { server_side: true });
    const f = tls.makefile("rwb");
    const line = await f.readline();
    await f.write(enc.encode(`echo: ${dec.decode(line)}`));
    await f.close();
  })();
  const { stdout } = await withProgram(
    "openssl",
    [
      "s_client",
      "-connect",
      `127.0.0.1:${port}`,
      "-servername",
      "localhost",
      "-CAfile",
      C.ca,
      "-verify_return_error",
      "-quiet",
    ],
    async (io) => {
      await io.write("from s_client\n");
      assert.equal(await io.line(), "echo: from s_client");
    },
  );
  await serving;
  assert.match(stdout, /echo: from s_client/);
});

test("examples/https_server.ts serves curl --cacert over TLS", async () => {
  const { main } = await import("../examples/https_server.ts");
  let port = 0;
  const { promise: ready, resolve } = Promise.withResolvers<void>();
  const serving = main(C.cert, C.key, 0, 2, (p) => {
    port = p;
    resolve();
  });
  await ready;
  for (const path of ["/hello", "/again"]) {
    const out = await new Deno.Command("curl", {
      args: ["-sS", "--max-time", "10", "--cacert", C.ca, `https://localhost:${port}${path}`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, dec.decode(out.stderr));
    assert.match(
      dec.decode(out.stdout),
      new RegExp(`^hello from pysocket over TLS: GET ${path} \\(TLSv1\\.3, TLS_`),
    );
  }
  await serving;
}, { needs: HAVE_CURL });

// ------------------------------------------------------------------ context and module API

test("SSLContext defaults, check_hostname and verify_mode rules as python3", async () => {
  const py = await pythonJSON<Record<string, unknown>>(`
import ssl, json
c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); s = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
d = ssl.create_default_context(); a = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
out = {"client": [c.check_hostname, int(c.verify_mode)], "server": [s.check_hostname, int(s.verify_mode)],
       "default": [d.check_hostname, int(d.verify_mode)], "client_auth": [a.check_hostname, int(a.verify_mode)],
       "consts": [ssl.PROTOCOL_TLS, ssl.PROTOCOL_TLS_CLIENT, ssl.PROTOCOL_TLS_SERVER, ssl.CERT_NONE, ssl.CERT_OPTIONAL, ssl.CERT_REQUIRED,
                  ssl.SSL_ERROR_WANT_READ, ssl.SSL_ERROR_WANT_WRITE, ssl.SSL_ERROR_EOF, ssl.SSL_ERROR_ZERO_RETURN,
                  int(ssl.TLSVersion.TLSv1_2), int(ssl.TLSVersion.TLSv1_3), int(ssl.TLSVersion.MINIMUM_SUPPORTED), int(ssl.TLSVersion.MAXIMUM_SUPPORTED),
                  int(ssl.OP_NO_TLSv1_3), int(ssl.OP_NO_TLSv1_2), int(ssl.OP_NO_COMPRESSION), int(ssl.VERIFY_X509_STRICT)]}
c2 = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); c2.check_hostname = False; c2.verify_mode = ssl.CERT_NONE; c2.check_hostname = True
out["reenable"] = int(c2.verify_mode)
try:
    ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).verify_mode = ssl.CERT_NONE
except ValueError as e:
    out["cert_none_error"] = str(e)
print(json.dumps(out))
`);
  const pair = (c: ssl.SSLContext) => [c.check_hostname, c.verify_mode];
  assert.deepEqual(pair(new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)), py.client);
  assert.deepEqual(pair(new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)), py.server);
  assert.deepEqual(pair(ssl.create_default_context()), py.default);
  assert.deepEqual(pair(ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)), py.client_auth);
  assert.deepEqual([
    ssl.PROTOCOL_TLS,
    ssl.PROTOCOL_TLS_CLIENT,
    ssl.PROTOCOL_TLS_SERVER,
    ssl.CERT_NONE,
    ssl.CERT_OPTIONAL,
    ssl.CERT_REQUIRED,
    ssl.SSL_ERROR_WANT_READ,
    ssl.SSL_ERROR_WANT_WRITE,
    ssl.SSL_ERROR_EOF,
    ssl.SSL_ERROR_ZERO_RETURN,
    ssl.TLSVersion.TLSv1_2,
    ssl.TLSVersion.TLSv1_3,
    ssl.TLSVersion.MINIMUM_SUPPORTED,
    ssl.TLSVersion.MAXIMUM_SUPPORTED,
    ssl.OP_NO_TLSv1_3,
    ssl.OP_NO_TLSv1_2,
    ssl.OP_NO_COMPRESSION,
    ssl.VERIFY_X509_STRICT,
  ], py.consts);
  const c2 = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  c2.check_hostname = false;
  c2.verify_mode = ssl.CERT_NONE;
  c2.check_hostname = true;
  assert.equal(c2.verify_mode, py.reenable);
  assert.throws(() => new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).verify_mode = ssl.CERT_NONE, {
    name: "RangeError",
    message: py.cert_none_error as string,
  });
  await rejects(
    new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).wrap_socket(socket.socket()),
    RangeError,
    { message: "check_hostname requires server_hostname" },
  );
});

test("SSLContext.load_cert_chain(): passphrase, wrong passphrase, missing file, mismatched key", async () => {
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  ctx.load_cert_chain(C.cert, C.encryptedKey, "secret");
  ctx.load_cert_chain(C.cert, C.encryptedKey, () => "secret");
  ctx.load_cert_chain(C.combined);
  const py = await pythonJSON<string[]>(`
import ssl, json
out = []
for args in [(${JSON.stringify(C.cert)}, ${
    JSON.stringify(C.encryptedKey)
  }, "wrong"), ("/nonexistent.pem",), (${JSON.stringify(C.cert)}, ${JSON.stringify(C.clientKey)})]:
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(*args)
    except OSError as e:
        out.append([type(e).__name__, str(e).rsplit(" (_ssl.c:", 1)[0]])
print(json.dumps(out))
`);
  const ours: string[][] = [];
  for (
    const args of [[C.cert, C.encryptedKey, "wrong"], ["/nonexistent.pem"], [C.cert, C.clientKey]]
  ) {
    try {
      new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(args[0], args[1], args[2]);
      ours.push(["ok"]);
    } catch (e) {
      ours.push([(e as Error).name, (e as Error).message]);
    }
  }
  assert.deepEqual(ours, py);
  // The passphrase-protected key works in a handshake.
  await using p = await pair();
  const [a, b] = p;
  const [client, server] = await Promise.all([
    clientContext().wrap_socket(a, { server_hostname: "localhost" }),
    ctx.wrap_socket(b, { server_side: true }),
  ]);
  await client.sendall("x");
  assert.equal(dec.decode(await server.recv(1)), "x");
  await Promise.all([client.close(), server.close()]);
});

test("SSLContext.load_verify_locations(): cadata as PEM and DER, capath; get_ca_certs() as python3", async () => {
  const pem = await Deno.readTextFile(C.ca);
  const der = ssl.PEM_cert_to_DER_cert(pem);
  assert.equal(ssl.DER_cert_to_PEM_cert(der), pem.replace(/\r\n/g, "\n"));
  const py = await pythonJSON<unknown>(`
import ssl, json
c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); c.load_verify_locations(${JSON.stringify(C.ca)})
print(json.dumps(c.get_ca_certs()))
`);
  for (
    const load of [
      (c: ssl.SSLContext) => c.load_verify_locations(null, null, pem),
      (c: ssl.SSLContext) => c.load_verify_locations(null, null, der),
      (c: ssl.SSLContext) => c.load_verify_locations(null, C.dir),
    ]
  ) {
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    load(ctx);
    const certs = JSON.parse(JSON.stringify(ctx.get_ca_certs()));
    assert.ok(
      certs.some((c: unknown) => JSON.stringify(c) === JSON.stringify((py as unknown[])[0])),
    );
    await using p = await pair();
    const [a, b] = p;
    const [client, server] = await Promise.all([
      ctx.wrap_socket(a, { server_hostname: "localhost" }),
      serverContext().wrap_socket(b, { server_side: true }),
    ]);
    await Promise.all([client.close(), server.close()]);
  }
  assert.throws(() => new ssl.SSLContext().load_verify_locations(), TypeError);
});

test("SSLSocket: wrap before connect, accept() on a wrapped listener, ALPN, getpeercert(true), CERT_NONE gives {}", async () => {
  const sctx = serverContext();
  sctx.set_alpn_protocols(["h2", "http/1.1"]);
  const listening = socket.create_server(["127.0.0.1", 0]);
  const port = (listening.getsockname() as [string, number])[1];
  const tlsListener = await sctx.wrap_socket(listening, { server_side: true });
  const accepting = tlsListener.accept();
  const cctx = clientContext();
  cctx.set_alpn_protocols(["http/1.1"]);
  const client = await cctx.wrap_socket(socket.socket(), { server_hostname: "localhost" });
  assert.equal(client.version(), null);
  await client.connect(["127.0.0.1", port]);
  const [server] = await accepting;
  assert.equal(client.selected_alpn_protocol(), "http/1.1");
  assert.equal(server.selected_alpn_protocol(), "http/1.1");
  assert.equal(client.server_hostname, "localhost");
  assert.equal(server.server_side, true);
  assert.equal(client.context, cctx);
  const der = client.getpeercert(true)!;
  assert.deepEqual(der, ssl.PEM_cert_to_DER_cert(await Deno.readTextFile(C.cert)));
  assert.equal(server.getpeercert(), null, "no client certificate");
  assert.equal(client.fileno() >= 0, true);
  await client.sendall("abc");
  assert.equal(dec.decode(await server.recv(10)), "abc");
  assert.equal(server.pending(), 0);
  await Promise.all([client.close(), server.close(), tlsListener.close()]);
  assert.equal(client.fileno(), -1);
  await rejects(client.recv(1), socket.OSError, { errno: socket.EBADF });

  // CERT_NONE: getpeercert() is {} (not validated), the binary form is still there.
  const loose = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  loose.check_hostname = false;
  loose.verify_mode = ssl.CERT_NONE;
  await using p = await pair();
  const [a, b] = p;
  const [c2, s2] = await Promise.all([
    loose.wrap_socket(a),
    serverContext(C.strangerCert, C.strangerKey).wrap_socket(b, { server_side: true }),
  ]);
  assert.deepEqual(c2.getpeercert(), {});
  assert.ok(c2.getpeercert(true)!.length > 100);
  await Promise.all([c2.close(), s2.close()]);
});

test("SSLSocket.do_handshake() non-blocking raises SSLWantReadError until done", async () => {
  await using p = await pair();
  const [a, b] = p;
  const client = await clientContext().wrap_socket(a, {
    server_hostname: "localhost",
    do_handshake_on_connect: false,
  });
  client.setblocking(false);
  await rejects(client.do_handshake(), ssl.SSLWantReadError, {
    message: "The operation did not complete (read)",
  });
  const server = await serverContext().wrap_socket(b, { server_side: true });
  let tries = 0;
  while (true) {
    try {
      await client.do_handshake();
      break;
    } catch (e) {
      if (!(e instanceof ssl.SSLWantReadError) || ++tries > 5000) throw e;
      await tick();
    }
  }
  assert.equal(client.version(), "TLSv1.3");
  await rejects(client.recv(10), ssl.SSLWantReadError);
  await Promise.all([client.close(), server.close()]);
});

test("SSLSocket is selectable: readiness reports POLLIN when decrypted bytes arrive, and watch() fires", async () => {
  await using p = await tlsPair();
  const [client, server] = p;
  const pollable = client[readiness];
  assert.equal(pollable.pollMask() & POLLIN, 0);
  const { promise, resolve } = Promise.withResolvers<void>();
  const stop = pollable.watch(() => {
    if (pollable.pollMask() & POLLIN) resolve();
  });
  await server.sendall("ready?");
  await promise;
  stop();
  assert.equal(client.pending(), 6);
  assert.ok(pollable.pollMask() & POLLIN);
  await client.close();
  assert.equal(pollable.pollMask(), POLLNVAL);
});

test("ssl module helpers: cert_time_to_seconds, get_default_verify_paths, RAND_bytes, honest constants", async () => {
  await Promise.resolve();
  assert.equal(ssl.cert_time_to_seconds("Jan  5 09:34:43 2018 GMT"), 1515144883);
  const paths = ssl.get_default_verify_paths();
  assert.equal(paths.openssl_cafile_env, "SSL_CERT_FILE");
  assert.equal(ssl.RAND_bytes(16).length, 16);
  assert.match(ssl.OPENSSL_VERSION, /rustls/);
  assert.equal(ssl.HAS_TLSv1, false);
  assert.equal(ssl.HAS_SNI && ssl.HAS_ALPN, true);
  assert.equal(ssl.CertificateError, ssl.SSLCertVerificationError);
});

Deno.test("ssl.ts exports every public name of python3's ssl module, or lists it under its differences", async () => {
  const names = await pythonJSON<string[]>(
    "import ssl, json; print(json.dumps([n for n in dir(ssl) if not n.startswith('_')]))",
  );
  const doc = await Deno.readTextFile(new URL("../ssl.ts", import.meta.url));
  const section = doc.slice(
    doc.indexOf(" * ## Differences from Python"),
    doc.indexOf(" * @module"),
  );
  const listed = new Set([...section.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1]));
  const missing = names.filter((n) => !(n in ssl) && !listed.has(n));
  assert.deepEqual(missing, []);
  const members = await pythonJSON<{ sock: string[]; ctx: string[] }>(
    "import ssl, json; f = lambda c: [n for n in dir(c) if not n.startswith('_')]; " +
      "print(json.dumps({'sock': f(ssl.SSLSocket), 'ctx': f(ssl.SSLContext)}))",
  );
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  assert.deepEqual(
    members.sock.filter((n) => !(n in ssl.SSLSocket.prototype) && !listed.has(n)),
    [],
  );
  assert.deepEqual(members.ctx.filter((n) => !(n in ctx) && !listed.has(n)), []);
  // Python's exception hierarchy.
  assert.ok(new ssl.SSLWantReadError("x") instanceof ssl.SSLError);
  assert.ok(new ssl.SSLCertVerificationError("x") instanceof ssl.SSLError);
  assert.ok(new ssl.SSLError("x") instanceof socket.OSError);
  const e = new ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number");
  assert.deepEqual([e.errno, e.library, e.reason, e.message], [
    1,
    "SSL",
    "WRONG_VERSION_NUMBER",
    "[SSL: WRONG_VERSION_NUMBER] wrong version number",
  ]);
});

test("SSLSocket timeouts: handshake and sendall raise TimeoutError with python3's messages", async () => {
  // A server that accepts and never answers the ClientHello.
  await using srv = await listener();
  const raw = socket.socket();
  await raw.connect(srv.address);
  const [silent] = await srv.sock.accept();
  raw.settimeout(0.1);
  await rejects(
    clientContext().wrap_socket(raw, { server_hostname: "localhost" }),
    socket.TimeoutError,
    { message: "The handshake operation timed out", errno: null },
  );
  await silent.close();

  // The same on the server side: a client that never sends its ClientHello.
  const quiet = socket.socket();
  await quiet.connect(srv.address);
  const [conn] = await srv.sock.accept();
  conn.settimeout(0.1);
  await rejects(
    serverContext().wrap_socket(conn, { server_side: true }),
    socket.TimeoutError,
    { message: "The handshake operation timed out" },
  );
  await quiet.close();

  // A peer that does not read: sendall gives up after its timeout.
  await using p = await tlsPair();
  const [client] = p;
  client.settimeout(0.1);
  const big = new Uint8Array(1 << 20);
  await rejects(
    (async () => {
      for (let i = 0; i < 200; i++) await client.sendall(big);
    })(),
    socket.TimeoutError,
    { message: "The write operation timed out", errno: null },
  );
});

test("SSLSocket client with a client certificate, to a python3 server that requires one", async () => {
  const script = `
import socket, ssl, json
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(${JSON.stringify(C.cert)}, ${JSON.stringify(C.key)})
ctx.verify_mode = ssl.CERT_REQUIRED
ctx.load_verify_locations(${JSON.stringify(C.ca)})
srv = socket.create_server(("127.0.0.1", 0))
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
s = ctx.wrap_socket(conn, server_side=True)
s.sendall(json.dumps(s.getpeercert()["subject"]).encode() + b"\\n")
s.recv(10)
s.close()
`;
  await withPythonPeer(script, async (peer) => {
    const ctx = clientContext();
    ctx.load_cert_chain(C.clientCert, C.clientKey);
    const sock = await socket.create_connection(["127.0.0.1", peer.port]);
    await using tls = await ctx.wrap_socket(sock, { server_hostname: "localhost" });
    const f = tls.makefile("r");
    assert.deepEqual(JSON.parse(await f.readline()), [[["organizationName", "pysocket"]], [[
      "commonName",
      "client",
    ]]]);
    await f.close();
    await tls.sendall("done");
    assert.equal((await peer.wait()).code, 0);
  });
});

test("select.select() and selectors wait on an SSLSocket until decrypted bytes are there", async () => {
  await using p = await tlsPair();
  const [client, server] = p;
  let [r, w] = await socket.select.select([client], [client], [], 0);
  assert.deepEqual([r.length, w.length], [0, 1]);
  const waiting = socket.select.select([client], [], [], 5);
  await tick(20);
  await server.sendall("tls bytes");
  [r] = await waiting;
  assert.deepEqual(r, [client]);
  assert.equal(dec.decode(await client.recv(100)), "tls bytes");
  [r] = await socket.select.select([client], [], [], 0);
  assert.equal(r.length, 0);

  using sel = new socket.selectors.DefaultSelector();
  sel.register(client, socket.selectors.EVENT_READ, "tls");
  const selecting = sel.select(5);
  await server.sendall("again");
  const events = await selecting;
  assert.equal(events.length, 1);
  assert.equal(events[0][0].data, "tls");
  assert.equal(client.pending(), 5);
  sel.unregister(client);
});

// ------------------------------------------------------------------ unwrap()

/**
 * A python3 server for `unwrap()`: reads TLS to a clean end (a ragged end,
 * without close_notify, raises: `suppress_ragged_eofs=False`), unwraps, then
 * speaks plaintext on the same connection.
 */
const PY_UNWRAP_SERVER = `
import socket, ssl, json
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(${JSON.stringify(C?.cert)}, ${JSON.stringify(C?.key)})
srv = socket.create_server(("127.0.0.1", 0))
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
conn.settimeout(10)
s = ctx.wrap_socket(conn, server_side=True, suppress_ragged_eofs=False)
n = 0
try:
    while True:
        d = s.recv(65536)
        if not d: break
        n += len(d)
    end = "clean"
except ssl.SSLError as e:
    end = e.reason
plain = s.unwrap()
plain.sendall(b"plain after")
got = b""
while len(got) < 5:
    d = plain.recv(100)
    if not d: break
    got += d
print(json.dumps({"n": n, "end": end, "got": got.decode()}), flush=True)
plain.close()
`;

/** Reads `n` bytes (or to the end) from a plain socket. */
async function readPlain(s: socket.Socket, n: number): Promise<string> {
  const parts: Uint8Array[] = [];
  let got = 0;
  while (got < n) {
    const chunk = await s.recv(n - got);
    if (chunk.length === 0) break;
    parts.push(chunk);
    got += chunk.length;
  }
  return dec.decode(concat(parts));
}

test("SSLSocket.unwrap() client: close_notify both ways, then plaintext both ways, as python3's client", async () => {
  // python3's own client on the same server: the oracle.
  const python = await withPythonPeer(PY_UNWRAP_SERVER, async (peer) => {
    const client = await pythonJSON<{ got: string; timeout: number }>(`
import socket, ssl, json
ctx = ssl.create_default_context(cafile=${JSON.stringify(C.ca)})
raw = socket.create_connection(("127.0.0.1", ${peer.port}), 10)
s = ctx.wrap_socket(raw, server_hostname="localhost")
s.sendall(b"0123456789")
p = s.unwrap()
got = b""
while len(got) < 11:
    d = p.recv(100)
    if not d: break
    got += d
p.sendall(b"reply")
print(json.dumps({"got": got.decode(), "timeout": p.gettimeout()}))
p.close()
`);
    return { client, server: JSON.parse((await peer.line())!) };
  });
  assert.deepEqual(python, {
    client: { got: "plain after", timeout: 10 },
    server: { n: 10, end: "clean", got: "reply" },
  });
  await withPythonPeer(PY_UNWRAP_SERVER, async (peer) => {
    const raw = await socket.create_connection(["127.0.0.1", peer.port], 10);
    const tls = await clientContext().wrap_socket(raw, { server_hostname: "localhost" });
    await tls.sendall("0123456789");
    const plain = await tls.unwrap();
    const got = await readPlain(plain, 11);
    await plain.sendall("reply");
    assert.deepEqual({ got, timeout: plain.gettimeout() }, python.client);
    assert.deepEqual(JSON.parse((await peer.line())!), python.server);
    // The SSLSocket is done with; closing it closes the socket it handed back.
    await rejects(tls.recv(1), socket.OSError, { errno: socket.EBADF });
    await tls.close();
    assert.equal(plain.fileno(), -1);
    assert.equal((await peer.wait()).code, 0);
  });
});

test("SSLSocket.unwrap() server: a python3 client unwraps first; plaintext both ways after", async () => {
  await using srv = await listener();
  const port = (srv.address as [string, number])[1];
  const py = pythonJSON<{ got: string }>(`
import socket, ssl, json
ctx = ssl.create_default_context(cafile=${JSON.stringify(C.ca)})
raw = socket.create_connection(("127.0.0.1", ${port}), 10)
s = ctx.wrap_socket(raw, server_hostname="localhost")
s.sendall(b"x" * 10)
p = s.unwrap()
p.sendall(b"client plain")
got = b""
while len(got) < 12:
    d = p.recv(100)
    if not d: break
    got += d
print(json.dumps({"got": got.decode()}))
p.close()
`);
  const [conn] = await srv.sock.accept();
  conn.settimeout(10);
  await using tls = await serverContext().wrap_socket(conn, { server_side: true });
  // The client's close_notify: a clean end of the TLS stream.
  assert.equal(dec.decode(await readN(tls, 100)), "x".repeat(10));
  const plain = await tls.unwrap();
  assert.equal(plain.gettimeout(), 10);
  assert.equal(await readPlain(plain, 12), "client plain");
  await plain.sendall("server plain");
  assert.deepEqual(await py, { got: "server plain" });
  assert.equal((await plain.recv(10)).length, 0);
});

test("SSLSocket.unwrap() times out as python3's when the peer sends no close_notify; TLS stays", async () => {
  await using p = await tlsPair();
  const [client, server] = p;
  client.settimeout(0.3);
  // python3 (same case): TimeoutError('The read operation timed out').
  await rejects(client.unwrap(), socket.TimeoutError, { message: "The read operation timed out" });
  client.setblocking(false);
  await rejects(client.unwrap(), ssl.SSLWantReadError);
  // The server gets the close_notify (a clean end) and unwraps in turn: both are plain now.
  client.settimeout(5);
  assert.equal((await server.recv(10)).length, 0);
  const [a, b] = await Promise.all([client.unwrap(), server.unwrap()]);
  await a.sendall("plain");
  assert.equal(await readPlain(b, 5), "plain");
});

test("SSLSocket.unwrap() raises SSLEOFError as python3's when the peer closes without close_notify", async () => {
  // The server reads to the client's close_notify, then exits: no close_notify back.
  const server = `
import socket, ssl, os
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(${JSON.stringify(C.cert)}, ${JSON.stringify(C.key)})
srv = socket.create_server(("127.0.0.1", 0))
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
conn.settimeout(10)
s = ctx.wrap_socket(conn, server_side=True)
while s.recv(100): pass
print("read to the end", flush=True)
os._exit(0)
`;
  const python = await withPythonPeer(
    server,
    (peer) =>
      pythonJSON<{ cls: string; errno: number; reason: string }>(`
import socket, ssl, json
ctx = ssl.create_default_context(cafile=${JSON.stringify(C.ca)})
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", ${peer.port}), 10), server_hostname="localhost")
try:
    s.unwrap()
    print(json.dumps({"cls": "none"}))
except ssl.SSLError as e:
    print(json.dumps({"cls": type(e).__name__, "errno": e.errno, "reason": e.reason}))
`),
  );
  assert.deepEqual(python, {
    cls: "SSLEOFError",
    errno: 8,
    reason: "UNEXPECTED_EOF_WHILE_READING",
  });
  await withPythonPeer(server, async (peer) => {
    const raw = await socket.create_connection(["127.0.0.1", peer.port], 10);
    await using tls = await clientContext().wrap_socket(raw, { server_hostname: "localhost" });
    const e = await rejects(tls.unwrap(), ssl.SSLEOFError, {
      errno: python.errno,
      message: "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol",
    });
    assert.equal((e as ssl.SSLError).reason, python.reason);
    assert.equal(await peer.line(), "read to the end");
  });
});
