/**
 * A TCP port forwarder on one `select.select()` loop: each accepted client
 * is connected (non-blocking connect, finished when the socket becomes
 * writable and `SO_ERROR` says 0) to the target, and bytes move both ways
 * through bounded buffers with non-blocking `recv` / `send`. An end of
 * stream on one side is passed on (`shutdown(SHUT_WR)`) once its buffer is
 * flushed, so half-closed protocols work. Run it with
 * `deno run --allow-net examples/port_forwarder.ts <listen port> <target host> <target port>`.
 *
 * The Python it ports:
 *
 * ```python
 * while True:
 *     r, w, _ = select.select(readers, writers, [])
 *     for s in r:
 *         if s is listener: accept_and_connect()
 *         else: pump_in(s)
 *     for s in w:
 *         if connecting(s): finish_connect(s)
 *         else: pump_out(s)
 * ```
 *
 * @module
 */

import * as socket from "../mod.ts";
import * as select from "../select.ts";

/** Most bytes buffered per direction before reading that side stops. */
const BUFFER = 256 * 1024;

/** One direction of a forwarded connection. */
class Pipe {
  buffer: Uint8Array = new Uint8Array(0);
  /** The source sent its end of stream. */
  eof = false;
  /** The end of stream was passed on. */
  shut = false;
  constructor(readonly from: socket.Socket, readonly to: socket.Socket) {}
  get done(): boolean {
    return this.shut;
  }
}

interface Link {
  client: socket.Socket;
  upstream: socket.Socket;
  connecting: boolean;
  up: Pipe;
  down: Pipe;
}

/** What the forwarder did. */
export interface ForwardStats {
  /** Connections forwarded to the end. */
  connections: number;
  /** Bytes moved, both directions. */
  bytes: number;
}

/**
 * Forwards connections accepted on `listener` to `target` until
 * `stopAfter` of them have ended (forever by default).
 *
 * @param listener A listening socket.
 * @param target Where to connect.
 * @param stopAfter How many connections to forward.
 * @returns What was done.
 */
export async function forward(
  listener: socket.Socket,
  target: [string, number],
  stopAfter = Infinity,
): Promise<ForwardStats> {
  const stats: ForwardStats = { connections: 0, bytes: 0 };
  const links = new Set<Link>();
  const linkOf = new Map<socket.Socket, Link>();
  listener.setblocking(false);

  async function pumpIn(pipe: Pipe): Promise<void> {
    try {
      const data = await pipe.from.recv(65536);
      if (data.length === 0) pipe.eof = true;
      else pipe.buffer = append(pipe.buffer, data);
    } catch (e) {
      if (!(e instanceof socket.BlockingIOError)) throw e;
    }
  }

  async function pumpOut(pipe: Pipe): Promise<void> {
    if (pipe.buffer.length > 0) {
      try {
        const sent = await pipe.to.send(pipe.buffer);
        stats.bytes += sent;
        pipe.buffer = pipe.buffer.subarray(sent);
      } catch (e) {
        if (!(e instanceof socket.BlockingIOError)) throw e;
      }
    }
    if (pipe.eof && pipe.buffer.length === 0 && !pipe.shut) {
      await pipe.to.shutdown(socket.SHUT_WR);
      pipe.shut = true;
    }
  }

  try {
    while (stats.connections < stopAfter) {
      const readers: socket.Socket[] = [listener];
      const writers: socket.Socket[] = [];
      for (const link of links) {
        if (link.connecting) {
          writers.push(link.upstream);
          continue;
        }
        for (const pipe of [link.up, link.down]) {
          if (!pipe.eof && pipe.buffer.length < BUFFER) readers.push(pipe.from);
          if (pipe.buffer.length > 0) writers.push(pipe.to);
        }
      }
      const [r, w] = await select.select(readers, writers, []);
      for (const s of r) {
        if (s === listener) {
          let client: socket.Socket;
          try {
            [client] = await listener.accept();
          } catch (e) {
            if (e instanceof socket.BlockingIOError) continue;
            throw e;
          }
          client.setblocking(false);
          const upstream = socket.socket();
          upstream.setblocking(false);
          await upstream.connect_ex(target);
          const link: Link = {
            client,
            upstream,
            connecting: true,
            up: new Pipe(client, upstream),
            down: new Pipe(upstream, client),
          };
          links.add(link);
          linkOf.set(client, link).set(upstream, link);
          continue;
        }
        const link = linkOf.get(s)!;
        await pumpIn(s === link.client ? link.up : link.down);
      }
      for (const s of w) {
        const link = linkOf.get(s)!;
        if (!links.has(link)) continue;
        if (link.connecting) {
          const error = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) as number;
          if (error !== 0) {
            console.error(`forward: connect failed: errno ${error}`);
            await close(link);
            continue;
          }
          link.connecting = false;
          continue;
        }
        await pumpOut(s === link.upstream ? link.up : link.down);
      }
      // Passing an end of stream on may not need the socket to be writable.
      for (const link of links) {
        if (link.connecting) continue;
        for (const pipe of [link.up, link.down]) {
          if (pipe.eof && pipe.buffer.length === 0 && !pipe.shut) await pumpOut(pipe);
        }
        if (link.up.done && link.down.done) await close(link);
      }
    }
  } finally {
    for (const link of links) await close(link);
  }
  return stats;

  async function close(link: Link): Promise<void> {
    if (!links.delete(link)) return;
    linkOf.delete(link.client);
    linkOf.delete(link.upstream);
    await Promise.all([link.client.close(), link.upstream.close()]);
    stats.connections++;
  }
}

function append(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

if (import.meta.main) {
  const [listenPort, host, port] = Deno.args;
  if (port === undefined) {
    console.error("usage: port_forwarder.ts <listen port> <target host> <target port>");
    Deno.exit(2);
  }
  await using listener = socket.socket();
  listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  listener.bind(["127.0.0.1", Number(listenPort)]);
  listener.listen();
  console.log(`forward: 127.0.0.1:${listenPort} -> ${host}:${port}`);
  await forward(listener, [host, Number(port)]);
}
