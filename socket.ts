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
  emptyAddress,
  isIPv4,
  needsLookup,
  parseAddress,
  resolve,
  type Target,
  toAddress,
} from "./_address.ts";
import type { FileBackend } from "./_backend.ts";
import { checkInt, pyTypeName } from "./_pytype.ts";
import { DATAGRAM_BUFFER, DatagramSocket } from "./_datagram.ts";
import { Alarm, deadlineFor } from "./_deadline.ts";
import { fromDenoError, oserror } from "./_errno.ts";
import { ReceiveBuffer } from "./_receive_buffer.ts";
import { SendQueue } from "./_send_queue.ts";
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
import { OSError, TimeoutError } from "./errors.ts";
import { FileObject, type MakefileOptions } from "./file_object.ts";

export type { Address } from "./_address.ts";

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
  if (typeof value !== "number") {
    throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
  }
  if (Number.isNaN(value)) throw new RangeError("Invalid value NaN (not a number)");
  if (!(value >= 0)) throw new RangeError("Timeout value out of range");
  return value;
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
  checkInt(bufsize);
  if ((bufsize as number) < 0) throw new RangeError(`negative buffersize in ${fn}`);
  return bufsize as number;
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

const SUPPORTED_FLAGS = MSG_PEEK | MSG_DONTWAIT | MSG_WAITALL;

function checkFlags(flags: unknown): number {
  checkInt(flags);
  if (((flags as number) & ~SUPPORTED_FLAGS) !== 0) throw oserror(EOPNOTSUPP);
  return flags as number;
}

function optionKey(level: number, optname: number): string {
  return `${level}:${optname}`;
}

/**
 * Like a Python socket object, but every call that can wait returns a
 * promise. Supports AF_INET, AF_INET6 and AF_UNIX, with SOCK_STREAM and
 * SOCK_DGRAM.
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
export class Socket {
  #family: number;
  #type: number;
  #proto: number;
  #timeout: number | null;
  #fileno: number;
  #closed = false;
  #closing: Promise<void> | null = null;
  #alarm = new Alarm();
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
  #connecting: { done: Promise<void>; abort: AbortController } | null = null;
  #connectReported = true;
  #soError = 0;

  // Datagram state: the datagram engine (SOCK_DGRAM only).
  #dgram: DatagramSocket | null = null;

  /**
   * Like Python's `socket.socket(family, type, proto)`.
   *
   * @param family `AF_INET` (default), `AF_INET6` or `AF_UNIX`.
   * @param type `SOCK_STREAM` (default) or `SOCK_DGRAM`, optionally with
   *   Linux's `SOCK_NONBLOCK` / `SOCK_CLOEXEC` flags.
   * @param proto 0, or the protocol matching `type`.
   * @throws {OSError} `EAFNOSUPPORT`, `EINVAL`, `ESOCKTNOSUPPORT` or
   *   `EPROTONOSUPPORT` for what Python's `socket()` refuses, and what Deno
   *   cannot do (raw and sequenced-packet sockets).
   */
  constructor(family: number = AF_INET, type: number = SOCK_STREAM, proto: number = 0) {
    checkInt(family);
    checkInt(type);
    checkInt(proto);
    if (family !== AF_INET && family !== AF_INET6 && family !== AF_UNIX) {
      throw oserror(EAFNOSUPPORT);
    }
    const base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (base === SOCK_RAW || base === SOCK_SEQPACKET) {
      throw new OSError(
        ESOCKTNOSUPPORT,
        "Socket type not supported (pysocket: Deno offers stream and datagram sockets only)",
      );
    }
    if (base !== SOCK_STREAM && base !== SOCK_DGRAM) throw oserror(EINVAL);
    const expected = family === AF_UNIX ? 1 : base === SOCK_STREAM ? IPPROTO_TCP : 17;
    if (proto !== 0 && proto !== expected) throw oserror(EPROTONOSUPPORT);
    this.#family = family;
    this.#type = base;
    this.#proto = proto;
    this.#timeout = (type & SOCK_NONBLOCK) !== 0 ? 0 : defaultTimeout;
    this.#fileno = nextFileno++;
    if (base === SOCK_DGRAM) this.#dgram = new DatagramSocket(family, this.#alarm);
  }

  /** The address family, as given to the constructor. */
  get family(): number {
    return this.#family;
  }

  /** The socket type (`SOCK_STREAM` or `SOCK_DGRAM`). */
  get type(): number {
    return this.#type;
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
   * Not in Python: how many datagrams this socket dropped because its
   * receive buffer (`SO_RCVBUF`) was full, as the kernel counts them (the
   * `drops` column of `/proc/net/udp`). Always 0 for a stream socket.
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
  bind(address: Address): void {
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
    if (backlog !== undefined) checkInt(backlog);
    if (this.#type !== SOCK_STREAM) throw oserror(EOPNOTSUPP);
    if (this.#conn !== null || this.#connecting !== null) throw oserror(EINVAL);
    const queue = Math.max(0, backlog ?? 128);
    if (this.#bound === null) {
      if (this.#family === AF_UNIX) {
        // Linux autobinds a unix socket on connect, never on listen: EINVAL, as Python.
        throw oserror(EINVAL);
      }
      this.bind(emptyAddress(this.#family) as Address);
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
        this.#alarm,
        (c) => this.#admit(c),
      );
      this.#accepts.prefetch = this.#timeout !== null;
    }
  }

  /**
   * Like Python's `socket.setblocking()`: `false` is `settimeout(0)`,
   * `true` is `settimeout(null)`.
   *
   * @param flag Whether calls wait.
   */
  setblocking(flag: boolean): void {
    if (typeof flag !== "boolean" && typeof flag !== "number") {
      throw new TypeError(`'${pyTypeName(flag)}' object cannot be interpreted as an integer`);
    }
    this.settimeout(flag ? null : 0);
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
    const prefetch = this.#timeout !== null;
    if (this.#inbox) this.#inbox.prefetch = prefetch;
    if (this.#accepts) this.#accepts.prefetch = prefetch;
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
   * resource exists are applied when it is created.
   *
   * @param level `SOL_SOCKET`, `IPPROTO_TCP`, `IPPROTO_IP` or `IPPROTO_IPV6`.
   * @param optname The option.
   * @param value An integer or bytes.
   * @throws {OSError} `ENOPROTOOPT` for an option pysocket cannot honour.
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
    const int = typeof value === "number"
      ? value
      : new DataView(value.buffer, value.byteOffset).getInt32(0, true);
    const key = optionKey(level, optname);
    // Linux: a unix socket has only SOL_SOCKET options; other levels are EOPNOTSUPP.
    if (level !== SOL_SOCKET && this.#family === AF_UNIX) throw oserror(EOPNOTSUPP);
    if (level === SOL_SOCKET) {
      switch (optname) {
        case SO_REUSEADDR:
        case SO_REUSEPORT:
        case SO_KEEPALIVE:
          (this.#options ??= new Map()).set(key, int ? 1 : 0);
          if (optname === SO_KEEPALIVE) this.#applyConnOptions();
          return;
        case SO_RCVBUF:
        case SO_SNDBUF: {
          const min = optname === SO_RCVBUF ? MIN_RCVBUF : MIN_SNDBUF;
          const max = 2 * readSysctl(optname === SO_RCVBUF ? "rmem_max" : "wmem_max");
          // Linux reads the value as unsigned: a negative one is huge, so the maximum.
          const size = int < 0 ? max : Math.min(Math.max(2 * int, min), max);
          (this.#options ??= new Map()).set(key, size);
          if (optname === SO_RCVBUF && this.#inbox) this.#inbox.limit = size;
          if (optname === SO_RCVBUF && this.#dgram) this.#dgram.limit = size;
          if (optname === SO_SNDBUF && this.#outbox) this.#outbox.limit = size;
          return;
        }
      }
    } else if (level === IPPROTO_TCP && optname === TCP_NODELAY && this.#type === SOCK_STREAM) {
      (this.#options ??= new Map()).set(key, int ? 1 : 0);
      this.#applyConnOptions();
      return;
    } else if (level === IPPROTO_IPV6 && optname === IPV6_V6ONLY && this.#family === AF_INET6) {
      if (this.#bound !== null) throw oserror(EINVAL);
      (this.#options ??= new Map()).set(key, int ? 1 : 0);
      return;
    }
    throw oserror(ENOPROTOOPT);
  }

  /**
   * Like Python's `socket.getsockopt()`: what the program set, as Python
   * would see it.
   *
   * @param level The option's level.
   * @param optname The option.
   * @param buflen If given, the value as that many bytes (native order).
   * @returns The value (an integer, or bytes when `buflen` is given).
   * @throws {OSError} `ENOPROTOOPT` for an option pysocket does not know.
   */
  getsockopt(level: number, optname: number, buflen?: number): number | Uint8Array {
    this.#checkOpen();
    checkInt(level);
    checkInt(optname);
    const value = this.#option(level, optname);
    if (buflen === undefined || buflen === 0) return value;
    checkInt(buflen);
    if (buflen <= 0 || buflen > 1024) throw new OSError("getsockopt buflen out of range");
    const bytes = new Uint8Array(buflen);
    new DataView(bytes.buffer).setInt32(0, value, true);
    return bytes.subarray(0, buflen);
  }

  /**
   * Like Python's `socket.getsockname()`.
   *
   * @returns The local address; `["0.0.0.0", 0]` (or the family's
   *   equivalent) for a socket with none yet.
   */
  getsockname(): Address {
    this.#checkOpen();
    if (this.#dgram) return this.#dgram.getsockname();
    if (this.#conn) return toAddress(this.#family, this.#conn.localAddr);
    if (this.#listener) return toAddress(this.#family, this.#listener.addr);
    return emptyAddress(this.#family);
  }

  /**
   * Like Python's `socket.getpeername()`.
   *
   * @returns The remote address.
   * @throws {OSError} `ENOTCONN` on a socket that is not connected.
   */
  getpeername(): Address {
    this.#checkOpen();
    if (this.#dgram) return this.#dgram.getpeername();
    if (!this.#conn) throw oserror(ENOTCONN);
    return toAddress(this.#family, this.#conn.remoteAddr);
  }

  /**
   * Like Python's `socket.fileno()`, but Deno exposes no OS descriptors: a
   * process-unique non-negative number identifying the socket.
   *
   * @returns That number, or -1 once closed.
   */
  fileno(): number {
    // As Python: the number stays while a makefile() object keeps the socket open.
    return this.#closed && this.#fileRefs === 0 ? -1 : this.#fileno;
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
  accept(): Promise<[Socket, Address]> {
    return this.#io(0, async (deadline) => {
      // Linux: accept() on a datagram socket is EOPNOTSUPP, on a stream socket not listening EINVAL.
      if (!this.#accepts) throw oserror(this.#dgram ? EOPNOTSUPP : EINVAL);
      const conn = await this.#accepts.take(deadline);
      const sock = new Socket(this.#family, SOCK_STREAM, this.#proto);
      sock.#attach(conn);
      return [sock, toAddress(this.#family, conn.remoteAddr)];
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
  async connect(address: Address): Promise<void> {
    const errno = await this.#connect(address, true);
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
  connect_ex(address: Address): Promise<number> {
    return this.#connect(address, false);
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
    checkInt(nbytes);
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
  recvfrom(bufsize: number, flags: number = 0): Promise<[Uint8Array, Address | null]> {
    checkBufsize("recvfrom", bufsize);
    checkFlags(flags);
    const dgram = this.#dgram;
    if (dgram) return this.#io(flags, (deadline) => dgram.recvfrom(bufsize, flags, deadline));
    return this.recv(bufsize, flags).then((data) => [data, null]);
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
  ): Promise<[number, Address | null]> {
    let bytes: Uint8Array;
    try {
      bytes = writableBytes(buffer);
    } catch (e) {
      throw new TypeError((e as Error).message.replace("recv_into()", "recvfrom_into()"));
    }
    checkInt(nbytes);
    if (nbytes < 0) throw new RangeError("negative buffersize in recvfrom_into");
    if (nbytes > bytes.length) {
      throw new RangeError("nbytes is greater than the length of the buffer");
    }
    checkFlags(flags);
    const dgram = this.#dgram;
    const target = nbytes === 0 ? bytes : bytes.subarray(0, nbytes);
    if (dgram) return this.#io(flags, (deadline) => dgram.recvfromInto(target, flags, deadline));
    return this.recv_into(target, 0, flags).then((n) => [n, null]);
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
  sendto(data: Data, address: Address): Promise<number>;
  /**
   * Like Python's `socket.sendto(data, flags, address)`, but returns a promise.
   *
   * @param data What to send.
   * @param flags `MSG_DONTWAIT` only.
   * @param address Where to.
   * @returns How many bytes were sent.
   */
  sendto(data: Data, flags: number, address: Address): Promise<number>;
  sendto(data: Data, flagsOrAddress: number | Address, address?: Address): Promise<number> {
    const bytes = toBytes(data);
    if (flagsOrAddress === undefined) {
      throw new TypeError("sendto() takes 2 or 3 arguments (1 given)");
    }
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
   * Like Python's `socket.shutdown()`, but returns a promise.
   *
   * @param how `SHUT_RD`, `SHUT_WR` (sends FIN once queued data is out) or `SHUT_RDWR`.
   * @throws {OSError} `ENOTCONN` when not connected, `EINVAL` for a bad `how`.
   */
  async shutdown(how: number): Promise<void> {
    checkInt(how);
    this.#checkOpen();
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) throw oserror(EINVAL);
    if (this.#dgram) return this.#dgram.shutdown(how);
    if (!this.#conn) throw oserror(ENOTCONN);
    if (how !== SHUT_WR) this.#inbox!.shutdown();
    if (how !== SHUT_RD && !this.#shutWrite) {
      this.#shutWrite = true;
      await this.#outbox!.flushed();
      try {
        await this.#conn.closeWrite();
      } catch (e) {
        const error = fromDenoError(e);
        if (error.errno !== ENOTCONN) throw error;
      }
    }
  }

  /**
   * Like Python's `socket.close()`, but returns a promise. Idempotent; later
   * calls on the socket raise `OSError` `EBADF`. Data already accepted by
   * `send()` is still delivered (waiting at most the socket's timeout). A
   * socket with an open `makefile()` object stays connected until that
   * object is closed too.
   */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      if (this.#fileRefs === 0) this.#closing = this.#release();
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
      return call((flags & MSG_DONTWAIT) !== 0 ? 0 : deadlineFor(this.#timeout));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw oserror(EBADF);
  }

  #receiving(): ReceiveBuffer {
    if (!this.#inbox) throw oserror(ENOTCONN);
    return this.#inbox;
  }

  #sending(): SendQueue {
    if (!this.#outbox || this.#shutWrite) throw oserror(EPIPE);
    return this.#outbox;
  }

  #listen(target: Target, backlog: number | undefined): Deno.Listener {
    try {
      if (target.transport === "unix") return Deno.listen({ transport: "unix", path: target.path });
      const reusePort = this.#options?.get(optionKey(SOL_SOCKET, SO_REUSEPORT)) === 1;
      return Deno.listen({
        hostname: target.hostname,
        port: target.port,
        reusePort,
        ...(backlog === undefined ? {} : { tcpBacklog: backlog }),
      });
    } catch (e) {
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
    const rcvbuf = this.#options?.get(optionKey(SOL_SOCKET, SO_RCVBUF)) as number | undefined;
    const sndbuf = this.#options?.get(optionKey(SOL_SOCKET, SO_SNDBUF)) as number | undefined;
    this.#inbox = new ReceiveBuffer(conn, rcvbuf ?? DEFAULT_RCVBUF, this.#alarm);
    this.#outbox = new SendQueue(conn, sndbuf ?? CONNECTED_SNDBUF, this.#alarm);
    this.#inbox.prefetch = this.#timeout !== null;
    this.#applyConnOptions();
  }

  #applyConnOptions(): void {
    const conn = this.#conn as Deno.TcpConn | null;
    if (!conn || typeof conn.setNoDelay !== "function") return;
    const nodelay = this.#options?.get(optionKey(IPPROTO_TCP, TCP_NODELAY));
    if (nodelay !== undefined) conn.setNoDelay(nodelay === 1);
    const keepalive = this.#options?.get(optionKey(SOL_SOCKET, SO_KEEPALIVE));
    if (keepalive !== undefined) conn.setKeepAlive(keepalive === 1);
  }

  #option(level: number, optname: number): number {
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
      }
    } else if (level === IPPROTO_TCP && optname === TCP_NODELAY && this.#type === SOCK_STREAM) {
      return (stored as number | undefined) ?? 0;
    } else if (level === IPPROTO_IPV6 && optname === IPV6_V6ONLY && this.#family === AF_INET6) {
      return (stored as number | undefined) ?? 0;
    }
    throw oserror(ENOPROTOOPT);
  }

  /** Connects; resolves 0 or an errno (`raise`: for `connect()`'s messages). */
  async #connect(address: Address, raise: boolean): Promise<number> {
    const target = parseAddress(this.#family, address, raise ? "connect" : "connect_ex");
    // Python checks the address first; connect_ex() returns EBADF like any errno.
    if (this.#closed) {
      if (raise) throw oserror(EBADF);
      return EBADF;
    }
    // Connected UDP: a default peer and a filter on what recv*() hands over; nothing to wait for.
    if (this.#dgram) return await this.#dgram.connect(target);
    if (this.#connecting !== null) {
      // Give a background connect one turn of the event loop to complete.
      if (this.#timeout === 0) await withinTurn(this.#connecting.done);
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
    if (this.#bound !== null) {
      if (this.#bound.transport === "unix" || this.#bound.port !== 0) {
        throw new OSError(
          EOPNOTSUPP,
          "Operation not supported (pysocket: Deno cannot choose the source address of an outgoing connection)",
        );
      }
      this.#listener!.close();
      this.#listener = null;
      this.#bound = null;
    }
    const resolved = needsLookup(target) ? await resolve(this.#family, target) : target;
    const timeout = this.#timeout;
    const abort = new AbortController();
    const attempt =
      (resolved.transport === "unix"
        ? Deno.connect({ transport: "unix", path: resolved.path })
        : Deno.connect({
          hostname: resolved.hostname,
          port: resolved.port,
          signal: abort.signal,
          autoSelectFamily: false,
        })) as Promise<Deno.Conn>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = attempt.then(
      (conn) => {
        clearTimeout(timer);
        this.#connecting = null;
        if (this.#closed) {
          conn.close();
          return;
        }
        this.#attach(conn);
      },
      (e) => {
        clearTimeout(timer);
        this.#connecting = null;
        throw abort.signal.aborted && !this.#closed
          ? new TimeoutError("timed out")
          : fromDenoError(e);
      },
    );
    this.#connecting = { done, abort };
    if (timeout === 0) {
      this.#connectReported = false;
      done.catch((e: OSError) => {
        this.#soError = e.errno ?? EINVAL;
      });
      return EINPROGRESS;
    }
    if (timeout !== null) timer = setTimeout(() => abort.abort(), timeout * 1000);
    try {
      await done;
    } catch (e) {
      if (raise || !(e instanceof OSError) || e.errno === null) {
        if (e instanceof TimeoutError && !raise) return EAGAIN;
        throw e;
      }
      return e.errno;
    }
    if (this.#closed) throw oserror(EBADF);
    return 0;
  }

  #backend(): FileBackend {
    // deno-lint-ignore no-this-alias
    const sock = this;
    let released = false;
    const inbox = () => {
      if (!sock.#inbox) throw oserror(ENOTCONN);
      return sock.#inbox;
    };
    return {
      receiver: () => sock.#inbox,
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
        if (!sock.#outbox || sock.#shutWrite) return Promise.reject(oserror(EPIPE));
        return sock.#outbox.sendAll(data, deadlineFor(sock.#timeout));
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
    let error: OSError | undefined;
    const reason = () => error ??= oserror(EBADF);
    this.#alarm.clear();
    const pending: (Promise<unknown> | null)[] = [];
    if (this.#connecting) {
      this.#connecting.abort.abort();
      pending.push(this.#connecting.done);
    }
    if (this.#accepts) pending.push(this.#accepts.close(reason));
    if (this.#dgram) pending.push(this.#dgram.close(reason()));
    if (this.#listener) {
      this.#listener.close();
      this.#listener = null;
    }
    if (this.#conn) {
      const outbox = this.#outbox!;
      if (outbox.busy && outbox.error === null) {
        // Deliver what send() accepted; a socket with a timeout waits at most that long.
        const flushed = outbox.flushed();
        if (this.#timeout === null) await flushed;
        else {
          let timer: ReturnType<typeof setTimeout> | undefined;
          const expired = new Promise((r) => timer = setTimeout(r, this.#timeout! * 1000));
          await Promise.race([flushed, expired]);
          clearTimeout(timer);
        }
      }
      pending.push(this.#inbox!.close(reason), outbox.close(reason));
      try {
        this.#conn.close();
      } catch { /* already closed by the peer's reset */ }
    }
    // Settle the Deno operations still pending, so none outlives close().
    for (const p of pending) if (p !== null) await p.catch(() => {});
  }
}

/** Resolves when `promise` settles or the event loop has turned once. */
function withinTurn(promise: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const id = setTimeout(resolve, 0);
    const done = () => {
      clearTimeout(id);
      resolve();
    };
    promise.then(done, done);
  });
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

/**
 * Like Python's `socket.socket()`: a new socket.
 *
 * @param family `AF_INET` (default), `AF_INET6` or `AF_UNIX`.
 * @param type `SOCK_STREAM` (default) or `SOCK_DGRAM`.
 * @param proto 0 or the matching protocol.
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
export function socket(
  family: number = AF_INET,
  type: number = SOCK_STREAM,
  proto: number = 0,
): Socket {
  return new Socket(family, type, proto);
}
