/**
 * A TCP connection made through Deno's `node:net`, shaped like the
 * `Deno.Conn` the stream engines read from and write to. `Deno.connect`
 * cannot choose the source address of a connection, set `TCP_KEEPIDLE`, or
 * close with a reset; Deno's `node:net` can (`localAddress` / `localPort`,
 * `setKeepAlive(true, initialDelay)`, `resetAndDestroy()`, each checked with
 * `strace` and `ss`). A socket connects through here only when one of those
 * is asked for: the plain path stays on `Deno.connect`.
 *
 * `node:net` pushes what it reads (into one buffer of ours: `onread`); this
 * adapter copies it into a pending `read()`'s buffer, or keeps it until the
 * engine's next `read()`, and pauses the stream while more than
 * `HIGH_WATER` bytes wait, so the kernel's buffers fill and the sender is
 * slowed as with a `Deno.Conn`. A write resolves once Node has handed all its bytes to the
 * kernel, so the engine never reuses a buffer Node still holds.
 *
 * @module
 */

import { Socket as NodeSocket } from "node:net";

/** Bytes read ahead before the stream is paused. */
const HIGH_WATER = 64 * 1024;
/** The buffer Node reads into. */
const INPUT = 64 * 1024;

/** Where to connect, and from where. */
export interface NodeConnectOptions {
  /** The peer's address (a literal: resolved before). */
  hostname: string;
  /** The peer's port. */
  port: number;
  /** 4 or 6. */
  family: 4 | 6;
  /** The source address (`bind()` before `connect()`), if any. */
  localAddress?: string;
  /** The source port (0: the kernel picks). */
  localPort?: number;
  /** Aborts the attempt. */
  signal?: AbortSignal;
}

/** An error of the kind `Deno.Conn` raises for a read on a closed connection. */
function interrupted(): Error {
  return new Deno.errors.Interrupted("operation canceled");
}

/** A connection through `node:net`, with the members of `Deno.TcpConn` the engines use. */
export class NodeConn {
  #socket: NodeSocket;
  /** The buffer Node reads into (see `#onRead`). */
  #input = new Uint8Array(INPUT);
  #paused = false;
  #chunks: Uint8Array[] = [];
  #offset = 0;
  #buffered = 0;
  #ended = false;
  #error: Error | null = null;
  #reader: {
    p: Uint8Array;
    resolve: (n: number | null) => void;
    reject: (e: unknown) => void;
  } | null = null;
  #closed = false;
  /** Node has closed the handle. */
  #released = false;
  #reset = false;
  #local: Deno.NetAddr | null = null;
  #remote: Deno.NetAddr | null = null;

  private constructor() {
    // Node reads into one buffer of ours, with no allocation per read.
    const socket = this.#socket = new NodeSocket(
      {
        allowHalfOpen: true,
        onread: { buffer: this.#input, callback: this.#onRead },
      } as ConstructorParameters<typeof NodeSocket>[0],
    );
    socket.on("end", () => {
      this.#ended = true;
      this.#serve();
    });
    socket.on("error", (e: Error) => {
      this.#error ??= e;
      this.#serve();
    });
    socket.on("close", () => {
      this.#released = true;
      this.#ended = true;
      this.#serve();
    });
  }

  /** The local address, as `Deno.Conn` reports it. */
  get localAddr(): Deno.NetAddr {
    return this.#local!;
  }

  /** The peer's address, as `Deno.Conn` reports it. */
  get remoteAddr(): Deno.NetAddr {
    return this.#remote!;
  }

  /**
   * Node read `n` bytes into the input buffer: straight into a pending
   * read's buffer as far as it goes, the rest kept. Returns whether Node
   * should read on (false pauses the stream: the kernel buffers the rest).
   */
  #onRead = (n: number): boolean => {
    let data = this.#input.subarray(0, n);
    const reader = this.#reader;
    if (reader !== null && this.#buffered === 0) {
      const take = Math.min(n, reader.p.length);
      reader.p.set(data.subarray(0, take));
      this.#reader = null;
      reader.resolve(take);
      data = data.subarray(take);
    }
    if (data.length > 0) {
      this.#chunks.push(data.slice());
      this.#buffered += data.length;
    }
    if (this.#buffered >= HIGH_WATER) {
      this.#paused = true;
      return false;
    }
    return true;
  };

  /**
   * Connects, as `Deno.connect` does, from `localAddress` / `localPort`
   * when given.
   *
   * @param options Where to and from.
   * @returns The connection.
   */
  static connect(options: NodeConnectOptions): Promise<NodeConn> {
    return new Promise((resolve, reject) => {
      const signal = options.signal;
      if (signal?.aborted) return reject(signal.reason);
      const conn = new NodeConn();
      const socket = conn.#socket;
      const onAbort = () => fail(signal!.reason);
      const fail = (e: unknown) => {
        signal?.removeEventListener("abort", onAbort);
        socket.off("error", fail);
        socket.destroy();
        // Settle once Node has let go of the handle, so nothing outlives the call.
        if (conn.#released) reject(e);
        else socket.once("close", () => reject(e));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      socket.once("error", fail);
      socket.connect({
        host: options.hostname,
        port: options.port,
        family: options.family,
        autoSelectFamily: false,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        ...(options.localPort ? { localPort: options.localPort } : {}),
      }, () => {
        signal?.removeEventListener("abort", onAbort);
        socket.off("error", fail);
        conn.#local = {
          transport: "tcp",
          hostname: socket.localAddress!,
          port: socket.localPort!,
        };
        conn.#remote = {
          transport: "tcp",
          hostname: socket.remoteAddress!,
          port: socket.remotePort!,
        };
        resolve(conn);
      });
    });
  }

  /**
   * Reads into `p`, as `Deno.Conn.read`.
   *
   * @param p Where to put the bytes.
   * @returns The count, or `null` at end of stream.
   */
  read(p: Uint8Array): Promise<number | null> {
    if (this.#reader !== null) return Promise.reject(new Deno.errors.Busy("read pending"));
    if (this.#closed) return Promise.reject(new Deno.errors.BadResource("closed"));
    return new Promise((resolve, reject) => {
      this.#reader = { p, resolve, reject };
      this.#serve();
    });
  }

  /** Hands buffered bytes, the end, or the error to a pending read. */
  #serve(): void {
    const reader = this.#reader;
    if (reader === null) return;
    if (this.#buffered > 0 && reader.p.length > 0) {
      let n = 0;
      const p = reader.p;
      while (n < p.length && this.#chunks.length > 0) {
        const chunk = this.#chunks[0];
        const take = Math.min(p.length - n, chunk.length - this.#offset);
        p.set(chunk.subarray(this.#offset, this.#offset + take), n);
        n += take;
        this.#offset += take;
        if (this.#offset === chunk.length) {
          this.#chunks.shift();
          this.#offset = 0;
        }
      }
      this.#buffered -= n;
      if (this.#paused && this.#buffered < HIGH_WATER && !this.#closed) {
        this.#paused = false;
        this.#socket.resume();
      }
      this.#reader = null;
      reader.resolve(n);
    } else if (this.#closed) {
      // Settles once Node has closed the handle, so close() orphans nothing.
      if (!this.#released) return;
      this.#reader = null;
      reader.reject(interrupted());
    } else if (this.#error !== null) {
      this.#reader = null;
      reader.reject(this.#error);
    } else if (this.#ended) {
      this.#reader = null;
      reader.resolve(null);
    }
  }

  /**
   * Writes `p`, as `Deno.Conn.write`: resolves once Node has passed every
   * byte to the kernel.
   *
   * @param p The bytes.
   * @returns `p.length`.
   */
  write(p: Uint8Array): Promise<number> {
    if (this.#closed) return Promise.reject(new Deno.errors.BadResource("closed"));
    if (this.#error !== null) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#socket.write(p, (e) => e ? reject(this.#error ?? e) : resolve(p.length));
    });
  }

  /** Sends FIN once what was written is out, as `Deno.Conn.closeWrite`. */
  closeWrite(): Promise<void> {
    if (this.#closed) return Promise.reject(new Deno.errors.BadResource("closed"));
    return new Promise((resolve) => {
      // Node calls back once the FIN is out, or not at all if the socket
      // fails first: then its close settles the call.
      const done = () => {
        this.#socket.off("close", done);
        resolve();
      };
      this.#socket.once("close", done);
      this.#socket.end(done);
    });
  }

  /** Sets `TCP_NODELAY`. */
  setNoDelay(noDelay = true): void {
    this.#socket.setNoDelay(noDelay);
  }

  /**
   * Sets `SO_KEEPALIVE`, and with `idleSeconds` also `TCP_KEEPIDLE` (Node
   * sets it only while enabling keep-alive).
   */
  setKeepAlive(keepAlive = true, idleSeconds?: number): void {
    this.#socket.setKeepAlive(keepAlive, keepAlive && idleSeconds ? idleSeconds * 1000 : 0);
  }

  /** Whether `close()` resets the connection (`SO_LINGER` on, with a zero timeout). */
  set resetOnClose(reset: boolean) {
    this.#reset = reset;
  }

  get resetOnClose(): boolean {
    return this.#reset;
  }

  /**
   * Closes the connection: a FIN, or a RST with `resetOnClose`. A pending
   * read rejects once Node has closed the handle.
   */
  close(): void {
    if (this.#closed) throw new Deno.errors.BadResource("closed");
    this.#closed = true;
    if (this.#reset) this.#socket.resetAndDestroy();
    else this.#socket.destroy();
  }
}
