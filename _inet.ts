// Copyright 2025 the pysocket authors. MIT license.

/**
 * Text ↔ binary IP addresses, following glibc's parsers and formatter
 * (`inet_aton`, `inet_pton`, `inet_ntop`), which is what Python's socket
 * module calls on Linux. Private: the public functions are in
 * `functions.ts`.
 *
 * @module
 */

const HEX = /^[0-9a-fA-F]$/;

// glibc's isspace() in the C locale.
function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\v" || c === "\f" ||
    c === "\r";
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

// One part of an inet_aton address, as glibc reads it with strtoul(s, &end, 0):
// "0x…" hexadecimal, "0…" octal, else decimal. Returns the value and where
// the digits stopped; null when the value exceeds 32 bits (strtoul's ERANGE
// or inet_aton's own "ul > 0xffffffff" check: both reject).
function strtoul0(s: string, at: number): [value: number, end: number] | null {
  let base = 10;
  let i = at;
  if (s[i] === "0") {
    if ((s[i + 1] === "x" || s[i + 1] === "X") && HEX.test(s[i + 2] ?? "")) {
      base = 16;
      i += 2;
    } else {
      base = 8;
    }
  }
  let value = 0;
  for (; i < s.length; i++) {
    const d = parseInt(s[i], base);
    if (Number.isNaN(d)) break;
    value = value * base + d;
    if (value > 0xffffffff) {
      // Keep consuming digits (strtoul does) but the result is an error.
      while (i < s.length && !Number.isNaN(parseInt(s[i], base))) i++;
      return null;
    }
  }
  return [value, i];
}

/**
 * glibc's `inet_aton`: the lenient IPv4 forms `a.b.c.d`, `a.b.c` (c is 16
 * bits), `a.b` (b is 24 bits) and `a` (32 bits), each part decimal, octal
 * (leading `0`) or hexadecimal (leading `0x`).
 *
 * With `exact` false (the `inet_aton()` function), anything after a
 * whitespace character that follows the address is ignored, as glibc does;
 * with `exact` true (what `getaddrinfo()` uses) the whole string must be the
 * address.
 *
 * @returns The address as an unsigned 32-bit number, or null.
 */
export function parseInetAton(s: string, exact: boolean): number | null {
  const parts: number[] = [];
  let at = 0;
  let value: number;
  for (;;) {
    if (!isDigit(s[at])) return null;
    const parsed = strtoul0(s, at);
    if (parsed === null) return null;
    [value, at] = parsed;
    if (s[at] !== ".") break;
    if (parts.length > 2 || value > 0xff) return null;
    parts.push(value);
    at++;
  }
  if (at < s.length && (exact || !isSpace(s[at]))) return null;
  const max = [0xffffffff, 0xffffff, 0xffff, 0xff][parts.length];
  if (value > max) return null;
  let result = 0;
  for (let i = 0; i < parts.length; i++) result += parts[i] * 2 ** (24 - 8 * i);
  return result + value;
}

/** An unsigned 32-bit IPv4 address as 4 bytes in network order. */
export function packInet4(value: number): Uint8Array {
  return new Uint8Array([
    value >>> 24,
    (value >>> 16) & 0xff,
    (value >>> 8) & 0xff,
    value & 0xff,
  ]);
}

/**
 * glibc's `inet_pton(AF_INET, …)`: exactly four decimal parts of 0-255,
 * without leading zeros.
 *
 * @returns The 4 bytes, or null.
 */
export function parseInet4(s: string): Uint8Array | null {
  const out = new Uint8Array(4);
  let octets = 0;
  let sawDigit = false;
  let current = 0;
  for (const ch of s) {
    if (ch >= "0" && ch <= "9") {
      const next = current * 10 + (ch.charCodeAt(0) - 48);
      if (sawDigit && current === 0) return null; // leading zero
      if (next > 255) return null;
      current = next;
      if (!sawDigit) {
        if (++octets > 4) return null;
        sawDigit = true;
      }
      out[octets - 1] = current;
    } else if (ch === "." && sawDigit) {
      if (octets === 4) return null;
      sawDigit = false;
      current = 0;
    } else {
      return null;
    }
  }
  return octets === 4 && sawDigit ? out : null;
}

/**
 * glibc's `inet_pton(AF_INET6, …)`: eight groups of at most four hex digits,
 * one `::` for a run of zero groups, an IPv4 dotted quad allowed in place of
 * the last two groups. No scope id (`%eth0`): that is not part of the
 * address for `inet_pton`.
 *
 * @returns The 16 bytes, or null.
 */
export function parseInet6(s: string): Uint8Array | null {
  const out = new Uint8Array(16);
  let tp = 0;
  let colonAt = -1;
  let i = 0;
  if (s.length === 0) return null;
  if (s[0] === ":") {
    i++;
    if (s[i] !== ":") return null;
  }
  let token = i;
  let digits = 0;
  let value = 0;
  while (i < s.length) {
    const ch = s[i++];
    if (HEX.test(ch)) {
      if (digits === 4) return null;
      value = (value << 4) | parseInt(ch, 16);
      digits++;
      continue;
    }
    if (ch === ":") {
      token = i;
      if (digits === 0) {
        if (colonAt >= 0) return null;
        colonAt = tp;
        continue;
      } else if (i === s.length) {
        return null;
      }
      if (tp + 2 > 16) return null;
      out[tp++] = value >> 8;
      out[tp++] = value & 0xff;
      digits = 0;
      value = 0;
      continue;
    }
    if (ch === "." && tp + 4 <= 16) {
      const v4 = parseInet4(s.slice(token));
      if (v4 === null) return null;
      out.set(v4, tp);
      tp += 4;
      digits = 0;
      break;
    }
    return null;
  }
  if (digits > 0) {
    if (tp + 2 > 16) return null;
    out[tp++] = value >> 8;
    out[tp++] = value & 0xff;
  }
  if (colonAt >= 0) {
    if (tp === 16) return null; // "::" would stand for no group at all
    const tail = out.slice(colonAt, tp);
    out.fill(0, colonAt);
    out.set(tail, 16 - tail.length);
    tp = 16;
  }
  return tp === 16 ? out : null;
}

/** 4 bytes as a dotted quad (`inet_ntop(AF_INET, …)`). */
export function formatInet4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/**
 * 16 bytes as glibc's `inet_ntop(AF_INET6, …)` writes them: lowercase hex
 * without leading zeros, the first longest run of two or more zero groups
 * as `::`, and the dotted-quad tail for IPv4-compatible (`::1.2.3.4`) and
 * IPv4-mapped (`::ffff:1.2.3.4`) addresses.
 */
export function formatInet6(bytes: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i] << 8) | bytes[i + 1]);
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else {
        curLen++;
      }
    } else if (curBase !== -1) {
      if (curLen > bestLen) [bestBase, bestLen] = [curBase, curLen];
      curBase = -1;
    }
  }
  if (curBase !== -1 && curLen > bestLen) {
    [bestBase, bestLen] = [curBase, curLen];
  }
  if (bestLen < 2) bestBase = -1;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    if (
      i === 6 && bestBase === 0 &&
      (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))
    ) {
      out += formatInet4(bytes.subarray(12));
      break;
    }
    out += words[i].toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ":";
  return out;
}

/** Whether 16 bytes are an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`). */
export function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** Whether 16 bytes are a link-local unicast or multicast address. */
export function isLinkLocal6(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80) ||
    (bytes[0] === 0xff && (bytes[1] & 0x0f) === 0x02);
}
