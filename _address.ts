/**
 * Socket addresses: checking the address a program passes (with Python's
 * errors), resolving its host for the socket's family, and turning Deno's
 * addresses back into Python's tuples.
 *
 * @module
 */

import { AF_INET, AF_INET6, AF_UNIX, EAI_ADDRFAMILY, EINVAL } from "./constants.ts";
import { OSError } from "./errors.ts";
import { fromDenoError, gaiError, oserror } from "./_errno.ts";
import { formatInet4, packInet4, parseInetAton } from "./_inet.ts";
import { checkLong, loneSurrogate, maskUInt, pyTypeName, surrogateError } from "./_pytype.ts";

/** An IPv4 socket address, `[host, port]`. */
export type Inet4Address = [host: string, port: number];

/** An IPv6 socket address, `[host, port, flowinfo, scope_id]`. */
export type Inet6Address = [
  host: string,
  port: number,
  flowinfo: number,
  scope_id: number,
];

/**
 * An address as Python writes it: `[host, port]`, `[host, port, flowinfo,
 * scope_id]` or a path. A socket whose family TypeScript knows (made by
 * `socket(AF_INET)`, …) has the precise type instead: see
 * {@linkcode SockAddr}.
 */
export type Address = Inet4Address | Inet6Address | string;

/**
 * The address a socket of family `F` reports (`getsockname()`,
 * `getpeername()`, `accept()`, `recvfrom()`): `Inet4Address` for
 * `AF_INET`, `Inet6Address` for `AF_INET6`, a path for `AF_UNIX`, and
 * {@linkcode Address} when the family is not known to TypeScript.
 */
export type SockAddr<F extends number> = number extends F ? Address
  : F extends 1 /* AF_UNIX */ ? string
  : F extends 2 /* AF_INET */ ? Inet4Address
  : F extends 10 | 30 /* AF_INET6 (Linux, macOS) */ ? Inet6Address
  : Address;

/**
 * The address a socket of family `F` takes (`bind()`, `connect()`,
 * `sendto()`): `[host, port]` for `AF_INET`; for `AF_INET6` also with
 * `flowinfo` and `scope_id`; for `AF_UNIX` a path as a string or bytes.
 */
export type AddressArg<F extends number> = number extends F ? AnyAddressArg
  : F extends 1 /* AF_UNIX */ ? UnixPath
  : F extends 2 /* AF_INET */ ? Inet4Address
  : F extends 10 | 30 /* AF_INET6 (Linux, macOS) */ ? Inet6AddressArg
  : AnyAddressArg;

/** A unix socket path: a string, or its bytes (any bytes-like object, as Python). */
export type UnixPath = string | ArrayBufferView | ArrayBuffer;

/** What an `AF_INET6` socket takes: `[host, port]`, optionally with `flowinfo` and `scope_id`. */
export type Inet6AddressArg =
  | [host: string, port: number]
  | [host: string, port: number, flowinfo: number]
  | Inet6Address;

/** Any address a socket of some family takes. */
export type AnyAddressArg = Inet4Address | Inet6AddressArg | UnixPath;

/**
 * The sender `recvfrom()` reports on a socket of family `F` and type `K`:
 * the family's address on a datagram socket (`string | null` for
 * `AF_UNIX`, whose senders may have no name), `null` on a stream socket
 * (Python's `None`), either when TypeScript does not know the type.
 */
export type SenderAddress<F extends number, K extends number> = number extends K
  ? SockAddr<F> | null
  : K extends 1 /* SOCK_STREAM */ ? null
  : F extends 1 /* AF_UNIX */ ? string | null
  : SockAddr<F>;

/** An address after checking: where to listen or connect. */
export type Target =
  | { transport: "tcp"; hostname: string; port: number }
  | { transport: "unix"; path: string };

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Whether `host` is an IPv4 literal in dotted-quad form. */
export function isIPv4(host: string): boolean {
  return IPV4.test(host);
}

/** Whether `host` looks like an IPv6 literal (scope id allowed). */
export function isIPv6(host: string): boolean {
  return host.includes(":");
}

const familyName = (family: number) => family === AF_INET6 ? "AF_INET6" : "AF_INET";

const UNIX_PATH_MAX = 108;
const encoder = new TextEncoder();
const strictUTF8 = new TextDecoder("utf-8", { fatal: true });

/** A unix socket path as Python takes it: a `str`, or any bytes-like object. */
function parseUnixPath(address: unknown, fn: string): Target {
  let path: string;
  let size: number;
  if (typeof address === "string") {
    const error = surrogateError(address);
    if (error !== null) throw error;
    path = address;
    size = encoder.encode(address).length;
  } else if (ArrayBuffer.isView(address) || address instanceof ArrayBuffer) {
    const bytes = address instanceof ArrayBuffer
      ? new Uint8Array(address)
      : new Uint8Array(address.buffer, address.byteOffset, address.byteLength);
    size = bytes.length;
    try {
      path = strictUTF8.decode(bytes);
    } catch {
      throw new RangeError(
        "pysocket: a unix socket path must be valid UTF-8 (Deno's paths are strings)",
      );
    }
  } else {
    throw new TypeError(`a bytes-like object is required, not '${pyTypeName(address)}'`);
  }
  if (size >= UNIX_PATH_MAX) throw new OSError("AF_UNIX path too long");
  if (size === 0 && fn !== "bind") throw oserror(EINVAL);
  if (size === 0 || path[0] === "\0") {
    throw new TypeError("pysocket: abstract unix socket addresses are not supported by Deno");
  }
  return { transport: "unix", path };
}

/**
 * Checks `address` for `family` as Python's `getsockaddrarg` does, with its
 * messages; `fn` names the calling method (`bind`, `connect`, …).
 */
export function parseAddress(family: number, address: unknown, fn: string): Target {
  if (family === AF_UNIX) return parseUnixPath(address, fn);
  const name = familyName(family);
  if (!Array.isArray(address)) {
    throw new TypeError(
      `${fn}(): ${name} address must be tuple, not ${pyTypeName(address, "tuple")}`,
    );
  }
  if (family === AF_INET && address.length !== 2) {
    throw new TypeError("AF_INET address must be a pair (host, port)");
  }
  if (family === AF_INET6 && (address.length < 2 || address.length > 4)) {
    throw new TypeError("AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])");
  }
  const [host, rawPort, rawFlowinfo = 0, rawScopeId = 0] = address;
  // Python's idna_converter runs first: the host's own errors come before the port's.
  if (typeof host !== "string") {
    throw new TypeError(`str, bytes or bytearray expected, not ${pyTypeName(host, "tuple")}`);
  }
  if (host.includes("\0")) throw new TypeError("host name must not contain null character");
  if (loneSurrogate(host) >= 0) throw new TypeError("encoding of hostname failed");
  // Python reads the port as a C int, then checks its range (OverflowError either way).
  let port: number;
  try {
    port = checkLong(rawPort);
  } catch (e) {
    if (e instanceof TypeError) throw e;
    port = -1;
  }
  if (port < 0 || port > 65535) throw new RangeError(`${fn}(): port must be 0-65535.`);
  let scopeId = 0;
  if (family === AF_INET6) {
    // Format `I`: both are taken modulo 2**32, then flowinfo's range is checked.
    const flowinfo = maskUInt(rawFlowinfo);
    if (flowinfo > 0xfffff) throw new RangeError(`${fn}(): flowinfo must be 0-1048575.`);
    scopeId = maskUInt(rawScopeId);
  }
  let hostname = host;
  if (host === "") hostname = family === AF_INET6 ? "::" : "0.0.0.0";
  else if (host === "<broadcast>") hostname = "255.255.255.255";
  else if (host === "localhost") hostname = family === AF_INET6 ? "::1" : "127.0.0.1";
  // glibc's resolver reads inet_aton's forms (`127.1`, `0x7f.1`) as IPv4 addresses.
  const aton = isIPv6(hostname) ? null : parseInetAton(hostname, true);
  if (family === AF_INET) {
    if (aton !== null) hostname = formatInet4(packInet4(aton));
    // and an IPv4-mapped IPv6 literal as its IPv4 address, for an AF_INET socket.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(hostname);
    if (mapped !== null && isIPv4(mapped[1])) hostname = mapped[1];
  }
  // The kernel uses a scope id only for link-local addresses.
  if (
    family === AF_INET6 && scopeId !== 0 && !hostname.includes("%") && /^fe[89ab]/i.test(hostname)
  ) {
    hostname = `${hostname}%${scopeId}`;
  }
  if ((family === AF_INET && isIPv6(hostname)) || (family === AF_INET6 && aton !== null)) {
    throw gaiError(EAI_ADDRFAMILY);
  }
  return { transport: "tcp", hostname, port };
}

/** Whether `target` names a host that must be looked up before connecting. */
export function needsLookup(target: Target): boolean {
  return target.transport === "tcp" && !isIPv4(target.hostname) && !isIPv6(target.hostname);
}

/**
 * Resolves a host name to an address of `family`, through the OS resolver
 * (so `/etc/hosts` works), as Python does before it connects.
 */
export async function resolve(family: number, target: Target): Promise<Target> {
  if (target.transport !== "tcp") return target;
  const { hostname } = target;
  if (isIPv4(hostname) || isIPv6(hostname)) return target;
  const { lookup } = await import("node:dns/promises");
  try {
    const { address } = await lookup(hostname, { family: family === AF_INET6 ? 6 : 4 });
    return { ...target, hostname: address };
  } catch (e) {
    throw fromDenoError(e);
  }
}

/** Deno's address as Python reports it for `family`. */
export function toAddress(family: number, addr: Deno.Addr | null): Address {
  if (addr === null) return emptyAddress(family);
  if (addr.transport === "unix" || addr.transport === "unixpacket") {
    return (addr as Deno.UnixAddr).path ?? "";
  }
  const { hostname, port } = addr as Deno.NetAddr;
  if (family === AF_INET6) {
    const at = hostname.indexOf("%");
    const host = at >= 0 ? hostname.slice(0, at) : hostname;
    const scope = at >= 0 ? Number(hostname.slice(at + 1)) || 0 : 0;
    return [isIPv4(host) ? `::ffff:${host}` : host, port, 0, scope];
  }
  return [hostname, port];
}

/** What `getsockname()` gives for a socket that has no address yet. */
export function emptyAddress(family: number): Address {
  if (family === AF_UNIX) return "";
  if (family === AF_INET6) return ["::", 0, 0, 0];
  return ["0.0.0.0", 0];
}
