// Copyright 2025 the pysocket authors. MIT license.
// Load: a few hundred concurrent connections over IPv4, IPv6 and AF_UNIX,
// in blocking and timeout modes, each echoing megabytes through an echo
// server made of this module's sockets; every byte checksummed both ways,
// nothing lost, everything closed (the sanitizers check).

import assert from "node:assert/strict";
import * as socket from "../mod.ts";
import { FAMILIES, listener, randomBytes, type Server } from "./_utils.ts";

const CONNECTIONS = 300;
const PER_CONNECTION = 2 * 1024 * 1024;
const PATTERN = randomBytes(1024 * 1024 + 7, 2024);

/** FNV-1a over `data`, continuing from `hash`. */
function fnv(hash: number, data: Uint8Array): number {
  for (let i = 0; i < data.length; i++) hash = Math.imul(hash ^ data[i], 16777619);
  return hash >>> 0;
}
const FNV_START = 2166136261;

/** Echoes whatever `conn` receives until end of stream, then closes it. */
async function echo(conn: socket.Socket): Promise<number> {
  let total = 0;
  try {
    while (true) {
      const data = await conn.recv(65536);
      if (data.length === 0) break;
      total += data.length;
      await conn.sendall(data);
    }
  } finally {
    await conn.close();
  }
  return total;
}

/** Accepts `n` connections on `server`, echoing each; resolves the byte counts. */
async function serve(server: Server, n: number, timeout: number | null): Promise<number[]> {
  const echoes: Promise<number>[] = [];
  for (let i = 0; i < n; i++) {
    const [conn] = await server.sock.accept();
    conn.settimeout(i % 2 === 0 ? null : timeout);
    echoes.push(echo(conn));
  }
  return await Promise.all(echoes);
}

/** One client: sends PER_CONNECTION bytes in varied chunks, reads the echo; both checksummed. */
async function client(id: number, server: Server, family: number): Promise<void> {
  const s = socket.socket(family);
  try {
    s.settimeout(id % 3 === 0 ? 60 : null);
    await s.connect(server.address);
    const chunk = 1024 * (1 + (id % 64));
    const sending = (async () => {
      let hash = FNV_START;
      let offset = (id * 7919) % PATTERN.length;
      let sent = 0;
      while (sent < PER_CONNECTION) {
        const n = Math.min(chunk, PER_CONNECTION - sent, PATTERN.length - offset);
        const piece = PATTERN.subarray(offset, offset + n);
        hash = fnv(hash, piece);
        await s.sendall(piece);
        sent += n;
        offset = (offset + n) % PATTERN.length;
      }
      await s.shutdown(socket.SHUT_WR);
      return hash;
    })();
    const receiving = (async () => {
      let hash = FNV_START;
      let received = 0;
      while (true) {
        const data = await s.recv(65536);
        if (data.length === 0) break;
        hash = fnv(hash, data);
        received += data.length;
      }
      return { hash, received };
    })();
    const [sentHash, { hash, received }] = await Promise.all([sending, receiving]);
    assert.equal(received, PER_CONNECTION, `connection ${id}: bytes lost`);
    assert.equal(hash, sentHash, `connection ${id}: checksum`);
  } finally {
    await s.close();
  }
}

Deno.test(
  `Socket echoes ${
    PER_CONNECTION >> 20
  } MiB each way on ${CONNECTIONS} concurrent connections, checksummed`,
  async () => {
    const start = performance.now();
    const servers: Server[] = [];
    try {
      for (const { family } of FAMILIES) servers.push(await listener(family, 512));
      const perFamily = CONNECTIONS / FAMILIES.length;
      const serving = servers.map((server) => serve(server, perFamily, 60));
      const clients: Promise<void>[] = [];
      for (let i = 0; i < CONNECTIONS; i++) {
        const f = i % FAMILIES.length;
        clients.push(client(i, servers[f], FAMILIES[f].family));
      }
      const results = await Promise.allSettled(clients);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      assert.deepEqual(failed.map((r) => String(r.reason)).slice(0, 5), []);
      const echoed = (await Promise.all(serving)).flat();
      assert.equal(echoed.length, CONNECTIONS);
      assert.ok(echoed.every((n) => n === PER_CONNECTION), "the server received every byte");
    } finally {
      await Promise.all(servers.map((s) => s[Symbol.asyncDispose]()));
    }
    const seconds = (performance.now() - start) / 1000;
    const mib = (2 * CONNECTIONS * PER_CONNECTION) / (1 << 20);
    console.log(`${mib} MiB through the echo server in ${seconds.toFixed(1)} s`);
  },
);
