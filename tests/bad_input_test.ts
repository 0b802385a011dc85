// Copyright 2025 the pysocket authors. MIT license.
// Bad input: each call is made here and, with the same arguments, by
// python3 on this machine (one python3 run for the whole table). The error
// must be Python's, mapped per DESIGN.md: TypeError → TypeError,
// ValueError / OverflowError → RangeError, the OSError family → the class
// of the same name, with Python's errno and message. Where DESIGN.md
// deliberately differs from Python, the case says what it expects and why.

import assert from "node:assert/strict";
import * as socket from "../mod.ts";
import { pythonJSON, tempPath } from "./_utils.ts";

const { AF_INET, AF_INET6, AF_UNIX, SOL_SOCKET, SO_REUSEADDR, SO_TYPE, IPPROTO_TCP, TCP_NODELAY } =
  socket;

/** The sockets and things each case starts from (fresh for every case). */
interface Ctx {
  /** A fresh AF_INET stream socket. */
  s: socket.Socket;
  /** A fresh AF_INET6 stream socket. */
  s6: socket.Socket;
  /** A fresh AF_UNIX stream socket. */
  u: socket.Socket;
  /** A connected client. */
  c: socket.Socket;
  /** Its peer, accepted from `l`. */
  peer: socket.Socket;
  /** A listening socket on 127.0.0.1. */
  l: socket.Socket;
  /** `l`'s address. */
  addr: socket.Address;
  /** A closed socket. */
  closed: socket.Socket;
  /** A file of 10 bytes, open for reading. */
  f: Deno.FsFile;
}

// deno-lint-ignore no-explicit-any
type ErrorClass = new (...args: any[]) => Error;

interface Case {
  /** The call, as Python writes it (evaluated by python3 against the same context). */
  py: string;
  /** The same call here. */
  ts: (x: Ctx) => unknown;
  /** Where DESIGN.md differs from Python on purpose: what is expected here instead, and why. */
  design?: { cls: ErrorClass; errno?: number | null; message?: string; why: string };
}

/** An argument of the wrong type, past TypeScript's checks (the point of these tests). */
// deno-lint-ignore no-explicit-any
const bad = (value: unknown): any => value;

const CASES: Case[] = [
  // socket()
  { py: "socket.socket(12345)", ts: () => socket.socket(12345) },
  { py: "socket.socket(socket.AF_INET, 99)", ts: () => socket.socket(AF_INET, 99) },
  {
    py: "socket.socket(socket.AF_INET, socket.SOCK_STREAM, 17)",
    ts: () => socket.socket(AF_INET, 1, 17),
  },
  { py: "socket.socket('2')", ts: () => socket.socket(bad("2")) },
  { py: "socket.socket(socket.AF_INET, 1.5)", ts: () => socket.socket(AF_INET, 1.5) },
  // bind()
  { py: "s.bind(('127.0.0.1', 70000))", ts: (x) => x.s.bind(["127.0.0.1", 70000]) },
  { py: "s.bind(('127.0.0.1', -1))", ts: (x) => x.s.bind(["127.0.0.1", -1]) },
  { py: "s.bind('127.0.0.1')", ts: (x) => x.s.bind("127.0.0.1") },
  { py: "s.bind(None)", ts: (x) => x.s.bind(bad(null)) },
  { py: "s.bind(('127.0.0.1',))", ts: (x) => x.s.bind(bad(["127.0.0.1"])) },
  { py: "s.bind(('127.0.0.1', 0, 0))", ts: (x) => x.s.bind(bad(["127.0.0.1", 0, 0])) },
  { py: "s.bind(('127.0.0.1', '80'))", ts: (x) => x.s.bind(bad(["127.0.0.1", "80"])) },
  { py: "s.bind((127, 80))", ts: (x) => x.s.bind(bad([127, 80])) },
  { py: "s.bind(('127.0.0.1', 1.5))", ts: (x) => x.s.bind(["127.0.0.1", 1.5]) },
  { py: "s.bind(('::1', 0))", ts: (x) => x.s.bind(["::1", 0]) },
  { py: "s6.bind(('127.0.0.1', 0))", ts: (x) => x.s6.bind(["127.0.0.1", 0]) },
  { py: "s6.bind(('::1', 0, 0x100000, 0))", ts: (x) => x.s6.bind(["::1", 0, 0x100000, 0]) },
  { py: "s6.bind(('::1', 0, -1, 0))", ts: (x) => x.s6.bind(["::1", 0, -1, 0]) },
  { py: "s6.bind(('::1',))", ts: (x) => x.s6.bind(bad(["::1"])) },
  { py: "s6.bind(('::1', 0, 0, 0, 0))", ts: (x) => x.s6.bind(bad(["::1", 0, 0, 0, 0])) },
  { py: "s6.bind(('::1', 0, 0, 'x'))", ts: (x) => x.s6.bind(bad(["::1", 0, 0, "x"])) },
  { py: "u.bind(12)", ts: (x) => x.u.bind(bad(12)) },
  { py: "s.bind(('1.2.3.4', 0))", ts: (x) => x.s.bind(["1.2.3.4", 0]) },
  {
    py: "(s.bind(('127.0.0.1', 0)), s.bind(('127.0.0.1', 0)))",
    ts: (x) => {
      x.s.bind(["127.0.0.1", 0]);
      x.s.bind(["127.0.0.1", 0]);
    },
  },
  { py: "s.bind(addr)", ts: (x) => x.s.bind(x.addr) },
  { py: "s.bind(('nonexistent.invalid', 0))", ts: (x) => x.s.bind(["nonexistent.invalid", 0]) },
  // listen(), accept()
  { py: "s.listen('5')", ts: (x) => x.s.listen(bad("5")) },
  { py: "c.listen()", ts: (x) => x.c.listen() },
  { py: "u.listen()", ts: (x) => x.u.listen() },
  { py: "s.accept()", ts: (x) => x.s.accept() },
  // connect(), connect_ex()
  { py: "s.connect(('127.0.0.1', 70000))", ts: (x) => x.s.connect(["127.0.0.1", 70000]) },
  { py: "s.connect('x')", ts: (x) => x.s.connect("x") },
  { py: "s.connect_ex(('127.0.0.1', -5))", ts: (x) => x.s.connect_ex(["127.0.0.1", -5]) },
  {
    py: "s.connect_ex(('nonexistent.invalid', 80))",
    ts: (x) => x.s.connect_ex(["nonexistent.invalid", 80]),
  },
  { py: "s6.connect(('127.0.0.1', 80))", ts: (x) => x.s6.connect(["127.0.0.1", 80]) },
  { py: "c.connect(addr)", ts: (x) => x.c.connect(x.addr) },
  { py: "c.connect_ex(addr)", ts: (x) => x.c.connect_ex(x.addr) },
  { py: "closed.connect_ex(addr)", ts: (x) => x.closed.connect_ex(x.addr) },
  { py: "closed.connect(addr)", ts: (x) => x.closed.connect(x.addr) },
  // recv(), recv_into()
  { py: "c.recv(-1)", ts: (x) => x.c.recv(-1) },
  { py: "c.recv('1')", ts: (x) => x.c.recv(bad("1")) },
  { py: "c.recv(1.5)", ts: (x) => x.c.recv(1.5) },
  { py: "c.recv(None)", ts: (x) => x.c.recv(bad(null)) },
  { py: "c.recv(1, '0')", ts: (x) => x.c.recv(1, bad("0")) },
  { py: "s.recv(1)", ts: (x) => x.s.recv(1) },
  { py: "l.recv(1)", ts: (x) => x.l.recv(1) },
  {
    py: "c.recv(1, socket.MSG_OOB)",
    ts: (x) => x.c.recv(1, socket.MSG_OOB),
    design: {
      cls: socket.OSError,
      errno: socket.EOPNOTSUPP,
      message: "[Errno 95] Operation not supported",
      why: "DESIGN.md: flags other than MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL raise EOPNOTSUPP " +
        "(Linux gives EINVAL here only because no urgent data is pending)",
    },
  },
  { py: "c.recv_into(bytearray(2), 5)", ts: (x) => x.c.recv_into(new Uint8Array(2), 5) },
  { py: "c.recv_into(bytearray(2), -1)", ts: (x) => x.c.recv_into(new Uint8Array(2), -1) },
  { py: "c.recv_into(bytearray(2), 1.5)", ts: (x) => x.c.recv_into(new Uint8Array(2), 1.5) },
  { py: "c.recv_into('abc')", ts: (x) => x.c.recv_into(bad("abc")) },
  { py: "c.recv_into(None)", ts: (x) => x.c.recv_into(bad(null)) },
  { py: "s.recv_into(bytearray(2))", ts: (x) => x.s.recv_into(new Uint8Array(2)) },
  // send(), sendall(), sendfile()
  { py: "c.send(None)", ts: (x) => x.c.send(bad(null)) },
  { py: "c.send(123)", ts: (x) => x.c.send(bad(123)) },
  { py: "c.sendall([1, 2])", ts: (x) => x.c.sendall(bad([1, 2])) },
  { py: "c.send(b'x', '0')", ts: (x) => x.c.send("x", bad("0")) },
  { py: "s.send(b'x')", ts: (x) => x.s.send("x") },
  { py: "s.sendall(b'x')", ts: (x) => x.s.sendall("x") },
  { py: "l.send(b'x')", ts: (x) => x.l.send("x") },
  {
    py: "(c.setblocking(False), c.sendfile(f))[-1]",
    ts: (x) => {
      x.c.setblocking(false);
      return x.c.sendfile(x.f);
    },
  },
  { py: "c.sendfile(f, 0, 0)", ts: (x) => x.c.sendfile(x.f, 0, 0) },
  { py: "c.sendfile(f, 0, 1.5)", ts: (x) => x.c.sendfile(x.f, 0, 1.5) },
  { py: "c.sendfile(f, 1.5)", ts: (x) => x.c.sendfile(x.f, 1.5) },
  { py: "c.sendfile(f, -1)", ts: (x) => x.c.sendfile(x.f, -1) },
  { py: "s.sendfile(f)", ts: (x) => x.s.sendfile(x.f) },
  // shutdown()
  { py: "c.shutdown(5)", ts: (x) => x.c.shutdown(5) },
  { py: "c.shutdown('1')", ts: (x) => x.c.shutdown(bad("1")) },
  { py: "s.shutdown(socket.SHUT_WR)", ts: (x) => x.s.shutdown(socket.SHUT_WR) },
  // settimeout(), setblocking(), setdefaulttimeout()
  { py: "s.settimeout(-1)", ts: (x) => x.s.settimeout(-1) },
  { py: "s.settimeout(float('nan'))", ts: (x) => x.s.settimeout(NaN) },
  { py: "s.settimeout('1')", ts: (x) => x.s.settimeout(bad("1")) },
  { py: "s.settimeout([1])", ts: (x) => x.s.settimeout(bad([1])) },
  { py: "socket.setdefaulttimeout(-2)", ts: () => socket.setdefaulttimeout(-2) },
  { py: "s.setblocking(None)", ts: (x) => x.s.setblocking(bad(null)) },
  { py: "closed.settimeout(1)", ts: (x) => x.closed.settimeout(1) },
  { py: "closed.setblocking(False)", ts: (x) => x.closed.setblocking(false) },
  // setsockopt(), getsockopt()
  { py: "s.getsockopt(socket.SOL_SOCKET, 9999)", ts: (x) => x.s.getsockopt(SOL_SOCKET, 9999) },
  {
    py: "s.setsockopt(socket.SOL_SOCKET, 9999, 1)",
    ts: (x) => x.s.setsockopt(SOL_SOCKET, 9999, 1),
  },
  {
    py: "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, '1')",
    ts: (x) => x.s.setsockopt(SOL_SOCKET, SO_REUSEADDR, bad("1")),
  },
  {
    py: "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, None)",
    ts: (x) => x.s.setsockopt(SOL_SOCKET, SO_REUSEADDR, bad(null)),
  },
  { py: "s.getsockopt('1', 2)", ts: (x) => x.s.getsockopt(bad("1"), 2) },
  {
    py: "s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE, 2000)",
    ts: (x) => x.s.getsockopt(SOL_SOCKET, SO_TYPE, 2000),
  },
  {
    py: "s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE, 0)",
    ts: (x) => x.s.getsockopt(SOL_SOCKET, SO_TYPE, 0),
  },
  {
    py: "u.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)",
    ts: (x) => x.u.getsockopt(IPPROTO_TCP, TCP_NODELAY),
  },
  {
    py: "u.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)",
    ts: (x) => x.u.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1),
  },
  // getpeername(), and a closed socket
  { py: "s.getpeername()", ts: (x) => x.s.getpeername() },
  { py: "l.getpeername()", ts: (x) => x.l.getpeername() },
  { py: "closed.recv(1)", ts: (x) => x.closed.recv(1) },
  { py: "closed.send(b'x')", ts: (x) => x.closed.send("x") },
  { py: "closed.accept()", ts: (x) => x.closed.accept() },
  { py: "closed.getsockname()", ts: (x) => x.closed.getsockname() },
  {
    py: "closed.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)",
    ts: (x) => x.closed.getsockopt(SOL_SOCKET, SO_TYPE),
  },
  { py: "closed.shutdown(socket.SHUT_RDWR)", ts: (x) => x.closed.shutdown(socket.SHUT_RDWR) },
  { py: "closed.fileno()", ts: (x) => x.closed.fileno() },
  { py: "closed.close()", ts: (x) => x.closed.close() },
];

/** What a call did: returned a value, or raised. */
type Outcome =
  | { ok: true; value: unknown }
  | { ok: false; cls: string; errno: number | null; message: string };

/** Runs the whole table in one python3 process, each case against a fresh context. */
function oracle(): Promise<Outcome[]> {
  return pythonJSON<Outcome[]>(
    `
import json, os, socket, sys, tempfile
exprs = json.loads(sys.stdin.read())
d = tempfile.mkdtemp()
path = os.path.join(d, "f")
with open(path, "wb") as fh:
    fh.write(b"0123456789")
out = []
for expr in exprs:
    l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
    c = socket.socket(); c.connect(l.getsockname()); peer, _ = l.accept()
    closed = socket.socket(); closed.close()
    env = dict(socket=socket, s=socket.socket(), s6=socket.socket(socket.AF_INET6),
               u=socket.socket(socket.AF_UNIX), c=c, peer=peer, l=l, addr=l.getsockname(),
               closed=closed, f=open(path, "rb"))
    saved = socket.getdefaulttimeout()
    try:
        value = eval(expr, env)
        out.append({"ok": True, "value": value if isinstance(value, (int, str, type(None))) else repr(value)})
    except Exception as e:
        out.append({"ok": False, "cls": type(e).__name__, "errno": getattr(e, "errno", None), "message": str(e)})
    socket.setdefaulttimeout(saved)
    for k in ("s", "s6", "u", "c", "peer", "l", "f"):
        env[k].close()
os.remove(path); os.rmdir(d)
print(json.dumps(out))
`,
    { stdin: JSON.stringify(CASES.map((c) => c.py)), timeout: 60 },
  );
}

/** Python's exception class → the class expected here (DESIGN.md's mapping). */
function expectedClass(cls: string): ErrorClass {
  if (cls === "TypeError") return TypeError;
  if (cls === "ValueError" || cls === "OverflowError") return RangeError;
  const found = (socket as unknown as Record<string, unknown>)[cls];
  assert.ok(typeof found === "function", `no class ${cls} in pysocket`);
  return found as ErrorClass;
}

async function run(fn: () => unknown): Promise<Outcome & { error?: unknown }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    const error = e as Error & { errno?: number | null };
    return {
      ok: false,
      cls: error?.name,
      errno: error?.errno ?? null,
      message: error?.message,
      error: e,
    };
  }
}

async function withContext<T>(fn: (x: Ctx) => Promise<T>): Promise<T> {
  const l = socket.socket();
  l.bind(["127.0.0.1", 0]);
  l.listen();
  const c = socket.socket();
  await c.connect(l.getsockname());
  const [peer] = await l.accept();
  const closed = socket.socket();
  await closed.close();
  await using temp = await tempPath("f");
  await Deno.writeTextFile(temp.path, "0123456789");
  const x: Ctx = {
    s: socket.socket(),
    s6: socket.socket(AF_INET6),
    u: socket.socket(AF_UNIX),
    c,
    peer,
    l,
    addr: l.getsockname(),
    closed,
    f: await Deno.open(temp.path),
  };
  const saved = socket.getdefaulttimeout();
  try {
    return await fn(x);
  } finally {
    socket.setdefaulttimeout(saved);
    x.f.close();
    await Promise.all([x.s, x.s6, x.u, x.c, x.peer, x.l].map((s) => s.close()));
  }
}

Deno.test(`Socket rejects bad input as Python does (${CASES.length} cases, python3 oracle)`, async () => {
  assert.ok(CASES.length >= 40);
  const expected = await oracle();
  assert.equal(expected.length, CASES.length);
  const failures: string[] = [];
  for (let i = 0; i < CASES.length; i++) {
    const { py, ts, design } = CASES[i];
    const want = expected[i];
    const got = await withContext((x) => run(() => ts(x)));
    const problem = (() => {
      if (want.ok) {
        if (!got.ok) {
          return `Python returned ${
            JSON.stringify(want.value)
          }, we raised ${got.cls}: ${got.message}`;
        }
        const value = got.value === undefined ? null : got.value;
        if (value !== want.value) {
          return `Python returned ${JSON.stringify(want.value)}, we returned ${value}`;
        }
        return null;
      }
      const cls = design?.cls ?? expectedClass(want.cls);
      const errno = design ? design.errno : want.errno;
      const message = design ? design.message : want.message;
      if (got.ok) {
        return `Python raised ${want.cls}: ${want.message}; we returned ${Deno.inspect(got.value)}`;
      }
      if (!(got.error instanceof cls) || got.cls !== cls.name) {
        return `expected ${cls.name} (Python ${want.cls}: ${want.message}), got ${got.cls}: ${got.message}`;
      }
      if (errno !== undefined && got.errno !== errno) {
        return `errno ${got.errno}, expected ${errno}`;
      }
      if (message !== undefined && got.message !== message) {
        return `message ${JSON.stringify(got.message)}, expected ${JSON.stringify(message)}`;
      }
      return null;
    })();
    if (problem) failures.push(`${py}: ${problem}`);
  }
  assert.deepEqual(failures, []);
});

Deno.test("Socket keeps working after a bad argument: nothing is left half-open", async () => {
  await withContext(async (x) => {
    // A rejected call changes nothing: the connection still carries data both ways.
    const attempts: (() => unknown)[] = [
      () => x.c.recv(-1),
      () => x.c.send(bad(null)),
      () => x.c.recv_into(new Uint8Array(2), 5),
      () => x.c.shutdown(7),
      () => x.c.settimeout(-1),
      () => x.c.setsockopt(SOL_SOCKET, 9999, 1),
      () => x.c.bind(["127.0.0.1", 70000]),
    ];
    for (const attempt of attempts) {
      const outcome = await run(attempt);
      assert.equal(outcome.ok, false);
    }
    assert.equal(x.c.gettimeout(), null);
    await x.c.sendall("still");
    const got = await x.peer.recv(5, socket.MSG_WAITALL);
    assert.equal(new TextDecoder().decode(got), "still");
    await x.peer.sendall("fine");
    assert.equal(new TextDecoder().decode(await x.c.recv(4, socket.MSG_WAITALL)), "fine");
    // A listener that refused a bad bind still accepts.
    const s = socket.socket();
    const outcome = await run(() => s.bind(["127.0.0.1", -1]));
    assert.equal(outcome.ok, false);
    s.bind(["127.0.0.1", 0]);
    s.listen();
    const client = socket.socket();
    await client.connect(s.getsockname());
    const [conn] = await s.accept();
    await Promise.all([conn.close(), client.close(), s.close()]);
  });
});
