// Copyright 2025 the pysocket authors. MIT license.
// pymemcache's socket code ported line by line to pysocket: connect with a
// connect timeout then the operation timeout, TCP_NODELAY, and the
// makefile-less recv(4096) loops of _readline and _readvalue, over the text
// protocol (set/get/gets/cas/add/incr/decr/delete, noreply, 1 MiB values),
// run against a real memcached. memcached_oracle.py runs the same sequence
// with python3's standard library against the same server; the results
// must be identical.

import assert from "node:assert/strict";
import * as socket from "../../mod.ts";
import { sha256, tempPath } from "../_utils.ts";
import { freePort, have, pythonOracle, withServer } from "./_servers.ts";

const HAVE_MEMCACHED = await have("memcached");
if (!HAVE_MEMCACHED) console.log("memcached_test.ts: skipped, memcached is not installed");

const HOST = "127.0.0.1";
const RECV_SIZE = 4096;
const enc = new TextEncoder();
const dec = new TextDecoder();
const EMPTY: Uint8Array = new Uint8Array(0);

class MemcacheUnexpectedCloseError extends Error {}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `buf.find(b"\r\n")`. */
function findCrlf(buf: Uint8Array): number {
  for (let i = buf.indexOf(13); i >= 0 && i + 1 < buf.length; i = buf.indexOf(13, i + 1)) {
    if (buf[i + 1] === 10) return i;
  }
  return -1;
}

async function _recv(sock: socket.Socket, size: number): Promise<Uint8Array> {
  while (true) {
    try {
      return await sock.recv(size);
    } catch (e) {
      if (!(e instanceof socket.InterruptedError)) throw e;
    }
  }
}

async function _readline(
  sock: socket.Socket,
  buf: Uint8Array,
): Promise<[Uint8Array, Uint8Array]> {
  const chunks: Uint8Array[] = [];
  // deno-lint-ignore camelcase
  let last_char = -1;
  while (true) {
    if (last_char === 13 && buf[0] === 10) {
      chunks[chunks.length - 1] = chunks[chunks.length - 1].subarray(0, -1);
      return [buf.subarray(1), join(chunks)];
    }
    const at = findCrlf(buf);
    if (at !== -1) {
      chunks.push(buf.subarray(0, at));
      return [buf.subarray(at + 2), join(chunks)];
    }
    if (buf.length) {
      chunks.push(buf);
      last_char = buf[buf.length - 1];
    }
    buf = await _recv(sock, RECV_SIZE);
    if (!buf.length) throw new MemcacheUnexpectedCloseError();
  }
}

async function _readvalue(
  sock: socket.Socket,
  buf: Uint8Array,
  size: number,
): Promise<[Uint8Array, Uint8Array]> {
  const chunks: Uint8Array[] = [];
  let rlen = size + 2;
  while (rlen - buf.length > 0) {
    if (buf.length) {
      rlen -= buf.length;
      chunks.push(buf);
    }
    buf = await _recv(sock, RECV_SIZE);
    if (!buf.length) throw new MemcacheUnexpectedCloseError();
  }
  if (rlen === 1) chunks[chunks.length - 1] = chunks[chunks.length - 1].subarray(0, -1);
  else chunks.push(buf.subarray(0, rlen - 2));
  return [buf.subarray(rlen), join(chunks)];
}

async function conv(value: Uint8Array): Promise<unknown> {
  if (value.length > 64) return { len: value.length, sha256: await sha256(value) };
  if (value.every((c) => c >= 32 && c < 127)) return dec.decode(value);
  return { hex: Array.from(value, (b) => b.toString(16).padStart(2, "0")).join("") };
}

type Fetched = Record<string, [unknown, number, string | null]> | { error: string };

class Client {
  sock!: socket.Socket;

  async _connect(port: number | string) {
    let sock: socket.Socket;
    if (typeof port === "string") {
      sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
      sock.settimeout(2.0);
      await sock.connect(port);
      sock.settimeout(5.0);
    } else {
      const [family, socktype, proto, , addr] = (await socket.getaddrinfo(
        HOST,
        port,
        socket.AF_INET,
        socket.SOCK_STREAM,
      ))[0];
      sock = socket.socket(family, socktype, proto);
      sock.settimeout(2.0);
      await sock.connect(addr);
      sock.settimeout(5.0);
      sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1);
    }
    this.sock = sock;
  }

  async _store_cmd(
    name: string,
    key: string,
    value: Uint8Array | string,
    { flags = 0, expire = 0, noreply = false, cas = null as string | null } = {},
  ): Promise<string | null> {
    if (typeof value === "string") value = enc.encode(value);
    let extra = "";
    if (cas !== null) extra += ` ${cas}`;
    if (noreply) extra += " noreply";
    const cmd = join([
      enc.encode(`${name} ${key} ${flags} ${expire} ${value.length}${extra}\r\n`),
      value,
      enc.encode("\r\n"),
    ]);
    await this.sock.sendall(cmd);
    if (noreply) return null;
    const [, line] = await _readline(this.sock, EMPTY);
    return dec.decode(line);
  }

  async _fetch_cmd(name: string, keys: string[]): Promise<Fetched> {
    await this.sock.sendall(`${name} ${keys.join(" ")}\r\n`);
    const result: Record<string, [unknown, number, string | null]> = {};
    let buf: Uint8Array = EMPTY;
    while (true) {
      let line: Uint8Array;
      [buf, line] = await _readline(this.sock, buf);
      const text = dec.decode(line);
      if (text === "END") return result;
      if (text.startsWith("VALUE")) {
        const parts = text.split(" ");
        const [key, flags, size] = [parts[1], Number(parts[2]), Number(parts[3])];
        const cas = parts.length > 4 ? parts[4] : null;
        let value: Uint8Array;
        [buf, value] = await _readvalue(this.sock, buf, size);
        result[key] = [await conv(value), flags, cas];
      } else {
        return { error: text };
      }
    }
  }

  async _misc_cmd(cmd: string): Promise<string> {
    await this.sock.sendall(`${cmd}\r\n`);
    const [, line] = await _readline(this.sock, EMPTY);
    return dec.decode(line);
  }
}

// deno-lint-ignore camelcase
function big_value(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = i % 251;
  return out;
}

/** The sequence of memcached_oracle.py's main(), line for line. */
async function main(port: number | string): Promise<unknown[]> {
  const r: unknown[] = [];
  const c = new Client();
  await c._connect(port);
  const s = c.sock;
  if (typeof port === "string") {
    r.push(["opts", s.family === socket.AF_UNIX, s.gettimeout()]);
  } else {
    r.push(["opts", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) !== 0, s.gettimeout()]);
  }
  r.push(await c._misc_cmd("flush_all"));
  r.push(await c._store_cmd("set", "k", "hello", { flags: 5 }));
  r.push(await c._fetch_cmd("get", ["k"]));
  r.push(await c._fetch_cmd("get", ["missing"]));
  const gets = await c._fetch_cmd("gets", ["k"]) as Record<string, [unknown, number, string]>;
  const cas = gets["k"][2];
  r.push(["gets", gets["k"][0], gets["k"][1], /^[0-9]+$/.test(cas)]);
  r.push(await c._store_cmd("cas", "k", "world", { cas }));
  r.push(await c._store_cmd("cas", "k", "again", { cas }));
  r.push(await c._store_cmd("cas", "nokey", "x", { cas: "1" }));
  r.push(await c._store_cmd("add", "k", "x"));
  r.push(await c._store_cmd("set", "n", "10"));
  r.push(await c._misc_cmd("incr n 5"));
  r.push(await c._misc_cmd("decr n 100"));
  r.push(await c._misc_cmd("incr missing 1"));
  r.push(await c._misc_cmd("incr k 1"));
  r.push(
    await c._store_cmd(
      "set",
      "crlf",
      new Uint8Array([0x61, 13, 10, 0x45, 0x4e, 0x44, 13, 10, 0, 0xff]),
    ),
  );
  r.push(await c._fetch_cmd("get", ["crlf", "k", "n", "missing"]));
  r.push(await c._misc_cmd("delete k"));
  r.push(await c._misc_cmd("delete k"));
  // noreply: nothing comes back; a get afterwards sees every store.
  for (let i = 0; i < 20; i++) await c._store_cmd("set", `nr${i}`, `v${i}`, { noreply: true });
  await c.sock.sendall("delete nr3 noreply\r\nincr nr0 1 noreply\r\n");
  r.push(await c._fetch_cmd("get", Array.from({ length: 20 }, (_, i) => `nr${i}`)));
  // 1 MiB values (memcached runs with -I 2m), read 4 KiB at a time.
  for (const size of [1024 * 1024, 1024 * 1024 + 1, 4094, 4095, 4096]) {
    const big = big_value(size);
    r.push(await c._store_cmd("set", "big", big));
    const got = await c._fetch_cmd("get", ["big"]);
    r.push([got, await sha256(big)]);
  }
  // A timeout with nothing to read, then the connection still works.
  s.settimeout(0.2);
  try {
    await s.recv(RECV_SIZE);
    r.push("no timeout");
  } catch (e) {
    if (!(e instanceof socket.timeout)) throw e;
    r.push(["timeout", e.message]);
  }
  s.settimeout(5.0);
  r.push((await c._misc_cmd("version")).startsWith("VERSION "));
  await s.sendall("quit\r\n");
  r.push(["eof", dec.decode(await s.recv(RECV_SIZE))]);
  await s.close();
  return r;
}

Deno.test({
  name: "pymemcache's socket code ported to pysocket gives python3's results against memcached",
  ignore: !HAVE_MEMCACHED,
  async fn() {
    const port = await freePort();
    // -u root: memcached refuses to run as root without it (harmless otherwise).
    await withServer(
      "memcached",
      ["-u", "root", "-p", String(port), "-l", "127.0.0.1", "-U", "0", "-I", "2m"],
      port,
      async () => {
        const expected = await pythonOracle<unknown[]>("memcached_oracle.py", [String(port)]);
        const actual = await main(port);
        assert.deepEqual(actual, expected);
      },
    );
  },
});

Deno.test({
  name: "pymemcache over a unix socket: the same sequence against memcached -s, as python3",
  ignore: !HAVE_MEMCACHED,
  async fn() {
    await using temp = await tempPath("memcached.sock");
    await withServer(
      "memcached",
      ["-u", "root", "-s", temp.path, "-I", "2m"],
      temp.path,
      async () => {
        const expected = await pythonOracle<unknown[]>("memcached_oracle.py", [
          `unix:${temp.path}`,
        ]);
        const actual = await main(temp.path);
        assert.deepEqual(actual, expected);
        assert.deepEqual(actual[0], ["opts", true, 5]);
      },
    );
  },
});
