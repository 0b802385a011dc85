/**
 * The socket side of a `FileObject`: what `Socket.makefile()` hands to the
 * file object it creates. Private plumbing between `socket.ts` and
 * `file_object.ts`.
 *
 * @module
 */

/**
 * The socket's receive buffer as a file object reads it directly: the part
 * of `ReceiveBuffer` that readers use, so that a line costs no calls
 * through closures.
 */
export interface ReceiveView {
  /** As `FileBackend.buffered()`: views of it may be handed to users. */
  view(): Uint8Array;
  /**
   * The same bytes, to read at once and not to keep or hand out: once
   * consumed they may be overwritten, so the buffer can reuse its storage.
   */
  transientView(): Uint8Array;
  /** Marks the first `n` bytes as consumed, without reading on. */
  skip(n: number): void;
  /** Marks the first `n` bytes as consumed and reads on if there is room. */
  consume(n: number): void;
  /** As `FileBackend.consumed` (NaN where there is no count). */
  readonly consumed: number;
  /**
   * Lets `consumer` consume what it returns lazily: it counts the bytes and
   * consumes them all (with `skip()`) when its `settle()` is called, which
   * the buffer does before anything else looks at it or consumes from it.
   * Optional.
   */
  defer?(consumer: { settle(): void }): void;
}

/** What a file object needs from its socket. */
export interface FileBackend {
  /**
   * The socket's receive buffer once it has one (once connected), else
   * null. Optional: readers that get it read lines straight from it, and
   * otherwise use `buffered()`, `consume()` and `consumed`, which are the
   * same buffer.
   */
  receiver?(): ReceiveView | null;
  /**
   * The bytes received and not yet consumed, as a view. Bytes in the view are
   * never overwritten later, so subarrays of it may be handed to users
   * without copying. The view is stale after `consume()` or `fill()`.
   */
  buffered(): Uint8Array;
  /** Marks the first `n` bytes of `buffered()` as consumed. */
  consume(n: number): void;
  /**
   * How many bytes have been consumed from the buffer since the socket
   * connected, by anyone (`recv()` included): a reader that remembers it
   * knows whether `buffered()` still starts where it left off. (A backend
   * without the count works too, more slowly: the reader then compares
   * views.)
   */
  readonly consumed?: number;
  /**
   * Waits, under the socket's current mode (blocking, timeout,
   * non-blocking), until more bytes are buffered than now, or the stream
   * has ended. Resolves `true` when more bytes arrived, `false` at end of
   * stream (nothing more will ever arrive). Rejects with `TimeoutError` /
   * `BlockingIOError` (nothing is consumed or lost: call again later), or
   * `OSError` for a closed or failed socket.
   *
   * When `buffered().length >= capacity` the socket reads no more until
   * bytes are consumed: consume into your own storage before calling
   * `fill()` again (it resolves `true` at once in that case).
   */
  fill(): Promise<boolean>;
  /** The most bytes the socket buffers unread (its `SO_RCVBUF`). */
  readonly capacity: number;
  /** `Socket.sendall()` under the socket's current mode. */
  sendall(data: Uint8Array): Promise<void>;
  /**
   * `Socket.send()` under the socket's current mode: sends what the socket
   * accepts of `data` now (blocking: waits until it accepts some; timeout:
   * until the deadline) and resolves how many bytes that was. Rejects
   * `BlockingIOError` when it accepts nothing (non-blocking mode),
   * `TimeoutError` in timeout mode. Optional: without it the file object
   * writes with `sendall()` in every mode.
   */
  send?(data: Uint8Array): Promise<number>;
  /**
   * The socket's current timeout (`gettimeout()`): null when blocking, 0
   * when non-blocking. Optional: read as null (blocking) when absent.
   */
  readonly timeout?: number | null;
  /**
   * Tells the socket this file object is closed (Python 3's rule: the
   * connection stays open while a file object made by `makefile()` is open).
   */
  release(): Promise<void>;
  /** The socket's `fileno()`, used as the file object's `name`. */
  fileno(): number;
}
