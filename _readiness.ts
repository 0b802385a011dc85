/**
 * Readiness: what `select`, `poll` and `selectors` ask of a socket. Each
 * object that can be selected (a `Socket`, an `SSLSocket`) implements
 * `Pollable` under the `readiness` symbol; its engines signal every change
 * of state, so a waiting `select()` is woken by the socket itself, never by
 * polling in a loop or by a timer per socket.
 *
 * The masks are Linux `poll()`'s bits, as the kernel would report them for
 * the same socket (compared with python3's `select.poll`):
 *
 * | state | mask |
 * | --- | --- |
 * | fresh or bound stream socket | `POLLOUT \| POLLHUP` |
 * | listening, nothing queued / a connection queued | 0 / `POLLIN` |
 * | connecting (non-blocking) | 0 |
 * | connected | `POLLOUT` while there is room under `SO_SNDBUF`, `POLLIN` with bytes buffered |
 * | end of stream (peer's FIN, own `SHUT_RD`) | `POLLIN \| POLLRDHUP` (plus `POLLOUT`) |
 * | failed connect, reset | `POLLIN \| POLLOUT \| POLLHUP \| POLLRDHUP`, plus `POLLERR` until `SO_ERROR` is read |
 * | datagram socket | `POLLOUT`, plus `POLLIN` with a datagram queued |
 * | closed | `POLLNVAL` |
 *
 * @module
 */

/** Linux's `poll()` event bits. */
export const POLLIN = 0x001;
export const POLLPRI = 0x002;
export const POLLOUT = 0x004;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const POLLNVAL = 0x020;
export const POLLRDNORM = 0x040;
export const POLLRDBAND = 0x080;
export const POLLWRNORM = 0x100;
export const POLLWRBAND = 0x200;
export const POLLMSG = 0x400;
export const POLLRDHUP = 0x2000;

/** The symbol under which a selectable object exposes its `Pollable`. */
export const readiness: unique symbol = Symbol("pysocket.readiness");

/** What a selectable object offers `select`, `poll` and `selectors`. */
export interface Pollable {
  /**
   * The `poll()` bits that hold now (level-triggered), from the engines'
   * state: `POLLNVAL` once closed.
   */
  pollMask(): number;
  /**
   * Calls `onChange` (synchronously, from the engine) whenever the state
   * may have changed: bytes or end of stream arrived, an error, a
   * connection queued, room freed in the send buffer, a connect finished,
   * the socket closed. While at least one watcher is registered the socket
   * keeps a read (or an accept) posted, so readiness is observed without a
   * call pending. `onChange` must be cheap and must not call back into the
   * socket synchronously (schedule the re-check instead).
   *
   * @returns A function that stops watching (idempotent); once the last
   *   watcher is gone the socket returns to how it was.
   */
  watch(onChange: () => void): () => void;
}

/** Objects that implement `Pollable` under `readiness`. */
export interface Selectable {
  readonly [readiness]: Pollable;
  fileno(): number;
}

/** Whether `value` can be selected. */
export function isSelectable(value: unknown): value is Selectable {
  return typeof value === "object" && value !== null && readiness in value;
}

/**
 * Every open socket by its `fileno()`, so that `select` can take plain
 * integers, as Python's does. Sockets add themselves when created and
 * remove themselves when really closed.
 */
export const byFileno: Map<number, Selectable> = new Map();

/**
 * A fan-out of change callbacks: what a socket keeps for its watchers. The
 * engines call `notify` (a bound arrow, cheap when nobody watches).
 */
export class Watchers {
  #callbacks: Set<() => void> = new Set();

  /** How many watchers there are. */
  get size(): number {
    return this.#callbacks.size;
  }

  /** Adds `onChange`; returns its removal. */
  add(onChange: () => void): () => void {
    // Each registration is its own entry, even for the same function.
    const entry = () => onChange();
    this.#callbacks.add(entry);
    return () => {
      this.#callbacks.delete(entry);
    };
  }

  /** Tells every watcher that the state may have changed. */
  notify = (): void => {
    if (this.#callbacks.size === 0) return;
    for (const callback of this.#callbacks) callback();
  };
}
