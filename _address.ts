/**
 * Socket addresses: checking the address a program passes (with Python's
 * errors), resolving its host for the socket's family, and turning Deno's
 * addresses back into Python's tuples.
 *
 * @module
 */

import { AF_INET, AF_INET6, AF_UNIX, EAI_ADDRFAMILY } from "./constants.ts";
import { fromDenoError, gaiError } from "./_errno.ts";
import { checkInt, pyTypeName } from "./_pytype.ts";

/** An address as Python writes it: `[host, port]`, `[host, port, flowinfo, scope_id]` or a path. */
export type Address =
  | [host: string, port: number]
  | [host: string, port: number, flowinfo: number, scope_id: number]
  | string;

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

/**
 * Checks `address` for `family` as Python's `getsockaddrarg` does, with its
 * messages; `fn` names the calling method (`bind`, `connect`, …).
 */
export function parseAddress(family: number, address: unknown, fn: string): Target {
  if (family === AF_UNIX) {
    if (address instanceof Uint8Array) address = new TextDecoder().decode(address);
    if (typeof address !== "string") {
      throw new TypeError(`a bytes-like object is required, not '${pyTypeName(address, "tuple")}'`);
    }
    if (address.length === 0 || address[0] === "\0") {
      throw new TypeError("pysocket: abstract unix socket addresses are not supported by Deno");
    }
    return { transport: "unix", path: address };
  }
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
  const [host, port, flowinfo = 0, scopeId = 0] = address;
  if (typeof host !== "string") {
    throw new TypeError(`str, bytes or bytearray expected, not ${pyTypeName(host, "tuple")}`);
  }
  checkInt(port);
  if (port < 0 || port > 65535) throw new RangeError(`${fn}(): port must be 0-65535.`);
  if (family === AF_INET6) {
    checkInt(flowinfo);
    if (flowinfo < 0 || flowinfo > 0xfffff) {
      throw new RangeError(`${fn}(): flowinfo must be 0-1048575.`);
    }
    checkInt(scopeId);
  }
  let hostname = host;
  if (host === "") hostname = family === AF_INET6 ? "::" : "0.0.0.0";
  else if (host === "<broadcast>") hostname = "255.255.255.255";
  else if (host === "localhost") hostname = family === AF_INET6 ? "::1" : "127.0.0.1";
  if (family === AF_INET6 && scopeId !== 0 && !hostname.includes("%")) {
    hostname = `${hostname}%${scopeId}`;
  }
  if ((family === AF_INET && isIPv6(hostname)) || (family === AF_INET6 && isIPv4(hostname))) {
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
