/**
 * The engine of a datagram socket (UDP over IPv4 and IPv6, and unix
 * datagrams), built like the stream receive engine: it owns the Deno
 * `DatagramConn` and at most one pending `receive()`, which reads into the
 * engine's own storage. Datagrams wait in a queue bounded by the socket's
 * receive buffer (`SO_RCVBUF`) until a call takes them; what does not fit
 * is dropped and counted, as the kernel does. Calls are served in call
 * order, one datagram each. So a call that times out or would block loses
 * nothing: a datagram that arrives after it gave up goes to the next call.
 *
 * Unlike the stream engine, a bound UDP socket keeps a receive posted in
 * every mode: the queue plays the kernel's receive buffer (same bound, same
 * drops), and in a flood from the same process a receive posted ahead lost
 * about 4% of the datagrams where one posted per call lost 27%. While no
 * call waits, the Deno socket is unreffed, so an idle socket does not keep
 * the program alive. A unix datagram socket posts a receive only for a call
 * that waits: Deno cannot send on one while a receive is pending.
 *
 * What Deno lacks is emulated where the kernel's behaviour can be: connected
 * UDP (a default peer, and only that peer's datagrams handed over),
 * `SO_BROADCAST`, `IPV6_V6ONLY`, the multicast options (through Deno's
 * membership objects). Each emulation says where it differs.
 *
 * @module
 */

import {
  type Address,
  emptyAddress,
  isIPv4,
  isIPv6,
  parseAddress,
  resolve,
  type Target,
  toAddress,
} from "./_address.ts";
import { alarm, type Timed, Waiter } from "./_deadline.ts";
import { fromDenoError, oserror } from "./_errno.ts";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  EACCES,
  EADDRINUSE,
  EADDRNOTAVAIL,
  EBUSY,
  EDESTADDRREQ,
  EINVAL,
  ENETUNREACH,
  ENODEV,
  ENOENT,
  ENOPROTOOPT,
  ENOTCONN,
  EOPNOTSUPP,
  EPIPE,
  IP_ADD_MEMBERSHIP,
  IP_DROP_MEMBERSHIP,
  IP_MULTICAST_LOOP,
  IP_MULTICAST_TTL,
  IPPROTO_IP,
  IPPROTO_IPV6,
  IPV6_JOIN_GROUP,
  IPV6_LEAVE_GROUP,
  IPV6_MULTICAST_LOOP,
  IPV6_V6ONLY,
  MSG_PEEK,
  SHUT_RD,
  SHUT_WR,
  SO_BROADCAST,
  SOL_SOCKET,
} from "./constants.ts";
import { OSError } from "./errors.ts";

/**
 * Linux's `rmem_default` / `wmem_default`: what `SO_RCVBUF` and `SO_SNDBUF`
 * read on a fresh datagram socket (the stream defaults differ). Not read
 * from `/proc`, so importing the module asks for no permission.
 */
export const DATAGRAM_BUFFER = 212992;

/**
 * What one queued datagram costs against `SO_RCVBUF` beyond its bytes, as
 * the kernel charges an skb's bookkeeping: so a flood of empty datagrams is
 * bounded too.
 */
const DATAGRAM_OVERHEAD = 256;

// Room for one datagram: the largest UDP payload (65527 bytes over IPv6)
// fits in 64 KiB; a unix datagram is bounded by the sender's send buffer
// (212992 bytes by default, a little less in payload).
const UDP_ROOM = 65536;
const UNIX_ROOM = 256 * 1024;

// Datagrams handed out or queued are copied from the receive buffer into
// slabs of this size, a few hundred small datagrams to a slab; one larger
// than SLAB_SHARE gets a buffer of its own.
const SLAB = 64 * 1024;
const SLAB_SHARE = 8 * 1024;

const EMPTY = new Uint8Array(0);
const RESOLVED = Promise.resolve();

/** A multicast group membership, as Deno hands it out. */
interface Membership {
  leave(): Promise<void>;
  setLoopback(loopback: boolean): Promise<void>;
  setTTL?(ttl: number): Promise<void>;
}

/** The part of Deno's `DatagramConn` the engine uses. */
interface DatagramConn {
  readonly addr: Deno.Addr;
  receive(p?: Uint8Array): Promise<[Uint8Array, Deno.Addr]>;
  send(p: Uint8Array, addr: Deno.Addr): Promise<number>;
  joinMulticastV4(address: string, networkInterface: string): Promise<Membership>;
  joinMulticastV6(address: string, networkInterface: number): Promise<Membership>;
  close(): void;
  ref(): void;
  unref(): void;
}

type ListenDatagram = (options: {
  transport: "udp" | "unixpacket";
  hostname?: string;
  port?: number;
  path?: string;
  reuseAddress?: boolean;
  loopback?: boolean;
}) => DatagramConn;

/** `Deno.listenDatagram`, or an `OSError` that names the flag it needs. */
function listenDatagram(): ListenDatagram {
  const listen = (Deno as unknown as { listenDatagram?: ListenDatagram }).listenDatagram;
  if (typeof listen !== "function") {
    throw new OSError(
      EOPNOTSUPP,
      "Operation not supported (pysocket: datagram sockets need Deno's --unstable-net flag)",
    );
  }
  return listen;
}

/**
 * What a receiving call returns: `recv()` and `recvfrom()` a view of the
 * engine's storage, `recv_into()` and `recvfrom_into()` a count. A number,
 * not a closure, so a call allocates nothing to say what it wants.
 */
const Kind = { recv: 0, recvfrom: 1, recvInto: 2, recvfromInto: 3 } as const;
type Kind = typeof Kind[keyof typeof Kind];

/** A call waiting for a datagram. */
class Take extends Waiter<unknown> {
  constructor(
    deadline: number,
    onExpire: (w: Timed) => void,
    /** Leave the datagram queued (`MSG_PEEK`). */
    readonly peek: boolean,
    readonly kind: Kind,
    /** `recv()`, `recvfrom()`: the most bytes to return. */
    readonly size: number,
    /** `recv_into()`, `recvfrom_into()`: where to copy the datagram. */
    readonly into: Uint8Array | null,
    /** Gives up with an empty result rather than an error (after `SHUT_RD`). */
    readonly eof: boolean,
    grace: number,
  ) {
    super(deadline, onExpire, grace);
  }
}

/**
 * This process's UDP sockets, by family and port: a datagram sent over
 * loopback to one of them is in its kernel buffer at once, where Python's
 * non-blocking `recvfrom()` finds it, while Deno sees it only at its next
 * poll of the network. So the sender tells the receiver a datagram is on
 * its way (`expect()`), and a call there that may not wait waits for it
 * (`INCOMING_GRACE_MS` at most) instead of raising `BlockingIOError`.
 */
const udpEnds = new Map<string, DatagramSocket>();
const INCOMING_GRACE_MS = 20;

function udpEndKey(addr: Deno.NetAddr): string {
  return `${addr.hostname.includes(":") ? 6 : 4} ${addr.port}`;
}

function isLoopbackHost(host: string): boolean {
  return host.startsWith("127.") || host === "::1" || host.startsWith("::ffff:127.");
}

/** A multicast group joined (or to be joined once the socket is bound). */
interface Group {
  v6: boolean;
  group: string;
  iface: string | number;
  membership: Membership | null;
}

/** Where a connected socket sends, and whose datagrams it accepts. */
interface Peer {
  addr: Deno.Addr;
  /** The host in canonical form, to compare senders with. */
  canonical: string;
}

/** Whether Deno would let pysocket ask for `kind` without prompting. */
function granted(desc: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(desc).state === "granted";
  } catch {
    return false;
  }
}

let interfaceCache: Deno.NetworkInterfaceInfo[] | null | undefined;

/** The machine's interfaces, or `null` when pysocket may not look. */
function interfaces(): Deno.NetworkInterfaceInfo[] | null {
  if (interfaceCache === undefined) {
    interfaceCache = null;
    if (granted({ name: "sys", kind: "networkInterfaces" })) {
      try {
        interfaceCache = Deno.networkInterfaces();
      } catch { /* not allowed after all */ }
    }
  }
  return interfaceCache;
}

function ipv4Number(host: string): number {
  return host.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function ipv4String(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

let broadcastCache: Set<string> | null = null;

/**
 * Whether `host` is a broadcast address, which Linux refuses to send to
 * (`EACCES`) unless `SO_BROADCAST` is set. Deno sets `SO_BROADCAST` on every
 * UDP socket, so pysocket checks: 255.255.255.255, and the directed
 * broadcast address of each interface it may list (`--allow-sys`).
 */
function isBroadcast(host: string): boolean {
  if (host === "255.255.255.255") return true;
  if (broadcastCache === null) {
    broadcastCache = new Set();
    for (const i of interfaces() ?? []) {
      if (i.family !== "IPv4" || i.netmask === "255.255.255.255") continue;
      const mask = ipv4Number(i.netmask);
      broadcastCache.add(ipv4String((ipv4Number(i.address) | ~mask) >>> 0));
    }
  }
  return broadcastCache.has(host);
}

/** An IPv6 literal in canonical (RFC 5952) form, scope id dropped. */
function canonicalIPv6(host: string): string {
  const at = host.indexOf("%");
  const bare = at >= 0 ? host.slice(0, at) : host;
  try {
    return new URL(`http://[${bare}]/`).hostname;
  } catch {
    return bare;
  }
}

function isLoopback(host: string): boolean {
  return host.startsWith("127.") || host === "::1" || host.startsWith("::ffff:127.");
}

function isWildcard(host: string): boolean {
  return host === "0.0.0.0" || host === "::";
}

/** The IPv6 literal (full form) of 16 bytes. */
function ipv6String(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return groups.join(":");
}

/**
 * An option's value as Linux reads an `int` option: four bytes (native,
 * little-endian here) if there are that many, else one; a bytes value
 * shorter than that is `EINVAL`.
 */
function intOption(value: number | Uint8Array): number {
  if (typeof value === "number") return value;
  if (value.length >= 4) return new DataView(value.buffer, value.byteOffset, 4).getInt32(0, true);
  if (value.length >= 1) return value[0];
  throw oserror(EINVAL);
}

/** `host` as `/proc/net/udp` or `udp6` shows a local address (hex, host order). */
function procAddress(family: number, host: string): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, "0");
  if (family === AF_INET) {
    return host.split(".").map(Number).reverse().map(hex).join("");
  }
  const [head, tail] = canonicalIPv6(host).split("::");
  const front = head ? head.split(":") : [];
  const back = tail ? tail.split(":") : [];
  const full = tail === undefined
    ? front
    : [...front, ...Array(8 - front.length - back.length).fill("0"), ...back];
  const bytes = full.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 255];
  });
  let out = "";
  for (let i = 0; i < 16; i += 4) out += bytes.slice(i, i + 4).reverse().map(hex).join("");
  return out;
}

/**
 * The kernel's count of datagrams it dropped for the socket bound to
 * `addr` (full receive buffer), from the `drops` column of `/proc/net/udp`
 * (`udp6`): 0 when pysocket may not read it (`--allow-read`), or when more
 * than one socket shares the address (`SO_REUSEADDR`), so the count cannot
 * be told apart.
 */
function kernelDrops(family: number, addr: Deno.NetAddr): number {
  const path = family === AF_INET6 ? "/proc/net/udp6" : "/proc/net/udp";
  if (!granted({ name: "read", path })) return 0;
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return 0;
  }
  let host = addr.hostname;
  if (family === AF_INET6 && host.startsWith("[")) host = host.slice(1, -1);
  const local = `${procAddress(family, host)}:${
    addr.port.toString(16).toUpperCase().padStart(4, "0")
  }`;
  let drops = -1;
  for (const line of text.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] !== local) continue;
    if (drops >= 0) return 0; // shared: whose drops they are is unknown
    drops = Number(fields[12]) || 0;
  }
  return Math.max(drops, 0);
}

/** Where a socket binds to, and with what. */
export interface BindOptions {
  /** `SO_REUSEADDR` or `SO_REUSEPORT` was set. */
  reuseAddress: boolean;
}

/** The datagram side of one socket. */
export class DatagramSocket {
  #family: number;
  #conn: DatagramConn | null = null;
  #closed = false;
  #peer: Peer | null = null;
  #shutRead = false;
  #shutWrite = false;

  // The receive queue: datagrams and their senders, oldest at #head.
  #data: Uint8Array[] = [];
  #from: Deno.Addr[] = [];
  #head = 0;
  #bytes = 0;
  #limit = DATAGRAM_BUFFER;
  #dropped = 0;
  #waiters: Take[] = [];
  #pending: Promise<void> | null = null;
  #error: OSError | null = null;
  /** Whether the socket has an address others can send to. */
  #receiving = false;
  /** Whether the Deno socket keeps the event loop alive (Deno's default). */
  #reffed = true;
  /** Whether some senders' datagrams are not for this socket (a peer, or V6ONLY). */
  #filtered = false;

  // Every receive reads into the same buffer (one is pending at a time):
  // its pages stay mapped and warm, where a fresh 64 KiB per datagram
  // would cost an allocation and page faults each time. What is handed out
  // or queued is copied, only the datagram's bytes, into a slab; views of
  // a slab are never overwritten.
  #scratch = EMPTY;
  #slab = EMPTY;
  #slabEnd = 0;
  #room: number;

  // Sends go out one at a time while one is in flight: Deno may reorder
  // sends that are pending together.
  #sending = 0;
  #lastSend: Promise<unknown> = Promise.resolve();
  // The last address given to sendto() and what it was checked into.
  #lastAddress: { path: string | null; values: unknown[] | null; target: Target } | null = null;
  #lastTarget: { target: Target; addr: Deno.Addr; broadcast: boolean; mapped: boolean } | null =
    null;

  // Options.
  #broadcast = 0;
  #v6only = 0;
  #ttl = 1;
  #loop = 1;
  #loop6 = 1;
  #groups = new Map<string, Group>();
  #handles: { v4: Membership | null; v6: Membership | null } = { v4: null, v6: null };
  #optionOps: Promise<void> | null = null;
  #deferred: OSError | null = null;

  // Readiness: told when a datagram (or an error) is queued; while
  // watched by select(), a receive stays posted and keeps Deno running.
  #changed: () => void;
  #watched = false;
  /** Datagrams this process sent here over loopback and not yet received. */
  #incoming = 0;
  #endKey: string | null = null;

  constructor(family: number, changed: () => void = () => {}) {
    this.#family = family;
    this.#room = family === AF_UNIX ? UNIX_ROOM : UDP_ROOM;
    this.#changed = changed;
  }

  /** Whether a call would be served at once: a datagram or an error is queued, or `SHUT_RD`. */
  get readable(): boolean {
    return this.#head < this.#data.length || this.#error !== null || this.#deferred !== null ||
      this.#shutRead;
  }

  /** A datagram from this process is on its way here (see `udpEnds`). */
  expect(): void {
    this.#incoming++;
  }

  /** Keep a receive posted (and Deno running) while `select` watches. */
  set watched(on: boolean) {
    this.#watched = on;
    this.#pump();
  }

  /** Whether the socket has a local address (bound, or implicitly by a send). */
  get bound(): boolean {
    return this.#conn !== null;
  }

  /**
   * Datagrams dropped because a receive buffer was full: the kernel's (the
   * `drops` column of `/proc/net/udp`, when pysocket may read it) and this
   * engine's queue (`SO_RCVBUF`).
   */
  get dropped(): number {
    const conn = this.#conn;
    if (conn === null || this.#family === AF_UNIX) return this.#dropped;
    return this.#dropped + kernelDrops(this.#family, conn.addr as Deno.NetAddr);
  }

  /** The most bytes of unread datagrams held (the socket's `SO_RCVBUF`). */
  get limit(): number {
    return this.#limit;
  }

  set limit(bytes: number) {
    this.#limit = bytes;
  }

  // ------------------------------------------------------------- addresses

  /** Binds, as `bind()` does: at once, so errors are raised here. */
  bind(target: Target, options: BindOptions): void {
    if (this.#conn !== null) throw oserror(EINVAL);
    this.#open(target, options);
  }

  /** The local address, as Python reports it. */
  getsockname(): Address {
    const conn = this.#conn;
    if (conn === null) return emptyAddress(this.#family);
    if (this.#family === AF_UNIX) return (conn.addr as Deno.UnixAddr).path ?? "";
    const address = toAddress(this.#family, conn.addr) as [string, number, ...number[]];
    const peer = this.#peer?.addr as Deno.NetAddr | undefined;
    if (peer && isWildcard(address[0]) && isLoopback(peer.hostname)) {
      // Linux gives a connected socket the source address of its route; for
      // a loopback peer that is the loopback address. (Other routes are
      // unknown to Deno: the wildcard address stays.)
      address[0] = this.#family === AF_INET
        ? "127.0.0.1"
        : peer.hostname.includes(".")
        ? "::ffff:127.0.0.1"
        : "::1";
    }
    return address as Address;
  }

  /** The peer of a connected socket. */
  getpeername(): Address {
    if (this.#peer === null) throw oserror(ENOTCONN);
    return this.#address(this.#peer.addr)!;
  }

  /**
   * Connects: sets the default peer, and from now on only that peer's
   * datagrams are handed over. Resolves 0 or an errno (`EACCES` for a
   * broadcast address without `SO_BROADCAST`, `ENOENT` for a unix path that
   * does not exist); throws for name resolution failures.
   */
  async connect(target: Target): Promise<number> {
    let addr: Deno.Addr;
    let canonical: string;
    if (target.transport === "unix") {
      try {
        Deno.lstatSync(target.path);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return ENOENT;
      }
      addr = { transport: "unixpacket", path: target.path };
      canonical = target.path;
    } else {
      const resolved = await resolve(this.#family, target) as { hostname: string; port: number };
      let host = resolved.hostname;
      // Linux sends to the local host when told the wildcard address.
      if (host === "0.0.0.0") host = "127.0.0.1";
      else if (host === "::") host = "::1";
      if (this.#broadcast === 0 && isBroadcast(host)) return EACCES;
      addr = { transport: "udp", hostname: host, port: resolved.port };
      canonical = this.#family === AF_INET6 ? canonicalIPv6(host) : host;
    }
    this.#ensureBound();
    this.#peer = { addr, canonical };
    this.#filtered = true;
    return 0;
  }

  // ------------------------------------------------------------- options

  /**
   * Sets an option only datagram sockets have; returns false for the
   * options common to all sockets, which the socket keeps itself.
   */
  setsockopt(level: number, optname: number, value: number | Uint8Array): boolean {
    const unix = this.#family === AF_UNIX;
    if (level === SOL_SOCKET) {
      if (optname !== SO_BROADCAST) return false;
      this.#broadcast = intOption(value) ? 1 : 0;
      return true;
    }
    if (unix && (level === IPPROTO_IP || level === IPPROTO_IPV6)) throw oserror(EOPNOTSUPP);
    if (level === IPPROTO_IP) {
      switch (optname) {
        case IP_ADD_MEMBERSHIP:
        case IP_DROP_MEMBERSHIP:
          this.#membership(false, optname === IP_ADD_MEMBERSHIP, value);
          return true;
        case IP_MULTICAST_TTL: {
          let ttl = intOption(value);
          if (ttl === -1) ttl = 1;
          if (ttl < 0 || ttl > 255) throw oserror(EINVAL);
          this.#ttl = ttl;
          if (this.#conn) this.#applyTTL();
          return true;
        }
        case IP_MULTICAST_LOOP:
          this.#loop = intOption(value) ? 1 : 0;
          if (this.#conn) this.#applyLoop(false);
          return true;
      }
    } else if (level === IPPROTO_IPV6 && this.#family === AF_INET6) {
      switch (optname) {
        case IPV6_JOIN_GROUP:
        case IPV6_LEAVE_GROUP:
          this.#membership(true, optname === IPV6_JOIN_GROUP, value);
          return true;
        case IPV6_MULTICAST_LOOP: {
          const loop = intOption(value);
          // Linux takes only 0 and 1 here.
          if (loop !== 0 && loop !== 1) throw oserror(EINVAL);
          this.#loop6 = loop;
          if (this.#conn) this.#applyLoop(true);
          return true;
        }
        case IPV6_V6ONLY:
          // Deno binds dual-stack; pysocket filters IPv4 peers itself.
          if (this.#conn !== null) throw oserror(EINVAL);
          this.#v6only = intOption(value) ? 1 : 0;
          this.#filtered = this.#v6only === 1 || this.#peer !== null;
          return true;
      }
    }
    if (level === IPPROTO_IP || (level === IPPROTO_IPV6 && this.#family === AF_INET6)) {
      // IP_MULTICAST_IF, IP_TTL, IPV6_MULTICAST_HOPS…: Deno has no way to set them.
      throw new OSError(
        ENOPROTOOPT,
        "Protocol not available (pysocket: Deno cannot set this option on a datagram socket)",
      );
    }
    return false;
  }

  /** An option only datagram sockets have, or `undefined` for the others. */
  getsockopt(level: number, optname: number): number | undefined {
    if (level === SOL_SOCKET) return optname === SO_BROADCAST ? this.#broadcast : undefined;
    if (this.#family === AF_UNIX) return undefined;
    if (level === IPPROTO_IP) {
      if (optname === IP_MULTICAST_TTL) return this.#ttl;
      if (optname === IP_MULTICAST_LOOP) return this.#loop;
    } else if (level === IPPROTO_IPV6 && this.#family === AF_INET6) {
      if (optname === IPV6_MULTICAST_LOOP) return this.#loop6;
      if (optname === IPV6_V6ONLY) return this.#v6only;
    }
    return undefined;
  }

  // ------------------------------------------------------------- receiving

  /** `recv()`: the next datagram's first `bufsize` bytes, as a view. */
  recv(bufsize: number, flags: number, deadline: number): Promise<Uint8Array> {
    return this.#take(deadline, flags, Kind.recv, bufsize, null) as Promise<Uint8Array>;
  }

  /** `recvfrom()`: the next datagram's first `bufsize` bytes and its sender. */
  recvfrom(
    bufsize: number,
    flags: number,
    deadline: number,
  ): Promise<[Uint8Array, Address | null]> {
    return this.#take(deadline, flags, Kind.recvfrom, bufsize, null) as Promise<
      [Uint8Array, Address | null]
    >;
  }

  /** `recv_into()`: copies the next datagram's first bytes into `target`. */
  recvInto(target: Uint8Array, flags: number, deadline: number): Promise<number> {
    return this.#take(deadline, flags, Kind.recvInto, 0, target) as Promise<number>;
  }

  /** `recvfrom_into()`: as `recvInto()`, with the sender. */
  recvfromInto(
    target: Uint8Array,
    flags: number,
    deadline: number,
  ): Promise<[number, Address | null]> {
    return this.#take(deadline, flags, Kind.recvfromInto, 0, target) as Promise<
      [number, Address | null]
    >;
  }

  // ------------------------------------------------------------- sending

  /**
   * `sendto()`'s address checked as Python checks it (`parseAddress`),
   * remembered: a program that sends to the same address again and again
   * (by the same array or an equal one) has it checked once, and gets the
   * same target back, which `send()` knows.
   */
  target(address: unknown): Target {
    const last = this.#lastAddress;
    if (last !== null) {
      // A tuple by value, not by identity alone: the array may have changed since.
      const same = last.values === null
        ? address === last.path
        : Array.isArray(address) && sameAddress(address, last.values);
      if (same) return last.target;
    }
    const target = parseAddress(this.#family, address, "sendto");
    if (Array.isArray(address)) {
      this.#lastAddress = { path: null, values: address.slice(), target };
    } else if (typeof address === "string") {
      this.#lastAddress = { path: address, values: null, target };
    }
    return target;
  }

  /**
   * `sendto()` (`target` given) or `send()` (`null`: to the peer). A socket
   * without an address is bound to an ephemeral port first, as Linux does.
   * Resolves the bytes sent; the kernel refuses a datagram too large for
   * the protocol with `EMSGSIZE`. Throws what it finds before sending
   * (the caller turns it into a rejection).
   */
  send(bytes: Uint8Array, target: Target | null): Promise<number> {
    if (this.#deferred !== null) this.#raiseDeferred();
    if (this.#shutWrite) throw oserror(EPIPE);
    let addr: Deno.Addr;
    if (target === null) {
      if (this.#peer === null) {
        // Linux binds the socket before it finds there is nowhere to send.
        this.#ensureBound();
        throw oserror(this.#family === AF_UNIX ? ENOTCONN : EDESTADDRREQ);
      }
      addr = this.#peer.addr;
    } else if (target === this.#lastTarget?.target) {
      // The destination of the last send: its checks are done.
      const last = this.#lastTarget;
      if (last.broadcast && this.#broadcast === 0) throw oserror(EACCES);
      if (last.mapped && this.#v6only) throw oserror(ENETUNREACH);
      addr = last.addr;
    } else if (target.transport === "unix") {
      addr = { transport: "unixpacket", path: target.path };
      this.#lastTarget = { target, addr, broadcast: false, mapped: false };
    } else {
      const { hostname } = target;
      const literal = this.#family === AF_INET ? isIPv4(hostname) : isIPv6(hostname);
      // A name is looked up at each send, as Python does.
      if (!literal) return this.#sendResolving(bytes, target);
      addr = this.#udpAddress(hostname, target.port);
      this.#lastTarget = {
        target,
        addr,
        broadcast: isBroadcast(hostname),
        mapped: hostname.startsWith("::ffff:"),
      };
    }
    return this.#sendTo(bytes, addr);
  }

  async #sendResolving(bytes: Uint8Array, target: Target): Promise<number> {
    const { hostname } = await resolve(this.#family, target) as { hostname: string };
    return await this.#sendTo(bytes, this.#udpAddress(hostname, (target as { port: number }).port));
  }

  /** Deno's address for a UDP destination, checked as Linux would. */
  #udpAddress(hostname: string, port: number): Deno.Addr {
    if (this.#broadcast === 0 && isBroadcast(hostname)) throw oserror(EACCES);
    if (this.#v6only && hostname.startsWith("::ffff:")) throw oserror(ENETUNREACH);
    return { transport: "udp", hostname, port };
  }

  #sendTo(bytes: Uint8Array, addr: Deno.Addr): Promise<number> {
    const conn = this.#ensureBound();
    if (this.#family === AF_UNIX && this.#pending !== null) {
      // Deno's unix datagram socket takes one operation at a time.
      throw new OSError(
        EBUSY,
        "Device or resource busy (pysocket: Deno cannot send on a unix datagram socket while a receive is pending on it)",
      );
    }
    if (udpEnds.size !== 0 && addr.transport === "udp" && isLoopbackHost(addr.hostname)) {
      udpEnds.get(udpEndKey(addr))?.expect();
    }
    let sent: Promise<number>;
    if (this.#sending === 0 && this.#optionOps === null) {
      sent = conn.send(bytes, addr);
    } else {
      // Wait for the send in flight and for option changes (a TTL set
      // before this send applies to it), then go in turn.
      const ops = this.#optionOps;
      const go = () => {
        this.#raiseDeferred();
        return conn.send(bytes, addr);
      };
      sent = this.#lastSend.then(() => ops).then(go, go);
    }
    this.#lastSend = sent;
    this.#sending++;
    return sent.then(this.#sent, this.#sendFailed);
  }

  #sent = (n: number): number => {
    this.#sending--;
    return n;
  };

  #sendFailed = (e: unknown): never => {
    this.#sending--;
    throw fromDenoError(e);
  };

  // ------------------------------------------------------------- shutdown, close

  /**
   * `shutdown()`. Linux keeps delivering datagrams after `SHUT_RD`; only a
   * blocking call that finds none returns at once, empty. After `SHUT_WR`
   * sends raise `EPIPE`. An unconnected UDP socket still takes the flags but
   * raises `ENOTCONN`, as Linux does.
   */
  shutdown(how: number): void {
    if (how !== SHUT_WR) {
      this.#shutRead = true;
      const blocked = this.#waiters.filter((w) => w.deadline === Infinity);
      this.#waiters = this.#waiters.filter((w) => w.deadline !== Infinity);
      for (const w of blocked) w.resolve(this.#result(w.kind, w.size, w.into, EMPTY, null, true));
    }
    if (how !== SHUT_RD) this.#shutWrite = true;
    if (this.#peer === null && this.#family !== AF_UNIX) throw oserror(ENOTCONN);
  }

  /** Fails waiting calls with `error` and lets go of the Deno socket. */
  async close(error: Error): Promise<void> {
    this.#closed = true;
    if (this.#endKey !== null && udpEnds.get(this.#endKey) === this) udpEnds.delete(this.#endKey);
    for (const w of this.#waiters.splice(0)) w.reject(error);
    this.#data = [];
    this.#from = [];
    this.#head = 0;
    this.#bytes = 0;
    const pending: Promise<unknown>[] = [this.#lastSend];
    if (this.#pending) pending.push(this.#pending);
    if (this.#optionOps) pending.push(this.#optionOps);
    if (this.#conn) {
      // The pending receive settles once the socket is closed: let it keep
      // the event loop alive until then, as close() waits for it.
      if (!this.#reffed) this.#conn.ref();
      try {
        this.#conn.close();
      } catch { /* already closed */ }
    }
    await Promise.all(pending.map((p) => p.catch(() => {})));
  }

  // ------------------------------------------------------------- internals

  #open(target: Target, options: BindOptions): DatagramConn {
    const listen = listenDatagram();
    try {
      if (target.transport === "unix") {
        this.#conn = listen({ transport: "unixpacket", path: target.path });
      } else {
        this.#conn = listen({
          transport: "udp",
          hostname: target.hostname,
          port: target.port,
          reuseAddress: options.reuseAddress,
          // Deno turns multicast loopback off unless told; Linux has it on.
          loopback: this.#family === AF_INET6 ? this.#loop6 === 1 : this.#loop === 1,
        });
      }
    } catch (e) {
      throw fromDenoError(e);
    }
    this.#receiving = true;
    if (target.transport !== "unix") {
      this.#endKey = udpEndKey(this.#conn.addr as Deno.NetAddr);
      udpEnds.set(this.#endKey, this);
    }
    // Options set before the socket existed.
    for (const group of this.#groups.values()) this.#join(group);
    if (this.#ttl !== 1) this.#applyTTL();
    if (this.#family === AF_INET6 && this.#loop === 0) this.#applyLoop(false);
    this.#pump();
    return this.#conn;
  }

  /** The Deno socket, binding to an ephemeral port first if there is none. */
  #ensureBound(): DatagramConn {
    if (this.#conn !== null) return this.#conn;
    if (this.#family === AF_UNIX) {
      // An unbound unix datagram socket: it can send, and nobody can answer.
      const listen = listenDatagram();
      try {
        this.#conn = listen({ transport: "unixpacket" });
      } catch (e) {
        throw fromDenoError(e);
      }
      return this.#conn;
    }
    const hostname = this.#family === AF_INET6 ? "::" : "0.0.0.0";
    return this.#open({ transport: "tcp", hostname, port: 0 }, { reuseAddress: false });
  }

  /** Deno's address of a sender as Python reports it (`null`: none). */
  #address(from: Deno.Addr | null): Address | null {
    if (from === null) return null;
    if (this.#family === AF_UNIX) return (from as Deno.UnixAddr).path ?? null;
    const hostname = hostOf(from);
    const port = portOf(from);
    if (this.#family === AF_INET) return [hostname, port];
    return toAddress(AF_INET6, { transport: "udp", hostname, port });
  }

  #raiseDeferred(): void {
    const error = this.#deferred;
    if (error !== null) {
      this.#deferred = null;
      throw error;
    }
  }

  #take(
    deadline: number,
    flags: number,
    kind: Kind,
    size: number,
    into: Uint8Array | null,
  ): Promise<unknown> {
    if (this.#deferred !== null) this.#raiseDeferred();
    const peek = (flags & MSG_PEEK) !== 0;
    if (this.#waiters.length === 0) {
      if (this.#head < this.#data.length) {
        // A datagram is waiting: no waiter, no timer.
        const result = this.#serveHead(peek, kind, size, into);
        this.#pump();
        return Promise.resolve(result);
      }
      const error = this.#error;
      if (error) {
        this.#error = null;
        this.#pump();
        return Promise.reject(error);
      }
    }
    // After SHUT_RD a blocking call that finds nothing returns at once,
    // empty (Linux); it waits one turn of the event loop for a datagram
    // already on its way, as a non-blocking call does.
    const eof = this.#shutRead && deadline === Infinity;
    if (eof) deadline = 0;
    // A call that may not wait (deadline 0) still waits one turn of the
    // event loop, so Deno can deliver what has arrived; then it gives up
    // with BlockingIOError, and the receive it posted stays the engine's.
    const grace = deadline === 0 && !eof && this.#incoming > 0 ? INCOMING_GRACE_MS : 0;
    const waiter = new Take(deadline, this.#expire, peek, kind, size, into, eof, grace);
    this.#waiters.push(waiter);
    if (eof) {
      // A timer turn, not an immediate: the network must be polled once.
      const timer = setTimeout(() => waiter.expire(), 0);
      const clear = () => clearTimeout(timer);
      waiter.promise.then(clear, clear);
    } else if (deadline !== Infinity) alarm.watch(waiter);
    this.#pump();
    return waiter.promise;
  }

  /** Serves the oldest queued datagram (and dequeues it, unless `peek`). */
  #serveHead(peek: boolean, kind: Kind, size: number, into: Uint8Array | null): unknown {
    const data = this.#data[this.#head];
    const from = this.#from[this.#head];
    if (!peek) {
      this.#bytes -= data.length + DATAGRAM_OVERHEAD;
      this.#head++;
      if (this.#head === this.#data.length) {
        this.#data.length = this.#from.length = this.#head = 0;
      } else if (this.#head >= 1024 && this.#head * 2 >= this.#data.length) {
        this.#data.splice(0, this.#head);
        this.#from.splice(0, this.#head);
        this.#head = 0;
      }
    }
    // A peeked datagram stays queued: hand out a copy, so a program that
    // changes what it peeked does not change what the next call gets.
    return this.#result(kind, size, into, data, from, peek);
  }

  /**
   * A call's result from a datagram (empty and `null` after `SHUT_RD`);
   * `copy`: what is handed out must be copied (the datagram is still in the
   * receive buffer, or stays queued).
   */
  #result(
    kind: Kind,
    size: number,
    into: Uint8Array | null,
    data: Uint8Array,
    from: Deno.Addr | null,
    copy: boolean,
  ): unknown {
    if (kind === Kind.recv || kind === Kind.recvfrom) {
      let out = data.length > size ? data.subarray(0, size) : data;
      if (copy) out = this.#keep(out);
      return kind === Kind.recv ? out : [out, this.#address(from)];
    }
    const n = copyInto(into!, data);
    return kind === Kind.recvInto ? n : [n, this.#address(from)];
  }

  /** A copy of `data` (a view of the receive buffer) that later receives leave alone. */
  #keep(data: Uint8Array): Uint8Array {
    const n = data.length;
    if (n === 0) return new Uint8Array(0);
    if (n > SLAB_SHARE) return data.slice();
    let at = this.#slabEnd;
    if (this.#slab.length - at < n) {
      this.#slab = new Uint8Array(SLAB);
      at = 0;
    }
    this.#slab.set(data, at);
    // Keep the next view 8-byte aligned, for programs that read it as wider types.
    this.#slabEnd = (at + n + 7) & ~7;
    return this.#slab.subarray(at, at + n);
  }

  /** A call gives up (the waiter then rejects itself): out of the line. */
  #expire = (w: Timed): void => {
    const take = w as Take;
    const i = this.#waiters.indexOf(take);
    if (i >= 0) this.#waiters.splice(i, 1);
    if (take.eof) take.resolve(this.#result(take.kind, take.size, take.into, EMPTY, null, true));
    this.#ref();
  };

  /**
   * Keeps a receive posted (a unix socket: only while a call waits, since
   * Deno cannot send on it while a receive is pending); refs the Deno
   * socket only while a call waits.
   */
  #pump(): void {
    if (this.#family !== AF_UNIX || this.#waiters.length > 0 || this.#watched) this.#post();
    this.#ref();
  }

  /** `#pump()`, one microtask later: see `#onReceive`. */
  #pumpSoon = (): void => this.#pump();

  #ref(): void {
    const want = this.#waiters.length > 0 || this.#watched;
    const conn = this.#conn;
    if (want === this.#reffed || conn === null) return;
    this.#reffed = want;
    if (want) conn.ref();
    else conn.unref();
  }

  #post(): void {
    const conn = this.#conn;
    if (this.#pending || this.#closed || this.#error || !this.#receiving || conn === null) return;
    if (this.#scratch.length === 0) this.#scratch = new Uint8Array(this.#room);
    this.#pending = conn.receive(this.#scratch).then(this.#onReceive, this.#onError);
  }

  #onReceive = ([data, from]: [Uint8Array, Deno.Addr]): void => {
    this.#pending = null;
    if (this.#closed) return;
    if (this.#incoming > 0) this.#incoming--;
    if (this.#filtered && !this.#accepts(from)) {
      // Not for this socket (connected UDP, IPV6_V6ONLY): as if never sent here.
    } else if (this.#waiters.length > 0 && !this.#waiters[0].peek) {
      // The queue is empty when a call waits: hand the datagram over.
      const w = this.#waiters.shift()!;
      let result: unknown;
      try {
        result = this.#result(w.kind, w.size, w.into, data, from, true);
      } catch (e) {
        w.reject(e);
      }
      w.resolve(result);
    } else {
      const cost = data.length + DATAGRAM_OVERHEAD;
      // As the kernel: an empty queue takes any datagram; else it must fit.
      if (this.#head < this.#data.length && this.#bytes + cost > this.#limit) {
        this.#dropped++;
      } else {
        this.#bytes += cost;
        this.#data.push(this.#keep(data));
        this.#from.push(from);
        this.#serve();
        this.#changed();
      }
    }
    // Post the next receive after the calls just served have run on: a
    // receive posted from inside this callback, while the same loop also
    // sends, is woken late (Deno polls its I/O driver only when idle) and
    // the kernel drops what a busy sender sends meanwhile; one posted a
    // microtask later usually finds its datagram already there. (A flood
    // of 20,000 datagrams from the same process, unpaced: 16,126 arrive so,
    // 2,238 when posted from here.) A reaction to a settled promise is that
    // microtask without queueMicrotask()'s wrapper closure and native call.
    void RESOLVED.then(this.#pumpSoon);
  };

  #onError = (e: unknown): void => {
    this.#pending = null;
    if (this.#closed) return;
    // A failed receive fails one call, as in C; the socket goes on.
    const error = fromDenoError(e);
    const waiter = this.#waiters.shift();
    if (waiter) waiter.reject(error);
    else {
      this.#error = error;
      this.#changed();
    }
    this.#pump();
  };

  /** Whether a datagram from `from` is for this socket (connected UDP, V6ONLY). */
  #accepts(from: Deno.Addr): boolean {
    const peer = this.#peer;
    if (this.#family !== AF_UNIX) {
      const host = hostOf(from);
      if (this.#v6only && host.startsWith("::ffff:")) return false;
      if (peer === null) return true;
      const want = peer.addr as Deno.NetAddr;
      if (portOf(from) !== want.port) return false;
      return host === want.hostname || host === peer.canonical ||
        (this.#family === AF_INET6 && canonicalIPv6(host) === peer.canonical);
    }
    return peer === null || (from as Deno.UnixAddr).path === peer.canonical;
  }

  /** Serves waiting calls in order while datagrams are queued. */
  #serve(): void {
    const waiters = this.#waiters;
    while (waiters.length > 0 && this.#head < this.#data.length) {
      const w = waiters.shift()!;
      let result: unknown;
      try {
        result = this.#serveHead(w.peek, w.kind, w.size, w.into);
      } catch (e) {
        w.reject(e);
        continue;
      }
      w.resolve(result);
    }
  }

  // ------------------------------------------------------------- multicast

  /** IP_ADD_MEMBERSHIP / IP_DROP_MEMBERSHIP / IPV6_JOIN_GROUP / IPV6_LEAVE_GROUP. */
  #membership(v6: boolean, join: boolean, value: number | Uint8Array): void {
    if (!(value instanceof Uint8Array)) throw oserror(EINVAL);
    let group: string;
    let iface: string | number;
    if (v6) {
      // struct ipv6_mreq: 16 bytes of group, then the interface index.
      if (value.length < 20) throw oserror(EINVAL);
      if (value[0] !== 0xff) throw oserror(EINVAL);
      group = ipv6String(value.subarray(0, 16));
      iface = new DataView(value.buffer, value.byteOffset + 16, 4).getUint32(0, true);
    } else {
      // struct ip_mreq (group, interface address), or struct ip_mreqn (12
      // bytes or more: group, interface address, interface index), which is
      // also what struct.pack("4sl", group, INADDR_ANY) gives on 64-bit Linux.
      if (value.length < 8) throw oserror(EINVAL);
      if ((value[0] & 0xf0) !== 0xe0) throw oserror(EINVAL);
      group = Array.from(value.subarray(0, 4)).join(".");
      iface = Array.from(value.subarray(4, 8)).join(".");
      if (value.length >= 12) {
        const index = new DataView(value.buffer, value.byteOffset + 8, 4).getInt32(0, true);
        if (index !== 0) {
          throw new OSError(
            ENOPROTOOPT,
            "Protocol not available (pysocket: Deno joins a group by interface address, not by index)",
          );
        }
      }
      if (iface !== "0.0.0.0") {
        const known = interfaces();
        if (known !== null && !known.some((i) => i.family === "IPv4" && i.address === iface)) {
          throw oserror(ENODEV);
        }
      }
    }
    const key = `${group}%${iface}`;
    const existing = this.#groups.get(key);
    if (join) {
      if (existing) throw oserror(EADDRINUSE);
      const entry: Group = { v6, group, iface, membership: null };
      this.#groups.set(key, entry);
      if (this.#conn) this.#join(entry);
    } else {
      if (!existing) throw oserror(EADDRNOTAVAIL);
      this.#groups.delete(key);
      if (this.#conn) {
        this.#optionOp(async () => {
          // The join ran first (option changes go in order).
          await existing.membership?.leave();
        });
      }
    }
  }

  #join(group: Group): void {
    this.#optionOp(async (conn) => {
      const membership = group.v6
        ? await conn.joinMulticastV6(group.group, group.iface as number)
        : await conn.joinMulticastV4(group.group, group.iface as string);
      group.membership = membership;
      if (group.v6) this.#handles.v6 ??= membership;
      else this.#handles.v4 ??= membership;
    });
  }

  /**
   * A membership object of the socket, whose `setTTL` / `setLoopback` set
   * the socket's multicast options: Deno has no other way to set them.
   * When the socket belongs to no group, pysocket joins the all-hosts group
   * (224.0.0.1, or ff02::1), which hosts never announce, and leaves it at
   * once; the object still sets the options.
   */
  async #handle(conn: DatagramConn, v6: boolean): Promise<Membership> {
    const known = v6 ? this.#handles.v6 : this.#handles.v4;
    if (known) return known;
    let membership: Membership;
    try {
      membership = v6
        ? await conn.joinMulticastV6("ff02::1", 0)
        : await conn.joinMulticastV4("224.0.0.1", "0.0.0.0");
    } catch (e) {
      const cause = fromDenoError(e);
      throw new OSError(
        ENOPROTOOPT,
        `Protocol not available (pysocket: Deno sets multicast options only through a group membership, and joining one failed: ${cause.message})`,
        { cause },
      );
    }
    await membership.leave();
    if (v6) this.#handles.v6 = membership;
    else this.#handles.v4 = membership;
    return membership;
  }

  #applyTTL(): void {
    const ttl = this.#ttl;
    this.#optionOp(async (conn) => {
      const handle = await this.#handle(conn, false);
      await handle.setTTL!(ttl);
    });
  }

  #applyLoop(v6: boolean): void {
    const loop = v6 ? this.#loop6 : this.#loop;
    this.#optionOp(async (conn) => {
      const handle = await this.#handle(conn, v6);
      await handle.setLoopback(loop === 1);
    });
  }

  /**
   * Runs an option change on the Deno socket. Deno's calls are async and
   * `setsockopt()` is not: changes run in order, sends wait for them, and a
   * change that fails raises its error from the socket's next call.
   */
  #optionOp(op: (conn: DatagramConn) => Promise<void>): void {
    const conn = this.#conn!;
    const run = () => op(conn);
    // Start at once when nothing is pending: Deno starts the system call
    // as the method is called, so a datagram sent next sees the change.
    const started = this.#optionOps === null ? run() : this.#optionOps.then(run);
    const settle = () => {
      if (this.#optionOps === next) this.#optionOps = null;
    };
    const next: Promise<void> = started.then(settle, (e) => {
      settle();
      if (!this.#closed) this.#deferred ??= fromDenoError(e);
    });
    this.#optionOps = next;
  }
}

/*
 * The host and port of a UDP sender, as Deno's receive() reports it: an
 * object its op layer builds in dictionary mode (null prototype). V8 reads
 * a property of such an object by name through a runtime call, about
 * 0.7 µs the first time for each object (measured here with Deno 2.9), and
 * through `Reflect.get` with a plain lookup: at a datagram's rate, that
 * was most of what pysocket's receive cost beyond Deno's.
 */
function hostOf(from: Deno.Addr): string {
  return Reflect.get(from, "hostname");
}

function portOf(from: Deno.Addr): number {
  return Reflect.get(from, "port");
}

/** Whether `address` holds the same values as `values`. */
function sameAddress(address: unknown[], values: unknown[]): boolean {
  if (address.length !== values.length) return false;
  for (let i = 0; i < values.length; i++) if (address[i] !== values[i]) return false;
  return true;
}

function copyInto(target: Uint8Array, data: Uint8Array): number {
  const n = Math.min(target.length, data.length);
  target.set(n === data.length ? data : data.subarray(0, n));
  return n;
}
