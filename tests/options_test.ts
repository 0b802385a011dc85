// Copyright 2025 the pysocket authors. MIT license.
// Socket options and flags with their real effect: what getsockopt() reads
// (python3 on the same sequence is the oracle), what Deno can apply (checked
// in /proc/net/tcp and by what a python3 peer sees), and the error for what
// it cannot. Connections that need node:net (a source address, TCP_KEEPIDLE,
// SO_LINGER) go through _node_conn.ts; the rest stays on Deno.connect.

import assert from "node:assert/strict";
import * as socket from "../mod.ts";
import {
  assertBytes,
  listener,
  pair,
  python,
  pythonJSON,
  randomBytes,
  recvAll,
  rejects,
  sha256,
  text,
  throws,
  timesOut,
  until,
  withPythonPeer,
} from "./_utils.ts";
import { NodeConn } from "../_node_conn.ts";

const {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  SOCK_DGRAM,
  SOL_SOCKET,
  IPPROTO_TCP,
  IPPROTO_IP,
  IPPROTO_IPV6,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_RCVTIMEO,
  SO_SNDTIMEO,
  TCP_KEEPIDLE,
  TCP_KEEPINTVL,
  TCP_KEEPCNT,
  TCP_NODELAY,
  IP_TTL,
  IP_TOS,
  IPV6_TCLASS,
  MSG_NOSIGNAL,
  MSG_OOB,
} = socket;

/** `struct linger` / `struct timeval` bytes, as Python's `struct.pack`. */
function ints(...values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setInt32(i * 4, v, true));
  return bytes;
}

function timeval(sec: number, usec: number): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setBigInt64(0, BigInt(sec), true);
  view.setBigInt64(8, BigInt(usec), true);
  return bytes;
}

/** What a call gave: a value (bytes as arrays) or `errno:N`. */
function outcome(fn: () => unknown): unknown {
  try {
    const value = fn();
    return value instanceof Uint8Array ? Array.from(value) : value ?? null;
  } catch (e) {
    if (e instanceof socket.OSError) return `errno:${e.errno}`;
    throw e;
  }
}

/**
 * The keep-alive timer of `sock`'s TCP connection, from `/proc/net/tcp`
 * (`tr` 2 is the keep-alive timer; `tm->when` in jiffies, USER_HZ = 100):
 * its seconds to go, or `null` without one. Found by both ports, as other
 * programs on the machine may use the same local port.
 */
async function keepaliveTimer(sock: socket.Socket): Promise<number | null> {
  const hex = (port: number) => `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const local = hex((sock.getsockname() as [string, number])[1]);
  const remote = hex((sock.getpeername() as [string, number])[1]);
  const path = sock.family === AF_INET6 ? "/proc/net/tcp6" : "/proc/net/tcp";
  for (const line of (await Deno.readTextFile(path)).split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (!fields[1]?.endsWith(local) || !fields[2]?.endsWith(remote)) continue;
    if (fields[3] !== "01") continue; // ESTABLISHED (not an old TIME_WAIT)
    const [tr, when] = fields[5].split(":");
    return tr === "02" ? parseInt(when, 16) / 100 : null;
  }
  throw new Error(`no such connection in ${path}`);
}

const PY_OUTCOME = `
import json, socket, struct
out = {}
def run(name, fn):
    try:
        v = fn()
        out[name] = list(v) if isinstance(v, bytes) else v
    except OSError as e:
        out[name] = "errno:%d" % e.errno
`;

// ------------------------------------------------------------ reading, as Linux

Deno.test("Socket.getsockopt() reads what Linux reports for a fresh socket (python3 as oracle)", async () => {
  await using s = socket.socket();
  await using s6 = socket.socket(AF_INET6);
  await using d = socket.socket(AF_INET, SOCK_DGRAM);
  await using u = socket.socket(AF_UNIX);
  const ours: Record<string, () => unknown> = {
    keepalive: () => s.getsockopt(SOL_SOCKET, SO_KEEPALIVE),
    keepalive16: () => s.getsockopt(SOL_SOCKET, SO_KEEPALIVE, 16),
    keepalive2: () => s.getsockopt(SOL_SOCKET, SO_KEEPALIVE, 2),
    idle: () => s.getsockopt(IPPROTO_TCP, TCP_KEEPIDLE),
    idle1: () => s.getsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 1),
    intvl: () => s.getsockopt(IPPROTO_TCP, TCP_KEEPINTVL),
    cnt: () => s.getsockopt(IPPROTO_TCP, TCP_KEEPCNT),
    nodelay8: () => s.getsockopt(IPPROTO_TCP, TCP_NODELAY, 8),
    linger: () => s.getsockopt(SOL_SOCKET, SO_LINGER),
    linger8: () => s.getsockopt(SOL_SOCKET, SO_LINGER, 8),
    linger16: () => s.getsockopt(SOL_SOCKET, SO_LINGER, 16),
    linger4: () => s.getsockopt(SOL_SOCKET, SO_LINGER, 4),
    rcvtimeo: () => s.getsockopt(SOL_SOCKET, SO_RCVTIMEO),
    sndtimeo16: () => s.getsockopt(SOL_SOCKET, SO_SNDTIMEO, 16),
    ttl: () => s.getsockopt(IPPROTO_IP, IP_TTL),
    ttl8: () => s.getsockopt(IPPROTO_IP, IP_TTL, 8),
    tos: () => s.getsockopt(IPPROTO_IP, IP_TOS),
    ttl6: () => s6.getsockopt(IPPROTO_IP, IP_TTL),
    tclass: () => s6.getsockopt(IPPROTO_IPV6, IPV6_TCLASS),
    tclass4: () => s.getsockopt(IPPROTO_IPV6, IPV6_TCLASS),
    udpIdle: () => d.getsockopt(IPPROTO_TCP, TCP_KEEPIDLE),
    udpLinger: () => d.getsockopt(SOL_SOCKET, SO_LINGER, 8),
    udpTtl: () => d.getsockopt(IPPROTO_IP, IP_TTL),
    unixLinger: () => u.getsockopt(SOL_SOCKET, SO_LINGER, 8),
    unixIdle: () => u.getsockopt(IPPROTO_TCP, TCP_KEEPIDLE),
  };
  const py = await pythonJSON<Record<string, unknown>>(`${PY_OUTCOME}
s = socket.socket(); s6 = socket.socket(socket.AF_INET6)
d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u = socket.socket(socket.AF_UNIX)
S, T, IP, V6 = socket.SOL_SOCKET, socket.IPPROTO_TCP, socket.IPPROTO_IP, socket.IPPROTO_IPV6
run("keepalive", lambda: s.getsockopt(S, socket.SO_KEEPALIVE))
run("keepalive16", lambda: s.getsockopt(S, socket.SO_KEEPALIVE, 16))
run("keepalive2", lambda: s.getsockopt(S, socket.SO_KEEPALIVE, 2))
run("idle", lambda: s.getsockopt(T, socket.TCP_KEEPIDLE))
run("idle1", lambda: s.getsockopt(T, socket.TCP_KEEPIDLE, 1))
run("intvl", lambda: s.getsockopt(T, socket.TCP_KEEPINTVL))
run("cnt", lambda: s.getsockopt(T, socket.TCP_KEEPCNT))
run("nodelay8", lambda: s.getsockopt(T, socket.TCP_NODELAY, 8))
run("linger", lambda: s.getsockopt(S, socket.SO_LINGER))
run("linger8", lambda: s.getsockopt(S, socket.SO_LINGER, 8))
run("linger16", lambda: s.getsockopt(S, socket.SO_LINGER, 16))
run("linger4", lambda: s.getsockopt(S, socket.SO_LINGER, 4))
run("rcvtimeo", lambda: s.getsockopt(S, socket.SO_RCVTIMEO))
run("sndtimeo16", lambda: s.getsockopt(S, socket.SO_SNDTIMEO, 16))
run("ttl", lambda: s.getsockopt(IP, socket.IP_TTL))
run("ttl8", lambda: s.getsockopt(IP, socket.IP_TTL, 8))
run("tos", lambda: s.getsockopt(IP, socket.IP_TOS))
run("ttl6", lambda: s6.getsockopt(IP, socket.IP_TTL))
run("tclass", lambda: s6.getsockopt(V6, socket.IPV6_TCLASS))
run("tclass4", lambda: s.getsockopt(V6, socket.IPV6_TCLASS))
run("udpIdle", lambda: d.getsockopt(T, socket.TCP_KEEPIDLE))
run("udpLinger", lambda: d.getsockopt(S, socket.SO_LINGER, 8))
run("udpTtl", lambda: d.getsockopt(IP, socket.IP_TTL))
run("unixLinger", lambda: u.getsockopt(S, socket.SO_LINGER, 8))
run("unixIdle", lambda: u.getsockopt(T, socket.TCP_KEEPIDLE))
print(json.dumps(out))`);
  for (const [name, fn] of Object.entries(ours)) assert.deepEqual(outcome(fn), py[name], name);
});

Deno.test("Socket.setsockopt() takes and checks values as Linux does (python3 as oracle)", async () => {
  // Each step on a fresh socket: [name, set, then read back].
  const steps: [string, (s: socket.Socket) => unknown][] = [
    [
      "idle33",
      (s) => (s.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 33), s.getsockopt(IPPROTO_TCP, TCP_KEEPIDLE)),
    ],
    ["idle0", (s) => s.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 0)],
    ["idleMax", (s) => s.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 32768)],
    ["idleShort", (s) => s.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, new Uint8Array([5]))],
    [
      "idleBytes",
      (
        s,
      ) => (s.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, ints(9)),
        s.getsockopt(IPPROTO_TCP, TCP_KEEPIDLE)),
    ],
    ["cnt0", (s) => s.setsockopt(IPPROTO_TCP, TCP_KEEPCNT, 0)],
    ["cnt128", (s) => s.setsockopt(IPPROTO_TCP, TCP_KEEPCNT, 128)],
    ["intvl0", (s) => s.setsockopt(IPPROTO_TCP, TCP_KEEPINTVL, 0)],
    ["lingerInt", (s) => s.setsockopt(SOL_SOCKET, SO_LINGER, 1)],
    ["linger7", (s) => s.setsockopt(SOL_SOCKET, SO_LINGER, new Uint8Array(7))],
    [
      "lingerOn",
      (
        s,
      ) => (s.setsockopt(SOL_SOCKET, SO_LINGER, ints(7, 0)),
        s.getsockopt(SOL_SOCKET, SO_LINGER, 8)),
    ],
    [
      "lingerOnInt",
      (s) => (s.setsockopt(SOL_SOCKET, SO_LINGER, ints(1, 0)), s.getsockopt(SOL_SOCKET, SO_LINGER)),
    ],
    [
      "lingerOff",
      (
        s,
      ) => (s.setsockopt(SOL_SOCKET, SO_LINGER, ints(0, 5)),
        s.getsockopt(SOL_SOCKET, SO_LINGER, 8)),
    ],
    [
      "lingerLong",
      (
        s,
      ) => (s.setsockopt(SOL_SOCKET, SO_LINGER, ints(0, 0, 9)),
        s.getsockopt(SOL_SOCKET, SO_LINGER, 8)),
    ],
    ["rcvtimeoInt", (s) => s.setsockopt(SOL_SOCKET, SO_RCVTIMEO, 1)],
    ["rcvtimeo8", (s) => s.setsockopt(SOL_SOCKET, SO_RCVTIMEO, new Uint8Array(8))],
    ["rcvtimeoUsec", (s) => s.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(0, 1_000_000))],
    [
      "rcvtimeoZero",
      (
        s,
      ) => (s.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(0, 0)),
        s.getsockopt(SOL_SOCKET, SO_RCVTIMEO, 16)),
    ],
    ["keepaliveShort", (s) => s.setsockopt(SOL_SOCKET, SO_KEEPALIVE, new Uint8Array([1]))],
    [
      "keepalive5",
      (s) => (s.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 5), s.getsockopt(SOL_SOCKET, SO_KEEPALIVE)),
    ],
    ["ttl0", (s) => s.setsockopt(IPPROTO_IP, IP_TTL, 0)],
    ["ttl256", (s) => s.setsockopt(IPPROTO_IP, IP_TTL, 256)],
    ["ttlReset", (s) => (s.setsockopt(IPPROTO_IP, IP_TTL, -1), s.getsockopt(IPPROTO_IP, IP_TTL))],
    ["tos0", (s) => (s.setsockopt(IPPROTO_IP, IP_TOS, 0), s.getsockopt(IPPROTO_IP, IP_TOS))],
  ];
  const ours: Record<string, unknown> = {};
  for (const [name, fn] of steps) {
    await using s = socket.socket();
    ours[name] = outcome(() => fn(s));
  }
  const py = await pythonJSON<Record<string, unknown>>(`${PY_OUTCOME}
S, T, IP = socket.SOL_SOCKET, socket.IPPROTO_TCP, socket.IPPROTO_IP
ii = lambda *v: struct.pack("%di" % len(v), *v)
def step(name, fn):
    s = socket.socket()
    run(name, lambda: fn(s))
    s.close()
step("idle33", lambda s: (s.setsockopt(T, socket.TCP_KEEPIDLE, 33), s.getsockopt(T, socket.TCP_KEEPIDLE))[1])
step("idle0", lambda s: s.setsockopt(T, socket.TCP_KEEPIDLE, 0))
step("idleMax", lambda s: s.setsockopt(T, socket.TCP_KEEPIDLE, 32768))
step("idleShort", lambda s: s.setsockopt(T, socket.TCP_KEEPIDLE, b"\\x05"))
step("idleBytes", lambda s: (s.setsockopt(T, socket.TCP_KEEPIDLE, ii(9)), s.getsockopt(T, socket.TCP_KEEPIDLE))[1])
step("cnt0", lambda s: s.setsockopt(T, socket.TCP_KEEPCNT, 0))
step("cnt128", lambda s: s.setsockopt(T, socket.TCP_KEEPCNT, 128))
step("intvl0", lambda s: s.setsockopt(T, socket.TCP_KEEPINTVL, 0))
step("lingerInt", lambda s: s.setsockopt(S, socket.SO_LINGER, 1))
step("linger7", lambda s: s.setsockopt(S, socket.SO_LINGER, bytes(7)))
step("lingerOn", lambda s: (s.setsockopt(S, socket.SO_LINGER, ii(7, 0)), s.getsockopt(S, socket.SO_LINGER, 8))[1])
step("lingerOnInt", lambda s: (s.setsockopt(S, socket.SO_LINGER, ii(1, 0)), s.getsockopt(S, socket.SO_LINGER))[1])
step("lingerOff", lambda s: (s.setsockopt(S, socket.SO_LINGER, ii(0, 5)), s.getsockopt(S, socket.SO_LINGER, 8))[1])
step("lingerLong", lambda s: (s.setsockopt(S, socket.SO_LINGER, ii(0, 0, 9)), s.getsockopt(S, socket.SO_LINGER, 8))[1])
step("rcvtimeoInt", lambda s: s.setsockopt(S, socket.SO_RCVTIMEO, 1))
step("rcvtimeo8", lambda s: s.setsockopt(S, socket.SO_RCVTIMEO, bytes(8)))
step("rcvtimeoUsec", lambda s: s.setsockopt(S, socket.SO_RCVTIMEO, struct.pack("qq", 0, 1000000)))
step("rcvtimeoZero", lambda s: (s.setsockopt(S, socket.SO_RCVTIMEO, bytes(16)), s.getsockopt(S, socket.SO_RCVTIMEO, 16))[1])
step("keepaliveShort", lambda s: s.setsockopt(S, socket.SO_KEEPALIVE, b"\\x01"))
step("keepalive5", lambda s: (s.setsockopt(S, socket.SO_KEEPALIVE, 5), s.getsockopt(S, socket.SO_KEEPALIVE))[1])
step("ttl0", lambda s: s.setsockopt(IP, socket.IP_TTL, 0))
step("ttl256", lambda s: s.setsockopt(IP, socket.IP_TTL, 256))
step("ttlReset", lambda s: (s.setsockopt(IP, socket.IP_TTL, -1), s.getsockopt(IP, socket.IP_TTL))[1])
step("tos0", lambda s: (s.setsockopt(IP, socket.IP_TOS, 0), s.getsockopt(IP, socket.IP_TOS))[1])
print(json.dumps(out))`);
  for (const [name] of steps) assert.deepEqual(ours[name], py[name], name);
});

Deno.test("Socket.setsockopt() on other kinds of socket errs as Linux: TCP options on UDP and unix sockets", async () => {
  await using d = socket.socket(AF_INET, SOCK_DGRAM);
  await using u = socket.socket(AF_UNIX);
  const ours = {
    udpIdle: outcome(() => d.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 5)),
    udpNodelay: outcome(() => d.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1)),
    unixIdle: outcome(() => u.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 5)),
    // Linux keeps SO_LINGER on sockets it means nothing to: so does pysocket.
    udpLinger: outcome(
      () => (d.setsockopt(SOL_SOCKET, SO_LINGER, ints(1, 0)),
        d.getsockopt(SOL_SOCKET, SO_LINGER, 8)),
    ),
    unixLinger: outcome(
      () => (u.setsockopt(SOL_SOCKET, SO_LINGER, ints(1, 0)),
        u.getsockopt(SOL_SOCKET, SO_LINGER, 8)),
    ),
  };
  const py = await pythonJSON<Record<string, unknown>>(`${PY_OUTCOME}
d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u = socket.socket(socket.AF_UNIX)
run("udpIdle", lambda: d.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 5))
run("udpNodelay", lambda: d.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1))
run("unixIdle", lambda: u.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 5))
run("udpLinger", lambda: (d.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)), d.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8))[1])
run("unixLinger", lambda: (u.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)), u.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8))[1])
print(json.dumps(out))`);
  assert.deepEqual(ours, py);
});

// ------------------------------------------------------------- what Deno cannot do

Deno.test("Socket.setsockopt() refuses what Deno cannot apply, naming the option and why", async () => {
  await using s = socket.socket();
  const refused = (level: number, optname: number, value: number | Uint8Array, why: string) =>
    throws(() => s.setsockopt(level, optname, value), socket.OSError, {
      errno: socket.ENOPROTOOPT,
      message: `[Errno 92] Protocol not available: ${why}`,
    });
  refused(IPPROTO_TCP, TCP_KEEPINTVL, 10, "TCP_KEEPINTVL cannot be set in Deno");
  refused(IPPROTO_TCP, TCP_KEEPCNT, 3, "TCP_KEEPCNT cannot be set in Deno");
  refused(IPPROTO_IP, IP_TTL, 5, "IP_TTL cannot be set in Deno");
  refused(IPPROTO_IP, IP_TOS, 0x10, "IP_TOS cannot be set in Deno");
  refused(
    SOL_SOCKET,
    SO_LINGER,
    ints(1, 5),
    "SO_LINGER with a nonzero l_linger cannot be set in Deno (l_linger = 0, a reset on close, can)",
  );
  refused(
    SOL_SOCKET,
    SO_RCVTIMEO,
    timeval(1, 0),
    "SO_RCVTIMEO cannot be set in Deno (use settimeout())",
  );
  refused(
    SOL_SOCKET,
    SO_SNDTIMEO,
    timeval(0, 5),
    "SO_SNDTIMEO cannot be set in Deno (use settimeout())",
  );
  refused(IPPROTO_TCP, socket.TCP_MAXSEG, 1000, "TCP_MAXSEG cannot be set in Deno");
  await using s6 = socket.socket(AF_INET6);
  throws(() => s6.setsockopt(IPPROTO_IPV6, IPV6_TCLASS, 0x20), socket.OSError, {
    errno: socket.ENOPROTOOPT,
    message: "[Errno 92] Protocol not available: IPV6_TCLASS cannot be set in Deno",
  });
  // Nothing was pretended: the values read back are still the kernel's.
  assert.equal(s.getsockopt(IPPROTO_IP, IP_TTL), 64);
  assert.deepEqual(s.getsockopt(SOL_SOCKET, SO_LINGER, 8), new Uint8Array(8));
  // A value the socket already has changes nothing, so it is accepted.
  s.setsockopt(IPPROTO_TCP, TCP_KEEPINTVL, s.getsockopt(IPPROTO_TCP, TCP_KEEPINTVL));
  s.setsockopt(IPPROTO_TCP, TCP_KEEPCNT, s.getsockopt(IPPROTO_TCP, TCP_KEEPCNT));
  s.setsockopt(IPPROTO_IP, IP_TTL, s.getsockopt(IPPROTO_IP, IP_TTL));
  s6.setsockopt(IPPROTO_IPV6, IPV6_TCLASS, 0);
});

Deno.test("Socket.setsockopt(TCP_KEEPIDLE / SO_LINGER) is refused where Deno made the connection", async () => {
  await using p = await pair();
  const [client, server] = p;
  const tooLate =
    "cannot be set in Deno once connected (set it before connect(); accepted sockets cannot take it)";
  for (const s of [client, server]) {
    throws(() => s.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 30), socket.OSError, {
      errno: socket.ENOPROTOOPT,
      message: `[Errno 92] Protocol not available: TCP_KEEPIDLE ${tooLate}`,
    });
    throws(() => s.setsockopt(SOL_SOCKET, SO_LINGER, ints(1, 0)), socket.OSError, {
      errno: socket.ENOPROTOOPT,
      message: `[Errno 92] Protocol not available: SO_LINGER ${tooLate}`,
    });
    // Turning lingering off is what the socket does already.
    s.setsockopt(SOL_SOCKET, SO_LINGER, ints(0, 0));
  }
  const onListener =
    "cannot be set in Deno on a listening socket (accepted connections cannot take it)";
  throws(() => p.listener.sock.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 30), socket.OSError, {
    errno: socket.ENOPROTOOPT,
    message: `[Errno 92] Protocol not available: TCP_KEEPIDLE ${onListener}`,
  });
  // Set before listen(), Linux would pass them to accepted sockets: listen() says it cannot.
  await using l = socket.socket();
  l.bind(["127.0.0.1", 0]);
  const bound = l.getsockname();
  l.setsockopt(SOL_SOCKET, SO_LINGER, ints(1, 0));
  throws(() => l.listen(), socket.OSError, {
    errno: socket.ENOPROTOOPT,
    message: `[Errno 92] Protocol not available: SO_LINGER ${onListener}`,
  });
  // The socket is still bound to its address, and listens once the option is off.
  assert.deepEqual(l.getsockname(), bound);
  l.setsockopt(SOL_SOCKET, SO_LINGER, ints(0, 0));
  l.listen();
  await using c = socket.socket();
  await c.connect(bound);
  await using _a = (await l.accept())[0];
});

// ------------------------------------------------------------ real effects

Deno.test("SO_KEEPALIVE turns the kernel's keep-alive timer on (Deno.connect path)", async () => {
  await using p = await pair();
  const [client] = p;
  assert.equal(await keepaliveTimer(client), null);
  client.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1);
  const timer = await keepaliveTimer(client);
  // The host's TCP_KEEPIDLE (tcp_keepalive_time, 7200 s by default).
  const idle = client.getsockopt(IPPROTO_TCP, TCP_KEEPIDLE) as number;
  assert.ok(timer !== null && timer > idle - 60 && timer <= idle, `timer ${timer}, idle ${idle}`);
  client.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 0);
  assert.equal(await keepaliveTimer(client), null);
});

for (const family of [AF_INET, AF_INET6]) {
  const name = family === AF_INET ? "IPv4" : "IPv6";
  Deno.test(`TCP_KEEPIDLE set before connect() reaches the kernel (${name})`, async () => {
    await using server = await listener(family);
    await using c = socket.socket(family);
    c.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1);
    c.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 37);
    await c.connect(server.address);
    await using conn = (await server.sock.accept())[0];
    const timer = await keepaliveTimer(c);
    assert.ok(timer !== null && timer > 30 && timer <= 37, `timer ${timer}`);
    assert.equal(c.getsockopt(IPPROTO_TCP, TCP_KEEPIDLE), 37);
    // Changed once connected, it applies at once too.
    c.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 2000);
    const later = await keepaliveTimer(c);
    assert.ok(later !== null && later > 1990 && later <= 2000, `timer ${later}`);
    // And the connection works both ways.
    await c.sendall("ping");
    assert.equal(text(await conn.recv(10)), "ping");
    await conn.sendall("pong");
    assert.equal(text(await c.recv(10)), "pong");
  });
}

Deno.test("TCP_KEEPIDLE without SO_KEEPALIVE is kept, and applies when keep-alive is turned on", async () => {
  await using server = await listener();
  await using c = socket.socket();
  c.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 44);
  await c.connect(server.address);
  await using _conn = (await server.sock.accept())[0];
  assert.equal(await keepaliveTimer(c), null);
  c.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1);
  const timer = await keepaliveTimer(c);
  assert.ok(timer !== null && timer > 37 && timer <= 44, `timer ${timer}`);
});

Deno.test("bind() before connect() connects from the bound address (python3 peer sees it)", async () => {
  const script = `
import socket
for family, host, src in ((socket.AF_INET, "127.0.0.1", "127.0.0.2"), (socket.AF_INET6, "::1", "::1")):
    l = socket.socket(family); l.bind((host, 0)); l.listen()
    print(l.getsockname()[1], flush=True)
    c, addr = l.accept()
    print(addr[0], addr[1], flush=True)
    c.sendall(c.recv(100).upper()); c.close(); l.close()
`;
  await withPythonPeer(script, async (peer) => {
    let port = peer.port;
    for (
      const [family, host, src] of [[AF_INET, "127.0.0.1", "127.0.0.2"], [
        AF_INET6,
        "::1",
        "::1",
      ]] as const
    ) {
      await using c = socket.socket(family);
      c.bind([src, 0]);
      const [, bound] = c.getsockname() as [string, number];
      assert.ok(bound > 0);
      await c.connect([host, port]);
      assert.equal(await peer.line(), `${src} ${bound}`);
      assert.deepEqual((c.getsockname() as [string, number]).slice(0, 2), [src, bound]);
      await c.sendall("hello");
      assert.equal(text(await recvAll(c)), "HELLO");
      if (family === AF_INET) port = Number(await peer.line());
    }
    assert.equal((await peer.wait()).code, 0);
  });
});

Deno.test("SO_LINGER {1, 0} before connect(): close() resets the connection (python3 peer sees RST)", async () => {
  const script = `
import socket
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
print(l.getsockname()[1], flush=True)
for _ in range(2):
    c, _ = l.accept()
    try:
        print(repr(c.recv(100)), repr(c.recv(100)), flush=True)
    except ConnectionResetError as e:
        print("reset", e.errno, flush=True)
    c.close()
`;
  await withPythonPeer(script, async (peer) => {
    for (const linger of [true, false]) {
      const c = socket.socket();
      if (linger) c.setsockopt(SOL_SOCKET, SO_LINGER, ints(1, 0));
      await c.connect(["127.0.0.1", peer.port]);
      await c.sendall("x");
      assert.equal(text(await c.recv(1, socket.MSG_DONTWAIT).catch(() => new Uint8Array())), "");
      await c.close();
      // python3 reads the byte first; the next read sees the reset, or the end.
      const line = await peer.line();
      if (linger) assert.ok(line === "reset 104" || line === "b'x' reset 104", line ?? "");
      else assert.equal(line, "b'x' b''");
    }
  });
});

Deno.test("A connection through node:net behaves as one through Deno.connect", async () => {
  await using server = await listener();
  await using c = socket.socket();
  c.bind(["127.0.0.1", 0]); // through node:net
  await c.connect(server.address);
  await using conn = (await server.sock.accept())[0];
  // Bulk both ways, checked.
  const data = randomBytes(3 * 1024 * 1024 + 7, 11);
  const [, got] = await Promise.all([
    c.sendall(data).then(() => c.shutdown(socket.SHUT_WR)),
    recvAll(conn),
  ]);
  assertBytes(got, data);
  const back = randomBytes(1024 * 1024, 12);
  const [, echoed] = await Promise.all([
    conn.sendall(back).then(() => conn.shutdown(socket.SHUT_WR)),
    recvAll(c),
  ]);
  assert.equal(await sha256(echoed), await sha256(back));
  // Timeouts and TCP_NODELAY work on it too.
  c.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  assert.equal(c.getsockopt(IPPROTO_TCP, TCP_NODELAY), 1);
  await using server2 = await listener();
  await using d = socket.socket();
  d.setsockopt(IPPROTO_TCP, TCP_KEEPIDLE, 100);
  d.settimeout(0.2);
  await d.connect(server2.address);
  await using _conn2 = (await server2.sock.accept())[0];
  await timesOut(d.recv(10), 0.2);
});

Deno.test("A refused or non-blocking connect through node:net reports as Deno.connect's does", async () => {
  const free = socket.socket();
  free.bind(["127.0.0.1", 0]);
  const address = free.getsockname();
  await free.close();
  await using c = socket.socket();
  c.bind(["127.0.0.1", 0]);
  await rejects(c.connect(address), socket.ConnectionRefusedError, { errno: socket.ECONNREFUSED });
  await using server = await listener();
  await using n = socket.socket();
  n.setsockopt(SOL_SOCKET, SO_LINGER, ints(1, 0));
  n.setblocking(false);
  assert.equal(await n.connect_ex(server.address), socket.EINPROGRESS);
  let errno = socket.EALREADY;
  for (let i = 0; i < 1000 && errno === socket.EALREADY; i++) {
    errno = await n.connect_ex(server.address);
  }
  assert.equal(errno, 0);
  assert.equal(await n.connect_ex(server.address), socket.EISCONN);
  await using _conn = (await server.sock.accept())[0];
});

Deno.test("Errors through node:net are Python's: a reset peer, a broken pipe", async () => {
  const script = `
import socket, struct
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
print(l.getsockname()[1], flush=True)
for _ in range(2):
    c, _ = l.accept()
    c.recv(1)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    print("closed", flush=True)
`;
  await withPythonPeer(script, async (peer) => {
    // A read sees the reset.
    await using a = socket.socket();
    a.bind(["127.0.0.1", 0]);
    await a.connect(["127.0.0.1", peer.port]);
    await a.sendall("x");
    assert.equal(await peer.line(), "closed");
    await rejects(a.recv(10), socket.ConnectionResetError, { errno: socket.ECONNRESET });
    // Writes after the reset fail as on Linux (ECONNRESET first, then EPIPE).
    await using b = socket.socket();
    b.bind(["127.0.0.1", 0]);
    await b.connect(["127.0.0.1", peer.port]);
    await b.sendall("x");
    assert.equal(await peer.line(), "closed");
    const error = await (async () => {
      for (let i = 0; i < 100; i++) await b.sendall(new Uint8Array(65536));
    })().then(() => null, (e) => e);
    assert.ok(
      error instanceof socket.BrokenPipeError || error instanceof socket.ConnectionResetError,
      String(error),
    );
  });
});

Deno.test("NodeConn stops reading while nobody reads, so the kernel pushes back; nothing is lost", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  const conn = await NodeConn.connect({ hostname: "127.0.0.1", port, family: 4 });
  const peer = await listener.accept();
  listener.close();
  const data = randomBytes(8 * 1024 * 1024, 21);
  const sender = (async () => {
    let sent = 0;
    while (sent < data.length) sent += await peer.write(data.subarray(sent));
    await peer.closeWrite();
  })();
  // Nobody reads: the bytes pile up in the kernel's receive queue, not in memory.
  const local = `:${conn.localAddr.port.toString(16).toUpperCase().padStart(4, "0")}`;
  const remote = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const kernelQueue = async () => {
    for (const line of (await Deno.readTextFile("/proc/net/tcp")).split("\n")) {
      const f = line.trim().split(/\s+/);
      if (f[1]?.endsWith(local) && f[2]?.endsWith(remote)) return parseInt(f[4].split(":")[1], 16);
    }
    return 0;
  };
  await until(async () => (await kernelQueue()) > 64 * 1024, "the kernel to hold the bytes");
  const got = new Uint8Array(data.length);
  let n = 0;
  // Bounded: a stream that never resumed would fail here rather than hang.
  const guard = setTimeout(() => conn.close(), 20_000);
  try {
    while (true) {
      const count = await conn.read(got.subarray(n, n + 4096));
      if (count === null) break;
      n += count;
    }
  } finally {
    clearTimeout(guard);
  }
  await sender;
  assertBytes(got.subarray(0, n), data);
  conn.close();
  peer.close();
});

// ------------------------------------------------------------------- flags

Deno.test("MSG_NOSIGNAL is accepted on send, sendall, sendto and recv, as Python on Linux", async () => {
  await using p = await pair();
  const [client, server] = p;
  assert.equal(await client.send("a", MSG_NOSIGNAL), 1);
  await client.sendall("b", MSG_NOSIGNAL);
  assert.equal(await client.sendto("c", MSG_NOSIGNAL, ["127.0.0.1", 9]), 1);
  let got = "";
  while (got.length < 3) got += text(await server.recv(10, MSG_NOSIGNAL));
  assert.equal(got, "abc");
  await using u = socket.socket(AF_INET, SOCK_DGRAM);
  u.bind(["127.0.0.1", 0]);
  await u.sendto("d", MSG_NOSIGNAL, u.getsockname());
  assert.equal(text(await u.recv(10, MSG_NOSIGNAL)), "d");
  // After the peer is gone, a send raises BrokenPipeError: the process is never signalled.
  await server.close();
  const error = await (async () => {
    for (let i = 0; i < 100; i++) await client.send("x".repeat(1024), MSG_NOSIGNAL);
  })().then(() => null, (e) => e);
  assert.ok(
    error instanceof socket.BrokenPipeError || error instanceof socket.ConnectionResetError,
    String(error),
  );
  const py = await python(`import socket
a, b = socket.socketpair()
print(a.send(b"a", socket.MSG_NOSIGNAL), b.recv(10, socket.MSG_NOSIGNAL))`);
  assert.equal(py.stdout.trim(), "1 b'a'");
});

Deno.test("MSG_OOB raises EOPNOTSUPP naming the flag: Deno has no urgent data", async () => {
  await using p = await pair();
  const [client, server] = p;
  const message = "[Errno 95] Operation not supported: MSG_OOB cannot be used in Deno " +
    "(Deno can neither send nor receive TCP urgent data)";
  for (const call of [() => client.send("!", MSG_OOB), () => client.sendall("!", MSG_OOB)]) {
    assert.throws(call, (e: Error) => e instanceof socket.OSError && e.message === message);
  }
  assert.throws(() => server.recv(1, MSG_OOB), (e: Error) => e.message === message);
  assert.throws(
    () => client.send("!", socket.MSG_DONTROUTE),
    (e: Error) =>
      e.message ===
        "[Errno 95] Operation not supported: MSG_DONTROUTE cannot be used in Deno (Deno passes no flags to the kernel)",
  );
});

// --------------------------------------------------------------- reuse_port

Deno.test("create_server(reuse_port) without --unstable-net raises OSError naming the flag", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pysocket_test_" });
  try {
    const script = `${dir}/reuse.ts`;
    const mod = new URL("../mod.ts", import.meta.url).href;
    await Deno.writeTextFile(
      script,
      `import * as socket from "${mod}";
try {
  socket.create_server(["127.0.0.1", 0], { reuse_port: true });
  console.log("no error");
} catch (e) {
  console.log(e.name, e.errno, e.message);
}
`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", "--allow-net", script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout).trim();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.equal(
      stdout,
      `OSError ${socket.EOPNOTSUPP} [Errno 95] Operation not supported (pysocket: SO_REUSEPORT ` +
        "needs Deno's --unstable-net flag) (while attempting to bind on address ('127.0.0.1', 0))",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Socket.accept(): the accepted socket inherits SO_KEEPALIVE, TCP_NODELAY, SO_RCVBUF, SO_SNDBUF (python3)", async () => {
  const code = `
import socket, json
l = socket.socket(); l.bind(("127.0.0.1", 0))
l.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
l.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
l.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
l.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
l.listen()
c = socket.create_connection(l.getsockname()); a, _ = l.accept()
print(json.dumps([a.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE), a.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), a.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF), a.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)]))
`;
  const expected = await pythonJSON<number[]>(code);
  await using l = socket.socket();
  l.bind(["127.0.0.1", 0]);
  l.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1);
  l.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1);
  l.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536);
  l.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536);
  l.listen();
  await using c = socket.socket();
  await c.connect(l.getsockname());
  const [a] = await l.accept();
  await using _a = a;
  assert.deepEqual([
    a.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
    a.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY),
    a.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF),
    a.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF),
  ], expected);
});
