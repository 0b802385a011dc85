/**
 * What `select`, `poll`, `epoll` and `selectors` share: turning what
 * Python accepts as a file descriptor into one of pysocket's sockets, and
 * waiting for readiness (woken by the sockets' watchers, at most one timer
 * per call).
 *
 * @module
 */

import {
  byFileno,
  isSelectable,
  type Pollable,
  POLLERR as ERR,
  POLLHUP as HUP,
  POLLIN as IN,
  POLLOUT as OUT,
  POLLPRI as PRI,
  POLLRDBAND as RDBAND,
  POLLRDNORM as RDNORM,
  POLLWRBAND as WRBAND,
  POLLWRNORM as WRNORM,
  readiness,
  type Selectable,
} from "./_readiness.ts";
import { FileObject } from "./file_object.ts";
// One turn of the event loop (an immediate, shared): what a call that finds
// nothing ready with a zero timeout gives Deno, so that a loop of such
// calls cannot starve it.
import { nextTurn } from "./_deadline.ts";

/** Something with a `fileno()`, as Python's `select` takes. */
export interface HasFileno {
  /** The number of the socket (one of pysocket's). */
  fileno(): number;
}

/**
 * What `select()`, `poll` and `selectors` accept: a socket, a file object
 * from `makefile()`, anything whose `fileno()` returns one of pysocket's
 * numbers, or such a number.
 */
export type FileDescriptorLike = number | HasFileno | FileObject;

const INT_MAX = 2 ** 31 - 1;
const ARG_ERROR = "argument must be an int, or have a fileno() method.";

/** Python's `PyObject_AsFileDescriptor()`: the number of `obj`, with Python's errors. */
export function asFileDescriptor(obj: unknown): number {
  let fd: unknown;
  if (typeof obj === "number") {
    if (!Number.isInteger(obj)) throw new TypeError(ARG_ERROR);
    fd = obj;
  } else if (
    typeof obj === "object" && obj !== null &&
    typeof (obj as { fileno?: unknown }).fileno === "function"
  ) {
    fd = (obj as HasFileno).fileno();
    if (typeof fd !== "number" || !Number.isInteger(fd)) {
      throw new TypeError("fileno() returned a non-integer");
    }
  } else if (obj instanceof FileObject) {
    // A file object from makefile(): its socket's number (Python's
    // SocketIO.fileno()).
    fd = obj.name;
  } else {
    throw new TypeError(ARG_ERROR);
  }
  const n = fd as number;
  if (n > INT_MAX || n < -INT_MAX - 1) {
    throw new RangeError("Python int too large to convert to C int");
  }
  if (n < 0) throw new RangeError(`file descriptor cannot be a negative integer (${n})`);
  return n;
}

/** The socket behind `obj` (already resolved to `fd`), or `null` for a number nobody has. */
export function pollableFor(obj: unknown, fd: number): Pollable | null {
  const sock = isSelectable(obj) ? obj : byFileno.get(fd);
  if (!sock) return null;
  // A socket's `Pollable` is made on each access: keep one per socket, so
  // that a select() over many sockets does not make them again each call.
  let pollable = pollables.get(sock);
  if (pollable === undefined) {
    pollable = sock[readiness];
    pollables.set(sock, pollable);
  }
  return pollable;
}

const pollables: WeakMap<Selectable, Pollable> = new WeakMap();

/** What Linux's `select()` counts as readable, writable, exceptional. */
export const SELECT_IN = IN | RDNORM | RDBAND | HUP | ERR;
export const SELECT_OUT = OUT | WRNORM | WRBAND | ERR;
export const SELECT_EX = PRI;

const MAX_DELAY = INT_MAX;

/** One timer, re-armed when the delay is beyond what `setTimeout` takes. */
class LongTimer {
  #id: ReturnType<typeof setTimeout> | undefined;
  #until: number;
  #fire: () => void;

  constructor(ms: number, fire: () => void) {
    this.#until = performance.now() + ms;
    this.#fire = fire;
    this.#arm(ms);
  }

  #arm(ms: number): void {
    this.#id = setTimeout(() => {
      const left = this.#until - performance.now();
      if (left > 1) this.#arm(left);
      else {
        this.#id = undefined;
        this.#fire();
      }
    }, Math.min(ms, MAX_DELAY));
  }

  clear(): void {
    if (this.#id !== undefined) clearTimeout(this.#id);
    this.#id = undefined;
  }
}

/**
 * The waiting side of `select`, `poll`, `epoll` and the selectors: the
 * sockets' watchers call `notify`, which schedules one re-check of every
 * waiting call (coalesced in a microtask).
 */
export class Wakeup {
  #waiters: Set<() => void> = new Set();
  #scheduled = false;

  /** For the sockets' watchers: something may have changed. */
  notify = (): void => {
    if (this.#scheduled || this.#waiters.size === 0) return;
    this.#scheduled = true;
    queueMicrotask(this.#run);
  };

  #run = (): void => {
    this.#scheduled = false;
    for (const recheck of [...this.#waiters]) recheck();
  };

  /**
   * Resolves with `check()`'s first non-null answer; `ms` 0: after one
   * turn of the event loop; at the deadline: `check()`'s answer or `null`;
   * `ms` null: no deadline. Rejects with what `check()` throws.
   */
  async wait<T>(check: () => T | null, ms: number | null): Promise<T | null> {
    const first = check();
    if (first !== null) return first;
    if (ms === 0) {
      await nextTurn();
      return check();
    }
    return await new Promise<T | null>((resolve, reject) => {
      let timer: LongTimer | null = null;
      const done = () => {
        this.#waiters.delete(recheck);
        timer?.clear();
      };
      const settle = (last: boolean) => {
        let answer: T | null;
        try {
          answer = check();
        } catch (e) {
          done();
          reject(e);
          return;
        }
        if (answer !== null || last) {
          done();
          resolve(answer);
        }
      };
      const recheck = () => settle(false);
      this.#waiters.add(recheck);
      if (ms !== null) timer = new LongTimer(ms, () => settle(true));
    });
  }
}
