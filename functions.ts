// Copyright 2025 the pysocket authors. MIT license.

/**
 * The module-level functions of Python's `socket` module: name resolution
 * (`getaddrinfo`, `getnameinfo`, `gethostbyname`, …), the services and
 * protocols databases, address conversions (`inet_aton`, `inet_pton`, …),
 * byte order (`htons`, …), and the convenience constructors
 * (`create_connection`, `create_server`, `socketpair`).
 *
 * Name look-ups go through the operating system's resolver (the C library's
 * `getaddrinfo` / `getnameinfo`, reached through Deno's `node:dns`), so
 * `/etc/hosts` and `localhost` work offline, as in Python; they return
 * promises. The conversions and the database look-ups are synchronous.
 * Results and errors follow Python on Linux (glibc): the same entries in the
 * same order from `getaddrinfo`, the same `gaierror` codes and texts, the
 * same messages for bad arguments (`TypeError` for Python's `TypeError`,
 * `RangeError` for its `ValueError` / `OverflowError`).
 *
 * `getdefaulttimeout()` / `setdefaulttimeout()` live in `socket.ts`.
 *
 * @example Resolve and convert
 * ```ts
 * import { getaddrinfo, inet_aton, inet_ntoa } from "@pysocket/socket/functions";
 * import { AF_INET, SOCK_STREAM } from "@pysocket/socket/constants";
 * import assert from "node:assert/strict";
 *
 * const [[family, type, , , sockaddr]] = await getaddrinfo("127.0.0.1", 80, AF_INET, SOCK_STREAM);
 * assert.equal(family, AF_INET);
 * assert.equal(type, SOCK_STREAM);
 * assert.deepEqual(sockaddr, ["127.0.0.1", 80]);
 * assert.equal(inet_ntoa(inet_aton("127.1")), "127.0.0.1");
 * ```
 *
 * @module
 */

import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  AF_UNSPEC,
  AI_NUMERICHOST,
  AI_PASSIVE,
  EAFNOSUPPORT,
  EAI_AGAIN,
  EAI_BADFLAGS,
  EAI_NONAME,
  ENXIO,
  EOPNOTSUPP,
  IPPROTO_IPV6,
  IPV6_V6ONLY,
  NI_DGRAM,
  NI_NAMEREQD,
  NI_NOFQDN,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SOCK_DGRAM,
  SOCK_STREAM,
  SOL_SOCKET,
} from "./constants.ts";
import { ConnectionError, gaierror, herror, OSError } from "./errors.ts";
import { UnicodeEncodeError } from "./_text.ts";
import { surrogateError } from "./_pytype.ts";
import { _GLOBAL_DEFAULT_TIMEOUT, type Address, getdefaulttimeout, Socket } from "./socket.ts";
import { gaiError, oserror } from "./_errno.ts";
import {
  cString,
  idnaEncode,
  pyTypeName,
  toBytes,
  toCInt,
  toCLong,
  toCUIntMask,
  toPyInt,
  toStr,
} from "./_arguments.ts";
import {
  findProtocol,
  findService,
  findServiceByPort,
  hostByAddress,
  hostsByName,
  interfaceIndex,
  interfaceList,
  interfaceName,
} from "./_netdb.ts";
import {
  formatInet4,
  formatInet6,
  isLinkLocal6,
  packInet4,
  parseInet4,
  parseInet6,
  parseInetAton,
} from "./_inet.ts";
import {
  type AddrInfoEntry,
  getaddrinfoRaw,
  type HostAddress,
  reverseName,
  sockaddrOf,
} from "./_resolver.ts";

export type { Inet4Address, Inet6Address } from "./_address.ts";
import type { Inet4Address, Inet6Address } from "./_address.ts";
import type { AddressFamily, SocketKind } from "./constants.ts";

/**
 * One result of {@linkcode getaddrinfo}: `[family, type, proto, canonname,
 * sockaddr]`, as Python's 5-tuple.
 */
export type AddrInfo = [
  family: AddressFamily,
  type: SocketKind,
  proto: number,
  canonname: string,
  sockaddr: Inet4Address | Inet6Address,
];

/** What {@linkcode gethostbyname_ex} and {@linkcode gethostbyaddr} return: `[hostname, aliaslist, ipaddrlist]`. */
export type HostInfo = [
  hostname: string,
  aliaslist: string[],
  ipaddrlist: string[],
];

const windows = Deno.build.os === "windows";

// ------------------------------------------------------------ name look-ups

/**
 * Like Python's `socket.getaddrinfo()`, but returns a promise: the addresses
 * for connecting to (or, with `AI_PASSIVE` and a null host, binding) a
 * service, as `[family, type, proto, canonname, sockaddr]` entries.
 *
 * The host goes through the OS resolver; numeric hosts (including
 * `inet_aton`'s lenient forms and IPv6 scope ids such as `fe80::1%eth0`),
 * service names (from the services database), the socket types returned
 * when `type` is 0 (`SOCK_STREAM`, `SOCK_DGRAM` and `SOCK_RAW` for each
 * address), the order of the entries and the error codes follow glibc, as
 * Python on Linux. A null host means the loopback addresses, or with
 * `AI_PASSIVE` the wildcard addresses. `canonname` is only set on the first
 * entry, and only with `AI_CANONNAME`; for a name from `/etc/hosts` it is
 * the official name of its line, for a name from DNS the name itself
 * (`node:dns` does not report CNAME targets).
 *
 * @param host A host name or numeric address, or null.
 * @param port A port number, a service name (`"http"`), a numeric string, or null.
 * @param family `AF_UNSPEC` (0, default), `AF_INET` or `AF_INET6`.
 * @param type A socket type, or 0 for all.
 * @param proto A protocol, or 0 for all.
 * @param flags `AI_*` flags.
 * @returns The entries, in the resolver's order.
 * @throws {gaierror} When the name or service is not known (`[Errno -2]
 *   Name or service not known`), for a bad family (`-6`), socket type
 *   (`-7`), service for the socket type (`-8`), flags (`-1`), or an address
 *   of the wrong family (`-9`).
 * @throws {TypeError} For arguments of the wrong type.
 * @throws {RangeError} For a host name that is not valid IDNA (Python's
 *   `UnicodeError`), or an integer out of range.
 * @throws {OSError} `Int or String expected` for a port that is neither.
 *
 * @example Both socket types for a numeric host
 * ```ts
 * import { getaddrinfo } from "@pysocket/socket/functions";
 * import { AF_INET, IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM } from "@pysocket/socket/constants";
 * import assert from "node:assert/strict";
 *
 * const entries = await getaddrinfo("127.0.0.1", "domain", AF_INET);
 * assert.deepEqual(entries, [
 *   [AF_INET, SOCK_STREAM, IPPROTO_TCP, "", ["127.0.0.1", 53]],
 *   [AF_INET, SOCK_DGRAM, IPPROTO_UDP, "", ["127.0.0.1", 53]],
 * ]);
 * ```
 */
export async function getaddrinfo(
  host: string | null,
  port: number | string | null,
  family: number = 0,
  type: number = 0,
  proto: number = 0,
  flags: number = 0,
): Promise<AddrInfo[]> {
  // Python parses the integers first, then the host, then the port.
  const ints = [
    toCInt(family),
    toCInt(type),
    toCInt(proto),
    toCInt(flags),
  ] as const;
  let hostArg: string | null;
  if (host === null || host === undefined) hostArg = null;
  else if (typeof host === "string") hostArg = cString(idnaEncode(host));
  else if ((host as unknown) instanceof Uint8Array) {
    hostArg = cString(latin1(host as unknown as Uint8Array));
  } else throw new TypeError("getaddrinfo() argument 1 must be string or None");
  let service: string | null;
  if (port === null || port === undefined) service = null;
  else if (typeof port === "string") {
    const error = surrogateError(port);
    if (error !== null) throw error;
    service = cString(port);
  } else if ((port as unknown) instanceof Uint8Array) {
    service = cString(latin1(port as unknown as Uint8Array));
  } else if (
    // Python takes an int, not a bool (its check is PyLong_CheckExact).
    (typeof port === "number" && Number.isInteger(port)) || typeof port === "bigint"
  ) {
    service = String(toCLong(port));
  } else throw new OSError("Int or String expected");
  const entries = await getaddrinfoRaw(hostArg, service, ...ints);
  return entries.map(toAddrInfo);
}

function toAddrInfo(e: AddrInfoEntry): AddrInfo {
  return [
    e.family,
    e.type,
    e.proto,
    e.canonname,
    sockaddrOf(e.address, e.port),
  ];
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

// A host argument of gethostbyname() and friends (Python's `et` format with
// the idna codec).
function hostArgument(value: unknown, fn: string): string {
  if (value instanceof Uint8Array) value = latin1(value);
  if (typeof value !== "string") {
    const type = value === null || value === undefined ? "None" : pyTypeName(value);
    throw new TypeError(
      `${fn}() argument 1 must be str, bytes or bytearray, not ${type}`,
    );
  }
  if (value.includes("\0")) {
    throw new TypeError(
      `${fn}() argument 1 must be encoded string without null bytes, not str`,
    );
  }
  return idnaEncode(value);
}

// Python's setipaddr(): the address Python binds, connects or looks up for
// `name`, with its special cases ("" and "<broadcast>").
async function setipaddr(name: string, family: number): Promise<HostAddress> {
  if (name === "") {
    const found = await getaddrinfoRaw(
      null,
      "0",
      family,
      SOCK_DGRAM,
      0,
      AI_PASSIVE,
    );
    if (found.length > 1) {
      throw new OSError("wildcard resolved to multiple address");
    }
    return found[0].address;
  }
  if (name === "255.255.255.255" || name === "<broadcast>") {
    if (family !== AF_INET && family !== AF_UNSPEC) {
      throw new OSError("address family mismatched");
    }
    return { family: 4, bytes: packInet4(0xffffffff), scopeId: 0 };
  }
  if (family === AF_UNSPEC || family === AF_INET) {
    const v4 = parseInet4(name);
    if (v4 !== null) return { family: 4, bytes: v4, scopeId: 0 };
  }
  if ((family === AF_UNSPEC || family === AF_INET6) && !name.includes("%")) {
    const v6 = parseInet6(name);
    if (v6 !== null) return { family: 6, bytes: v6, scopeId: 0 };
  }
  const found = await getaddrinfoRaw(name, null, family, 0, 0, 0);
  return found[0].address;
}

function formatAddress(address: HostAddress): string {
  return address.family === 4 ? formatInet4(address.bytes) : formatInet6(address.bytes);
}

/**
 * Like Python's `socket.gethostbyname()`, but returns a promise: the IPv4
 * address of a host, as a string.
 *
 * @param hostname A host name or address; `""` gives `"0.0.0.0"` and
 *   `"<broadcast>"` gives `"255.255.255.255"`, as in Python.
 * @returns The first IPv4 address the resolver gives.
 * @throws {gaierror} When the name is not known (`[Errno -2] Name or service
 *   not known`), or is an IPv6 address (`[Errno -9]`).
 * @throws {TypeError} For a non-string.
 *
 * @example Look up localhost
 * ```ts
 * import { gethostbyname } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await gethostbyname("127.1"), "127.0.0.1");
 * ```
 */
export async function gethostbyname(hostname: string): Promise<string> {
  const name = hostArgument(hostname, "gethostbyname");
  return formatAddress(await setipaddr(name, AF_INET));
}

/**
 * Like Python's `socket.gethostbyname_ex()`, but returns a promise:
 * `[hostname, aliaslist, ipaddrlist]` for a host's IPv4 addresses.
 *
 * Names in `/etc/hosts` give the official name and aliases of their lines
 * (all matching lines, as glibc's `multi on`); names from DNS give the name
 * itself and no aliases (`node:dns` reports no CNAME chain).
 *
 * @param hostname A host name or IPv4 address.
 * @returns `[hostname, aliaslist, ipaddrlist]`.
 * @throws {gaierror} When the name is not known.
 * @throws {herror} Where glibc's `gethostbyname()` fails though
 *   `getaddrinfo()` succeeded, as Python: `[Errno 1] Unknown host` for
 *   `"0x7f.1"`, `[Errno 3] Unknown server error` for `""`.
 *
 * @example Localhost
 * ```ts
 * import { gethostbyname_ex } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * const [name, aliases, addresses] = await gethostbyname_ex("127.0.0.1");
 * assert.deepEqual([name, aliases, addresses], ["127.0.0.1", [], ["127.0.0.1"]]);
 * ```
 */
// deno-lint-ignore camelcase
export async function gethostbyname_ex(hostname: string): Promise<HostInfo> {
  const name = hostArgument(hostname, "gethostbyname_ex");
  await setipaddr(name, AF_INET);
  // glibc's gethostbyname(): the empty name and "<broadcast>" fail in the
  // DNS backend (res_hnok) with NO_RECOVERY.
  if (name === "" || name === "<broadcast>") {
    throw new herror(3, "Unknown server error");
  }
  // glibc's "digits and dots" shortcut: exact inet_aton forms made of
  // digits and dots only, without a final dot, are their own answer.
  if (/^[0-9][0-9.]*$/.test(name) && !name.endsWith(".")) {
    const v4 = parseInetAton(name, true);
    if (v4 === null) throw new herror(1, "Unknown host");
    return [name, [], [formatInet4(packInet4(v4))]];
  }
  // Other numeric forms ("0x7f.1", IPv6) reach the NSS backends, which do
  // not know them.
  if (parseInetAton(name, true) !== null || name.includes(":")) {
    throw new herror(1, "Unknown host");
  }
  const lines = hostsByName(name, 4);
  if (lines.length > 0) {
    const official = lines[0].names[0];
    const aliases: string[] = [];
    const addresses: string[] = [];
    for (const line of lines) {
      for (const n of line.names) {
        if (n !== official && !aliases.includes(n)) aliases.push(n);
      }
      const text = formatInet4(line.address);
      if (!addresses.includes(text)) addresses.push(text);
    }
    return [official, aliases, addresses];
  }
  let found: AddrInfoEntry[];
  try {
    found = await getaddrinfoRaw(name, null, AF_INET, SOCK_STREAM, 0, 0);
  } catch (e) {
    throw toHerror(e);
  }
  return [name, [], [...new Set(found.map((e) => formatAddress(e.address)))]];
}

// A resolver failure as the herror glibc's gethostby*() would give.
function toHerror(e: unknown): unknown {
  if (!(e instanceof gaierror)) return e;
  return e.errno === EAI_AGAIN
    ? new herror(2, "Host name lookup failure", { cause: e })
    : new herror(1, "Unknown host", { cause: e });
}

/**
 * Like Python's `socket.gethostbyaddr()`, but returns a promise: the host
 * name of an address (reverse look-up through the OS resolver), as
 * `[hostname, aliaslist, ipaddrlist]`.
 *
 * @param ipAddress An IPv4 or IPv6 address, or a host name (resolved first).
 * @returns `[hostname, aliaslist, ipaddrlist]`; the aliases are the other
 *   names of the address's line in `/etc/hosts`.
 * @throws {herror} `[Errno 1] Unknown host` when the address has no name.
 * @throws {gaierror} When a host name given instead of an address does not resolve.
 *
 * @example Reverse look-up of loopback
 * ```ts ignore
 * import { gethostbyaddr } from "@pysocket/socket/functions";
 *
 * const [name] = await gethostbyaddr("127.0.0.1"); // "localhost" on most systems
 * ```
 */
export async function gethostbyaddr(ipAddress: string): Promise<HostInfo> {
  const name = hostArgument(ipAddress, "gethostbyaddr");
  const address = await setipaddr(name, AF_UNSPEC);
  let hostname: string | null;
  try {
    hostname = await reverseName(address);
  } catch (e) {
    throw toHerror(e);
  }
  if (hostname === null) throw new herror(1, "Unknown host");
  const line = hostByAddress(address.bytes);
  const aliases = line !== undefined && line.names[0] === hostname ? line.names.slice(1) : [];
  return [hostname, aliases, [formatAddress(address)]];
}

/**
 * Like Python's `socket.getfqdn()`, but returns a promise: a fully
 * qualified name for `name` (default: this host), Python's way: the first
 * name containing a dot among `gethostbyaddr()`'s name and aliases, else
 * its name, else `name` itself when the look-up fails.
 *
 * @param name A host name or address; empty, `"0.0.0.0"` or `"::"` for this host.
 * @returns The name.
 *
 * @example This host
 * ```ts
 * import { getfqdn } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * const name = await getfqdn();
 * assert.ok(name.length > 0);
 * ```
 */
export async function getfqdn(name: string = ""): Promise<string> {
  if ((name as unknown) instanceof Uint8Array) {
    name = latin1(name as unknown as Uint8Array);
  }
  if (typeof name !== "string") {
    throw new TypeError(
      `'${pyTypeName(name)}' object has no attribute 'strip'`,
    );
  }
  name = name.trim();
  if (name === "" || name === "0.0.0.0" || name === "::") name = gethostname();
  let info: HostInfo;
  try {
    info = await gethostbyaddr(name);
  } catch (e) {
    if (e instanceof OSError) return name;
    throw e;
  }
  const [hostname, aliases] = info;
  return [hostname, ...aliases].find((n) => n.includes(".")) ?? hostname;
}

/**
 * Like Python's `socket.gethostname()`: this machine's host name
 * (`Deno.hostname()`, which needs `--allow-sys=hostname`).
 *
 * @returns The host name.
 *
 * @example
 * ```ts
 * import { gethostname } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * assert.equal(gethostname(), Deno.hostname());
 * ```
 */
export function gethostname(): string {
  return Deno.hostname();
}

// glibc's domain for NI_NOFQDN: what follows the first dot of this host's
// name, or of the official name its /etc/hosts line gives it.
function localDomain(): string | null {
  let host: string;
  try {
    host = Deno.hostname();
  } catch {
    return null;
  }
  const dotted = host.includes(".")
    ? host
    : hostsByName(host, 0).flatMap((h) => h.names).find((n) => n.includes("."));
  return dotted === undefined ? null : dotted.slice(dotted.indexOf(".") + 1);
}

// glibc's getnameinfo() accepts NI_IDN and its two deprecated companions.
const NI_KNOWN = NI_NUMERICHOST | NI_NUMERICSERV | NI_NOFQDN | NI_NAMEREQD |
  NI_DGRAM |
  (Deno.build.os === "linux" ? 32 | 64 | 128 : 0);

/**
 * Like Python's `socket.getnameinfo()`, but returns a promise: the host and
 * service names of a socket address, `[host, port]`.
 *
 * The host is looked up in reverse through the OS resolver unless
 * `NI_NUMERICHOST`; without a name it is the numeric address (with
 * `%scope` for a link-local IPv6 address), or `gaierror` with
 * `NI_NAMEREQD`. The service comes from the services database (`udp` with
 * `NI_DGRAM`, else `tcp`), or is the number.
 *
 * @param sockaddr `[host, port]` or `[host, port, flowinfo, scope_id]`;
 *   the host must be a numeric address.
 * @param flags `NI_*` flags.
 * @returns `[host, service]`.
 * @throws {gaierror} For a host that is not numeric (`[Errno -2]`), a
 *   missing name with `NI_NAMEREQD`, bad flags (`[Errno -1]`).
 * @throws {OSError} `IPv4 sockaddr must be 2 tuple` for a 4-element IPv4 address.
 * @throws {TypeError} For a malformed address.
 * @throws {RangeError} For a flowinfo outside 0-1048575.
 *
 * @example Numeric look-up
 * ```ts
 * import { getnameinfo } from "@pysocket/socket/functions";
 * import { NI_NUMERICHOST, NI_NUMERICSERV } from "@pysocket/socket/constants";
 * import assert from "node:assert/strict";
 *
 * const result = await getnameinfo(["127.0.0.1", 8080], NI_NUMERICHOST | NI_NUMERICSERV);
 * assert.deepEqual(result, ["127.0.0.1", "8080"]);
 * ```
 */
export async function getnameinfo(
  sockaddr: Inet4Address | Inet6Address | [
    host: string,
    port: number,
    flowinfo: number,
  ],
  flags: number,
): Promise<[host: string, port: string]> {
  if (!Array.isArray(sockaddr)) {
    throw new TypeError("getnameinfo() argument 1 must be a tuple");
  }
  const illegal = () => new TypeError("getnameinfo(): illegal sockaddr argument");
  if (sockaddr.length < 2 || sockaddr.length > 4) throw illegal();
  const [host, port, flowinfoArg = 0, scopeArg = 0] = sockaddr as unknown[];
  if (typeof host !== "string") throw illegal();
  const hostError = surrogateError(host);
  if (hostError !== null) throw hostError;
  const portNumber = toCInt(port);
  const flowinfo = toCUIntMask(flowinfoArg);
  const scopeId = toCUIntMask(scopeArg);
  flags = toCInt(flags);
  if (host.includes("\0")) throw new RangeError("embedded null character");
  if (flowinfo > 0xfffff) {
    throw new RangeError("getnameinfo(): flowinfo must be 0-1048575.");
  }
  const [entry] = await getaddrinfoRaw(
    host,
    String(portNumber),
    AF_UNSPEC,
    SOCK_DGRAM,
    0,
    AI_NUMERICHOST,
  );
  if (entry.address.family === 4 && sockaddr.length !== 2) {
    throw new OSError("IPv4 sockaddr must be 2 tuple");
  }
  const address: HostAddress = entry.address.family === 6
    ? { ...entry.address, scopeId }
    : entry.address;
  if ((flags & ~NI_KNOWN) !== 0) throw gaiError(EAI_BADFLAGS);

  let hostname: string | null = null;
  if ((flags & NI_NUMERICHOST) === 0) {
    hostname = await reverseName(address);
    if (hostname !== null && (flags & NI_NOFQDN) !== 0) {
      const domain = localDomain();
      if (
        domain !== null && hostname.endsWith(`.${domain}`) &&
        hostname.length > domain.length + 1
      ) {
        hostname = hostname.slice(0, -(domain.length + 1));
      }
    }
    if (hostname === null && (flags & NI_NAMEREQD) !== 0) {
      throw gaiError(EAI_NONAME);
    }
  }
  if (hostname === null) {
    hostname = formatAddress(address);
    if (address.family === 6 && address.scopeId !== 0) {
      const name = isLinkLocal6(address.bytes) ? interfaceName(address.scopeId) : null;
      hostname += `%${name ?? address.scopeId}`;
    }
  }
  let service = String(entry.port);
  if ((flags & NI_NUMERICSERV) === 0) {
    service = findServiceByPort(entry.port, (flags & NI_DGRAM) !== 0 ? "udp" : "tcp")
      ?.name ?? service;
  }
  return [hostname, service];
}

// ------------------------------------------------- services and protocols

/**
 * Like Python's `socket.getservbyname()`: the port of a service, from the
 * services database (`/etc/services`; where it cannot be read, a built-in
 * table of the common services).
 *
 * @param servicename The service's name or alias (case-sensitive).
 * @param protocolname `"tcp"`, `"udp"`, …, or omitted for any.
 * @returns The port.
 * @throws {OSError} `service/proto not found`.
 * @throws {TypeError} For a non-string argument.
 *
 * @example
 * ```ts
 * import { getservbyname } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * assert.equal(getservbyname("http", "tcp"), 80);
 * ```
 */
export function getservbyname(
  servicename: string,
  protocolname?: string,
): number {
  const name = toStr(servicename, "getservbyname", 1);
  const proto = protocolname === undefined ? null : toStr(protocolname, "getservbyname", 2);
  const entry = findService(name, proto);
  if (entry === undefined) throw new OSError("service/proto not found");
  return entry.port;
}

/**
 * Like Python's `socket.getservbyport()`: the name of the service on a
 * port, from the services database (`/etc/services`; where it cannot be
 * read, a built-in table of the common services).
 *
 * @param port A port, 0-65535.
 * @param protocolname `"tcp"`, `"udp"`, …, or omitted for any.
 * @returns The service's name.
 * @throws {OSError} `port/proto not found`.
 * @throws {RangeError} `getservbyport: port must be 0-65535.`
 *
 * @example
 * ```ts
 * import { getservbyport } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * assert.equal(getservbyport(22), "ssh");
 * ```
 */
export function getservbyport(port: number, protocolname?: string): string {
  const number = toCInt(port);
  const proto = protocolname === undefined ? null : toStr(protocolname, "getservbyport", 2);
  if (number < 0 || number > 0xffff) {
    throw new RangeError("getservbyport: port must be 0-65535.");
  }
  const entry = findServiceByPort(number, proto);
  if (entry === undefined) throw new OSError("port/proto not found");
  return entry.name;
}

/**
 * Like Python's `socket.getprotobyname()`: the number of a protocol, from
 * the protocols database (`/etc/protocols`; where it cannot be read, a
 * built-in table of the common protocols).
 *
 * @param protocolname The protocol's name or alias (`"tcp"`, `"TCP"`, `"icmp"`).
 * @returns The protocol number.
 * @throws {OSError} `protocol not found`.
 *
 * @example
 * ```ts
 * import { getprotobyname } from "@pysocket/socket/functions";
 * import { IPPROTO_TCP } from "@pysocket/socket/constants";
 * import assert from "node:assert/strict";
 *
 * assert.equal(getprotobyname("tcp"), IPPROTO_TCP);
 * ```
 */
export function getprotobyname(protocolname: string): number {
  const entry = findProtocol(toStr(protocolname, "getprotobyname", 1));
  if (entry === undefined) throw new OSError("protocol not found");
  return entry.number;
}

// -------------------------------------------------------------- conversions

/**
 * Like Python's `socket.inet_aton()`: an IPv4 address in `inet_aton`'s
 * forms as 4 bytes. Accepts what glibc accepts: `"127.0.0.1"`, `"127.1"`,
 * `"1"`, hexadecimal (`"0x7f.1"`) and octal (`"0177.0.0.1"`) parts, and
 * ignores what follows a whitespace after the address.
 *
 * @param ipString The address.
 * @returns 4 bytes in network order.
 * @throws {OSError} `illegal IP address string passed to inet_aton`.
 * @throws {TypeError} For a non-string.
 *
 * @example Lenient forms
 * ```ts
 * import { inet_aton } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(inet_aton("0x7f.1"), new Uint8Array([127, 0, 0, 1]));
 * ```
 */
// deno-lint-ignore camelcase
export function inet_aton(ipString: string): Uint8Array {
  const value = parseInetAton(toStr(ipString, "inet_aton", 1), false);
  if (value === null) {
    throw new OSError("illegal IP address string passed to inet_aton");
  }
  return packInet4(value);
}

/**
 * Like Python's `socket.inet_ntoa()`: 4 bytes as a dotted-quad string.
 *
 * @param packedIp 4 bytes (any bytes-like value).
 * @returns The address, e.g. `"127.0.0.1"`.
 * @throws {OSError} `packed IP wrong length for inet_ntoa`.
 * @throws {TypeError} For a value that is not bytes-like.
 *
 * @example
 * ```ts
 * import { inet_ntoa } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * assert.equal(inet_ntoa(new Uint8Array([10, 0, 0, 1])), "10.0.0.1");
 * ```
 */
// deno-lint-ignore camelcase
export function inet_ntoa(packedIp: ArrayBufferView | ArrayBuffer): string {
  const bytes = toBytes(packedIp);
  if (bytes.length !== 4) {
    throw new OSError("packed IP wrong length for inet_ntoa");
  }
  return formatInet4(bytes);
}

/**
 * Like Python's `socket.inet_pton()`: an address in its standard text form
 * as bytes. IPv4 must be a strict dotted quad; IPv6 may use `::` and an
 * IPv4 tail (`::ffff:1.2.3.4`) but no scope id (`%eth0`), as glibc.
 *
 * @param addressFamily `AF_INET` or `AF_INET6`.
 * @param ipString The address.
 * @returns 4 or 16 bytes.
 * @throws {OSError} `illegal IP address string passed to inet_pton`, or
 *   `EAFNOSUPPORT` for another family.
 *
 * @example
 * ```ts
 * import { inet_pton } from "@pysocket/socket/functions";
 * import { AF_INET6 } from "@pysocket/socket/constants";
 * import assert from "node:assert/strict";
 *
 * const bytes = inet_pton(AF_INET6, "::1");
 * assert.equal(bytes.length, 16);
 * assert.equal(bytes[15], 1);
 * ```
 */
// deno-lint-ignore camelcase
export function inet_pton(addressFamily: number, ipString: string): Uint8Array {
  const family = toCInt(addressFamily);
  const text = toStr(ipString, "inet_pton", 2);
  let bytes: Uint8Array | null;
  if (family === AF_INET) bytes = parseInet4(text);
  else if (family === AF_INET6) bytes = parseInet6(text);
  else throw oserror(EAFNOSUPPORT);
  if (bytes === null) {
    throw new OSError("illegal IP address string passed to inet_pton");
  }
  return bytes;
}

/**
 * Like Python's `socket.inet_ntop()`: 4 or 16 bytes as the address's
 * standard text form, as glibc writes it (`::` for the first longest run of
 * zero groups, `::ffff:1.2.3.4` for IPv4-mapped addresses).
 *
 * @param addressFamily `AF_INET` or `AF_INET6`.
 * @param packedIp 4 or 16 bytes.
 * @returns The text form.
 * @throws {RangeError} `invalid length of packed IP address string`, or
 *   `unknown address family <n>`.
 *
 * @example
 * ```ts
 * import { inet_ntop } from "@pysocket/socket/functions";
 * import { AF_INET6 } from "@pysocket/socket/constants";
 * import assert from "node:assert/strict";
 *
 * const mapped = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4]);
 * assert.equal(inet_ntop(AF_INET6, mapped), "::ffff:1.2.3.4");
 * ```
 */
// deno-lint-ignore camelcase
export function inet_ntop(
  addressFamily: number,
  packedIp: ArrayBufferView | ArrayBuffer,
): string {
  const family = toCInt(addressFamily);
  const bytes = toBytes(packedIp);
  if (family === AF_INET) {
    if (bytes.length !== 4) {
      throw new RangeError("invalid length of packed IP address string");
    }
    return formatInet4(bytes);
  }
  if (family === AF_INET6) {
    if (bytes.length !== 16) {
      throw new RangeError("invalid length of packed IP address string");
    }
    return formatInet6(bytes);
  }
  throw new RangeError(`unknown address family ${family}`);
}

// htons/ntohs: Python converts to a C int first, then checks 16 bits.
function swap16(x: unknown, fn: string): number {
  const n = toCInt(x);
  if (n < 0) {
    throw new RangeError(
      `${fn}: can't convert negative Python int to C 16-bit unsigned integer`,
    );
  }
  if (n > 0xffff) {
    throw new RangeError(
      `${fn}: Python int too large to convert to C 16-bit unsigned integer`,
    );
  }
  return ((n & 0xff) << 8) | (n >> 8);
}

// htonl/ntohl: Python converts to a C unsigned long, then checks 32 bits.
function swap32(x: unknown): number {
  if (
    typeof x !== "number" && typeof x !== "bigint" && typeof x !== "boolean"
  ) {
    throw new TypeError(
      `expected int, ${x === null || x === undefined ? "NoneType" : pyTypeName(x)} found`,
    );
  }
  if (typeof x === "number" && !Number.isInteger(x)) {
    throw new TypeError("expected int, float found");
  }
  const n = toPyInt(x);
  if (n < 0n) {
    throw new RangeError("can't convert negative value to unsigned int");
  }
  if (n > 0xffffffffffffffffn) {
    throw new RangeError("Python int too large to convert to C unsigned long");
  }
  if (n > 0xffffffffn) throw new RangeError("int larger than 32 bits");
  const v = Number(n);
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) |
    (v >>> 24)) >>> 0;
}

/**
 * Like Python's `socket.htons()`: a 16-bit integer from host to network
 * byte order (swapped on little-endian machines).
 *
 * @param x 0-65535.
 * @returns The swapped value.
 * @throws {RangeError} As Python's `OverflowError` (`htons: Python int too
 *   large to convert to C 16-bit unsigned integer`).
 * @throws {TypeError} For a non-integer.
 *
 * @example
 * ```ts
 * import { htons } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * assert.equal(htons(0x1234), 0x3412);
 * ```
 */
export function htons(x: number): number {
  return swap16(x, "htons");
}

/**
 * Like Python's `socket.ntohs()`: a 16-bit integer from network to host
 * byte order.
 *
 * @param x 0-65535.
 * @returns The swapped value.
 * @throws {RangeError} As Python's `OverflowError`.
 * @throws {TypeError} For a non-integer.
 *
 * @example
 * ```ts
 * import { ntohs } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ntohs(0x3412), 0x1234);
 * ```
 */
export function ntohs(x: number): number {
  return swap16(x, "ntohs");
}

/**
 * Like Python's `socket.htonl()`: a 32-bit integer from host to network
 * byte order.
 *
 * @param x 0-4294967295.
 * @returns The swapped value.
 * @throws {RangeError} As Python's `OverflowError` (`int larger than 32 bits`).
 * @throws {TypeError} For a non-integer.
 *
 * @example
 * ```ts
 * import { htonl } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * assert.equal(htonl(1), 0x01000000);
 * ```
 */
export function htonl(x: number): number {
  return swap32(x);
}

/**
 * Like Python's `socket.ntohl()`: a 32-bit integer from network to host
 * byte order.
 *
 * @param x 0-4294967295.
 * @returns The swapped value.
 * @throws {RangeError} As Python's `OverflowError`.
 * @throws {TypeError} For a non-integer.
 *
 * @example
 * ```ts
 * import { ntohl } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ntohl(0x01000000), 1);
 * ```
 */
export function ntohl(x: number): number {
  return swap32(x);
}

// ------------------------------------------------- convenience constructors

/** Options of {@linkcode create_connection}. */
export interface CreateConnectionOptions {
  /**
   * When every attempt fails, reject with an `AggregateError` of all the
   * errors (message `create_connection failed`, Python's `ExceptionGroup`)
   * instead of the last one.
   *
   * @default {false}
   */
  // deno-lint-ignore camelcase
  all_errors?: boolean;
}

/**
 * Like Python's `socket.create_connection()`, but returns a promise: a
 * stream socket connected to `address`, trying each address
 * `getaddrinfo(host, port, 0, SOCK_STREAM)` gives, in order, until one
 * connects.
 *
 * The timeout applies to each attempt and stays set on the returned socket;
 * when omitted (`undefined`) or `_GLOBAL_DEFAULT_TIMEOUT`, sockets keep
 * `getdefaulttimeout()`, as in Python; `null` means blocking.
 *
 * `source_address`, as in Python, binds each socket before it connects
 * (such a connection goes through Deno's `node:net`, which can choose its
 * source address; see "Differences from Python").
 *
 * @param address `[host, port]`; the host may be null (loopback) or a name.
 * @param timeout Seconds per attempt, `null` for blocking, or omitted (or
 *   `_GLOBAL_DEFAULT_TIMEOUT`) for the default.
 * @param source_address `[host, port]` to bind before connecting, or null.
 * @param options `all_errors`.
 * @returns The connected socket.
 * @throws {gaierror} When the host does not resolve.
 * @throws {OSError} The last attempt's error (`ConnectionRefusedError`,
 *   `TimeoutError`, …), or `getaddrinfo returns an empty list`.
 * @throws {AggregateError} With `all_errors`: every attempt's error.
 *
 * @example Connect to a local server
 * ```ts
 * import { create_connection, create_server } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * await using server = create_server(["127.0.0.1", 0]);
 * const [, port] = server.getsockname() as [string, number];
 * await using client = await create_connection(["127.0.0.1", port], 5);
 * assert.equal(client.gettimeout(), 5);
 * const [conn] = await server.accept();
 * await conn.close();
 * ```
 */
// deno-lint-ignore camelcase
export async function create_connection(
  address: [host: string | null, port: number | string],
  timeout?: number | null | typeof _GLOBAL_DEFAULT_TIMEOUT,
  // deno-lint-ignore camelcase
  source_address?: Address | null,
  options: CreateConnectionOptions = {},
): Promise<Socket> {
  if (!Array.isArray(address) || address.length !== 2) {
    throw new TypeError(
      Array.isArray(address)
        ? `${
          address.length > 2 ? "too many" : "not enough"
        } values to unpack (expected 2, got ${address.length})`
        : `cannot unpack non-iterable ${pyTypeName(address)} object`,
    );
  }
  const [host, port] = address;
  const allErrors = options.all_errors ?? false;
  const entries = await getaddrinfo(host, port, 0, SOCK_STREAM);
  const errors: unknown[] = [];
  for (const [family, type, proto, , sockaddr] of entries) {
    let sock: Socket | null = null;
    try {
      sock = new Socket(family, type, proto);
      if (timeout !== undefined && timeout !== _GLOBAL_DEFAULT_TIMEOUT) sock.settimeout(timeout);
      // Python binds when source_address is truthy.
      if (source_address) sock.bind(source_address);
      await sock.connect(sockaddr);
      return sock;
    } catch (e) {
      if (!(e instanceof OSError)) {
        await sock?.close();
        throw e;
      }
      if (!allErrors) errors.length = 0;
      errors.push(e);
      await sock?.close();
    }
  }
  if (errors.length === 0) {
    throw new OSError("getaddrinfo returns an empty list");
  }
  if (!allErrors) throw errors[0];
  throw new AggregateError(errors, "create_connection failed");
}

/** Options of {@linkcode create_server}, as Python's keyword arguments. */
export interface CreateServerOptions {
  /** `AF_INET` (default) or `AF_INET6`. */
  family?: number;
  /** The `listen()` backlog; omitted or null for `listen()`'s default. */
  backlog?: number | null;
  /** Set `SO_REUSEPORT`, so several servers can share the port (Linux). @default {false} */
  // deno-lint-ignore camelcase
  reuse_port?: boolean;
  /** Accept IPv4 and IPv6 on one `AF_INET6` socket. @default {false} */
  // deno-lint-ignore camelcase
  dualstack_ipv6?: boolean;
}

// Python's repr() of a str.
function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) {
      out += `\\x${code.toString(16).padStart(2, "0")}`;
    } else out += ch;
  }
  return out + quote;
}

// Python's repr() of an address as given.
function pyRepr(value: unknown): string {
  if (typeof value === "string") return pyStrRepr(value);
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) {
    const items = value.map(pyRepr);
    return `(${items.join(", ")}${items.length === 1 ? "," : ""})`;
  }
  return String(value);
}

/**
 * Like Python's `socket.has_dualstack_ipv6()`: whether an `AF_INET6`
 * stream socket can accept IPv4 connections too (`IPV6_V6ONLY` off).
 *
 * @returns `true` where IPv6 sockets can be dual-stack.
 *
 * @example
 * ```ts
 * import { has_dualstack_ipv6 } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * assert.equal(typeof has_dualstack_ipv6(), "boolean");
 * ```
 */
// deno-lint-ignore camelcase
export function has_dualstack_ipv6(): boolean {
  try {
    using sock = new Socket(AF_INET6, SOCK_STREAM);
    sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0);
    return true;
  } catch (e) {
    if (e instanceof OSError) return false;
    throw e;
  }
}

/**
 * Like Python's `socket.create_server()`: a stream socket bound to
 * `address` and listening. As in Python on POSIX, `SO_REUSEADDR` is set;
 * `AF_INET6` sockets get `IPV6_V6ONLY` unless `dualstack_ipv6`.
 *
 * @param address `[host, port]` (`""` for all interfaces), or
 *   `[host, port, flowinfo, scope_id]` for `AF_INET6`.
 * @param options `family`, `backlog`, `reuse_port`, `dualstack_ipv6`.
 * @returns The listening socket.
 * @throws {RangeError} `dualstack_ipv6 not supported on this platform`,
 *   `dualstack_ipv6 requires AF_INET6 family`, `SO_REUSEPORT not supported
 *   on this platform` (Python's `ValueError`).
 * @throws {OSError} When binding fails, with Python's message, e.g.
 *   `[Errno 98] Address already in use (while attempting to bind on address
 *   ('127.0.0.1', 8080))`.
 *
 * @example A server on an ephemeral port
 * ```ts
 * import { create_server } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * await using server = create_server(["127.0.0.1", 0], { backlog: 16 });
 * const [host, port] = server.getsockname() as [string, number];
 * assert.equal(host, "127.0.0.1");
 * assert.ok(port > 0);
 * ```
 */
// deno-lint-ignore camelcase
export function create_server(
  address: Address,
  options: CreateServerOptions = {},
): Socket {
  const family = options.family ?? AF_INET;
  const backlog = options.backlog ?? null;
  const reusePort = options.reuse_port ?? false;
  const dualstack = options.dualstack_ipv6 ?? false;
  // Windows has no SO_REUSEPORT (Python: hasattr(_socket, "SO_REUSEPORT")).
  if (reusePort && windows) {
    throw new RangeError("SO_REUSEPORT not supported on this platform");
  }
  if (dualstack) {
    if (!has_dualstack_ipv6()) {
      throw new RangeError("dualstack_ipv6 not supported on this platform");
    }
    if (family !== AF_INET6) {
      throw new RangeError("dualstack_ipv6 requires AF_INET6 family");
    }
  }
  const sock = new Socket(family, SOCK_STREAM);
  try {
    if (!windows) {
      try {
        sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
      } catch (e) {
        // As Python: fail later, on bind(), where the option is unknown.
        if (!(e instanceof OSError)) throw e;
      }
    }
    if (reusePort) sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
    if (family === AF_INET6) {
      sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, dualstack ? 0 : 1);
    }
    try {
      sock.bind(address);
    } catch (e) {
      if (!(e instanceof OSError)) throw e;
      throw new OSError(
        e.errno,
        `${e.strerror ?? e.message} (while attempting to bind on address ${pyRepr(address)})`,
        { cause: e },
      );
    }
    if (backlog === null) sock.listen();
    else sock.listen(backlog);
    return sock;
  } catch (e) {
    sock[Symbol.dispose]();
    throw e;
  }
}

/**
 * Like Python's `socket.socketpair()`, but returns a promise: two connected
 * stream sockets.
 *
 * Deno has no `socketpair(2)`; the pair is made by connecting through a
 * temporary listener, which is closed (and, for `AF_UNIX`, its socket file
 * and temporary directory removed) before the promise settles: `AF_UNIX`
 * (the default, as Python on POSIX; `AF_INET` on Windows) needs
 * `--allow-read` and `--allow-write` for the temporary directory; `AF_INET`
 * and `AF_INET6` go through loopback, as Python's fallback
 * implementation does (Python on Linux raises `EOPNOTSUPP` for them). Only
 * `SOCK_STREAM` is supported. Both sockets start with the default timeout,
 * as in Python.
 *
 * @param family `AF_UNIX` (default), `AF_INET` or `AF_INET6`.
 * @param type `SOCK_STREAM`.
 * @param proto 0.
 * @returns Two sockets connected to each other.
 * @throws {OSError} `EOPNOTSUPP` for `SOCK_DGRAM`; the `Socket`
 *   constructor's errors for other bad arguments.
 *
 * @example A round trip
 * ```ts
 * import { socketpair } from "@pysocket/socket/functions";
 * import { AF_INET } from "@pysocket/socket/constants";
 * import assert from "node:assert/strict";
 *
 * const [a, b] = await socketpair(AF_INET);
 * await a.sendall("ping");
 * assert.equal(new TextDecoder().decode(await b.recv(4)), "ping");
 * await a.close();
 * await b.close();
 * ```
 */
export async function socketpair(
  family: number | null = null,
  type: number = SOCK_STREAM,
  proto: number = 0,
): Promise<[Socket, Socket]> {
  if (family === null || family === undefined) {
    family = windows ? AF_INET : AF_UNIX;
  }
  // Validates the arguments as socket() does, before anything is created.
  new Socket(family, type, proto)[Symbol.dispose]();
  if (type !== SOCK_STREAM) {
    throw new OSError(
      EOPNOTSUPP,
      "Operation not supported (pysocket: socketpair() makes stream sockets only)",
    );
  }
  const listener = new Socket(family, SOCK_STREAM, proto);
  let dir: string | null = null;
  try {
    listener.settimeout(null);
    if (family === AF_UNIX) {
      dir = await Deno.makeTempDir({ prefix: "pysocket-" });
      listener.bind(`${dir}/socketpair`);
    } else {
      listener.bind([family === AF_INET6 ? "::1" : "127.0.0.1", 0]);
    }
    listener.listen(1);
    const client = new Socket(family, SOCK_STREAM, proto);
    let server: Socket | null = null;
    try {
      client.settimeout(null);
      await client.connect(listener.getsockname());
      [server] = await listener.accept();
      if (family !== AF_UNIX) {
        // As Python's fallback: make sure the peer is our client, not
        // something else that connected to the listener first.
        const same = (a: Address, b: Address) => JSON.stringify(a) === JSON.stringify(b);
        if (
          !same(server.getsockname(), client.getpeername()) ||
          !same(client.getsockname(), server.getpeername())
        ) {
          throw new ConnectionError("Unexpected peer connection");
        }
      }
      const timeout = getdefaulttimeout();
      server.settimeout(timeout);
      client.settimeout(timeout);
      return [server, client];
    } catch (e) {
      await Promise.all([client.close(), server?.close()]);
      throw e;
    }
  } finally {
    await listener.close();
    if (dir !== null) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
}

// ---------------------------------------------------------------- interfaces

/**
 * Like Python's `socket.if_nameindex()`: the network interfaces, as
 * `[index, name]` pairs in index order. Read from `/sys/class/net` (Deno
 * allows that with `--allow-all`); else from `Deno.networkInterfaces()`
 * (`--allow-sys`), which knows the loopback interface and those with a
 * link-local IPv6 address.
 *
 * @returns The interfaces.
 * @example
 * ```ts
 * import { if_nameindex } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * assert.ok(if_nameindex().every(([index, name]) => index > 0 && name !== ""));
 * ```
 */
// deno-lint-ignore camelcase
export function if_nameindex(): [index: number, name: string][] {
  return interfaceList();
}

/**
 * Like Python's `socket.if_nametoindex()`: the index of the interface named
 * `if_name`.
 *
 * @param if_name The interface's name (a string, or its bytes).
 * @returns Its index.
 * @throws {OSError} "no interface with this name".
 * @throws {TypeError} For a name that is neither a string nor bytes.
 * @throws {RangeError} `UnicodeEncodeError` for a lone surrogate; "embedded null byte".
 * @example
 * ```ts
 * import { if_indextoname, if_nametoindex } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * if (Deno.build.os === "linux") assert.equal(if_indextoname(if_nametoindex("lo")), "lo");
 * ```
 */
// deno-lint-ignore camelcase
export function if_nametoindex(if_name: string | Uint8Array): number {
  let name: string;
  if (if_name instanceof Uint8Array) {
    name = new TextDecoder().decode(if_name);
  } else if (typeof if_name === "string") {
    // Python encodes with the file system's codec: UTF-8, where only
    // \udc80-\udcff (undecodable bytes, escaped) pass.
    const chars = Array.from(if_name);
    const bad = chars.findIndex((c) => /^[\ud800-\udc7f\udd00-\udfff]$/.test(c));
    if (bad >= 0) {
      throw new UnicodeEncodeError("utf-8", if_name, bad, bad + 1, "surrogates not allowed");
    }
    name = if_name;
  } else {
    throw new TypeError(
      `expected str, bytes or os.PathLike object, not ${pyTypeName(if_name)}`,
    );
  }
  if (name.includes("\0")) throw new RangeError("embedded null byte");
  const index = /[\udc80-\udcff]/.test(name) ? 0 : interfaceIndex(name);
  if (index === 0) throw new OSError("no interface with this name");
  return index;
}

/**
 * Like Python's `socket.if_indextoname()`: the name of the interface with
 * index `if_index`.
 *
 * @param if_index The interface's index.
 * @returns Its name.
 * @throws {OSError} `ENXIO` when no interface has that index.
 * @throws {TypeError} For a value that is not an integer.
 * @throws {RangeError} For a negative index (Python's `OverflowError`).
 * @example
 * ```ts
 * import { if_indextoname } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * if (Deno.build.os === "linux") assert.equal(if_indextoname(1), "lo");
 * ```
 */
// deno-lint-ignore camelcase
export function if_indextoname(if_index: number): string {
  const isInt = typeof if_index === "bigint" || typeof if_index === "boolean" ||
    (typeof if_index === "number" && Number.isInteger(if_index));
  if (!isInt) throw new TypeError("an integer is required");
  const n = toPyInt(if_index);
  if (n < 0n) throw new RangeError("can't convert negative value to unsigned int");
  if (n > 0xffffffffffffffffn) {
    throw new RangeError("Python int too large to convert to C unsigned long");
  }
  // The C function takes an unsigned int.
  const name = interfaceName(Number(BigInt.asUintN(32, n)));
  if (name === null) throw oserror(ENXIO);
  return name;
}

// ------------------------------------------------------- ancillary data sizes

// Linux on 64-bit: sizeof(struct cmsghdr) (already aligned), the alignment
// of CMSG_ALIGN, and the largest socklen_t Python accepts (INT_MAX).
const CMSGHDR_SIZE = 16;
const CMSG_ALIGNMENT = 8;
const SOCKLEN_LIMIT = 0x7fffffff;

function cmsgLength(fn: string, length: unknown): number {
  const n = toPyInt(length);
  if (n >= 2n ** 63n || n < -(2n ** 63n)) {
    throw new RangeError("Python int too large to convert to C ssize_t");
  }
  if (n < 0n || n > BigInt(SOCKLEN_LIMIT)) throw new RangeError(`${fn}() argument out of range`);
  return Number(n);
}

/**
 * Like Python's `socket.CMSG_LEN()`: the size of an ancillary data item
 * whose data is `length` bytes, as Linux's `CMSG_LEN` (no `sendmsg()` in
 * Deno uses it, but code computing buffer sizes ports).
 *
 * @param length The data's size.
 * @returns The item's size, without trailing padding.
 * @throws {RangeError} "CMSG_LEN() argument out of range" (Python's `OverflowError`).
 * @example
 * ```ts
 * import { CMSG_LEN } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * assert.equal(CMSG_LEN(4), 20);
 * ```
 */
export function CMSG_LEN(length: number): number {
  const n = cmsgLength("CMSG_LEN", length);
  if (n > SOCKLEN_LIMIT - CMSGHDR_SIZE) throw new RangeError("CMSG_LEN() argument out of range");
  return CMSGHDR_SIZE + n;
}

/**
 * Like Python's `socket.CMSG_SPACE()`: the buffer space an ancillary data
 * item whose data is `length` bytes takes, padding included.
 *
 * @param length The data's size.
 * @returns The item's size with padding.
 * @throws {RangeError} "CMSG_SPACE() argument out of range" (Python's `OverflowError`).
 * @example
 * ```ts
 * import { CMSG_SPACE } from "@pysocket/socket/functions";
 * import assert from "node:assert/strict";
 *
 * assert.equal(CMSG_SPACE(4), 24);
 * ```
 */
export function CMSG_SPACE(length: number): number {
  const n = cmsgLength("CMSG_SPACE", length);
  // CPython leaves room for the padding before and after the data: CMSG_SPACE(1).
  if (n > SOCKLEN_LIMIT - (CMSGHDR_SIZE + CMSG_ALIGNMENT)) {
    throw new RangeError("CMSG_SPACE() argument out of range");
  }
  const space = CMSGHDR_SIZE + Math.ceil(n / CMSG_ALIGNMENT) * CMSG_ALIGNMENT;
  if (space > SOCKLEN_LIMIT) throw new RangeError("CMSG_SPACE() argument out of range");
  return space;
}
