// Copyright 2025 the pysocket authors. MIT license.

/**
 * The resolver behind `getaddrinfo()` and friends: glibc's `getaddrinfo`
 * rules (numeric hosts, service names, the socket types it returns, the
 * error codes and their order) written out in TypeScript, with host names
 * handed to the OS resolver through `node:dns` (Deno's `lookup` and
 * `lookupService` call the C library's `getaddrinfo` / `getnameinfo`, so
 * `/etc/hosts`, `nsswitch.conf` and search domains apply, as in Python;
 * `Deno.resolveDns` would not: it is a DNS client).
 *
 * `node:dns` only gives addresses, so what it cannot (which socket types
 * and protocols go with an address, service names, numeric hosts with
 * lenient IPv4 forms and scope ids, `AI_V4MAPPED`, `AI_ADDRCONFIG`, the
 * canonical name) is done here, after glibc.
 *
 * @module
 */

import { lookup, lookupService } from "node:dns/promises";
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  AI_ADDRCONFIG,
  AI_ALL,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_NUMERICSERV,
  AI_PASSIVE,
  AI_V4MAPPED,
  EAI_ADDRFAMILY,
  EAI_AGAIN,
  EAI_BADFLAGS,
  EAI_FAMILY,
  EAI_NONAME,
  EAI_SERVICE,
  EAI_SOCKTYPE,
  IPPROTO_SCTP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_SEQPACKET,
  SOCK_STREAM,
} from "./constants.ts";
import { fromDenoError, gaiError } from "./_errno.ts";
import { gaierror } from "./errors.ts";
import { findService, hostsByName, interfaceIndex } from "./_netdb.ts";
import {
  formatInet4,
  formatInet6,
  isLinkLocal6,
  isV4Mapped,
  packInet4,
  parseInet6,
  parseInetAton,
} from "./_inet.ts";

const linux = Deno.build.os === "linux";

// Linux-only values glibc knows and constants.ts does not export.
const SOCK_DCCP = 6;
const IPPROTO_DCCP = 33;
const IPPROTO_UDPLITE = 136;
// AI_IDN, AI_CANONIDN and the two deprecated IDN flags: accepted by glibc.
const GLIBC_IDN_FLAGS = 0x40 | 0x80 | 0x100 | 0x200;

const KNOWN_FLAGS = AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST |
  AI_ADDRCONFIG | AI_V4MAPPED | AI_NUMERICSERV | AI_ALL |
  (linux ? GLIBC_IDN_FLAGS : 0);

/** One (socket type, protocol) pair of glibc's `gaih_inet_typeproto` table. */
interface TypeProto {
  type: number;
  proto: number;
  /** Any protocol number is accepted and returned as asked (SOCK_RAW). */
  protoAny: boolean;
  /** A service name or port cannot go with it (SOCK_RAW). */
  noService: boolean;
  /** Returned when neither a socket type nor a protocol is asked for. */
  byDefault: boolean;
  /** Its protocol's name in the services database. */
  name: string;
}

// glibc's table, in its order: the order of the entries getaddrinfo returns
// for one address.
const TYPE_PROTOS: readonly TypeProto[] = [
  tp(SOCK_STREAM, IPPROTO_TCP, "tcp", true),
  tp(SOCK_DGRAM, IPPROTO_UDP, "udp", true),
  tp(SOCK_DCCP, IPPROTO_DCCP, "dccp", false),
  tp(SOCK_DGRAM, IPPROTO_UDPLITE, "udplite", false),
  tp(SOCK_STREAM, IPPROTO_SCTP, "sctp", false),
  tp(SOCK_SEQPACKET, IPPROTO_SCTP, "sctp", false),
  {
    type: SOCK_RAW,
    proto: 0,
    protoAny: true,
    noService: true,
    byDefault: true,
    name: "raw",
  },
];

function tp(
  type: number,
  proto: number,
  name: string,
  byDefault: boolean,
): TypeProto {
  return { type, proto, protoAny: false, noService: false, byDefault, name };
}

/** A resolved address: 4 or 16 bytes and, for IPv6, its scope id. */
export interface HostAddress {
  family: 4 | 6;
  bytes: Uint8Array;
  scopeId: number;
}

/** One `getaddrinfo` result, before it becomes Python's tuple. */
export interface AddrInfoEntry {
  family: number;
  type: number;
  proto: number;
  canonname: string;
  address: HostAddress;
  port: number;
}

/** An address as Python's sockaddr tuple. */
export function sockaddrOf(
  address: HostAddress,
  port: number,
): [string, number] | [string, number, number, number] {
  return address.family === 4
    ? [formatInet4(address.bytes), port]
    : [formatInet6(address.bytes), port, 0, address.scopeId];
}

/** The socket family constant of an address. */
export function familyOf(address: HostAddress): number {
  return address.family === 4 ? AF_INET : AF_INET6;
}

// glibc's isspace() in the C locale.
const SPACE = /[ \t\n\v\f\r]/;

// A service as glibc's getaddrinfo reads it: strtoul(service, &end, 10) and
// a name unless the whole string was consumed; the result is stored in an
// int, so a negative value (from "-1", or a number ≥ 2**31) also makes the
// string a name. Returns the port (the low 16 bits, as htons keeps) or the
// name.
function parseService(service: string): number | string {
  let i = 0;
  while (i < service.length && SPACE.test(service[i])) i++;
  let negative = false;
  if (service[i] === "+" || service[i] === "-") {
    negative = service[i] === "-";
    i++;
  }
  const start = i;
  while (i < service.length && service[i] >= "0" && service[i] <= "9") i++;
  // No digits: strtoul leaves `end` at the start of the string.
  if (i === start || i !== service.length) return service;
  let value = BigInt(service.slice(start, i));
  if (value > 0xffffffffffffffffn) value = 0xffffffffffffffffn; // ERANGE
  else if (negative) value = BigInt.asUintN(64, -value);
  const asInt = BigInt.asIntN(32, value);
  if (asInt < 0n) return service;
  return Number(asInt & 0xffffn);
}

interface ServTuple {
  type: number;
  proto: number;
  port: number;
}

// glibc's gaih_inet, first half: which socket types and protocols, on which
// port. Throws the gaierror glibc returns.
function servTuples(
  service: string | null,
  type: number,
  proto: number,
  flags: number,
): ServTuple[] {
  let chosen: TypeProto | undefined;
  if (type !== 0 || proto !== 0) {
    chosen = TYPE_PROTOS.find((t) =>
      (type === 0 || type === t.type) &&
      (proto === 0 || t.protoAny || proto === t.proto)
    );
    if (chosen === undefined) {
      throw gaiError(type !== 0 ? EAI_SOCKTYPE : EAI_SERVICE);
    }
  }
  let port = 0;
  if (service !== null) {
    const parsed = parseService(service);
    if (typeof parsed === "string" && (flags & AI_NUMERICSERV) !== 0) {
      throw gaiError(EAI_NONAME);
    }
    if (chosen?.noService) throw gaiError(EAI_SERVICE);
    if (typeof parsed === "string") {
      if (chosen !== undefined) {
        const entry = findService(parsed, chosen.name);
        if (entry === undefined) throw gaiError(EAI_SERVICE);
        return [{
          type: chosen.type,
          proto: chosen.protoAny ? proto : chosen.proto,
          port: entry.port,
        }];
      }
      const tuples: ServTuple[] = [];
      for (const t of TYPE_PROTOS) {
        if (t.noService) continue;
        const entry = findService(parsed, t.name);
        if (entry !== undefined) {
          tuples.push({ type: t.type, proto: t.proto, port: entry.port });
        }
      }
      if (tuples.length === 0) throw gaiError(EAI_SERVICE);
      return tuples;
    }
    port = parsed;
  }
  if (chosen !== undefined) {
    return [{
      type: chosen.type,
      proto: chosen.protoAny ? proto : chosen.proto,
      port,
    }];
  }
  return TYPE_PROTOS.filter((t) => t.byDefault).map((t) => ({
    type: t.type,
    proto: t.proto,
    port,
  }));
}

// glibc's __inet6_scopeid_pton: an interface name (for link-local and
// node-local addresses) or a decimal number up to 2**32 - 1.
function parseScope(bytes: Uint8Array, scope: string): number | null {
  const nodeLocal = bytes[0] === 0xff && (bytes[1] & 0x0f) === 0x01;
  if (isLinkLocal6(bytes) || nodeLocal) {
    const index = interfaceIndex(scope);
    if (index !== 0) return index;
  }
  if (/^\d+$/.test(scope)) {
    const n = Number(scope);
    if (n <= 0xffffffff) return n;
  }
  return null;
}

/**
 * A numeric host as glibc's getaddrinfo accepts it (the exact `inet_aton`
 * forms, then IPv6 with an optional `%scope`), converted for `family` as
 * glibc does. Returns undefined when `host` is not numeric.
 */
export function numericHost(
  host: string,
  family: number,
  flags: number,
): HostAddress | undefined {
  const v4 = parseInetAton(host, true);
  if (v4 !== null) {
    const bytes = packInet4(v4);
    if (family === AF_UNSPEC || family === AF_INET) {
      return { family: 4, bytes, scopeId: 0 };
    }
    if (family === AF_INET6 && (flags & AI_V4MAPPED) !== 0) {
      return { family: 6, bytes: mapV4(bytes), scopeId: 0 };
    }
    throw gaiError(EAI_ADDRFAMILY);
  }
  const percent = host.indexOf("%");
  const bytes = parseInet6(percent === -1 ? host : host.slice(0, percent));
  if (bytes === null) return undefined;
  let result: HostAddress;
  if (family === AF_UNSPEC || family === AF_INET6) {
    result = { family: 6, bytes, scopeId: 0 };
  } else if (family === AF_INET && isV4Mapped(bytes)) {
    result = { family: 4, bytes: bytes.slice(12), scopeId: 0 };
  } else {
    throw gaiError(EAI_ADDRFAMILY);
  }
  if (percent !== -1) {
    const scopeId = parseScope(bytes, host.slice(percent + 1));
    if (scopeId === null) throw gaiError(EAI_NONAME);
    if (result.family === 6) result.scopeId = scopeId;
  }
  return result;
}

function mapV4(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out[10] = out[11] = 0xff;
  out.set(bytes, 12);
  return out;
}

// Which families have a configured address that is not loopback, for
// AI_ADDRCONFIG (glibc's __check_pf). Without permission to list the
// interfaces, both count as configured (no filtering).
function configuredFamilies(): { v4: boolean; v6: boolean } {
  try {
    const status = Deno.permissions.querySync({
      name: "sys",
      kind: "networkInterfaces",
    });
    if (status.state !== "granted") return { v4: true, v6: true };
    let v4 = false;
    let v6 = false;
    for (const i of Deno.networkInterfaces()) {
      if (i.family === "IPv4" && i.address !== "127.0.0.1") v4 = true;
      if (i.family === "IPv6" && i.address !== "::1") v6 = true;
    }
    return { v4, v6 };
  } catch {
    return { v4: true, v6: true };
  }
}

// The OS resolver's addresses for a name, in its order.
async function lookupAddresses(
  name: string,
  family: 4 | 6 | 0,
): Promise<HostAddress[]> {
  let found: { address: string; family: number }[];
  try {
    found = await lookup(name, {
      all: true,
      family,
      order: "verbatim",
      verbatim: true,
    });
  } catch (e) {
    throw fromDenoError(e);
  }
  const out: HostAddress[] = [];
  for (const { address } of found) {
    const parsed = numericHost(address, AF_UNSPEC, 0);
    if (parsed !== undefined && (family === 0 || parsed.family === family)) {
      out.push(parsed);
    }
  }
  if (out.length === 0) throw gaiError(EAI_NONAME);
  return out;
}

function isNoName(e: unknown): boolean {
  return e instanceof gaierror && e.errno === EAI_NONAME;
}

// A host name through the OS resolver, for `family`, with glibc's
// AI_V4MAPPED / AI_ALL handling for AF_INET6.
async function resolveName(
  name: string,
  family: number,
  flags: number,
): Promise<HostAddress[]> {
  if (name === "") throw gaiError(EAI_NONAME);
  if (family === AF_INET) return await lookupAddresses(name, 4);
  if (family === AF_UNSPEC) return await lookupAddresses(name, 0);
  if ((flags & AI_V4MAPPED) === 0) return await lookupAddresses(name, 6);
  let v6: HostAddress[] = [];
  try {
    v6 = await lookupAddresses(name, 6);
  } catch (e) {
    if (!isNoName(e)) throw e;
  }
  if (v6.length > 0 && (flags & AI_ALL) === 0) return v6;
  let v4: HostAddress[] = [];
  try {
    v4 = await lookupAddresses(name, 4);
  } catch (e) {
    if (v6.length === 0 || !isNoName(e)) throw e;
  }
  return [
    ...v6,
    ...v4.map((a): HostAddress => ({
      family: 6,
      bytes: mapV4(a.bytes),
      scopeId: 0,
    })),
  ];
}

// The canonical name of a host name: the official name of its first line in
// /etc/hosts (glibc's files backend), else the name itself (what glibc
// reports for a DNS name without a CNAME; a CNAME target is not available
// through node:dns).
function canonicalName(name: string, family: number): string {
  const wanted = family === AF_INET ? 4 : family === AF_INET6 ? 6 : 0;
  return hostsByName(name, wanted)[0]?.names[0] ?? name;
}

/**
 * glibc's `getaddrinfo(host, service, hints)`, on arguments that Python has
 * already converted: `host` and `service` are C strings or null.
 *
 * @throws {gaierror} With glibc's code, as Python raises it.
 */
export async function getaddrinfoRaw(
  host: string | null,
  service: string | null,
  family: number,
  type: number,
  proto: number,
  flags: number,
): Promise<AddrInfoEntry[]> {
  if (host === null && service === null) throw gaiError(EAI_NONAME);
  if ((flags & ~KNOWN_FLAGS) !== 0) throw gaiError(EAI_BADFLAGS);
  if ((flags & AI_CANONNAME) !== 0 && host === null) {
    throw gaiError(EAI_BADFLAGS);
  }
  if (family !== AF_UNSPEC && family !== AF_INET && family !== AF_INET6) {
    throw gaiError(EAI_FAMILY);
  }
  if ((flags & AI_ADDRCONFIG) !== 0) {
    const seen = configuredFamilies();
    if (family === AF_UNSPEC && (seen.v4 || seen.v6)) {
      if (seen.v4 !== seen.v6) family = seen.v4 ? AF_INET : AF_INET6;
    } else if (
      (family === AF_INET && !seen.v4) || (family === AF_INET6 && !seen.v6)
    ) {
      throw gaiError(EAI_NONAME);
    }
  }
  // glibc treats an empty service as no service.
  const tuples = servTuples(
    service === "" ? null : service,
    type,
    proto,
    flags,
  );

  let addresses: HostAddress[];
  let canonname = "";
  if (host === null) {
    // The wildcard (AI_PASSIVE) or loopback address of each family, in the
    // order glibc's RFC 3484 sort puts them with the default gai.conf:
    // ::1 before 127.0.0.1, but 0.0.0.0 before ::.
    const passive = (flags & AI_PASSIVE) !== 0;
    const v6: HostAddress = {
      family: 6,
      bytes: passive ? new Uint8Array(16) : parseInet6("::1")!,
      scopeId: 0,
    };
    const v4: HostAddress = {
      family: 4,
      bytes: packInet4(passive ? 0 : 0x7f000001),
      scopeId: 0,
    };
    addresses = family === AF_INET
      ? [v4]
      : family === AF_INET6
      ? [v6]
      : passive
      ? [v4, v6]
      : [v6, v4];
  } else {
    const numeric = numericHost(host, family, flags);
    if (numeric !== undefined) {
      addresses = [numeric];
      canonname = host;
    } else {
      if ((flags & AI_NUMERICHOST) !== 0) throw gaiError(EAI_NONAME);
      addresses = await resolveName(host, family, flags);
      if ((flags & AI_CANONNAME) !== 0) canonname = canonicalName(host, family);
    }
  }

  const entries: AddrInfoEntry[] = [];
  for (const address of addresses) {
    for (const t of tuples) {
      entries.push({
        family: familyOf(address),
        type: t.type,
        proto: t.proto,
        canonname: entries.length === 0 && (flags & AI_CANONNAME) !== 0 ? canonname : "",
        address,
        port: t.port,
      });
    }
  }
  return entries;
}

/**
 * The host name for an address through the OS resolver (`getnameinfo` with
 * `NI_NAMEREQD`), or null when it has none.
 *
 * @throws {gaierror} EAI_AGAIN when the resolver could not be reached.
 */
export async function reverseName(
  address: HostAddress,
): Promise<string | null> {
  const text = address.family === 4 ? formatInet4(address.bytes) : formatInet6(address.bytes);
  try {
    const { hostname } = await lookupService(text, 0);
    return hostname;
  } catch (e) {
    const err = fromDenoError(e);
    if (err instanceof gaierror && err.errno === EAI_AGAIN) throw err;
    return null;
  }
}
