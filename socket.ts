/**
 * The `Socket` class and the `socket()` factory: Python's socket objects on
 * top of `Deno.listen`, `Deno.connect` and `Deno.listenDatagram`, in
 * Python's three modes (blocking, timeout, non-blocking).
 *
 * Every call that can wait goes through one private path (`#io`), which
 * checks the socket, turns its mode into a deadline, and hands the call to
 * the engine of that side of the socket: the receive engine
 * (`_receive_buffer.ts`), the send engine (`_send_queue.ts`) or the accept
 * engine (`_accept_queue.ts`). Those engines own every pending Deno
 * operation, so a call that gives up orphans nothing.
 *
 * @example Echo over loopback
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import assert from "node:assert/strict";
 *
 * await using server = socket.socket();
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * await using client = socket.socket();
 * await client.connect(server.getsockname());
 * const [conn] = await server.accept();
 * await client.sendall("ping");
 * assert.equal(new TextDecoder().decode(await conn.recv(1024)), "ping");
 * await conn.close();
 * ```
 *
 * @module
 */

import { AcceptQueue } from "./_accept_queue.ts";
import {
  type Address,
  type AnyAddressArg,
  emptyAddress,
  isIPv4,
  needsLookup,
  parseAddress,
  resolve,
  type SenderAddress,
  type SockAddr,
  type Target,
  toAddress,
} from "./_address.ts";
import type { FileBackend } from "./_backend.ts";
import { checkCInt, checkInt, checkIntArg, checkLong, pyRepr, pyTypeName } from "./_pytype.ts";
import { DATAGRAM_BUFFER, DatagramSocket } from "./_datagram.ts";
import { alarm, deadlineFor, nextTurn } from "./_deadline.ts";
import { fromDenoError, oserror } from "./_errno.ts";
import { ReceiveBuffer } from "./_receive_buffer.ts";
import { SendQueue } from "./_send_queue.ts";
import { listenForPeer } from "./_loopback.ts";
import {
  byFileno,
  type Pollable,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLNVAL,
  POLLOUT,
  POLLRDHUP,
  POLLRDNORM,
  POLLWRBAND,
  POLLWRNORM,
  readiness,
  Watchers,
} from "./_readiness.ts";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  EADDRINUSE,
  EAFNOSUPPORT,
  EAGAIN,
  EALREADY,
  EBADF,
  EINPROGRESS,
  EINVAL,
  EISCONN,
  ENOPROTOOPT,
  ENOTCONN,
  EOPNOTSUPP,
  EPIPE,
  EPROTONOSUPPORT,
  ESOCKTNOSUPPORT,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPV6_V6ONLY,
  MSG_DONTWAIT,
  MSG_PEEK,
  MSG_WAITALL,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SO_ERROR,
  SO_KEEPALIVE,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  SO_TYPE,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOCK_SEQPACKET,
  SOCK_STREAM,
  SOL_SOCKET,
  TCP_NODELAY,
} from "./constants.ts";
import type { AddressFamily, SocketKind } from "./constants.ts";
import { OSError, TimeoutError } from "./errors.ts";
import { FileObject, type MakefileOptions } from "./file_object.ts";
import {
  IP_TOS,
  IP_TTL,
  IPPROTO_IP,
  IPV6_TCLASS,
  MSG_NOSIGNAL,
  SO_LINGER,
  SO_RCVTIMEO,
  SO_SNDTIMEO,
  TCP_KEEPCNT,
  TCP_KEEPIDLE,
  TCP_KEEPINTVL,
} from "./constants.ts";
import { NodeConn } from "./_node_conn.ts";
import {
  intValue,
  isHostDefault,
  keepCountDefault,
  keepIdleDefault,
  keepIntervalDefault,
  lingerBytes,
  lingerValue,
  optionBytes,
  optionInt,
  timevalValue,
  ttlDefault,
  unavailable,
  unsupportedFlags,
} from "./_options.ts";

export type {
  Address,
  AddressArg,
  AnyAddressArg,
  Inet4Address,
  Inet6Address,
  Inet6AddressArg,
  SenderAddress,
  SockAddr,
  UnixPath,
} from "./_address.ts";
export { type Pollable, readiness } from "./_readiness.ts";

/** Data a socket can send: bytes, any view of bytes, or a string (sent as UTF-8). */
export type Data = ArrayBufferView | ArrayBuffer | string;

// Linux's defaults and bounds for the buffer sizes, as `getsockopt` shows
// them: a value set is doubled (for the kernel's bookkeeping) and clamped.
const DEFAULT_RCVBUF = 131072;
const DEFAULT_SNDBUF = 16384;
// Once connected Linux grows the send buffer (tcp_wmem autotuning, ~4 MiB on
// loopback); the queue of a connected socket that set none holds this much.
const CONNECTED_SNDBUF = 4 * 1024 * 1024;
const MIN_RCVBUF = 2304;
const MIN_SNDBUF = 4608;

let nextFileno = 3;
let defaultTimeout: number | null = null;

function checkTimeout(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") value = Number(value);
  if (typeof value !== "number") {
    throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
  }
  if (Number.isNaN(value)) throw new RangeError("Invalid value NaN (not a number)");
  // Python converts to nanoseconds in a 64-bit integer: an int past it and a
  // float past it (infinity too) overflow, with different messages.
  if (Math.abs(value) * 1e9 >= 2 ** 63) {
    throw new RangeError(
      Number.isInteger(value)
        ? "timestamp too large to convert to C _PyTime_t"
        : "timestamp out of range for platform time_t",
    );
  }
  if (!(value >= 0)) throw new RangeError("Timeout value out of range");
  // Python keeps whole nanoseconds, rounded up (`gettimeout()` of 1/3 is 0.333333334).
  return Math.ceil(value * 1e9) / 1e9 + 0;
}

/**
 * Like Python's `socket.getdefaulttimeout()`: the timeout, in seconds, that
 * new sockets start with (`null`: blocking).
 *
 * @returns The default timeout in seconds, or `null`.
 * @example Default is blocking
 * ```ts
 * import { getdefaulttimeout } from "@pysocket/socket/socket";
 * import assert from "node:assert/strict";
 * assert.equal(getdefaulttimeout(), null);
 * ```
 */
export function getdefaulttimeout(): number | null {
  return defaultTimeout;
}

/**
 * Like Python's `socket.setdefaulttimeout()`: the timeout new sockets (and
 * accepted ones) start with.
 *
 * @param timeout Seconds (`0`: non-blocking), or `null` for blocking.
 * @throws {RangeError} If `timeout` is negative or NaN.
 * @example Set and restore
 * ```ts
 * import { getdefaulttimeout, setdefaulttimeout } from "@pysocket/socket/socket";
 * import assert from "node:assert/strict";
 * setdefaulttimeout(2.5);
 * assert.equal(getdefaulttimeout(), 2.5);
 * setdefaulttimeout(null);
 * ```
 */
export function setdefaulttimeout(timeout: number | null): void {
  defaultTimeout = checkTimeout(timeout);
}

function checkBufsize(fn: string, bufsize: unknown): number {
  const n = checkLong(bufsize, "ssize_t");
  if (n < 0) throw new RangeError(`negative buffersize in ${fn}`);
  return n;
}

const encoder = new TextEncoder();

/** `data` as bytes, without copying where it already is bytes. */
function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === "string") return encoder.encode(data);
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`a bytes-like object is required, not '${pyTypeName(data)}'`);
}

function writableBytes(buffer: unknown): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) {
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  const name = buffer === null || buffer === undefined ? "None" : pyTypeName(buffer);
  throw new TypeError(`recv_into() argument 1 must be read-write bytes-like object, not ${name}`);
}

// MSG_NOSIGNAL is honoured as it is: Deno never raises SIGPIPE (a broken
// pipe is always BrokenPipeError).
const SUPPORTED_FLAGS = MSG_PEEK | MSG_DONTWAIT | MSG_WAITALL | MSG_NOSIGNAL;

function checkFlags(flags: unknown): number {
  checkInt(flags);
  const unsupported = (flags as number) & ~SUPPORTED_FLAGS;
  if (unsupported !== 0) throw unsupportedFlags(unsupported);
  return flags as number;
}

/** The module's `close(fd)` reaches the socket through this. */
const closeDescriptor = Symbol("pysocket.closeDescriptor");

/** Options an accepted socket takes from its listener, as on Linux. */
const INHERITED_OPTIONS: readonly (readonly [number, number])[] = [
  [SOL_SOCKET, SO_KEEPALIVE],
  [SOL_SOCKET, SO_RCVBUF],
  [SOL_SOCKET, SO_SNDBUF],
  [IPPROTO_TCP, TCP_NODELAY],
];

function optionKey(level: number, optname: number): string {
  return `${level}:${optname}`;
}

// Linux's bounds: address families (NPROTO), socket types (SOCK_MAX), IP protocols (IPPROTO_MAX).
const NPROTO = 46;
const SOCK_MAX = 11;
const IPPROTO_MAX = 263;
const SOCK_TYPE_MASK = 0xf;
const SOCK_PACKET = 10;
const IPPROTO_ICMP = 1;
const IPPROTO_UDP = 17;
const IPPROTO_UDPLITE = 136;
const IPPROTO_MPTCP = 262;
const PF_UNIX = 1;

/**
 * `socket()`'s checks in Linux's order (`__sock_create`, `inet_create`,
 * `unix_create`), with Linux's errno for what the kernel refuses and
 * `ESOCKTNOSUPPORT` naming Deno for what Linux could open but Deno cannot.
 *
 * @returns The socket type without its flags.
 */
function checkSocketType(family: number, type: number, proto: number): number {
  if ((type & ~SOCK_TYPE_MASK & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) !== 0) throw oserror(EINVAL);
  const base = type & SOCK_TYPE_MASK;
  if (family < 0 || family >= NPROTO) throw oserror(EAFNOSUPPORT);
  if (base >= SOCK_MAX) throw oserror(EINVAL);
  if (family !== AF_INET && family !== AF_INET6 && family !== AF_UNIX) {
    throw oserror(EAFNOSUPPORT);
  }
  const denoCannot = () =>
    new OSError(
      ESOCKTNOSUPPORT,
      "Socket type not supported (pysocket: Deno offers stream and datagram sockets only)",
    );
  if (family === AF_UNIX) {
    if (proto !== 0 && proto !== PF_UNIX) throw oserror(EPROTONOSUPPORT);
    if (base === SOCK_RAW || base === SOCK_SEQPACKET) throw denoCannot();
    if (base !== SOCK_STREAM && base !== SOCK_DGRAM) throw oserror(ESOCKTNOSUPPORT);
    return base;
  }
  // Linux turns AF_INET + SOCK_PACKET into a packet socket.
  if (family === AF_INET && base === SOCK_PACKET) throw denoCannot();
  if (proto < 0 || proto >= IPPROTO_MAX) throw oserror(EINVAL);
  if (base === SOCK_STREAM) {
    if (proto === IPPROTO_MPTCP) throw denoCannot();
    if (proto !== 0 && proto !== IPPROTO_TCP) throw oserror(EPROTONOSUPPORT);
  } else if (base === SOCK_DGRAM) {
    if (proto === IPPROTO_ICMP || proto === IPPROTO_UDPLITE) throw denoCannot();
    if (proto !== 0 && proto !== IPPROTO_UDP) throw oserror(EPROTONOSUPPORT);
  } else if (base === SOCK_RAW) {
    if (proto === 0) throw oserror(EPROTONOSUPPORT);
    throw denoCannot();
  } else {
    throw oserror(ESOCKTNOSUPPORT);
  }
  return base;
}

/**
 * Like a Python socket object, but every call that can wait returns a
 * promise. Supports AF_INET, AF_INET6 and AF_UNIX, with SOCK_STREAM and
 * SOCK_DGRAM.
 *
 * `String(sock)`, `Deno.inspect(sock)` and `console.log(sock)` show
 * Python's repr: `<socket.socket fd=3, family=2, type=1, proto=0,
 * laddr=('127.0.0.1', 5000)>`.
 *
 * @typeParam A The address type of the socket's family (what
 *   `getsockname()` returns): {@linkcode Address} unless the socket comes
 *   from {@linkcode socket} with a constant family (`Inet4Address` for
 *   `AF_INET`, …).
 * @typeParam R What `recvfrom()` reports as the sender: the family's
 *   address on a datagram socket, `null` on a stream socket.
 *
 * @example A client and a server
 * ```ts
 * import { Socket } from "@pysocket/socket/socket";
 * import { AF_INET, SOCK_STREAM } from "@pysocket/socket/constants";
 * import assert from "node:assert/strict";
 *
 * await using server = new Socket(AF_INET, SOCK_STREAM);
 * server.bind(["127.0.0.1", 0]);
 * server.listen(5);
 * await using client = new Socket();
 * await client.connect(server.getsockname());
 * const [conn, address] = await server.accept();
 * assert.deepEqual(address, client.getsockname());
 * await conn.close();
 * ```
 */
export class Socket<A extends Address = Address, R extends Address | null = Address | null> {
  #family: number;
  #type: number;
  #proto: number;
  #timeout: number | null;
  #fileno: number;
  #closed = false;
  /** Set once the socket really lets go (`close()` with no file object open). */
  #released = false;
  #closing: Promise<void> | null = null;
  #watchers: Watchers | null = null;
  #options: Map<string, number | Uint8Array> | null = null;
  #fileRefs = 0;

  // Stream state: a listener (bound, perhaps listening) or a connection.
  #listener: Deno.Listener | null = null;
  #listening = false;
  #bound: Target | null = null;
  #accepts: AcceptQueue | null = null;
  #conn: Deno.Conn | null = null;
  #inbox: ReceiveBuffer | null = null;
  #outbox: SendQueue | null = null;
  #shutWrite = false;
  #connecting: { done: Promise<void>; abort: AbortController | null } | null = null;
  #connectReported = true;
  #soError = 0;
  /** Closed by the module's `close(fd)`: the next `close()` raises EBADF once. */
  #descriptorGone = false;
  /** The socket that took over after `detach()`. */
  #movedTo: Socket | null = null;
  /** Registered for bytes this process sends itself (see `_loopback.ts`). */
  #peerListening = false;
  /** A connect failed (Linux then polls the socket as hung up). */
  #connectFailed = false;
  /** A `shutdown(SHUT_WR)` whose FIN waits for queued bytes to go out. */
  #finishing: Promise<void> | null = null;

  // Datagram state: the datagram engine (SOCK_DGRAM only).
  #dgram: DatagramSocket | null = null;

  /**
   * Like Python's `socket.socket(family, type, proto)`.
   *
   * @param family `AF_INET` (default), `AF_INET6` or `AF_UNIX`.
   * @param type `SOCK_STREAM` (default) or `SOCK_DGRAM`, optionally with
   *   Linux's `SOCK_NONBLOCK` / `SOCK_CLOEXEC` flags.
   * @param proto 0, or the protocol matching `type`.
   * @param fileno Must be omitted or `null`: Deno exposes no OS descriptors
   *   to wrap (Python's `socket(fileno=…)`).
   * @throws {OSError} `EAFNOSUPPORT`, `EINVAL`, `ESOCKTNOSUPPORT` or
   *   `EPROTONOSUPPORT` for what Python's `socket()` refuses, and what Deno
   *   cannot do (raw and sequenced-packet sockets); `EOPNOTSUPP` for a
   *   `fileno`.
   */
  constructor(
    family: number = AF_INET,
    type: number = SOCK_STREAM,
    proto: number = 0,
    fileno: number | null = null,
  ) {
    // A socket detach() gave up: this object takes over what it holds.
    const source = fileno === null || fileno === undefined ? null : detachedSocket(fileno);
    if (source !== null) {
      family = source.#family;
      type = source.#type;
      proto = source.#proto;
    }
    // Python reads each as a C int, and takes -1 for its default.
    let af = checkCInt(family);
    let kind = checkCInt(type);
    proto = checkCInt(proto);
    if (af === -1) af = AF_INET;
    if (kind === -1) kind = SOCK_STREAM;
    if (proto === -1) proto = 0;
    const base = checkSocketType(af, kind, proto);
    this.#family = af;
    this.#type = base;
    this.#proto = proto;
    this.#timeout = (kind & SOCK_NONBLOCK) !== 0 ? 0 : defaultTimeout;
    this.#fileno = source !== null ? source.#fileno : nextFileno++;
    if (source !== null) source.#moveTo(this);
    else if (base === SOCK_DGRAM) this.#dgram = new DatagramSocket(af, this.#changed);
    byFileno.set(this.#fileno, this);
  }

  /**
   * Hands everything this socket holds to `to` (made by `socket(…,
   * fileno)` after `detach()`); this object keeps nothing.
   */
  #moveTo(to: Socket): void {
    to.#options = this.#options;
    to.#listener = this.#listener;
    to.#listening = this.#listening;
    to.#bound = this.#bound;
    to.#accepts = this.#accepts;
    to.#conn = this.#conn;
    to.#inbox = this.#inbox;
    to.#outbox = this.#outbox;
    to.#shutWrite = this.#shutWrite;
    to.#connecting = this.#connecting;
    to.#connectReported = this.#connectReported;
    to.#soError = this.#soError;
    to.#connectFailed = this.#connectFailed;
    to.#finishing = this.#finishing;
    to.#dgram = this.#dgram;
    to.#peerListening = this.#peerListening;
    // The engines tell this object's watchers (its `#changed`): share them.
    to.#watchers = this.#watchers ??= new Watchers();
    this.#movedTo = to;
    this.#listener =
      this.#accepts =
      this.#conn =
      this.#inbox =
      this.#outbox =
      this.#dgram =
        null;
    this.#connecting = this.#finishing = null;
    to.#applyPrefetch();
  }

  /** The object that now holds this socket's connection (after `detach()`). */
  #owner(): Socket {
    // deno-lint-ignore no-this-alias
    let owner: Socket = this;
    while (owner.#movedTo !== null) owner = owner.#movedTo;
    return owner;
  }

  /**
   * Like Python's `socket.detach()`: puts the socket object in the closed
   * state without closing what it holds, and returns its number; within
   * this process, `socket(family, type, proto, fileno)` (as Python's
   * `ssl.wrap_socket` does) makes a new object that takes it over. Until
   * then, nothing is closed (as a detached descriptor in Python).
   *
   * @returns The socket's number, or -1 if it was closed.
   */
  detach(): number {
    if (this.#released) return -1;
    const fd = this.#fileno;
    this.#closed = this.#released = true;
    byFileno.delete(fd);
    detached.set(fd, this);
    return fd;
  }

  /**
   * The address family, as given to the constructor: a member of
   * {@linkcode AddressFamily} (`AddressFamily.repr(s.family)` gives
   * Python's `<AddressFamily.AF_INET: 2>`).
   */
  get family(): AddressFamily {
    return this.#family;
  }

  /**
   * The socket type without Linux's flags (`SOCK_STREAM` or `SOCK_DGRAM`):
   * a member of {@linkcode SocketKind}.
   */
  get type(): SocketKind {
    return this.#type;
  }

  /**
   * Python's `repr()` of the socket, also what `String(sock)` gives:
   * `<socket.socket fd=3, family=2, type=1, proto=0, laddr=('127.0.0.1', 5000), raddr=('127.0.0.1', 40000)>`,
   * with `[closed]` and `fd=-1` after `close()`.
   *
   * @returns The repr.
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket/socket";
   * import assert from "node:assert/strict";
   * const s = socket();
   * assert.equal(String(s).replace(/fd=\d+/, "fd=3"), "<socket.socket fd=3, family=2, type=1, proto=0, laddr=('0.0.0.0', 0)>");
   * await s.close();
   * assert.equal(String(s), "<socket.socket [closed] fd=-1, family=2, type=1, proto=0>");
   * ```
   */
  toString(): string {
    let repr = `<socket.socket${this.#closed ? " [closed]" : ""} fd=${this.fileno()}, ` +
      `family=${this.#family}, type=${this.#type}, proto=${this.#proto}`;
    if (!this.#closed) {
      // As Python: each address that can be read and is not empty (an unnamed unix socket's is).
      const parts: [string, () => Address][] = [
        ["laddr", () => this.getsockname()],
        ["raddr", () => this.getpeername()],
      ];
      for (const [label, read] of parts) {
        let address: Address | null = null;
        try {
          address = read();
        } catch (e) {
          if (!(e instanceof OSError)) throw e;
        }
        if (address === null || address === "") continue;
        repr += `, ${label}=${typeof address === "string" ? address : pyRepr(address)}`;
      }
    }
    return `${repr}>`;
  }

  /** `Deno.inspect(sock)` and `console.log(sock)` show Python's repr. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** The protocol, as given to the constructor. */
  get proto(): number {
    return this.#proto;
  }

  /** The timeout in seconds, `0` for non-blocking, `null` for blocking. */
  get timeout(): number | null {
    return this.#timeout;
  }

  /**
   * Not in Python: how many datagrams were dropped because a receive
   * buffer was full: the kernel's count (the `drops` column of
   * `/proc/net/udp`, when pysocket may read it and no other socket shares
   * the address) plus those pysocket's own queue (`SO_RCVBUF`) dropped.
   * Always 0 for a stream socket.
   *
   * @example A fresh datagram socket has dropped nothing
   * ```ts
   * import { Socket } from "@pysocket/socket/socket";
   * import { AF_INET, SOCK_DGRAM } from "@pysocket/socket/constants";
   * import assert from "node:assert/strict";
   * await using s = new Socket(AF_INET, SOCK_DGRAM);
   * assert.equal(s.dropped, 0);
   * ```
   */
  get dropped(): number {
    return this.#dgram?.dropped ?? 0;
  }

  // ---------------------------------------------------------------- local state

  /**
   * Like Python's `socket.bind()`. Binds at once: `getsockname()` shows the
   * real port right after binding to port 0, and `EADDRINUSE` is raised here.
   *
   * @param address `[host, port]`, `[host, port, flowinfo, scope_id]` or a path.
   * @throws {TypeError} For an address of the wrong form.
   * @throws {RangeError} For a port outside 0-65535.
   * @throws {OSError} `EINVAL` when already bound, `EADDRINUSE`, `EBADF` after close.
   */
  bind(address: AnyAddressArg): void {
    this.#checkOpen();
    const target = parseAddress(this.#family, address, "bind");
    if (this.#dgram) {
      const reuse = (opt: number) => this.#options?.get(optionKey(SOL_SOCKET, opt)) === 1;
      return this.#dgram.bind(target, { reuseAddress: reuse(SO_REUSEADDR) || reuse(SO_REUSEPORT) });
    }
    if (this.#bound !== null || this.#conn !== null) throw oserror(EINVAL);
    if (target.transport === "unix") {
      // Deno replaces a stale socket file; Python refuses to bind over it.
      let exists = false;
      try {
        Deno.lstatSync(target.path);
        exists = true;
      } catch { /* no such file: free to bind */ }
      if (exists) throw oserror(EADDRINUSE);
    }
    this.#listener = this.#listen(target, undefined);
    this.#bound = target.transport === "tcp"
      ? { ...target, port: (this.#listener.addr as Deno.NetAddr).port }
      : target;
  }

  /**
   * Like Python's `socket.listen()`. An unbound socket is bound to an
   * ephemeral port first, as on Linux.
   *
   * @param backlog Connections the kernel queues before `accept()`
   *   (default `min(SOMAXCONN, 128)`, as Python).
   * @throws {OSError} `EINVAL` on a connected socket, `EOPNOTSUPP` on a
   *   datagram socket, `EBADF` after close.
   */
  listen(backlog?: number): void {
    this.#checkOpen();
    if (backlog !== undefined) backlog = checkIntArg(backlog);
    if (this.#type !== SOCK_STREAM) throw oserror(EOPNOTSUPP);
    if (this.#conn !== null || this.#connecting !== null) throw oserror(EINVAL);
    const queue = Math.max(0, backlog ?? 128);
    if (this.#bound === null) {
      if (this.#family === AF_UNIX) {
        // Linux autobinds a unix socket on connect, never on listen: EINVAL, as Python.
        throw oserror(EINVAL);
      }
      this.bind(emptyAddress(this.#family));
    }
    if (this.#bound!.transport === "tcp" && !this.#listening) {
      // bind() reserved the address with a listener; reopen it with the
      // backlog now that it is known. Nothing can run between the two calls.
      this.#listener!.close();
      this.#listener = this.#listen(this.#bound!, queue);
    }
    if (!this.#listening) {
      this.#listening = true;
      this.#accepts = new AcceptQueue(
        this.#listener!,
        queue || 1,
        (c) => this.#admit(c),
        this.#changed,
      );
      this.#applyPrefetch();
    }
  }

  /**
   * Like Python's `socket.setblocking()`: `false` is `settimeout(0)`,
   * `true` is `settimeout(null)`.
   *
   * @param flag Whether calls wait: a boolean, or an integer as Python
   *   code often passes (`setblocking(0)`).
   * @throws {TypeError} For a value that is not an integer (`1.5`).
   */
  setblocking(flag: boolean | number): void {
    // Python reads the flag as a C long: an int or a bool, not a float.
    this.settimeout(checkLong(flag) ? null : 0);
  }

  /**
   * Like Python's `socket.getblocking()`.
   *
   * @returns `false` in non-blocking mode, `true` otherwise (also in timeout mode).
   */
  getblocking(): boolean {
    return this.#timeout !== 0;
  }

  /**
   * Like Python's `socket.settimeout()`: the mode of later calls.
   *
   * @param value Seconds (a call that takes longer rejects with
   *   `TimeoutError`), `0` (non-blocking: a call that cannot complete at once
   *   rejects with `BlockingIOError`), or `null` (blocking).
   * @throws {RangeError} For a negative or NaN value.
   */
  settimeout(value: number | null): void {
    this.#timeout = checkTimeout(value);
    // Python stores the value, then fails to set the mode of a closed descriptor.
    this.#checkOpen();
    this.#applyPrefetch();
  }

  /**
   * Like Python's `socket.gettimeout()`.
   *
   * @returns The timeout in seconds, `0` when non-blocking, `null` when blocking.
   */
  gettimeout(): number | null {
    return this.#timeout;
  }

  /**
   * Like Python's `socket.setsockopt()`. Options set before the Deno
   * resource exists are applied when it is created. Each option has its
   * real effect or is refused: `TCP_KEEPIDLE`, and `SO_LINGER` on with a
   * zero timeout (close resets), make `connect()` go through `node:net`, as
   * does `bind()` before `connect()`; they cannot be set on a socket
   * Deno connected or accepted. Setting an option to the value it already
   * has (`IP_TTL` -1, `IP_TOS` 0, the host's `TCP_KEEPINTVL`…) changes
   * nothing and is accepted.
   *
   * @param level `SOL_SOCKET`, `IPPROTO_TCP`, `IPPROTO_IP` or `IPPROTO_IPV6`.
   * @param optname The option.
   * @param value An integer, or bytes (`struct linger` for `SO_LINGER`,
   *   `struct timeval` for `SO_RCVTIMEO` / `SO_SNDTIMEO`).
   * @throws {OSError} `ENOPROTOOPT` naming the option and why, for an option
   *   Deno cannot apply (`[Errno 92] Protocol not available: TCP_KEEPINTVL
   *   cannot be set in Deno`); `EINVAL` for a value Linux refuses.
   */
  setsockopt(level: number, optname: number, value: number | Uint8Array): void {
    this.#checkOpen();
    checkInt(level);
    checkInt(optname);
    if (typeof value === "boolean") value = Number(value);
    if (typeof value !== "number" && !(value instanceof Uint8Array)) {
      throw new TypeError(`a bytes-like object is required, not '${pyTypeName(value)}'`);
    }
    // Options only datagram sockets have (SO_BROADCAST, multicast, IPV6_V6ONLY).
    if (this.#dgram && this.#dgram.setsockopt(level, optname, value)) return;
    const key = optionKey(level, optname);
    const options = this.#options ??= new Map();
    // Linux: a unix socket has only SOL_SOCKET options; other levels are EOPNOTSUPP.
    if (level !== SOL_SOCKET && this.#family === AF_UNIX) throw oserror(EOPNOTSUPP);
    if (level === SOL_SOCKET) {
      switch (optname) {
        case SO_REUSEADDR:
        case SO_REUSEPORT:
        case SO_KEEPALIVE:
          options.set(key, intValue(level, value) ? 1 : 0);
          if (optname === SO_KEEPALIVE) this.#applyConnOptions();
          return;
        case SO_RCVBUF:
        case SO_SNDBUF: {
          const int = intValue(level, value);
          const min = optname === SO_RCVBUF ? MIN_RCVBUF : MIN_SNDBUF;
          const max = 2 * readSysctl(optname === SO_RCVBUF ? "rmem_max" : "wmem_max");
          // Linux reads the value as unsigned: a negative one is huge, so the maximum.
          const size = int < 0 ? max : Math.min(Math.max(2 * int, min), max);
          options.set(key, size);
          if (optname === SO_RCVBUF && this.#inbox) this.#inbox.limit = size;
          if (optname === SO_RCVBUF && this.#dgram) this.#dgram.limit = size;
          if (optname === SO_SNDBUF && this.#outbox) this.#outbox.limit = size;
          return;
        }
        case SO_LINGER: {
          const linger = lingerValue(value);
          if (linger.onoff && linger.seconds !== 0) {
            throw unavailable(
              level,
              optname,
              "with a nonzero l_linger cannot be set in Deno (l_linger = 0, a reset on close, can)",
            );
          }
          // A TCP socket resets on close through node:net; Linux ignores the option elsewhere.
          if (linger.onoff && this.#type === SOCK_STREAM && this.#family !== AF_UNIX) {
            this.#checkNodeOption(level, optname);
          }
          // Turning lingering off keeps the time, as Linux does.
          const old = options.get(key) as Uint8Array | undefined;
          const seconds = linger.onoff ? 0 : old ? lingerValue(old).seconds : 0;
          options.set(key, lingerBytes({ onoff: linger.onoff, seconds }));
          this.#applyConnOptions();
          return;
        }
        case SO_RCVTIMEO:
        case SO_SNDTIMEO:
          // Zero is the kernel's default (no timeout): nothing to change.
          if (timevalValue(value) !== 0) {
            throw unavailable(level, optname, "cannot be set in Deno (use settimeout())");
          }
          options.delete(key);
          return;
        case SO_TYPE:
        case SO_ERROR:
          throw oserror(ENOPROTOOPT); // read-only, as in Linux
      }
    } else if (level === IPPROTO_TCP) {
      // Linux: TCP options on a datagram socket are ENOPROTOOPT.
      if (this.#type !== SOCK_STREAM) throw oserror(ENOPROTOOPT);
      switch (optname) {
        case TCP_NODELAY:
          options.set(key, intValue(level, value) ? 1 : 0);
          this.#applyConnOptions();
          return;
        case TCP_KEEPIDLE: {
          const idle = intValue(level, value);
          if (idle < 1 || idle > 32767) throw oserror(EINVAL);
          this.#checkNodeOption(level, optname);
          options.set(key, idle);
          this.#applyConnOptions();
          return;
        }
        case TCP_KEEPINTVL:
        case TCP_KEEPCNT: {
          const n = intValue(level, value);
          if (n < 1 || n > (optname === TCP_KEEPCNT ? 127 : 32767)) throw oserror(EINVAL);
          // The value the socket has already (the host's default): nothing to change.
          if (isHostDefault(optname === TCP_KEEPCNT ? "cnt" : "intvl", n)) return;
          throw unavailable(level, optname);
        }
      }
    } else if (level === IPPROTO_IP) {
      if (optname === IP_TTL) {
        const ttl = intValue(level, value);
        if (ttl !== -1 && (ttl < 1 || ttl > 255)) throw oserror(EINVAL);
        // -1 (the default) or the default itself: nothing to change.
        if (ttl === -1 || isHostDefault("ttl", ttl)) return;
        throw unavailable(level, optname);
      }
      if (optname === IP_TOS) {
        if (intValue(level, value) === 0) return; // the default: nothing to change
        throw unavailable(level, optname);
      }
    } else if (level === IPPROTO_IPV6 && this.#family === AF_INET6) {
      if (optname === IPV6_V6ONLY && this.#type === SOCK_STREAM) {
        if (this.#bound !== null) throw oserror(EINVAL);
        options.set(key, intValue(level, value) ? 1 : 0);
        return;
      }
      if (optname === IPV6_TCLASS) {
        const tclass = intValue(level, value);
        if (tclass < -1 || tclass > 255) throw oserror(EINVAL);
        if (tclass <= 0) return; // the default: nothing to change
        throw unavailable(level, optname);
      }
    } else if (level === IPPROTO_IPV6) {
      throw oserror(ENOPROTOOPT); // not an IPv6 socket, as Linux
    }
    throw unavailable(level, optname);
  }

  /**
   * Like Python's `socket.getsockopt(level, optname)`: the option's value
   * as an integer.
   *
   * @param level The option's level.
   * @param optname The option.
   * @param buflen Omitted or 0: the value as an integer.
   * @returns The value.
   * @throws {OSError} `ENOPROTOOPT` for an option pysocket does not know.
   */
  getsockopt(level: number, optname: number, buflen?: 0): number;
  /**
   * Like Python's `socket.getsockopt(level, optname, buflen)`: the option's
   * value as `buflen` bytes (native order).
   *
   * @param level The option's level.
   * @param optname The option.
   * @param buflen How many bytes (1-1024).
   * @returns The value's bytes.
   * @throws {OSError} `ENOPROTOOPT` for an option pysocket does not know.
   */
  getsockopt(level: number, optname: number, buflen: number): Uint8Array;
  /**
   * Like Python's `socket.getsockopt()`, when whether `buflen` is given is
   * not known until run time (for code that forwards it).
   *
   * @param level The option's level.
   * @param optname The option.
   * @param buflen Omitted or 0 for an integer, else how many bytes.
   * @returns The value: an integer, or bytes when `buflen` is given.
   */
  getsockopt(level: number, optname: number, buflen?: number): number | Uint8Array;
  getsockopt(level: number, optname: number, buflen?: number): number | Uint8Array {
    this.#checkOpen();
    checkInt(level);
    checkInt(optname);
    const value = this.#option(level, optname);
    if (buflen === undefined || buflen === 0) return optionInt(value);
    checkInt(buflen);
    if (buflen <= 0 || buflen > 1024) throw new OSError("getsockopt buflen out of range");
    return optionBytes(value, buflen);
  }

  /**
   * Like Python's `socket.getsockname()`.
   *
   * @returns The local address; `["0.0.0.0", 0]` (or the family's
   *   equivalent) for a socket with none yet.
   */
  getsockname(): A {
    this.#checkOpen();
    if (this.#dgram) return this.#dgram.getsockname() as A;
    if (this.#conn) return toAddress(this.#family, this.#conn.localAddr) as A;
    if (this.#listener) return toAddress(this.#family, this.#listener.addr) as A;
    return emptyAddress(this.#family) as A;
  }

  /**
   * Like Python's `socket.getpeername()`.
   *
   * @returns The remote address.
   * @throws {OSError} `ENOTCONN` on a socket that is not connected.
   */
  getpeername(): A {
    this.#checkOpen();
    if (this.#dgram) return this.#dgram.getpeername() as A;
    if (!this.#conn) throw oserror(ENOTCONN);
    return toAddress(this.#family, this.#conn.remoteAddr) as A;
  }

  /**
   * Like Python's `socket.fileno()`, but Deno exposes no OS descriptors: a
   * process-unique non-negative number identifying the socket.
   *
   * @returns That number, or -1 once closed.
   */
  fileno(): number {
    // As Python: the number stays while a makefile() object keeps the socket open.
    return this.#released ? -1 : this.#fileno;
  }

  /**
   * Like Python's `socket.makefile()`: a buffered file object over the
   * socket, sharing its receive buffer. The connection stays open while a
   * file object is open, even after `close()`.
   *
   * @param mode Made of `r`, `w`, `b` (default `"r"`).
   * @param options `buffering`, `encoding`, `errors`, `newline`, as Python.
   * @returns The file object.
   */
  makefile<M extends string = "r">(
    mode: M = "r" as M,
    options: MakefileOptions = {},
  ): FileObject<M extends `${string}b${string}` ? Uint8Array : string> {
    this.#checkOpen();
    const file = new FileObject<M extends `${string}b${string}` ? Uint8Array : string>(
      this.#backend(),
      mode,
      options,
    );
    this.#fileRefs++;
    return file;
  }

  // ------------------------------------------------------------ calls that wait

  /**
   * Like Python's `socket.accept()`, but returns a promise. The new socket
   * starts with the default timeout (`getdefaulttimeout()`), as in Python 3.
   *
   * @returns `[socket, address]`.
   * @throws {OSError} `EINVAL` when not listening; `TimeoutError`,
   *   `BlockingIOError` by mode.
   */
  accept(): Promise<[Socket<A, R>, A]> {
    return this.#io(0, async (deadline): Promise<[Socket<A, R>, A]> => {
      // Linux: accept() on a datagram socket is EOPNOTSUPP, on a stream socket not listening EINVAL.
      if (!this.#accepts) throw oserror(this.#dgram ? EOPNOTSUPP : EINVAL);
      const conn = await this.#accepts.take(deadline);
      const sock = new Socket<A, R>(this.#family, SOCK_STREAM, this.#proto);
      // Linux hands these on from the listener to the accepted socket.
      for (const [level, optname] of INHERITED_OPTIONS) {
        const value = this.#options?.get(optionKey(level, optname));
        if (value !== undefined) {
          (sock.#options ??= new Map()).set(optionKey(level, optname), value);
        }
      }
      sock.#attach(conn);
      return [sock, toAddress(this.#family, conn.remoteAddr) as A];
    });
  }

  /**
   * Like Python's `socket.connect()`, but returns a promise. In
   * non-blocking mode it rejects with `BlockingIOError` (`EINPROGRESS`) and
   * goes on in the background; see `connect_ex()`.
   *
   * @param address Where to connect.
   * @throws {OSError} `ConnectionRefusedError` and friends, `EISCONN`,
   *   `EALREADY`, `TimeoutError`, `gaierror` for a name that does not resolve.
   */
  async connect(address: AnyAddressArg): Promise<void> {
    const errno = await this.#connect(address as Address, true);
    if (errno !== 0) throw oserror(errno);
  }

  /**
   * Like Python's `socket.connect_ex()`, but returns a promise: the errno
   * instead of raising `OSError` (bad arguments and name resolution
   * failures still raise). Non-blocking: `EINPROGRESS`, then `EALREADY`
   * while pending, then 0 once when done, then `EISCONN`, as Linux.
   *
   * @param address Where to connect.
   * @returns 0 on success, or the errno.
   */
  connect_ex(address: AnyAddressArg): Promise<number> {
    return this.#connect(address as Address, false);
  }

  /**
   * Like Python's `socket.recv()`, but returns a promise: 1 to `bufsize`
   * bytes as soon as any are there, an empty array at end of stream.
   *
   * @param bufsize The most bytes to return.
   * @param flags `MSG_PEEK`, `MSG_DONTWAIT`, `MSG_WAITALL`.
   * @returns The bytes (a view that later reads never overwrite).
   * @throws {OSError} `ENOTCONN` when not connected; `TimeoutError`,
   *   `BlockingIOError` by mode (nothing is lost: the bytes wait for the next call).
   */
  recv(bufsize: number, flags: number = 0): Promise<Uint8Array> {
    checkBufsize("recv", bufsize);
    checkFlags(flags);
    const dgram = this.#dgram;
    if (dgram) return this.#io(flags, (deadline) => dgram.recv(bufsize, flags, deadline));
    return this.#io(flags, (deadline) => {
      const inbox = this.#receiving();
      const peek = (flags & MSG_PEEK) !== 0;
      const need = (flags & MSG_WAITALL) !== 0 ? Math.max(1, bufsize) : 1;
      if (bufsize === 0) return Promise.resolve(new Uint8Array(0));
      return inbox.take(need, deadline, () => {
        const view = inbox.view();
        const data = view.length > bufsize ? view.subarray(0, bufsize) : view;
        if (!peek) inbox.skip(data.length);
        return data;
      });
    });
  }

  /**
   * Like Python's `socket.recv_into()`, but returns a promise.
   *
   * @param buffer Where to put the bytes.
   * @param nbytes The most bytes to receive (0: the buffer's size).
   * @param flags As for `recv()`.
   * @returns The count received (0 at end of stream).
   * @throws {RangeError} When `nbytes` exceeds the buffer or is negative.
   */
  recv_into(
    buffer: ArrayBufferView | ArrayBuffer,
    nbytes: number = 0,
    flags: number = 0,
  ): Promise<number> {
    const bytes = writableBytes(buffer);
    checkLong(nbytes, "ssize_t");
    if (nbytes < 0) throw new RangeError("negative buffersize in recv_into");
    if (nbytes > bytes.length) throw new RangeError("buffer too small for requested bytes");
    checkFlags(flags);
    const target = nbytes === 0 ? bytes : bytes.subarray(0, nbytes);
    const dgram = this.#dgram;
    if (dgram) return this.#io(flags, (deadline) => dgram.recvInto(target, flags, deadline));
    return this.#io(flags, (deadline) => {
      const inbox = this.#receiving();
      if (target.length === 0) return Promise.resolve(0);
      const peek = (flags & MSG_PEEK) !== 0;
      const waitAll = (flags & MSG_WAITALL) !== 0;
      const take = () => {
        const n = inbox.copyTo(target);
        if (!peek) inbox.skip(n);
        return n;
      };
      const direct = peek || waitAll ? null : target;
      return inbox.take(waitAll ? target.length : 1, deadline, take, direct, (n) => n);
    });
  }

  /**
   * Like Python's `socket.recvfrom()`, but returns a promise. On a datagram
   * socket: one datagram per call, truncated to `bufsize` bytes (the rest
   * of it is dropped, unless `MSG_PEEK` keeps it all queued); zero-length
   * datagrams come as empty arrays. On a stream socket the address is
   * `null`, as Python's `None`.
   *
   * @param bufsize The most bytes to return.
   * @param flags `MSG_PEEK`, `MSG_DONTWAIT` (`MSG_WAITALL` is ignored on a
   *   datagram socket, as Linux does).
   * @returns `[data, address]`; the address is `null` for a unix sender
   *   that has no name.
   * @throws {OSError} `TimeoutError`, `BlockingIOError` by mode (nothing is
   *   lost: the datagram waits for the next call).
   */
  recvfrom(bufsize: number, flags: number = 0): Promise<[Uint8Array, R]> {
    checkBufsize("recvfrom", bufsize);
    checkFlags(flags);
    const dgram = this.#dgram;
    type Result = Promise<[Uint8Array, R]>;
    if (dgram) {
      return this.#io(flags, (deadline) => dgram.recvfrom(bufsize, flags, deadline)) as Result;
    }
    return this.recv(bufsize, flags).then((data) => [data, null]) as Result;
  }

  /**
   * Like Python's `socket.recvfrom_into()`, but returns a promise.
   *
   * @param buffer Where to put the bytes.
   * @param nbytes The most bytes to receive (0: the buffer's size).
   * @param flags As for `recvfrom()`.
   * @returns `[count, address]`: the count copied (a longer datagram is
   *   truncated) and the sender.
   * @throws {RangeError} When `nbytes` exceeds the buffer or is negative.
   */
  recvfrom_into(
    buffer: ArrayBufferView | ArrayBuffer,
    nbytes: number = 0,
    flags: number = 0,
  ): Promise<[number, R]> {
    type Result = Promise<[number, R]>;
    let bytes: Uint8Array;
    try {
      bytes = writableBytes(buffer);
    } catch (e) {
      throw new TypeError((e as Error).message.replace("recv_into()", "recvfrom_into()"));
    }
    checkLong(nbytes, "ssize_t");
    if (nbytes < 0) throw new RangeError("negative buffersize in recvfrom_into");
    if (nbytes > bytes.length) {
      throw new RangeError("nbytes is greater than the length of the buffer");
    }
    checkFlags(flags);
    const dgram = this.#dgram;
    const target = nbytes === 0 ? bytes : bytes.subarray(0, nbytes);
    if (dgram) {
      return this.#io(flags, (deadline) => dgram.recvfromInto(target, flags, deadline)) as Result;
    }
    return this.recv_into(target, 0, flags).then((n) => [n, null]) as Result;
  }

  /**
   * Like Python's `socket.send()`, but returns a promise.
   *
   * @param data What to send (strings go as UTF-8).
   * @param flags `MSG_DONTWAIT` only.
   * @returns How many bytes were sent (accepted by the socket's send buffer).
   * @throws {BrokenPipeError} On an unconnected or shut-down socket.
   */
  send(data: Data, flags: number = 0): Promise<number> {
    const bytes = toBytes(data);
    checkFlags(flags);
    const dgram = this.#dgram;
    if (dgram) return this.#io(flags, () => dgram.send(bytes, null));
    return this.#io(flags, (deadline) => this.#sending().send(bytes, deadline));
  }

  /**
   * Like Python's `socket.sendto()`, but returns a promise: one datagram to
   * `address`. An unbound socket is bound to an ephemeral port first, as
   * Python does. On a stream socket the address is checked, then ignored
   * (Linux).
   *
   * @param data What to send (strings go as UTF-8).
   * @param address Where to, as for `connect()`.
   * @returns How many bytes were sent.
   * @throws {OSError} `EMSGSIZE` for a datagram larger than the protocol
   *   allows (65507 bytes over IPv4), `PermissionError` (`EACCES`) for a
   *   broadcast address without `SO_BROADCAST`, `gaierror` for a host that
   *   does not resolve.
   */
  sendto(data: Data, address: AnyAddressArg): Promise<number>;
  /**
   * Like Python's `socket.sendto(data, flags, address)`, but returns a promise.
   *
   * @param data What to send.
   * @param flags `MSG_DONTWAIT` only.
   * @param address Where to.
   * @returns How many bytes were sent.
   */
  sendto(data: Data, flags: number, address: AnyAddressArg): Promise<number>;
  sendto(
    data: Data,
    flagsOrAddress: number | AnyAddressArg,
    address?: AnyAddressArg,
    ...extra: unknown[]
  ): Promise<number> {
    // Python counts the arguments first.
    if (flagsOrAddress === undefined || extra.length > 0) {
      const given = flagsOrAddress === undefined ? 1 : 3 + extra.length;
      throw new TypeError(`sendto() takes 2 or 3 arguments (${given} given)`);
    }
    const bytes = toBytes(data);
    const flags = address === undefined ? 0 : flagsOrAddress as number;
    checkFlags(flags);
    const to = address === undefined ? flagsOrAddress : address;
    const dgram = this.#dgram;
    if (dgram) {
      // The engine remembers the last address it checked (same errors as parseAddress).
      const target = dgram.target(to);
      return this.#io(flags, () => dgram.send(bytes, target));
    }
    parseAddress(this.#family, to, "sendto");
    return this.send(bytes, flags);
  }

  /**
   * Like Python's `socket.sendall()`, but returns a promise. Its timeout
   * covers the whole call (Python ≥ 3.5); concurrent calls never
   * interleave their bytes.
   *
   * @param data What to send.
   * @param flags `MSG_DONTWAIT` only.
   * @throws {BrokenPipeError} On an unconnected or shut-down socket.
   */
  sendall(data: Data, flags: number = 0): Promise<void> {
    const bytes = toBytes(data);
    checkFlags(flags);
    const dgram = this.#dgram;
    if (dgram) return this.#io(flags, async () => void await dgram.send(bytes, null));
    return this.#io(flags, (deadline) => this.#sending().sendAll(bytes, deadline));
  }

  /**
   * Like Python's `socket.sendfile()`, but returns a promise and takes a
   * `Deno.FsFile`.
   *
   * @param file The file to send from.
   * @param offset Where to start reading.
   * @param count How many bytes at most (default: to the end).
   * @returns How many bytes were sent.
   * @throws {RangeError} In non-blocking mode, as Python.
   */
  async sendfile(file: Deno.FsFile, offset: number = 0, count?: number): Promise<number> {
    checkInt(offset);
    if (count !== undefined && count !== null) {
      const repr = typeof count === "string" ? `'${count}'` : String(count);
      if (!Number.isInteger(count)) {
        throw new TypeError(`count must be a positive integer (got ${repr})`);
      }
      if (count <= 0) throw new RangeError(`count must be a positive integer (got ${repr})`);
    }
    if (this.#timeout === 0) throw new RangeError("non-blocking sockets are not supported");
    this.#checkOpen();
    // Python passes the offset to os.sendfile(), where Linux refuses a negative one.
    if (offset < 0) throw oserror(EINVAL);
    if (this.#type !== SOCK_STREAM) {
      throw new RangeError("only SOCK_STREAM type sockets are supported");
    }
    await file.seek(offset, Deno.SeekMode.Start);
    const chunk = new Uint8Array(Math.min(count ?? 65536, 65536));
    let sent = 0;
    while (count === undefined || sent < count) {
      const want = count === undefined ? chunk.length : Math.min(chunk.length, count - sent);
      const n = await file.read(chunk.subarray(0, want));
      if (n === null || n === 0) break;
      await this.sendall(chunk.subarray(0, n));
      sent += n;
    }
    await file.seek(offset + sent, Deno.SeekMode.Start);
    return sent;
  }

  /**
   * Like Python's `socket.shutdown()`, but returns a promise. Returns at
   * once, as Python's: with `SHUT_WR`, bytes that `send()` accepted go out
   * in the background and the FIN follows them. `SHUT_RD` throws nothing
   * away: what was received, and what arrives later, can still be read
   * (as on Linux), but reads no longer wait.
   *
   * @param how `SHUT_RD`, `SHUT_WR` (sends FIN once queued data is out) or `SHUT_RDWR`.
   * @throws {OSError} `ENOTCONN` when not connected, `EINVAL` for a bad `how`.
   */
  async shutdown(how: number): Promise<void> {
    how = checkCInt(how);
    this.#checkOpen();
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) throw oserror(EINVAL);
    if (this.#dgram) return this.#dgram.shutdown(how);
    // Not connected, or no longer (Linux: a reset leaves the socket CLOSED).
    if (!this.#conn || this.#inbox?.broken) throw oserror(ENOTCONN);
    if (how !== SHUT_WR) this.#receiver().shutdown();
    if (how !== SHUT_RD && !this.#shutWrite) {
      this.#shutWrite = true;
      this.#changed();
      const conn = this.#conn;
      const outbox = this.#outbox;
      if (outbox?.busy) {
        // The FIN follows the queued bytes; a failure there is the send side's.
        this.#finishing = outbox.flushed().then(() => conn.closeWrite()).catch(() => {});
        return;
      }
      try {
        await conn.closeWrite();
      } catch (e) {
        // As Linux: a connection the peer reset is no longer connected (ENOTCONN).
        throw fromDenoError(e);
      }
    }
  }

  /**
   * Like Python's `socket.close()`, but returns a promise. Idempotent; later
   * calls on the socket raise `OSError` `EBADF`. Returns without waiting
   * for the peer, as Python's: bytes that `send()` accepted are still
   * delivered, in the background, as the kernel does after `close()`; if
   * the peer reads none of them for `LINGER_SECONDS` (60), they are
   * dropped and the connection closed, so a peer that never reads cannot
   * keep the process alive. A socket with an open `makefile()` object stays
   * open and usable until that object is closed too (Python 3).
   */
  close(): Promise<void> {
    if (this.#descriptorGone) {
      this.#descriptorGone = false;
      return Promise.reject(oserror(EBADF));
    }
    if (!this.#closed) {
      this.#closed = true;
      if (this.#fileRefs === 0) this.#closing = this.#release();
    }
    return this.#closing ?? Promise.resolve();
  }

  /**
   * What Python's module-level `close(fd)` does to a socket object: the
   * descriptor goes, the object stays (its own `close()` then raises
   * `EBADF`, as Python's does for a descriptor closed under it).
   */
  [closeDescriptor](): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#descriptorGone = true;
      this.#closing = this.#release();
    }
    return this.#closing ?? Promise.resolve();
  }

  /** Closes the socket: `await using s = socket.socket()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Starts closing the socket; queued data drains in the background. */
  [Symbol.dispose](): void {
    void this.close().catch(() => {});
  }

  // ------------------------------------------------------------------ internals

  /**
   * The one path of every call that can wait: checks the socket is open,
   * turns the mode (or `MSG_DONTWAIT`) into a deadline, and maps Deno's
   * errors to Python's.
   */
  #io<T>(flags: number, call: (deadline: number) => Promise<T>): Promise<T> {
    try {
      this.#checkOpen();
      const deadline = (flags & MSG_DONTWAIT) !== 0 ? 0 : deadlineFor(this.#timeout);
      // A call made while a connect is still under way (its promise not
      // awaited) waits for it, as the call would in Python, where connect()
      // had returned first; a non-blocking one does not.
      if (this.#connecting !== null && deadline !== 0) {
        const run = () => call(deadline);
        return this.#connecting.done.then(run, run);
      }
      return call(deadline);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  #checkOpen(): void {
    if (this.#released) throw oserror(EBADF);
  }

  /** Tells watchers (`select`) that the state may have changed. */
  #changed = (): void => {
    this.#watchers?.notify();
  };

  /**
   * Keeps a read posted while nobody waits while `select` watches, so
   * readiness is seen. (Otherwise the receive engine posts its read when a
   * call comes, and keeps one posted once the socket has read: an idle
   * connection that never read holds no buffer, in every mode.) A listener
   * not in blocking mode keeps an accept posted.
   */
  #applyPrefetch(): void {
    const watched = this.#watchers !== null && this.#watchers.size > 0;
    // Non-blocking mode posts no read before the first call (see
    // ReceiveBuffer's FIRST_POLL_MS): a connection that never reads holds
    // no buffer, in every mode.
    if (this.#conn !== null && (watched || this.#inbox !== null)) {
      this.#receiver().prefetch = watched;
    }
    if (this.#inbox !== null) this.#listenForPeer();
    if (this.#accepts) this.#accepts.prefetch = this.#timeout !== null || watched;
    if (this.#dgram) this.#dgram.watched = this.#watchers !== null && this.#watchers.size > 0;
  }

  /** What `select`, `poll` and `selectors` ask of the socket. */
  get [readiness](): Pollable {
    return {
      pollMask: () => this.#pollMask(),
      watch: (onChange) => {
        const watchers = this.#watchers ??= new Watchers();
        const stop = watchers.add(onChange);
        this.#applyPrefetch();
        let stopped = false;
        return () => {
          if (stopped) return;
          stopped = true;
          stop();
          if (!this.#released) this.#applyPrefetch();
        };
      },
    };
  }

  /**
   * Linux `poll()` bits for the socket now (see `_readiness.ts`), with the
   * bits Linux pairs with them: `POLLRDNORM` with `POLLIN`, `POLLWRNORM`
   * with `POLLOUT` (and `POLLWRBAND` on datagram sockets).
   */
  #pollMask(): number {
    const mask = this.#pollBits();
    return mask | (mask & POLLIN ? POLLRDNORM : 0) | (mask & POLLOUT ? POLLWRNORM : 0);
  }

  #pollBits(): number {
    if (this.#released) return POLLNVAL;
    const dgram = this.#dgram;
    if (dgram) return POLLOUT | POLLWRBAND | (dgram.readable ? POLLIN : 0);
    if (this.#accepts) return this.#accepts.ready ? POLLIN : 0;
    if (this.#connecting !== null) return 0;
    if (this.#conn === null) {
      if (this.#soError !== 0) return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP;
      if (this.#connectFailed) return POLLIN | POLLOUT | POLLHUP | POLLRDHUP;
      return POLLOUT | POLLHUP;
    }
    // A watched socket has its receive engine (it keeps a read posted).
    const inbox = this.#receiver();
    const outbox = this.#outbox;
    const sendError = outbox?.error ?? null;
    let mask = 0;
    if (inbox.readable) mask |= POLLIN;
    if (inbox.ended) mask |= POLLIN | POLLRDHUP;
    if (this.#shutWrite || outbox === null || outbox.writable || sendError !== null) {
      mask |= POLLOUT;
    }
    if (inbox.broken || sendError !== null) {
      mask |= POLLIN | POLLOUT | POLLHUP | POLLRDHUP;
      if (inbox.pendingError !== null) mask |= POLLERR;
    }
    if (inbox.ended && this.#shutWrite) mask |= POLLHUP;
    return mask;
  }

  #receiving(): ReceiveBuffer {
    if (this.#conn) return this.#receiver();
    // After a failed connect, as Linux: the error once (if SO_ERROR did not
    // take it), then end of stream; a socket never connected: ENOTCONN.
    this.#raiseConnectError();
    if (this.#connectFailed) return ENDED;
    throw oserror(ENOTCONN);
  }

  #sending(): SendQueue {
    if (!this.#conn) this.#raiseConnectError();
    if (!this.#conn || this.#shutWrite) throw oserror(EPIPE);
    return this.#sender();
  }

  /**
   * The receive engine of the connection, made on first use: a connection
   * that has not read holds none (memory per idle connection).
   */
  #receiver(): ReceiveBuffer {
    if (this.#inbox !== null) return this.#inbox;
    const rcvbuf = this.#options?.get(optionKey(SOL_SOCKET, SO_RCVBUF)) as number | undefined;
    this.#inbox = new ReceiveBuffer(this.#conn!, rcvbuf ?? DEFAULT_RCVBUF, this.#changed);
    this.#listenForPeer();
    return this.#inbox;
  }

  /**
   * In non-blocking mode, lets the other end of a loopback connection this
   * process also holds tell the receive engine of bytes on their way (see
   * `_loopback.ts`).
   */
  #listenForPeer(): void {
    const listen = this.#timeout === 0 && !this.#released;
    if (listen === this.#peerListening) return;
    this.#peerListening = listen;
    listenForPeer(this.#conn!, this.#inbox!, listen);
  }

  /** The send engine of the connection, made on first use. */
  #sender(): SendQueue {
    if (this.#outbox !== null) return this.#outbox;
    const sndbuf = this.#options?.get(optionKey(SOL_SOCKET, SO_SNDBUF)) as number | undefined;
    return this.#outbox = new SendQueue(
      this.#conn!,
      sndbuf ?? CONNECTED_SNDBUF,
      this.#changed,
    );
  }

  /** Raises, once, the error of a connect that failed in the background. */
  #raiseConnectError(): void {
    const errno = this.#soError;
    if (errno === 0) return;
    this.#soError = 0;
    this.#changed();
    throw oserror(errno);
  }

  #listen(target: Target, backlog: number | undefined): Deno.Listener {
    if (target.transport === "unix") {
      try {
        return Deno.listen({ transport: "unix", path: target.path });
      } catch (e) {
        throw fromDenoError(e);
      }
    }
    // Without --unstable-net, Deno.listen({ reusePort }) exits the process
    // (code 70). The flag is on exactly when Deno.listenDatagram exists.
    const unstable = typeof (Deno as { listenDatagram?: unknown }).listenDatagram === "function";
    const reusePort = this.#options?.get(optionKey(SOL_SOCKET, SO_REUSEPORT)) === 1;
    try {
      if (reusePort && !unstable) {
        throw new OSError(
          EOPNOTSUPP,
          "Operation not supported (pysocket: SO_REUSEPORT needs Deno's --unstable-net flag)",
        );
      }
      // Linux hands a listener's options to the connections it accepts;
      // Deno's accepted connections cannot take these, so say so now.
      if (backlog !== undefined && this.#needsNode(false)) {
        const linger = this.#options?.get(optionKey(SOL_SOCKET, SO_LINGER)) as Uint8Array;
        const on = linger !== undefined && lingerValue(linger).onoff === 1;
        throw unavailable(
          on ? SOL_SOCKET : IPPROTO_TCP,
          on ? SO_LINGER : TCP_KEEPIDLE,
          "cannot be set in Deno on a listening socket (accepted connections cannot take it)",
        );
      }
      return Deno.listen({
        hostname: target.hostname,
        port: target.port,
        reusePort,
        ...(backlog === undefined ? {} : { tcpBacklog: backlog }),
      });
    } catch (e) {
      if (backlog !== undefined) {
        // listen() let go of the address bind() reserved: take it again, so
        // a refused listen() leaves the socket bound, as Python's does.
        try {
          this.#listener = Deno.listen({
            hostname: target.hostname,
            port: target.port,
            reusePort: reusePort && unstable,
          });
        } catch { /* taken meanwhile: the socket can only be closed */ }
      }
      throw fromDenoError(e);
    }
  }

  /** Refuses IPv4 peers of an `IPV6_V6ONLY` listener (Deno cannot set the option). */
  #admit(conn: Deno.Conn): boolean {
    if (this.#options?.get(optionKey(IPPROTO_IPV6, IPV6_V6ONLY)) !== 1) return true;
    const host = (conn.remoteAddr as Deno.NetAddr).hostname ?? "";
    if (!host.startsWith("::ffff:") && !isIPv4(host)) return true;
    conn.close();
    return false;
  }

  #attach(conn: Deno.Conn): void {
    this.#conn = conn;
    this.#applyPrefetch();
    this.#applyConnOptions();
  }

  #applyConnOptions(): void {
    const conn = this.#conn as Deno.TcpConn | NodeConn | null;
    if (!conn || typeof conn.setNoDelay !== "function") return;
    const nodelay = this.#options?.get(optionKey(IPPROTO_TCP, TCP_NODELAY));
    if (nodelay !== undefined) conn.setNoDelay(nodelay === 1);
    const keepalive = this.#options?.get(optionKey(SOL_SOCKET, SO_KEEPALIVE));
    if (conn instanceof NodeConn) {
      // node:net sets TCP_KEEPIDLE only while turning keep-alive on.
      const idle = this.#options?.get(optionKey(IPPROTO_TCP, TCP_KEEPIDLE)) as number | undefined;
      if (keepalive !== undefined) conn.setKeepAlive(keepalive === 1, idle);
      const linger = this.#options?.get(optionKey(SOL_SOCKET, SO_LINGER)) as Uint8Array | undefined;
      conn.resetOnClose = linger !== undefined && lingerValue(linger).onoff === 1;
    } else if (keepalive !== undefined) conn.setKeepAlive(keepalive === 1);
  }

  /**
   * Whether connecting needs `node:net` (`_node_conn.ts`): a source address
   * (`bind()` first, unless `bound` is false), `TCP_KEEPIDLE`, or
   * `SO_LINGER` on (a reset on close).
   */
  #needsNode(bound = true): boolean {
    if (this.#family === AF_UNIX) return false;
    if (bound && this.#bound !== null) return true;
    const options = this.#options;
    if (options === null) return false;
    if (options.has(optionKey(IPPROTO_TCP, TCP_KEEPIDLE))) return true;
    const linger = options.get(optionKey(SOL_SOCKET, SO_LINGER)) as Uint8Array | undefined;
    return linger !== undefined && lingerValue(linger).onoff === 1;
  }

  /**
   * Refuses an option only a connection made through `node:net` can take,
   * on a socket that cannot have one: a listener (Deno's accepted
   * connections cannot take it), or one connected through `Deno.connect`.
   */
  #checkNodeOption(level: number, optname: number): void {
    if (this.#listening) {
      throw unavailable(
        level,
        optname,
        "cannot be set in Deno on a listening socket (accepted connections cannot take it)",
      );
    }
    const conn = this.#conn;
    const viaDeno = conn !== null
      ? !(conn instanceof NodeConn)
      : this.#connecting !== null && !this.#needsNode();
    if (viaDeno) {
      throw unavailable(
        level,
        optname,
        "cannot be set in Deno once connected (set it before connect(); accepted sockets cannot take it)",
      );
    }
  }

  #option(level: number, optname: number): number | Uint8Array {
    const stored = this.#options?.get(optionKey(level, optname));
    if (level !== SOL_SOCKET && this.#family === AF_UNIX) throw oserror(EOPNOTSUPP);
    const datagramOption = this.#dgram?.getsockopt(level, optname);
    if (datagramOption !== undefined) return datagramOption;
    if (level === SOL_SOCKET) {
      switch (optname) {
        case SO_TYPE:
          return this.#type;
        case SO_ERROR: {
          const errno = this.#soError;
          this.#soError = 0;
          return errno;
        }
        case SO_REUSEADDR:
        case SO_REUSEPORT:
        case SO_KEEPALIVE:
          return (stored as number | undefined) ?? 0;
        case SO_RCVBUF:
          return (stored as number | undefined) ?? (this.#dgram ? DATAGRAM_BUFFER : DEFAULT_RCVBUF);
        case SO_SNDBUF:
          return (stored as number | undefined) ??
            (this.#dgram ? DATAGRAM_BUFFER : this.#conn ? CONNECTED_SNDBUF : DEFAULT_SNDBUF);
        case SO_LINGER:
          return stored ?? lingerBytes({ onoff: 0, seconds: 0 });
        case SO_RCVTIMEO:
        case SO_SNDTIMEO:
          return new Uint8Array(16); // never set to anything but zero
      }
    } else if (level === IPPROTO_TCP) {
      // Linux: reading a TCP option of a datagram socket is EOPNOTSUPP.
      if (this.#type !== SOCK_STREAM) throw oserror(EOPNOTSUPP);
      switch (optname) {
        case TCP_NODELAY:
          return (stored as number | undefined) ?? 0;
        case TCP_KEEPIDLE:
          return (stored as number | undefined) ?? keepIdleDefault();
        case TCP_KEEPINTVL:
          return keepIntervalDefault();
        case TCP_KEEPCNT:
          return keepCountDefault();
      }
    } else if (level === IPPROTO_IP) {
      if (optname === IP_TTL) return ttlDefault();
      if (optname === IP_TOS) return 0;
    } else if (level === IPPROTO_IPV6) {
      if (this.#family !== AF_INET6) throw oserror(EOPNOTSUPP); // as Linux
      if (optname === IPV6_V6ONLY) return (stored as number | undefined) ?? 0;
      if (optname === IPV6_TCLASS) return 0;
    }
    throw unavailable(level, optname, "cannot be read in Deno");
  }

  /** Connects; resolves 0 or an errno (`raise`: for `connect()`'s messages). */
  async #connect(address: Address, raise: boolean): Promise<number> {
    const target = parseAddress(this.#family, address, raise ? "connect" : "connect_ex");
    // Python checks the address first; connect_ex() returns EBADF like any errno.
    if (this.#released) {
      if (raise) throw oserror(EBADF);
      return EBADF;
    }
    // Connected UDP: a default peer and a filter on what recv*() hands over; nothing to wait for.
    if (this.#dgram) return await this.#dgram.connect(target);
    if (this.#connecting !== null) {
      // Give a background connect one turn of the event loop to complete.
      if (this.#timeout === 0) {
        await Promise.race([this.#connecting.done.catch(() => {}), nextTurn()]);
      }
      if (this.#connecting !== null) return EALREADY;
    }
    if (this.#conn !== null || this.#listening) {
      if (!this.#connectReported) {
        this.#connectReported = true;
        return 0;
      }
      return EISCONN;
    }
    if (this.#soError !== 0) {
      // A background connect failed: report it once, as Linux does.
      const errno = this.#soError;
      this.#soError = 0;
      return errno;
    }
    // bind() before connect(): node:net connects from the bound address
    // (Deno.connect cannot choose one); so it does for options only it sets.
    const viaNode = this.#needsNode();
    let source: { hostname: string; port: number } | null = null;
    if (this.#bound !== null) {
      if (this.#bound.transport === "unix") {
        throw new OSError(
          EOPNOTSUPP,
          "Operation not supported (pysocket: Deno cannot connect from a bound AF_UNIX socket)",
        );
      }
      source = { hostname: this.#bound.hostname, port: this.#bound.port };
      this.#listener!.close();
      this.#listener = null;
      this.#bound = null;
    }
    const resolved = needsLookup(target) ? await resolve(this.#family, target) : target;
    const timeout = this.#timeout;
    // Only a connect with a deadline (or through node:net) can be aborted;
    // close() waits for a blocking one.
    const abort = viaNode || timeout !== null ? new AbortController() : null;
    const attempt =
      (resolved.transport === "unix"
        ? Deno.connect({ transport: "unix", path: resolved.path })
        : viaNode
        // A NodeConn has every member of Deno.Conn the engines and this class use.
        ? NodeConn.connect({
          hostname: resolved.hostname,
          port: resolved.port,
          family: this.#family === AF_INET6 ? 6 : 4,
          localAddress: source?.hostname,
          localPort: source?.port,
          signal: abort!.signal,
        }) as unknown as Promise<Deno.Conn>
        : Deno.connect({
          hostname: resolved.hostname,
          port: resolved.port,
          // A signal costs Deno a cancel handle per connect: only a connect
          // with a deadline needs one (close() waits for a blocking one).
          signal: abort?.signal,
          autoSelectFamily: false,
        })) as Promise<Deno.Conn>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = attempt.then(
      (conn) => {
        clearTimeout(timer);
        const owner = this.#owner();
        owner.#connecting = null;
        if (owner.#released) {
          conn.close();
          return;
        }
        owner.#attach(conn);
        owner.#changed();
      },
      (e) => {
        clearTimeout(timer);
        const owner = this.#owner();
        owner.#connecting = null;
        owner.#connectFailed = true;
        owner.#changed();
        throw abort?.signal.aborted && !this.#released
          ? new TimeoutError("timed out")
          : fromDenoError(e);
      },
    );
    this.#connecting = { done, abort };
    if (timeout === 0) {
      this.#connectReported = false;
      done.catch((e: OSError) => {
        const owner = this.#owner();
        owner.#soError = e.errno ?? EINVAL;
        owner.#changed();
      });
      return EINPROGRESS;
    }
    if (timeout !== null) timer = setTimeout(() => abort!.abort(), timeout * 1000);
    try {
      await done;
    } catch (e) {
      if (raise || !(e instanceof OSError) || e.errno === null) {
        if (e instanceof TimeoutError && !raise) return EAGAIN;
        throw e;
      }
      return e.errno;
    }
    if (this.#released) throw oserror(EBADF);
    return 0;
  }

  #backend(): FileBackend {
    // deno-lint-ignore no-this-alias
    const sock = this;
    let released = false;
    const inbox = () => {
      if (sock.#movedTo !== null) throw oserror(EBADF);
      if (!sock.#conn) throw oserror(ENOTCONN);
      return sock.#receiver();
    };
    const sender = () => {
      if (sock.#movedTo !== null) throw oserror(EBADF);
      if (!sock.#conn || sock.#shutWrite) throw oserror(EPIPE);
      return sock.#sender();
    };
    return {
      receiver: () => sock.#conn ? sock.#receiver() : null,
      buffered: () => inbox().view(),
      consume: (n) => inbox().consume(n),
      get consumed() {
        return sock.#inbox?.consumed ?? 0;
      },
      fill: () => {
        const rb = inbox();
        const have = rb.available;
        if (have >= rb.limit) return Promise.resolve(true);
        const deadline = deadlineFor(sock.#timeout);
        return rb.take(have + 1, deadline, () => rb.available > have);
      },
      get capacity() {
        return sock.#inbox?.limit ?? DEFAULT_RCVBUF;
      },
      sendall: (data) => {
        try {
          return sender().sendAll(data, deadlineFor(sock.#timeout));
        } catch (e) {
          return Promise.reject(e);
        }
      },
      send: (data) => {
        try {
          return sender().send(data, deadlineFor(sock.#timeout));
        } catch (e) {
          return Promise.reject(e);
        }
      },
      get timeout() {
        return sock.#timeout;
      },
      release: () => {
        if (released) return Promise.resolve();
        released = true;
        sock.#fileRefs--;
        if (sock.#fileRefs === 0 && sock.#closed && sock.#closing === null) {
          sock.#closing = sock.#release();
        }
        return sock.#closing ?? Promise.resolve();
      },
      fileno: () => sock.fileno(),
    };
  }

  /** Lets go of every Deno resource: the real close. */
  async #release(): Promise<void> {
    // After detach(), another object holds the socket: nothing to let go here.
    if (this.#movedTo !== null || detached.get(this.#fileno) === this) return;
    this.#released = true;
    byFileno.delete(this.#fileno);
    let error: OSError | undefined;
    const reason = () => error ??= oserror(EBADF);
    const pending: (Promise<unknown> | null)[] = [];
    if (this.#connecting) {
      this.#connecting.abort?.abort();
      pending.push(this.#connecting.done);
    }
    if (this.#accepts) pending.push(this.#accepts.close(reason));
    if (this.#dgram) pending.push(this.#dgram.close(reason()));
    if (this.#listener) {
      closeListener(this.#listener, this.#bound);
      this.#listener = null;
    }
    if (this.#conn) {
      const conn = this.#conn;
      const outbox = this.#outbox;
      const inbox = this.#inbox;
      if (this.#peerListening) listenForPeer(conn, inbox!, false);
      const reading = inbox?.close(reason) ?? null;
      const drained = outbox?.close(reason);
      if (conn instanceof NodeConn && conn.resetOnClose) {
        // SO_LINGER {1, 0}: Linux drops what is unsent and sends RST at once.
        outbox?.abort(reason());
        closeQuietly(conn);
        pending.push(reading);
      } else if (outbox !== null && (outbox.busy || this.#finishing !== null)) {
        // Python's close() returns at once and the kernel delivers what
        // send() accepted: so does this, in the background.
        linger(conn, outbox, Promise.all([drained, this.#finishing])).catch(() => {});
      } else {
        closeQuietly(conn);
        pending.push(reading);
      }
    }
    alarm.release();
    this.#changed();
    this.#watchers = null;
    // Settle the Deno operations still pending, so none outlives close().
    for (const p of pending) if (p !== null) await p.catch(() => {});
  }
}

/** The receive side of a socket whose connect failed: at end of stream. */
const ENDED = new ReceiveBuffer({ read: () => Promise.resolve(null) }, 0);

/**
 * How long a closed connection keeps trying to deliver what `send()`
 * accepted while the peer reads nothing: the bound on Python's (the
 * kernel's) background delivery after `close()`. Each byte the peer takes
 * starts the wait again.
 */
const LINGER_SECONDS = 60;

/** Delivers what `outbox` holds, then closes `conn` (see `LINGER_SECONDS`). */
async function linger(conn: Deno.Conn, outbox: SendQueue, drained: Promise<unknown>) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let written = -1;
  const stalled = new Promise<void>((resolve) => {
    const check = () => {
      if (outbox.written === written) return resolve();
      written = outbox.written;
      timer = setTimeout(check, LINGER_SECONDS * 1000);
      // Like the kernel's orphaned sockets, this keeps no process alive.
      Deno.unrefTimer(timer);
    };
    check();
  });
  await Promise.race([drained, stalled]);
  clearTimeout(timer);
  if (outbox.busy) outbox.abort(oserror(EBADF));
  closeQuietly(conn);
}

function closeQuietly(resource: Deno.Conn | Deno.Listener): void {
  try {
    resource.close();
  } catch { /* already closed (a reset, or a listener a failed listen() closed) */ }
}

/**
 * Closes a listener. Deno removes a unix listener's socket file when it
 * closes; Python never does, and the path may by now belong to another
 * listener. So whatever stands at the path is kept: linked aside, and put
 * back once Deno has removed the name.
 */
function closeListener(listener: Deno.Listener, bound: Target | null): void {
  if (bound === null || bound.transport !== "unix") return closeQuietly(listener);
  const aside = `${bound.path}.${crypto.randomUUID()}`;
  let kept = false;
  try {
    Deno.linkSync(bound.path, aside);
    kept = true;
  } catch { /* nothing at the path (or no right to it): nothing to keep */ }
  closeQuietly(listener);
  if (!kept) return;
  try {
    Deno.renameSync(aside, bound.path);
  } catch {
    try {
      Deno.removeSync(aside);
    } catch { /* gone already */ }
  }
}

const sysctls = new Map<string, number>();

/**
 * Linux's `net.core.rmem_max` / `wmem_max`, read once. Deno reads /proc only
 * with --allow-all; without it, Linux's default (212992) is assumed.
 */
function readSysctl(name: string): number {
  let value = sysctls.get(name);
  if (value === undefined) {
    try {
      value = Number(Deno.readTextFileSync(`/proc/sys/net/core/${name}`).trim()) || 212992;
    } catch {
      value = 212992;
    }
    sysctls.set(name, value);
  }
  return value;
}

/** Sockets given up by `detach()`, by number, until `socket(…, fileno)` takes one over. */
const detached = new Map<number, Socket>();

/**
 * The socket `socket(…, fileno)` takes over: one `detach()` gave up.
 * Python's checks first, in its order. An open socket's number cannot be
 * taken (it would be two objects over one socket, which needs OS
 * descriptors, which Deno does not expose).
 */
function detachedSocket(fileno: unknown): Socket {
  const fd = checkInt(fileno);
  if (fd < 0) throw new RangeError("negative file descriptor");
  const socket = detached.get(fd);
  if (socket !== undefined) {
    detached.delete(fd);
    return socket;
  }
  if (!byFileno.has(fd)) throw oserror(EBADF);
  throw new OSError(
    EOPNOTSUPP,
    "Operation not supported (pysocket: socket(fileno=…) of an open socket needs OS descriptors, which Deno does not expose; detach() it first)",
  );
}

/**
 * Like Python's `socket.close(fd)`: closes the socket whose `fileno()` is
 * `fd` (the socket object stays; its own `close()` then raises `EBADF`).
 *
 * @param fd A socket's `fileno()`.
 * @returns A promise, settled once the socket has let go of its resources.
 * @throws {TypeError} If `fd` is not an integer.
 * @throws {OSError} `EBADF` if no open socket has that number.
 * @example Close by number
 * ```ts
 * import { close, socket } from "@pysocket/socket/socket";
 * import assert from "node:assert/strict";
 * const s = socket();
 * await close(s.fileno());
 * assert.equal(s.fileno(), -1);
 * ```
 */
export function close(fd: number): Promise<void> {
  const n = checkInt(fd);
  const sock = byFileno.get(n);
  if (!(sock instanceof Socket)) throw oserror(EBADF);
  return sock[closeDescriptor]();
}

/**
 * Like Python's `socket.socket()`: a new socket.
 *
 * The family and type, when given as the constants (`AF_INET6`,
 * `SOCK_DGRAM`, …), make the socket's addresses precise for TypeScript:
 * `getsockname()` of `socket(AF_INET)` is `[host, port]`, `recvfrom()` of
 * a datagram socket gives an address `sendto()` takes back.
 *
 * @param family `AF_INET` (default), `AF_INET6` or `AF_UNIX`.
 * @param type `SOCK_STREAM` (default) or `SOCK_DGRAM`.
 * @param proto 0 or the matching protocol.
 * @param fileno Must be omitted or `null` (see {@linkcode Socket}'s constructor).
 * @returns The socket.
 * @example Python's spelling
 * ```ts
 * import { socket } from "@pysocket/socket/socket";
 * import { AF_INET, SOCK_STREAM } from "@pysocket/socket/constants";
 * import assert from "node:assert/strict";
 * await using s = socket(AF_INET, SOCK_STREAM);
 * assert.equal(s.type, SOCK_STREAM);
 * ```
 */
export function socket<
  F extends number = typeof AF_INET,
  K extends number = typeof SOCK_STREAM,
>(
  family: F = AF_INET as F,
  type: K = SOCK_STREAM as K,
  proto: number = 0,
  fileno: number | null = null,
): Socket<SockAddr<F>, SenderAddress<F, K>> {
  return new Socket(family, type, proto, fileno);
}

/**
 * Python's `socket.SocketType`: the class of socket objects, here the same
 * class as {@linkcode Socket}.
 *
 * @example
 * ```ts
 * import { Socket, socket, SocketType } from "@pysocket/socket/socket";
 * import assert from "node:assert/strict";
 * await using s = socket();
 * assert.equal(SocketType, Socket);
 * assert.ok(s instanceof SocketType);
 * ```
 */
export const SocketType: typeof Socket = Socket;
/** Python's `socket.SocketType`: the same as {@linkcode Socket}. */
export type SocketType = Socket;

/**
 * Python's `socket._GLOBAL_DEFAULT_TIMEOUT`: the sentinel that
 * `create_connection()` takes for "leave the default timeout"
 * (`getdefaulttimeout()`), as `smtplib`, `ftplib` and friends pass it.
 *
 * @example
 * ```ts
 * import { _GLOBAL_DEFAULT_TIMEOUT } from "@pysocket/socket/socket";
 * import assert from "node:assert/strict";
 * assert.equal(typeof _GLOBAL_DEFAULT_TIMEOUT, "symbol");
 * ```
 */
export const _GLOBAL_DEFAULT_TIMEOUT: unique symbol = Symbol("_GLOBAL_DEFAULT_TIMEOUT");
