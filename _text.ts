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

/** The codecs decoded and encoded here, by Python's names. */
export type Codec =
  | "utf-8"
  | "ascii"
  | "latin-1"
  | "cp1252"
  | "utf-16-le"
  | "utf-16-be"
  | "utf-32-le"
  | "utf-32-be"
  | CharmapCodec;

/**
 * A single-byte codec of Python's (`cp1250`, `iso8859_2`, `koi8_r`, …),
 * decoded with the platform's table where Python's agrees with it.
 */
export type CharmapCodec = `charmap:${string}`;

/**
 * Like Python's `UnicodeError`, the base of `UnicodeDecodeError` and
 * `UnicodeEncodeError`; raised as such for a `utf-16` or `utf-32` stream
 * that does not start with a byte order mark (`UTF-16 stream does not start
 * with BOM`). Python's `UnicodeError` is a `ValueError`, which this module
 * maps to `RangeError`.
 *
 * @example A stream without a byte order mark
 * ```ts
 * import { UnicodeError } from "./file_object.ts";
 * import assert from "node:assert/strict";
 *
 * const e = new UnicodeError("UTF-16 stream does not start with BOM");
 * assert.ok(e instanceof RangeError);
 * assert.equal(e.name, "UnicodeError");
 * ```
 */
export class UnicodeError extends RangeError {
  static {
    this.prototype.name = "UnicodeError";
  }
}

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
export class UnicodeDecodeError extends UnicodeError {
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
export class UnicodeEncodeError extends UnicodeError {
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
  /** The name used in error messages of the decoder (Python's codec name). */
  name: string;
  /** One of the codecs implemented here, or null for a `TextDecoder` one. */
  codec: Codec | null;
  /** The `TextDecoder` label, when `codec` is null. */
  label: string;
  /** For `TextDecoder` encodings: whether to strip a byte order mark. */
  stripBOM: boolean;
  /**
   * Python's codecs that start with a byte order mark: read, it picks the
   * byte order (`utf-16`, `utf-32`) or is dropped (`utf-8-sig`); written,
   * it goes first. Null for the others.
   */
  bom: "utf-16" | "utf-32" | "utf-8-sig" | null;
}

type Named = Codec | "utf-16" | "utf-32" | "utf-8-sig";

// Python's names (encodings/aliases.py and module names) for the codecs
// implemented here, as `normalize()` leaves them.
const CODECS: Record<string, Named> = {
  "1250": "charmap:cp1250",
  "1251": "charmap:cp1251",
  "1253": "charmap:cp1253",
  "1254": "charmap:cp1254",
  "1255": "charmap:cp1255",
  "1256": "charmap:cp1256",
  "1257": "charmap:cp1257",
  "1258": "charmap:cp1258",
  "866": "charmap:cp866",
  arabic: "charmap:iso8859_6",
  "asmo_708": "charmap:iso8859_6",
  cp1250: "charmap:cp1250",
  cp1251: "charmap:cp1251",
  cp1253: "charmap:cp1253",
  cp1254: "charmap:cp1254",
  cp1255: "charmap:cp1255",
  cp1256: "charmap:cp1256",
  cp1257: "charmap:cp1257",
  cp1258: "charmap:cp1258",
  cp866: "charmap:cp866",
  csibm866: "charmap:cp866",
  csisolatin2: "charmap:iso8859_2",
  csisolatin3: "charmap:iso8859_3",
  csisolatin4: "charmap:iso8859_4",
  csisolatin6: "charmap:iso8859_10",
  csisolatinarabic: "charmap:iso8859_6",
  csisolatincyrillic: "charmap:iso8859_5",
  csisolatingreek: "charmap:iso8859_7",
  csisolatinhebrew: "charmap:iso8859_8",
  cskoi8r: "charmap:koi8_r",
  cyrillic: "charmap:iso8859_5",
  "ecma_114": "charmap:iso8859_6",
  "ecma_118": "charmap:iso8859_7",
  "elot_928": "charmap:iso8859_7",
  greek: "charmap:iso8859_7",
  greek8: "charmap:iso8859_7",
  hebrew: "charmap:iso8859_8",
  ibm866: "charmap:cp866",
  "iso8859_10": "charmap:iso8859_10",
  "iso8859_13": "charmap:iso8859_13",
  "iso8859_14": "charmap:iso8859_14",
  "iso8859_15": "charmap:iso8859_15",
  "iso8859_16": "charmap:iso8859_16",
  "iso8859_2": "charmap:iso8859_2",
  "iso8859_3": "charmap:iso8859_3",
  "iso8859_4": "charmap:iso8859_4",
  "iso8859_5": "charmap:iso8859_5",
  "iso8859_6": "charmap:iso8859_6",
  "iso8859_7": "charmap:iso8859_7",
  "iso8859_8": "charmap:iso8859_8",
  "iso_8859_10": "charmap:iso8859_10",
  "iso_8859_10_1992": "charmap:iso8859_10",
  "iso_8859_13": "charmap:iso8859_13",
  "iso_8859_14": "charmap:iso8859_14",
  "iso_8859_14_1998": "charmap:iso8859_14",
  "iso_8859_15": "charmap:iso8859_15",
  "iso_8859_16": "charmap:iso8859_16",
  "iso_8859_16_2001": "charmap:iso8859_16",
  "iso_8859_2": "charmap:iso8859_2",
  "iso_8859_2_1987": "charmap:iso8859_2",
  "iso_8859_3": "charmap:iso8859_3",
  "iso_8859_3_1988": "charmap:iso8859_3",
  "iso_8859_4": "charmap:iso8859_4",
  "iso_8859_4_1988": "charmap:iso8859_4",
  "iso_8859_5": "charmap:iso8859_5",
  "iso_8859_5_1988": "charmap:iso8859_5",
  "iso_8859_6": "charmap:iso8859_6",
  "iso_8859_6_1987": "charmap:iso8859_6",
  "iso_8859_7": "charmap:iso8859_7",
  "iso_8859_7_1987": "charmap:iso8859_7",
  "iso_8859_8": "charmap:iso8859_8",
  "iso_8859_8_1988": "charmap:iso8859_8",
  "iso_celtic": "charmap:iso8859_14",
  "iso_ir_101": "charmap:iso8859_2",
  "iso_ir_109": "charmap:iso8859_3",
  "iso_ir_110": "charmap:iso8859_4",
  "iso_ir_126": "charmap:iso8859_7",
  "iso_ir_127": "charmap:iso8859_6",
  "iso_ir_138": "charmap:iso8859_8",
  "iso_ir_144": "charmap:iso8859_5",
  "iso_ir_157": "charmap:iso8859_10",
  "iso_ir_199": "charmap:iso8859_14",
  "iso_ir_226": "charmap:iso8859_16",
  "koi8_r": "charmap:koi8_r",
  l10: "charmap:iso8859_16",
  l2: "charmap:iso8859_2",
  l3: "charmap:iso8859_3",
  l4: "charmap:iso8859_4",
  l6: "charmap:iso8859_10",
  l7: "charmap:iso8859_13",
  l8: "charmap:iso8859_14",
  l9: "charmap:iso8859_15",
  latin10: "charmap:iso8859_16",
  latin2: "charmap:iso8859_2",
  latin3: "charmap:iso8859_3",
  latin4: "charmap:iso8859_4",
  latin6: "charmap:iso8859_10",
  latin7: "charmap:iso8859_13",
  latin8: "charmap:iso8859_14",
  latin9: "charmap:iso8859_15",
  "windows_1250": "charmap:cp1250",
  "windows_1251": "charmap:cp1251",
  "windows_1253": "charmap:cp1253",
  "windows_1254": "charmap:cp1254",
  "windows_1255": "charmap:cp1255",
  "windows_1256": "charmap:cp1256",
  "windows_1257": "charmap:cp1257",
  "windows_1258": "charmap:cp1258",
  1252: "cp1252",
  646: "ascii",
  8859: "latin-1",
  "ansi_x3.4_1968": "ascii",
  "ansi_x3.4_1986": "ascii",
  "ansi_x3_4_1968": "ascii",
  ascii: "ascii",
  cp1252: "cp1252",
  cp367: "ascii",
  cp65001: "utf-8",
  cp819: "latin-1",
  csascii: "ascii",
  csisolatin1: "latin-1",
  ibm367: "ascii",
  ibm819: "latin-1",
  "iso646_us": "ascii",
  iso8859: "latin-1",
  "iso8859_1": "latin-1",
  "iso_646.irv_1991": "ascii",
  "iso_8859_1": "latin-1",
  "iso_8859_1_1987": "latin-1",
  "iso_ir_100": "latin-1",
  "iso_ir_6": "ascii",
  l1: "latin-1",
  latin: "latin-1",
  latin1: "latin-1",
  "latin_1": "latin-1",
  // io.text_encoding() gives "locale": UTF-8 on the platforms Deno runs on.
  locale: "utf-8",
  u16: "utf-16",
  u32: "utf-32",
  u8: "utf-8",
  unicodebigunmarked: "utf-16-be",
  unicodelittleunmarked: "utf-16-le",
  us: "ascii",
  "us_ascii": "ascii",
  utf: "utf-8",
  utf16: "utf-16",
  utf32: "utf-32",
  utf8: "utf-8",
  "utf8_ucs2": "utf-8",
  "utf8_ucs4": "utf-8",
  "utf_16": "utf-16",
  "utf_16_be": "utf-16-be",
  "utf_16_le": "utf-16-le",
  "utf_16be": "utf-16-be",
  "utf_16le": "utf-16-le",
  "utf_32": "utf-32",
  "utf_32_be": "utf-32-be",
  "utf_32_le": "utf-32-le",
  "utf_32be": "utf-32-be",
  "utf_32le": "utf-32-le",
  "utf_8": "utf-8",
  "utf_8_sig": "utf-8-sig",
  "windows_1252": "cp1252",
};

/**
 * Python's `encodings.normalize_encoding()` after lower-casing: runs of
 * characters other than ASCII letters, digits and `.` become one `_`.
 */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9.]+/g, "_").replace(/^_+|_+$/g, "");
}

/** The name of `codec` in its errors (Python's single-byte codecs say "charmap"). */
export function codecName(codec: Codec): string {
  return codec === "cp1252" || codec.startsWith("charmap:") ? "charmap" : codec;
}

const charmaps = new Map<string, { decode: Int32Array; encode: Map<number, number> }>();

/**
 * The tables of a single-byte codec, from the platform's decoder (WHATWG):
 * bytes it cannot decode are undefined, and so are the bytes 0x80-0x9f that
 * a windows code page decodes to themselves (WHATWG fills the holes of
 * those code pages with C1 controls; Python leaves them undefined).
 */
function charmapOf(codec: Codec): { decode: Int32Array; encode: Map<number, number> } {
  let tables = charmaps.get(codec);
  if (tables !== undefined) return tables;
  const module = codec.slice("charmap:".length);
  const label = module === "koi8_r"
    ? "koi8-r"
    : module === "cp866"
    ? "ibm866"
    : module.startsWith("cp")
    ? `windows-${module.slice(2)}`
    : `iso-8859-${module.slice("iso8859_".length)}`;
  const decoder = new TextDecoder(label);
  const windows = module.startsWith("cp125");
  const decode = new Int32Array(256);
  const encode = new Map<number, number>();
  for (let b = 0; b < 256; b++) {
    const c = decoder.decode(Uint8Array.of(b)).codePointAt(0)!;
    const undefinedByte = c === 0xfffd || (windows && b >= 0x80 && b < 0xa0 && c === b) ||
      // The one other difference: WHATWG added U+05BA to windows-1255.
      (module === "cp1255" && b === 0xca);
    decode[b] = undefinedByte ? -1 : c;
    if (!undefinedByte && !encode.has(c)) encode.set(c, b);
  }
  tables = { decode, encode };
  charmaps.set(codec, tables);
  return tables;
}

/**
 * Resolves an encoding name as Python's `codecs.lookup()` would, for the
 * codecs implemented here, else as a `TextDecoder` label.
 *
 * @throws {RangeError} `unknown encoding: X`, Python's `LookupError`.
 */
export function lookupEncoding(name: string): Encoding {
  const key = normalize(name);
  const named = CODECS[key] ?? CODECS[key.replaceAll(".", "_")];
  if (named !== undefined) {
    if (named === "utf-16" || named === "utf-32" || named === "utf-8-sig") {
      // The byte order is known once the mark is read; until then, Python's
      // native one (little-endian on every platform Deno runs on).
      const codec = named === "utf-16" ? "utf-16-le" : named === "utf-32" ? "utf-32-le" : "utf-8";
      return { name: codecName(codec), codec, label: codec, stripBOM: false, bom: named };
    }
    return { name: codecName(named), codec: named, label: named, stripBOM: false, bom: null };
  }
  // Other encodings: read with TextDecoder (Python spells some names
  // differently: "euc_jp", "shift_jis").
  const label = textDecoderLabel(name) ?? textDecoderLabel(name.replace(/_/g, "-")) ??
    textDecoderLabel(LABELS[key] ?? "");
  // Python's names for the WHATWG encodings implemented here are all above;
  // WHATWG's other labels for them ("unicodefffe", "x-cp1252", "iso88591")
  // are not Python's.
  if (label === null || WHATWG_DONE.has(label)) throw new RangeError(`unknown encoding: ${name}`);
  // WHATWG's KOI8-U is KOI8-RU (two letters differ from Python's koi8_u),
  // and its ISO-8859-11 is windows-874 (0x80-0x9f differ).
  if (label === "koi8-u" || label === "windows-874") {
    throw new RangeError(
      `encoding '${name}' is not supported (the platform's ${label} decodes differently from Python's)`,
    );
  }
  return { name: label, codec: null, label, stripBOM: true, bom: null };
}

// WHATWG encodings decoded here: Python's names for them are all in CODECS.
const WHATWG_DONE = new Set([
  "utf-8",
  "utf-16le",
  "utf-16be",
  "windows-1250",
  "windows-1251",
  "windows-1252",
  "windows-1253",
  "windows-1254",
  "windows-1255",
  "windows-1256",
  "windows-1257",
  "windows-1258",
  "iso-8859-2",
  "iso-8859-3",
  "iso-8859-4",
  "iso-8859-5",
  "iso-8859-6",
  "iso-8859-7",
  "iso-8859-8",
  "iso-8859-10",
  "iso-8859-13",
  "iso-8859-14",
  "iso-8859-15",
  "iso-8859-16",
  "koi8-r",
  "ibm866",
]);

// Python names whose WHATWG label is not the name with "_" as "-".
const LABELS: Record<string, string> = {
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

/**
 * What the byte order mark at the start of a stream says: how many bytes it
 * takes and the codec for the rest; null while too few bytes have arrived
 * to tell (not `final`). Throws Python's `UnicodeError` for a `utf-16` or
 * `utf-32` stream without one, as Python's incremental decoders do.
 */
export function readBOM(
  bom: "utf-16" | "utf-32" | "utf-8-sig",
  bytes: Uint8Array,
  final: boolean,
): { skip: number; codec: Codec } | null {
  const n = bytes.length;
  if (bom === "utf-8-sig") {
    const prefix = n === 0 || (bytes[0] === 0xef && (n < 2 || bytes[1] === 0xbb));
    if (n < 3 && prefix) {
      // Python drops a partial mark at the very end of the stream.
      return final ? { skip: n, codec: "utf-8" } : null;
    }
    const skip = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return { skip, codec: "utf-8" };
  }
  const size = bom === "utf-16" ? 2 : 4;
  if (n < size) {
    return final ? { skip: 0, codec: bom === "utf-16" ? "utf-16-le" : "utf-32-le" } : null;
  }
  const b0 = bytes[0], b1 = bytes[1];
  if (size === 2) {
    if (b0 === 0xff && b1 === 0xfe) return { skip: 2, codec: "utf-16-le" };
    if (b0 === 0xfe && b1 === 0xff) return { skip: 2, codec: "utf-16-be" };
  } else {
    const b2 = bytes[2], b3 = bytes[3];
    if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return { skip: 4, codec: "utf-32-le" };
    if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return { skip: 4, codec: "utf-32-be" };
  }
  throw new UnicodeError(
    `${bom === "utf-16" ? "UTF-16" : "UTF-32"} stream does not start with BOM`,
  );
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
  if (codec !== "utf-8" && codec !== "ascii" && codec !== "latin-1") {
    return decodeUnits(codec, errors, bytes, start, end, final);
  }
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

// Python's cp1252 for bytes 0x80-0x9f (-1: undefined); the rest are latin-1.
const CP1252 = [
  0x20ac,
  -1,
  0x201a,
  0x192,
  0x201e,
  0x2026,
  0x2020,
  0x2021,
  0x2c6,
  0x2030,
  0x160,
  0x2039,
  0x152,
  -1,
  0x17d,
  -1,
  -1,
  0x2018,
  0x2019,
  0x201c,
  0x201d,
  0x2022,
  0x2013,
  0x2014,
  0x2dc,
  0x2122,
  0x161,
  0x203a,
  0x153,
  -1,
  0x17e,
  0x178,
];
const CP1252_ENCODE = new Map<number, number>();
for (let i = 0; i < 256; i++) {
  const c = i >= 0x80 && i < 0xa0 ? CP1252[i - 0x80] : i;
  if (c !== -1) CP1252_ENCODE.set(c, i);
}

/**
 * Decodes the codecs of fixed-size units (utf-16, utf-32) and cp1252 with
 * Python's rules, reasons and error handlers (CPython's
 * `PyUnicode_DecodeUTF16Stateful`, `PyUnicode_DecodeUTF32Stateful`, the
 * charmap codec). The result maps characters to bytes with a `TABLE`.
 */
function decodeUnits(
  codec: Codec,
  errors: Errors,
  bytes: Uint8Array,
  start: number,
  end: number,
  final: boolean,
): Decoded {
  const units: number[] = [];
  const offsets: number[] = [];
  let last = 0;
  let p = start;
  const table = codec.startsWith("charmap:") ? charmapOf(codec).decode : null;
  const size = codec === "cp1252" || table !== null
    ? 1
    : codec === "utf-16-le" || codec === "utf-16-be"
    ? 2
    : 4;
  const le = codec === "utf-16-le" || codec === "utf-32-le";
  const u16 = (i: number) => le ? bytes[i] | (bytes[i + 1] << 8) : (bytes[i] << 8) | bytes[i + 1];
  const emit = (u: number, next: number) => {
    units.push(u);
    offsets.push(last);
    last = next - start;
  };
  while (p < end) {
    let badEnd = -1;
    let reason = "";
    if (end - p < size) {
      if (!final) break;
      badEnd = end;
      reason = "truncated data";
    } else if (size === 1) {
      const b = bytes[p];
      const c = table !== null ? table[b] : b >= 0x80 && b < 0xa0 ? CP1252[b - 0x80] : b;
      if (c !== -1) {
        emit(c, p + 1);
        p++;
        continue;
      }
      badEnd = p + 1;
      reason = "character maps to <undefined>";
    } else if (size === 2) {
      const u = u16(p);
      if (u < 0xd800 || u > 0xdfff) {
        emit(u, p + 2);
        p += 2;
        continue;
      }
      if (u >= 0xdc00) {
        badEnd = p + 2;
        reason = "illegal encoding";
      } else if (end - p < 4) {
        if (!final) break;
        badEnd = end;
        reason = "unexpected end of data";
      } else {
        const v = u16(p + 2);
        if (v >= 0xdc00 && v <= 0xdfff) {
          units.push(u);
          offsets.push(last);
          emit(v, p + 4);
          offsets[offsets.length - 1] = offsets[offsets.length - 2];
          p += 4;
          continue;
        }
        badEnd = p + 2;
        reason = "illegal UTF-16 surrogate";
      }
    } else {
      const c = le
        ? (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0
        : ((bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3]) >>> 0;
      if (c > 0x10ffff) {
        badEnd = p + 4;
        reason = "code point not in range(0x110000)";
      } else if (c >= 0xd800 && c < 0xe000) {
        badEnd = p + 4;
        reason = "code point in surrogate code point range(0xd800, 0xe000)";
      } else {
        if (c >= 0x10000) {
          units.push(0xd800 + ((c - 0x10000) >> 10));
          offsets.push(last);
          emit(0xdc00 + ((c - 0x10000) & 0x3ff), p + 4);
          offsets[offsets.length - 1] = offsets[offsets.length - 2];
        } else {
          emit(c, p + 4);
        }
        p += 4;
        continue;
      }
    }
    if (errors === "strict") {
      offsets.push(last);
      return {
        text: unitsToString(units),
        used: p - start,
        kind: MapKind.TABLE,
        table: Int32Array.from(offsets),
        tail: 0,
        error: { start: p - start, end: badEnd - start, reason },
      };
    }
    if (errors === "replace") emit(0xfffd, badEnd);
    p = badEnd;
  }
  offsets.push(last);
  return {
    text: unitsToString(units),
    used: p - start,
    kind: MapKind.TABLE,
    table: Int32Array.from(offsets),
    tail: p - start - last,
    error: null,
  };
}

function unitsToString(units: number[]): string {
  let s = "";
  for (let i = 0; i < units.length; i += 4096) {
    s += String.fromCharCode.apply(null, units.slice(i, i + 4096));
  }
  return s;
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
  if (codec !== "utf-8" && codec !== "ascii" && codec !== "latin-1") {
    if (codec === "cp1252" || codec.startsWith("charmap:")) {
      const map = codec === "cp1252" ? CP1252_ENCODE : charmapOf(codec).encode;
      return encodeChecked(
        text,
        errors,
        (s, i) => !map.has(s.codePointAt(i)!),
        "character maps to <undefined>",
        (s) => Uint8Array.from(s, (c) => map.get(c.charCodeAt(0))!),
      );
    }
    // utf-16 and utf-32 report one surrogate at a time, as Python's do.
    return encodeChecked(
      text,
      errors,
      isLoneSurrogateAt,
      "surrogates not allowed",
      (s) => encodeUnits(codec, s),
      false,
    );
  }
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
  runs = true,
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
    if (errors === "strict") return { start: firstCp, end: runs ? cp : firstCp + 1, reason };
    i = runStart = j;
  }
  out += text.slice(runStart);
  return toBytes(out);
}

/** Well-formed `text` in utf-16 or utf-32 of either byte order. */
function encodeUnits(codec: Codec, text: string): Uint8Array {
  const le = codec === "utf-16-le" || codec === "utf-32-le";
  if (codec === "utf-16-le" || codec === "utf-16-be") {
    const out = new Uint8Array(text.length * 2);
    for (let i = 0, j = 0; i < text.length; i++, j += 2) {
      const u = text.charCodeAt(i);
      out[le ? j : j + 1] = u & 0xff;
      out[le ? j + 1 : j] = u >> 8;
    }
    return out;
  }
  const out = new Uint8Array(codePoints(text) * 4);
  const view = new DataView(out.buffer);
  let j = 0;
  for (const ch of text) {
    view.setUint32(j, ch.codePointAt(0)!, le);
    j += 4;
  }
  return out;
}

/**
 * Python's incremental encoder for a text file: `encode()` as above, with
 * the byte order mark of `utf-16`, `utf-32` and `utf-8-sig` before the
 * first bytes it returns.
 */
export class Encoder {
  readonly codec: Codec;
  #name: string;
  #errors: Errors;
  #bom: Uint8Array | null;

  constructor(encoding: Encoding, errors: Errors) {
    this.codec = encoding.codec!;
    this.#errors = errors;
    const bom = encoding.bom;
    this.#name = bom === "utf-16" || bom === "utf-32" ? bom : codecName(this.codec);
    this.#bom = bom === null
      ? null
      : bom === "utf-8-sig"
      ? Uint8Array.of(0xef, 0xbb, 0xbf)
      : encodeUnits(bom === "utf-16" ? "utf-16-le" : "utf-32-le", "\ufeff");
  }

  /**
   * The codec's name in `UnicodeEncodeError` messages: Python's `utf-16`
   * encoder names itself `utf-16-le` once it wrote the mark.
   */
  get name(): string {
    return this.#bom === null ? codecName(this.codec) : this.#name;
  }

  /** Whether the byte order mark is still to be written. */
  get pending(): boolean {
    return this.#bom !== null;
  }

  encode(text: string): Uint8Array | EncodeFailure {
    const bytes = encode(this.codec, this.#errors, text);
    const bom = this.#bom;
    if (bom === null || !(bytes instanceof Uint8Array)) return bytes;
    this.#bom = null;
    const out = new Uint8Array(bom.length + bytes.length);
    out.set(bom);
    out.set(bytes, bom.length);
    return out;
  }
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
