/**
 * Python's `selectors` module over pysocket sockets: `DefaultSelector`
 * (`EpollSelector`, as on Linux), `PollSelector` and `SelectSelector`,
 * with `register`, `modify`, `unregister`, `select`, `get_key`, `get_map`
 * and `close`, so servers written around a selector port line by line.
 * A registered socket is watched (it keeps a read or an accept posted)
 * until it is unregistered or the selector closes.
 *
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as selectors from "@pysocket/socket/selectors";
 * import assert from "node:assert/strict";
 *
 * await using server = socket.socket();
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * server.setblocking(false);
 * using sel = new selectors.DefaultSelector();
 * sel.register(server, selectors.EVENT_READ, "accept");
 * await using client = socket.socket();
 * await client.connect(server.getsockname());
 * const [[key, events]] = await sel.select(5);
 * assert.equal(key.fileobj, server);
 * assert.equal(key.data, "accept");
 * assert.equal(events, selectors.EVENT_READ);
 * const [conn] = await server.accept();
 * await conn.close();
 * ```
 *
 * @module
 */

import { type Pollable, POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT } from "./_readiness.ts";
import { EBADF } from "./constants.ts";
import { oserror } from "./_errno.ts";
import {
  asFileDescriptor,
  type FileDescriptorLike,
  pollableFor,
  SELECT_IN,
  SELECT_OUT,
  Wakeup,
} from "./_selecting.ts";
import { KeyError, RuntimeError } from "./select.ts";

export { KeyError, RuntimeError } from "./select.ts";
export type { FileDescriptorLike, HasFileno } from "./_selecting.ts";

/** Like Python's `selectors.EVENT_READ`. */
export const EVENT_READ = 1;
/** Like Python's `selectors.EVENT_WRITE`. */
export const EVENT_WRITE = 2;

/**
 * Like Python's `selectors.SelectorKey`: what a selector keeps for a
 * registered file object.
 *
 * @example
 * ```ts
 * import { EVENT_READ, SelectorKey } from "@pysocket/socket/selectors";
 * import assert from "node:assert/strict";
 *
 * const key = new SelectorKey(5, 5, EVENT_READ, "data");
 * assert.equal(key.fd, 5);
 * ```
 */
export class SelectorKey<D = unknown> {
  /** The object registered (a socket, a file object, or a number). */
  readonly fileobj: FileDescriptorLike;
  /** Its number (`fileno()`). */
  readonly fd: number;
  /** `EVENT_READ`, `EVENT_WRITE` or both. */
  readonly events: number;
  /** What was passed to `register()` or `modify()`. */
  readonly data: D;

  /**
   * Made by the selectors.
   *
   * @param fileobj The object registered.
   * @param fd Its number.
   * @param events The events waited for.
   * @param data The program's data.
   */
  constructor(fileobj: FileDescriptorLike, fd: number, events: number, data: D) {
    this.fileobj = fileobj;
    this.fd = fd;
    this.events = events;
    this.data = data;
  }

  /**
   * As Python's repr.
   *
   * @returns `SelectorKey(fileobj=…, fd=…, events=…, data=…)`.
   */
  toString(): string {
    return `SelectorKey(fileobj=${repr(this.fileobj)}, fd=${this.fd}, events=${this.events}, data=${
      repr(this.data)
    })`;
  }
}

function repr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "object" && value.toString !== Object.prototype.toString) {
    return String(value);
  }
  return Deno.inspect(value);
}

/** Python's `selectors._fileobj_to_fd()`. */
function fileobjToFd(fileobj: unknown): number {
  let fd: number;
  try {
    fd = asFileDescriptor(fileobj);
  } catch (e) {
    if (e instanceof TypeError) throw new RangeError(`Invalid file object: ${repr(fileobj)}`);
    if (e instanceof RangeError && /negative/.test(e.message)) {
      throw new RangeError(`Invalid file descriptor: ${fdOf(fileobj)}`);
    }
    throw e;
  }
  return fd;
}

function fdOf(fileobj: unknown): number {
  if (typeof fileobj === "number") return fileobj;
  const f = fileobj as { fileno?: () => number; name?: number };
  return typeof f.fileno === "function" ? f.fileno() : f.name ?? -1;
}

function checkEvents(events: unknown): number {
  if (typeof events !== "number" || !Number.isInteger(events)) {
    throw new TypeError(`unsupported operand type(s) for &: '${typeof events}' and 'int'`);
  }
  if (!events || events & ~(EVENT_READ | EVENT_WRITE)) {
    throw new RangeError(`Invalid events: ${events}`);
  }
  return events;
}

/** `select()`'s timeout (seconds; `null`: forever; `<= 0`: poll) in milliseconds. */
function selectorTimeout(timeout: unknown): number | null {
  if (timeout === null || timeout === undefined) return null;
  if (typeof timeout !== "number") {
    throw new TypeError(`'<=' not supported between instances of '${typeof timeout}' and 'int'`);
  }
  if (Number.isNaN(timeout)) throw new RangeError("cannot convert float NaN to integer");
  if (timeout <= 0) return 0;
  return Math.ceil(timeout * 1000);
}

interface Registration {
  key: SelectorKey;
  target: Pollable | null;
  stop: (() => void) | null;
  /** In `#candidates` (a flag is cheaper than `Set.add` on every signal). */
  queued: boolean;
}

/** Which of Python's selectors a `BaseSelector` behaves as. */
export type SelectorKind = "select" | "poll" | "epoll";

/**
 * Like Python's `selectors._SelectorMapping`: a live, read-only view of a
 * selector's registrations, looked up by file object or by number.
 */
class SelectorMapping implements ReadonlyMap<FileDescriptorLike, SelectorKey> {
  #map: Map<number, Registration>;

  /**
   * Made by `get_map()`.
   *
   * @param map The selector's registrations by number.
   */
  constructor(map: Map<number, Registration>) {
    this.#map = map;
  }

  #lookup(fileobj: FileDescriptorLike): SelectorKey | undefined {
    try {
      return this.#map.get(fileobjToFd(fileobj))?.key;
    } catch {
      for (const { key } of this.#map.values()) if (key.fileobj === fileobj) return key;
      return undefined;
    }
  }

  /** How many objects are registered. */
  get size(): number {
    return this.#map.size;
  }

  /**
   * The key of `fileobj` (an object or its number).
   *
   * @param fileobj The object or its number.
   * @returns Its key, or `undefined`.
   */
  get(fileobj: FileDescriptorLike): SelectorKey | undefined {
    return this.#lookup(fileobj);
  }

  /**
   * Whether `fileobj` (an object or its number) is registered.
   *
   * @param fileobj The object or its number.
   * @returns Whether it is.
   */
  has(fileobj: FileDescriptorLike): boolean {
    return this.#lookup(fileobj) !== undefined;
  }

  /**
   * Calls `fn` for each registration.
   *
   * @param fn Called with the key and the object.
   */
  forEach(
    fn: (
      key: SelectorKey,
      fileobj: FileDescriptorLike,
      map: ReadonlyMap<FileDescriptorLike, SelectorKey>,
    ) => void,
  ): void {
    for (const [fileobj, key] of this.entries()) fn(key, fileobj, this);
  }

  /**
   * The registered objects.
   *
   * @returns An iterator of them.
   */
  *keys(): MapIterator<FileDescriptorLike> {
    for (const { key } of this.#map.values()) yield key.fileobj;
  }

  /**
   * The keys.
   *
   * @returns An iterator of them.
   */
  *values(): MapIterator<SelectorKey> {
    for (const { key } of this.#map.values()) yield key;
  }

  /**
   * `[fileobj, key]` pairs.
   *
   * @returns An iterator of them.
   */
  *entries(): MapIterator<[FileDescriptorLike, SelectorKey]> {
    for (const { key } of this.#map.values()) yield [key.fileobj, key];
  }

  /**
   * As `entries()`.
   *
   * @returns An iterator of `[fileobj, key]`.
   */
  [Symbol.iterator](): MapIterator<[FileDescriptorLike, SelectorKey]> {
    return this.entries();
  }
}

/**
 * Like Python's `selectors.BaseSelector`: what every selector offers. Use
 * `DefaultSelector`, `EpollSelector`, `PollSelector` or `SelectSelector`;
 * they differ only where Python's do (what a closed socket gives, what
 * `modify()` checks).
 *
 * @example
 * ```ts
 * import * as selectors from "@pysocket/socket/selectors";
 * import assert from "node:assert/strict";
 *
 * using sel = new selectors.DefaultSelector();
 * assert.ok(sel instanceof selectors.BaseSelector);
 * ```
 */
export abstract class BaseSelector {
  #kind: SelectorKind;
  #map: Map<number, Registration> = new Map();
  /**
   * The registrations to look at: those whose socket signalled a change,
   * and those found ready last time (level-triggered: they stay until found
   * not ready). As epoll's ready list, `select()` costs what is ready or
   * changed, not what is registered.
   */
  #candidates: Set<Registration> = new Set();
  #mapping: SelectorMapping;
  #wakeup = new Wakeup();
  #closed = false;

  /**
   * For the subclasses.
   *
   * @param kind Which of Python's selectors this one behaves as.
   */
  constructor(kind: SelectorKind) {
    this.#kind = kind;
    this.#mapping = new SelectorMapping(this.#map);
  }

  #checkOpen(): void {
    // Python's EpollSelector fails once closed; the others keep working.
    if (this.#closed && this.#kind === "epoll") {
      throw new RangeError("I/O operation on closed epoll object");
    }
  }

  /** Python's `_fileobj_lookup()`: the number, or a registered object's (closed since). */
  #lookup(fileobj: FileDescriptorLike): number {
    try {
      return fileobjToFd(fileobj);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      for (const { key } of this.#map.values()) if (key.fileobj === fileobj) return key.fd;
      throw e;
    }
  }

  /**
   * Like Python's `register()`: watches `fileobj` for `events`.
   *
   * @param fileobj A socket, a file object, or one of their numbers.
   * @param events `EVENT_READ`, `EVENT_WRITE`, or both.
   * @param data Anything; kept in the key.
   * @returns The new key.
   * @throws {RangeError} `Invalid events: 0`, `Invalid file descriptor: -1`
   *   (a closed socket), `Invalid file object: …`.
   * @throws {KeyError} `… (FD n) is already registered`.
   * @throws {OSError} `EBADF` (`EpollSelector`) for a number that is none
   *   of pysocket's open sockets.
   */
  register<D = unknown>(
    fileobj: FileDescriptorLike,
    events: number,
    data: D = null as D,
  ): SelectorKey<D> {
    checkEvents(events);
    const fd = this.#lookup(fileobj);
    if (this.#map.has(fd)) {
      throw new KeyError(`${repr(fileobj)} (FD ${fd}) is already registered`);
    }
    this.#checkOpen();
    const target = pollableFor(fileobj, fd);
    if (this.#kind === "epoll" && (target === null || target.pollMask() & POLLNVAL)) {
      throw oserror(EBADF);
    }
    const key = new SelectorKey(fileobj, fd, events, data);
    const registration: Registration = { key, target, stop: null, queued: false };
    if (target) {
      registration.stop = target.watch(() => {
        if (!registration.queued) this.#queue(registration);
        this.#wakeup.notify();
      });
    }
    this.#map.set(fd, registration);
    this.#queue(registration);
    return key;
  }

  /**
   * Like Python's `unregister()`: stops watching `fileobj` (a socket closed
   * since it was registered can still be passed).
   *
   * @param fileobj The registered object, or its number.
   * @returns Its key.
   * @throws {KeyError} `… is not registered`.
   */
  unregister(fileobj: FileDescriptorLike): SelectorKey {
    const fd = this.#lookup(fileobj);
    const registration = this.#map.get(fd);
    if (!registration) throw new KeyError(`${repr(fileobj)} is not registered`);
    this.#map.delete(fd);
    this.#unqueue(registration);
    registration.stop?.();
    return registration.key;
  }

  /**
   * Like Python's `modify()`: changes the events or the data.
   *
   * @param fileobj The registered object, or its number.
   * @param events The new events.
   * @param data The new data.
   * @returns The new key (the same one if nothing changed).
   * @throws {KeyError} `… is not registered`.
   * @throws {RangeError} `Invalid events: 0` (`SelectSelector`, which
   *   then forgets `fileobj`, as Python's does).
   */
  modify<D = unknown>(
    fileobj: FileDescriptorLike,
    events: number,
    data: D = null as D,
  ): SelectorKey<D> {
    const fd = this.#lookup(fileobj);
    const registration = this.#map.get(fd);
    if (!registration) throw new KeyError(`${repr(fileobj)} is not registered`);
    const old = registration.key;
    if (events !== old.events) {
      if (this.#kind === "select") {
        // Python's BaseSelector.modify(): unregister, then register.
        this.unregister(fileobj);
        return this.register(fileobj, events, data);
      }
      this.#checkOpen();
      if (typeof events !== "number" || !Number.isInteger(events)) checkEvents(events);
    } else if (data === old.data) {
      return old as SelectorKey<D>;
    }
    const key = new SelectorKey(old.fileobj, fd, events, data);
    registration.key = key;
    this.#queue(registration);
    this.#wakeup.notify();
    return key;
  }

  /**
   * Like Python's `select()`, but returns a promise: the registered objects
   * that are ready, each with the events it is ready for.
   *
   * @param timeout Seconds; `0` or negative polls (after one turn of the
   *   event loop when nothing is ready); `null` or omitted waits without limit.
   * @returns `[key, events][]` (empty at the timeout).
   * @throws {OSError} `EBADF` (`SelectSelector`) when a registered socket
   *   was closed.
   */
  async select(timeout?: number | null): Promise<[SelectorKey, number][]> {
    const ms = selectorTimeout(timeout);
    this.#checkOpen();
    return (await this.#wakeup.wait(() => this.#check(), ms)) ?? [];
  }

  #queue(registration: Registration): void {
    registration.queued = true;
    this.#candidates.add(registration);
  }

  #unqueue(registration: Registration): void {
    registration.queued = false;
    this.#candidates.delete(registration);
  }

  #check(): [SelectorKey, number][] | null {
    const out: [SelectorKey, number][] = [];
    const kind = this.#kind;
    for (const registration of this.#candidates) {
      const { key, target } = registration;
      const mask = target ? target.pollMask() : POLLNVAL;
      let events = 0;
      if (kind === "select") {
        if (mask & POLLNVAL) throw oserror(EBADF);
        if (mask & SELECT_IN) events |= EVENT_READ;
        if (mask & SELECT_OUT) events |= EVENT_WRITE;
      } else {
        // The kernel forgets a closed descriptor registered with epoll.
        if (kind === "epoll" && mask & POLLNVAL) {
          this.#unqueue(registration);
          continue;
        }
        const wanted = (key.events & EVENT_READ ? POLLIN : 0) |
          (key.events & EVENT_WRITE ? POLLOUT : 0);
        const revents = mask & (wanted | POLLERR | POLLHUP | POLLNVAL);
        // Python's _PollLikeSelector.select().
        if (revents & ~POLLIN) events |= EVENT_WRITE;
        if (revents & ~POLLOUT) events |= EVENT_READ;
      }
      events &= key.events;
      if (events) out.push([key, events]);
      else this.#unqueue(registration);
    }
    return out.length > 0 ? out : null;
  }

  /**
   * Like Python's `get_key()`.
   *
   * @param fileobj A registered object, or its number.
   * @returns Its key.
   * @throws {KeyError} `… is not registered`.
   * @throws {RuntimeError} `Selector is closed`.
   */
  get_key(fileobj: FileDescriptorLike): SelectorKey {
    const mapping = this.get_map();
    if (mapping === null) throw new RuntimeError("Selector is closed");
    const key = mapping.get(fileobj);
    if (key === undefined) throw new KeyError(`${repr(fileobj)} is not registered`);
    return key;
  }

  /**
   * Like Python's `get_map()`.
   *
   * @returns A live, read-only view of the registrations (looked up by
   *   object or by number), or `null` once closed.
   */
  get_map(): ReadonlyMap<FileDescriptorLike, SelectorKey> | null {
    return this.#closed ? null : this.#mapping;
  }

  /** Like Python's `close()`: forgets every registration (idempotent). */
  close(): void {
    for (const registration of this.#map.values()) {
      registration.stop?.();
      registration.queued = false;
    }
    this.#map.clear();
    this.#candidates.clear();
    this.#closed = true;
  }

  /** `close()`, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * `close()`, for `await using`.
   *
   * @returns A resolved promise.
   */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

/**
 * Like Python's `selectors.SelectSelector`: a selector with `select()`'s
 * rules (a socket closed while registered makes `select()` fail with
 * `EBADF`).
 *
 * @example
 * ```ts
 * import { SelectSelector } from "@pysocket/socket/selectors";
 * import assert from "node:assert/strict";
 *
 * using sel = new SelectSelector();
 * assert.deepEqual(await sel.select(0), []);
 * ```
 */
export class SelectSelector extends BaseSelector {
  /** An empty selector. */
  constructor() {
    super("select");
  }
}

/**
 * Like Python's `selectors.PollSelector`: a selector with `poll()`'s rules
 * (a socket closed while registered is reported ready for every event it
 * was registered for, as `POLLNVAL`).
 *
 * @example
 * ```ts
 * import { PollSelector } from "@pysocket/socket/selectors";
 * import assert from "node:assert/strict";
 *
 * using sel = new PollSelector();
 * assert.deepEqual(await sel.select(0), []);
 * ```
 */
export class PollSelector extends BaseSelector {
  /** An empty selector. */
  constructor() {
    super("poll");
  }
}

/**
 * Like Python's `selectors.EpollSelector` (level-triggered): a socket
 * closed while registered is no longer reported, as the kernel forgets a
 * closed descriptor; once closed, the selector refuses to be used.
 *
 * @example
 * ```ts
 * import { EpollSelector } from "@pysocket/socket/selectors";
 * import assert from "node:assert/strict";
 *
 * using sel = new EpollSelector();
 * assert.deepEqual(await sel.select(0), []);
 * ```
 */
export class EpollSelector extends BaseSelector {
  #open = true;

  /** An empty selector. */
  constructor() {
    super("epoll");
  }

  /**
   * Like Python's `EpollSelector.fileno()`; there is no descriptor here.
   *
   * @returns -1.
   * @throws {RangeError} `I/O operation on closed epoll object` once closed.
   */
  fileno(): number {
    if (!this.#open) throw new RangeError("I/O operation on closed epoll object");
    return -1;
  }

  /** Like Python's `close()`: forgets every registration (idempotent). */
  override close(): void {
    this.#open = false;
    super.close();
  }
}

/**
 * Like Python's `selectors.DefaultSelector`: `EpollSelector`, as on Linux.
 *
 * @example
 * ```ts
 * import { DefaultSelector, EpollSelector } from "@pysocket/socket/selectors";
 * import assert from "node:assert/strict";
 *
 * using sel = new DefaultSelector();
 * assert.ok(sel instanceof EpollSelector);
 * ```
 */
export const DefaultSelector: typeof EpollSelector = EpollSelector;
/** Like Python's `selectors.DefaultSelector`: `EpollSelector`, as on Linux. */
export type DefaultSelector = EpollSelector;
