/**
 * Socket options as Linux reads and writes them: the value forms
 * (`int`, `struct linger`, `struct timeval`), the kernel's defaults, the
 * option names for messages, and the error raised for an option Deno gives
 * no way to set. `socket.ts` decides which options a socket applies; this
 * file knows their shapes.
 *
 * What Deno can apply, found with `strace` on Deno 2.9.6:
 *
 * - `Deno.TcpConn`: `setNoDelay` (`TCP_NODELAY`), `setKeepAlive`
 *   (`SO_KEEPALIVE` only).
 * - `node:net` (`_node_conn.ts`): the same, plus `setKeepAlive(true, ms)`
 *   (`SO_KEEPALIVE` and `TCP_KEEPIDLE`), `resetAndDestroy()` (`SO_LINGER`
 *   `{1, 0}` then `close`: a RST), `localAddress` / `localPort` (`bind`
 *   before `connect`, with `SO_REUSEADDR` set as libuv does).
 * - Nothing built in sets `TCP_KEEPINTVL`, `TCP_KEEPCNT`, `IP_TTL` or
 *   `IP_TOS` on a TCP socket, nor a nonzero `SO_LINGER` timeout.
 *
 * @module
 */

import * as constants from "./constants.ts";
import { oserror } from "./_errno.ts";
import {
  EDOM,
  EINVAL,
  ENOPROTOOPT,
  EOPNOTSUPP,
  IPPROTO_IP,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  MSG_OOB,
  SOL_SOCKET,
} from "./constants.ts";
import { OSError } from "./errors.ts";

/** Constants named like options that are values, not options. */
const NOT_OPTIONS = new Set([
  "IP_DEFAULT_MULTICAST_TTL",
  "IP_DEFAULT_MULTICAST_LOOP",
  "IP_MAX_MEMBERSHIPS",
  "IPV6_RTHDR_TYPE_0",
]);

const PREFIXES: ReadonlyMap<number, RegExp> = new Map([
  [SOL_SOCKET, /^SO_/],
  [IPPROTO_TCP, /^TCP_/],
  [IPPROTO_IP, /^IP_/],
  [IPPROTO_IPV6, /^IPV6_/],
]);

/**
 * The name of option `optname` at `level` (`"TCP_KEEPINTVL"`), or `null`
 * when this module exports no such constant.
 */
export function optionName(level: number, optname: number): string | null {
  const prefix = PREFIXES.get(level);
  if (prefix === undefined) return null;
  for (const [name, value] of Object.entries(constants)) {
    if (value === optname && prefix.test(name) && !NOT_OPTIONS.has(name)) return name;
  }
  return null;
}

/**
 * The error for an option Deno gives no way to apply:
 * `[Errno 92] Protocol not available: TCP_KEEPINTVL cannot be set in Deno`.
 * An option without a name gets Linux's plain `ENOPROTOOPT`.
 *
 * @param level The option's level.
 * @param optname The option.
 * @param why What follows the name (default: "cannot be set in Deno").
 */
export function unavailable(
  level: number,
  optname: number,
  why = "cannot be set in Deno",
): OSError {
  const name = optionName(level, optname);
  if (name === null) return oserror(ENOPROTOOPT);
  return new OSError(ENOPROTOOPT, `Protocol not available: ${name} ${why}`);
}

/**
 * An `int` option's value as Linux reads it. `SOL_SOCKET` and `IPPROTO_TCP`
 * want at least four bytes; the IP levels take one (a `char`). Shorter
 * bytes: `EINVAL`.
 */
export function intValue(level: number, value: number | Uint8Array): number {
  if (typeof value === "number") return value;
  const min = level === IPPROTO_IP || level === IPPROTO_IPV6 ? 1 : 4;
  if (value.length < min) throw oserror(EINVAL);
  if (value.length < 4) return value[0];
  return new DataView(value.buffer, value.byteOffset, 4).getInt32(0, true);
}

/** `struct linger`: whether lingering is on, and for how many seconds. */
export interface Linger {
  /** `l_onoff`, normalised to 0 or 1 as Linux reports it. */
  onoff: number;
  /** `l_linger`, in seconds. */
  seconds: number;
}

/** A `struct linger` value (8 bytes at least; an integer is too short: `EINVAL`). */
export function lingerValue(value: number | Uint8Array): Linger {
  if (typeof value === "number" || value.length < 8) throw oserror(EINVAL);
  const view = new DataView(value.buffer, value.byteOffset, 8);
  return { onoff: view.getInt32(0, true) !== 0 ? 1 : 0, seconds: view.getInt32(4, true) };
}

/** `struct linger` as `getsockopt` returns it (8 bytes, native order). */
export function lingerBytes(linger: Linger): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, linger.onoff, true);
  view.setInt32(4, linger.seconds, true);
  return bytes;
}

/**
 * A `struct timeval` (`SO_RCVTIMEO`, `SO_SNDTIMEO`) in seconds: 16 bytes at
 * least (`EINVAL` otherwise); microseconds outside 0..999999 are `EDOM`, as
 * Linux. A negative time is zero (no timeout).
 */
export function timevalValue(value: number | Uint8Array): number {
  if (typeof value === "number" || value.length < 16) throw oserror(EINVAL);
  const view = new DataView(value.buffer, value.byteOffset, 16);
  const sec = Number(view.getBigInt64(0, true));
  const usec = Number(view.getBigInt64(8, true));
  if (usec < 0 || usec >= 1_000_000) throw oserror(EDOM);
  return sec < 0 ? 0 : sec + usec / 1e6;
}

/**
 * The kernel's value of a per-host default, from `/proc/sys/net/ipv4/`;
 * `fallback` (Linux's default) when it cannot be read (no `--allow-read`,
 * or not Linux). Read once, and never with a permission prompt.
 */
export function ipv4Sysctl(name: string, fallback: number): number {
  let value = sysctls.get(name);
  if (value === undefined) {
    value = fallback;
    const path = `/proc/sys/net/ipv4/${name}`;
    try {
      // Asked first, so that reading an option never prompts for permission.
      if (Deno.permissions.querySync({ name: "read", path }).state === "granted") {
        const text = Deno.readTextFileSync(path).trim();
        if (/^\d+$/.test(text)) {
          value = Number(text);
          known.add(name);
        }
      }
    } catch { /* not readable: Linux's default */ }
    sysctls.set(name, value);
  }
  return value;
}

const sysctls = new Map<string, number>();
const known = new Set<string>();

/**
 * Whether `ipv4Sysctl(name)` gave the host's real value (it could read
 * `/proc`), rather than Linux's default.
 */
export function sysctlKnown(name: string): boolean {
  return known.has(name);
}

/** `TCP_KEEPIDLE` of a socket that never set it (`tcp_keepalive_time`). */
export function keepIdleDefault(): number {
  return ipv4Sysctl("tcp_keepalive_time", 7200);
}

/**
 * Whether `value` is what the host gives every socket for `TCP_KEEPINTVL`,
 * `TCP_KEEPCNT` or `IP_TTL` (only when pysocket could read it): setting it
 * changes nothing.
 */
export function isHostDefault(option: "intvl" | "cnt" | "ttl", value: number): boolean {
  const [name, read] = option === "intvl"
    ? ["tcp_keepalive_intvl", keepIntervalDefault]
    : option === "cnt"
    ? ["tcp_keepalive_probes", keepCountDefault]
    : ["ip_default_ttl", ttlDefault];
  return read() === value && sysctlKnown(name);
}

/** `TCP_KEEPINTVL` of every socket here (`tcp_keepalive_intvl`). */
export function keepIntervalDefault(): number {
  return ipv4Sysctl("tcp_keepalive_intvl", 75);
}

/** `TCP_KEEPCNT` of every socket here (`tcp_keepalive_probes`). */
export function keepCountDefault(): number {
  return ipv4Sysctl("tcp_keepalive_probes", 9);
}

/** `IP_TTL` of every socket here (`ip_default_ttl`). */
export function ttlDefault(): number {
  return ipv4Sysctl("ip_default_ttl", 64);
}

/**
 * An option's value as `getsockopt(level, optname, buflen)` returns it:
 * an `int` as four bytes, a structure as its bytes, either cut to `buflen`
 * as the kernel does.
 */
export function optionBytes(value: number | Uint8Array, buflen: number): Uint8Array {
  let bytes = value;
  if (typeof bytes === "number") {
    bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setInt32(0, value as number, true);
  }
  return bytes.slice(0, Math.min(buflen, bytes.length));
}

/** An option's value as `getsockopt(level, optname)` returns it: the first `int`. */
export function optionInt(value: number | Uint8Array): number {
  if (typeof value === "number") return value;
  return new DataView(value.buffer, value.byteOffset, 4).getInt32(0, true);
}

/**
 * The error for `MSG_*` flags Deno gives no way to pass: `EOPNOTSUPP`,
 * naming them (`MSG_OOB`: Deno can neither send nor receive urgent data).
 *
 * @param flags The unsupported bits.
 */
export function unsupportedFlags(flags: number): OSError {
  const names: string[] = [];
  for (const [name, value] of Object.entries(constants)) {
    if (name.startsWith("MSG_") && typeof value === "number" && (flags & value) === value) {
      if (value !== 0 && !names.some((n) => (constants as Record<string, unknown>)[n] === value)) {
        names.push(name);
      }
    }
  }
  if (names.length === 0) return oserror(EOPNOTSUPP);
  const why = (flags & MSG_OOB) !== 0
    ? "(Deno can neither send nor receive TCP urgent data)"
    : "(Deno passes no flags to the kernel)";
  return new OSError(
    EOPNOTSUPP,
    `Operation not supported: ${names.join(" | ")} cannot be used in Deno ${why}`,
  );
}
