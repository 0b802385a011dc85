/**
 * The send engine of a stream socket: one writer, so bytes go out in call
 * order and two `sendall()` calls never interleave.
 *
 * A call that cannot give up (blocking mode) lends its own bytes and waits
 * until they are written: no copy. A call that may give up (timeout and
 * non-blocking modes) copies its bytes into the queue, which holds at most
 * the socket's send buffer size (`SO_SNDBUF`) unsent: like the kernel's send
 * buffer, what it accepted will be sent even if the call later times out,
 * and what it did not accept was not sent.
 *
 * @module
 */

import { alarm, type Timed, Waiter, wouldBlock } from "./_deadline.ts";
import { fromDenoError } from "./_errno.ts";
import { tellPeer } from "./_loopback.ts";

/** What the engine writes to: a `Deno.Conn`. */
export interface Writer {
  /** Writes `p`; resolves how many bytes were written. */
  write(p: Uint8Array): Promise<number>;
}

const RESOLVED: Promise<void> = Promise.resolve();

/** The error of a queue closed with nobody waiting: never seen by a caller. */
const CLOSED = new Error("closed");

/** Size of the slabs that queued copies are written into. */
const SLAB = 64 * 1024;
/**
 * A copy this small that finds the queue empty gets a buffer of its own
 * size: it is written at once, so a slab would only carry it. A thousand
 * sockets each answering with a few bytes would otherwise each take a
 * 64 KiB slab per reply, more than the pool holds.
 */
const SMALL_COPY = 4096;
/** Free slabs, shared by every socket so an idle one keeps none. */
const freeSlabs: Uint8Array[] = [];
const MAX_FREE_SLABS = 32;

interface Chunk {
  /** The bytes: a slab of copies (`lender` null) or lent bytes. */
  data: Uint8Array;
  /** Written so far. */
  offset: number;
  /** Filled so far (copies are appended while earlier bytes are written). */
  end: number;
  /** Lent bytes: settle the lender when written (or failed). */
  lender: Waiter<number> | null;
  /** Write once and report the count (a blocking `send()`). */
  once: boolean;
}

/** The send side of one stream connection. */
export class SendQueue {
  #sink: Writer;
  #chunks: Chunk[] = [];
  #queued = 0;
  #limit: number;
  #writing: Promise<void> | null = null;
  #error: Error | null = null;
  #roomWaiters: Waiter<void>[] = [];
  #idle: (() => void)[] = [];
  // Calls queue their bytes one at a time, in call order: a call that waits
  // for room partway through keeps its turn, so no later call slips its
  // bytes in between (a woken waiter resumes only after other callbacks).
  #turnHeld = false;
  #turns: Waiter<void>[] = [];
  /** Set by `close()`: callers are refused, what was accepted still goes out. */
  #closedError: Error | null = null;
  /** Bytes written since the connection began. */
  #written = 0;
  /** Told when room frees up or writing fails. */
  #changed: () => void;

  constructor(sink: Writer, limit: number, changed: () => void = () => {}) {
    this.#sink = sink;
    this.#limit = limit;
    this.#changed = changed;
  }

  /** Unsent bytes that the queue holds. */
  get queued(): number {
    return this.#queued;
  }

  /** The most unsent bytes it holds (the socket's `SO_SNDBUF`). */
  get limit(): number {
    return this.#limit;
  }

  set limit(bytes: number) {
    this.#limit = bytes;
    this.#wakeRoomWaiters();
  }

  /** Whether a call that may not wait could queue bytes now. What `select()` calls writable. */
  get writable(): boolean {
    return this.#queued < this.#limit && this.#error === null && this.#closedError === null;
  }

  /** Bytes written to the connection so far (progress of a lingering close). */
  get written(): number {
    return this.#written;
  }

  /** Whether a write is under way. */
  get busy(): boolean {
    return this.#writing !== null;
  }

  /** Whether a failed write has made the connection unusable for sending. */
  get error(): Error | null {
    return this.#error;
  }

  /**
   * Sends `data` in full; resolves when every byte is written (`deadline`
   * Infinity) or queued (otherwise). Rejects `TimeoutError` at the deadline
   * (what was queued by then is still sent), `BlockingIOError` when
   * `deadline` is 0 and it does not all fit.
   */
  sendAll(data: Uint8Array, deadline: number): Promise<void> {
    // The common case, a blocking call on an idle queue: write at once.
    if (
      deadline === Infinity && this.#writing === null && !this.#turnHeld && this.#error === null &&
      data.length > 0
    ) {
      return this.#writeNow(data);
    }
    // A call that may give up, whose bytes fit, with nobody ahead of it:
    // queued at once (what #sendAll would do after taking its turn).
    if (deadline !== Infinity && this.#mayQueue() && data.length <= this.#limit - this.#queued) {
      if (data.length > 0) this.#enqueueCopy(data);
      return RESOLVED;
    }
    return this.#sendAll(data, deadline);
  }

  /** Whether a call may queue bytes now: nobody holds or waits for the turn, no failure. */
  #mayQueue(): boolean {
    return !this.#turnHeld && this.#error === null && this.#closedError === null;
  }

  async #sendAll(data: Uint8Array, deadline: number): Promise<void> {
    if (this.#error) throw this.#error;
    if (this.#closedError) throw this.#closedError;
    if (deadline === Infinity) {
      if (data.length === 0) return;
      if (!this.#enter()) await this.#waitTurn(deadline);
      let done: Promise<unknown>;
      try {
        done = this.#writing === null ? this.#writeNow(data) : this.#lend(data, false);
      } finally {
        this.#passTurn();
      }
      await done;
      return;
    }
    if (!this.#enter()) await this.#waitTurn(deadline);
    try {
      let offset = 0;
      while (offset < data.length) {
        const room = this.#limit - this.#queued;
        if (room <= 0) {
          if (deadline === 0) throw wouldBlock();
          await this.#waitForRoom(deadline);
          continue;
        }
        const n = Math.min(room, data.length - offset);
        this.#enqueueCopy(data.subarray(offset, offset + n));
        offset += n;
      }
    } finally {
      this.#passTurn();
    }
  }

  /**
   * Sends what it can of `data`; resolves the count. Blocking mode writes
   * once when its turn comes and reports what the write took; the other
   * modes queue as much as fits, waiting for room until the deadline.
   */
  send(data: Uint8Array, deadline: number): Promise<number> {
    // The common case in timeout and non-blocking modes: room, nobody ahead.
    if (deadline !== Infinity && this.#mayQueue() && this.#queued < this.#limit) {
      const n = Math.min(this.#limit - this.#queued, data.length);
      if (n > 0) this.#enqueueCopy(n === data.length ? data : data.subarray(0, n));
      return Promise.resolve(n);
    }
    return this.#send(data, deadline);
  }

  async #send(data: Uint8Array, deadline: number): Promise<number> {
    if (this.#error) throw this.#error;
    if (this.#closedError) throw this.#closedError;
    if (data.length === 0) return 0;
    if (!this.#enter()) await this.#waitTurn(deadline);
    try {
      if (deadline === Infinity) return this.#lend(data, true);
      while (this.#limit - this.#queued <= 0) {
        if (deadline === 0) throw wouldBlock();
        await this.#waitForRoom(deadline);
      }
      const n = Math.min(this.#limit - this.#queued, data.length);
      this.#enqueueCopy(data.subarray(0, n));
      return n;
    } finally {
      this.#passTurn();
    }
  }

  /** Takes the turn to queue bytes if nobody holds it or waits for it. */
  #enter(): boolean {
    if (this.#turnHeld || this.#turns.length > 0) return false;
    this.#turnHeld = true;
    return true;
  }

  /** Waits for the turn to queue bytes (`BlockingIOError` if `deadline` is 0). */
  async #waitTurn(deadline: number): Promise<void> {
    if (deadline === 0) throw wouldBlock();
    if (this.#closedError) throw this.#closedError;
    const waiter = new Waiter<void>(deadline, (w: Timed) => {
      const i = this.#turns.indexOf(w as Waiter<void>);
      if (i >= 0) this.#turns.splice(i, 1);
    });
    this.#turns.push(waiter);
    alarm.watch(waiter);
    await waiter.promise; // the turn is handed over: #turnHeld stays true
    if (this.#error) {
      this.#passTurn();
      throw this.#error;
    }
  }

  /** Hands the turn to the next call in line. */
  #passTurn(): void {
    const next = this.#turns.shift();
    if (next !== undefined) next.resolve();
    else this.#turnHeld = false;
  }

  /** Resolves once everything queued is written (or writing failed). */
  flushed(): Promise<void> {
    if (this.#writing === null) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Closes the queue to callers, as `close()` closes a descriptor: calls
   * waiting for room or for their turn fail with `reason()`, and later
   * calls too; what the queue already accepted is still written, as the
   * kernel delivers its send buffer after `close()`. Resolves once that is
   * written, or writing failed (see `abort()`).
   */
  close(reason: () => Error): Promise<void> {
    if (this.#closedError === null) {
      const waiting = this.#roomWaiters.length > 0 || this.#turns.length > 0;
      this.#closedError = waiting ? reason() : CLOSED;
      this.#rejectWaiters(this.#closedError);
    }
    return this.flushed();
  }

  /** Drops what is unsent (a close that stopped lingering); lenders fail with `reason`. */
  abort(reason: Error): void {
    this.#fail(reason);
    this.#wakeIdle();
  }

  /** Writes `data` in full, the queue being idle: no chunk, no waiter. */
  #writeNow(data: Uint8Array): Promise<void> {
    // Promise reactions rather than an async function: one fewer promise
    // per blocking sendall(), the hot path of a server answering requests.
    const done = this.#sink.write(data).then(
      (n) => this.#wrote(data, n),
      (e) => this.#writeFailed(e),
    );
    this.#writing = done;
    return done;
  }

  /** `#writeNow`'s write took `n` bytes of `data`: writes the rest, or is done. */
  #wrote(data: Uint8Array, n: number): Promise<void> | void {
    this.#written += n;
    tellPeer(this.#sink, n);
    if (n < data.length) {
      const rest = data.subarray(n);
      return this.#sink.write(rest).then((m) => this.#wrote(rest, m), (e) => this.#writeFailed(e));
    }
    this.#wroteAll();
  }

  #writeFailed(e: unknown): never {
    this.#fail(fromDenoError(e));
    this.#wroteAll();
    throw this.#error;
  }

  #wroteAll(): void {
    this.#writing = null;
    if (this.#chunks.length > 0) this.#kick();
    else this.#wakeIdle();
    this.#changed();
  }

  #wakeIdle(): void {
    const idle = this.#idle;
    this.#idle = [];
    for (const resolve of idle) resolve();
  }

  #lend(data: Uint8Array, once: boolean): Promise<number> {
    const lender = new Waiter<number>(Infinity, () => {});
    this.#chunks.push({ data, offset: 0, end: data.length, lender, once });
    this.#queued += data.length;
    this.#kick();
    return lender.promise;
  }

  /** Copies `data` into slabs at the end of the queue (small sends: see `SMALL_COPY`). */
  #enqueueCopy(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length) {
      let tail = this.#chunks.at(-1);
      if (tail === undefined || tail.lender !== null || tail.end === tail.data.length) {
        const rest = data.length - offset;
        tail = {
          data: tail === undefined && rest <= SMALL_COPY
            ? new Uint8Array(rest)
            : freeSlabs.pop() ?? new Uint8Array(SLAB),
          offset: 0,
          end: 0,
          lender: null,
          once: false,
        };
        this.#chunks.push(tail);
      }
      const n = Math.min(data.length - offset, tail.data.length - tail.end);
      tail.data.set(n === data.length ? data : data.subarray(offset, offset + n), tail.end);
      tail.end += n;
      offset += n;
    }
    this.#queued += data.length;
    this.#kick();
  }

  #waitForRoom(deadline: number): Promise<void> {
    if (this.#closedError) return Promise.reject(this.#closedError);
    const waiter = new Waiter<void>(deadline, (w: Timed) => {
      const i = this.#roomWaiters.indexOf(w as Waiter<void>);
      if (i >= 0) this.#roomWaiters.splice(i, 1);
    });
    this.#roomWaiters.push(waiter);
    alarm.watch(waiter);
    return waiter.promise;
  }

  #wakeRoomWaiters(): void {
    if (this.#roomWaiters.length === 0 || this.#queued >= this.#limit) return;
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const w of waiters) w.resolve();
  }

  #kick(): void {
    if (this.#writing === null) this.#writing = this.#drain();
  }

  async #drain(): Promise<void> {
    const chunks = this.#chunks;
    while (chunks.length > 0 && this.#error === null) {
      const chunk = chunks[0];
      try {
        do {
          const whole = chunk.offset === 0 && chunk.end === chunk.data.length;
          const n = await this.#sink.write(
            whole ? chunk.data : chunk.data.subarray(chunk.offset, chunk.end),
          );
          chunk.offset += n;
          this.#queued -= n;
          this.#written += n;
          tellPeer(this.#sink, n);
          this.#wakeRoomWaiters();
          this.#changed();
        } while (!chunk.once && chunk.offset < chunk.end);
      } catch (e) {
        this.#fail(fromDenoError(e));
        break;
      }
      chunks.shift();
      if (chunk.once) this.#queued -= chunk.end - chunk.offset;
      if (chunk.lender !== null) chunk.lender.resolve(chunk.offset);
      else if (chunk.data.length === SLAB && freeSlabs.length < MAX_FREE_SLABS) {
        freeSlabs.push(chunk.data);
      }
    }
    this.#writing = null;
    this.#wakeIdle();
  }

  #fail(error: Error): void {
    if (this.#error === null) this.#error = error;
    const chunks = this.#chunks.splice(0);
    this.#queued = 0;
    for (const chunk of chunks) chunk.lender?.reject(this.#error);
    this.#rejectWaiters(this.#error);
    this.#changed();
  }

  #rejectWaiters(error: Error): void {
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const w of waiters) w.reject(error);
    const turns = this.#turns;
    this.#turns = [];
    for (const w of turns) w.reject(error);
  }
}
