// Copyright 2025 the pysocket authors. MIT license.
// close() and shutdown() as Python's: they return at once, deliver every
// byte send() accepted, throw nothing away on SHUT_RD, leave no timer
// behind, keep a socket usable while a makefile() object is open, and a
// listener's accept loop survives clients that reset before accept().

import assert from "node:assert/strict";
import * as socket from "../mod.ts";
import {
  FAMILIES,
  listener,
  pair,
  randomBytes,
  recvAll,
  rejects,
  sha256,
  tempPath,
  text,
  throws,
  until,
  withPythonPeer,
} from "./_utils.ts";

const { SHUT_RD, SHUT_WR, EBADF } = socket;

/** Resolves `true` if `promise` settles within `ms`, `false` otherwise (and clears its timer). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms));
  try {
    return await Promise.race([promise.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Non-blocking send() of `chunk` until BlockingIOError; returns what was accepted, in order. */
async function fillNonBlocking(sock: socket.Socket, seed: number): Promise<Uint8Array[]> {
  sock.setblocking(false);
  const accepted: Uint8Array[] = [];
  for (let i = 0;; i++) {
    const chunk = randomBytes(65536, seed + i);
    try {
      const n = await sock.send(chunk);
      accepted.push(chunk.subarray(0, n));
    } catch (e) {
      if (e instanceof socket.BlockingIOError) return accepted;
      throw e;
    }
  }
}

for (const { name, family } of FAMILIES) {
  Deno.test(`Socket.close() returns at once and the peer still gets every byte send() accepted (${name})`, async () => {
    await using p = await pair(family);
    const [client, server] = p;
    const accepted = await fillNonBlocking(client, 1);
    const total = accepted.reduce((n, a) => n + a.length, 0);
    assert.ok(total > 0);
    // Python's close() does not wait for the peer to read.
    assert.ok(await settlesWithin(client.close(), 2000), "close() waited for the peer");
    const got = await recvAll(server);
    assert.equal(got.length, total);
    const expected = new Uint8Array(total);
    let at = 0;
    for (const a of accepted) {
      expected.set(a, at);
      at += a.length;
    }
    assert.equal(await sha256(got), await sha256(expected));
  });

  Deno.test(`Socket.shutdown(SHUT_WR) returns at once with bytes queued; FIN follows them (${name})`, async () => {
    await using p = await pair(family);
    const [client, server] = p;
    const accepted = await fillNonBlocking(client, 100);
    const total = accepted.reduce((n, a) => n + a.length, 0);
    client.setblocking(true);
    assert.ok(
      await settlesWithin(client.shutdown(SHUT_WR), 2000),
      "shutdown() waited for the peer",
    );
    // The half-closed client can still read the reply.
    const reply = (async () => {
      const got = await recvAll(server);
      await server.sendall(`got ${got.length}`);
      await server.shutdown(SHUT_WR);
    })();
    assert.equal(text(await recvAll(client)), `got ${total}`);
    await reply;
  });
}

Deno.test("Socket.close() of a blocking socket with a sendall() still writing returns at once", async () => {
  await using p = await pair();
  const [client, server] = p;
  const data = randomBytes(32 * 1024 * 1024, 7);
  const sending = client.sendall(data);
  const closed = client.close();
  assert.ok(await settlesWithin(closed, 2000), "close() waited for the peer");
  const got = await recvAll(server);
  await sending;
  assert.equal(got.length, data.length);
  assert.equal(await sha256(got), await sha256(data));
});

Deno.test("Socket.shutdown(SHUT_RD) throws nothing away: bytes received before and after are still read", async () => {
  await using p = await pair();
  const [client, server] = p;
  await client.sendall("before");
  await server.shutdown(SHUT_RD);
  assert.equal(text(await server.recv(100)), "before");
  // Nothing buffered: reads no longer wait (end of stream), as on Linux.
  assert.equal((await server.recv(100)).length, 0);
  await client.sendall("after");
  let late = "";
  await until(
    async () => (late += text(await server.recv(100))) === "after",
    "bytes sent after SHUT_RD",
  );
});

Deno.test("Socket.shutdown(SHUT_RD) matches python3: b'before' is still returned", async () => {
  await withPythonPeer(
    `
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1])
c, _ = s.accept()
c.sendall(b"before")
print("sent")
c.recv(1)
`,
    async (peer) => {
      await using k = socket.socket();
      await k.connect(["127.0.0.1", peer.port]);
      assert.equal(await peer.line(), "sent");
      await k.shutdown(SHUT_RD);
      assert.equal(text(await k.recv(100)), "before");
      await k.sendall("x");
    },
  );
});

Deno.test("Socket.close() during a timeout-mode sendall() waiting for room leaves no timer behind", async () => {
  await using p = await pair();
  const [client, server] = p;
  client.settimeout(5);
  const sending = client.sendall(new Uint8Array(64 * 1024 * 1024));
  // The peer drains a little, so the sendall() keeps waiting for room.
  let read = 0;
  while (read < 1024 * 1024) read += (await server.recv(65536)).length;
  await client.close();
  await rejects(sending, socket.OSError, { errno: EBADF });
  // The sanitizer checks that no timer or op outlives the test.
});

Deno.test("Socket stays usable after close() while a makefile() object is open (Python 3)", async () => {
  await using p = await pair();
  const [client, server] = p;
  const f = server.makefile("rb", { buffering: 0 });
  await server.close();
  assert.notEqual(server.fileno(), -1);
  await client.sendall("still here");
  assert.equal(text(await server.recv(1024)), "still here");
  await server.sendall("reply");
  assert.equal(text(await client.recv(1024)), "reply");
  await f.close();
  assert.equal(server.fileno(), -1);
  await rejects(server.recv(1), socket.OSError, { errno: EBADF });
});

Deno.test("Socket.accept() skips a client that reset before accept(); the loop goes on", async () => {
  await using server = await listener();
  const [host, port] = server.address as [string, number];
  const result = await withPythonPeer(
    `
import socket, struct
r = socket.socket()
r.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
r.connect((${JSON.stringify(host)}, ${port}))
r.close()  # RST before the server accepts
print("reset")
g = socket.socket(); g.connect((${JSON.stringify(host)}, ${port}))
g.sendall(b"good")
print(g.recv(10).decode())
`,
    async (peer) => {
      // Accept until the good client (Python returns the reset one too; Deno cannot).
      while (true) {
        const [conn] = await server.sock.accept();
        await using _conn = conn;
        let data: Uint8Array;
        try {
          data = await conn.recv(10);
        } catch (e) {
          if (e instanceof socket.ConnectionResetError) continue;
          throw e;
        }
        if (data.length === 0) continue;
        assert.equal(text(data), "good");
        await conn.sendall("ok");
        return await peer.line();
      }
    },
  );
  assert.equal(result, "ok");
});

Deno.test("Socket.close() of an AF_UNIX listener leaves the path alone (Python never unlinks)", async () => {
  await using temp = await tempPath();
  await using a = socket.socket(socket.AF_UNIX);
  a.bind(temp.path);
  a.listen();
  Deno.removeSync(temp.path);
  await using b = socket.socket(socket.AF_UNIX);
  b.bind(temp.path);
  b.listen();
  await a.close();
  assert.ok(Deno.lstatSync(temp.path).isSocket, "a.close() removed b's path");
  await using c = socket.socket(socket.AF_UNIX);
  await c.connect(temp.path);
  const [conn] = await b.accept();
  await conn.close();
  await b.close();
  assert.ok(Deno.lstatSync(temp.path).isSocket, "the path stays after close, as in Python");
});

Deno.test("Socket calls made before connect() settles wait for it (a forgotten await)", async () => {
  await using server = await listener();
  await using c = socket.socket();
  const connecting = c.connect(server.address);
  const sending = c.sendall("early");
  const [conn] = await server.sock.accept();
  await using _conn = conn;
  await connecting;
  await sending;
  assert.equal(text(await conn.recv(10)), "early");
});

Deno.test("Socket.detach() closes the object, not the socket; socket(…, fileno) takes it over (as ssl.wrap_socket)", async () => {
  await using p = await pair();
  const [client, server] = p;
  const fd = server.detach();
  assert.ok(fd >= 0);
  assert.equal(server.fileno(), -1);
  await rejects(server.recv(1), socket.OSError, { errno: EBADF });
  assert.equal(server.detach(), -1);
  await using taken = socket.socket(server.family, server.type, server.proto, fd);
  assert.equal(taken.fileno(), fd);
  assert.deepEqual(taken.getpeername(), client.getsockname());
  await client.sendall("over");
  assert.equal(text(await taken.recv(10)), "over");
  await taken.sendall("back");
  assert.equal(text(await client.recv(10)), "back");
  // A number nobody detached: EBADF; an open socket's: refused.
  throws(() => socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0, fd), socket.OSError, {
    errno: socket.EOPNOTSUPP,
  });
});
