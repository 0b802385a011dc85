// Copyright 2025 the pysocket authors. MIT license.
/**
 * The byte pipe under `node:tls`: a `Duplex` whose reads are
 * `Socket.recv(65536)` and whose writes are `Socket.sendall()`, built only
 * on the public `Socket` API. Because the socket's receive buffer is shared,
 * bytes a program already has buffered (a ClientHello behind a `readline()`)
 * are the first bytes TLS reads: nothing lost, nothing read twice.
 *
 * @module
 */

import { Duplex } from "node:stream";
import type { Socket } from "./socket.ts";

/** The most bytes one read of the inner socket asks for. */
const READ_SIZE = 65536;

/** Wraps `sock` (in blocking mode) as the transport of a `TLSSocket`. */
export class SocketDuplex extends Duplex {
  #sock: Socket;
  /** Whether TLS asked for bytes and has not had them yet. */
  #wanted = false;
  #recvPending = false;
  #stopped = false;
  #idle: Promise<void> = Promise.resolve();
  #markIdle: () => void = () => {};
  /**
   * While true, no more bytes are read from the socket (the reader's
   * buffer of decrypted bytes is full): backpressure reaches the peer.
   * Set back to false with `release()`.
   */
  hold = false;
  /** The last error of the inner socket (a read or a write), if any. */
  failure: Error | null = null;

  constructor(sock: Socket) {
    super({ allowHalfOpen: true });
    this.#sock = sock;
  }

  /** Resolves once no read is pending on the inner socket. */
  idle(): Promise<void> {
    return this.#recvPending ? this.#idle : Promise.resolve();
  }

  /** Stops reading (the next read result, if any, is dropped: the socket is closing). */
  stop(): void {
    this.#stopped = true;
  }

  /** Reads on after `hold` (if TLS wants bytes). */
  release(): void {
    this.hold = false;
    if (this.#wanted && !this.#recvPending) this.#pull();
  }

  override _read(): void {
    this.#wanted = true;
    if (!this.#recvPending) this.#pull();
  }

  #pull(): void {
    if (this.#stopped || this.hold || !this.#wanted) return;
    this.#recvPending = true;
    this.#idle = new Promise((resolve) => this.#markIdle = resolve);
    this.#sock.recv(READ_SIZE).then((data) => {
      this.#done();
      if (this.#stopped) return;
      this.#wanted = false;
      if (data.length === 0) {
        this.push(null);
        return;
      }
      // recv() hands out views that later reads never overwrite: no copy needed.
      if (this.push(data)) {
        this.#wanted = true;
        this.#pull();
      }
    }, (e) => {
      this.#done();
      if (this.#stopped) return;
      this.failure ??= e;
      this.destroy(e);
    });
  }

  #done(): void {
    this.#recvPending = false;
    this.#markIdle();
  }

  override _write(
    chunk: Uint8Array,
    _encoding: string,
    callback: (error?: Error | null) => void,
  ): void {
    this.#sock.sendall(chunk).then(() => callback(), (e) => {
      this.failure ??= e;
      callback(e);
    });
  }

  override _writev(
    chunks: { chunk: Uint8Array }[],
    callback: (error?: Error | null) => void,
  ): void {
    let size = 0;
    for (const c of chunks) size += c.chunk.length;
    const all = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      all.set(c.chunk, at);
      at += c.chunk.length;
    }
    this._write(all, "buffer", callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#stopped = true;
    callback(error);
  }
}
