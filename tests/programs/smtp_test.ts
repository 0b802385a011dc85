// Copyright 2025 the pysocket authors. MIT license.
// smtplib's socket usage ported line by line to pysocket: create_connection,
// replies read with makefile("rb").readline(), EHLO and its features, MAIL,
// RCPT, DATA with dot-stuffing, NOOP, QUIT, and STARTTLS through
// pysocket's ssl. Run against python3 servers on loopback (smtpd from
// python3 3.11's standard library, and a small socket + ssl server that
// does STARTTLS); python3's own smtplib runs the same dialogue against the
// same server (smtp_oracle.py), and the replies and the messages the server
// received must be identical, and exactly the message sent.

import assert from "node:assert/strict";
import * as socket from "../../mod.ts";
import { listener, rejects, withPythonPeer } from "../_utils.ts";
import { has, makeCerts } from "../_tls_certs.ts";
import { pythonOracle } from "./_servers.ts";

const HAVE_SMTPD = (await new Deno.Command("python3", {
  args: ["-W", "ignore", "-c", "import smtpd"],
  stdout: "null",
  stderr: "null",
}).output()).success;
if (!HAVE_SMTPD) console.log("smtp_test.ts: smtpd test skipped, python3 has no smtpd module");
const HAVE_OPENSSL = await has("openssl");
if (!HAVE_OPENSSL) console.log("smtp_test.ts: STARTTLS test skipped, openssl is not installed");

const CRLF = "\r\n";
const _MAXLINE = 8192;
const enc = new TextEncoder();
/** `bytes.decode("latin-1")`. */
function latin1(b: Uint8Array): string {
  let out = "";
  for (let i = 0; i < b.length; i += 8192) out += String.fromCharCode(...b.subarray(i, i + 8192));
  return out;
}

class SMTPServerDisconnected extends Error {}
class SMTPResponseException extends Error {}

/** The message smtp_oracle.py's message() builds, byte for byte. */
function message(): Uint8Array {
  const lines = [
    "From: a@example.com",
    "To: b@example.com, c@example.com",
    "Subject: pysocket test",
    "",
    ".leading dot",
    "..two leading dots",
    ".",
    "a lone dot above",
    "bare LF follows\n.dot after LF, a bare CR\r.dot after CR, then CRLF",
  ];
  for (let i = 0; i < 5000; i++) {
    lines.push((i % 7 === 0 ? "." : "") + `line ${i} ` + "y".repeat(i % 97));
  }
  return enc.encode(lines.join("\r\n"));
}

/** smtplib's `_quote_periods`: `re.sub(br'(?m)^\.', b'..', bindata)` (`^` after LF only). */
// deno-lint-ignore camelcase
function _quote_periods(bindata: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < bindata.length; i++) {
    if (bindata[i] === 0x2e && (i === 0 || bindata[i - 1] === 10)) out.push(0x2e);
    out.push(bindata[i]);
  }
  return new Uint8Array(out);
}

/** `bytes.strip(b' \t\r\n')`. */
function strip(b: Uint8Array): Uint8Array {
  const ws = (c: number) => c === 32 || c === 9 || c === 13 || c === 10;
  let start = 0;
  let end = b.length;
  while (start < end && ws(b[start])) start++;
  while (end > start && ws(b[end - 1])) end--;
  return b.subarray(start, end);
}

/** The socket-level parts of smtplib.SMTP. */
class SMTP {
  sock: socket.Socket | socket.ssl.SSLSocket | null = null;
  file: socket.FileObject | null = null;
  esmtp_features: Record<string, string> = {};
  _host = "";
  constructor(readonly timeout: number) {}

  async connect(host: string, port: number): Promise<[number, string]> {
    this.sock = await this._get_socket(host, port, this.timeout);
    this.file = null;
    return await this.getreply();
  }

  _get_socket(
    host: string,
    port: number,
    timeout: number,
  ): Promise<socket.Socket | socket.ssl.SSLSocket> {
    return socket.create_connection([host, port], timeout);
  }

  async send(s: string | Uint8Array) {
    if (this.sock === null) throw new SMTPServerDisconnected("please run connect() first");
    try {
      await this.sock.sendall(typeof s === "string" ? enc.encode(s) : s);
    } catch (e) {
      if (!(e instanceof socket.OSError)) throw e;
      await this.close();
      throw new SMTPServerDisconnected("Server not connected");
    }
  }

  async putcmd(cmd: string, args = "") {
    const s = args === "" ? `${cmd}${CRLF}` : `${cmd} ${args}${CRLF}`;
    await this.send(s);
  }

  async getreply(): Promise<[number, string]> {
    const resp: Uint8Array[] = [];
    if (this.file === null) this.file = this.sock!.makefile("rb");
    let errcode: number;
    while (true) {
      let line: Uint8Array;
      try {
        line = await this.file.readline(_MAXLINE + 1) as Uint8Array;
      } catch (e) {
        if (!(e instanceof socket.OSError)) throw e;
        await this.close();
        throw new SMTPServerDisconnected(`Connection unexpectedly closed: ${e.message}`);
      }
      if (line.length === 0) {
        await this.close();
        throw new SMTPServerDisconnected("Connection unexpectedly closed");
      }
      if (line.length > _MAXLINE) {
        await this.close();
        throw new SMTPResponseException("500 Line too long.");
      }
      resp.push(strip(line.subarray(4)));
      const code = latin1(line.subarray(0, 3));
      errcode = /^\s*[+-]?\d+\s*$/.test(code) ? Number(code) : -1;
      if (errcode === -1) break;
      if (line[3] !== 0x2d) break;
    }
    return [errcode, resp.map(latin1).join("\n")];
  }

  async docmd(cmd: string, args = ""): Promise<[number, string]> {
    await this.putcmd(cmd, args);
    return await this.getreply();
  }

  async ehlo(name: string): Promise<[number, string]> {
    this.esmtp_features = {};
    await this.putcmd("ehlo", name);
    const [code, msg] = await this.getreply();
    if (code === -1 && msg.length === 0) {
      await this.close();
      throw new SMTPServerDisconnected("Server not connected");
    }
    if (code !== 250) return [code, msg];
    const resp = msg.split("\n");
    resp.shift();
    for (const each of resp) {
      const m = /^(?<feature>[A-Za-z0-9][A-Za-z0-9-]*) ?/.exec(each);
      if (m) {
        const feature = m.groups!.feature.toLowerCase();
        const params = each.slice(m.groups!.feature.length).trim();
        this.esmtp_features[feature] = params;
      }
    }
    return [code, msg];
  }

  async starttls(context: socket.ssl.SSLContext): Promise<[number, string]> {
    if (!("starttls" in this.esmtp_features)) throw new Error("STARTTLS extension not supported");
    const [resp, reply] = await this.docmd("STARTTLS");
    if (resp === 220) {
      // Not in smtplib, which just drops its file object: here an open
      // makefile() object keeps the TCP connection open after the
      // SSLSocket closes (see the BUG test at the end of this file).
      await this.file?.close();
      this.sock = await context.wrap_socket(this.sock as socket.Socket, {
        server_hostname: this._host,
      });
      this.file = null;
      this.esmtp_features = {};
    } else {
      throw new SMTPResponseException(`${resp} ${reply}`);
    }
    return [resp, reply];
  }

  async mail(sender: string) {
    await this.putcmd("mail", `FROM:<${sender}>`);
    return await this.getreply();
  }

  async rcpt(recip: string) {
    await this.putcmd("rcpt", `TO:<${recip}>`);
    return await this.getreply();
  }

  async data(msg: Uint8Array): Promise<[number, string]> {
    await this.putcmd("data");
    const [code, repl] = await this.getreply();
    if (code !== 354) throw new SMTPResponseException(`${code} ${repl}`);
    let q = _quote_periods(msg);
    if (!(q.at(-2) === 13 && q.at(-1) === 10)) q = concat(q, enc.encode(CRLF));
    q = concat(q, enc.encode("." + CRLF));
    await this.send(q);
    return await this.getreply();
  }

  noop() {
    return this.docmd("noop");
  }

  async quit() {
    const res = await this.docmd("quit");
    await this.close();
    return res;
  }

  async close() {
    try {
      const file = this.file;
      this.file = null;
      if (file) await file.close();
    } finally {
      const sock = this.sock;
      this.sock = null;
      if (sock) await sock.close();
    }
  }
}

/** smtplib.SMTP_SSL: TLS from the start. */
class SMTP_SSL extends SMTP {
  constructor(timeout: number, readonly context: socket.ssl.SSLContext) {
    super(timeout);
  }

  override async _get_socket(host: string, port: number, timeout: number) {
    // deno-lint-ignore camelcase
    const new_socket = await super._get_socket(host, port, timeout) as socket.Socket;
    return await this.context.wrap_socket(new_socket, { server_hostname: this._host });
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function features(s: SMTP): [string, string][] {
  return Object.entries(s.esmtp_features).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
}

/** smtp_oracle.py's main(), line for line. */
async function main(
  port: number,
  context: socket.ssl.SSLContext | null,
  implicit = false,
): Promise<unknown[]> {
  const r: unknown[] = [];
  const s = implicit ? new SMTP_SSL(10, context!) : new SMTP(10);
  if (implicit) s._host = "127.0.0.1"; // what SMTP_SSL("127.0.0.1", port) sets
  r.push(["connect", ...await s.connect("127.0.0.1", port)]);
  r.push(["ehlo", ...await s.ehlo("client.test"), features(s)]);
  if (context !== null && !implicit) {
    s._host = "localhost";
    r.push(["starttls", ...await s.starttls(context)]);
    r.push(["ehlo", ...await s.ehlo("client.test"), features(s)]);
  }
  r.push(["mail", ...await s.mail("a@example.com")]);
  r.push(["rcpt", ...await s.rcpt("b@example.com")]);
  r.push(["rcpt", ...await s.rcpt("c@example.com")]);
  r.push(["data", ...await s.data(message())]);
  r.push(["noop", ...await s.noop()]);
  r.push(["quit", ...await s.quit()]);
  return r;
}

const script = (name: string) => new URL(name, import.meta.url).pathname;

/** Runs `python3 file args` as a peer (see withPythonPeer) and `fn` with it. */
function withScript<T>(
  file: string,
  args: string[],
  fn: (peer: Awaited<Parameters<Parameters<typeof withPythonPeer>[1]>[0]>) => Promise<T>,
): Promise<T> {
  const argv = JSON.stringify([script(file), ...args]);
  const code =
    `import runpy, sys; sys.argv = ${argv}; runpy.run_path(sys.argv[0], run_name="__main__")`;
  return withPythonPeer(code, fn, 60);
}

Deno.test({
  name: "smtplib ported to pysocket sends to python3's smtpd exactly what smtplib sends",
  ignore: !HAVE_SMTPD,
  async fn() {
    await withScript("smtp_server_smtpd.py", ["2"], async (peer) => {
      // The server prints each message before it replies to DATA: read on.
      const pythonLine = peer.line();
      const expected = await pythonOracle<unknown[]>("smtp_oracle.py", [String(peer.port)]);
      const byPython = JSON.parse((await pythonLine)!);
      const portLine = peer.line();
      const actual = await main(peer.port, null);
      const byPort = JSON.parse((await portLine)!);
      assert.deepEqual(actual, expected);
      assert.deepEqual(byPort, byPython);
      // smtpd un-stuffs the dots of CRLF-separated lines and joins them with LF.
      const lines = latin1(_quote_periods(message())).split("\r\n");
      assert.deepEqual(byPort, [
        "a@example.com",
        ["b@example.com", "c@example.com"],
        lines.map((line) => line.startsWith(".") ? line.slice(1) : line).join("\n"),
      ]);
      assert.equal((await peer.wait()).code, 0);
    });
  },
});

Deno.test({
  name: "smtplib's STARTTLS ported to pysocket: a python3 ssl server receives exactly the message",
  ignore: !HAVE_OPENSSL,
  async fn() {
    await using certs = await makeCerts();
    const context = socket.ssl.create_default_context(socket.ssl.Purpose.SERVER_AUTH, {
      cafile: certs.ca,
    });
    await withScript("smtp_server_tls.py", ["2", certs.cert, certs.key], async (peer) => {
      const expected = await pythonOracle<unknown[]>("smtp_oracle.py", [
        String(peer.port),
        certs.ca,
      ]);
      const byPython = JSON.parse((await peer.line())!);
      const actual = await main(peer.port, context);
      const byPort = JSON.parse((await peer.line())!);
      assert.deepEqual(actual, expected);
      assert.deepEqual(byPort, byPython);
      assert.deepEqual(byPort, {
        commands: [
          "ehlo client.test",
          "STARTTLS",
          "ehlo client.test",
          "mail FROM:<a@example.com>",
          "rcpt TO:<b@example.com>",
          "rcpt TO:<c@example.com>",
          "data",
          "noop",
          "quit",
        ],
        tls_at_mail: true,
        data: latin1(message()) + "\r\n",
        mailfrom: "mail FROM:<a@example.com>",
        rcpt: ["rcpt TO:<b@example.com>", "rcpt TO:<c@example.com>"],
      });
      assert.equal((await peer.wait()).code, 0);
    });
  },
});

Deno.test({
  name: "smtplib.SMTP_SSL ported to pysocket: TLS from the start, verified against 127.0.0.1",
  ignore: !HAVE_OPENSSL,
  async fn() {
    await using certs = await makeCerts();
    const context = socket.ssl.create_default_context(socket.ssl.Purpose.SERVER_AUTH, {
      cafile: certs.ca,
    });
    const args = ["2", certs.cert, certs.key, "implicit"];
    await withScript("smtp_server_tls.py", args, async (peer) => {
      const expected = await pythonOracle<unknown[]>("smtp_oracle.py", [
        String(peer.port),
        certs.ca,
        "implicit",
      ]);
      const byPython = JSON.parse((await peer.line())!);
      const actual = await main(peer.port, context, true);
      const byPort = JSON.parse((await peer.line())!);
      assert.deepEqual(actual, expected);
      assert.deepEqual(byPort, byPython);
      assert.equal(byPort.tls_at_mail, true);
      assert.equal(byPort.data, latin1(message()) + "\r\n");
      assert.equal((await peer.wait()).code, 0);
    });
  },
});

Deno.test("smtplib: a server that says nothing: the greeting read times out, as python3", async () => {
  await using server = await listener();
  const port = (server.address as [string, number])[1];
  const expected = await pythonOracle<unknown>("smtp_oracle.py", [String(port), "stall"]);
  const s = new SMTP(0.3);
  let actual: unknown = "connected";
  const start = performance.now();
  try {
    await s.connect("127.0.0.1", port);
  } catch (e) {
    if (!(e instanceof SMTPServerDisconnected)) throw e;
    actual = ["SMTPServerDisconnected", e.message, s.sock === null, s.file === null];
  }
  assert.ok(performance.now() - start >= 250);
  assert.deepEqual(actual, expected);
  assert.deepEqual(actual, [
    "SMTPServerDisconnected",
    "Connection unexpectedly closed: timed out",
    true,
    true,
  ]);
  // The connections the listener queued, never accepted, are closed with it.
});

Deno.test({
  name: "smtplib's STARTTLS pattern: the old makefile() object does not keep the connection open",
  // Was a BUG (fixed: wrap_socket detaches the plain socket): ssl.ts SSLSocket.#release() closes the inner socket with
  // `this.#sock.close()`, which waits for the inner socket's open makefile()
  // objects; Python's wrap_socket() detaches the descriptor from the plain
  // socket, so a file object made before STARTTLS (smtplib drops its own
  // with `self.file = None`) does not keep the connection open: closing the
  // SSLSocket closes it. Here the peer never sees FIN and the sanitizer
  // reports the TCP connection (and, in timeout mode, a timer) leaked.
  async fn() {
    await using certs = await makeCerts();
    const server = `
import os, socket, ssl
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(${JSON.stringify(certs.cert)}, ${JSON.stringify(certs.key)})
srv = socket.create_server(("127.0.0.1", 0))
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
conn.settimeout(5)
conn.sendall(b"220 ready\\r\\n")
s = ctx.wrap_socket(conn, server_side=True)
print(repr(s.recv(100)), flush=True)
raw = socket.socket(fileno=os.dup(s.fileno()))
raw.settimeout(3)
try:
    print(repr(raw.recv(100)), flush=True)
except Exception as e:
    print(type(e).__name__, flush=True)
`;
    await withPythonPeer(server, async (peer) => {
      const context = socket.ssl.create_default_context(socket.ssl.Purpose.SERVER_AUTH, {
        cafile: certs.ca,
      });
      const sock = await socket.create_connection(["127.0.0.1", peer.port], 10);
      const file = sock.makefile("rb");
      assert.equal(latin1(await file.readline() as Uint8Array), "220 ready\r\n");
      // smtplib: self.sock = context.wrap_socket(self.sock, ...); self.file = None
      const tls = await context.wrap_socket(sock, { server_hostname: "localhost" });
      await tls.close();
      // python3 as the client: b'' (end of the TLS stream), then b'' (FIN).
      assert.equal(await peer.line(), "b''");
      assert.equal(await peer.line(), "b''");
    });
  },
});

Deno.test({
  name:
    "smtplib's STARTTLS pattern: the plain socket is detached by wrap_socket (EBADF, fileno -1)",
  // Was a BUG (fixed: wrap_socket detaches the plain socket): ssl.ts SSLContext.wrap_socket() leaves the plain socket usable.
  // python3's wrap_socket() detaches it: `raw.fileno()` is -1 and
  // `raw.recv()` / `raw.sendall()` raise `OSError: [Errno 9] Bad file
  // descriptor`. Here `raw.fileno()` keeps its number, `raw.recv()` waits
  // (for ever: the inner socket is put in blocking mode) and
  // `raw.sendall("PING\r\n")` writes plaintext into the TLS stream (a TLS
  // server then resets the connection). A port that keeps using the old
  // name by mistake corrupts the session instead of failing at once.
  async fn() {
    await using certs = await makeCerts();
    const server = `
import socket, ssl
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(${JSON.stringify(certs.cert)}, ${JSON.stringify(certs.key)})
srv = socket.create_server(("127.0.0.1", 0))
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
conn.settimeout(5)
conn.sendall(b"220 ready\\r\\n")
s = ctx.wrap_socket(conn, server_side=True)
print(s.recv(100).decode(), flush=True)
s.close()
`;
    await withPythonPeer(server, async (peer) => {
      const context = socket.ssl.create_default_context(socket.ssl.Purpose.SERVER_AUTH, {
        cafile: certs.ca,
      });
      const raw = await socket.create_connection(["127.0.0.1", peer.port], 10);
      const file = raw.makefile("rb");
      assert.equal(latin1(await file.readline() as Uint8Array), "220 ready\r\n");
      await file.close();
      await using tls = await context.wrap_socket(raw, { server_hostname: "localhost" });
      assert.equal(raw.fileno(), -1);
      const ebadf = { errno: socket.EBADF, message: "[Errno 9] Bad file descriptor" };
      // As python3: even settimeout() of a detached socket raises EBADF.
      assert.throws(() => raw.settimeout(1), (e) => e instanceof socket.OSError && e.errno === 9);
      await rejects(raw.recv(10), socket.OSError, ebadf);
      await rejects(raw.sendall("PING\r\n"), socket.OSError, ebadf);
      await tls.sendall("hello");
      assert.equal(await peer.line(), "hello");
    });
  },
});
