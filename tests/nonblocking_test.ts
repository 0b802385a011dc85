// Copyright 2025 the pysocket authors. MIT license.
// Non-blocking calls that would block answer at once (after one cheap turn
// of the event loop, so a retry loop cannot starve Deno), yet see what this
// process has already sent over loopback, as Python sees the kernel's
// buffer; and a retry loop against another process always gets its bytes.

import assert from "node:assert/strict";
import * as socket from "../mod.ts";
import { FAMILIES, listener, pair, text, withPythonPeer, wouldBlock } from "./_utils.ts";

const { AF_INET, AF_INET6, SOCK_DGRAM, MSG_DONTWAIT } = socket;

for (const { name, family } of FAMILIES.filter((f) => f.family !== socket.AF_UNIX)) {
  Deno.test(`Socket.recv() in non-blocking mode gets bytes this process sent just before (${name})`, async () => {
    for (let i = 0; i < 50; i++) {
      await using p = await pair(family);
      const [client, server] = p;
      server.setblocking(false);
      await wouldBlock(server.recv(10));
      await client.sendall(`x${i}`);
      // Python: loopback bytes are in the kernel once sendall() returns.
      assert.equal(text(await server.recv(10)), `x${i}`);
      await wouldBlock(server.recv(10));
      await client.sendall("y");
      assert.equal(text(await server.recv(10, MSG_DONTWAIT)), "y");
    }
  });

  Deno.test(`Socket.accept() in non-blocking mode takes a connection this process just made (${name})`, async () => {
    for (let i = 0; i < 50; i++) {
      await using server = await listener(family);
      server.sock.setblocking(false);
      await wouldBlock(server.sock.accept());
      await using c = socket.socket(family);
      await c.connect(server.address);
      const [conn] = await server.sock.accept();
      await conn.close();
    }
  });
}

for (const family of [AF_INET, AF_INET6]) {
  Deno.test(`Socket.recvfrom() in non-blocking mode gets a datagram this process sent just before (${family === AF_INET ? "IPv4" : "IPv6"})`, async () => {
    const host = family === AF_INET ? "127.0.0.1" : "::1";
    await using a = socket.socket(family, SOCK_DGRAM);
    await using b = socket.socket(family, SOCK_DGRAM);
    a.bind([host, 0]);
    a.setblocking(false);
    for (let i = 0; i < 50; i++) {
      await wouldBlock(a.recvfrom(10));
      await b.sendto(`d${i}`, a.getsockname());
      const [data] = await a.recvfrom(10);
      assert.equal(text(data), `d${i}`);
    }
  });
}

Deno.test("Socket.recv() would-block answers do not starve the event loop (10,000 in a row)", async () => {
  await using p = await pair();
  const [, server] = p;
  server.setblocking(false);
  let timerFired = false;
  const timer = setTimeout(() => timerFired = true, 1);
  let blocked = 0;
  for (let i = 0; i < 10000; i++) {
    try {
      await server.recv(10);
    } catch (e) {
      if (!(e instanceof socket.BlockingIOError)) throw e;
      blocked++;
    }
    if (timerFired) break;
  }
  clearTimeout(timer);
  // Each answer yields a turn: a timer set before the loop gets to run.
  assert.ok(timerFired, `a 1 ms timer never ran during ${blocked} would-block answers`);
});

Deno.test("Socket.recv() retry loop in non-blocking mode sees a python3 peer's bytes (never spins forever)", async () => {
  await withPythonPeer(
    `
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1])
c, _ = s.accept()
time.sleep(0.05)
c.sendall(b"hello")
c.recv(1)
`,
    async (peer) => {
      await using k = socket.socket();
      await k.connect(["127.0.0.1", peer.port]);
      k.setblocking(false);
      let tries = 0;
      let data: Uint8Array;
      while (true) {
        try {
          data = await k.recv(10);
          break;
        } catch (e) {
          if (!(e instanceof socket.BlockingIOError)) throw e;
          tries++;
        }
      }
      assert.equal(text(data), "hello");
      assert.ok(tries > 0);
      k.setblocking(true);
      await k.sendall("x");
    },
  );
});
