/**
 * Python's names for JavaScript values, for the messages of the
 * `TypeError`s that bad arguments raise, and the integer check Python's
 * argument parser makes.
 *
 * @module
 */

import { UnicodeEncodeError } from "./_text.ts";

/**
 * The name of the Python type a JavaScript value stands for: a number is an
 * `int` or a `float`, `null`/`undefined` is `None`, an array is a `list` or,
 * where Python expects an address, a `tuple`.
 */
export function pyTypeName(value: unknown, arrays: "list" | "tuple" = "list"): string {
  if (value === null || value === undefined) return "NoneType";
  if (Array.isArray(value)) return arrays;
  if (value instanceof Uint8Array) return "bytes";
  switch (typeof value) {
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "object": {
      // A plain object stands for a dict.
      const name = value.constructor?.name ?? "dict";
      return name === "Object" ? "dict" : name;
    }
  }
  return typeof value;
}

/**
 * `value` as an integer (`true`/`false` count as 1/0, as Python's `bool` is
 * an `int`), else Python's `TypeError`.
 */
export function checkInt(value: unknown): number {
  if (typeof value === "boolean") return Number(value);
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
  }
  return value;
}

// 2**63: the first integer past C's `long` (and `ssize_t`) on 64-bit Linux.
const LONG_END = 2 ** 63;

/** A C `long` (Python's `PyLong_AsLong`): an integer, else `TypeError` / Python's `OverflowError`. */
export function checkLong(value: unknown, cType = "long"): number {
  const n = checkInt(value);
  if (n >= LONG_END || n < -LONG_END) {
    throw new RangeError(`Python int too large to convert to C ${cType}`);
  }
  return n;
}

/** A C `int` read by `PyArg_Parse`'s format `i`, with its overflow messages. */
export function checkIntArg(value: unknown): number {
  const n = checkLong(value);
  if (n > 0x7fffffff) throw new RangeError("signed integer is greater than maximum");
  if (n < -0x80000000) throw new RangeError("signed integer is less than minimum");
  return n;
}

/** A C `int` read by `_PyLong_AsInt` (`socket()`'s arguments, `shutdown()`). */
export function checkCInt(value: unknown): number {
  const n = checkInt(value);
  if (n > 0x7fffffff || n < -0x80000000) {
    throw new RangeError("Python int too large to convert to C int");
  }
  return n;
}

/** A C `unsigned int` read by format `I`: no overflow check, the value modulo 2**32. */
export function maskUInt(value: unknown): number {
  return Number(BigInt.asUintN(32, BigInt(checkInt(value))));
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Where `text` has a lone surrogate (which UTF-8 cannot encode), counted in
 * code points as Python counts; -1 if none.
 */
export function loneSurrogate(text: string): number {
  const match = LONE_SURROGATE.exec(text);
  if (match === null) return -1;
  return Array.from(text.slice(0, match.index)).length;
}

/**
 * Python's `UnicodeEncodeError` for encoding `text` to UTF-8 (strict), which
 * fails on lone surrogates: the run of them at the first one, with code
 * point positions as Python gives; `null` when `text` encodes.
 */
export function surrogateError(text: string): UnicodeEncodeError | null {
  const start = loneSurrogate(text);
  if (start < 0) return null;
  const chars = Array.from(text);
  let end = start + 1;
  while (end < chars.length && /^[\ud800-\udfff]$/.test(chars[end])) end++;
  return new UnicodeEncodeError("utf-8", text, start, end, "surrogates not allowed");
}

/**
 * Python's `repr()` of the values an address holds: a `str` (quoted as
 * Python quotes it), an `int`, `None`, `bytes`, or a tuple of them.
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => pyRepr(v));
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
  }
  if (value instanceof Uint8Array) {
    let out = "";
    for (const b of value) {
      if (b === 0x5c || b === 0x27) out += `\\${String.fromCharCode(b)}`;
      else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
      else if (b === 0x0a) out += "\\n";
      else if (b === 0x0d) out += "\\r";
      else if (b === 0x09) out += "\\t";
      else out += `\\x${b.toString(16).padStart(2, "0")}`;
    }
    return `b'${out}'`;
  }
  const text = String(value);
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c >= 0xd800 && c < 0xe000) out += `\\u${c.toString(16)}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}
