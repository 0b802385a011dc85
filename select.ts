/**
 * Python's `select` module over pysocket sockets: `select()`, `poll()` and
 * `epoll` with Linux's semantics (level-triggered readiness, the same
 * `poll()` bits, the same errors), so event-loop programs written around
 * `select.select()` port line by line.
 *
 * What can be passed: pysocket sockets, objects whose `fileno()` returns one
 * of their numbers (file objects from `makefile()`), and those plain
 * numbers. Waiting is driven by the sockets themselves: a waiting call
 * arms at most one timer and never polls in a loop.
 *
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import assert from "node:assert/strict";
 *
 * await using server = socket.socket();
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * await using client = socket.socket();
 * await client.connect(server.getsockname());
 * const [r] = await select.select([server], [], [], 5);
 * assert.deepEqual(r, [server]);
 * const [conn] = await server.accept();
 * await conn.close();
 * ```
 *
 * @module
 */

import {
  type Pollable,
  POLLERR as ERR,
  POLLHUP as HUP,
  POLLIN as IN,
  POLLMSG as MSG,
  POLLNVAL as NVAL,
  POLLOUT as OUT,
  POLLPRI as PRI,
  POLLRDBAND as RDBAND,
  POLLRDHUP as RDHUP,
  POLLRDNORM as RDNORM,
  POLLWRBAND as WRBAND,
  POLLWRNORM as WRNORM,
} from "./_readiness.ts";
import { OSError } from "./errors.ts";
import { EBADF, EEXIST, ENOENT } from "./constants.ts";
import { oserror } from "./_errno.ts";
import {
  asFileDescriptor,
  type FileDescriptorLike,
  pollableFor,
  SELECT_EX,
  SELECT_IN,
  SELECT_OUT,
  Wakeup,
} from "./_selecting.ts";

export type { FileDescriptorLike, HasFileno } from "./_selecting.ts";
// What a selectable object implements (pysocket's sockets do), for wrappers
// that want to be selectable themselves.
export { type Pollable, readiness } from "./_readiness.ts";

/** Like Python's `select.POLLIN`: there is data to read. */
export const POLLIN: number = IN;
/** Like Python's `select.POLLPRI`: urgent data to read (never, for pysocket's sockets). */
export const POLLPRI: number = PRI;
/** Like Python's `select.POLLOUT`: ready for output. */
export const POLLOUT: number = OUT;
/** Like Python's `select.POLLERR`: an error condition (always reported). */
export const POLLERR: number = ERR;
/** Like Python's `select.POLLHUP`: hung up (always reported). */
export const POLLHUP: number = HUP;
/** Like Python's `select.POLLNVAL`: invalid request, the socket is closed (always reported). */
export const POLLNVAL: number = NVAL;
/** Like Python's `select.POLLRDNORM`: normal data to read. */
export const POLLRDNORM: number = RDNORM;
/** Like Python's `select.POLLRDBAND`: priority band data to read. */
export const POLLRDBAND: number = RDBAND;
/** Like Python's `select.POLLWRNORM`: ready for normal output. */
export const POLLWRNORM: number = WRNORM;
/** Like Python's `select.POLLWRBAND`: ready for priority band output. */
export const POLLWRBAND: number = WRBAND;
/** Like Python's `select.POLLMSG` (unused on Linux). */
export const POLLMSG: number = MSG;
/** Like Python's `select.POLLRDHUP`: the peer closed its side, or the socket was shut down for reading. */
export const POLLRDHUP: number = RDHUP;

/** Like Python's `select.EPOLLIN`. */
export const EPOLLIN: number = IN;
/** Like Python's `select.EPOLLPRI`. */
export const EPOLLPRI: number = PRI;
/** Like Python's `select.EPOLLOUT`. */
export const EPOLLOUT: number = OUT;
/** Like Python's `select.EPOLLERR`. */
export const EPOLLERR: number = ERR;
/** Like Python's `select.EPOLLHUP`. */
export const EPOLLHUP: number = HUP;
/** Like Python's `select.EPOLLRDNORM`. */
export const EPOLLRDNORM: number = RDNORM;
/** Like Python's `select.EPOLLRDBAND`. */
export const EPOLLRDBAND: number = RDBAND;
/** Like Python's `select.EPOLLWRNORM`. */
export const EPOLLWRNORM: number = WRNORM;
/** Like Python's `select.EPOLLWRBAND`. */
export const EPOLLWRBAND: number = WRBAND;
/** Like Python's `select.EPOLLMSG`. */
export const EPOLLMSG: number = MSG;
/** Like Python's `select.EPOLLRDHUP`. */
export const EPOLLRDHUP: number = RDHUP;
/**
 * Like Python's `select.EPOLLET`: edge-triggered. Here an event is
 * reported once after each change of state the socket signals (which may
 * be more often than Linux reports it).
 */
export const EPOLLET: number = 0x80000000;
/** Like Python's `select.EPOLLONESHOT`: report once, then disable until `modify()`. */
export const EPOLLONESHOT: number = 0x40000000;
/** Like Python's `select.EPOLLEXCLUSIVE` (accepted; no effect in one process). */
export const EPOLLEXCLUSIVE: number = 0x10000000;
/** Like Python's `select.EPOLL_CLOEXEC` (accepted; nothing is inherited here). */
export const EPOLL_CLOEXEC: number = 0x80000;
/** Like Python's `select.PIPE_BUF` on Linux. */
export const PIPE_BUF: number = 4096;

/** Like Python's `select.error`: an alias of `OSError`. */
export const error: typeof OSError = OSError;
/** Like Python's `select.error`: an alias of `OSError`. */
export type error = OSError;

/**
 * Like Python's built-in `KeyError`: `poll.unregister()` of a number that
 * is not registered, and the `selectors` errors for a file object that is
 * (or is not) registered. The message is the key, or Python's text.
 *
 * @example
 * ```ts
 * import { KeyError, poll } from "@pysocket/socket/select";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => poll().unregister(99), KeyError);
 * ```
 */
export class KeyError extends Error {
  static {
    this.prototype.name = "KeyError";
  }
}

/**
 * Like Python's built-in `RuntimeError`: `poll()` called while another
 * `poll()` of the same object waits, and `get_key()` on a closed selector.
 *
 * @example
 * ```ts
 * import { RuntimeError } from "@pysocket/socket/select";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new RuntimeError("Selector is closed").name, "RuntimeError");
 * ```
 */
export class RuntimeError extends Error {
  static {
    this.prototype.name = "RuntimeError";
  }
}

/** Seconds (`select`'s timeout) to milliseconds, with Python's errors. */
function selectTimeout(timeout: unknown): number | null {
  if (timeout === null || timeout === undefined) return null;
  if (typeof timeout !== "number") throw new TypeError("timeout must be a float or None");
  if (Number.isNaN(timeout)) throw new RangeError("Invalid value NaN (not a number)");
  if (timeout < 0) throw new RangeError("timeout must be non-negative");
  if (!Number.isFinite(timeout) || timeout > 9.2e9) {
    throw new RangeError("timestamp too large to convert to C _PyTime_t");
  }
  return Math.ceil(timeout * 1000);
}

interface Entry<T> {
  obj: T;
  target: Pollable;
}

function entries<T>(list: Iterable<T>): Entry<T>[] {
  if (
    list === null || typeof list !== "object" ||
    typeof (list as Iterable<T>)[Symbol.iterator] !== "function"
  ) {
    throw new TypeError("arguments 1-3 must be sequences");
  }
  const out: Entry<T>[] = [];
  for (const obj of list) {
    const fd = asFileDescriptor(obj);
    const target = pollableFor(obj, fd);
    // Linux's select() fails with EBADF for a number nobody has open.
    if (target === null) throw oserror(EBADF);
    out.push({ obj, target });
  }
  return out;
}

/**
 * Like Python's `select.select()`, but returns a promise: waits until some
 * of the objects in `rlist` are ready for reading, in `wlist` for writing,
 * or in `xlist` have an exceptional condition, and resolves with those
 * three lists (the very objects passed in, in their order).
 *
 * Readable: bytes buffered, end of stream, a pending error, a connection
 * waiting to be accepted, a datagram queued. Writable: connected with room
 * in the send buffer, or a non-blocking connect that finished (then
 * `SO_ERROR` tells how). Exceptional: urgent data, which pysocket's
 * sockets never have, so `xlist` objects are checked but never reported.
 *
 * @param rlist Objects to wait for reading.
 * @param wlist Objects to wait for writing.
 * @param xlist Objects to wait for an exceptional condition.
 * @param timeout Seconds; `0` polls (after one turn of the event loop when
 *   nothing is ready), `null` or omitted waits without limit.
 * @returns `[readable, writable, exceptional]`.
 * @throws {TypeError} `arguments 1-3 must be sequences`, `argument must be
 *   an int, or have a fileno() method.`, `timeout must be a float or None`.
 * @throws {RangeError} `file descriptor cannot be a negative integer (-1)`
 *   (a closed socket), `timeout must be non-negative`, `Invalid value NaN
 *   (not a number)`.
 * @throws {OSError} `EBADF` for a number that is none of pysocket's open
 *   sockets, or a socket closed (for good) while the call waits.
 *
 * @example A listening socket becomes readable
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import { select } from "@pysocket/socket/select";
 * import assert from "node:assert/strict";
 *
 * await using server = socket.socket();
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * assert.deepEqual(await select([server], [], [], 0), [[], [], []]);
 * await using client = socket.socket();
 * await client.connect(server.getsockname());
 * assert.deepEqual(await select([server], [client], [], 5), [[server], [client], []]);
 * const [conn] = await server.accept();
 * await conn.close();
 * ```
 */
export async function select<R, W, X>(
  rlist: Iterable<R>,
  wlist: Iterable<W>,
  xlist: Iterable<X>,
  timeout?: number | null,
): Promise<[R[], W[], X[]]> {
  const rs = entries(rlist);
  const ws = entries(wlist);
  const xs = entries(xlist);
  const ms = selectTimeout(timeout);
  const check = (): [R[], W[], X[]] | null => {
    const maskOf = (target: Pollable) => {
      const mask = target.pollMask();
      if (mask & NVAL) throw oserror(EBADF);
      return mask;
    };
    const pick = <T>(list: Entry<T>[], bits: number) => {
      const out: T[] = [];
      for (const e of list) if (maskOf(e.target) & bits) out.push(e.obj);
      return out;
    };
    const r = pick(rs, SELECT_IN);
    const w = pick(ws, SELECT_OUT);
    const x = pick(xs, SELECT_EX);
    return r.length + w.length + x.length > 0 ? [r, w, x] : null;
  };
  const now = check();
  if (now !== null) return now;
  const wakeup = new Wakeup();
  const targets = new Set<Pollable>();
  for (const list of [rs, ws, xs] as Entry<unknown>[][]) {
    for (const e of list) targets.add(e.target);
  }
  const stops: (() => void)[] = [];
  try {
    for (const target of targets) stops.push(target.watch(wakeup.notify));
    return (await wakeup.wait(check, ms)) ?? [[], [], []];
  } finally {
    for (const stop of stops) stop();
  }
}

/** Python's `unsigned short` converter for event masks. */
function eventMask(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError("an integer is required");
  }
  if (value < 0) throw new RangeError("value must be positive");
  if (value > 0xffff) throw new RangeError("Python int too large for C unsigned short");
  return value;
}

/** `poll`'s timeout (milliseconds; negative or null: forever), with Python's errors. */
function pollTimeout(timeout: unknown): number | null {
  if (timeout === null || timeout === undefined) return null;
  if (typeof timeout !== "number") throw new TypeError("timeout must be an integer or None");
  if (Number.isNaN(timeout)) throw new RangeError("Invalid value NaN (not a number)");
  if (timeout < 0) return null;
  if (!Number.isFinite(timeout)) throw new RangeError("timeout is too large");
  return Math.ceil(timeout);
}

interface PollEntry {
  fd: number;
  /** Registration order, the order `poll()` reports in. */
  seq: number;
  events: number;
  target: Pollable | null;
  stop: (() => void) | null;
}

/**
 * Like the object Python's `select.poll()` returns: a set of registered
 * numbers and the events each waits for. Registered sockets are watched
 * (a read stays posted, so readiness is observed) until unregistered.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import assert from "node:assert/strict";
 *
 * await using a = socket.socket();
 * const p = select.poll();
 * p.register(a, select.POLLIN | select.POLLOUT);
 * // A fresh stream socket: POLLOUT | POLLHUP, as on Linux.
 * const [[fd, events]] = await p.poll(0);
 * assert.equal(fd, a.fileno());
 * assert.ok(events & select.POLLHUP);
 * p.unregister(a);
 * ```
 */
export class Poll {
  #fds: Map<number, PollEntry> = new Map();
  /**
   * The entries to look at: those whose socket signalled a change, and
   * those found ready last time (they stay until found not ready), so that
   * `poll()` costs what is ready or changed, not what is registered.
   */
  #candidates: Set<PollEntry> = new Set();
  #seq = 0;
  #wakeup = new Wakeup();
  #polling = false;

  /**
   * Like Python's `poll.register()`: registers `fd` (or changes its mask
   * if it is registered).
   *
   * @param fd A socket, a file object, or a number.
   * @param eventmask Bits of `POLLIN`, `POLLPRI`, `POLLOUT` (and the
   *   others); `POLLERR`, `POLLHUP` and `POLLNVAL` are always reported.
   * @throws {TypeError} for `fd` or `eventmask` of the wrong kind.
   * @throws {RangeError} for a negative `fd` (a closed socket) or a mask
   *   beyond 16 bits.
   */
  register(fd: FileDescriptorLike, eventmask: number = IN | PRI | OUT): void {
    const n = asFileDescriptor(fd);
    const events = eventMask(eventmask);
    const known = this.#fds.get(n);
    if (known) {
      known.events = events;
      this.#candidates.add(known);
      return;
    }
    const target = pollableFor(fd, n);
    const entry: PollEntry = { fd: n, seq: this.#seq++, events, target, stop: null };
    if (target) {
      entry.stop = target.watch(() => {
        this.#candidates.add(entry);
        this.#wakeup.notify();
      });
    }
    this.#fds.set(n, entry);
    this.#candidates.add(entry);
  }

  /**
   * Like Python's `poll.modify()`: changes the mask of a registered `fd`.
   *
   * @param fd A socket, a file object, or a number.
   * @param eventmask The new mask.
   * @throws {FileNotFoundError} `[Errno 2] No such file or directory` if
   *   `fd` is not registered.
   */
  modify(fd: FileDescriptorLike, eventmask: number): void {
    const n = asFileDescriptor(fd);
    const events = eventMask(eventmask);
    const known = this.#fds.get(n);
    if (!known) throw oserror(ENOENT);
    known.events = events;
    this.#candidates.add(known);
  }

  /**
   * Like Python's `poll.unregister()`; the socket stops being watched.
   *
   * @param fd A socket, a file object, or a number.
   * @throws {KeyError} if `fd` is not registered.
   */
  unregister(fd: FileDescriptorLike): void {
    const n = asFileDescriptor(fd);
    const known = this.#fds.get(n);
    if (!known) throw new KeyError(String(n));
    this.#fds.delete(n);
    this.#candidates.delete(known);
    known.stop?.();
  }

  /**
   * Like Python's `poll.poll()`, but returns a promise: the registered
   * numbers with events, as `[fd, events]` pairs.
   *
   * @param timeout Milliseconds; `0` polls (after one turn of the event
   *   loop when nothing is ready); negative, `null` or omitted waits
   *   without limit.
   * @returns `[fd, events][]`, in registration order.
   * @throws {TypeError} `timeout must be an integer or None`.
   * @throws {RangeError} `Invalid value NaN (not a number)`.
   * @throws {RuntimeError} `concurrent poll() invocation`.
   */
  async poll(timeout?: number | null): Promise<[number, number][]> {
    const ms = pollTimeout(timeout);
    if (this.#polling) throw new RuntimeError("concurrent poll() invocation");
    this.#polling = true;
    try {
      return (await this.#wakeup.wait(() => this.#check(), ms)) ?? [];
    } finally {
      this.#polling = false;
    }
  }

  #check(): [number, number][] | null {
    const ready: [PollEntry, number][] = [];
    for (const entry of this.#candidates) {
      const mask = entry.target ? entry.target.pollMask() : NVAL;
      const revents = mask & (entry.events | ERR | HUP | NVAL);
      if (revents) ready.push([entry, revents]);
      else this.#candidates.delete(entry);
    }
    if (ready.length === 0) return null;
    if (ready.length > 1) ready.sort(([a], [b]) => a.seq - b.seq);
    return ready.map(([entry, revents]) => [entry.fd, revents]);
  }
}

/**
 * Like Python's `select.poll()`: a new `Poll` object.
 *
 * @returns An empty `Poll`.
 *
 * @example
 * ```ts
 * import { poll } from "@pysocket/socket/select";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(await poll().poll(0), []);
 * ```
 */
export function poll(): Poll {
  return new Poll();
}

interface EpollEntry {
  fd: number;
  events: number;
  target: Pollable;
  stop: () => void;
  /** A change was signalled since the last report (for `EPOLLET`). */
  changed: boolean;
  /** Reported once with `EPOLLONESHOT`: nothing more until `modify()`. */
  disabled: boolean;
}

/** Events `epoll` reports (beyond these, flags). */
const EPOLL_EVENTS = 0xffff;

/**
 * Like Python's `select.epoll`: level-triggered by default; `EPOLLET`
 * reports an object once after each change of state its socket signals,
 * `EPOLLONESHOT` disables it after one report until `modify()`. A socket
 * closed while registered is dropped silently, as the kernel drops a
 * closed descriptor.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import assert from "node:assert/strict";
 *
 * await using a = socket.socket();
 * using ep = new select.epoll();
 * ep.register(a, select.EPOLLOUT);
 * assert.deepEqual(await ep.poll(0), [[a.fileno(), select.EPOLLOUT | select.EPOLLHUP]]);
 * ```
 */
export class epoll {
  #fds: Map<number, EpollEntry> = new Map();
  /** As `Poll`'s: what changed, or was ready last time. */
  #candidates: Set<EpollEntry> = new Set();
  #wakeup = new Wakeup();
  #closed = false;

  /**
   * Like Python's `select.epoll(sizehint=-1, flags=0)`.
   *
   * @param sizehint Ignored, as on Linux (must be -1 or positive).
   * @param flags Ignored (`EPOLL_CLOEXEC` only in Python).
   * @throws {RangeError} `negative sizehint` for `sizehint` 0 or below -1.
   */
  constructor(sizehint: number = -1, flags: number = 0) {
    if (sizehint === 0 || sizehint < -1) throw new RangeError("negative sizehint");
    void flags;
  }

  /** Like Python's `epoll.closed`. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Like Python's `epoll.close()`: stops watching every registered socket. */
  close(): void {
    this.#closed = true;
    for (const entry of this.#fds.values()) entry.stop();
    this.#fds.clear();
    this.#candidates.clear();
  }

  /**
   * Like Python's `epoll.fileno()`; there is no descriptor to give here.
   *
   * @returns -1.
   * @throws {RangeError} once closed.
   */
  fileno(): number {
    this.#checkOpen();
    return -1;
  }

  #checkOpen(): void {
    if (this.#closed) throw new RangeError("I/O operation on closed epoll object");
  }

  /**
   * Like Python's `epoll.register()`.
   *
   * @param fd A socket, a file object, or a number.
   * @param eventmask `EPOLLIN`, `EPOLLOUT`, … plus `EPOLLET`, `EPOLLONESHOT`.
   * @throws {FileExistsError} `[Errno 17] File exists` if already registered.
   * @throws {OSError} `EBADF` for a number that is none of pysocket's sockets.
   */
  register(fd: FileDescriptorLike, eventmask: number = IN | PRI | OUT): void {
    this.#checkOpen();
    const n = asFileDescriptor(fd);
    const events = epollMask(eventmask);
    if (this.#fds.has(n)) throw oserror(EEXIST);
    const target = pollableFor(fd, n);
    if (target === null || target.pollMask() & NVAL) throw oserror(EBADF);
    const entry: EpollEntry = {
      fd: n,
      events,
      target,
      stop: () => {},
      changed: true,
      disabled: false,
    };
    entry.stop = target.watch(() => {
      entry.changed = true;
      this.#candidates.add(entry);
      this.#wakeup.notify();
    });
    this.#fds.set(n, entry);
    this.#candidates.add(entry);
  }

  /**
   * Like Python's `epoll.modify()`.
   *
   * @param fd A registered socket, file object or number.
   * @param eventmask The new mask.
   * @throws {FileNotFoundError} `[Errno 2] No such file or directory` if not registered.
   */
  modify(fd: FileDescriptorLike, eventmask: number): void {
    this.#checkOpen();
    const n = asFileDescriptor(fd);
    const events = epollMask(eventmask);
    const entry = this.#fds.get(n);
    if (!entry) throw oserror(ENOENT);
    entry.events = events;
    entry.changed = true;
    entry.disabled = false;
    this.#candidates.add(entry);
    this.#wakeup.notify();
  }

  /**
   * Like Python's `epoll.unregister()`.
   *
   * @param fd A registered socket, file object or number.
   * @throws {FileNotFoundError} `[Errno 2] No such file or directory` if not registered.
   */
  unregister(fd: FileDescriptorLike): void {
    this.#checkOpen();
    const n = asFileDescriptor(fd);
    const entry = this.#fds.get(n);
    if (!entry) throw oserror(ENOENT);
    this.#fds.delete(n);
    this.#candidates.delete(entry);
    entry.stop();
  }

  /**
   * Like Python's `epoll.poll()`, but returns a promise.
   *
   * @param timeout Seconds; `0` polls, negative or `null` waits without limit.
   * @param maxevents At most this many events (-1: no limit).
   * @returns `[fd, events][]`.
   * @throws {RangeError} once closed; `maxevents must be greater than 0, got 0`.
   */
  async poll(timeout: number | null = null, maxevents: number = -1): Promise<[number, number][]> {
    this.#checkOpen();
    let ms: number | null = null;
    if (timeout !== null && timeout !== undefined) {
      if (typeof timeout !== "number") throw new TypeError("timeout must be a float or None");
      if (Number.isNaN(timeout)) throw new RangeError("Invalid value NaN (not a number)");
      if (timeout >= 0) ms = Math.ceil(timeout * 1000);
    }
    if (maxevents === -1) maxevents = Infinity;
    else if (!(maxevents > 0)) {
      throw new RangeError(`maxevents must be greater than 0, got ${maxevents}`);
    }
    return (await this.#wakeup.wait(() => this.#check(maxevents), ms)) ?? [];
  }

  #check(maxevents: number): [number, number][] | null {
    const out: [number, number][] = [];
    for (const entry of this.#candidates) {
      if (out.length >= maxevents) break;
      const edge = (entry.events & EPOLLET) !== 0;
      const mask = entry.target.pollMask();
      const revents = mask & ((entry.events & EPOLL_EVENTS) | ERR | HUP);
      // The kernel forgets a closed descriptor.
      if (entry.disabled || (edge && !entry.changed) || mask & NVAL || !revents) {
        this.#candidates.delete(entry);
        continue;
      }
      entry.changed = false;
      if (entry.events & EPOLLONESHOT) entry.disabled = true;
      // Level-triggered entries stay until found not ready.
      if (edge || entry.disabled) this.#candidates.delete(entry);
      out.push([entry.fd, revents]);
    }
    return out.length > 0 ? out : null;
  }

  /** `close()`, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }
}

function epollMask(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError("an integer is required");
  }
  // Bits as an unsigned 32-bit mask; `EPOLLET | EPOLLIN` is negative in
  // JavaScript's 32-bit arithmetic.
  if (value < -(2 ** 31) || value > 0xffffffff) {
    throw new RangeError("Python int too large to convert to C unsigned long");
  }
  return value >>> 0;
}
