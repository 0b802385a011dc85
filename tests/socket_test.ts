// Copyright 2025 the pysocket authors. MIT license.
// Every member of `Socket` for SOCK_STREAM, in each mode it supports, on its
// success and failure paths, over IPv4, IPv6 (::1) and AF_UNIX. Python's
// behaviour on Linux (checked with python3 on this machine) is the reference.

import assert from "node:assert/strict";
import * as socket from "../mod.ts";
import {
  assertBytes,
  fails,
  FAMILIES,
  isSettled,
  listener,
  localAddress,
  pair,
  pythonJSON,
  randomBytes,
  recvAll,
  recvExactly,
  rejects,
  retry,
  tempPath,
  text,
  throws,
  tick,
  timesOut,
  until,
  wouldBlock,
} from "./_utils.ts";

const {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  SOCK_STREAM,
  SOL_SOCKET,
  IPPROTO_TCP,
  IPPROTO_IPV6,
  MSG_PEEK,
  MSG_DONTWAIT,
  MSG_WAITALL,
  SHUT_RD,
  SHUT_WR,
  SHUT_RDWR,
  SO_REUSEADDR,
  SO_RCVBUF,
  SO_SNDBUF,
  SO_TYPE,
  SO_ERROR,
  SO_KEEPALIVE,
  TCP_NODELAY,
  IPV6_V6ONLY,
} = socket;

const EBADF = { errno: socket.EBADF, message: "[Errno 9] Bad file descriptor" };
const EINVAL = { errno: socket.EINVAL, message: "[Errno 22] Invalid argument" };
const ENOTCONN = {
  errno: socket.ENOTCONN,
  message: "[Errno 107] Transport endpoint is not connected",
};
const EISCONN = {
  errno: socket.EISCONN,
  message: "[Errno 106] Transport endpoint is already connected",
};
const EPIPE = { errno: socket.EPIPE, message: "[Errno 32] Broken pipe" };
const EADDRINUSE = { errno: socket.EADDRINUSE, message: "[Errno 98] Address already in use" };
const ECONNREFUSED = { errno: socket.ECONNREFUSED, message: "[Errno 111] Connection refused" };
const ENOPROTOOPT = { errno: socket.ENOPROTOOPT, message: "[Errno 92] Protocol not available" };

const INET_FAMILIES = FAMILIES.filter((f) => f.family !== AF_UNIX);

/** A TCP port on loopback that nothing listens on (bound, then released). */
async function closedPort(family: number): Promise<socket.Address> {
  await using server = await listener(family);
  const address = server.address as [string, number];
  return family === AF_INET6 ? [address[0], address[1], 0, 0] : [address[0], address[1]];
}

/** Runs `fn` with `setdefaulttimeout(value)`, restoring the default after. */
async function withDefaultTimeout<T>(value: number | null, fn: () => Promise<T>): Promise<T> {
  const saved = socket.getdefaulttimeout();
  socket.setdefaulttimeout(value);
  try {
    return await fn();
  } finally {
    socket.setdefaulttimeout(saved);
  }
}

// ------------------------------------------------------------- constructor

Deno.test("socket() makes a blocking AF_INET SOCK_STREAM socket by default", async () => {
  await using s = socket.socket();
  assert.ok(s instanceof socket.Socket);
  assert.equal(s.family, AF_INET);
  assert.equal(s.type, SOCK_STREAM);
  assert.equal(s.proto, 0);
  assert.equal(s.timeout, null);
  assert.equal(s.gettimeout(), null);
  assert.equal(s.getblocking(), true);
  assert.ok(s.fileno() >= 0);
});

Deno.test("new Socket() and socket() agree, and fileno() is unique per socket", async () => {
  await using a = new socket.Socket(AF_INET6, SOCK_STREAM, socket.IPPROTO_TCP);
  await using b = socket.socket(AF_INET6, SOCK_STREAM, socket.IPPROTO_TCP);
  for (const s of [a, b]) {
    assert.equal(s.family, AF_INET6);
    assert.equal(s.type, SOCK_STREAM);
    assert.equal(s.proto, socket.IPPROTO_TCP);
  }
  assert.notEqual(a.fileno(), b.fileno());
});

for (const { name, family } of FAMILIES) {
  Deno.test(`Socket() makes an ${name} stream socket whose getsockname() is Python's fresh value`, async () => {
    await using s = socket.socket(family, SOCK_STREAM);
    assert.equal(s.family, family);
    assert.equal(s.type, SOCK_STREAM);
    const fresh = family === AF_INET ? ["0.0.0.0", 0] : family === AF_INET6 ? ["::", 0, 0, 0] : "";
    assert.deepEqual(s.getsockname(), fresh);
  });
}

Deno.test("Socket() with SOCK_NONBLOCK starts non-blocking and reports the plain type", async () => {
  // Python on Linux: socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK).type is
  // SOCK_STREAM and gettimeout() is 0.0.
  const SOCK_NONBLOCK = 0o4000;
  await using s = socket.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
  assert.equal(s.type, SOCK_STREAM);
  assert.equal(s.gettimeout(), 0);
  assert.equal(s.getblocking(), false);
});

Deno.test("Socket() refuses an unknown family with EAFNOSUPPORT", () => {
  throws(() => socket.socket(12345), socket.OSError, {
    errno: socket.EAFNOSUPPORT,
    message: "[Errno 97] Address family not supported by protocol",
  });
});

Deno.test("Socket() refuses a protocol that does not match the type with EPROTONOSUPPORT", () => {
  throws(() => socket.socket(AF_INET, SOCK_STREAM, socket.IPPROTO_UDP), socket.OSError, {
    errno: socket.EPROTONOSUPPORT,
    message: "[Errno 93] Protocol not supported",
  });
});

Deno.test("Socket() refuses an unknown type with EINVAL", () => {
  throws(() => socket.socket(AF_INET, 99), socket.OSError, EINVAL);
});

Deno.test("socket() starts with setdefaulttimeout()'s value", async () => {
  await withDefaultTimeout(2.5, async () => {
    assert.equal(socket.getdefaulttimeout(), 2.5);
    await using s = socket.socket();
    assert.equal(s.gettimeout(), 2.5);
  });
  await withDefaultTimeout(0, async () => {
    await using s = socket.socket();
    assert.equal(s.gettimeout(), 0);
    assert.equal(s.getblocking(), false);
  });
  await using t = socket.socket();
  assert.equal(t.gettimeout(), null);
});

// -------------------------------------------------------------------- bind

for (const { name, family, host } of INET_FAMILIES) {
  Deno.test(`Socket.bind() to port 0 gives the real port to getsockname() at once (${name})`, async () => {
    await using s = socket.socket(family);
    s.bind([host!, 0]);
    const address = s.getsockname() as [string, number];
    assert.equal(address[0], host);
    assert.ok(address[1] > 0 && address[1] <= 65535);
    if (family === AF_INET6) assert.deepEqual(address.slice(2), [0, 0]);
    // The port is really taken: a second bind to it fails.
    await using t = socket.socket(family);
    throws(() => t.bind([host!, address[1]]), socket.OSError, EADDRINUSE);
  });
}

Deno.test("Socket.bind() to a path gives the path to getsockname() and creates the file (AF_UNIX)", async () => {
  await using temp = await tempPath();
  await using s = socket.socket(AF_UNIX);
  s.bind(temp.path);
  assert.equal(s.getsockname(), temp.path);
  assert.ok(Deno.lstatSync(temp.path).isSocket);
});

for (const { name, family } of FAMILIES) {
  Deno.test(`Socket.bind() raises EADDRINUSE for an address a listener holds (${name})`, async () => {
    await using server = await listener(family);
    await using s = socket.socket(family);
    throws(() => s.bind(server.address), socket.OSError, EADDRINUSE);
    // Nothing is left half-done: the socket can bind elsewhere.
    await using other = await localAddress(family);
    s.bind(other.address);
  });

  Deno.test(`Socket.bind() twice raises EINVAL (${name})`, async () => {
    await using a = await localAddress(family);
    await using b = await localAddress(family);
    await using s = socket.socket(family);
    s.bind(a.address);
    const before = s.getsockname();
    throws(() => s.bind(b.address), socket.OSError, EINVAL);
    assert.deepEqual(s.getsockname(), before);
  });

  Deno.test(`Socket.bind() on a connected socket raises EINVAL (${name})`, async () => {
    await using p = await pair(family);
    await using other = await localAddress(family);
    throws(() => p[0].bind(other.address), socket.OSError, EINVAL);
  });
}

Deno.test("Socket.bind() with '' binds every address (INADDR_ANY)", async () => {
  await using s = socket.socket();
  s.bind(["", 0]);
  const [host, port] = s.getsockname() as [string, number];
  assert.equal(host, "0.0.0.0");
  s.listen();
  await using c = socket.socket();
  await c.connect(["127.0.0.1", port]);
});

Deno.test("Socket.bind() resolves 'localhost'", async () => {
  await using s = socket.socket();
  s.bind(["localhost", 0]);
  assert.equal((s.getsockname() as [string, number])[0], "127.0.0.1");
});

// ------------------------------------------------------------------ listen

for (const { name, family } of INET_FAMILIES) {
  Deno.test(`Socket.listen() binds an unbound socket to an ephemeral port, as Linux (${name})`, async () => {
    await using s = socket.socket(family);
    s.listen();
    const [host, port] = s.getsockname() as [string, number];
    assert.equal(host, family === AF_INET6 ? "::" : "0.0.0.0");
    assert.ok(port > 0);
    await using c = socket.socket(family);
    await c.connect([family === AF_INET6 ? "::1" : "127.0.0.1", port]);
    const [conn] = await s.accept();
    await conn.close();
  });
}

Deno.test("Socket.listen() on an unbound AF_UNIX socket raises EINVAL, as Linux", async () => {
  await using s = socket.socket(AF_UNIX);
  const error = throws(() => s.listen(), socket.OSError, { errno: socket.EINVAL });
  assert.match(error.message, /^\[Errno 22\] Invalid argument/);
});

Deno.test("Socket.listen() again keeps listening (Python allows it to change the backlog)", async () => {
  await using server = await listener(AF_INET);
  server.sock.listen(5);
  assert.deepEqual(server.sock.getsockname(), server.address);
  await using c = socket.socket();
  await c.connect(server.address);
  const [conn] = await server.sock.accept();
  await conn.close();
});

Deno.test("Socket.listen() on a connected socket raises EINVAL", async () => {
  await using p = await pair();
  throws(() => p[0].listen(), socket.OSError, EINVAL);
  throws(() => p[1].listen(), socket.OSError, EINVAL);
});

Deno.test("Socket.listen(backlog) reaches the kernel: backlog + 1 connections queue, the next one waits", async () => {
  // Python on Linux (python3 is the oracle here): with nobody accepting,
  // listen(n) lets n + 1 connections complete; the next connect times out.
  const oracle = await pythonJSON<number[]>(`
import json, socket
counts = []
for backlog in (0, 2):
    l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(backlog)
    clients = []; ok = 0
    for i in range(5):
        c = socket.socket(); c.settimeout(0.3); clients.append(c)
        try:
            c.connect(l.getsockname()); ok += 1
        except TimeoutError:
            break
    counts.append(ok)
    for c in clients: c.close()
    l.close()
print(json.dumps(counts))
`);
  const counts: number[] = [];
  for (const backlog of [0, 2]) {
    await using server = await listener(AF_INET, backlog);
    const clients: socket.Socket[] = [];
    let ok = 0;
    try {
      for (let i = 0; i < 5; i++) {
        const c = socket.socket();
        c.settimeout(0.3);
        clients.push(c);
        try {
          await c.connect(server.address);
          ok++;
        } catch (e) {
          assert.ok(e instanceof socket.TimeoutError, String(e));
          assert.equal(e.message, "timed out");
          break;
        }
      }
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
    counts.push(ok);
  }
  assert.deepEqual(counts, oracle);
});

// ------------------------------------------------------------------ accept

for (const { name, family } of FAMILIES) {
  Deno.test(`Socket.accept() returns a connected socket and the peer's address (${name})`, async () => {
    await using server = await listener(family);
    await using c = socket.socket(family);
    await c.connect(server.address);
    const [conn, address] = await server.sock.accept();
    await using _conn = conn;
    assert.ok(conn instanceof socket.Socket);
    assert.equal(conn.family, family);
    assert.equal(conn.type, SOCK_STREAM);
    assert.deepEqual(address, c.getsockname());
    assert.deepEqual(conn.getpeername(), c.getsockname());
    assert.deepEqual(conn.getsockname(), c.getpeername());
    assert.deepEqual(c.getpeername(), server.address);
    if (family === AF_UNIX) {
      // Python on Linux: an unbound client's address is '' on both sides.
      assert.equal(address, "");
      assert.equal(conn.getsockname(), server.address);
    }
    await c.sendall("ping");
    assert.equal(text(await recvExactly(conn, 4)), "ping");
  });
}

Deno.test("Socket.accept() gives the new socket the default timeout, not the listener's (Python 3)", async () => {
  await using server = await listener(AF_INET);
  server.sock.settimeout(5);
  for (const value of [null, 3, 0] as const) {
    await withDefaultTimeout(value, async () => {
      await using c = socket.socket();
      c.settimeout(null);
      await c.connect(server.address);
      const [conn] = await server.sock.accept();
      await using _conn = conn;
      assert.equal(conn.gettimeout(), value);
      assert.equal(conn.getblocking(), value !== 0);
    });
  }
});

Deno.test("Socket.accept() on a socket that is not listening raises EINVAL", async () => {
  await using unbound = socket.socket();
  await rejects(unbound.accept(), socket.OSError, EINVAL);
  await using bound = socket.socket();
  bound.bind(["127.0.0.1", 0]);
  await rejects(bound.accept(), socket.OSError, EINVAL);
});

for (const { name, family } of FAMILIES) {
  Deno.test(`Socket.accept() in timeout mode raises TimeoutError('timed out') (${name})`, async () => {
    await using server = await listener(family);
    server.sock.settimeout(0.1);
    await timesOut(server.sock.accept(), 0.1);
    // The listener still works: a later connection is accepted.
    await using c = socket.socket(family);
    await c.connect(server.address);
    const [conn] = await server.sock.accept();
    await conn.close();
  });
}

Deno.test("Socket.accept() in non-blocking mode raises BlockingIOError, then takes a waiting connection", async () => {
  await using server = await listener(AF_INET);
  server.sock.setblocking(false);
  await wouldBlock(server.sock.accept());
  await using c = socket.socket();
  await c.connect(server.address);
  const [conn, address] = await retry(() => server.sock.accept());
  await using _conn = conn;
  assert.deepEqual(address, c.getsockname());
  await wouldBlock(server.sock.accept());
});

Deno.test("Socket.accept() calls are served in call order", async () => {
  await using server = await listener(AF_INET);
  const accepts = [server.sock.accept(), server.sock.accept(), server.sock.accept()];
  const clients: socket.Socket[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const c = socket.socket();
      clients.push(c);
      await c.connect(server.address);
    }
    const accepted = await Promise.all(accepts);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(accepted[i][1], clients[i].getsockname());
      await accepted[i][0].close();
    }
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
});

// ---------------------------------------------------------------- connect

for (const { name, family } of INET_FAMILIES) {
  Deno.test(`Socket.connect() to a closed port raises ConnectionRefusedError (${name})`, async () => {
    const address = await closedPort(family);
    await using s = socket.socket(family);
    await rejects(s.connect(address), socket.ConnectionRefusedError, ECONNREFUSED);
    assert.throws(() => s.getpeername(), socket.OSError);
  });

  Deno.test(`Socket.connect_ex() returns ECONNREFUSED for a closed port and 0 on success (${name})`, async () => {
    const address = await closedPort(family);
    await using s = socket.socket(family);
    assert.equal(await s.connect_ex(address), socket.ECONNREFUSED);
    await using server = await listener(family);
    await using t = socket.socket(family);
    assert.equal(await t.connect_ex(server.address), 0);
    assert.deepEqual(t.getpeername(), server.address);
    const [conn] = await server.sock.accept();
    await conn.close();
  });
}

Deno.test("Socket.connect() to a missing path raises FileNotFoundError; connect_ex() returns ENOENT (AF_UNIX)", async () => {
  await using temp = await tempPath();
  await using s = socket.socket(AF_UNIX);
  await rejects(s.connect(temp.path), socket.FileNotFoundError, {
    errno: socket.ENOENT,
    message: "[Errno 2] No such file or directory",
  });
  await using t = socket.socket(AF_UNIX);
  assert.equal(await t.connect_ex(temp.path), socket.ENOENT);
});

Deno.test("Socket.connect() to a path nobody listens on raises ConnectionRefusedError (AF_UNIX)", async () => {
  await using temp = await tempPath();
  await Deno.writeTextFile(temp.path, "");
  await using s = socket.socket(AF_UNIX);
  await rejects(s.connect(temp.path), socket.ConnectionRefusedError, ECONNREFUSED);
});

for (const { name, family } of FAMILIES) {
  Deno.test(`Socket.connect() on a connected socket raises EISCONN; connect_ex() returns it (${name})`, async () => {
    await using p = await pair(family);
    const [client] = p;
    await rejects(client.connect(p.listener.address), socket.OSError, EISCONN);
    assert.equal(await client.connect_ex(p.listener.address), socket.EISCONN);
  });
}

Deno.test("Socket.connect() resolves a host name through the OS resolver", async () => {
  await using server = await listener(AF_INET);
  const port = (server.address as [string, number])[1];
  await using c = socket.socket();
  await c.connect(["localhost", port]);
  assert.deepEqual(c.getpeername(), ["127.0.0.1", port]);
  const [conn] = await server.sock.accept();
  await conn.close();
});

Deno.test("Socket.connect() in timeout mode raises TimeoutError when the server's queue is full", async () => {
  await using server = await listener(AF_INET, 0);
  await using first = socket.socket();
  await first.connect(server.address); // backlog 0 admits one
  await using second = socket.socket();
  second.settimeout(0.2);
  await timesOut(second.connect(server.address), 0.2);
});

Deno.test("Socket.connect() in non-blocking mode raises EINPROGRESS and completes in the background", async () => {
  await using server = await listener(AF_INET);
  await using c = socket.socket();
  c.setblocking(false);
  await rejects(c.connect(server.address), socket.BlockingIOError, {
    errno: socket.EINPROGRESS,
    message: "[Errno 115] Operation now in progress",
  });
  const [conn] = await server.sock.accept();
  await using _conn = conn;
  await until(() => {
    try {
      c.getpeername();
      return true;
    } catch {
      return false;
    }
  }, "the background connect");
  assert.deepEqual(c.getpeername(), server.address);
  assert.equal(c.getsockopt(SOL_SOCKET, SO_ERROR), 0);
  await retry(() => c.send("hi"));
  assert.equal(text(await recvExactly(conn, 2)), "hi");
});

Deno.test("Socket.connect_ex() in non-blocking mode: EINPROGRESS, EALREADY while pending, 0 once, then EISCONN", async () => {
  await using server = await listener(AF_INET);
  await using c = socket.socket();
  c.setblocking(false);
  assert.equal(await c.connect_ex(server.address), socket.EINPROGRESS);
  const seen: number[] = [];
  let result: number;
  await until(async () => {
    result = await c.connect_ex(server.address);
    seen.push(result);
    return result !== socket.EALREADY;
  }, "connect_ex() to finish");
  assert.equal(result!, 0, `results: ${seen}`);
  assert.equal(await c.connect_ex(server.address), socket.EISCONN);
  await rejects(c.connect(server.address), socket.OSError, EISCONN);
  const [conn] = await server.sock.accept();
  await conn.close();
});

Deno.test("Socket.connect_ex() in non-blocking mode to a closed port reports ECONNREFUSED once", async () => {
  const address = await closedPort(AF_INET);
  await using c = socket.socket();
  c.setblocking(false);
  assert.equal(await c.connect_ex(address), socket.EINPROGRESS);
  let result = socket.EALREADY;
  await until(
    async () => (result = await c.connect_ex(address)) !== socket.EALREADY,
    "connect_ex() to finish",
  );
  // Linux (and Python on it) reports the failure to the next connect_ex().
  assert.equal(result, socket.ECONNREFUSED);
});

Deno.test("Socket.getsockopt(SO_ERROR) gives the outcome of a failed non-blocking connect, once", async () => {
  const address = await closedPort(AF_INET);
  await using c = socket.socket();
  c.setblocking(false);
  await rejects(c.connect(address), socket.BlockingIOError, { errno: socket.EINPROGRESS });
  let error = 0;
  await until(
    () => (error = c.getsockopt(SOL_SOCKET, SO_ERROR) as number) !== 0,
    "SO_ERROR to be set",
  );
  assert.equal(error, socket.ECONNREFUSED);
  assert.equal(c.getsockopt(SOL_SOCKET, SO_ERROR), 0);
});

// -------------------------------------------------------------------- recv

for (const { name, family } of FAMILIES) {
  Deno.test(`Socket.recv() returns 1..bufsize bytes as soon as any are there, then b'' at EOF (${name})`, async () => {
    await using p = await pair(family);
    const [client, server] = p;
    const pending = server.recv(4);
    assert.equal(await isSettled(pending), false);
    await client.sendall("0123456789");
    const first = await pending;
    assert.ok(first.length >= 1 && first.length <= 4, `got ${first.length}`);
    await client.close();
    const rest = await recvAll(server, 4);
    assert.equal(text(first) + text(rest), "0123456789");
    assert.equal((await server.recv(4)).length, 0, "EOF again");
  });

  Deno.test(`Socket.recv() in timeout mode raises TimeoutError and loses nothing (${name})`, async () => {
    await using p = await pair(family);
    const [client, server] = p;
    server.settimeout(0.1);
    await timesOut(server.recv(10), 0.1);
    await client.sendall("late");
    assert.equal(text(await recvExactly(server, 4)), "late");
  });

  Deno.test(`Socket.recv() in non-blocking mode raises BlockingIOError EAGAIN and loses nothing (${name})`, async () => {
    await using p = await pair(family);
    const [client, server] = p;
    server.setblocking(false);
    await wouldBlock(server.recv(10));
    await client.sendall("data");
    const data = await retry(() => server.recv(10));
    assert.equal(text(data), "data".slice(0, data.length));
    server.setblocking(true);
    assert.equal(text(data) + text(await recvExactly(server, 4 - data.length)), "data");
  });
}

Deno.test("Socket.recv(0) returns an empty array at once", async () => {
  await using p = await pair();
  const data = await p[1].recv(0);
  assert.ok(data instanceof Uint8Array);
  assert.equal(data.length, 0);
});

Deno.test("Socket.recv() on an unconnected or listening socket raises ENOTCONN", async () => {
  await using s = socket.socket();
  await rejects(s.recv(1), socket.OSError, ENOTCONN);
  await using server = await listener(AF_INET);
  await rejects(server.sock.recv(1), socket.OSError, ENOTCONN);
});

Deno.test("Socket.recv(MSG_PEEK) returns data without consuming it", async () => {
  await using p = await pair();
  const [client, server] = p;
  await client.sendall("hello");
  const peeked = await server.recv(5, MSG_PEEK | MSG_WAITALL);
  assert.equal(text(peeked), "hello");
  assert.equal(text(await server.recv(2, MSG_PEEK)), "he");
  assert.equal(text(await recvExactly(server, 5)), "hello");
});

Deno.test("Socket.recv(MSG_DONTWAIT) does not wait on a blocking socket, and changes no mode", async () => {
  await using p = await pair();
  const [client, server] = p;
  await wouldBlock(server.recv(10, MSG_DONTWAIT));
  assert.equal(server.gettimeout(), null);
  await client.sendall("x");
  // Blocking recv still waits normally and gets what arrived.
  assert.equal(text(await server.recv(10)), "x");
  await client.sendall("y");
  assert.equal(text(await retry(() => server.recv(10, MSG_DONTWAIT))), "y");
});

Deno.test("Socket.recv(MSG_WAITALL) waits for bufsize bytes, or fewer at end of stream", async () => {
  await using p = await pair();
  const [client, server] = p;
  const all = server.recv(6, MSG_WAITALL);
  await client.sendall("ab");
  // A few turns of the event loop: "ab" is there, but not all six bytes.
  await tick(20);
  assert.equal(await isSettled(all), false);
  await client.sendall("cd");
  await client.sendall("ef");
  assert.equal(text(await all), "abcdef");
  await client.sendall("xyz");
  await client.shutdown(SHUT_WR);
  assert.equal(text(await server.recv(10, MSG_WAITALL)), "xyz");
});

Deno.test("Socket.recv() pending when the socket closes rejects with EBADF", async () => {
  await using p = await pair();
  const pending = rejects(p[1].recv(10), socket.OSError, EBADF);
  await p[1].close();
  await pending;
});

// --------------------------------------------------------------- recv_into

for (const { name, family } of FAMILIES) {
  Deno.test(`Socket.recv_into() fills the buffer and returns the count, 0 at EOF (${name})`, async () => {
    await using p = await pair(family);
    const [client, server] = p;
    await client.sendall("hello");
    const buffer = new Uint8Array(100);
    const n = await server.recv_into(buffer);
    assert.ok(n >= 1 && n <= 5);
    const rest = await recvExactly(server, 5 - n);
    assert.equal(text(buffer.subarray(0, n)) + text(rest), "hello");
    assert.ok(buffer.subarray(n).every((b) => b === 0));
    await client.shutdown(SHUT_WR);
    assert.equal(await server.recv_into(buffer), 0);
  });
}

Deno.test("Socket.recv_into(buffer, nbytes) reads at most nbytes", async () => {
  await using p = await pair();
  const [client, server] = p;
  await client.sendall("abcdef");
  const buffer = new Uint8Array(10).fill(0x2e);
  assert.equal(await server.recv_into(buffer, 3, MSG_WAITALL), 3);
  assert.equal(text(buffer), "abc.......");
  assert.equal(await server.recv_into(buffer.subarray(5), 3, MSG_WAITALL), 3);
  assert.equal(text(buffer), "abc..def..");
});

Deno.test("Socket.recv_into() writes into ArrayBuffer, DataView and other typed arrays", async () => {
  await using p = await pair();
  const [client, server] = p;
  await client.sendall("ABCDEFGHIJKL");
  const ab = new ArrayBuffer(4);
  assert.equal(await server.recv_into(ab, 0, MSG_WAITALL), 4);
  assert.equal(text(new Uint8Array(ab)), "ABCD");
  const backing = new ArrayBuffer(8);
  const view = new DataView(backing, 2, 4);
  assert.equal(await server.recv_into(view, 0, MSG_WAITALL), 4);
  assert.equal(text(new Uint8Array(backing, 2, 4)), "EFGH");
  const words = new Uint16Array(2);
  assert.equal(await server.recv_into(words, 0, MSG_WAITALL), 4);
  assert.equal(text(new Uint8Array(words.buffer)), "IJKL");
});

Deno.test("Socket.recv_into(MSG_PEEK) copies without consuming", async () => {
  await using p = await pair();
  const [client, server] = p;
  await client.sendall("peek");
  const a = new Uint8Array(4);
  assert.equal(await server.recv_into(a, 4, MSG_PEEK | MSG_WAITALL), 4);
  const b = new Uint8Array(4);
  assert.equal(await server.recv_into(b, 4, MSG_WAITALL), 4);
  assert.equal(text(a), "peek");
  assert.equal(text(b), "peek");
});

Deno.test("Socket.recv_into() in timeout and non-blocking modes loses nothing", async () => {
  await using p = await pair();
  const [client, server] = p;
  const buffer = new Uint8Array(8);
  server.settimeout(0.05);
  await timesOut(server.recv_into(buffer), 0.05);
  server.setblocking(false);
  await wouldBlock(server.recv_into(buffer));
  assert.ok(buffer.every((b) => b === 0), "a failed call writes nothing");
  await client.sendall("12345678");
  server.settimeout(5);
  assert.equal(await server.recv_into(buffer, 0, MSG_WAITALL), 8);
  assert.equal(text(buffer), "12345678");
});

Deno.test("Socket.recv_into() on an unconnected socket raises ENOTCONN", async () => {
  await using s = socket.socket();
  await rejects(s.recv_into(new Uint8Array(1)), socket.OSError, ENOTCONN);
});

// -------------------------------------------------------------- send(all)

for (const { name, family } of FAMILIES) {
  Deno.test(`Socket.send() returns the count sent, and the peer receives those bytes (${name})`, async () => {
    await using p = await pair(family);
    const [client, server] = p;
    const n = await client.send("hello world");
    assert.ok(n >= 1 && n <= 11);
    assert.equal(text(await recvExactly(server, n)), "hello world".slice(0, n));
  });

  Deno.test(`Socket.sendall() of 8 MiB arrives whole and in order (${name})`, async () => {
    await using p = await pair(family);
    const [client, server] = p;
    const payload = randomBytes(8 * 1024 * 1024, 7);
    const [, received] = await Promise.all([
      client.sendall(payload).then(() => client.shutdown(SHUT_WR)),
      recvAll(server),
    ]);
    assertBytes(received, payload);
  });
}

Deno.test("Socket.send() takes strings (as UTF-8), ArrayBuffer, DataView and typed arrays", async () => {
  await using p = await pair();
  const [client, server] = p;
  await client.sendall("é€");
  await client.sendall(new TextEncoder().encode("ab").buffer);
  await client.sendall(new DataView(new TextEncoder().encode("xcdx").buffer, 1, 2));
  await client.sendall(new Uint16Array(new Uint8Array([0x65, 0x66]).buffer));
  assert.equal(text(await recvExactly(server, 5 + 6)), "é€abcdef");
  assert.equal(await client.send(""), 0);
  assert.equal(await client.send(new Uint8Array(0)), 0);
});

Deno.test("Socket.send() and sendall() on an unconnected socket raise BrokenPipeError", async () => {
  await using s = socket.socket();
  await rejects(s.send("x"), socket.BrokenPipeError, EPIPE);
  await rejects(s.sendall("x"), socket.BrokenPipeError, EPIPE);
  await using server = await listener(AF_INET);
  await rejects(server.sock.send("x"), socket.BrokenPipeError, EPIPE);
});

Deno.test("Socket.send() after shutdown(SHUT_WR) raises BrokenPipeError", async () => {
  await using p = await pair();
  await p[0].shutdown(SHUT_WR);
  await rejects(p[0].send("x"), socket.BrokenPipeError, EPIPE);
  await rejects(p[0].sendall("x"), socket.BrokenPipeError, EPIPE);
});

Deno.test("Socket.sendall() to a peer that closed fails with ConnectionResetError or BrokenPipeError", async () => {
  await using p = await pair();
  const [client, server] = p;
  await server.close();
  assert.equal((await client.recv(1)).length, 0);
  // As in Python, the first sends may still be accepted; the RST that they
  // provoke makes a later one fail.
  const chunk = new Uint8Array(65536);
  let error: unknown = null;
  for (let i = 0; i < 2000 && error === null; i++) {
    try {
      await client.sendall(chunk);
    } catch (e) {
      error = e;
    }
  }
  assert.ok(
    error instanceof socket.BrokenPipeError || error instanceof socket.ConnectionResetError,
    `got ${error}`,
  );
  assert.ok(
    (error as socket.OSError).errno === socket.EPIPE ||
      (error as socket.OSError).errno === socket.ECONNRESET,
  );
});

Deno.test("Socket.send(MSG_DONTWAIT) on a blocking socket sends what fits now", async () => {
  await using p = await pair();
  const [client, server] = p;
  const n = await client.send("now", MSG_DONTWAIT);
  assert.equal(n, 3);
  assert.equal(text(await recvExactly(server, 3)), "now");
  assert.equal(client.gettimeout(), null);
});

// ---------------------------------------------------------------- sendfile

Deno.test("Socket.sendfile() sends a whole file, returns its size and moves the file position", async () => {
  await using temp = await tempPath("data.bin");
  const content = randomBytes(300_000, 3);
  await Deno.writeFile(temp.path, content);
  await using p = await pair();
  const [client, server] = p;
  using file = await Deno.open(temp.path);
  const [sent, received] = await Promise.all([
    client.sendfile(file).then(async (n) => {
      await client.shutdown(SHUT_WR);
      return n;
    }),
    recvAll(server),
  ]);
  assert.equal(sent, content.length);
  assertBytes(received, content);
  assert.equal(await file.seek(0, Deno.SeekMode.Current), content.length);
});

Deno.test("Socket.sendfile(file, offset, count) sends that slice and leaves the position after it", async () => {
  await using temp = await tempPath("data.txt");
  await Deno.writeTextFile(temp.path, "0123456789");
  await using p = await pair();
  const [client, server] = p;
  using file = await Deno.open(temp.path);
  assert.equal(await client.sendfile(file, 2, 5), 5);
  assert.equal(await file.seek(0, Deno.SeekMode.Current), 7);
  assert.equal(text(await recvExactly(server, 5)), "23456");
  // Past the end: nothing to send.
  assert.equal(await client.sendfile(file, 10), 0);
});

Deno.test("Socket.sendfile() works in timeout mode", async () => {
  await using temp = await tempPath("data.bin");
  const content = randomBytes(200_000, 9);
  await Deno.writeFile(temp.path, content);
  await using p = await pair();
  const [client, server] = p;
  client.settimeout(10);
  using file = await Deno.open(temp.path);
  const [sent, received] = await Promise.all([
    client.sendfile(file, 1000).then(async (n) => {
      await client.shutdown(SHUT_WR);
      return n;
    }),
    recvAll(server),
  ]);
  assert.equal(sent, content.length - 1000);
  assertBytes(received, content.subarray(1000));
});

Deno.test("Socket.sendfile() in non-blocking mode raises RangeError, as Python's ValueError", async () => {
  await using temp = await tempPath("f");
  await Deno.writeTextFile(temp.path, "x");
  await using p = await pair();
  p[0].setblocking(false);
  using file = await Deno.open(temp.path);
  await fails(() => p[0].sendfile(file), RangeError, {
    message: "non-blocking sockets are not supported",
  });
});

Deno.test("Socket.sendfile() on an unconnected socket raises BrokenPipeError", async () => {
  await using temp = await tempPath("f");
  await Deno.writeTextFile(temp.path, "x");
  await using s = socket.socket();
  using file = await Deno.open(temp.path);
  await rejects(s.sendfile(file), socket.BrokenPipeError, EPIPE);
});

// ---------------------------------------------------------------- shutdown

for (const { name, family } of FAMILIES) {
  Deno.test(`Socket.shutdown(SHUT_WR) half-closes: the peer sees EOF and can still send back (${name})`, async () => {
    await using p = await pair(family);
    const [client, server] = p;
    await client.sendall("request");
    await client.shutdown(SHUT_WR);
    assert.equal(text(await recvAll(server)), "request");
    await server.sendall("response");
    await server.shutdown(SHUT_WR);
    assert.equal(text(await recvAll(client)), "response");
  });
}

Deno.test("Socket.shutdown(SHUT_WR) sends FIN only after data that send() queued", async () => {
  await using p = await pair();
  const [client, server] = p;
  client.settimeout(10); // timeout mode: send() queues a copy
  const payload = randomBytes(3 * 1024 * 1024, 5);
  let offset = 0;
  while (offset < payload.length) offset += await client.send(payload.subarray(offset));
  const received = recvAll(server);
  await client.shutdown(SHUT_WR);
  assertBytes(await received, payload);
});

Deno.test("Socket.shutdown(SHUT_RD) makes recv() return b'' at once; sending still works", async () => {
  await using p = await pair();
  const [client, server] = p;
  await server.shutdown(SHUT_RD);
  assert.equal((await server.recv(10)).length, 0);
  await server.sendall("still");
  assert.equal(text(await recvExactly(client, 5)), "still");
});

Deno.test("Socket.shutdown(SHUT_RDWR) ends both directions", async () => {
  await using p = await pair();
  const [client, server] = p;
  await client.shutdown(SHUT_RDWR);
  assert.equal((await client.recv(10)).length, 0);
  await rejects(client.send("x"), socket.BrokenPipeError, EPIPE);
  assert.equal((await server.recv(10)).length, 0);
});

Deno.test("Socket.shutdown() raises ENOTCONN when not connected, EINVAL for a bad how", async () => {
  await using s = socket.socket();
  await rejects(s.shutdown(SHUT_WR), socket.OSError, ENOTCONN);
  await fails(() => s.shutdown(5), socket.OSError, EINVAL);
  await using p = await pair();
  await fails(() => p[0].shutdown(3), socket.OSError, EINVAL);
});

// ------------------------------------------------------------------- close

Deno.test("Socket.close() is idempotent, makes fileno() -1, and later calls raise EBADF", async () => {
  await using p = await pair();
  const s = p[0];
  await s.close();
  await s.close();
  assert.equal(s.fileno(), -1);
  const calls: [string, () => unknown][] = [
    ["recv", () => s.recv(1)],
    ["recv_into", () => s.recv_into(new Uint8Array(1))],
    ["send", () => s.send("x")],
    ["sendall", () => s.sendall("x")],
    ["shutdown", () => s.shutdown(SHUT_WR)],
    ["bind", () => s.bind(["127.0.0.1", 0])],
    ["listen", () => s.listen()],
    ["accept", () => s.accept()],
    ["connect", () => s.connect(p.listener.address)],
    ["getsockname", () => s.getsockname()],
    ["getpeername", () => s.getpeername()],
    ["getsockopt", () => s.getsockopt(SOL_SOCKET, SO_TYPE)],
    ["setsockopt", () => s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)],
  ];
  for (const [name, call] of calls) {
    await fails(call, socket.OSError, EBADF).catch((e) => {
      e.message = `${name}(): ${e.message}`;
      throw e;
    });
  }
});

Deno.test("Socket.close() still delivers the data send() accepted", async () => {
  for (const timeout of [null, 10]) {
    await using p = await pair();
    const [client, server] = p;
    client.settimeout(timeout);
    const payload = randomBytes(2 * 1024 * 1024, 11);
    let offset = 0;
    while (offset < payload.length) offset += await client.send(payload.subarray(offset));
    const received = recvAll(server);
    await client.close();
    assertBytes(await received, payload, `timeout ${timeout}`);
  }
});

Deno.test("Socket.close() rejects a pending accept() with EBADF", async () => {
  await using server = await listener(AF_INET);
  const pending = rejects(server.sock.accept(), socket.OSError, EBADF);
  await server.sock.close();
  await pending;
});

Deno.test("Socket.close() of a listener refuses later connections", async () => {
  const server = await listener(AF_INET);
  await server[Symbol.asyncDispose]();
  await using c = socket.socket();
  await rejects(c.connect(server.address), socket.ConnectionRefusedError, ECONNREFUSED);
});

Deno.test("Socket.close() of one end gives the other b''", async () => {
  for (const { family } of FAMILIES) {
    await using p = await pair(family);
    await p[1].close();
    assert.equal((await p[0].recv(10)).length, 0);
  }
});

// -------------------------------------------------- getsockname / getpeername

for (const { name, family } of FAMILIES) {
  Deno.test(`Socket.getpeername() on an unconnected socket raises ENOTCONN (${name})`, async () => {
    await using s = socket.socket(family);
    throws(() => s.getpeername(), socket.OSError, ENOTCONN);
    await using server = await listener(family);
    throws(() => server.sock.getpeername(), socket.OSError, ENOTCONN);
  });
}

// ------------------------------------------------------------------- modes

Deno.test("Socket.setblocking(), getblocking(), settimeout(), gettimeout() and timeout agree", async () => {
  await using s = socket.socket();
  const table: [() => void, number | null, boolean][] = [
    [() => s.settimeout(1.5), 1.5, true],
    [() => s.setblocking(false), 0, false],
    [() => s.setblocking(true), null, true],
    [() => s.settimeout(0), 0, false],
    [() => s.settimeout(null), null, true],
    [() => s.settimeout(0.001), 0.001, true],
  ];
  for (const [set, timeout, blocking] of table) {
    set();
    assert.equal(s.gettimeout(), timeout);
    assert.equal(s.timeout, timeout);
    assert.equal(s.getblocking(), blocking);
  }
});

Deno.test("Socket.settimeout() refuses negative and NaN values with RangeError", async () => {
  await using s = socket.socket();
  s.settimeout(2);
  throws(() => s.settimeout(-1), RangeError, { message: "Timeout value out of range" });
  throws(() => s.settimeout(NaN), RangeError, { message: "Invalid value NaN (not a number)" });
  assert.equal(s.gettimeout(), 2, "unchanged");
});

Deno.test("Socket.settimeout() between calls changes the mode of the next call only", async () => {
  await using p = await pair();
  const [client, server] = p;
  server.settimeout(0.05);
  await timesOut(server.recv(1), 0.05);
  server.settimeout(null);
  const pending = server.recv(1);
  server.settimeout(0); // the pending call stays blocking
  await client.sendall("z");
  assert.equal(text(await pending), "z");
});

// ----------------------------------------------------------------- options

Deno.test("Socket.getsockopt(SO_REUSEADDR) reads 0 until set, then 1", async () => {
  await using s = socket.socket();
  assert.equal(s.getsockopt(SOL_SOCKET, SO_REUSEADDR), 0);
  s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 5);
  assert.equal(s.getsockopt(SOL_SOCKET, SO_REUSEADDR), 1);
  s.bind(["127.0.0.1", 0]);
  s.listen();
  assert.equal(s.getsockopt(SOL_SOCKET, SO_REUSEADDR), 1);
  s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 0);
  assert.equal(s.getsockopt(SOL_SOCKET, SO_REUSEADDR), 0);
  await using fresh = await listener(AF_INET);
  assert.equal(fresh.sock.getsockopt(SOL_SOCKET, SO_REUSEADDR), 0, "a listener reads 0 too");
});

Deno.test("Socket.setsockopt(SO_RCVBUF / SO_SNDBUF) reads back as Linux reports it (python3 oracle)", async () => {
  const values = [0, 1, 1000, 4096, 65536, 10_000_000, -5];
  const oracle = await pythonJSON<{ fresh: number[]; set: number[][] }>(`
import json, socket
S = socket.SOL_SOCKET
s = socket.socket()
fresh = [s.getsockopt(S, socket.SO_RCVBUF), s.getsockopt(S, socket.SO_SNDBUF)]
out = []
for v in ${JSON.stringify(values)}:
    t = socket.socket()
    t.setsockopt(S, socket.SO_RCVBUF, v); t.setsockopt(S, socket.SO_SNDBUF, v)
    out.append([t.getsockopt(S, socket.SO_RCVBUF), t.getsockopt(S, socket.SO_SNDBUF)])
    t.close()
print(json.dumps({"fresh": fresh, "set": out}))
`);
  await using s = socket.socket();
  assert.deepEqual(
    [s.getsockopt(SOL_SOCKET, SO_RCVBUF), s.getsockopt(SOL_SOCKET, SO_SNDBUF)],
    oracle.fresh,
  );
  const got: number[][] = [];
  for (const v of values) {
    await using t = socket.socket();
    t.setsockopt(SOL_SOCKET, SO_RCVBUF, v);
    t.setsockopt(SOL_SOCKET, SO_SNDBUF, v);
    got.push([
      t.getsockopt(SOL_SOCKET, SO_RCVBUF) as number,
      t.getsockopt(SOL_SOCKET, SO_SNDBUF) as number,
    ]);
  }
  assert.deepEqual(got, oracle.set);
});

Deno.test("Socket.getsockopt(SO_TYPE) is SOCK_STREAM and SO_ERROR is 0, with buflen as bytes", async () => {
  for (const { family } of FAMILIES) {
    await using s = socket.socket(family);
    assert.equal(s.getsockopt(SOL_SOCKET, SO_TYPE), SOCK_STREAM);
    assert.equal(s.getsockopt(SOL_SOCKET, SO_ERROR), 0);
    assert.deepEqual(s.getsockopt(SOL_SOCKET, SO_TYPE, 4), new Uint8Array([1, 0, 0, 0]));
  }
});

Deno.test("Socket.setsockopt(TCP_NODELAY) reads 0, then 1 once set, before and after connecting", async () => {
  await using server = await listener(AF_INET);
  await using c = socket.socket();
  assert.equal(c.getsockopt(IPPROTO_TCP, TCP_NODELAY), 0);
  c.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  await c.connect(server.address);
  assert.equal(c.getsockopt(IPPROTO_TCP, TCP_NODELAY), 1);
  const [conn] = await server.sock.accept();
  await using _conn = conn;
  conn.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  assert.equal(conn.getsockopt(IPPROTO_TCP, TCP_NODELAY), 1);
  conn.setsockopt(IPPROTO_TCP, TCP_NODELAY, 0);
  assert.equal(conn.getsockopt(IPPROTO_TCP, TCP_NODELAY), 0);
  await c.sendall("still works");
  assert.equal(text(await recvExactly(conn, 11)), "still works");
});

Deno.test("Socket.getsockopt(TCP_NODELAY) on AF_UNIX raises EOPNOTSUPP, as Linux", async () => {
  await using s = socket.socket(AF_UNIX);
  throws(() => s.getsockopt(IPPROTO_TCP, TCP_NODELAY), socket.OSError, {
    errno: socket.EOPNOTSUPP,
    message: "[Errno 95] Operation not supported",
  });
});

Deno.test("Socket.setsockopt(SO_KEEPALIVE) reads back, on a fresh and a connected socket", async () => {
  await using p = await pair();
  const [client] = p;
  assert.equal(client.getsockopt(SOL_SOCKET, SO_KEEPALIVE), 0);
  client.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1);
  assert.equal(client.getsockopt(SOL_SOCKET, SO_KEEPALIVE), 1);
});

Deno.test("Socket.setsockopt(IPV6_V6ONLY) reads back on AF_INET6 and refuses IPv4 peers", async () => {
  await using s = socket.socket(AF_INET6);
  assert.equal(s.getsockopt(IPPROTO_IPV6, IPV6_V6ONLY), 0);
  s.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
  assert.equal(s.getsockopt(IPPROTO_IPV6, IPV6_V6ONLY), 1);
  await using v4 = socket.socket();
  // Linux: reading an IPv6 option of an IPv4 socket is EOPNOTSUPP (python3: errno 95).
  throws(() => v4.getsockopt(IPPROTO_IPV6, IPV6_V6ONLY), socket.OSError, {
    errno: socket.EOPNOTSUPP,
  });
});

Deno.test("Socket.setsockopt() and getsockopt() raise ENOPROTOOPT for an unknown option", async () => {
  await using s = socket.socket();
  throws(() => s.getsockopt(SOL_SOCKET, 9999), socket.OSError, ENOPROTOOPT);
  throws(() => s.setsockopt(SOL_SOCKET, 9999, 1), socket.OSError, ENOPROTOOPT);
  // An option Deno cannot apply is refused too, naming it (tests/options_test.ts has the rest).
  throws(() => s.setsockopt(IPPROTO_TCP, socket.TCP_KEEPINTVL, 10), socket.OSError, {
    errno: socket.ENOPROTOOPT,
    message: "[Errno 92] Protocol not available: TCP_KEEPINTVL cannot be set in Deno",
  });
});

Deno.test("Socket.setsockopt(SO_RCVBUF) before connecting bounds what the socket buffers", async () => {
  await using server = await listener(AF_INET);
  await using c = socket.socket();
  c.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096);
  const limit = c.getsockopt(SOL_SOCKET, SO_RCVBUF) as number;
  await c.connect(server.address);
  assert.equal(c.getsockopt(SOL_SOCKET, SO_RCVBUF), limit);
  const [conn] = await server.sock.accept();
  await using _conn = conn;
  conn.settimeout(10);
  const sending = conn.sendall(new Uint8Array(limit * 8));
  const peeked = await c.recv(limit, MSG_PEEK | MSG_WAITALL);
  assert.equal(peeked.length, limit);
  assert.ok((await c.recv(limit * 8, MSG_PEEK)).length <= limit);
  await recvExactly(c, limit * 8);
  await sending;
});

// ---------------------------------------------------------------- dispose

Deno.test("Socket[Symbol.asyncDispose]() closes the socket (await using)", async () => {
  let outer: socket.Socket;
  {
    await using s = socket.socket();
    outer = s;
    assert.ok(s.fileno() >= 0);
  }
  assert.equal(outer.fileno(), -1);
  await rejects(outer.recv(1), socket.OSError, EBADF);
});

Deno.test("Socket[Symbol.dispose]() starts closing; queued data still reaches the peer (using)", async () => {
  await using server = await listener(AF_INET);
  const c = socket.socket();
  await c.connect(server.address);
  const [conn] = await server.sock.accept();
  await using _conn = conn;
  const payload = randomBytes(1024 * 1024, 13);
  {
    using s = c;
    s.settimeout(10);
    let offset = 0;
    while (offset < payload.length) offset += await s.send(payload.subarray(offset));
  }
  assert.equal(c.fileno(), -1);
  assertBytes(await recvAll(conn), payload);
  await c.close(); // the close that dispose started: settles
});
