// Copyright 2025 the pysocket authors. MIT license.
// Datagram sockets: UDP over IPv4 and IPv6, unix datagrams, connected UDP,
// multicast, options, the three modes and the no-loss guarantee, against
// python3 as the oracle and as a peer. Run with --unstable-net.

import assert from "node:assert/strict";
import * as socket from "../mod.ts";
import {
  fails,
  isSettled,
  prng,
  python,
  pythonJSON,
  rejects,
  retry,
  tempPath,
  text,
  throws,
  tick,
  timesOut,
  until,
  withPythonPeer,
  wouldBlock,
} from "./_utils.ts";

const {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  SOCK_DGRAM,
  SOL_SOCKET,
  MSG_PEEK,
  MSG_DONTWAIT,
  IPPROTO_IP,
  IPPROTO_IPV6,
} = socket;

const encoder = new TextEncoder();
const LOOPBACK: Record<number, string> = { [AF_INET]: "127.0.0.1", [AF_INET6]: "::1" };
const IP_FAMILIES = [{ name: "IPv4", family: AF_INET }, { name: "IPv6", family: AF_INET6 }];

/** A datagram socket bound to loopback, port 0 (dispose closes it). */
function udp(family: number = AF_INET): socket.Socket {
  const s = socket.socket(family, SOCK_DGRAM);
  s.bind([LOOPBACK[family], 0]);
  return s;
}

/** `n` as 4 big-endian bytes, then `pad` zero bytes. */
function numbered(n: number, pad = 0): Uint8Array {
  const b = new Uint8Array(4 + pad);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

function numberOf(b: Uint8Array): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0);
}

/** What Python raised (class, errno, str) for each snippet, as JSON. */
interface PyOutcome {
  cls: string;
  errno: number | null;
  str: string;
}

async function pythonOutcomes(
  setup: string,
  cases: Record<string, string>,
): Promise<Record<string, PyOutcome>> {
  const body = Object.entries(cases).map(([name, expr]) =>
    `try:\n    ${expr}\n    out[${
      JSON.stringify(name)
    }] = {"cls": "ok", "errno": None, "str": ""}\n` +
    `except Exception as e:\n    out[${
      JSON.stringify(name)
    }] = {"cls": type(e).__name__, "errno": getattr(e, "errno", None), "str": str(e)}\n`
  ).join("");
  return await pythonJSON(
    `import socket, struct, json\nout = {}\n${setup}\n${body}print(json.dumps(out))`,
  );
}

/** Asserts our error matches Python's outcome: class name, errno and message. */
function samePython(error: unknown, py: PyOutcome, what: string): void {
  assert.ok(error instanceof Error, `${what}: expected an error like Python's ${py.cls}`);
  // Python's ValueError / OverflowError are RangeError here, by design.
  const cls = py.cls === "ValueError" || py.cls === "OverflowError" ? "RangeError" : py.cls;
  assert.equal(error.name, cls, `${what}: class`);
  if (error instanceof socket.OSError) assert.equal(error.errno, py.errno, `${what}: errno`);
  assert.equal(error.message, py.str, `${what}: message`);
}

async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

// ---------------------------------------------------------------- round trips

for (const { name, family } of IP_FAMILIES) {
  Deno.test(`Socket.sendto() and recvfrom() round-trip over ${name} with the sender's address`, async () => {
    await using rx = udp(family);
    await using tx = udp(family);
    assert.equal(await tx.sendto("hello", rx.getsockname()), 5);
    const [data, from] = await rx.recvfrom(1024);
    assert.equal(text(data), "hello");
    assert.deepEqual(from, tx.getsockname());
    if (family === AF_INET6) assert.equal((from as unknown[]).length, 4);
    // Bytes, views and the 3-argument form.
    const payload = new Uint8Array([1, 2, 3, 4, 5, 6]);
    assert.equal(await tx.sendto(payload.subarray(2), 0, rx.getsockname()), 4);
    assert.deepEqual(await rx.recv(1024), new Uint8Array([3, 4, 5, 6]));
  });
}

Deno.test("Socket.sendto() binds an unbound socket to an ephemeral port first", async () => {
  await using rx = udp();
  await using tx = socket.socket(AF_INET, SOCK_DGRAM);
  assert.deepEqual(tx.getsockname(), ["0.0.0.0", 0]);
  await tx.sendto("x", rx.getsockname());
  const [host, port] = tx.getsockname() as [string, number];
  assert.equal(host, "0.0.0.0");
  assert.ok(port > 0);
  const [, from] = await rx.recvfrom(10);
  assert.deepEqual(from, ["127.0.0.1", port]);
  // Bound now: bind() refuses, as Linux (EINVAL).
  throws(() => tx.bind(["127.0.0.1", 0]), socket.OSError, { errno: socket.EINVAL });
});

Deno.test("Socket.recvfrom() truncates to bufsize and drops the rest; MSG_PEEK keeps the datagram", async () => {
  await using rx = udp();
  await using tx = udp();
  await tx.sendto("peekaboo", rx.getsockname());
  await tx.sendto("second", rx.getsockname());
  const [peek4] = await rx.recvfrom(4, MSG_PEEK);
  assert.equal(text(peek4), "peek");
  assert.equal(text(await rx.recv(100, MSG_PEEK)), "peekaboo");
  const [three, from] = await rx.recvfrom(3);
  assert.equal(text(three), "pee");
  assert.deepEqual(from, tx.getsockname());
  // The rest of "peekaboo" is gone: one call, one datagram.
  assert.equal(text(await rx.recv(100)), "second");
  // recv_into / recvfrom_into: the count copied.
  await tx.sendto("abcdef", rx.getsockname());
  await tx.sendto("ghijkl", rx.getsockname());
  const buf = new Uint8Array(4);
  assert.equal(await rx.recv_into(buf), 4);
  assert.equal(text(buf), "abcd");
  const big = new Uint8Array(10);
  const [n, from2] = await rx.recvfrom_into(big, 2);
  assert.equal(n, 2);
  assert.equal(text(big.subarray(0, 2)), "gh");
  assert.deepEqual(from2, tx.getsockname());
});

Deno.test("Socket.recvfrom() returns zero-length datagrams, one per call", async () => {
  await using rx = udp();
  await using tx = udp();
  await tx.sendto(new Uint8Array(0), rx.getsockname());
  await tx.sendto("", rx.getsockname());
  await tx.sendto("a", rx.getsockname());
  await tx.sendto("b", rx.getsockname());
  const [empty, from] = await rx.recvfrom(100);
  assert.equal(empty.length, 0);
  assert.deepEqual(from, tx.getsockname());
  assert.equal(await rx.recv_into(new Uint8Array(10)), 0);
  assert.equal(text(await rx.recv(100)), "a");
  assert.equal(text(await rx.recv(100)), "b");
  // recvfrom(0) takes a whole datagram, as Python.
  await tx.sendto("dropped", rx.getsockname());
  await tx.sendto("kept", rx.getsockname());
  assert.equal((await rx.recvfrom(0))[0].length, 0);
  assert.equal(text(await rx.recv(10)), "kept");
});

Deno.test("Socket.recvfrom() serves concurrent calls in call order", async () => {
  await using rx = udp();
  await using tx = udp();
  const calls = Promise.all([rx.recvfrom(10), rx.recv(10), rx.recvfrom(10, MSG_PEEK), rx.recv(10)]);
  for (const m of ["one", "two", "three", "four"]) await tx.sendto(m, rx.getsockname());
  const [a, b, c, d] = await calls;
  assert.deepEqual([text(a[0]), text(b), text(c[0]), text(d)], ["one", "two", "three", "three"]);
  assert.equal(text(await rx.recv(10)), "four");
});

Deno.test("Socket.sendto() sends concurrent calls in call order", async () => {
  // Deno reorders DatagramConn.send() calls pending together; pysocket must not.
  await using rx = udp();
  await using tx = udp();
  const N = 150;
  const sends = [];
  for (let i = 0; i < N; i++) sends.push(tx.sendto(numbered(i), rx.getsockname()));
  await Promise.all(sends);
  for (let i = 0; i < N; i++) assert.equal(numberOf(await rx.recv(16)), i);
});

Deno.test("Socket.recvfrom() receives a burst of 3000 datagrams in order, none dropped", async () => {
  await using rx = udp();
  await using tx = udp();
  rx.settimeout(10);
  const N = 3000;
  let received = 0;
  const reader = (async () => {
    for (let i = 0; i < N; i++) {
      const [data] = await rx.recvfrom(2048);
      assert.equal(numberOf(data), i, "in order, nothing lost");
      received++;
    }
  })();
  // A moderate rate: batches of 50, each once the reader has caught up.
  // (Waiting lets Deno's event loop idle: a receive pending in the same
  // process is not woken while the loop keeps sending, in raw Deno too, so
  // an unpaced burst overflows the kernel's receive buffer.)
  for (let i = 0; i < N; i++) {
    await tx.sendto(numbered(i, 508), rx.getsockname());
    if (i % 50 === 49) await until(() => received === i + 1, "the reader");
  }
  await reader;
  assert.equal(rx.dropped, 0);
});

Deno.test("Socket.recv() hands out datagrams that later receives never overwrite", async () => {
  // The engine receives every datagram into one reused buffer and copies
  // out what it hands over: check that what a program keeps stays intact,
  // across slabs, for large datagrams, queued or handed over at once.
  await using rx = udp();
  await using tx = udp();
  const sizes = [0, 1, 7, 512, 1500, 9000, 20000, 65507];
  const kept: Uint8Array[] = [];
  const expected: number[] = [];
  for (let round = 0; round < 300; round++) {
    const size = sizes[round % sizes.length];
    const data = new Uint8Array(size).fill(round & 255);
    if (size >= 4) new DataView(data.buffer).setUint32(0, round);
    // Even rounds: the call waits first (handed over); odd: the datagram is queued first.
    if (round % 2 === 0) {
      const call = rx.recv(70000);
      await tx.sendto(data, rx.getsockname());
      kept.push(await call);
    } else {
      await tx.sendto(data, rx.getsockname());
      kept.push(await rx.recv(70000));
    }
    expected.push(size);
  }
  for (let round = 0; round < kept.length; round++) {
    const data = kept[round];
    assert.equal(data.length, expected[round], `round ${round}: length`);
    if (data.length >= 4) assert.equal(numberOf(data), round, `round ${round}: number`);
    if (data.length > 4) {
      assert.equal(data[data.length - 1], round & 255, `round ${round}: last byte`);
    }
  }
});

Deno.test("Socket.recv() with MSG_PEEK hands out a copy: changing it does not change the datagram", async () => {
  await using rx = udp();
  await using tx = udp();
  await tx.sendto("abc", rx.getsockname());
  const peeked = await rx.recv(10, MSG_PEEK);
  peeked.fill(0x78);
  assert.equal(text(await rx.recv(10)), "abc");
});

Deno.test("Socket.sendto() follows an address array changed in place between calls", async () => {
  // pysocket remembers the last address it checked; the same array with new
  // values must still go to the new address, and a bad value still raise.
  await using a = udp();
  await using b = udp();
  await using tx = udp();
  const to = a.getsockname() as [string, number];
  await tx.sendto("one", to);
  await tx.sendto("two", to);
  to[1] = (b.getsockname() as [string, number])[1];
  await tx.sendto("three", to);
  assert.equal(text(await a.recv(10)), "one");
  assert.equal(text(await a.recv(10)), "two");
  assert.equal(text(await b.recv(10)), "three");
  to[1] = 70000;
  throws(() => tx.sendto("x", to), RangeError, { message: "sendto(): port must be 0-65535." });
  // An equal new array is the same address.
  assert.equal(await tx.sendto("four", [...a.getsockname() as [string, number]]), 4);
  assert.equal(text(await a.recv(10)), "four");
});

Deno.test("Socket.sendto() to a remembered broadcast address follows SO_BROADCAST changes", async () => {
  await using s = socket.socket(AF_INET, SOCK_DGRAM);
  const to: [string, number] = ["<broadcast>", 9];
  s.setsockopt(SOL_SOCKET, socket.SO_BROADCAST, 1);
  assert.equal(await s.sendto("x", to), 1);
  s.setsockopt(SOL_SOCKET, socket.SO_BROADCAST, 0);
  await rejects(s.sendto("x", to), socket.PermissionError, { errno: socket.EACCES });
  s.setsockopt(SOL_SOCKET, socket.SO_BROADCAST, 1);
  assert.equal(await s.sendto("x", to), 1);
});

// ---------------------------------------------------------------- connected UDP

for (const { name, family } of IP_FAMILIES) {
  Deno.test(`Socket.connect() on UDP over ${name} sets the peer and filters out other senders`, async () => {
    await using a = udp(family);
    await using b = udp(family);
    await using c = udp(family);
    assert.equal(await a.connect_ex(b.getsockname()), 0);
    assert.deepEqual(a.getpeername(), b.getsockname());
    // c sends first: had it been delivered, it would come first.
    await c.sendto("from c", a.getsockname());
    await b.sendto("from b", a.getsockname());
    const [data, from] = await a.recvfrom(100);
    assert.equal(text(data), "from b");
    assert.deepEqual(from, b.getsockname());
    await wouldBlock(a.recv(100, MSG_DONTWAIT));
    // send() goes to the peer; sendto() elsewhere is still allowed (Linux).
    assert.equal(await a.send("to b"), 4);
    assert.deepEqual(await b.recvfrom(100), [encoder.encode("to b"), a.getsockname()]);
    await a.sendto("to c", c.getsockname());
    assert.equal(text(await c.recv(100)), "to c");
    // connect() again: a new peer.
    await a.connect(c.getsockname());
    await c.sendto("c again", a.getsockname());
    assert.equal(text(await a.recv(100)), "c again");
  });
}

Deno.test("Socket.getsockname() of a connected UDP socket shows the loopback source address, as Linux", async () => {
  await using peer = udp();
  await using s = socket.socket(AF_INET, SOCK_DGRAM);
  await s.connect(peer.getsockname());
  const port = (peer.getsockname() as [string, number])[1];
  const py = await pythonJSON<[string, number]>(
    `import socket, json\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.connect(("127.0.0.1", ${port}))\n` +
      `print(json.dumps([s.getsockname()[0], s.getpeername()[0]]))`,
  );
  assert.equal((s.getsockname() as [string, number])[0], py[0]);
  assert.equal((s.getpeername() as [string, number])[0], py[1]);
  assert.ok((s.getsockname() as [string, number])[1] > 0);
});

Deno.test("Socket.recv() on UDP connected to a closed port times out: Deno reports no ICMP errors", async () => {
  // Linux reports the ICMP port unreachable to a connected UDP socket, and
  // Python's recv() raises ConnectionRefusedError. Deno's UDP sockets are
  // never connected at the OS level, so no error arrives: pysocket's
  // documented difference. Python shows what it would do:
  const py = await pythonJSON<string>(
    `import socket, json\nt = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nt.bind(("127.0.0.1", 0))\n` +
      `port = t.getsockname()[1]\nt.close()\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n` +
      `s.connect(("127.0.0.1", port))\ns.send(b"x")\ns.settimeout(2)\n` +
      `try:\n    s.recv(10)\n    r = "data"\nexcept Exception as e:\n    r = type(e).__name__\nprint(json.dumps(r))`,
  );
  assert.equal(py, "ConnectionRefusedError");
  const closed = udp();
  const address = closed.getsockname();
  await closed.close();
  await using s = socket.socket(AF_INET, SOCK_DGRAM);
  await s.connect(address);
  await s.send("x");
  s.settimeout(0.2);
  await timesOut(s.recv(10), 0.2);
});

// ---------------------------------------------------------------- modes, no loss

Deno.test("Socket.recvfrom() in non-blocking mode raises BlockingIOError, then gets the datagram", async () => {
  await using rx = udp();
  await using tx = udp();
  rx.setblocking(false);
  await wouldBlock(rx.recvfrom(100));
  await wouldBlock(rx.recv_into(new Uint8Array(10)));
  await tx.sendto("later", rx.getsockname());
  const [data, from] = await retry(() => rx.recvfrom(100));
  assert.equal(text(data), "later");
  assert.deepEqual(from, tx.getsockname());
  // MSG_DONTWAIT on a blocking socket: this call only.
  rx.setblocking(true);
  await wouldBlock(rx.recv(100, MSG_DONTWAIT));
  // An unbound socket: nothing can arrive.
  await using fresh = socket.socket(AF_INET, SOCK_DGRAM);
  fresh.setblocking(false);
  await wouldBlock(fresh.recv(10));
});

Deno.test("Socket.recvfrom() in timeout mode raises TimeoutError('timed out')", async () => {
  await using rx = udp();
  rx.settimeout(0.05);
  await timesOut(rx.recvfrom(10), 0.05);
});

Deno.test("Socket.recvfrom() loses no datagram across timeouts and BlockingIOErrors (random, 40 seeds)", async () => {
  for (let seed = 1; seed <= 40; seed++) {
    const random = prng(seed);
    await using rx = udp();
    await using tx = udp();
    const N = 25;
    let gaveUp = 0;
    const sender = (async () => {
      for (let i = 0; i < N; i++) {
        if (random() < 0.5) await tick(Math.floor(random() * 4));
        await tx.sendto(numbered(i, Math.floor(random() * 100)), rx.getsockname());
      }
    })();
    const got: number[] = [];
    const deadline = performance.now() + 10_000;
    while (got.length < N && performance.now() < deadline) {
      const r = random();
      try {
        let data: Uint8Array;
        if (r < 0.3) {
          rx.settimeout(0);
          [data] = await rx.recvfrom(200);
        } else if (r < 0.4) {
          rx.settimeout(null);
          data = await rx.recv(200, MSG_DONTWAIT);
        } else {
          rx.settimeout(0.001 + random() * 0.004);
          const buf = new Uint8Array(200);
          const [n] = await rx.recvfrom_into(buf);
          data = buf.subarray(0, n);
        }
        got.push(numberOf(data));
      } catch (e) {
        if (!(e instanceof socket.BlockingIOError) && !(e instanceof socket.TimeoutError)) throw e;
        gaveUp++;
      }
    }
    await sender;
    assert.deepEqual(got, Array.from({ length: N }, (_, i) => i), `seed ${seed}`);
    assert.ok(gaveUp > 0, `seed ${seed}: some calls gave up`);
    assert.equal(rx.dropped, 0);
  }
});

Deno.test("Socket.dropped counts datagrams that did not fit in SO_RCVBUF", async () => {
  await using rx = udp();
  await using tx = udp();
  rx.setsockopt(SOL_SOCKET, socket.SO_RCVBUF, 1);
  assert.equal(rx.getsockopt(SOL_SOCKET, socket.SO_RCVBUF), 2304); // Linux's minimum
  for (let i = 0; i < 20; i++) await tx.sendto(numbered(i, 996), rx.getsockname());
  // The first datagram fits in the empty buffer; no other one fits beside it.
  await until(() => rx.dropped === 19, "19 drops");
  assert.equal(numberOf(await rx.recv(2000)), 0);
  await wouldBlock(rx.recv(2000, MSG_DONTWAIT));
  // Room again: the next datagram is queued.
  await tx.sendto(numbered(20), rx.getsockname());
  assert.equal(numberOf(await rx.recv(2000)), 20);
  assert.equal(rx.dropped, 19);
});

Deno.test("Socket.dropped counts the kernel's drops in a flood from python3 (defect 8)", async () => {
  await using rx = udp();
  const [, port] = rx.getsockname() as [string, number];
  const N = 3000;
  // The flood runs while this process is blocked (a synchronous spawn), so
  // nothing reads: the kernel's receive buffer fills and it drops the rest.
  const flood = new Deno.Command("python3", {
    args: [
      "-c",
      `import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n` +
      `for i in range(${N}): s.sendto(i.to_bytes(4, "big") * 250, ("127.0.0.1", ${port}))`,
    ],
  }).outputSync();
  assert.equal(flood.code, 0, new TextDecoder().decode(flood.stderr));
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, "0")} `;
  const kernelQueued = async () =>
    (await Deno.readTextFile("/proc/net/udp")).split("\n")
      // Fields: sl local_address rem_address st tx_queue:rx_queue … (the
      // slot number has no leading space from 10000 on: trim first).
      .some((l) => {
        const f = l.trim().split(/\s+/);
        return f[1]?.endsWith(hexPort.trim()) && f[4] !== "00000000:00000000";
      });
  let received = 0;
  let drained = false;
  const end = performance.now() + 20_000;
  while (performance.now() < end) {
    try {
      await rx.recv(2000, MSG_DONTWAIT);
      received++;
      drained = false;
    } catch (e) {
      if (!(e instanceof socket.BlockingIOError)) throw e;
      // Done when nothing is queued here after a turn in which the kernel had nothing either.
      if (drained) break;
      drained = !(await kernelQueued());
      await tick();
    }
  }
  assert.ok(received > 0 && received < N, `received ${received} of ${N}`);
  // On loopback nothing else loses a datagram: every one was received or dropped.
  assert.equal(received + rx.dropped, N);
});

// ---------------------------------------------------------------- bad input, against Python

Deno.test("Socket datagram errors match Python: EMSGSIZE, no address, listen/accept, bad addresses", async () => {
  const py = await pythonOutcomes(
    `s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nu = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)`,
    {
      big: `s.sendto(b"x" * 65508, ("127.0.0.1", 9))`,
      noAddress: `s.send(b"x")`,
      unixNoAddress: `u.send(b"x")`,
      listen: `s.listen()`,
      accept: `s.accept()`,
      notTuple: `s.sendto(b"x", "foo")`,
      triple: `s.sendto(b"x", ("127.0.0.1", 9, 0))`,
      port: `s.sendto(b"x", ("127.0.0.1", 70000))`,
      v6host: `s.sendto(b"x", ("::1", 9))`,
      unknownHost: `s.sendto(b"x", ("no.such.host.invalid", 9))`,
      portZero: `s.sendto(b"x", ("127.0.0.1", 0))`,
      flags: `s.sendto(b"x", "a", ("127.0.0.1", 9))`,
      broadcast: `s.sendto(b"x", ("<broadcast>", 9))`,
      connectBroadcast: `s.connect(("255.255.255.255", 9))`,
      intoTooBig: `s.recvfrom_into(bytearray(2), 5)`,
      intoNegative: `s.recvfrom_into(bytearray(2), -1)`,
      negative: `s.recvfrom(-1)`,
      peer: `s.getpeername()`,
      shutdown: `s.shutdown(socket.SHUT_RD)`,
    },
  );
  await using s = socket.socket(AF_INET, SOCK_DGRAM);
  await using u = socket.socket(AF_UNIX, SOCK_DGRAM);
  const ours: Record<string, () => unknown> = {
    big: () => s.sendto(new Uint8Array(65508), ["127.0.0.1", 9]),
    noAddress: () => s.send("x"),
    unixNoAddress: () => u.send("x"),
    listen: () => s.listen(),
    accept: () => s.accept(),
    notTuple: () => s.sendto("x", "foo"),
    // deno-lint-ignore no-explicit-any
    triple: () => s.sendto("x", ["127.0.0.1", 9, 0] as any),
    port: () => s.sendto("x", ["127.0.0.1", 70000]),
    v6host: () => s.sendto("x", ["::1", 9]),
    unknownHost: () => s.sendto("x", ["no.such.host.invalid", 9]),
    portZero: () => s.sendto("x", ["127.0.0.1", 0]),
    // deno-lint-ignore no-explicit-any
    flags: () => s.sendto("x", "a" as any, ["127.0.0.1", 9]),
    broadcast: () => s.sendto("x", ["<broadcast>", 9]),
    connectBroadcast: () => s.connect(["255.255.255.255", 9]),
    intoTooBig: () => s.recvfrom_into(new Uint8Array(2), 5),
    intoNegative: () => s.recvfrom_into(new Uint8Array(2), -1),
    negative: () => s.recvfrom(-1),
    peer: () => s.getpeername(),
    shutdown: () => s.shutdown(socket.SHUT_RD),
  };
  for (const [name, fn] of Object.entries(ours)) samePython(await caught(fn), py[name], name);
  // Linux binds before it finds there is no destination (Python's getsockname shows a port).
  assert.ok((s.getsockname() as [string, number])[1] > 0);
  // The largest IPv4 datagram goes through whole.
  await using rx = udp();
  assert.equal(await s.sendto(new Uint8Array(65507).fill(7), rx.getsockname()), 65507);
  const [data] = await rx.recvfrom(70000);
  assert.equal(data.length, 65507);
  assert.equal(data[65506], 7);
});

Deno.test("Socket.sendto() over IPv6 allows 65527 bytes and refuses 65528 with EMSGSIZE", async () => {
  await using rx = udp(AF_INET6);
  await using tx = udp(AF_INET6);
  await rejects(tx.sendto(new Uint8Array(65528), rx.getsockname()), socket.OSError, {
    errno: socket.EMSGSIZE,
    message: "[Errno 90] Message too long",
  });
  assert.equal(await tx.sendto(new Uint8Array(65527), rx.getsockname()), 65527);
  assert.equal((await rx.recv(65536)).length, 65527);
});

Deno.test("Socket.shutdown() on datagram sockets behaves as Linux", async () => {
  await using s = socket.socket(AF_INET, SOCK_DGRAM);
  // Unconnected: ENOTCONN, yet the flags are set (Linux).
  await rejects(s.shutdown(socket.SHUT_RDWR), socket.OSError, { errno: socket.ENOTCONN });
  await rejects(s.sendto("x", ["127.0.0.1", 9]), socket.BrokenPipeError, { errno: socket.EPIPE });
  // A blocking recv after SHUT_RD with nothing queued returns at once, empty.
  assert.deepEqual(await s.recvfrom(10), [new Uint8Array(0), null]);
  // Connected: SHUT_RD still lets datagrams in; SHUT_WR stops sends.
  await using a = udp();
  await using b = udp();
  await a.connect(b.getsockname());
  const blocked = a.recv(10);
  await a.shutdown(socket.SHUT_RD);
  assert.equal((await blocked).length, 0, "a blocked recv is woken, empty");
  await b.sendto("still", a.getsockname());
  assert.equal(text(await a.recv(10)), "still");
  await a.shutdown(socket.SHUT_WR);
  await rejects(a.send("x"), socket.BrokenPipeError, { errno: socket.EPIPE });
  await rejects(a.shutdown(7), socket.OSError, { errno: socket.EINVAL });
});

Deno.test("Socket.close() on a datagram socket fails waiting calls with EBADF", async () => {
  const s = udp();
  const pending = s.recvfrom(10);
  await tick();
  assert.equal(await isSettled(pending), false);
  await s.close();
  await rejects(pending, socket.OSError, { errno: socket.EBADF });
  await rejects(s.sendto("x", ["127.0.0.1", 9]), socket.OSError, { errno: socket.EBADF });
  throws(() => s.getsockname(), socket.OSError, { errno: socket.EBADF });
  await s.close();
});

// ---------------------------------------------------------------- options

Deno.test("Socket.getsockopt() defaults and setsockopt() values of datagram options match Python", async () => {
  const names = [
    ["SOL_SOCKET", "SO_RCVBUF"],
    ["SOL_SOCKET", "SO_SNDBUF"],
    ["SOL_SOCKET", "SO_BROADCAST"],
    ["SOL_SOCKET", "SO_REUSEADDR"],
    ["SOL_SOCKET", "SO_TYPE"],
    ["IPPROTO_IP", "IP_MULTICAST_TTL"],
    ["IPPROTO_IP", "IP_MULTICAST_LOOP"],
  ] as const;
  const sets = [
    ["SOL_SOCKET", "SO_BROADCAST", 5],
    ["IPPROTO_IP", "IP_MULTICAST_TTL", 7],
    ["IPPROTO_IP", "IP_MULTICAST_LOOP", 0],
    ["SOL_SOCKET", "SO_RCVBUF", 100000],
    ["SOL_SOCKET", "SO_SNDBUF", 1],
  ] as const;
  const get = names.map(([l, o]) => `s.getsockopt(socket.${l}, socket.${o})`).join(", ");
  const py = await pythonJSON<number[][]>(
    `import socket, json\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nbefore = [${get}]\n` +
      sets.map(([l, o, v]) => `s.setsockopt(socket.${l}, socket.${o}, ${v})\n`).join("") +
      `print(json.dumps([before, [${get}]]))`,
  );
  await using s = socket.socket(AF_INET, SOCK_DGRAM);
  const c = socket as unknown as Record<string, number>;
  const ours = () => names.map(([l, o]) => s.getsockopt(c[l], c[o]));
  const before = ours();
  for (const [l, o, v] of sets) s.setsockopt(c[l], c[o], v);
  assert.deepEqual([before, ours()], py);
  // Options set on an unbound socket apply once it is bound.
  s.bind(["127.0.0.1", 0]);
  await using tx = udp();
  await tx.sendto("x", s.getsockname());
  assert.equal(text(await s.recv(10)), "x");
});

Deno.test("Socket.setsockopt() refuses what Linux refuses and what Deno cannot do", async () => {
  const group = socket.inet_aton("239.1.2.3");
  const any = socket.inet_aton("0.0.0.0");
  const py = await pythonOutcomes(
    `s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nu = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n` +
      `g = socket.inet_aton("239.1.2.3")\na = socket.inet_aton("0.0.0.0")`,
    {
      ttl300: `s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 300)`,
      shortMreq: `s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, b"abc")`,
      intMreq: `s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, 1)`,
      notMulticast:
        `s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton("10.0.0.1") + a)`,
      dropUnknown: `s.setsockopt(socket.IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, g + a)`,
      v6OnV4: `s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, b"\\xff" + b"\\0" * 19)`,
      unixTTL: `u.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 2)`,
      joinTwice: `s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, g + a)\n    ` +
        `s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, g + a)`,
    },
  );
  await using s = socket.socket(AF_INET, SOCK_DGRAM);
  await using u = socket.socket(AF_UNIX, SOCK_DGRAM);
  const cat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));
  const ours: Record<string, () => unknown> = {
    ttl300: () => s.setsockopt(IPPROTO_IP, socket.IP_MULTICAST_TTL, 300),
    shortMreq: () => s.setsockopt(IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, encoder.encode("abc")),
    intMreq: () => s.setsockopt(IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, 1),
    notMulticast: () =>
      s.setsockopt(IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, cat(socket.inet_aton("10.0.0.1"), any)),
    dropUnknown: () => s.setsockopt(IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, cat(group, any)),
    v6OnV4: () =>
      s.setsockopt(
        IPPROTO_IPV6,
        socket.IPV6_JOIN_GROUP,
        cat(new Uint8Array([0xff]), new Uint8Array(19)),
      ),
    unixTTL: () => u.setsockopt(IPPROTO_IP, socket.IP_MULTICAST_TTL, 2),
    joinTwice: () => {
      s.setsockopt(IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, cat(group, any));
      s.setsockopt(IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, cat(group, any));
    },
  };
  for (const [name, fn] of Object.entries(ours)) samePython(await caught(fn), py[name], name);
  // What Python can do and Deno cannot: ENOPROTOOPT, never silently ignored.
  const noProto = { errno: socket.ENOPROTOOPT, message: /^\[Errno 92\] Protocol not available/ };
  throws(() => s.setsockopt(IPPROTO_IP, socket.IP_MULTICAST_IF, any), socket.OSError, noProto);
  throws(() => s.setsockopt(IPPROTO_IP, socket.IP_TTL, 5), socket.OSError, noProto);
  const mreqn = cat(group, any, new Uint8Array([1, 0, 0, 0]));
  throws(() => s.setsockopt(IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreqn), socket.OSError, noProto);
  await using s6 = socket.socket(AF_INET6, SOCK_DGRAM);
  throws(() => s6.setsockopt(IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 2), socket.OSError, noProto);
});

Deno.test("Socket.setsockopt(SO_REUSEADDR) before bind lets two UDP sockets share a port", async () => {
  await using a = socket.socket(AF_INET, SOCK_DGRAM);
  a.setsockopt(SOL_SOCKET, socket.SO_REUSEADDR, 1);
  a.bind(["127.0.0.1", 0]);
  await using b = socket.socket(AF_INET, SOCK_DGRAM);
  b.setsockopt(SOL_SOCKET, socket.SO_REUSEADDR, 1);
  b.bind(a.getsockname());
  assert.deepEqual(b.getsockname(), a.getsockname());
  await using c = socket.socket(AF_INET, SOCK_DGRAM);
  throws(() => c.bind(a.getsockname()), socket.OSError, { errno: socket.EADDRINUSE });
});

Deno.test("Socket.setsockopt(SO_BROADCAST) allows sending to the broadcast address", async () => {
  await using s = socket.socket(AF_INET, SOCK_DGRAM);
  await rejects(s.sendto("x", ["<broadcast>", 9]), socket.PermissionError, {
    errno: socket.EACCES,
  });
  s.setsockopt(SOL_SOCKET, socket.SO_BROADCAST, 1);
  assert.equal(await s.sendto("x", ["<broadcast>", 9]), 1);
});

Deno.test("Socket.setsockopt(IPV6_V6ONLY) on a UDP socket refuses IPv4 peers", async () => {
  await using s = socket.socket(AF_INET6, SOCK_DGRAM);
  s.setsockopt(IPPROTO_IPV6, socket.IPV6_V6ONLY, 1);
  assert.equal(s.getsockopt(IPPROTO_IPV6, socket.IPV6_V6ONLY), 1);
  s.bind(["::", 0]);
  throws(() => s.setsockopt(IPPROTO_IPV6, socket.IPV6_V6ONLY, 0), socket.OSError, {
    errno: socket.EINVAL,
  });
  await rejects(s.sendto("x", ["::ffff:127.0.0.1", 9]), socket.OSError, {
    errno: socket.ENETUNREACH,
  });
  const port = s.getsockname()[1];
  await using v4 = udp();
  await using v6 = udp(AF_INET6);
  await v4.sendto("from v4", ["127.0.0.1", port]);
  await v6.sendto("from v6", ["::1", port]);
  assert.equal(text(await s.recv(10)), "from v6");
});

// ---------------------------------------------------------------- multicast

/** Why multicast on this machine cannot be tested (raw Deno), or null if it can. */
async function multicastUnavailable(group: string): Promise<string | null> {
  // deno-lint-ignore no-explicit-any
  const listen = (Deno as any).listenDatagram;
  const rx = listen({ transport: "udp", hostname: "0.0.0.0", port: 0 });
  const tx = listen({ transport: "udp", hostname: "127.0.0.1", port: 0 });
  try {
    await rx.joinMulticastV4(group, "127.0.0.1");
    await tx.send(new Uint8Array([1]), { transport: "udp", hostname: group, port: rx.addr.port });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const got = await Promise.race([
      rx.receive().then(() => true),
      new Promise<boolean>((r) => timer = setTimeout(() => r(false), 1000)),
    ]);
    clearTimeout(timer);
    return got ? null : "a datagram sent to a 239.x group on loopback did not arrive";
  } catch (e) {
    return `joining a group on loopback failed: ${(e as Error).message}`;
  } finally {
    rx.close();
    tx.close();
    await tick();
  }
}

Deno.test("Socket multicast: IP_ADD_MEMBERSHIP from mreq bytes delivers the group's datagrams", async () => {
  const group = "239.255.42.7";
  const why = await multicastUnavailable(group);
  if (why !== null) {
    console.log(`skipped: ${why}`);
    return;
  }
  await using rx = socket.socket(AF_INET, SOCK_DGRAM);
  rx.settimeout(5);
  rx.setsockopt(SOL_SOCKET, socket.SO_REUSEADDR, 1);
  // Joined before bind, as Python programs often do: applied at bind.
  const mreq = new Uint8Array([...socket.inet_aton(group), ...socket.inet_aton("127.0.0.1")]);
  rx.setsockopt(IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq);
  rx.bind(["", 0]);
  const port = (rx.getsockname() as [string, number])[1];
  await using tx = udp();
  tx.setsockopt(IPPROTO_IP, socket.IP_MULTICAST_TTL, 1);
  await tx.sendto("to the group", [group, port]);
  const [data, from] = await rx.recvfrom(100);
  assert.equal(text(data), "to the group");
  assert.deepEqual(from, tx.getsockname());
  // A second group, joined after bind with the struct.pack("4sl") form
  // (16 bytes: group, INADDR_ANY as a C long) on the loopback interface.
  const group2 = "239.255.42.8";
  const packed = new Uint8Array(16);
  packed.set(socket.inet_aton(group2));
  packed.set(socket.inet_aton("127.0.0.1"), 4);
  rx.setsockopt(IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, packed);
  await tx.sendto("second group", [group2, port]);
  assert.equal(text(await rx.recv(100)), "second group");
  // After IP_DROP_MEMBERSHIP the group's datagrams no longer come; a
  // unicast datagram sent after proves it (same sender, in order).
  rx.setsockopt(IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, mreq);
  await tx.sendto("dropped", [group, port]);
  await tx.sendto("unicast", ["127.0.0.1", port]);
  assert.equal(text(await rx.recv(100)), "unicast");
  // A Python receiver joined the same way gets our datagram too.
  await withPythonPeer(
    `import socket\nr = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n` +
      `r.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\nr.bind(("", 0))\n` +
      `r.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton("${group}") + socket.inet_aton("127.0.0.1"))\n` +
      `r.settimeout(10)\nprint(r.getsockname()[1])\nprint(r.recv(100).decode())`,
    async (peer) => {
      await tx.sendto("hello python", [group, peer.port]);
      assert.equal(await peer.line(), "hello python");
    },
  );
});

// ---------------------------------------------------------------- unix datagrams

Deno.test("Socket AF_UNIX SOCK_DGRAM round-trips; an unnamed sender's address is null, as Python's None", async () => {
  await using dir = await tempPath("rx");
  await using rx = socket.socket(AF_UNIX, SOCK_DGRAM);
  rx.bind(dir.path);
  assert.equal(rx.getsockname(), dir.path);
  throws(() => socket.socket(AF_UNIX, SOCK_DGRAM).bind(dir.path), socket.OSError, {
    errno: socket.EADDRINUSE,
  });
  await using tx = socket.socket(AF_UNIX, SOCK_DGRAM);
  await tx.sendto("hi", dir.path);
  assert.equal(tx.getsockname(), "");
  assert.deepEqual(await rx.recvfrom(10), [encoder.encode("hi"), null]);
  await tx.sendto(new Uint8Array(0), dir.path);
  assert.deepEqual(await rx.recvfrom(10), [new Uint8Array(0), null]);
  // A datagram larger than any UDP one.
  await tx.sendto(new Uint8Array(200000).fill(3), dir.path);
  const [big] = await rx.recvfrom(300000);
  assert.equal(big.length, 200000);
  // A named sender, connected.
  await using named = await tempPath("tx");
  await using tx2 = socket.socket(AF_UNIX, SOCK_DGRAM);
  tx2.bind(named.path);
  await tx2.connect(dir.path);
  assert.equal(tx2.getpeername(), dir.path);
  await tx2.send("named");
  assert.deepEqual(await rx.recvfrom(10), [encoder.encode("named"), named.path]);
  await rejects(tx.connect(`${dir.dir}/missing`), socket.FileNotFoundError, {
    errno: socket.ENOENT,
  });
});

Deno.test("Socket AF_UNIX SOCK_DGRAM cannot send while a receive is pending (a Deno limitation): EBUSY", async () => {
  await using a = await tempPath("a");
  await using b = await tempPath("b");
  await using sa = socket.socket(AF_UNIX, SOCK_DGRAM);
  await using sb = socket.socket(AF_UNIX, SOCK_DGRAM);
  sa.bind(a.path);
  sb.bind(b.path);
  // Request, then answer: the usual order works.
  await sa.sendto("request", b.path);
  const [request, from] = await sb.recvfrom(100);
  assert.equal(from, a.path);
  await sb.sendto(text(request).toUpperCase(), from!);
  assert.equal(text(await sa.recv(100)), "REQUEST");
  // A recv that timed out leaves its receive posted (nothing is lost), and
  // Deno's unix datagram socket takes one operation at a time.
  sa.settimeout(0.01);
  await timesOut(sa.recv(100), 0.01);
  await rejects(sa.sendto("x", b.path), socket.OSError, {
    errno: socket.EBUSY,
    message: /^\[Errno 16\] Device or resource busy \(pysocket: .*receive is pending/,
  });
  await sb.sendto("late", a.path);
  sa.settimeout(5);
  assert.equal(text(await sa.recv(100)), "late");
  assert.equal(await sa.sendto("now", b.path), 3);
  assert.equal(text(await sb.recv(100)), "now");
});

// ---------------------------------------------------------------- interop

for (const { name, family } of IP_FAMILIES) {
  const pyFamily = family === AF_INET6 ? "socket.AF_INET6" : "socket.AF_INET";
  const host = LOOPBACK[family];

  Deno.test(`Socket UDP interop over ${name}: a python3 echo server answers our datagrams`, async () => {
    await withPythonPeer(
      `import socket\ns = socket.socket(${pyFamily}, socket.SOCK_DGRAM)\ns.bind(("${host}", 0))\n` +
        `s.settimeout(10)\nprint(s.getsockname()[1])\nfor _ in range(3):\n` +
        `    data, addr = s.recvfrom(65536)\n    s.sendto(data.upper(), addr)\n    print(repr(addr[:2]))`,
      async (peer) => {
        await using s = socket.socket(family, SOCK_DGRAM);
        for (const message of ["ping", "", "x".repeat(1000)]) {
          await s.sendto(message, [host, peer.port]);
          const [data, from] = await s.recvfrom(65536);
          assert.equal(text(data), message.toUpperCase());
          assert.deepEqual((from as unknown[]).slice(0, 2), [host, peer.port]);
          // Python saw our address as getsockname() with the real host.
          const port = (s.getsockname() as [string, number])[1];
          assert.equal(await peer.line(), `('${host}', ${port})`);
        }
      },
    );
  });

  Deno.test(`Socket UDP interop over ${name}: a python3 client gets our answers`, async () => {
    await using s = udp(family);
    const port = (s.getsockname() as [string, number])[1];
    await withPythonPeer(
      `import socket\nc = socket.socket(${pyFamily}, socket.SOCK_DGRAM)\nc.bind(("${host}", 0))\n` +
        `c.settimeout(10)\nprint(c.getsockname()[1])\nfor m in [b"one", b"two", b""]:\n` +
        `    c.sendto(m, ("${host}", ${port}))\n    data, addr = c.recvfrom(100)\n` +
        `    assert data == m[::-1] and addr[1] == ${port}, (data, addr)\nprint("OK")`,
      async (peer) => {
        for (const _ of [1, 2, 3]) {
          const [data, from] = await s.recvfrom(100);
          assert.deepEqual((from as unknown[]).slice(0, 2), [host, peer.port]);
          await s.sendto(data.slice().reverse(), from!);
        }
        assert.equal(await peer.line(), "OK");
      },
    );
  });
}

// ---------------------------------------------------------------- the flag

Deno.test("Socket datagram calls without --unstable-net fail with an OSError that names the flag", async () => {
  await using dir = await tempPath("probe.ts");
  const url = new URL("../mod.ts", import.meta.url).href;
  await Deno.writeTextFile(
    dir.path,
    `import * as socket from ${JSON.stringify(url)};\n` +
      `const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);\n` +
      `try { s.bind(["127.0.0.1", 0]); console.log("bound"); }\n` +
      `catch (e) { console.log(e.name, e.errno, e.message); }\nawait s.close();\n`,
  );
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-config", "--allow-net", "--allow-read", dir.path],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const printed = new TextDecoder().decode(out.stdout).trim();
  assert.match(
    printed,
    /^OSError \d+ \[Errno \d+\] .*--unstable-net/,
    new TextDecoder().decode(out.stderr),
  );
});

Deno.test("Socket datagram: python3 agrees a fresh UDP socket is unbound and send() binds it", async () => {
  const py = await python(
    `import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nprint(s.getsockname())\n` +
      `try:\n    s.send(b"x")\nexcept OSError as e:\n    print(e)\nprint(s.getsockname()[1] > 0)`,
  );
  assert.equal(py.stdout, "('0.0.0.0', 0)\n[Errno 89] Destination address required\nTrue\n");
  await using s = socket.socket(AF_INET, SOCK_DGRAM);
  const lines = [`('${(s.getsockname() as [string, number]).join("', ")})`];
  lines.push(((await fails(() => s.send("x"), socket.OSError)) as Error).message);
  lines.push((s.getsockname() as [string, number])[1] > 0 ? "True" : "False");
  assert.equal(lines.join("\n") + "\n", py.stdout);
});
