// Copyright 2025 the pysocket authors. MIT license.
// DESIGN.md's guarantees, tested across modes:
// 1. nothing is lost when a call times out or would block (randomized);
// 2. concurrent calls are served in call order, sendall() calls never
//    interleave;
// 3. backpressure: a socket holds at most SO_RCVBUF unread, and a
//    non-blocking send() accepts at most SO_SNDBUF.

import assert from "node:assert/strict";
import * as socket from "../mod.ts";
import {
  assertBytes,
  concat,
  FAMILIES,
  listener,
  pair,
  prng,
  randomBytes,
  recvAll,
  recvExactly,
  tick,
  timesOut,
  wouldBlock,
} from "./_utils.ts";

const { SOL_SOCKET, SO_RCVBUF, SO_SNDBUF, MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, SHUT_WR } = socket;

const SEEDS = 50;

/** A reader call gave up (timeout or would-block): what it returns instead of bytes. */
const GAVE_UP = null;

/** What a reader call tells the test: bytes it consumed, or that it gave up. */
type Outcome = Uint8Array | typeof GAVE_UP;

function isGiveUp(e: unknown): boolean {
  return e instanceof socket.TimeoutError || e instanceof socket.BlockingIOError;
}

/** Counts how often calls gave up, so the test can check it exercised that path. */
interface Stats {
  timeouts: number;
  wouldBlock: number;
  served: number;
}

/** One random receive call (recv, recv_into, MSG_WAITALL, MSG_DONTWAIT) on `sock`. */
function randomRead(sock: socket.Socket, rand: () => number, stats: Stats): Promise<Outcome> {
  const kind = Math.floor(rand() * 5);
  const size = 1 + Math.floor(rand() * 3000);
  let call: Promise<Uint8Array>;
  switch (kind) {
    case 0:
    case 1:
      call = sock.recv(size);
      break;
    case 2: {
      const buffer = new Uint8Array(size + 16);
      const nbytes = rand() < 0.5 ? 0 : size;
      const view = buffer.subarray(8, 8 + size);
      call = sock.recv_into(view, nbytes).then((n) => view.slice(0, n));
      break;
    }
    case 3:
      // Small, so that it can be satisfied; a timed-out WAITALL takes nothing.
      call = sock.recv(1 + Math.floor(rand() * 64), MSG_WAITALL);
      break;
    default:
      call = sock.recv(size, MSG_DONTWAIT);
  }
  return call.then(
    (data) => {
      stats.served++;
      return data.slice();
    },
    (e) => {
      if (!isGiveUp(e)) throw e;
      if (e instanceof socket.TimeoutError) stats.timeouts++;
      else stats.wouldBlock++;
      return GAVE_UP;
    },
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

Deno.test("Socket.recv() and recv_into() that time out or would block lose nothing (randomized, 50 seeds)", async () => {
  const stats: Stats = { timeouts: 0, wouldBlock: 0, served: 0 };
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rand = prng(seed);
    const { family, name } = FAMILIES[seed % FAMILIES.length];
    await using p = await pair(family);
    const [client, server] = p;
    const sent: Uint8Array[] = [];
    const received: Outcome[] = [];
    let serial = 0;
    const write = async () => {
      const chunk = randomBytes(1 + Math.floor(rand() * 4000), seed * 1000 + serial++);
      sent.push(chunk);
      await client.sendall(chunk);
    };
    const timeout = () => 0.001 + rand() * 0.008;
    for (let step = 0; step < 30; step++) {
      const r = rand();
      if (r < 0.2) {
        await write();
      } else if (r < 0.4) {
        // A call gives up, then the data comes: the next call must get it.
        // (Taking what is there first makes the call likely to give up.)
        server.setblocking(false);
        while (true) {
          const outcome = await randomRead(server, rand, stats);
          if (outcome === GAVE_UP) break;
          received.push(outcome);
        }
        server.settimeout(timeout());
        received.push(await randomRead(server, rand, stats));
        await write();
      } else if (r < 0.6) {
        // The data races the deadline: either the call gets it or the next one does.
        const t = timeout();
        server.settimeout(t);
        const call = randomRead(server, rand, stats);
        const [outcome] = await Promise.all([call, delay(rand() * 2 * t * 1000).then(write)]);
        received.push(outcome);
      } else if (r < 0.75) {
        // Several calls wait at once, each with its own deadline; served in call order.
        const calls: Promise<Outcome>[] = [];
        const n = 2 + Math.floor(rand() * 3);
        for (let i = 0; i < n; i++) {
          server.settimeout(timeout());
          calls.push(randomRead(server, rand, stats));
        }
        const writing = rand() < 0.7 ? delay(rand() * 6).then(write) : Promise.resolve();
        const [outcomes] = await Promise.all([Promise.all(calls), writing]);
        received.push(...outcomes);
      } else if (r < 0.9) {
        // Non-blocking: at once, or BlockingIOError.
        server.setblocking(false);
        received.push(await randomRead(server, rand, stats));
        if (rand() < 0.5) await write();
      } else {
        // A peek consumes nothing: whatever it sees is what comes next.
        server.settimeout(timeout());
        try {
          await server.recv(1 + Math.floor(rand() * 100), MSG_PEEK);
        } catch (e) {
          if (!isGiveUp(e)) throw e;
        }
      }
    }
    await client.shutdown(SHUT_WR);
    server.settimeout(null);
    const rest = await recvAll(server, 1 + Math.floor(rand() * 5000));
    const got = concat([...received.filter((o): o is Uint8Array => o !== GAVE_UP), rest]);
    assertBytes(got, concat(sent), `seed ${seed} (${name})`);
  }
  // The test is only worth something if calls did give up with data arriving later.
  // (About 65 with would-block answered in one immediate turn; over 100 when it took a timer turn.)
  assert.ok(stats.timeouts > 50, `only ${stats.timeouts} timeouts`);
  assert.ok(stats.wouldBlock > 20, `only ${stats.wouldBlock} would-blocks`);
});

Deno.test("Socket.accept() that times out or would block loses no connection (randomized, 50 seeds)", async () => {
  let gaveUp = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rand = prng(seed + 7777);
    const { family, name } = FAMILIES[seed % FAMILIES.length];
    await using server = await listener(family);
    const clients: socket.Socket[] = [];
    const accepted: socket.Socket[] = [];
    const order: number[] = [];
    try {
      // Connections are made one after the other, each announcing its number.
      const connect = async () => {
        const c = socket.socket(family);
        clients.push(c);
        await c.connect(server.address);
        await c.sendall(new Uint32Array([clients.length - 1]));
      };
      const accept = async (): Promise<void> => {
        try {
          const [conn] = await server.sock.accept();
          accepted.push(conn);
          order.push(new Uint32Array((await recvExactly(conn, 4)).slice().buffer)[0]);
        } catch (e) {
          if (!isGiveUp(e)) throw e;
          gaveUp++;
        }
      };
      const timeout = () => 0.001 + rand() * 0.008;
      for (let step = 0; step < 16; step++) {
        const r = rand();
        if (r < 0.2) {
          await connect();
        } else if (r < 0.45) {
          server.sock.settimeout(timeout());
          await accept();
          await connect();
        } else if (r < 0.7) {
          const t = timeout();
          server.sock.settimeout(t);
          await Promise.all([accept(), delay(rand() * 2 * t * 1000).then(connect)]);
        } else if (r < 0.85) {
          const calls: Promise<void>[] = [];
          for (let i = 0; i < 2 + Math.floor(rand() * 2); i++) {
            server.sock.settimeout(timeout());
            calls.push(accept());
          }
          await Promise.all([...calls, delay(rand() * 6).then(connect)]);
        } else {
          server.sock.setblocking(false);
          await accept();
        }
      }
      server.sock.settimeout(null);
      while (accepted.length < clients.length) await accept();
      assert.deepEqual(order, clients.map((_, i) => i), `seed ${seed} (${name})`);
    } finally {
      await Promise.all([...clients, ...accepted].map((s) => s.close()));
    }
  }
  assert.ok(gaveUp > 100, `only ${gaveUp} accept() calls gave up`);
});

Deno.test("Socket.recv() calls waiting at once are served in call order", async () => {
  for (const { family } of FAMILIES) {
    await using p = await pair(family);
    const [client, server] = p;
    const sizes = Array.from({ length: 40 }, (_, i) => 1 + ((i * 37) % 200));
    const calls = sizes.map((n, i) =>
      i % 2 === 0 ? server.recv(n, MSG_WAITALL) : (() => {
        const buffer = new Uint8Array(n);
        return server.recv_into(buffer, 0, MSG_WAITALL).then((count) => buffer.subarray(0, count));
      })()
    );
    const payload = randomBytes(sizes.reduce((a, b) => a + b, 0), 99);
    // Sent in odd pieces, so calls are served across reads.
    for (let at = 0; at < payload.length; at += 333) {
      await client.sendall(payload.subarray(at, at + 333));
    }
    const results = await Promise.all(calls);
    let at = 0;
    for (let i = 0; i < sizes.length; i++) {
      assertBytes(results[i], payload.subarray(at, at + sizes[i]), `call ${i}`);
      at += sizes[i];
    }
  }
});

Deno.test("Socket.recv() calls that time out while later calls wait leave the order intact", async () => {
  await using p = await pair();
  const [client, server] = p;
  server.settimeout(0.02);
  const early = server.recv(10, MSG_WAITALL); // gives up first
  server.settimeout(5);
  const later = server.recv(10, MSG_WAITALL);
  const last = server.recv(5, MSG_WAITALL);
  await timesOut(early, 0.02);
  await client.sendall("0123456789abcde");
  assert.equal(new TextDecoder().decode(await later), "0123456789");
  assert.equal(new TextDecoder().decode(await last), "abcde");
});

/**
 * Checks `stream` is made of whole messages written by `message(id)`, each
 * in one piece: no two sendall() calls interleaved. Returns the ids in order.
 */
function parseMessages(stream: Uint8Array): number[] {
  const ids: number[] = [];
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  let at = 0;
  while (at < stream.length) {
    assert.ok(at + 8 <= stream.length, `truncated header at ${at}`);
    const id = view.getUint32(at);
    const length = view.getUint32(at + 4);
    assert.ok(at + 8 + length <= stream.length, `message ${id} truncated`);
    const fill = id & 0xff;
    for (let i = at + 8; i < at + 8 + length; i++) {
      if (stream[i] !== fill) {
        assert.fail(`message ${id} interleaved at byte ${i - at - 8} of ${length}`);
      }
    }
    ids.push(id);
    at += 8 + length;
  }
  return ids;
}

function message(id: number, length: number): Uint8Array {
  const bytes = new Uint8Array(8 + length).fill(id & 0xff);
  new DataView(bytes.buffer).setUint32(0, id);
  new DataView(bytes.buffer).setUint32(4, length);
  return bytes;
}

for (const timeout of [null, 30]) {
  const mode = timeout === null ? "blocking" : "timeout";
  Deno.test(`Socket.sendall() calls made at once never interleave, 2 × 6 MiB (${mode} mode)`, async () => {
    await using p = await pair();
    const [client, server] = p;
    client.settimeout(timeout);
    const a = message(1, 6 * 1024 * 1024);
    const b = message(2, 6 * 1024 * 1024);
    const [, stream] = await Promise.all([
      Promise.all([client.sendall(a), client.sendall(b)]).then(() => client.shutdown(SHUT_WR)),
      recvAll(server),
    ]);
    assert.deepEqual(parseMessages(stream), [1, 2]);
  });

  Deno.test(`Socket.sendall() calls started while others are under way never interleave (${mode} mode)`, async () => {
    // New sendall() calls start from the reader's callbacks, at random moments
    // relative to the writes of the calls under way.
    await using p = await pair();
    const [client, server] = p;
    client.settimeout(timeout);
    client.setsockopt(SOL_SOCKET, SO_SNDBUF, 8192);
    server.setsockopt(SOL_SOCKET, SO_RCVBUF, 8192);
    const rand = prng(timeout ?? 1);
    const sends: Promise<void>[] = [];
    let next = 0;
    let issued = 0;
    let got = 0;
    const start = () => {
      const bytes = message(next++, 1 + Math.floor(rand() * 200_000));
      issued += bytes.length;
      sends.push(client.sendall(bytes));
    };
    const parts: Uint8Array[] = [];
    const read = async () => {
      const data = await server.recv(1 + Math.floor(rand() * 40_000));
      assert.ok(data.length > 0);
      got += data.length;
      parts.push(data.slice());
    };
    while (next < 150) {
      if (got === issued) start();
      await read();
      if (rand() < 0.3) start();
    }
    while (got < issued) await read();
    await Promise.all(sends);
    assert.deepEqual(parseMessages(concat(parts)), Array.from({ length: 150 }, (_, i) => i));
  });
}

Deno.test("Socket.sendall() calls made in different modes never interleave", async () => {
  await using p = await pair();
  const [client, server] = p;
  client.setsockopt(SOL_SOCKET, SO_SNDBUF, 8192);
  const sends: Promise<void>[] = [];
  const modes = [30, null, 30, null, 30, null];
  for (let id = 0; id < modes.length; id++) {
    client.settimeout(modes[id]);
    sends.push(client.sendall(message(id, 1024 * 1024 + id)));
  }
  const [, stream] = await Promise.all([
    Promise.all(sends).then(() => client.shutdown(SHUT_WR)),
    recvAll(server),
  ]);
  assert.deepEqual(parseMessages(stream), [0, 1, 2, 3, 4, 5]);
});

Deno.test("Socket.sendall() in timeout mode times out against a reader that does not read; the reader holds at most SO_RCVBUF", async () => {
  await using p = await pair();
  const [client, server] = p;
  server.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096);
  const rcvbuf = server.getsockopt(SOL_SOCKET, SO_RCVBUF) as number;
  server.settimeout(30); // timeout mode reads ahead: as much as it may
  client.settimeout(0.5);
  const payload = randomBytes(64 * 1024 * 1024, 21);
  await timesOut(client.sendall(payload), 0.5);
  // The reader buffered no more than its SO_RCVBUF of what is waiting.
  assert.equal((await server.recv(rcvbuf, MSG_PEEK | MSG_WAITALL)).length, rcvbuf);
  const held = await server.recv(payload.length, MSG_PEEK | MSG_DONTWAIT);
  assert.ok(held.length <= rcvbuf, `holds ${held.length} > SO_RCVBUF ${rcvbuf}`);
  // What the sender accepted before timing out arrives, uncorrupted, then EOF.
  server.settimeout(null);
  const reading = recvAll(server);
  await client.close();
  const received = await reading;
  assert.ok(
    received.length > rcvbuf && received.length < payload.length,
    `received ${received.length}`,
  );
  assertBytes(received, payload.subarray(0, received.length));
});

Deno.test("Socket.send() in non-blocking mode accepts at most SO_SNDBUF, then BlockingIOError", async () => {
  await using p = await pair();
  const [client, server] = p;
  client.setsockopt(SOL_SOCKET, SO_SNDBUF, 8192);
  const sndbuf = client.getsockopt(SOL_SOCKET, SO_SNDBUF) as number;
  client.setblocking(false);
  const payload = randomBytes(1024 * 1024, 5);
  const first = client.send(payload);
  const second = client.send(payload);
  const n = await first;
  assert.ok(n > 0 && n <= sndbuf, `accepted ${n} > SO_SNDBUF ${sndbuf}`);
  await wouldBlock(second);
  await wouldBlock(client.sendall(payload));
  // Against a reader that does not read, sending stops: bounded, not buffered.
  const accepted = [n];
  let total = n;
  let refusals = 0;
  while (refusals < 50) {
    try {
      const m = await client.send(payload);
      assert.ok(m <= sndbuf);
      accepted.push(m);
      total += m;
      refusals = 0;
    } catch (e) {
      if (!(e instanceof socket.BlockingIOError)) throw e;
      refusals++;
      await tick(2);
    }
    assert.ok(
      total < 48 * 1024 * 1024,
      "send() kept accepting against a reader that does not read",
    );
  }
  // Everything accepted arrives in order: each send() took a prefix of `payload`.
  const received = await recvExactly(server, total);
  assertBytes(received, concat(accepted.map((m) => payload.subarray(0, m))));
});
