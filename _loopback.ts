/**
 * This process's own loopback TCP connections, end to end. When a program
 * holds both ends of a connection (a test, a socketpair, a server and its
 * client in one process) and sends from one, the bytes are in the kernel
 * at once, where Python's non-blocking `recv()` on the other end finds
 * them; Deno sees them only at its next poll of the network. So the send
 * engine of one end tells the receive engine of the other that bytes are
 * on their way (`ReceiveBuffer.expect()`), and a call there that may not
 * wait waits for them instead of raising `BlockingIOError` too early.
 *
 * Receive engines register only while in non-blocking mode: a call that
 * may wait needs no such hint.
 *
 * @module
 */

import type { ReceiveBuffer } from "./_receive_buffer.ts";

/** Receive engines in non-blocking mode, by "local end, remote end". */
const ends = new Map<string, ReceiveBuffer>();

function endKey(local: Deno.NetAddr, remote: Deno.NetAddr): string {
  return `${local.hostname} ${local.port} ${remote.hostname} ${remote.port}`;
}

function isLoopback(addr: Deno.Addr): addr is Deno.NetAddr {
  if (addr.transport !== "tcp") return false;
  const host = addr.hostname;
  return host.startsWith("127.") || host === "::1" || host.startsWith("::ffff:127.");
}

/** The key of the other end's receive engine, by connection ("" if not loopback TCP). */
const peerKeys = new WeakMap<object, string>();

/**
 * For the send engine: `sink` (a `Deno.Conn`) just wrote `n` bytes; tells
 * the other end, if this process holds it in non-blocking mode. Costs one
 * check while no receive engine is registered.
 */
export function tellPeer(sink: object, n: number): void {
  if (ends.size === 0) return;
  let key = peerKeys.get(sink);
  if (key === undefined) {
    const conn = sink as Partial<Deno.Conn>;
    const { localAddr, remoteAddr } = conn;
    key = localAddr && remoteAddr && localAddr.transport === "tcp" && isLoopback(remoteAddr)
      ? endKey(remoteAddr, localAddr)
      : "";
    peerKeys.set(sink, key);
  }
  if (key !== "") ends.get(key)?.expect(n);
}

/**
 * Registers `inbox` as the receiving end of `conn` (`on`), or forgets it.
 * Does nothing for a connection that is not over loopback TCP.
 */
export function listenForPeer(conn: Deno.Conn, inbox: ReceiveBuffer, on: boolean): void {
  const { localAddr, remoteAddr } = conn;
  if (!isLoopback(remoteAddr) || localAddr.transport !== "tcp") return;
  const key = endKey(localAddr, remoteAddr);
  if (on) ends.set(key, inbox);
  else if (ends.get(key) === inbox) ends.delete(key);
}
