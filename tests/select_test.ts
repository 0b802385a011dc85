// Copyright 2025 the pysocket authors. MIT license.
// select.ts: `select()`, `poll` and `epoll` over pysocket sockets, compared
// with python3's `select` on the same states and the same bad arguments,
// plus waking (no lost wake-ups over random seeds) and a select() chat
// server with python3 clients.

import assert from "node:assert/strict";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import * as selectors from "../selectors.ts";
import {
  fails,
  listener,
  pair,
  prng,
  python,
  pythonJSON,
  rejects,
  text,
  throws,
  withPythonPeer,
} from "./_utils.ts";

const { POLLIN, POLLPRI, POLLOUT, POLLERR, POLLHUP, POLLNVAL } = select;
/** Python's default `register()` mask, plus what poll always reports. */
const BASIC = POLLIN | POLLPRI | POLLOUT | POLLERR | POLLHUP | POLLNVAL;
const ALL = 0xffff;

type State = Record<string, number | number[] | string>;

/** The `poll()` bits of `sock` now (registered for every event). */
async function maskOf(sock: socket.Socket | number): Promise<number> {
  const p = select.poll();
  p.register(sock, ALL);
  try {
    const got = await p.poll(0);
    return got.length ? got[0][1] : 0;
  } finally {
    p.unregister(sock);
  }
}

/** Waits (at most 5 s) until `sock` reports one of `bits`. */
async function settle(sock: socket.Socket, bits: number): Promise<void> {
  const p = select.poll();
  p.register(sock, bits);
  try {
    const got = await p.poll(5000);
    assert.ok(got.length > 0 && got[0][1] & bits, `state with bits ${bits} never came`);
  } finally {
    p.unregister(sock);
  }
}

/** `[r, w, x]` counts from `select([s], [s], [s], 0)`. */
async function selectCounts(sock: socket.Socket): Promise<number[]> {
  const [r, w, x] = await select.select([sock], [sock], [sock], 0);
  return [r.length, w.length, x.length];
}

/** The same states, built by python3 (waiting with poll, never sleeping). */
const PY_STATES = `
import select, socket, json, struct
def m(s):
    p = select.poll(); p.register(s, 0xffff); r = p.poll(0); return r[0][1] if r else 0
def settle(s, bits):
    p = select.poll(); p.register(s, bits); assert p.poll(5000)
def sel(s):
    r, w, x = select.select([s], [s], [s], 0); return [len(r), len(w), len(x)]
out = {}
s = socket.socket(); out['fresh'] = m(s); out['fresh select'] = sel(s)
s.bind(("127.0.0.1", 0)); out['bound'] = m(s)
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
out['listening idle'] = m(l); out['listening idle select'] = sel(l)
c = socket.socket(); c.connect(l.getsockname()); settle(l, select.POLLIN)
out['listening, connection queued'] = m(l); out['listening, connection queued select'] = sel(l)
a, _ = l.accept(); out['connected idle'] = m(a); out['connected idle select'] = sel(a)
c.send(b'x'); settle(a, select.POLLIN); out['connected, data'] = m(a); out['connected, data select'] = sel(a)
c.shutdown(socket.SHUT_WR); settle(a, select.POLLRDHUP); out['data then peer FIN'] = m(a)
a.recv(10); out['peer FIN'] = m(a); out['peer FIN select'] = sel(a)
out['own SHUT_WR'] = m(c)
a.shutdown(socket.SHUT_WR); settle(c, select.POLLRDHUP); out['peer FIN, own SHUT_WR'] = m(a); out['own SHUT_WR, peer FIN'] = m(c)
c2 = socket.socket(); c2.connect(l.getsockname()); a2, _ = l.accept()
a2.shutdown(socket.SHUT_RD); out['own SHUT_RD'] = m(a2); out['own SHUT_RD select'] = sel(a2)
a2.shutdown(socket.SHUT_WR); out['own SHUT_RDWR'] = m(a2)
c3 = socket.socket(); c3.connect(l.getsockname()); a3, _ = l.accept()
c3.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0)); c3.close()
settle(a3, select.POLLERR); out['peer reset'] = m(a3); out['peer reset select'] = sel(a3)
try: a3.recv(1)
except OSError as e: out['peer reset, recv raises'] = type(e).__name__
out['peer reset, after recv'] = m(a3)
t = socket.socket(); t.bind(("127.0.0.1", 0)); port = t.getsockname()[1]; t.close()
f = socket.socket(); f.setblocking(False); f.connect_ex(("127.0.0.1", port)); settle(f, select.POLLOUT)
out['failed connect'] = m(f); out['failed connect select'] = sel(f)
f.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR); out['failed connect, after SO_ERROR'] = m(f)
f2 = socket.socket(); f2.setblocking(False); f2.connect_ex(("127.0.0.1", port)); settle(f2, select.POLLOUT)
try: f2.recv(1)
except OSError as e: out['failed connect, recv raises'] = type(e).__name__
out['failed connect, after recv'] = m(f2)
g = socket.socket(); g.setblocking(False); g.connect_ex(l.getsockname()); settle(g, select.POLLOUT)
out['non-blocking connect done'] = m(g)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); out['datagram fresh'] = m(u)
u.bind(("127.0.0.1", 0)); out['datagram idle'] = m(u); out['datagram idle select'] = sel(u)
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); v.sendto(b'hi', u.getsockname()); settle(u, select.POLLIN)
out['datagram queued'] = m(u); out['datagram queued select'] = sel(u)
z = socket.socket(); n = z.fileno(); p = select.poll(); p.register(n, 0xffff); z.close()
out['closed'] = p.poll(0)[0][1]
print(json.dumps(out))
`;

/** The states, built with pysocket (a python3 peer only for the reset). */
async function pysocketStates(): Promise<State> {
  const out: State = {};
  const { SHUT_RD, SHUT_WR, SOL_SOCKET, SO_ERROR } = socket;
  await using s = socket.socket();
  out["fresh"] = await maskOf(s);
  out["fresh select"] = await selectCounts(s);
  s.bind(["127.0.0.1", 0]);
  out["bound"] = await maskOf(s);
  await using server = await listener();
  const l = server.sock;
  out["listening idle"] = await maskOf(l);
  out["listening idle select"] = await selectCounts(l);
  await using c = socket.socket();
  await c.connect(server.address as [string, number]);
  await settle(l, POLLIN);
  out["listening, connection queued"] = await maskOf(l);
  out["listening, connection queued select"] = await selectCounts(l);
  const [a] = await l.accept();
  await using _a = a;
  out["connected idle"] = await maskOf(a);
  out["connected idle select"] = await selectCounts(a);
  await c.send("x");
  await settle(a, POLLIN);
  out["connected, data"] = await maskOf(a);
  out["connected, data select"] = await selectCounts(a);
  await c.shutdown(SHUT_WR);
  await settle(a, select.POLLRDHUP);
  out["data then peer FIN"] = await maskOf(a);
  await a.recv(10);
  out["peer FIN"] = await maskOf(a);
  out["peer FIN select"] = await selectCounts(a);
  out["own SHUT_WR"] = await maskOf(c);
  await a.shutdown(SHUT_WR);
  await settle(c, select.POLLRDHUP);
  out["peer FIN, own SHUT_WR"] = await maskOf(a);
  out["own SHUT_WR, peer FIN"] = await maskOf(c);
  await using c2 = socket.socket();
  await c2.connect(server.address as [string, number]);
  const [a2] = await l.accept();
  await using _a2 = a2;
  await a2.shutdown(SHUT_RD);
  out["own SHUT_RD"] = await maskOf(a2);
  out["own SHUT_RD select"] = await selectCounts(a2);
  await a2.shutdown(SHUT_WR);
  out["own SHUT_RDWR"] = await maskOf(a2);
  // A reset: python3 connects, reads one byte, then closes with SO_LINGER 0.
  const [host, port] = server.address as [string, number];
  await withPythonPeer(
    `
import socket, struct
c = socket.create_connection((${JSON.stringify(host)}, ${port}))
print("READY", flush=True)
c.recv(1)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
c.close()
`,
    async (peer) => {
      const [a3] = await l.accept();
      await using _a3 = a3;
      await a3.send("!");
      await peer.wait();
      await settle(a3, POLLERR);
      out["peer reset"] = await maskOf(a3);
      out["peer reset select"] = await selectCounts(a3);
      out["peer reset, recv raises"] = await errorName(a3.recv(1));
      out["peer reset, after recv"] = await maskOf(a3);
    },
  );
  const t = socket.socket();
  t.bind(["127.0.0.1", 0]);
  const closedPort = (t.getsockname() as [string, number])[1];
  await t.close();
  await using f = socket.socket();
  f.setblocking(false);
  await f.connect_ex(["127.0.0.1", closedPort]);
  await settle(f, POLLOUT);
  out["failed connect"] = await maskOf(f);
  out["failed connect select"] = await selectCounts(f);
  f.getsockopt(SOL_SOCKET, SO_ERROR);
  out["failed connect, after SO_ERROR"] = await maskOf(f);
  await using f2 = socket.socket();
  f2.setblocking(false);
  await f2.connect_ex(["127.0.0.1", closedPort]);
  await settle(f2, POLLOUT);
  out["failed connect, recv raises"] = await errorName(f2.recv(1));
  out["failed connect, after recv"] = await maskOf(f2);
  await using g = socket.socket();
  g.setblocking(false);
  await g.connect_ex(server.address as [string, number]);
  await settle(g, POLLOUT);
  out["non-blocking connect done"] = await maskOf(g);
  await using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  out["datagram fresh"] = await maskOf(u);
  u.bind(["127.0.0.1", 0]);
  out["datagram idle"] = await maskOf(u);
  out["datagram idle select"] = await selectCounts(u);
  await using v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  await v.sendto("hi", u.getsockname());
  await settle(u, POLLIN);
  out["datagram queued"] = await maskOf(u);
  out["datagram queued select"] = await selectCounts(u);
  const z = socket.socket();
  const n = z.fileno();
  const p = select.poll();
  p.register(n, ALL);
  await z.close();
  out["closed"] = (await p.poll(0))[0][1];
  return out;
}

async function errorName(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "nothing";
  } catch (e) {
    return (e as Error).name;
  }
}

function names(mask: number): string {
  const bits: string[] = [];
  for (const name of Object.keys(select).filter((k) => k.startsWith("POLL"))) {
    const bit = (select as unknown as Record<string, number>)[name];
    if (mask & bit) bits.push(name);
  }
  return `${mask} (${bits.join("|") || "0"})`;
}

function compare(
  ours: State,
  theirs: State,
  bitsOf: (mask: number) => number,
): void {
  const differ: string[] = [];
  for (const state of Object.keys(theirs)) {
    const a = ours[state];
    const b = theirs[state];
    if (typeof b === "string") {
      if (a !== b) differ.push(`${state}: ${a}, python3 ${b}`);
    } else if (Array.isArray(b)) {
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        differ.push(`${state}: select ${JSON.stringify(a)}, python3 ${JSON.stringify(b)}`);
      }
    } else if (bitsOf(a as number) !== bitsOf(b)) {
      differ.push(`${state}: ${names(bitsOf(a as number))}, python3 ${names(bitsOf(b))}`);
    }
  }
  assert.deepEqual(differ, [], "states where pysocket and python3 differ");
}

let states: Promise<[State, State]> | null = null;
function bothStates() {
  return states ??= Promise.all([
    pysocketStates(),
    pythonJSON<State>(PY_STATES),
  ]);
}

Deno.test("select.select() reports the same sockets as python3 in each state", async () => {
  const [ours, theirs] = await bothStates();
  const selects = (r: State) =>
    Object.fromEntries(Object.entries(r).filter(([k]) => Array.isArray(r[k])));
  compare(selects(ours), selects(theirs), (m) => m);
});

Deno.test("a socket select() reports readable raises python3's error from recv()", async () => {
  const [ours, theirs] = await bothStates();
  const raises = (r: State) =>
    Object.fromEntries(Object.entries(r).filter(([, v]) => typeof v === "string"));
  compare(raises(ours), raises(theirs), (m) => m);
});

Deno.test("select.poll() reports python3's POLLIN/PRI/OUT/ERR/HUP/NVAL in each state", async () => {
  const [ours, theirs] = await bothStates();
  const masks = (r: State) =>
    Object.fromEntries(Object.entries(r).filter(([, v]) => typeof v === "number"));
  compare(masks(ours), masks(theirs), (m) => m & BASIC);
});

Deno.test("select.poll() reports every bit python3 does in each state (RDNORM, WRNORM, RDHUP)", async () => {
  const [ours, theirs] = await bothStates();
  const masks = (r: State) =>
    Object.fromEntries(Object.entries(r).filter(([, v]) => typeof v === "number"));
  compare(masks(ours), masks(theirs), (m) => m & ALL);
});

/** What a call gives: `["ok", value]` or `[error class, message]` (Python's names). */
type Outcome = [string, unknown];

const PY_CLASS: Record<string, string> = {
  RangeError: "ValueError|OverflowError",
};

async function outcome(fn: () => unknown, n: number): Promise<Outcome> {
  try {
    return ["ok", await fn()];
  } catch (e) {
    const { name, message } = e as Error;
    return [name, name === "KeyError" && message === String(n) ? "N" : message];
  }
}

function sameOutcome(case_: string, ours: Outcome, theirs: Outcome): string | null {
  const [cls, detail] = ours;
  const allowed = (PY_CLASS[cls] ?? cls).split("|");
  if (!allowed.includes(theirs[0]) || JSON.stringify(detail) !== JSON.stringify(theirs[1])) {
    return `${case_}: ${JSON.stringify(ours)}, python3 ${JSON.stringify(theirs)}`;
  }
  return null;
}

/** Runs the same cases in python3 (given as `name: python expression`) and here. */
async function compareCases(
  n: number,
  setupPy: string,
  cases: Record<string, [py: string, ts: () => unknown]>,
): Promise<void> {
  const script = `
import select, selectors, socket, json
${setupPy}
def run(f):
    try:
        return ["ok", f()]
    except KeyError as e:
        return ["KeyError", "N" if e.args[0] == N else str(e.args[0])]
    except Exception as e:
        return [type(e).__name__, str(e)]
out = {}
${
    Object.entries(cases).map(([name, [py]]) => `out[${JSON.stringify(name)}] = run(lambda: ${py})`)
      .join("\n")
  }
print(json.dumps(out))
`;
  const theirs = await pythonJSON<Record<string, Outcome>>(script);
  const differ: string[] = [];
  for (const [name, [, fn]] of Object.entries(cases)) {
    const d = sameOutcome(name, await outcome(fn, n), theirs[name]);
    if (d) differ.push(d);
  }
  assert.deepEqual(differ, []);
}

/** A number no open socket has (its socket was closed), in pysocket or python3. */
async function freeNumber(): Promise<number> {
  const s = socket.socket();
  const n = s.fileno();
  await s.close();
  return n;
}

const PY_SETUP = `
z = socket.socket(); N = z.fileno(); z.close()
closed = socket.socket(); closed.close()
class BadFileno:
    def fileno(self): return "x"
`;

Deno.test("select.select() raises python3's errors for bad arguments", async () => {
  const N = await freeNumber();
  const closed = socket.socket();
  await closed.close();
  const badFileno = { fileno: () => "x" as unknown as number };
  const sel = (r: unknown, w: unknown = [], x: unknown = [], t: unknown = 0) =>
    select.select(r as number[], w as number[], x as number[], t as number);
  await compareCases(N, PY_SETUP, {
    "object": ["select.select([object()], [], [], 0)", () => sel([{}])],
    "negative": ["select.select([-1], [], [], 0)", () => sel([-1])],
    "closed socket": ["select.select([closed], [], [], 0)", () => sel([closed])],
    "closed socket in wlist": ["select.select([], [closed], [], 0)", () => sel([], [closed])],
    "closed socket in xlist": ["select.select([], [], [closed], 0)", () => sel([], [], [closed])],
    "fileno() not an int": ["select.select([BadFileno()], [], [], 0)", () => sel([badFileno])],
    "float": ["select.select([1.5], [], [], 0)", () => sel([1.5])],
    "too large": ["select.select([2**40], [], [], 0)", () => sel([2 ** 40])],
    "not open": ["select.select([N], [], [], 0)", () => sel([N])],
    "not open in xlist": ["select.select([], [], [N], 0)", () => sel([], [], [N])],
    "not a sequence": ["select.select(1, [], [], 0)", () => sel(1)],
    "negative timeout": ["select.select([], [], [], -1)", () => sel([], [], [], -1)],
    "NaN timeout": ["select.select([], [], [], float('nan'))", () => sel([], [], [], NaN)],
    "string timeout": ["select.select([], [], [], '1')", () => sel([], [], [], "1")],
    "empty, timeout 0": ["select.select([], [], [], 0)", () => sel([], [], [], 0)],
    "empty, short timeout": ["select.select([], [], [], 0.01)", () => sel([], [], [], 0.01)],
  });
});

Deno.test("select.poll() raises python3's errors and reports POLLNVAL as python3", async () => {
  const N = await freeNumber();
  const closed = socket.socket();
  await closed.close();
  const p = () => select.poll();
  const registered = (mask?: number) => {
    const q = select.poll();
    if (mask === undefined) q.register(N);
    else q.register(N, mask);
    return q;
  };
  const fd = (pairs: [number, number][]) => pairs.map(([n, e]) => [n === N ? "N" : n, e]);
  await compareCases(
    N,
    PY_SETUP + `
def registered(mask=None):
    q = select.poll()
    if mask is None: q.register(N)
    else: q.register(N, mask)
    return q
fd = lambda pairs: [["N" if n == N else n, e] for n, e in pairs]
`,
    {
      "register object": ["select.poll().register(object())", () => p().register({} as number)],
      "register -1": ["select.poll().register(-1)", () => p().register(-1)],
      "register closed socket": ["select.poll().register(closed)", () => p().register(closed)],
      "register mask -1": ["select.poll().register(N, -1)", () => p().register(N, -1)],
      "register mask 1<<20": ["select.poll().register(N, 1 << 20)", () => p().register(N, 1 << 20)],
      "register mask 1.5": ["select.poll().register(N, 1.5)", () => p().register(N, 1.5)],
      "modify unregistered": ["select.poll().modify(N, 1)", () => p().modify(N, 1)],
      "unregister unregistered": ["select.poll().unregister(N)", () => p().unregister(N)],
      "unregister twice": [
        "(lambda q: (q.unregister(N), q.unregister(N)))(registered())",
        () => {
          const q = registered();
          q.unregister(N);
          q.unregister(N);
        },
      ],
      "poll not open": ["fd(registered().poll(0))", async () => fd(await registered().poll(0))],
      "poll not open, mask 0": [
        "fd(registered(0).poll(0))",
        async () => fd(await registered(0).poll(0)),
      ],
      "poll not open, waiting": [
        "fd(registered().poll())",
        async () => fd(await registered().poll()),
      ],
      "poll negative timeout": [
        "fd(registered().poll(-5))",
        async () => fd(await registered().poll(-5)),
      ],
      "poll string timeout": ["registered().poll('x')", () => registered().poll("x" as never)],
      "poll NaN": ["registered().poll(float('nan'))", () => registered().poll(NaN)],
      "poll empty": ["select.poll().poll(0)", () => p().poll(0)],
      "poll empty, 10 ms": ["select.poll().poll(10)", () => p().poll(10)],
    },
  );
});

Deno.test("select.epoll raises python3's errors", async () => {
  const N = await freeNumber();
  await using a = socket.socket();
  const ep = (reg = false) => {
    const e = new select.epoll();
    if (reg) e.register(a);
    return e;
  };
  const closedEp = () => {
    const e = new select.epoll();
    e.close();
    return e;
  };
  const fd = (pairs: [number, number][]) => pairs.map(([n, e]) => [n === a.fileno() ? "A" : n, e]);
  await compareCases(
    N,
    "a = socket.socket()\n" + PY_SETUP + `
N = 100000  # not open (a freed number would be reused by the next epoll object)
def ep(reg=False):
    e = select.epoll()
    if reg: e.register(a)
    return e
def closed_ep():
    e = select.epoll(); e.close(); return e
fd = lambda pairs: [["A" if n == a.fileno() else n, e] for n, e in pairs]
`,
    {
      "register not open": ["ep().register(N)", () => ep().register(N)],
      "register twice": ["ep(True).register(a)", () => ep(true).register(a)],
      "modify unregistered": ["ep().modify(a, 1)", () => ep().modify(a, 1)],
      "unregister unregistered": ["ep().unregister(a)", () => ep().unregister(a)],
      "poll fresh socket": ["fd(ep(True).poll(0))", async () => fd(await ep(true).poll(0))],
      "poll maxevents 0": ["ep(True).poll(0, 0)", () => ep(true).poll(0, 0)],
      "poll negative timeout": [
        "fd(ep(True).poll(-3, 1))",
        async () => fd(await ep(true).poll(-3, 1)),
      ],
      "closed poll": ["closed_ep().poll(0)", () => closedEp().poll(0)],
      "closed register": ["closed_ep().register(a)", () => closedEp().register(a)],
      "closed fileno": ["closed_ep().fileno()", () => closedEp().fileno()],
      "closed": ["closed_ep().closed", () => closedEp().closed],
    },
  );
});

Deno.test("select() chat server (examples/select_chat.ts) relays lines between python3 clients", async () => {
  const { chatServer } = await import("../examples/select_chat.ts");
  const CLIENTS = 4;
  await using server = await listener();
  const port = (server.address as [string, number])[1];
  const serving = chatServer(server.sock, { stopAfter: CLIENTS });
  const client = (i: number) =>
    python(
      `
import socket, json, re
c = socket.create_connection(("127.0.0.1", ${port}))
f = c.makefile("rb")
while not re.search(rb"\\b${CLIENTS} online", f.readline()):
    pass
c.sendall(b"hello from ${i}\\n")
got = []
while len(got) < ${CLIENTS - 1}:
    line = f.readline().decode()
    assert line, "the server closed early"
    if not line.startswith("*"):
        got.append(line.split(": ", 1)[1].strip())
c.close()
print(json.dumps(sorted(got)))
`,
      { timeout: 20 },
    );
  const results = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
  for (const [i, r] of results.entries()) {
    assert.equal(r.code, 0, r.stderr);
    const others = Array.from({ length: CLIENTS }, (_, j) => `hello from ${j}`).filter((_, j) =>
      j !== i
    );
    assert.deepEqual(JSON.parse(r.stdout), others);
  }
  assert.equal(await serving, CLIENTS);
});

Deno.test("select.select() returns the very objects passed, in order: sockets, file objects, numbers", async () => {
  await using p = await pair();
  const [client, server] = p;
  await client.sendall("x");
  const f = server.makefile("rb");
  const n = server.fileno();
  assert.deepEqual(await select.select([server], [], [], 5), [[server], [], []]);
  const [r, w, x] = await select.select([n, server, f, server], [client, n], [server, f], 5);
  assert.deepEqual(r, [n, server, f, server]);
  assert.ok(r[1] === server && r[2] === f);
  assert.deepEqual(w, [client, n]);
  assert.deepEqual(x, []);
  // Any iterable works, as Python takes any sequence.
  const [r2] = await select.select(new Set([f]), [], [], 0);
  assert.ok(r2[0] === f);
  await f.close();
});

Deno.test("select.select() wakes on data, end of stream and a connection, without a timeout", async () => {
  await using p = await pair();
  const [client, server] = p;
  const waiting = select.select([server], [], []);
  await client.sendall("ping");
  assert.deepEqual(await waiting, [[server], [], []]);
  assert.equal(text(await server.recv(10)), "ping");
  const eof = select.select([server], [], []);
  await client.shutdown(socket.SHUT_WR);
  assert.deepEqual(await eof, [[server], [], []]);
  assert.equal((await server.recv(10)).length, 0);
  const l = p.listener.sock;
  const connecting = select.select([l, server.fileno() === -1 ? l : l], [], [], null);
  await using c2 = socket.socket();
  await c2.connect(p.listener.address as [string, number]);
  assert.deepEqual((await connecting)[0], [l, l]);
  const [conn] = await l.accept();
  await conn.close();
});

Deno.test("select.select() over many idle sockets waits for its timeout, then returns empty lists", async () => {
  const socks = await Promise.all(Array.from({ length: 50 }, () => pair()));
  try {
    const servers = socks.map(([, s]) => s);
    const start = performance.now();
    assert.deepEqual(await select.select(servers, [], servers, 0.2), [[], [], []]);
    assert.ok(performance.now() - start >= 190);
    // One of them readable: only that one.
    await socks[17][0].sendall("!");
    const [r] = await select.select(servers, [], [], 5);
    assert.deepEqual(r, [servers[17]]);
  } finally {
    await Promise.all(socks.map((p) => p[Symbol.asyncDispose]()));
  }
});

Deno.test("a waiting select() or selector over many idle sockets costs no CPU (no polling loop)", async () => {
  const { cpuUsage } = await import("node:process");
  const socks = await Promise.all(Array.from({ length: 100 }, () => pair()));
  try {
    const servers = socks.map(([, s]) => s);
    using sel = new selectors.DefaultSelector();
    for (const s of servers) sel.register(s, selectors.EVENT_READ);
    const before = cpuUsage();
    const [selected, chosen] = await Promise.all([
      select.select(servers, [], [], 0.5),
      sel.select(0.5),
    ]);
    const used = cpuUsage(before);
    assert.deepEqual(selected, [[], [], []]);
    assert.deepEqual(chosen, []);
    const ms = (used.user + used.system) / 1000;
    assert.ok(ms < 100, `${ms} ms of CPU while waiting 500 ms`);
  } finally {
    await Promise.all(socks.map((p) => p[Symbol.asyncDispose]()));
  }
});

Deno.test("select.select() with timeout 0 sees data that arrived before any call was posted", async () => {
  await using p = await pair();
  const [client, server] = p;
  // python3 peer semantics: data already in the kernel is reported by select(0).
  await client.sendall("early");
  // Each select(0) gives Deno one turn; Deno polls the network at least
  // every 61 turns, so the bytes show within a few hundred calls.
  let calls = 0;
  while ((await select.select([server], [], [], 0))[0].length === 0) {
    assert.ok(++calls < 1000, "select(0) never saw bytes already sent");
  }
  assert.equal(text(await server.recv(10)), "early");
  assert.deepEqual(await select.select([server], [], [], 0), [[], [], []]);
});

Deno.test("select.select() rejects with EBADF when a socket it waits on is closed", async () => {
  await using p = await pair();
  const [, server] = p;
  const waiting = rejects(select.select([server], [], [], 5), socket.OSError, {
    errno: socket.EBADF,
  });
  await server.close();
  await waiting;
});

Deno.test("a socket select() or poll() watched reads normally afterwards (blocking, timeout, non-blocking)", async () => {
  await using p = await pair();
  const [client, server] = p;
  const po = select.poll();
  po.register(server, POLLIN);
  await client.sendall("abc");
  assert.deepEqual(await po.poll(5000), [[server.fileno(), POLLIN]]);
  po.unregister(server);
  assert.equal(text(await server.recv(10)), "abc");
  server.settimeout(0.05);
  await rejects(server.recv(10), socket.TimeoutError);
  server.setblocking(false);
  await rejects(server.recv(10), socket.BlockingIOError);
  server.setblocking(true);
  await client.sendall("def");
  assert.equal(text(await server.recv(10)), "def");
});

Deno.test("Poll.register() twice changes the mask; modify() and unregister() as python3", async () => {
  await using p = await pair();
  const [client, server] = p;
  const po = select.poll();
  po.register(server, POLLIN);
  assert.deepEqual(await po.poll(0), []);
  po.register(server, POLLOUT);
  assert.deepEqual(await po.poll(0), [[server.fileno(), POLLOUT]]);
  po.modify(server, POLLIN);
  await client.sendall("x");
  assert.deepEqual(await po.poll(5000), [[server.fileno(), POLLIN]]);
  po.modify(server, POLLIN | POLLOUT);
  assert.deepEqual(await po.poll(0), [[server.fileno(), POLLIN | POLLOUT]]);
  po.unregister(server.fileno());
  throws(() => po.unregister(server), select.KeyError, { message: String(server.fileno()) });
  await fails(() => po.modify(server, POLLIN), socket.FileNotFoundError, {
    errno: socket.ENOENT,
    message: "[Errno 2] No such file or directory",
  });
});

Deno.test("Poll.poll() while another poll() of the same object waits: RuntimeError, as python3", async () => {
  await using p = await pair();
  const [client, server] = p;
  const po = select.poll();
  po.register(server, POLLIN);
  const first = po.poll(5000);
  await rejects(po.poll(0), select.RuntimeError, { message: "concurrent poll() invocation" });
  await client.sendall("x");
  assert.deepEqual(await first, [[server.fileno(), POLLIN]]);
  po.unregister(server);
});

Deno.test("epoll: level-triggered by default; EPOLLONESHOT and EPOLLET report once", async () => {
  await using p = await pair();
  const [client, server] = p;
  using ep = new select.epoll();
  ep.register(server, select.EPOLLIN);
  await client.sendall("x");
  const fd = server.fileno();
  assert.deepEqual(await ep.poll(5), [[fd, POLLIN]]);
  assert.deepEqual(await ep.poll(0), [[fd, POLLIN]], "level-triggered: still readable");
  ep.modify(server, select.EPOLLIN | select.EPOLLONESHOT);
  assert.deepEqual(await ep.poll(0), [[fd, POLLIN]]);
  assert.deepEqual(await ep.poll(0), [], "one-shot: disabled");
  ep.modify(server, select.EPOLLIN | select.EPOLLET);
  assert.deepEqual(await ep.poll(0), [[fd, POLLIN]]);
  assert.deepEqual(await ep.poll(0), [], "edge-triggered: no change since");
  await client.sendall("y");
  assert.deepEqual(await ep.poll(5), [[fd, POLLIN]], "edge-triggered: new data");
  ep.unregister(server);
  // A socket closed while registered is dropped, as the kernel does.
  const extra = socket.socket();
  ep.register(extra, select.EPOLLOUT);
  await extra.close();
  assert.deepEqual(await ep.poll(0), []);
});

Deno.test("select(), poll(), epoll and selectors lose no wake-up: data, end of stream and connects race with them", async () => {
  for (let seed = 1; seed <= 24; seed++) {
    const random = prng(seed);
    const pause = (): Promise<void> => {
      const r = random();
      if (r < 0.3) return Promise.resolve();
      if (r < 0.6) return new Promise((resolve) => queueMicrotask(resolve));
      return new Promise((resolve) => setTimeout(resolve, r < 0.9 ? 0 : 1));
    };
    await using server = await listener();
    const l = server.sock;
    const CLIENTS = 4;
    const sent = new Map<number, string>();
    const produce = async (i: number) => {
      await pause();
      const c = socket.socket();
      try {
        await c.connect(server.address as [string, number]);
        const port = (c.getsockname() as [string, number])[1];
        let all = "";
        const chunks = 1 + Math.floor(random() * 5);
        for (let k = 0; k < chunks; k++) {
          await pause();
          const chunk = `${i}.${k}:${"z".repeat(Math.floor(random() * 3000))};`;
          all += chunk;
          await c.sendall(chunk);
        }
        sent.set(port, all);
        await pause();
        await c.shutdown(socket.SHUT_WR);
        await c.recv(1); // until the server closes
      } finally {
        await c.close();
      }
    };
    const mode = seed % 4; // 0: select(), 1: poll, 2: epoll, 3: DefaultSelector
    const consume = async () => {
      const conns = new Map<number, { sock: socket.Socket; data: string; port: number }>();
      const po = select.poll();
      const ep = new select.epoll();
      const sel = new selectors.DefaultSelector();
      const add = (s: socket.Socket) => {
        if (mode === 1) po.register(s, POLLIN);
        if (mode === 2) ep.register(s, select.EPOLLIN);
        if (mode === 3) sel.register(s, selectors.EVENT_READ);
      };
      const remove = (s: socket.Socket) => {
        if (mode === 1) po.unregister(s);
        if (mode === 2) ep.unregister(s);
        if (mode === 3) sel.unregister(s);
      };
      add(l);
      let done = 0;
      try {
        while (done < CLIENTS) {
          let ready: number[];
          const timeout = random() < 0.3 ? 0 : 5;
          if (mode === 0) {
            const [r] = await select.select(
              [l, ...[...conns.values()].map((c) => c.sock)],
              [],
              [],
              timeout,
            );
            ready = r.map((s) => s.fileno());
          } else if (mode === 1) {
            ready = (await po.poll(timeout * 1000)).map(([fd]) => fd);
          } else if (mode === 2) {
            ready = (await ep.poll(timeout)).map(([fd]) => fd);
          } else {
            ready = (await sel.select(timeout)).map(([key]) => key.fd);
          }
          if (timeout > 0) assert.ok(ready.length > 0, `seed ${seed}: a wake-up was lost`);
          for (const fd of ready) {
            if (fd === l.fileno()) {
              const [conn, addr] = await l.accept();
              conns.set(conn.fileno(), {
                sock: conn,
                data: "",
                port: (addr as [string, number])[1],
              });
              add(conn);
              continue;
            }
            const c = conns.get(fd)!;
            const data = await c.sock.recv(65536);
            if (data.length === 0) {
              remove(c.sock);
              conns.delete(fd);
              assert.equal(c.data, sent.get(c.port), `seed ${seed}: bytes of ${c.port}`);
              await c.sock.close();
              done++;
            } else c.data += text(data);
          }
        }
      } finally {
        ep.close();
        sel.close();
        for (const c of conns.values()) await c.sock.close();
      }
    };
    await Promise.all([consume(), ...Array.from({ length: CLIENTS }, (_, i) => produce(i))]);
  }
});

// Python's names that pysocket does not have (mod.ts, "select and selectors").
const ABSENT_NAMES = ["epoll.fromfd"];

Deno.test("every public name of python3's select and selectors (and their objects' methods) is here", async () => {
  const theirs = await pythonJSON<Record<string, string[]>>(`
import select, selectors, json
pub = lambda names: sorted(n for n in names if not n.startswith("_"))
print(json.dumps({
  "select": pub(dir(select)),
  "selectors": pub(n for n, v in vars(selectors).items()
                   if getattr(v, "__module__", None) == "selectors" or isinstance(v, int)),
  "poll": pub(dir(select.poll())),
  "epoll": pub(dir(select.epoll)),
  "selector": pub(dir(selectors.DefaultSelector)),
  "key": pub(selectors.SelectorKey._fields),
}))
`);
  const selectorsModule = selectors;
  using ep = new select.epoll();
  using sel = new selectorsModule.DefaultSelector();
  const key = new selectorsModule.SelectorKey(1, 1, 1, null);
  const ours: Record<string, object> = {
    select,
    selectors: selectorsModule,
    poll: select.poll(),
    epoll: ep,
    selector: sel,
    key,
  };
  const missing: string[] = [];
  for (const [where, names] of Object.entries(theirs)) {
    for (const name of names) {
      const full = ["select", "selectors"].includes(where) ? name : `${where}.${name}`;
      if (!(name in ours[where]) && !ABSENT_NAMES.includes(full)) missing.push(full);
    }
  }
  assert.deepEqual(missing, []);
  // Through mod.ts too.
  assert.equal(socket.select.select, select.select);
  assert.equal(socket.selectors.DefaultSelector, selectorsModule.DefaultSelector);
});
