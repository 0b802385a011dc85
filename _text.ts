/**
 * Text for `FileObject`'s text modes: Python's codec names, decoding and
 * encoding with Python's error handlers (`strict`, `replace`, `ignore`) and
 * error messages, and the `UnicodeDecodeError` / `UnicodeEncodeError`
 * classes. Private; the error classes are re-exported by `file_object.ts`.
 *
 * utf-8, ascii and latin-1 are decoded here, block by block: one
 * `TextDecoder` call for a whole block of valid UTF-8, and a slower path,
 * written after CPython's UTF-8 decoder, for blocks with invalid bytes (so
 * error positions, replacement characters and messages match Python's).
 * The caller keeps undecoded bytes: an incomplete trailing sequence is left
 * over for the next block instead of being held in a decoder's state.
 *
 * @module
 */

/** Python's error handlers that text mode supports. */
export type Errors = "strict" | "replace" | "ignore";

/** The codecs decoded and encoded here, by Python's name in messages. */
export type Codec = "utf-8" | "ascii" | "latin-1";

/**
 * Like Python's `UnicodeDecodeError`: bytes that are invalid in the file
 * object's encoding, under `errors = "strict"`. Python's `UnicodeDecodeError`
 * is a `ValueError`, which this module maps to `RangeError`.
 *
 * @example Catching a decoding error
 * ```ts
 * import { UnicodeDecodeError } from "./file_object.ts";
 * import assert from "node:assert/strict";
 *
 * const e = new UnicodeDecodeError("utf-8", new Uint8Array([0x61, 0xff]), 1, 2, "invalid start byte");
 * assert.equal(e.message, "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte");
 * assert.ok(e instanceof RangeError);
 * ```
 */
export class UnicodeDecodeError extends RangeError {
  /** The codec's name, as Python spells it (`"utf-8"`). */
  readonly encoding: string;
  /** The bytes being decoded: from the start of the line being read. */
  readonly object: Uint8Array;
  /** Index in `object` of the first bad byte. */
  readonly start: number;
  /** Index in `object` just past the bad bytes. */
  readonly end: number;
  /** Why the bytes are bad (`"invalid start byte"`). */
  readonly reason: string;

  /**
   * Constructed as Python's: `UnicodeDecodeError(encoding, object, start,
   * end, reason)`.
   *
   * @param encoding The codec's name.
   * @param object The bytes being decoded.
   * @param start Index of the first bad byte.
   * @param end Index just past the bad bytes.
   * @param reason Why they are bad.
   */
  constructor(
    encoding: string,
    object: Uint8Array,
    start: number,
    end: number,
    reason: string,
  ) {
    const where = end - start === 1
      ? `byte 0x${hex2(object[start])} in position ${start}`
      : `bytes in position ${start}-${end - 1}`;
    super(`'${encoding}' codec can't decode ${where}: ${reason}`);
    this.name = "UnicodeDecodeError";
    this.encoding = encoding;
    this.object = object;
    this.start = start;
    this.end = end;
    this.reason = reason;
  }
}

/**
 * Like Python's `UnicodeEncodeError`: characters that the file object's
 * encoding cannot represent, under `errors = "strict"`. Positions count code
 * points, as Python's do. A `RangeError`, as Python's is a `ValueError`.
 *
 * @example The message
 * ```ts
 * import { UnicodeEncodeError } from "./file_object.ts";
 * import assert from "node:assert/strict";
 *
 * const e = new UnicodeEncodeError("ascii", "café", 3, 4, "ordinal not in range(128)");
 * assert.equal(
 *   e.message,
 *   "'ascii' codec can't encode character '\\xe9' in position 3: ordinal not in range(128)",
 * );
 * ```
 */
export class UnicodeEncodeError extends RangeError {
  /** The codec's name, as Python spells it. */
  readonly encoding: string;
  /** The text being encoded. */
  readonly object: string;
  /** Code point index of the first character that cannot be encoded. */
  readonly start: number;
  /** Code point index just past those characters. */
  readonly end: number;
  /** Why (`"ordinal not in range(128)"`). */
  readonly reason: string;

  /**
   * Constructed as Python's: `UnicodeEncodeError(encoding, object, start,
   * end, reason)`.
   *
   * @param encoding The codec's name.
   * @param object The text being encoded.
   * @param start Code point index of the first bad character.
   * @param end Code point index just past the bad characters.
   * @param reason Why they cannot be encoded.
   */
  constructor(
    encoding: string,
    object: string,
    start: number,
    end: number,
    reason: string,
  ) {
    let where: string;
    if (end - start === 1) {
      const c = Array.from(object)[start]?.codePointAt(0) ?? 0;
      const esc = c < 0x100
        ? `\\x${hex2(c)}`
        : c < 0x10000
        ? `\\u${c.toString(16).padStart(4, "0")}`
        : `\\U${c.toString(16).padStart(8, "0")}`;
      where = `character '${esc}' in position ${start}`;
    } else {
      where = `characters in position ${start}-${end - 1}`;
    }
    super(`'${encoding}' codec can't encode ${where}: ${reason}`);
    this.name = "UnicodeEncodeError";
    this.encoding = encoding;
    this.object = object;
    this.start = start;
    this.end = end;
    this.reason = reason;
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

// ---------------------------------------------------------------- lookup

/** What an encoding name resolves to. */
export interface Encoding {
  /** The name used in error messages. */
  name: string;
  /** One of the codecs implemented here, or null for a `TextDecoder` one. */
  codec: Codec | null;
  /** The `TextDecoder` label, when `codec` is null. */
  label: string;
  /** For `TextDecoder` encodings: whether to strip a byte order mark. */
  stripBOM: boolean;
}

// Python's aliases (encodings/aliases.py), normalized by `normalize()`.
const CODECS: Record<string, Codec> = {
  utf8: "utf-8",
  u8: "utf-8",
  utf: "utf-8",
  cp65001: "utf-8",
  // io.text_encoding() gives "locale": UTF-8 on the platforms Deno runs on.
  locale: "utf-8",
  ascii: "ascii",
  usascii: "ascii",
  us: "ascii",
  646: "ascii",
  ansix341968: "ascii",
  ansix341986: "ascii",
  cp367: "ascii",
  csascii: "ascii",
  ibm367: "ascii",
  iso646us: "ascii",
  iso646irv1991: "ascii",
  isoir6: "ascii",
  latin1: "latin-1",
  latin: "latin-1",
  l1: "latin-1",
  iso88591: "latin-1",
  iso885911987: "latin-1",
  8859: "latin-1",
  cp819: "latin-1",
  ibm819: "latin-1",
  isoir100: "latin-1",
  csisolatin1: "latin-1",
};

function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * Resolves an encoding name as Python's `codecs.lookup()` would, for the
 * codecs implemented here, else as a `TextDecoder` label.
 *
 * @throws {RangeError} `unknown encoding: X`, Python's `LookupError`.
 */
export function lookupEncoding(name: string): Encoding {
  const key = normalize(name);
  const codec = CODECS[key];
  if (codec !== undefined) return { name: codec, codec, label: codec, stripBOM: false };
  if (key === "utf8sig") return { name: "utf-8-sig", codec: null, label: "utf-8", stripBOM: true };
  // Python spells some names differently ("euc_jp", "utf_16_le").
  const label = textDecoderLabel(name) ?? textDecoderLabel(name.replace(/_/g, "-")) ??
    textDecoderLabel(LABELS[key] ?? "");
  if (label === null) throw new RangeError(`unknown encoding: ${name}`);
  // WHATWG folds "latin1" and "ascii" into windows-1252; those were caught
  // above. Python strips the byte order mark of utf-16 streams.
  return { name: label, codec: null, label, stripBOM: true };
}

// Python names whose WHATWG label is not the name with "_" as "-".
const LABELS: Record<string, string> = {
  utf16le: "utf-16le",
  utf16be: "utf-16be",
  utf16: "utf-16le",
  cp1252: "windows-1252",
  sjis: "shift_jis",
  eucjp: "euc-jp",
  euckr: "euc-kr",
};

function textDecoderLabel(name: string): string | null {
  if (name === "") return null;
  try {
    return new TextDecoder(name).encoding;
  } catch {
    return null;
  }
}

const ERRORS = new Set(["strict", "replace", "ignore"]);
// Error handlers Python knows but this module does not implement.
const OTHER_ERRORS = new Set([
  "surrogateescape",
  "surrogatepass",
  "backslashreplace",
  "xmlcharrefreplace",
  "namereplace",
]);

/**
 * Checks an `errors` value.
 *
 * @throws {RangeError} for a name that is not `strict`, `replace` or `ignore`.
 */
export function checkErrors(errors: string): Errors {
  if (ERRORS.has(errors)) return errors as Errors;
  if (OTHER_ERRORS.has(errors)) {
    throw new RangeError(
      `error handler '${errors}' is not supported (only 'strict', 'replace', 'ignore')`,
    );
  }
  throw new RangeError(`unknown error handler name '${errors}'`);
}

// --------------------------------------------------------------- decoding

/** How the characters of decoded text map back to the bytes they came from. */
export const MapKind = {
  /** One byte per UTF-16 unit: char index i is byte offset i. */
  IDENTITY: 0,
  /** Valid UTF-8: a span's byte length is its UTF-8 length. */
  UTF8: 1,
  /** Given by an explicit table of byte offsets. */
  TABLE: 2,
} as const;
/** One of `MapKind`'s values. */
export type MapKind = typeof MapKind[keyof typeof MapKind];

/** Bad bytes: positions relative to the start of the decoded range. */
export interface DecodeFailure {
  start: number;
  end: number;
  reason: string;
}

/** The result of decoding one block. */
export interface Decoded {
  text: string;
  /** Bytes of the block that `text` covers. */
  used: number;
  kind: MapKind;
  /**
   * For `TABLE`: where each UTF-16 unit's bytes start, counting bytes that
   * decoded to nothing (errors="ignore") with the character after them; the
   * last entry is where the last character ends.
   */
  table: Int32Array | null;
  /** Bytes after the last character that decoded to nothing. */
  tail: number;
  /** Under `strict`: the first bad bytes, which start at `used`. */
  error: DecodeFailure | null;
}

const FATAL_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
/**
 * Four times faster than `FATAL_UTF8` on this Deno (a replacing UTF-8
 * decoder takes a one-pass path), and right wherever it replaced nothing:
 * when its result holds no U+FFFD. Where it does, `FATAL_UTF8` decides,
 * since the text may hold a real U+FFFD.
 */
const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });
const EMPTY: Decoded = {
  text: "",
  used: 0,
  kind: MapKind.IDENTITY,
  table: null,
  tail: 0,
  error: null,
};

const INVALID_START = "invalid start byte";
const INVALID_CONTINUATION = "invalid continuation byte";
const END_OF_DATA = "unexpected end of data";

/**
 * Decodes `bytes[start, end)`. Unless `final`, an incomplete sequence at the
 * end is left over (`used` stops before it), to be decoded with what
 * follows. Under `strict`, decoding stops at the first bad bytes, which are
 * reported in `error`.
 */
export function decode(
  codec: Codec,
  errors: Errors,
  bytes: Uint8Array,
  start: number,
  end: number,
  final: boolean,
): Decoded {
  if (codec === "utf-8") {
    const stop = final ? end : utf8CompleteEnd(bytes, start, end);
    if (stop === start) return EMPTY;
    let text: string | null = UTF8.decode(bytes.subarray(start, stop));
    if (text.includes("\uFFFD")) {
      try {
        text = FATAL_UTF8.decode(bytes.subarray(start, stop));
      } catch {
        text = null;
      }
    }
    if (text !== null) {
      const n = stop - start;
      return {
        text,
        used: n,
        kind: text.length === n ? MapKind.IDENTITY : MapKind.UTF8,
        table: null,
        tail: 0,
        error: null,
      };
    }
    return decodeSlow(codec, errors, bytes, start, end, final);
  }
  if (start === end) return EMPTY;
  if (isAscii(bytes, start, end)) {
    const n = end - start;
    return {
      text: UTF8.decode(bytes.subarray(start, end)),
      used: n,
      kind: MapKind.IDENTITY,
      table: null,
      tail: 0,
      error: null,
    };
  }
  if (codec === "latin-1") {
    return {
      text: latin1(bytes, start, end),
      used: end - start,
      kind: MapKind.IDENTITY,
      table: null,
      tail: 0,
      error: null,
    };
  }
  return decodeSlow(codec, errors, bytes, start, end, true);
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] >= 0x80) return false;
  return true;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i += 4096) {
    const chunk = bytes.subarray(i, Math.min(end, i + 4096));
    s += String.fromCharCode.apply(null, chunk as unknown as number[]);
  }
  return s;
}

// Set by findError(): the end of the bad bytes it found, and why.
let failEnd = 0;
let failReason = "";

function fail(at: number, end: number, reason: string): number {
  failEnd = end;
  failReason = reason;
  return at;
}

function isCont(b: number): boolean {
  return (b & 0xc0) === 0x80;
}

/**
 * The index of the first bad bytes in `bytes[p, end)`, or -1; their end and
 * reason go to `failEnd` / `failReason`. For utf-8 this is CPython's
 * decoder's logic (Objects/stringlib/codecs.h), so a replacement character
 * stands for exactly the bytes Python's would.
 */
function findError(codec: Codec, bytes: Uint8Array, p: number, end: number): number {
  if (codec !== "utf-8") {
    for (; p < end; p++) if (bytes[p] >= 0x80) return fail(p, p + 1, "ordinal not in range(128)");
    return -1;
  }
  while (p < end) {
    const c = bytes[p];
    if (c < 0x80) {
      p++;
      continue;
    }
    const s = p;
    if (c < 0xc2) return fail(s, s + 1, INVALID_START);
    if (c > 0xf4) return fail(s, s + 1, INVALID_START);
    const need = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    if (end - s < 2) return fail(s, end, END_OF_DATA);
    const c2 = bytes[s + 1];
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (c2 < lo || c2 > hi) return fail(s, s + 1, INVALID_CONTINUATION);
    if (need > 2) {
      if (end - s < 3) return fail(s, end, END_OF_DATA);
      if (!isCont(bytes[s + 2])) return fail(s, s + 2, INVALID_CONTINUATION);
      if (need > 3) {
        if (end - s < 4) return fail(s, end, END_OF_DATA);
        if (!isCont(bytes[s + 3])) return fail(s, s + 3, INVALID_CONTINUATION);
      }
    }
    p = s + need;
  }
  return -1;
}

/**
 * Where the complete part of `bytes[start, end)` ends: before a trailing
 * sequence that is a valid start of a character but incomplete, which
 * Python's incremental decoder would hold back too.
 */
function utf8CompleteEnd(bytes: Uint8Array, start: number, end: number): number {
  const c = bytes[end - 1];
  if (c < 0x80 || end === start) return end;
  let s = end - 1;
  const lo = Math.max(start, end - 3);
  while (s > lo && isCont(bytes[s])) s--;
  const lead = bytes[s];
  if (lead < 0xc2 || lead > 0xf4) return end;
  if (findError("utf-8", bytes, s, end) === s && failReason === END_OF_DATA) return s;
  return end;
}

function decodeSlow(
  codec: Codec,
  errors: Errors,
  bytes: Uint8Array,
  start: number,
  end: number,
  final: boolean,
): Decoded {
  const parts: string[] = [];
  // Where each UTF-16 unit's bytes start (see Decoded.table).
  const offsets: number[] = [];
  // Where the last character ends: dropped bytes after it go with the next.
  let last = 0;
  let p = start;
  while (p < end) {
    let bad = findError(codec, bytes, p, end);
    // An incomplete sequence at the end waits for the bytes that follow.
    if (bad !== -1 && !final && failReason === END_OF_DATA) end = bad;
    const runEnd = bad === -1 || bad === end ? end : bad;
    if (bad === end) bad = -1;
    if (runEnd > p) {
      const run = FATAL_UTF8.decode(bytes.subarray(p, runEnd));
      parts.push(run);
      const first = offsets.length;
      pushOffsets(offsets, run, p - start);
      offsets[first] = last;
      last = runEnd - start;
    }
    if (bad === -1) break;
    const badEnd = failEnd;
    if (errors === "strict") {
      const text = parts.join("");
      const used = bad - start;
      return {
        text,
        used,
        kind: text.length === used ? MapKind.IDENTITY : MapKind.UTF8,
        table: null,
        tail: 0,
        error: { start: used, end: badEnd - start, reason: failReason },
      };
    }
    if (errors === "replace") {
      parts.push("\ufffd");
      offsets.push(last);
      last = badEnd - start;
    }
    p = badEnd;
  }
  offsets.push(last);
  return {
    text: parts.join(""),
    used: end - start,
    kind: MapKind.TABLE,
    table: Int32Array.from(offsets),
    tail: end - start - last,
    error: null,
  };
}

function pushOffsets(offsets: number[], text: string, at: number): void {
  for (let i = 0; i < text.length; i++) {
    offsets.push(at);
    const c = text.charCodeAt(i);
    if (c < 0x80) at += 1;
    else if (c < 0x800) at += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      offsets.push(at);
      at += 4;
      i++;
    } else at += 3;
  }
}

/** The UTF-8 length of `text[from, to)`, which holds no lone surrogate. */
export function utf8Length(text: string, from: number, to: number): number {
  let n = to - from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) {
      if (c < 0x800) n += 1;
      else if (c >= 0xd800 && c < 0xdc00) {
        n += 2;
        i++;
      } else n += 2;
    }
  }
  return n;
}

/**
 * A `TABLE` for text whose units map as `kind` (not `TABLE`) says: the byte
 * offset of each unit of `text[from, to)` from `text[from]`, and of the end.
 */
export function tableOf(text: string, from: number, to: number, kind: MapKind): Int32Array {
  const table = new Int32Array(to - from + 1);
  if (kind === MapKind.IDENTITY) {
    for (let i = 0; i <= to - from; i++) table[i] = i;
    return table;
  }
  const offsets: number[] = [];
  pushOffsets(offsets, text.slice(from, to), 0);
  table.set(offsets);
  table[to - from] = utf8Length(text, from, to);
  return table;
}

// --------------------------------------------------------------- encoding

const ENCODER = new TextEncoder();

/** Characters that cannot be encoded: code point positions in the text. */
export interface EncodeFailure {
  start: number;
  end: number;
  reason: string;
}

/**
 * Encodes `text`, or returns the first characters that `strict` refuses.
 * utf-8 refuses lone surrogates, as Python does.
 */
export function encode(codec: Codec, errors: Errors, text: string): Uint8Array | EncodeFailure {
  if (codec === "utf-8") {
    if (text.isWellFormed()) return ENCODER.encode(text);
    return encodeChecked(
      text,
      errors,
      isLoneSurrogateAt,
      "surrogates not allowed",
      (s) => ENCODER.encode(s),
    );
  }
  const limit = codec === "ascii" ? 0x80 : 0x100;
  let fits = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= limit) {
      fits = false;
      break;
    }
  }
  const toBytes = (s: string) => {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  };
  if (fits) return toBytes(text);
  return encodeChecked(
    text,
    errors,
    (s, i) => s.charCodeAt(i) >= limit,
    `ordinal not in range(${limit})`,
    toBytes,
  );
}

function isLoneSurrogateAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdfff) return false;
  if (c < 0xdc00) {
    const d = s.charCodeAt(i + 1);
    return !(d >= 0xdc00 && d <= 0xdfff);
  }
  const b = s.charCodeAt(i - 1);
  return !(b >= 0xd800 && b < 0xdc00);
}

function encodeChecked(
  text: string,
  errors: Errors,
  bad: (s: string, i: number) => boolean,
  reason: string,
  toBytes: (s: string) => Uint8Array,
): Uint8Array | EncodeFailure {
  let out = "";
  let runStart = 0;
  let cp = 0; // code point index of text[i]
  for (let i = 0; i < text.length;) {
    const width = isPairAt(text, i) ? 2 : 1;
    if (!bad(text, i)) {
      i += width;
      cp++;
      continue;
    }
    // A run of characters that cannot be encoded, as Python reports them.
    const firstCp = cp;
    out += text.slice(runStart, i);
    let j = i;
    while (j < text.length && bad(text, j)) {
      j += isPairAt(text, j) ? 2 : 1;
      cp++;
      if (errors === "replace") out += "?";
    }
    if (errors === "strict") return { start: firstCp, end: cp, reason };
    i = runStart = j;
  }
  out += text.slice(runStart);
  return toBytes(out);
}

function isPairAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c >= 0xdc00) return false;
  const d = s.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff;
}

// --------------------------------------------------------------- newlines

/** Python's `newline` values. */
export type Newline = null | "" | "\n" | "\r" | "\r\n";

/**
 * Checks a `newline` value.
 *
 * @throws {TypeError} for a non-string.
 * @throws {RangeError} `illegal newline value: X`, as Python.
 */
export function checkNewline(newline: unknown): Newline {
  if (newline === null || newline === undefined) return null;
  if (typeof newline !== "string") {
    throw new TypeError(
      `makefile() argument 'newline' must be str or None, not ${pyTypeName(newline)}`,
    );
  }
  if (newline === "" || newline === "\n" || newline === "\r" || newline === "\r\n") return newline;
  throw new RangeError(`illegal newline value: ${newline}`);
}

/** `\r\n` and `\r` to `\n`, as universal newlines mode reads them. */
export function translateNewlines(s: string): string {
  return s.indexOf("\r") === -1 ? s : s.replace(/\r\n?/g, "\n");
}

/**
 * The end (exclusive) of the first line in `text[from, avail)` under the
 * input rule of `newline`, or -1 when the line does not end there. `avail`
 * excludes a `\r` whose meaning depends on what comes next.
 */
export function findLineEnd(text: string, from: number, avail: number, newline: Newline): number {
  if (newline === null || newline === "") {
    const lf = text.indexOf("\n", from);
    const cr = text.indexOf("\r", from);
    if (cr === -1 || cr >= avail) return lf === -1 || lf >= avail ? -1 : lf + 1;
    if (lf !== -1 && lf < cr) return lf + 1;
    return lf === cr + 1 ? cr + 2 : cr + 1;
  }
  const i = text.indexOf(newline, from);
  if (i === -1 || i + newline.length > avail) return -1;
  return i + newline.length;
}

/**
 * The index in `text` after `n` code points of `text[from, to)` as read
 * (a `\r\n` counting as one when `crlfAsOne`), or -1 if it holds fewer.
 */
export function advanceCodePoints(
  text: string,
  from: number,
  to: number,
  n: number,
  crlfAsOne: boolean,
): number {
  let i = from;
  while (n > 0 && i < to) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < to) {
      const d = text.charCodeAt(i + 1);
      i += d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
    } else if (c === 13 && crlfAsOne && i + 1 < to && text.charCodeAt(i + 1) === 10) {
      i += 2;
    } else {
      i++;
    }
    n--;
  }
  return n === 0 ? i : -1;
}

/** The number of code points in `s`. */
export function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Python's type name for a value, for `TypeError` messages. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "bigint") return "int";
  if (v instanceof Uint8Array || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return "bytes";
  if (Array.isArray(v)) return "list";
  if (typeof v === "function") return "function";
  return (v as object).constructor?.name ?? "object";
}
