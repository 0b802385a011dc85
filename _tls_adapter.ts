// Copyright 2025 the pysocket authors. MIT license.
/**
 * The byte pipe under `node:tls`: a `Duplex` whose reads are
 * `Socket.recv(65536)` and whose writes are `Socket.sendall()`, built only
 * on the public `Socket` API. Because the socket's receive buffer is shared,
 * bytes a program already has buffered (a ClientHello behind a `readline()`)
 * are the first bytes TLS reads: nothing lost, nothing read twice.
 *
 * A read waits with `MSG_PEEK` and takes the bytes only once TLS is still
 * wanted, and the adapter follows TLS's record boundaries: once `unwrap()`
 * has begun (this side sends its close_notify), it takes one record at a time and
 * lets TLS see it before taking more, so the plaintext a peer sends after its
 * own close_notify stays in the socket (STARTTLS back to plaintext).
 *
 * @module
 */

import { Duplex } from "node:stream";
import type { Socket } from "./socket.ts";
import { MSG_PEEK } from "./constants.ts";

/** The most bytes one read of the inner socket asks for. */
const READ_SIZE = 65536;

/** Wraps `sock` (in blocking mode) as the transport of a `TLSSocket`. */
export class SocketDuplex extends Duplex {
  #sock: Socket;
  /** Whether TLS asked for bytes and has not had them yet. */
  #wanted = false;
  #recvPending = false;
  #stopped = false;
  #detached = false;
  #writing = 0;
  #onWrote: (() => void)[] = [];
  #idle: Promise<void> = Promise.resolve();
  #markIdle: () => void = () => {};
  // Record boundaries of the bytes taken so far: the header bytes of the
  // record being read (#headerHave of 5), then #bodyLeft bytes of its body.
  #header = new Uint8Array(5);
  #headerHave = 0;
  #bodyLeft = 0;
  /**
   * Set by `unwrap()` (this side sends close_notify): from then on, bytes are
   * taken one TLS record at a time and TLS sees each before the next is taken.
   */
  recordWise = false;
  /**
   * Whether the transport ended while reading record by record and before
   * TLS stopped this adapter: the peer closed without close_notify.
   */
  raggedEnd = false;
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

  /**
   * Stops reading. A read still waiting takes nothing: the bytes stay in
   * the socket.
   */
  stop(): void {
    this.#stopped = true;
  }

  /** Stops reading and writing: the socket is handed back (`unwrap()`). */
  detach(): void {
    this.#stopped = true;
    this.#detached = true;
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
    this.#sock.recv(READ_SIZE, MSG_PEEK)
      .then(async (seen) => {
        if (this.#stopped || this.hold) return this.#done();
        if (seen.length === 0) {
          if (this.recordWise) this.raggedEnd = true;
          this.#done();
          this.#wanted = false;
          this.push(null);
          return;
        }
        const n = this.recordWise ? this.#toRecordEnd(seen) : seen.length;
        // The bytes are there: this read does not wait.
        const data = await this.#sock.recv(n);
        const boundary = this.#advance(data);
        this.#wanted = false;
        // recv() hands out views that later reads never overwrite: no copy needed.
        const more = this.push(data);
        if (this.recordWise && boundary) {
          // Let TLS act on the record (an end of stream at its close_notify
          // stops this adapter) before the next bytes are taken.
          await new Promise((resolve) => setTimeout(resolve, 0));
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
        this.#done();
        // TLS may have asked for more while it took these (#wanted again).
        if (more || this.#wanted) {
          this.#wanted = true;
          this.#pull();
        }
      })
      .catch((e) => {
        this.#done();
        if (this.#stopped) return;
        this.failure ??= e;
        this.destroy(e);
      });
  }

  /** How many of `seen` (the next bytes) reach the end of the current record. */
  #toRecordEnd(seen: Uint8Array): number {
    if (this.#bodyLeft > 0) return Math.min(this.#bodyLeft, seen.length);
    const need = 5 - this.#headerHave;
    if (seen.length < need) return seen.length;
    const header = this.#header.slice();
    header.set(seen.subarray(0, need), this.#headerHave);
    const length = (header[3] << 8) | header[4];
    return Math.min(need + length, seen.length);
  }

  /** Follows the record boundaries through `data`; true if it ends on one. */
  #advance(data: Uint8Array): boolean {
    let at = 0;
    while (at < data.length) {
      if (this.#bodyLeft > 0) {
        const n = Math.min(this.#bodyLeft, data.length - at);
        this.#bodyLeft -= n;
        at += n;
        continue;
      }
      const n = Math.min(5 - this.#headerHave, data.length - at);
      this.#header.set(data.subarray(at, at + n), this.#headerHave);
      this.#headerHave += n;
      at += n;
      if (this.#headerHave === 5) {
        this.#headerHave = 0;
        this.#bodyLeft = (this.#header[3] << 8) | this.#header[4];
      }
    }
    return this.#bodyLeft === 0 && this.#headerHave === 0;
  }

  /** Resolves once no write is in flight or queued. */
  async flushed(): Promise<void> {
    while (this.#writing > 0 || this.writableLength > 0) {
      await new Promise<void>((resolve) => this.#onWrote.push(resolve));
    }
  }

  #wrote(): void {
    this.#writing--;
    const waiting = this.#onWrote;
    this.#onWrote = [];
    for (const resolve of waiting) resolve();
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
    if (this.#detached) return callback();
    this.#writing++;
    this.#sock.sendall(chunk).then(() => {
      this.#wrote();
      callback();
    }, (e) => {
      this.#wrote();
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
