/**
 * Deadlines for calls in timeout mode: one timer per socket, however many
 * calls wait on it. Arming and clearing a timer per call costs more than
 * the call itself at 100k calls/s, so a call that finishes early leaves the
 * timer alone; when it fires, it expires what is due and re-arms for the
 * next deadline, if any.
 *
 * @module
 */

import { EAGAIN } from "./constants.ts";
import { strerror } from "./_errno.ts";
import { BlockingIOError, TimeoutError } from "./errors.ts";

/** A call that waits with a deadline. */
export interface Timed {
  /** When it gives up, in `performance.now()` milliseconds. */
  readonly deadline: number;
  /** True once the call has settled, one way or another. */
  readonly settled: boolean;
  /** Gives up: called once the deadline has passed, if not yet settled. */
  expire(): void;
}

/** The deadline for a call under a timeout, in `performance.now()` ms. */
export function deadlineFor(timeout: number | null): number {
  if (timeout === null) return Infinity;
  if (timeout === 0) return 0;
  return performance.now() + timeout * 1000;
}

/** One timer serving every call of one socket that waits with a deadline. */
export class Alarm {
  #items: Timed[] = [];
  #compactAt = 32;
  #id: ReturnType<typeof setTimeout> | undefined;
  #at = Infinity;

  /** Expires `item` once its deadline passes, unless it settled before. */
  watch(item: Timed): void {
    if (item.deadline === Infinity) return;
    if (this.#items.length >= this.#compactAt) {
      this.#items = this.#items.filter((i) => !i.settled);
      this.#compactAt = Math.max(32, this.#items.length * 2);
    }
    this.#items.push(item);
    if (item.deadline < this.#at) this.#arm(item.deadline);
  }

  /** Forgets every item and stops the timer (the socket is closing). */
  clear(): void {
    if (this.#id !== undefined) clearTimeout(this.#id);
    this.#id = undefined;
    this.#at = Infinity;
    this.#items = [];
  }

  #arm(at: number): void {
    if (this.#id !== undefined) clearTimeout(this.#id);
    this.#at = at;
    // Round up: a timer that fires early would only re-arm.
    this.#id = setTimeout(this.#fire, Math.max(0, Math.ceil(at - performance.now())));
  }

  #fire = (): void => {
    this.#id = undefined;
    this.#at = Infinity;
    const now = performance.now();
    const due: Timed[] = [];
    const keep: Timed[] = [];
    let next = Infinity;
    for (const item of this.#items) {
      if (item.settled) continue;
      if (item.deadline <= now) {
        due.push(item);
      } else {
        keep.push(item);
        if (item.deadline < next) next = item.deadline;
      }
    }
    this.#items = keep;
    this.#compactAt = Math.max(32, keep.length * 2);
    if (next !== Infinity) this.#arm(next);
    for (const item of due) if (!item.settled) item.expire();
  };
}

/** Would-block error, as the kernel reports it. */
export function wouldBlock(): BlockingIOError {
  return new BlockingIOError(EAGAIN, strerror(EAGAIN));
}

/**
 * A pending call: a promise with its deadline, settled once.
 *
 * A call that may not wait (deadline 0, non-blocking mode) still waits one
 * turn of the event loop before it gives up with `BlockingIOError`: Deno
 * notices data that has arrived, or a connection that completed, only when
 * its event loop polls, and a program that retries on `BlockingIOError`
 * without ever awaiting anything else would otherwise never let it poll.
 */
export class Waiter<T> implements Timed {
  settled = false;
  readonly promise: Promise<T>;
  /** Whether the call may not wait (it gives up with `BlockingIOError`). */
  readonly nonblocking: boolean;
  readonly deadline: number;
  #resolve!: (value: T) => void;
  #reject!: (reason: unknown) => void;

  constructor(
    deadline: number,
    readonly onExpire: (waiter: Timed) => void,
  ) {
    this.nonblocking = deadline === 0;
    this.deadline = this.nonblocking ? performance.now() : deadline;
    this.promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  resolve(value: T): void {
    if (this.settled) return;
    this.settled = true;
    this.#resolve(value);
  }

  reject(reason: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.#reject(reason);
  }

  expire(): void {
    if (this.settled) return;
    this.onExpire(this);
    this.reject(this.nonblocking ? wouldBlock() : new TimeoutError("timed out"));
  }
}
