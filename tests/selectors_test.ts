// Copyright 2025 the pysocket authors. MIT license.
// selectors.ts: the selectors compared with python3's on the same calls,
// and the programs ported from Python (a selectors echo server with
// partial sends, a select() port forwarder, a UDP + TCP loop) against
// python3 peers.

import assert from "node:assert/strict";
import * as socket from "../mod.ts";
import * as selectors from "../selectors.ts";
import { listener, pair, python, pythonJSON, text, throws } from "./_utils.ts";

const { EVENT_READ, EVENT_WRITE } = selectors;

type Outcome = [string, unknown];

async function outcome(fn: () => unknown): Promise<Outcome> {
  try {
    return ["ok", await fn()];
  } catch (e) {
    return [(e as Error).name, (e as Error).message];
  }
}

/** Python's exception names each of ours stands for. */
const PY_CLASS: Record<string, string[]> = { RangeError: ["ValueError", "OverflowError"] };

/**
 * Runs each case in python3 (an expression, after `setup`) and here, and
 * compares the error class (ValueError ↔ RangeError) and message, or the
 * value. In messages, `{A}` stands for the repr of the socket `a` on
 * either side, and `N` for the number of a closed socket.
 */
async function compareCases(
  setup: string,
  cases: Record<string, [py: string, ts: () => unknown]>,
  normalize: (message: string) => string,
): Promise<void> {
  const script = `
import select, selectors, socket, json
${setup}
import re
def norm(m):
    m = re.sub(r"<object object at 0x[0-9a-f]+>", "{object}", m.replace(repr(a), "{A}"))
    return re.sub(r"FD \\d+", "FD n", m)
def run(f):
    try:
        return ["ok", f()]
    except KeyError as e:
        return ["KeyError", norm(str(e.args[0]))]
    except Exception as e:
        return [type(e).__name__, norm(str(e))]
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
    const [cls, detail] = await outcome(fn);
    const ours: Outcome = [cls, typeof detail === "string" ? normalize(detail) : detail];
    const allowed = PY_CLASS[cls] ?? [cls];
    const [theirCls, theirDetail] = theirs[name];
    if (!allowed.includes(theirCls) || JSON.stringify(ours[1]) !== JSON.stringify(theirDetail)) {
      differ.push(`${name}: ${JSON.stringify(ours)}, python3 ${JSON.stringify(theirs[name])}`);
    }
  }
  assert.deepEqual(differ, []);
}

for (
  const kind of ["DefaultSelector", "EpollSelector", "PollSelector", "SelectSelector"] as const
) {
  Deno.test(`selectors.${kind} raises python3's errors and handles a closed socket as python3`, async () => {
    const Cls = selectors[kind];
    await using a = socket.socket();
    const closed = socket.socket();
    await closed.close();
    const fresh = () => new Cls();
    const withA = (events = EVENT_READ, data: unknown = null) => {
      const s = new Cls();
      s.register(a, events, data);
      return s;
    };
    const closedSel = () => {
      const s = withA();
      s.close();
      return s;
    };
    /** A socket registered, then closed: what select() and unregister() give. */
    const closedAfter = async (what: "select" | "unregister") => {
      const s = new Cls();
      const b = socket.socket();
      s.register(b, EVENT_READ | EVENT_WRITE);
      await b.close();
      try {
        if (what === "select") {
          return (await s.select(0)).map((
            [key, events],
          ) => [key.fd === -1, events]);
        }
        return s.unregister(b).events;
      } finally {
        s.close();
      }
    };
    const keyTuple = (k: selectors.SelectorKey) => [k.fileobj === a, k.events, k.data];
    await compareCases(
      `
a = socket.socket()
closed = socket.socket(); closed.close()
Cls = selectors.${kind}
def with_a(events=selectors.EVENT_READ, data=None):
    s = Cls(); s.register(a, events, data); return s
def closed_sel():
    s = with_a(); s.close(); return s
def closed_after(what):
    s = Cls(); b = socket.socket(); s.register(b, 3); b.close()
    try:
        if what == "select": return [[k.fd == -1, e] for k, e in s.select(0)]
        return s.unregister(b).events
    finally:
        s.close()
key_tuple = lambda k: [k.fileobj is a, k.events, k.data]
`,
      {
        "register object": ["Cls().register(object(), 1)", () => fresh().register({} as never, 1)],
        "register -1": ["Cls().register(-1, 1)", () => fresh().register(-1, 1)],
        "register closed socket": ["Cls().register(closed, 1)", () => fresh().register(closed, 1)],
        "register events 0": ["Cls().register(a, 0)", () => fresh().register(a, 0)],
        "register events 4": ["Cls().register(a, 4)", () => fresh().register(a, 4)],
        "register twice": ["with_a().register(a, 1)", () => withA().register(a, 1)],
        "register": [
          "key_tuple(Cls().register(a, 3, 'x'))",
          () => keyTuple(fresh().register(a, 3, "x")),
        ],
        "unregister unknown": ["Cls().unregister(a)", () => fresh().unregister(a)],
        "modify unknown": ["Cls().modify(a, 1)", () => fresh().modify(a, 1)],
        "modify events 0": [
          "key_tuple(with_a().modify(a, 0))",
          () => keyTuple(withA().modify(a, 0)),
        ],
        "modify data": [
          "key_tuple(with_a().modify(a, 1, 'd'))",
          () => keyTuple(withA().modify(a, 1, "d")),
        ],
        "modify same": ["(lambda s: s.modify(a, 1) is s.get_key(a))(with_a())", () => {
          const s = withA();
          return s.modify(a, 1) === s.get_key(a);
        }],
        "get_key unknown": ["Cls().get_key(a)", () => fresh().get_key(a)],
        "get_key by number": [
          "key_tuple(with_a().get_key(a.fileno()))",
          () => keyTuple(withA().get_key(a.fileno())),
        ],
        "get_map size": ["len(with_a().get_map())", () => withA().get_map()!.size],
        "get_map lookup": [
          "key_tuple(with_a().get_map()[a])",
          () => keyTuple(withA().get_map()!.get(a)!),
        ],
        "fresh socket": [
          "[[k.fileobj is a, e] for k, e in with_a(3).select(0)]",
          async () => (await withA(3).select(0)).map(([k, e]) => [k.fileobj === a, e]),
        ],
        "negative timeout": [
          "[e for k, e in with_a(2).select(-1)]",
          async () => (await withA(2).select(-1)).map(([, e]) => e),
        ],
        "closed: get_map": ["closed_sel().get_map()", () => closedSel().get_map()],
        "closed: get_key": ["closed_sel().get_key(a)", () => closedSel().get_key(a)],
        "closed: select": ["closed_sel().select(0)", () => closedSel().select(0)],
        "closed: register": ["closed_sel().register(a, 1) and None", () => {
          closedSel().register(a, 1);
          return null;
        }],
        "closed: close again": ["closed_sel().close()", () => closedSel().close() ?? null],
        "socket closed while registered: select": [
          "closed_after('select')",
          () => closedAfter("select"),
        ],
        "socket closed while registered: unregister": [
          "closed_after('unregister')",
          () => closedAfter("unregister"),
        ],
      },
      (m) =>
        m.replaceAll(String(a), "{A}").replace(
          "Invalid file object: {}",
          "Invalid file object: {object}",
        )
          .replace(/FD \d+/, "FD n"),
    );
  });
}

Deno.test("selectors: DefaultSelector is EpollSelector; keys, get_map(), using", async () => {
  await using p = await pair();
  const [client, server] = p;
  let sel: selectors.BaseSelector;
  {
    using s = new selectors.DefaultSelector();
    sel = s;
    assert.ok(s instanceof selectors.EpollSelector && s instanceof selectors.BaseSelector);
    const key = s.register(server, EVENT_READ, { name: "server" });
    assert.deepEqual([key.fileobj, key.fd, key.events, key.data], [server, server.fileno(), 1, {
      name: "server",
    }]);
    const map = s.get_map()!;
    assert.equal(map.get(server.fileno()), key);
    assert.ok(map.has(server));
    assert.deepEqual([...map.keys()], [server]);
    await client.sendall("x");
    const [[ready, events]] = await s.select(5);
    assert.equal(ready, key);
    assert.equal(events, EVENT_READ);
  }
  assert.equal(sel.get_map(), null);
  throws(() => sel.get_key(server), selectors.RuntimeError, { message: "Selector is closed" });
  assert.equal(text(await server.recv(10)), "x");
});

Deno.test("selectors echo server (examples/selectors_echo.ts) with partial sends, against python3 clients", async () => {
  const { echoServer } = await import("../examples/selectors_echo.ts");
  const CLIENTS = 6;
  const SIZE = 1 << 20;
  await using server = await listener(socket.AF_INET, 64);
  const port = (server.address as [string, number])[1];
  // A small send buffer, so that send() takes part of what it is offered.
  const serving = echoServer(server.sock, { stopAfter: CLIENTS, sndbuf: 16384 });
  // Each client sends a megabyte in one sendall (a thread) while it reads
  // the echo, then half-closes and checks the echo's digest.
  const client = (seed: number) =>
    python(
      `
import socket, hashlib, random, threading
data = random.Random(${seed}).randbytes(${SIZE})
c = socket.create_connection(("127.0.0.1", ${port}))
def send():
    c.sendall(data); c.shutdown(socket.SHUT_WR)
t = threading.Thread(target=send); t.start()
h = hashlib.sha256(); n = 0
while True:
    b = c.recv(65536)
    if not b: break
    h.update(b); n += len(b)
t.join(); c.close()
print(n, h.hexdigest() == hashlib.sha256(data).hexdigest())
`,
      { timeout: 30 },
    );
  const results = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i + 1)));
  for (const r of results) {
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `${SIZE} True`);
  }
  const stats = await serving;
  assert.equal(stats.connections, CLIENTS);
  assert.equal(stats.bytes, CLIENTS * SIZE);
  assert.ok(stats.partialSends > 0, "no partial send happened");
});

Deno.test("select() port forwarder (examples/port_forwarder.ts) moves checksummed megabytes between python3 peers", async () => {
  const { forward } = await import("../examples/port_forwarder.ts");
  const UP = 3 << 20;
  const DOWN = 2 << 20;
  const CONNECTIONS = 2;
  const pyServer = `
import socket, hashlib, random, threading, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True)
def serve(conn, i):
    out = random.Random(100 + i).randbytes(${DOWN})
    t = threading.Thread(target=lambda: (conn.sendall(out), conn.shutdown(socket.SHUT_WR))); t.start()
    h = hashlib.sha256(); n = 0
    while True:
        b = conn.recv(65536)
        if not b: break
        h.update(b); n += len(b)
    t.join(); conn.close()
    expected = random.Random(200 + i).randbytes(${UP})
    print("server", n, h.hexdigest() == hashlib.sha256(expected).hexdigest(), flush=True)
threads = []
for i in range(${CONNECTIONS}):
    conn, _ = s.accept()
    threads.append(threading.Thread(target=serve, args=(conn, i))); threads[-1].start()
for t in threads: t.join()
`;
  // One connection at a time, so that both sides agree on its index.
  const { withPythonPeer } = await import("./_utils.ts");
  await withPythonPeer(pyServer, async (upstream) => {
    await using front = await listener();
    const port = (front.address as [string, number])[1];
    const forwarding = forward(front.sock, ["127.0.0.1", upstream.port], CONNECTIONS);
    for (let i = 0; i < CONNECTIONS; i++) {
      const r = await python(
        `
import socket, hashlib, random, threading
out = random.Random(${200 + i}).randbytes(${UP})
c = socket.create_connection(("127.0.0.1", ${port}))
t = threading.Thread(target=lambda: (c.sendall(out), c.shutdown(socket.SHUT_WR))); t.start()
h = hashlib.sha256(); n = 0
while True:
    b = c.recv(65536)
    if not b: break
    h.update(b); n += len(b)
t.join(); c.close()
expected = random.Random(${100 + i}).randbytes(${DOWN})
print("client", n, h.hexdigest() == hashlib.sha256(expected).hexdigest())
`,
        { timeout: 30 },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), `client ${DOWN} True`);
      assert.equal(await upstream.line(), `server ${UP} True`);
    }
    const stats = await forwarding;
    assert.equal(stats.connections, CONNECTIONS);
    assert.equal(stats.bytes, CONNECTIONS * (UP + DOWN));
    assert.equal((await upstream.wait()).code, 0);
  }, 60);
});

Deno.test("a selector loop serving UDP and TCP at once, against a python3 client", async () => {
  await using tcp = await listener();
  await using udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  udp.bind(["127.0.0.1", 0]);
  udp.setblocking(false);
  tcp.sock.setblocking(false);
  const tcpPort = (tcp.address as [string, number])[1];
  const udpPort = (udp.getsockname() as [string, number])[1];
  const serve = async () => {
    using sel = new selectors.DefaultSelector();
    sel.register(tcp.sock, EVENT_READ, "accept");
    sel.register(udp, EVENT_READ, "udp");
    let datagrams = 0;
    let lines = 0;
    let open = true;
    const conns: socket.Socket[] = [];
    try {
      while (open) {
        for (const [key] of await sel.select(10)) {
          if (key.data === "accept") {
            const [conn] = await tcp.sock.accept();
            conns.push(conn);
            sel.register(conn, EVENT_READ, "tcp");
          } else if (key.data === "udp") {
            const [data, addr] = await udp.recvfrom(2048);
            datagrams++;
            await udp.sendto(text(data).toUpperCase(), addr);
          } else {
            const conn = key.fileobj as socket.Socket;
            const data = await conn.recv(4096);
            if (data.length === 0) {
              sel.unregister(conn);
              open = false;
            } else {
              lines += text(data).split("\n").length - 1;
              await conn.sendall(text(data).split("").reverse().join(""));
            }
          }
        }
      }
    } finally {
      for (const c of conns) await c.close();
    }
    return { datagrams, lines };
  };
  const serving = serve();
  const r = await python(
    `
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(5)
t = socket.create_connection(("127.0.0.1", ${tcpPort}))
for i in range(30):
    u.sendto(f"ping {i}".encode(), ("127.0.0.1", ${udpPort}))
    assert u.recvfrom(2048)[0] == f"PING {i}".encode()
    line = f"line {i}\\n".encode()
    t.sendall(line)
    got = b""
    while len(got) < len(line): got += t.recv(100)
    assert got == line[::-1], got
t.close()
print("ok")
`,
    { timeout: 20 },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), "ok");
  assert.deepEqual(await serving, { datagrams: 30, lines: 30 });
});

Deno.test("selectors see the changes the program makes itself: own SHUT_RD, connect, close", async () => {
  for (const Cls of [selectors.EpollSelector, selectors.PollSelector, selectors.SelectSelector]) {
    await using p = await pair();
    const [, server] = p;
    using sel = new Cls();
    sel.register(server, EVENT_READ);
    assert.deepEqual(await sel.select(0), []);
    await server.shutdown(socket.SHUT_RD);
    assert.deepEqual((await sel.select(5)).map(([k, e]) => [k.fileobj, e]), [[server, EVENT_READ]]);
    // A non-blocking connect registered while it runs: writable once done.
    await using c = socket.socket();
    c.setblocking(false);
    sel.register(c, EVENT_WRITE);
    await c.connect_ex(p.listener.address as [string, number]);
    sel.unregister(server);
    assert.deepEqual((await sel.select(5)).map(([k, e]) => [k.fileobj, e]), [[c, EVENT_WRITE]]);
    // Closed while registered: epoll forgets it, poll reports it, select fails.
    sel.modify(c, EVENT_READ);
    assert.deepEqual(await sel.select(0), []);
    await c.close();
    if (Cls === selectors.EpollSelector) assert.deepEqual(await sel.select(0), []);
    if (Cls === selectors.PollSelector) {
      assert.deepEqual((await sel.select(0)).map(([k, e]) => [k.fileobj, e]), [[c, EVENT_READ]]);
    }
    if (Cls === selectors.SelectSelector) {
      await assert.rejects(
        sel.select(0),
        (e: Error) => e.name === "OSError" && /Errno 9/.test(e.message),
      );
    }
    const [conn] = await p.listener.sock.accept();
    await conn.close();
  }
});
