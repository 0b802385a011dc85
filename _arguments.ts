// Copyright 2025 the pysocket authors. MIT license.

/**
 * Argument checks for the module-level functions, with the messages
 * Python's argument parser (`PyArg_ParseTuple`) gives. A JavaScript number
 * stands for a Python `int` when it is an integer and for a `float`
 * otherwise; a `bigint` is an `int`; `null`/`undefined` is `None`.
 *
 * @module
 */

import { loneSurrogate, pyRepr, surrogateError } from "./_pytype.ts";

/** Python's name for the type of a JavaScript value, for error messages. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (Array.isArray(value)) return "tuple";
  if (value instanceof Uint8Array) return "bytes";
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return "bytearray";
  }
  switch (typeof value) {
    case "string":
      return "str";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "bigint":
      return "int";
    case "boolean":
      return "bool";
    case "function":
      return "function";
    default:
      return "dict";
  }
}

/** What Python prints for `None` in "must be str, not None" messages. */
function shortTypeName(value: unknown): string {
  return value === null || value === undefined ? "None" : pyTypeName(value);
}

/**
 * A Python `int` argument as a bigint (`True`/`False` count as 1/0, as in
 * Python), or a `TypeError` "'float' object cannot be interpreted as an
 * integer".
 */
export function toPyInt(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "boolean") return value ? 1n : 0n;
  if (typeof value === "number" && Number.isInteger(value)) {
    return BigInt(value);
  }
  throw new TypeError(
    `'${pyTypeName(value)}' object cannot be interpreted as an integer`,
  );
}

/**
 * A C `long` argument (Python's format `l`): a 64-bit signed integer, else
 * `RangeError` "Python int too large to convert to C long".
 */
export function toCLong(value: unknown): bigint {
  const n = toPyInt(value);
  if (n > 0x7fffffffffffffffn || n < -0x8000000000000000n) {
    throw new RangeError("Python int too large to convert to C long");
  }
  return n;
}

/**
 * A C `int` argument (Python's format `i`), with Python's overflow
 * messages.
 */
export function toCInt(value: unknown): number {
  const n = toCLong(value);
  if (n > 0x7fffffffn) {
    throw new RangeError("signed integer is greater than maximum");
  }
  if (n < -0x80000000n) {
    throw new RangeError("signed integer is less than minimum");
  }
  return Number(n);
}

/**
 * A C `unsigned int` argument without overflow check (Python's format `I`):
 * the value modulo 2**32.
 */
export function toCUIntMask(value: unknown): number {
  return Number(BigInt.asUintN(32, toPyInt(value)));
}

/**
 * A `str` argument (Python's format `s`): `TypeError` "<fn>() argument <n>
 * must be str, not <type>", and `RangeError` "embedded null character".
 */
export function toStr(value: unknown, fn: string, position: number): string {
  if (typeof value !== "string") {
    throw new TypeError(
      `${fn}() argument ${position} must be str, not ${shortTypeName(value)}`,
    );
  }
  const error = surrogateError(value);
  if (error !== null) throw error;
  if (value.includes("\0")) throw new RangeError("embedded null character");
  return value;
}

/**
 * A bytes-like argument (Python's format `y*`) as a Uint8Array view of the
 * same memory: `TypeError` "a bytes-like object is required, not '<type>'".
 */
export function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError(
    `a bytes-like object is required, not '${pyTypeName(value)}'`,
  );
}

/**
 * What Python's idna codec does to an ASCII host name before the resolver
 * sees it: each label but the last must be 1-63 characters, the last at most
 * 63 (it may be empty: a trailing dot). Non-ASCII names are converted to
 * their `xn--` form with the URL standard's IDNA processing (UTS #46), which
 * agrees with Python's IDNA 2003 codec on ordinary names.
 *
 * Errors are Python's `UnicodeError` (a `ValueError`), as `RangeError`:
 * "encoding with 'idna' codec failed (UnicodeError: label empty or too
 * long)".
 */
export function idnaEncode(host: string): string {
  const fail = (why: string) =>
    new RangeError(
      `encoding with 'idna' codec failed (UnicodeError: ${why})`,
    );
  if (host === "") return host;
  const bad = loneSurrogate(host);
  if (bad >= 0) throw fail(`Invalid character ${pyRepr(Array.from(host)[bad])}`);
  // deno-lint-ignore no-control-regex
  if (!/^[\x00-\x7f]*$/.test(host)) {
    let ascii: string;
    try {
      ascii = new URL(`http://${host}/`).hostname;
    } catch {
      throw fail("label empty or too long");
    }
    if (ascii.endsWith(".") && !host.endsWith(".")) ascii = ascii.slice(0, -1);
    host = ascii;
  }
  const labels = host.split(".");
  for (const label of labels.slice(0, -1)) {
    if (label.length === 0 || label.length > 63) {
      throw fail("label empty or too long");
    }
  }
  if (labels[labels.length - 1].length > 63) throw fail("label too long");
  return host;
}

/** A C string: what the C library sees of `s` (up to the first NUL). */
export function cString(s: string): string {
  const at = s.indexOf("\0");
  return at === -1 ? s : s.slice(0, at);
}
