/**
 * Deadlines for calls in timeout mode: one timer for the whole process,
 * however many sockets and calls wait on it. Arming and clearing a timer
 * per call costs more than the call itself at 100k calls/s, and a timer per
 * socket costs memory and a timer op per idle connection; so a call that
 * finishes early leaves the timer alone, and when it fires, it expires what
 * is due and re-arms for the next deadline, if any. It counts the calls
 * still waiting, so that closing the last socket that had one stops it.
 *
 * @module
 */

import { setImmediate } from "node:timers";
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
  /** A call that may not wait: it expires at the next turn of the event loop. */
  readonly nonblocking?: boolean;
}

/** The deadline for a call under a timeout, in `performance.now()` ms. */
export function deadlineFor(timeout: number | null): number {
  if (timeout === null) return Infinity;
  if (timeout === 0) return 0;
  return performance.now() + timeout * 1000;
}

/** Calls watched by the alarm and not yet settled (see `Waiter.settle`). */
let waiting = 0;

/** The timer serving every call that waits with a deadline (use `alarm`). */
export class Alarm {
  #items: Timed[] = [];
  #compactAt = 32;
  #id: ReturnType<typeof setTimeout> | undefined;
  #at = Infinity;

  /**
   * Expires `item` once its deadline passes, unless it settled before. A
   * call that may not wait expires at the next turn of the event loop.
   */
  watch(item: Timed): void {
    if (item.deadline === Infinity) return;
    if (item.nonblocking) return expireNextTurn(item);
    if (item instanceof Waiter) {
      if (item.settled || item.watched) return;
      item.watched = true;
      waiting++;
    }
    if (this.#items.length >= this.#compactAt) {
      this.#items = this.#items.filter((i) => !i.settled);
      this.#compactAt = Math.max(32, this.#items.length * 2);
    }
    this.#items.push(item);
    if (item.deadline < this.#at) this.#arm(item.deadline);
  }

  /**
   * A socket closed: if no call waits with a deadline any more, stops the
   * timer (so none outlives the sockets that armed it).
   */
  release(): void {
    if (waiting > 0 || this.#id === undefined) return;
    clearTimeout(this.#id);
    this.#id = undefined;
    this.#at = Infinity;
    this.#items = [];
    this.#compactAt = 32;
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

/** The process's one alarm. */
export const alarm: Alarm = new Alarm();

/** Would-block error, as the kernel reports it. */
export function wouldBlock(): BlockingIOError {
  return new BlockingIOError(EAGAIN, strerror(EAGAIN));
}

/**
 * A pending call: a promise with its deadline, settled once.
 *
 * A call that may not wait (deadline 0, non-blocking mode) answers from
 * what the engine holds, after one cheap turn of the event loop (see
 * `nextTurn()`), so that a loop that retries on `BlockingIOError` lets Deno
 * run instead of spinning forever.
 */
export class Waiter<T> implements Timed {
  settled = false;
  readonly promise: Promise<T>;
  /** Whether the call gives up at the next turn of the event loop. */
  readonly nonblocking: boolean;
  readonly deadline: number;
  /** Whether giving up is `BlockingIOError` (else `TimeoutError`). */
  #mayNotWait: boolean;
  #resolve!: (value: T) => void;
  #reject!: (reason: unknown) => void;

  /**
   * `deadline` 0: a call that may not wait. `grace` (ms), for such a call
   * only: bytes are known to be on their way (this process sent them over
   * loopback), so it waits for them that long at most before it gives up
   * with `BlockingIOError`, as the kernel would have them already.
   */
  constructor(
    deadline: number,
    readonly onExpire: (waiter: Timed) => void,
    grace = 0,
  ) {
    this.#mayNotWait = deadline === 0;
    this.nonblocking = deadline === 0 && grace === 0;
    this.deadline = deadline === 0 ? performance.now() + grace : deadline;
    this.promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** Whether the alarm counts this call as waiting. */
  watched = false;

  resolve(value: T): void {
    if (this.settled) return;
    this.#settle();
    this.#resolve(value);
  }

  reject(reason: unknown): void {
    if (this.settled) return;
    this.#settle();
    this.#reject(reason);
  }

  #settle(): void {
    this.settled = true;
    if (this.watched) waiting--;
  }

  expire(): void {
    if (this.settled) return;
    this.onExpire(this);
    this.reject(this.#mayNotWait ? wouldBlock() : new TimeoutError("timed out"));
  }
}

// ------------------------------------------------------------- event-loop turns

/**
 * Calls that may not wait, expiring at the next turn of the event loop.
 *
 * Why a turn at all: a program that retries on `BlockingIOError` without
 * awaiting anything else must still let Deno notice what arrived, or it
 * would spin forever. Why `setImmediate`: it costs about 3 µs, where a
 * `setTimeout(0)` costs about 2 ms in Deno 2.9.6 (its timers have a
 * millisecond floor). An immediate runs without polling the network, but
 * Deno's runtime (tokio's scheduler) polls it every 61 turns at most, and
 * whenever nothing else is ready: a retry loop sees new bytes within about
 * 60 turns (0.2 ms), and a program that waits in `select()` sees them at
 * once. Every call that gives up within one turn shares one immediate.
 */
let dueNextTurn: Timed[] = [];
let turnWaiters: (() => void)[] = [];

function scheduleTurn(): void {
  if (dueNextTurn.length === 0 && turnWaiters.length === 0) setImmediate(runTurn);
}

function expireNextTurn(item: Timed): void {
  scheduleTurn();
  dueNextTurn.push(item);
}

function runTurn(): void {
  const due = dueNextTurn;
  const waiters = turnWaiters;
  dueNextTurn = [];
  turnWaiters = [];
  for (const item of due) if (!item.settled) item.expire();
  for (const resolve of waiters) resolve();
}

/**
 * Resolves at the next turn of the event loop (shared by every caller in
 * this turn): what a poll with timeout 0 waits for before it answers
 * "nothing ready", so that a polling loop cannot starve Deno.
 */
export function nextTurn(): Promise<void> {
  scheduleTurn();
  return new Promise((resolve) => turnWaiters.push(resolve));
}
