/**
 * The receive engine of a stream socket. It owns the connection's read side:
 * at most one `read()` is pending at a time, and it reads into the engine's
 * own storage, never into a caller's, unless that caller cannot give up. So
 * a call that times out or would block orphans nothing: bytes that arrive
 * after it gave up wait here for the next call. Calls are served strictly in
 * call order, and each takes its bytes at the moment it is served.
 *
 * Storage is a block that is only ever appended to: bytes once handed out as
 * a view are never overwritten, so `recv()` and the file objects return
 * views instead of copies. When the tail of a block is too small, the unread
 * bytes move to a fresh block. A block whose bytes were only ever copied out
 * is reused instead.
 *
 * @module
 */

import { alarm, type Timed, Waiter } from "./_deadline.ts";
import { fromDenoError } from "./_errno.ts";

/** What the engine reads from: a `Deno.Conn`. */
export interface Reader {
  /** Reads into `p`; resolves the count, or `null` at end of stream. */
  read(p: Uint8Array): Promise<number | null>;
}

const EMPTY = new Uint8Array(0);
const FIRST_BLOCK = 4096;
const LARGEST_BLOCK = 256 * 1024;
const LARGEST_READ = 64 * 1024;
/** Largest blocks no longer in use, shared by every socket. */
const freeBlocks: Uint8Array<ArrayBuffer>[] = [];
const MAX_FREE_BLOCKS = 8;
/**
 * How long a call that may not wait waits for bytes this process has just
 * sent it over loopback (see `expect()`): they are read at Deno's next poll
 * of the network, well within this; it only bounds a miscount.
 */
const INCOMING_GRACE_MS = 20;
/**
 * How long a call that may not wait gives a read posted just for it (the
 * socket had none: it had not read yet) to bring what already sits in the
 * kernel: one real turn of the event loop, which polls the network, is
 * enough. Later calls find that read posted, and answer at once.
 */
const FIRST_POLL_MS = 1;
/** Below this much room at a block's tail, a read moves to a fresh block. */
const SMALLEST_READ = 1024;

/** A call waiting for bytes. */
class Take<T> extends Waiter<T> {
  constructor(
    deadline: number,
    onExpire: (w: Timed) => void,
    /** Bytes that must be buffered before it is served. */
    readonly need: number,
    /** Runs when served; takes its bytes from the buffer. */
    readonly take: () => T,
    /** A caller's buffer to read into directly (a call that cannot give up). */
    readonly direct: Uint8Array | null,
    /** What the direct read's count becomes. */
    readonly fromCount: ((n: number) => T) | null,
    grace: number,
  ) {
    super(deadline, onExpire, grace);
  }
}

/** The receive side of one stream connection. */
export class ReceiveBuffer {
  #source: Reader;
  #block = EMPTY;
  #start = 0;
  #end = 0;
  #consumed = 0;
  #exposed = false;
  #blockSize = FIRST_BLOCK;
  #limit: number;
  #eof = false;
  #error: Error | null = null;
  #closed = false;
  #pending: Promise<void> | null = null;
  #want = 0;
  #waiters: Take<unknown>[] = [];
  #prefetch = false;
  /** Whether the last call read through the block: then a read stays posted. */
  #warm = false;
  /** A reader that returned bytes it has not consumed yet (see `defer()`). */
  #lazy: { settle(): void } | null = null;
  /** Told of every change a reader could see (bytes, end of stream, error). */
  #changed: () => void;
  /** A read error was seen: the connection is broken (sticky). */
  #broken = false;
  /** After `SHUT_RD`: calls no longer wait once the reads posted then had their turn. */
  #readShut: "no" | "settling" | "yes" = "no";
  #shutTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last read did not fill its room: the stream is not busy (see `#blockRead`). */
  #quiet = false;
  /** Bytes this process wrote to the peer end that have not been read here yet. */
  #incoming = 0;

  constructor(source: Reader, limit: number, changed: () => void = () => {}) {
    this.#source = source;
    this.#limit = limit;
    this.#changed = changed;
  }

  /** Bytes buffered and not yet taken. */
  get available(): number {
    this.#settle();
    return this.#end - this.#start;
  }

  /** The most bytes held unread (the socket's receive buffer size). */
  get limit(): number {
    return this.#limit;
  }

  set limit(bytes: number) {
    this.#limit = bytes;
    this.#pump();
  }

  /**
   * Whether a call would be served at once: bytes buffered, end of stream
   * (or `SHUT_RD`), or an error to report. What `select()` calls readable.
   */
  get readable(): boolean {
    this.#settle();
    return this.#end > this.#start || this.#eof || this.#error !== null ||
      this.#readShut === "yes";
  }

  /** Whether the stream has ended (the peer's FIN, `SHUT_RD`, or after an error). */
  get ended(): boolean {
    return this.#eof || this.#readShut !== "no" || this.#broken;
  }

  /** An error that the next call will report (a reset), if any. */
  get pendingError(): Error | null {
    return this.#error;
  }

  /**
   * The peer end is this process's, and it just wrote `n` bytes: they are
   * in the kernel, on their way. A call that may not wait then waits for
   * them (up to `INCOMING_GRACE_MS`) instead of answering `BlockingIOError`
   * before Deno has polled the network, as Python, reading the kernel's
   * buffer, would have them.
   */
  expect(n: number): void {
    this.#incoming += n;
  }

  /** Whether a read failed (a reset): the connection is broken for good. */
  get broken(): boolean {
    return this.#broken;
  }

  /** True once the stream ended and every byte was taken. */
  get drained(): boolean {
    this.#settle();
    return this.#eof && this.#end === this.#start && this.#error === null;
  }

  /**
   * Whether to keep a read posted while nobody waits: on while `select`
   * watches; off otherwise, where the next call reads for itself (into its
   * own buffer when it can) and an idle connection that never read holds
   * no buffer.
   */
  set prefetch(on: boolean) {
    this.#prefetch = on;
    if (on) this.#pump();
  }

  /** The unread bytes, as a view that later reads never overwrite. */
  view(): Uint8Array {
    this.#settle();
    this.#exposed = true;
    return this.#block.subarray(this.#start, this.#end);
  }

  /** Copies up to `dst.length` unread bytes into `dst`; returns the count. */
  copyTo(dst: Uint8Array): number {
    this.#settle();
    const n = Math.min(dst.length, this.#end - this.#start);
    dst.set(this.#block.subarray(this.#start, this.#start + n));
    return n;
  }

  /** Bytes taken from the front since the connection began. */
  get consumed(): number {
    this.#settle();
    return this.#consumed;
  }

  /** Drops `n` bytes from the front (they were taken). */
  skip(n: number): void {
    this.#settle();
    this.#start += n;
    this.#consumed += n;
    if (this.#start === this.#end && !this.#exposed && this.#pending === null) {
      this.#start = this.#end = 0;
    }
  }

  /** Drops `n` bytes from the front and reads on if there is room now. */
  consume(n: number): void {
    this.skip(n);
    this.#pump();
  }

  /**
   * Serves a call once `need` bytes are buffered (or the stream ended, or
   * failed: then with what there is): `take` runs at that moment and its
   * result settles the promise. Calls are served in call order.
   *
   * `deadline` 0 means the call may not wait: if it cannot be served within
   * a turn of the event loop it rejects with `BlockingIOError`. A call that
   * reaches its deadline rejects with `TimeoutError`. Either takes nothing.
   *
   * `direct`, for a call that cannot give up (no deadline), is the caller's
   * own buffer: when it is the first in line and nothing is buffered, the
   * read goes straight into it, saving a copy; `fromCount` turns the count
   * read (0 at end of stream) into the call's result.
   */
  take<T>(
    need: number,
    deadline: number,
    take: () => T,
    direct: Uint8Array | null = null,
    fromCount: ((n: number) => T) | null = null,
  ): Promise<T> {
    this.#settle();
    // A socket that reads through the block (recv(), file objects) keeps a
    // read posted, so the next reply is often here before the call that
    // wants it; a blocking one that reads into its caller's buffer does
    // not, so that its next read can go there directly. One that has made a
    // call that may not wait always does: its next such call answers from
    // what that read brought.
    this.#warm = direct === null || deadline === 0;
    // Whether a read was posted before this call (see FIRST_POLL_MS).
    const posted = this.#pending !== null;
    if (this.#waiters.length === 0) {
      const error = this.#error;
      if (
        this.available >= need || this.#eof || (error && this.available > 0) ||
        this.#readShut === "yes"
      ) {
        const result = take();
        this.#pump();
        return Promise.resolve(result);
      }
      if (error) {
        this.#error = null;
        this.#eof = true;
        return Promise.reject(error);
      }
    }
    const waiter = new Take<T>(
      deadline,
      this.#expire,
      need,
      take,
      deadline === Infinity ? direct : null,
      fromCount,
      deadline !== 0 ? 0 : this.#incoming > 0 ? INCOMING_GRACE_MS : posted ? 0 : FIRST_POLL_MS,
    );
    this.#waiters.push(waiter as Take<unknown>);
    alarm.watch(waiter);
    this.#pump();
    return waiter.promise;
  }

  /**
   * Ends the read side (`SHUT_RD`) as Linux does: nothing is thrown away.
   * Bytes buffered, and bytes that reached the kernel before (a read is
   * posted and given a full turn of the event loop, which polls the
   * network), are still handed out, and so are bytes that arrive later;
   * but a call no longer waits: with nothing buffered it gets end of
   * stream.
   */
  shutdown(): void {
    if (this.#readShut !== "no") return;
    this.#readShut = "settling";
    this.#pump();
    // A timer turn, not an immediate: the network must be polled once.
    this.#shutTimer = setTimeout(() => {
      this.#shutTimer = undefined;
      this.#readShut = "yes";
      this.#serve();
      this.#changed();
    }, 0);
    this.#changed();
  }

  /** Fails every waiting call with `reason()`; reads no more. Returns the pending read, if any. */
  close(reason: () => Error): Promise<void> | null {
    this.#closed = true;
    if (this.#shutTimer !== undefined) clearTimeout(this.#shutTimer);
    const waiters = this.#waiters;
    if (waiters.length > 0) {
      this.#waiters = [];
      const error = reason();
      for (const w of waiters) w.reject(error);
    }
    return this.#pending;
  }

  #expire = (w: Timed): void => {
    const i = this.#waiters.indexOf(w as Take<unknown>);
    if (i >= 0) this.#waiters.splice(i, 1);
    // The next in line may want a larger read than the one that gave up.
    queueMicrotask(() => this.#serve());
  };

  /** Posts the next read, if one is wanted and none is pending. */
  #pump(): void {
    this.#settle();
    if (this.#pending || this.#eof || this.#error || this.#closed) return;
    const head = this.#waiters[0];
    const available = this.available;
    if (this.#readShut !== "no") {
      // After SHUT_RD, keep reading what the peer still sends (Linux keeps it).
      const room = this.#limit - available;
      if (room > 0) this.#blockRead(room);
    } else if (head !== undefined) {
      if (head.direct !== null && available === 0) return this.#directRead(head);
      const room = Math.max(this.#limit, head.need) - available;
      if (room > 0) this.#blockRead(room);
    } else if (this.#prefetch || this.#warm) {
      // Reads ahead in large pieces only: reading again as soon as a few
      // lines were consumed costs more than the lines (a file object
      // reading lines from a sender in this process made 30 times more
      // reads, of a kilobyte each, and took 1.4 times as long).
      const room = this.#limit - available;
      if (room > 0 && room >= Math.min(this.#limit >> 1, LARGEST_READ)) this.#blockRead(room, true);
    }
  }

  /** Posts a read into the block (`ahead`: nobody waits for it yet). */
  #blockRead(room: number, ahead = false): void {
    if (ahead && this.#quiet && this.#end === this.#start && this.#block.length > FIRST_BLOCK) {
      // The stream went quiet (the last read did not fill its room) and
      // nothing is unread: this read may wait long, so it goes into a small
      // block, and the large one is let go (pooled when no view of it was
      // handed out). An idle connection then pins 4 KiB, not up to 256 KiB;
      // blocks grow again with traffic.
      const old = this.#block;
      if (!this.#exposed && old.length === LARGEST_BLOCK && freeBlocks.length < MAX_FREE_BLOCKS) {
        freeBlocks.push(old);
      }
      this.#block = new Uint8Array(FIRST_BLOCK);
      this.#start = this.#end = 0;
      this.#exposed = false;
    }
    // Reads start small (an idle socket pins little) and grow with traffic.
    let want = Math.min(room, LARGEST_READ, this.#blockSize);
    let tail = this.#block.length - this.#end;
    if (tail < want && (tail < SMALLEST_READ || this.#block.length < this.#blockSize)) {
      const unread = this.#end - this.#start;
      if (!this.#exposed && unread === 0 && this.#block.length >= Math.max(want, this.#blockSize)) {
        this.#start = this.#end = 0;
      } else {
        const size = Math.max(this.#blockSize, unread + want);
        const old = this.#block;
        const block = size === LARGEST_BLOCK
          ? freeBlocks.pop() ?? new Uint8Array(size)
          : new Uint8Array(size);
        block.set(old.subarray(this.#start, this.#end));
        // A block whose bytes were only copied out, with no read pending
        // into it (none is, here), can serve again: no fresh memory to fault in.
        if (!this.#exposed && old.length === LARGEST_BLOCK && freeBlocks.length < MAX_FREE_BLOCKS) {
          freeBlocks.push(old);
        }
        this.#block = block;
        this.#start = 0;
        this.#end = unread;
        this.#exposed = false;
      }
      tail = this.#block.length - this.#end;
    }
    want = Math.min(want, tail);
    this.#want = want;
    this.#pending = this.#source.read(this.#block.subarray(this.#end, this.#end + want))
      .then(this.#onRead, this.#onError);
  }

  #onRead = (n: number | null): void => {
    this.#pending = null;
    if (this.#closed) return;
    if (n === null) {
      this.#eof = true;
      this.#incoming = 0;
    } else {
      this.#end += n;
      this.#incoming = this.#incoming > n ? this.#incoming - n : 0;
      // A read that filled its room suggests a busy stream: grow the blocks.
      if (n === this.#want && this.#blockSize < LARGEST_BLOCK) this.#blockSize *= 2;
      this.#quiet = n < this.#want;
    }
    this.#serve();
    this.#changed();
  };

  #directRead(head: Take<unknown>): void {
    this.#pending = this.#source.read(head.direct!).then((n) => {
      this.#pending = null;
      if (this.#closed) return;
      if (n === null) this.#eof = true;
      this.#incoming = n !== null && this.#incoming > n ? this.#incoming - n : 0;
      const i = this.#waiters.indexOf(head);
      if (i >= 0) this.#waiters.splice(i, 1);
      head.resolve(head.fromCount!(n ?? 0));
      this.#serve();
      this.#changed();
    }, this.#onError);
  }

  #onError = (e: unknown): void => {
    this.#pending = null;
    if (this.#closed) return;
    this.#error = fromDenoError(e);
    this.#broken = true;
    this.#incoming = 0;
    this.#serve();
    this.#changed();
  };

  /** Serves waiting calls in order while they can be served; reads on. */
  #serve(): void {
    this.#settle();
    const waiters = this.#waiters;
    while (waiters.length > 0) {
      const w = waiters[0];
      const available = this.available;
      if (
        available >= w.need || this.#eof || (this.#error && available > 0) ||
        this.#readShut === "yes"
      ) {
        waiters.shift();
        let result: unknown;
        try {
          result = w.take();
        } catch (e) {
          w.reject(e);
          continue;
        }
        w.resolve(result);
      } else if (this.#error) {
        waiters.shift();
        w.reject(this.#error);
        // As the kernel does: the error is reported once, then end of stream.
        this.#error = null;
        this.#eof = true;
      } else {
        break;
      }
    }
    this.#pump();
  }

  /**
   * The unread bytes, as a view to read at once and not to keep or hand
   * out (a text file object decodes them): unlike `view()`, it leaves the
   * block reusable, so bytes in it may be overwritten once consumed.
   */
  transientView(): Uint8Array {
    this.#settle();
    return this.#block.subarray(this.#start, this.#end);
  }

  /**
   * Lets `consumer` return bytes from `view()` without consuming each piece:
   * it counts them, and consumes them (with `skip()`) when its `settle()` is
   * called, which this buffer does before anything else looks at it or
   * consumes from it (every method here, and its own reads). One consumer
   * at a time: a new one settles the previous one. Saves a line reader
   * a call per line.
   */
  defer(consumer: { settle(): void }): void {
    this.#settle();
    this.#lazy = consumer;
  }

  #settle(): void {
    const lazy = this.#lazy;
    if (lazy !== null) {
      this.#lazy = null;
      lazy.settle();
    }
  }
}
