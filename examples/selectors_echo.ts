/**
 * An echo server on `selectors.DefaultSelector` and non-blocking sockets,
 * ported line by line from the example in Python's `selectors` docs, with
 * what a real one needs: partial sends (what `send()` did not take waits
 * for `EVENT_WRITE`), backpressure (a client whose echo piles up is not
 * read until it drains) and half-close (the echo is flushed before the
 * connection closes). Run it with
 * `deno run --allow-net examples/selectors_echo.ts [port]`.
 *
 * The Python it ports:
 *
 * ```python
 * sel = selectors.DefaultSelector()
 * def accept(sock, mask):
 *     conn, addr = sock.accept()
 *     conn.setblocking(False)
 *     sel.register(conn, selectors.EVENT_READ, Client(conn))
 * def service(client, mask):
 *     if mask & selectors.EVENT_READ:
 *         data = client.conn.recv(65536)
 *         ...
 * sock.setblocking(False)
 * sel.register(sock, selectors.EVENT_READ, None)
 * while True:
 *     for key, mask in sel.select():
 *         if key.data is None: accept(key.fileobj, mask)
 *         else: service(key.data, mask)
 * ```
 *
 * @module
 */

import * as socket from "../mod.ts";
import * as selectors from "../selectors.ts";

const { EVENT_READ, EVENT_WRITE } = selectors;
/** Stop reading a client whose unsent echo is beyond this. */
const HIGH_WATER = 256 * 1024;

/** What the server did. */
export interface EchoStats {
  /** Connections served to the end. */
  connections: number;
  /** Bytes echoed. */
  bytes: number;
  /** `send()` calls that took only part of what was offered. */
  partialSends: number;
}

class Client {
  conn: socket.Socket;
  pending: Uint8Array = new Uint8Array(0);
  eof = false;
  constructor(conn: socket.Socket) {
    this.conn = conn;
  }
}

/** How the server runs. */
export interface EchoOptions {
  /** Stop once this many connections have ended (default: never). */
  stopAfter?: number;
  /** `SO_SNDBUF` of each connection (default: the system's). */
  sndbuf?: number;
}

/**
 * Serves echo on the listening socket `sock` until `stopAfter` connections
 * have ended (forever by default).
 *
 * @param sock A listening socket (made non-blocking here).
 * @param options When to stop, and the connections' `SO_SNDBUF`.
 * @returns What was done.
 */
export async function echoServer(
  sock: socket.Socket,
  options: EchoOptions = {},
): Promise<EchoStats> {
  const stopAfter = options.stopAfter ?? Infinity;
  const stats: EchoStats = { connections: 0, bytes: 0, partialSends: 0 };
  using sel = new selectors.DefaultSelector();

  async function accept(sock: socket.Socket): Promise<void> {
    let conn: socket.Socket;
    try {
      [conn] = await sock.accept();
    } catch (e) {
      if (e instanceof socket.BlockingIOError) return;
      throw e;
    }
    conn.setblocking(false);
    if (options.sndbuf !== undefined) {
      conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, options.sndbuf);
    }
    sel.register(conn, EVENT_READ, new Client(conn));
  }

  async function service(client: Client, mask: number): Promise<void> {
    const { conn } = client;
    if (mask & EVENT_READ) {
      try {
        const data = await conn.recv(65536);
        if (data.length === 0) client.eof = true;
        else client.pending = append(client.pending, data);
      } catch (e) {
        if (!(e instanceof socket.BlockingIOError)) throw e;
      }
    }
    if (client.pending.length > 0) {
      try {
        const sent = await conn.send(client.pending);
        if (sent < client.pending.length) stats.partialSends++;
        stats.bytes += sent;
        client.pending = client.pending.subarray(sent);
      } catch (e) {
        if (!(e instanceof socket.BlockingIOError)) throw e;
      }
    }
    if (client.eof && client.pending.length === 0) {
      sel.unregister(conn);
      await conn.close();
      stats.connections++;
      return;
    }
    let events = client.pending.length > 0 ? EVENT_WRITE : 0;
    if (!client.eof && client.pending.length < HIGH_WATER) events |= EVENT_READ;
    sel.modify(conn, events, client);
  }

  sock.setblocking(false);
  sel.register(sock, EVENT_READ, null);
  try {
    while (stats.connections < stopAfter) {
      for (const [key, mask] of await sel.select()) {
        if (key.data === null) await accept(key.fileobj as socket.Socket);
        else await service(key.data as Client, mask);
      }
    }
  } finally {
    for (const key of sel.get_map()?.values() ?? []) {
      if (key.data !== null) await (key.fileobj as socket.Socket).close();
    }
  }
  return stats;
}

function append(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? 0);
  await using server = socket.socket();
  server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  server.bind(["127.0.0.1", port]);
  server.listen(1024);
  console.log(`echo: listening on port ${(server.getsockname() as [string, number])[1]}`);
  await echoServer(server);
}
