/**
 * The accept engine of a listening socket, built like the receive engine:
 * at most one `accept()` of the listener is pending, connections it brings
 * wait in a queue (no longer than the backlog) until a call takes them, and
 * calls are served in call order. A call that times out or would block
 * orphans nothing: a connection that arrives later goes to the next call.
 *
 * @module
 */

import { alarm, type Timed, Waiter } from "./_deadline.ts";
import { fromDenoError } from "./_errno.ts";
import { ECONNABORTED, ECONNRESET, ENOTCONN, EPROTO } from "./constants.ts";

/**
 * Errors of a connection that was reset or aborted between the kernel's
 * accept and Deno's look at it (Deno 2.9.6 fails the accept with ENOTCONN
 * when it cannot read the peer's address). Python would return a socket
 * whose first `recv()` reports the reset; Deno gives no connection to
 * return, so the engine skips it and accepts the next one: an accept loop
 * never breaks on a client that came and went.
 */
const GONE = new Set([ENOTCONN, ECONNABORTED, ECONNRESET, EPROTO]);

/** The accept side of one listener. */
export class AcceptQueue {
  #listener: Deno.Listener;
  #backlog: number;
  #ready: Deno.Conn[] = [];
  #waiters: Waiter<Deno.Conn>[] = [];
  #pending: Promise<void> | null = null;
  #error: Error | null = null;
  #closed = false;
  #prefetch = false;
  #admit: (conn: Deno.Conn) => boolean;
  #changed: () => void;

  /**
   * `admit` may refuse a connection (closing it), as a socket option asks;
   * `changed` is told when a connection (or an error) is queued.
   */
  constructor(
    listener: Deno.Listener,
    backlog: number,
    admit: (conn: Deno.Conn) => boolean = () => true,
    changed: () => void = () => {},
  ) {
    this.#listener = listener;
    this.#backlog = Math.max(1, backlog);
    this.#admit = admit;
    this.#changed = changed;
  }

  /** Whether a call would be served at once (a connection or an error is queued). */
  get ready(): boolean {
    return this.#ready.length > 0 || this.#error !== null;
  }

  /** Keep an accept posted while nobody waits (timeout and non-blocking modes). */
  set prefetch(on: boolean) {
    this.#prefetch = on;
    if (on) this.#pump();
  }

  /** The next connection, under `deadline` (0: may not wait, see `Waiter`). */
  take(deadline: number): Promise<Deno.Conn> {
    if (this.#waiters.length === 0) {
      const conn = this.#ready.shift();
      if (conn !== undefined) {
        this.#pump();
        return Promise.resolve(conn);
      }
      const error = this.#error;
      if (error) {
        this.#error = null;
        return Promise.reject(error);
      }
    }
    const waiter = new Waiter<Deno.Conn>(deadline, this.#expire);
    this.#waiters.push(waiter);
    alarm.watch(waiter);
    this.#pump();
    return waiter.promise;
  }

  /** Fails waiting calls with `reason()`, closes queued connections; returns the pending accept. */
  close(reason: () => Error): Promise<void> | null {
    this.#closed = true;
    if (this.#waiters.length > 0) {
      const error = reason();
      for (const w of this.#waiters.splice(0)) w.reject(error);
    }
    for (const conn of this.#ready.splice(0)) conn.close();
    return this.#pending;
  }

  #expire = (w: Timed): void => {
    const i = this.#waiters.indexOf(w as Waiter<Deno.Conn>);
    if (i >= 0) this.#waiters.splice(i, 1);
  };

  #pump(): void {
    if (this.#waiters.length > 0 || (this.#prefetch && this.#ready.length < this.#backlog)) {
      this.#post();
    }
  }

  #post(): void {
    if (this.#pending || this.#closed || this.#error) return;
    this.#pending = this.#listener.accept().then(this.#onConn, this.#onError);
  }

  #onConn = (conn: Deno.Conn): void => {
    this.#pending = null;
    if (this.#closed) {
      conn.close();
      return;
    }
    if (this.#admit(conn)) {
      const waiter = this.#waiters.shift();
      if (waiter) waiter.resolve(conn);
      else {
        this.#ready.push(conn);
        this.#changed();
      }
    }
    this.#pump();
  };

  #onError = (e: unknown): void => {
    this.#pending = null;
    if (this.#closed) return;
    // A failed accept fails one call, as in C; the listener goes on.
    const error = fromDenoError(e);
    if (error.errno !== null && GONE.has(error.errno)) return this.#pump();
    const waiter = this.#waiters.shift();
    if (waiter) waiter.reject(error);
    else {
      this.#error = error;
      this.#changed();
    }
    this.#pump();
  };
}
