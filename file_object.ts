/**
 * `FileObject`, what `Socket.makefile()` returns: Python 3's file object over
 * a socket (`SocketIO` under a `BufferedReader`, `BufferedWriter` or
 * `BufferedRWPair`, under a `TextIOWrapper` in text modes), with async reads
 * and writes.
 *
 * Differences from Python, each a consequence of a guarantee of this
 * module:
 *
 * - A file object reads through the socket's own receive buffer and
 *   consumes only what it returns, so `recv()` and other file objects of the
 *   same socket can be mixed with it without losing or reordering bytes
 *   (Python's file object reads ahead). Exceptions: a line longer than the
 *   socket's buffer, the characters a text `read(n)` has gathered while
 *   waiting, and encodings that only `TextDecoder` knows, which are decoded
 *   ahead.
 * - A read that times out (`TimeoutError`) or would block
 *   (`BlockingIOError`) loses nothing and can be retried: the next call
 *   returns the whole line. Python's file object refuses every read after a
 *   timeout.
 * - Invalid bytes under `errors = "strict"` raise `UnicodeDecodeError` when
 *   the line that holds them is read, not before; the lines before them are
 *   returned. The bytes stay in the socket's buffer, so the error repeats
 *   until they are read some other way (`recv()`).
 * - Text mode buffers up to `buffering` bytes of encoded text (Python holds
 *   up to 8192 more in the `TextIOWrapper`).
 * - `buffering = 0` (binary only) gives Python's raw `SocketIO`: `read(n)`
 *   returns what one `recv()` would, and `write()` what one `send()` took
 *   in timeout and non-blocking modes (everything in blocking mode); where
 *   the socket takes nothing, it raises `BlockingIOError` (Python's raw
 *   `write()` returns None).
 * - A binary line is a view of the socket's buffer, not a copy (Python's
 *   `bytes` are immutable; do not write to the line's `ArrayBuffer`).
 * - Writes in timeout and non-blocking modes are Python's `BufferedWriter`
 *   over `send()`: a `BlockingIOError` says in `characters_written` how many
 *   bytes of this `write()` were accepted (sent or buffered), and exactly
 *   those reach the peer; `flush()` keeps what the socket did not take. In
 *   text mode `characters_written` counts the encoded bytes of this call's
 *   text (Python's `TextIOWrapper` counts bytes it had pending, earlier
 *   writes included, and drops the rest).
 * - `newlines` is not tracked (Python's records the line endings seen);
 *   `raw`, `buffer`, `detach()` and `reconfigure()` are absent: the layers
 *   of Python's file object are one object here. `read1()`, `peek()` and
 *   `readinto1()` exist in binary modes only (as Python's `BufferedReader`);
 *   `"rwb"` and `"rw"` files have a `mode` and `name` (Python's
 *   `BufferedRWPair` has neither). `repr()` (`toString()`,
 *   `Deno.inspect()`) says `object` where Python adds an address.
 * - A `utf-16` or `utf-32` stream without a byte order mark raises
 *   `UnicodeError` when read, as Python's, even where Python, which decodes
 *   8 KiB ahead, would first report bad bytes within them.
 * - Errors: Python's `ValueError` is a `RangeError` here (`I/O operation on
 *   closed file.`, bad modes), its `io.UnsupportedOperation` is
 *   `UnsupportedOperation` (a `RangeError`), its `LookupError` for an
 *   unknown encoding is a `RangeError`, and `UnicodeDecodeError` /
 *   `UnicodeEncodeError` are `RangeError`s with Python's fields and
 *   messages. `errors` may be `"strict"`, `"replace"` or `"ignore"`.
 *
 * @example A line protocol over loopback
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import assert from "node:assert/strict";
 *
 * await using server = socket.socket();
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * await using client = socket.socket();
 * await client.connect(server.getsockname());
 * const [conn] = await server.accept();
 *
 * await using out = client.makefile("w");
 * await out.write("hello\r\nworld\n");
 * await out.flush();
 *
 * await using inp = conn.makefile("r");
 * assert.equal(await inp.readline(), "hello\n"); // universal newlines
 * assert.equal(await inp.readline(), "world\n");
 * await conn.close();
 * ```
 *
 * @module
 */

import type { FileBackend } from "./_backend.ts";
import { EAGAIN } from "./constants.ts";
import { BlockingIOError } from "./errors.ts";
import { BinaryReader, TextReader } from "./_file_reader.ts";
import {
  checkErrors,
  checkNewline,
  codePoints,
  Encoder,
  lookupEncoding,
  pyTypeName,
  UnicodeEncodeError,
} from "./_text.ts";

export type { FileBackend, ReceiveView } from "./_backend.ts";
export { UnicodeDecodeError, UnicodeEncodeError, UnicodeError } from "./_text.ts";

/** Options of `Socket.makefile()`, as Python's keyword arguments. */
export interface MakefileOptions {
  /**
   * Size of the write buffer in bytes; null or negative: 8192 (Python's
   * `io.DEFAULT_BUFFER_SIZE`); 0: unbuffered, binary modes only.
   */
  buffering?: number | null;
  /**
   * Text modes: the encoding (default `"UTF-8"`). utf-8, utf-8-sig,
   * utf-16, utf-16-le, utf-16-be, utf-32, utf-32-le, utf-32-be, ascii,
   * latin-1, cp1250 to cp1258, iso8859_2 to iso8859_16 (but 11 and 12),
   * koi8_r and cp866 (under Python's names for them) read and write as
   * Python's codecs do; other encodings `TextDecoder` knows (`shift_jis`,
   * `euc_jp`, `gbk`, …) can be read, as the WHATWG Encoding Standard
   * decodes them (which accepts bytes Python's codecs refuse, and for
   * shift_jis, euc_jp, gb18030 and big5 differs on a few characters).
   */
  encoding?: string | null;
  /** Text modes: `"strict"` (default), `"replace"` or `"ignore"`. */
  errors?: string | null;
  /**
   * Text modes: Python's newline rule. null (default): universal newlines,
   * `\r\n` and `\r` read as `\n`, `\n` written as is. `""`: lines end at
   * any of the three, untranslated. `"\n"`, `"\r"`, `"\r\n"`: lines end
   * only there; `\n` is written as that.
   */
  newline?: string | null;
}

/**
 * Like Python's `io.UnsupportedOperation`: the operation does not fit the
 * file's mode (reading a file opened for writing only, or the reverse).
 * Python's class derives from both `OSError` and `ValueError`; this one is a
 * `RangeError`, as `ValueError` maps to `RangeError` in this module.
 *
 * @example Reading a write-only file
 * ```ts
 * import { UnsupportedOperation } from "@pysocket/socket/file-object";
 * import assert from "node:assert/strict";
 *
 * const e = new UnsupportedOperation("not readable");
 * assert.ok(e instanceof RangeError);
 * assert.equal(e.name, "UnsupportedOperation");
 * ```
 */
export class UnsupportedOperation extends RangeError {
  /**
   * Constructed as Python's.
   *
   * @param message What is not supported (Python's messages: `"not
   *   readable"`, `"not writable"`, `"read"`, `"write"`).
   */
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedOperation";
  }
}

const DEFAULT_BUFFER_SIZE = 8192;
const ENCODER = new TextEncoder();
const BYTES_PER_UNIT = 3; // the most UTF-8 bytes one UTF-16 unit needs

function noop(): void {}

/** The `BlockingIOError` of Python's `BufferedWriter`. */
function wouldBlock(written: number): BlockingIOError {
  return new BlockingIOError(EAGAIN, "write could not complete without blocking", {
    characters_written: written,
  });
}

function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(
    /[\\\n\r\t]/g,
    (c) => ({ "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c]!,
  );
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}

/** Python's `size` argument: an integer or None (-1 for "no limit"). */
function sizeArg(size: unknown, message?: string): number {
  if (size === null || size === undefined) return -1;
  if (typeof size !== "number" || !Number.isInteger(size)) {
    throw new TypeError(message ?? `argument should be integer or None, not '${pyTypeName(size)}'`);
  }
  return size < 0 ? -1 : size;
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (data instanceof ArrayBuffer || data instanceof SharedArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`a bytes-like object is required, not '${pyTypeName(data)}'`);
}

/**
 * Like the file object Python's `socket.makefile()` returns, but its reads
 * and writes return promises. Made by `Socket.makefile(mode, options)`;
 * binary modes (`"rb"`, `"wb"`, `"rwb"`) read `Uint8Array` and write any
 * bytes-like value, text modes (`"r"`, `"w"`, `"rw"`) read and write
 * `string`. `T` is what reads return.
 *
 * The socket stays connected while a file object made from it is open,
 * even after `socket.close()` (Python 3's rule); close both.
 *
 * @typeParam T `Uint8Array` for binary modes, `string` for text modes.
 *
 * @example Reading lines, binary
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import type { FileObject } from "@pysocket/socket/file-object";
 * import assert from "node:assert/strict";
 *
 * const [a, b] = await socket.socketpair();
 * await b.sendall("one\ntwo\nthree");
 * await b.close();
 * await using f = a.makefile("rb") as FileObject<Uint8Array>;
 * const lines: string[] = [];
 * for await (const line of f) lines.push(new TextDecoder().decode(line));
 * assert.deepEqual(lines, ["one\n", "two\n", "three"]);
 * await a.close();
 * ```
 */
export class FileObject<T extends Uint8Array | string = Uint8Array | string> {
  #backend: FileBackend;
  #fileno: number;
  #mode: string;
  #binary: boolean;
  #reading: boolean;
  #writing: boolean;
  #bufsize: number;
  #closed = false;
  /** Open for reading: not closed, and made with `r`. */
  #open = false;
  #closing: Promise<void> | null = null;
  #br: BinaryReader | null = null;
  #tr: TextReader | null = null;
  // Text mode: Python's `encoding`, `errors` and `newline` as given.
  #encodingName = "";
  #errorsName = "";
  #newline: string | null = null;
  // Text writing.
  #encoder: Encoder | null = null;
  /** Plain UTF-8 (no byte order mark to write): the fast path. */
  #utf8 = false;
  #writeNl: string | null = null;
  // The write buffer: `#wbuf[#wpos, #wend)` not yet sent (Python's
  // `write_pos` and `write_end`).
  #wbuf: Uint8Array | null = null;
  #wpos = 0;
  #wend = 0;
  /** Writes and flushes that wait (timeout and non-blocking modes), in call order. */
  #wbusy = 0;
  #wtail: Promise<void> = Promise.resolve();
  /** Settles when every send started so far has (never rejects). */
  #sent: Promise<void> = Promise.resolve();

  /**
   * Made by `Socket.makefile()`, which passes the socket's side of the
   * file. Checks `mode` and `options` as Python's `socket.makefile()` does.
   *
   * @param backend The socket's side.
   * @param mode Made of `r`, `w`, `b` (default `"r"`).
   * @param options `buffering`, `encoding`, `errors`, `newline`.
   * @throws {RangeError} `invalid mode 'x' (only r, w, b allowed)`,
   *   `unbuffered streams must be binary`, `unknown encoding: x`,
   *   `illegal newline value: x`, `unknown error handler name 'x'`.
   * @throws {TypeError} for arguments of the wrong type.
   */
  constructor(backend: FileBackend, mode: string = "r", options: MakefileOptions = {}) {
    if (typeof mode !== "string") {
      throw new TypeError(`makefile() argument 'mode' must be str, not ${pyTypeName(mode)}`);
    }
    if (!/^[rwb]*$/.test(mode)) {
      throw new RangeError(`invalid mode ${pyRepr(mode)} (only r, w, b allowed)`);
    }
    this.#backend = backend;
    // Python's socket keeps its descriptor while a file object is open, even
    // after close(): the name stays what it was.
    this.#fileno = backend.fileno();
    this.#writing = mode.includes("w");
    this.#reading = mode.includes("r") || !this.#writing;
    this.#binary = mode.includes("b");
    const raw = (this.#reading ? "r" : "") + (this.#writing ? "w" : "");
    this.#mode = this.#binary ? raw + "b" : mode;

    const buffering = options.buffering ?? -1;
    if (typeof buffering !== "number" || !Number.isInteger(buffering)) {
      throw new TypeError(`'${pyTypeName(buffering)}' object cannot be interpreted as an integer`);
    }
    this.#bufsize = buffering < 0 ? DEFAULT_BUFFER_SIZE : buffering;
    if (this.#bufsize === 0 && !this.#binary) {
      throw new RangeError("unbuffered streams must be binary");
    }

    if (this.#binary) {
      // Python's makefile() ignores encoding, errors and newline here.
      if (this.#reading) this.#br = new BinaryReader(backend, this.#bufsize === 0);
      this.#open = this.#reading;
      return;
    }
    // Python's default is the locale's encoding: "UTF-8" on the platforms
    // Deno runs on (in Python's UTF-8 mode it would read "utf-8").
    const name = options.encoding ?? "UTF-8";
    if (typeof name !== "string") {
      throw new TypeError(
        `makefile() argument 'encoding' must be str or None, not ${pyTypeName(name)}`,
      );
    }
    const errorsName = options.errors ?? "strict";
    if (typeof errorsName !== "string") {
      throw new TypeError(
        `makefile() argument 'errors' must be str or None, not ${pyTypeName(errorsName)}`,
      );
    }
    const newline = checkNewline(options.newline);
    const encoding = lookupEncoding(name);
    const errors = checkErrors(errorsName);
    if (encoding.codec === null) {
      // TextDecoder has no "ignore", and there is no encoder but UTF-8's.
      if (errors === "ignore") {
        throw new RangeError(`errors 'ignore' is not supported for encoding '${encoding.name}'`);
      }
      if (this.#writing) {
        throw new RangeError(
          `encoding '${encoding.name}' can only be read (written: utf-8, ascii, latin-1)`,
        );
      }
    } else if (this.#writing) {
      this.#encoder = new Encoder(encoding, errors);
      this.#utf8 = encoding.codec === "utf-8" && encoding.bom === null;
    }
    this.#encodingName = name;
    this.#errorsName = errors;
    this.#newline = newline;
    // On output, "\n" becomes `newline`; null means os.linesep, "\n" here.
    this.#writeNl = newline === "\r" || newline === "\r\n" ? newline : null;
    if (this.#reading) this.#tr = new TextReader(backend, encoding, errors, newline);
    this.#open = this.#reading;
  }

  /**
   * Like Python's `closed`: whether `close()` was called.
   *
   * @returns True once closed.
   */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Like Python's `mode`: the mode given to `makefile()` in text modes,
   * `"rb"`, `"wb"` or `"rwb"` in binary modes.
   *
   * @returns The mode.
   */
  get mode(): string {
    return this.#mode;
  }

  /**
   * Like Python's `name`: the socket's `fileno()` (as it was when the file
   * was made, even if the socket was closed since), -1 once closed.
   *
   * @returns The number.
   */
  get name(): number {
    return this.#closed ? -1 : this.#fileno;
  }

  /**
   * Like Python's `fileno()`: the socket's `fileno()`, as `name`.
   *
   * @returns The number.
   * @throws {UnsupportedOperation} `fileno` for `"rwb"` and `"rw"`, as
   *   Python's `BufferedRWPair`.
   * @throws {RangeError} `I/O operation on closed file.` once closed.
   */
  fileno(): number {
    if (this.#reading && this.#writing && this.#bufsize > 0) {
      throw new UnsupportedOperation("fileno");
    }
    if (this.#closed) throw new RangeError("I/O operation on closed file.");
    return this.#fileno;
  }

  /**
   * Like Python's `isatty()`: a socket is not a terminal.
   *
   * @returns False.
   * @throws {RangeError} `I/O operation on closed file.` once closed.
   */
  isatty(): boolean {
    if (this.#closed) throw new RangeError("I/O operation on closed file.");
    return false;
  }

  /**
   * Like Python's `seekable()`: a socket cannot seek.
   *
   * @returns False.
   * @throws {RangeError} `I/O operation on closed socket.` once closed
   *   (except `"rwb"` and `"rw"`, as Python).
   */
  seekable(): boolean {
    if (this.#closed && !(this.#reading && this.#writing)) {
      throw new RangeError("I/O operation on closed socket.");
    }
    return false;
  }

  /**
   * Like Python's `tell()`: a socket has no position.
   *
   * @throws {UnsupportedOperation} always, with Python's message.
   * @throws {RangeError} `I/O operation on closed file.` on a closed text file.
   */
  tell(): never {
    if (!this.#binary && this.#closed) throw new RangeError("I/O operation on closed file.");
    throw new UnsupportedOperation(this.#binary ? "seek" : "underlying stream is not seekable");
  }

  /**
   * Like Python's `seek(offset, whence=0)`: a socket cannot seek.
   *
   * @param _offset Ignored.
   * @param _whence Ignored.
   * @throws {UnsupportedOperation} always, with Python's message.
   * @throws {RangeError} on a closed file, with Python's message.
   */
  seek(_offset: number, _whence: number = 0): never {
    // Python's BufferedRWPair and raw SocketIO say "seek", closed or not.
    const pair = this.#bufsize === 0 || (this.#reading && this.#writing && this.#binary);
    if (this.#closed && !pair) {
      throw new RangeError(this.#binary ? "seek of closed file" : "I/O operation on closed file.");
    }
    throw new UnsupportedOperation(
      !this.#binary
        ? "underlying stream is not seekable"
        : pair
        ? "seek"
        : "File or stream is not seekable.",
    );
  }

  /**
   * Like Python's `truncate(size=None)`: a socket cannot be truncated.
   *
   * @param _size Ignored.
   * @throws {UnsupportedOperation} `truncate`.
   * @throws {RangeError} on a closed file, with Python's message.
   */
  truncate(_size?: number | null): never {
    const pair = this.#bufsize === 0 || (this.#reading && this.#writing && this.#binary);
    if (this.#closed && !pair) {
      throw new RangeError(
        this.#binary ? "truncate of closed file" : "I/O operation on closed file.",
      );
    }
    throw new UnsupportedOperation("truncate");
  }

  /**
   * Like Python's `encoding` (text modes): the encoding as given, or
   * `"UTF-8"` (the locale's, as Python reports it) by default; null in
   * binary modes (Python's binary files have no such attribute).
   *
   * @returns The name.
   */
  get encoding(): string | null {
    return this.#binary ? null : this.#encodingName;
  }

  /**
   * Like Python's `errors` (text modes): the error handler; null in binary
   * modes.
   *
   * @returns `"strict"`, `"replace"` or `"ignore"`.
   */
  get errors(): string | null {
    return this.#binary ? null : this.#errorsName;
  }

  /**
   * Like Python's `line_buffering` (text modes): always false, as
   * `makefile()` makes it; null in binary modes.
   *
   * @returns False.
   */
  get line_buffering(): boolean | null {
    return this.#binary ? null : false;
  }

  /**
   * Like Python's `write_through` (text modes): always false; null in
   * binary modes.
   *
   * @returns False.
   */
  get write_through(): boolean | null {
    return this.#binary ? null : false;
  }

  /**
   * Like Python's `repr()` of the file object:
   * `<_io.BufferedReader name=3>`, `<_io.BufferedWriter name=3>`,
   * `<_io.BufferedRWPair object>`, `<socket.SocketIO object>` (unbuffered),
   * `<_io.TextIOWrapper name=3 mode='r' encoding='UTF-8'>`.
   *
   * @returns The text.
   */
  toString(): string {
    if (this.#bufsize === 0) return "<socket.SocketIO object>";
    const pair = this.#reading && this.#writing;
    if (this.#binary) {
      if (pair) return "<_io.BufferedRWPair object>";
      return `<_io.Buffered${this.#reading ? "Reader" : "Writer"} name=${this.name}>`;
    }
    const name = pair ? "" : ` name=${this.name}`;
    return `<_io.TextIOWrapper${name} mode=${pyRepr(this.#mode)} encoding=${
      pyRepr(this.#encodingName)
    }>`;
  }

  /** `Deno.inspect(file)` and `console.log(file)` show `toString()`. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /**
   * Like Python's `readable()`.
   *
   * @returns Whether the file was opened for reading.
   * @throws {RangeError} `I/O operation on closed socket.` once closed.
   */
  readable(): boolean {
    if (this.#closed) throw new RangeError("I/O operation on closed socket.");
    return this.#reading;
  }

  /**
   * Like Python's `writable()`.
   *
   * @returns Whether the file was opened for writing.
   * @throws {RangeError} `I/O operation on closed socket.` once closed.
   */
  writable(): boolean {
    if (this.#closed) throw new RangeError("I/O operation on closed socket.");
    return this.#writing;
  }

  #checkRead(op: string): void {
    if (this.#closed) {
      throw new RangeError(
        this.#binary && op !== "" ? `${op} of closed file` : "I/O operation on closed file.",
      );
    }
    if (!this.#reading) throw new UnsupportedOperation(this.#binary ? "read" : "not readable");
  }

  /**
   * Like Python's `readline(size=-1)`, but returns a promise: the next line,
   * ending in its newline, or the rest of the stream at its end; empty at
   * end of stream. With `size` ≥ 0, at most `size` bytes (characters in
   * text mode, counted in code points as Python counts them).
   *
   * A line that is already buffered is returned without waiting for the
   * socket. In binary mode it is a view of the socket's buffer, not a copy:
   * do not write to its underlying `ArrayBuffer`.
   *
   * @param size The most bytes or characters to return; -1 or null for no limit.
   * @returns The line.
   * @throws {RangeError} on a closed file; `UnicodeDecodeError` for invalid
   *   text under `errors = "strict"`.
   * @throws {UnsupportedOperation} on a file not opened for reading.
   * @throws {TypeError} for a `size` that is not an integer.
   * @throws {OSError} `TimeoutError`, `BlockingIOError` by the socket's mode
   *   (nothing is lost: call again), or the socket's failure.
   *
   * @example Lines and a size limit
   * ```ts
   * import * as socket from "@pysocket/socket";
   * import type { FileObject } from "@pysocket/socket/file-object";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = await socket.socketpair();
   * await b.sendall("first line\nsecond\n");
   * await using f = a.makefile("r") as FileObject<string>;
   * assert.equal(await f.readline(5), "first");
   * assert.equal(await f.readline(), " line\n");
   * assert.equal(await f.readline(), "second\n");
   * await a.close();
   * await b.close();
   * ```
   */
  readline(size: number | null = -1): Promise<T> {
    if (size === -1 && this.#open) {
      // The common case, kept small: a whole line that is already there.
      try {
        if (this.#br !== null) {
          const line = this.#br.lineNow(-1);
          // Reading `length` first shows V8 the line is a Uint8Array, so
          // Promise.resolve() skips its generic lookup of `then` on it
          // (about 40 ns a line, a fifth of the whole).
          if (line !== null && line.length > 0) return Promise.resolve(line as T);
        } else {
          const line = this.#tr!.lineNow();
          if (line !== null) return Promise.resolve(line as T);
        }
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return this.#readline(size);
  }

  #readline(size: number | null): Promise<T> {
    try {
      this.#checkRead("readline");
      if (size !== -1) {
        size = sizeArg(
          size,
          this.#binary || typeof size !== "number"
            ? undefined
            : `'${pyTypeName(size)}' object cannot be interpreted as an integer`,
        );
      }
      const br = this.#br;
      if (br !== null) {
        const line = br.lineNow(size);
        if (line !== null) return Promise.resolve(line as T);
        return br.readline(size) as Promise<T>;
      }
      const tr = this.#tr!;
      if (size < 0) {
        const line = tr.lineNow();
        if (line !== null) return Promise.resolve(line as T);
      }
      return tr.readline(size) as Promise<T>;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Like Python's `read(size=-1)`, but returns a promise: `size` bytes
   * (characters in text mode) unless the stream ends first, however large
   * `size` is; with `size` negative or null, everything up to the end of
   * the stream. Empty at end of stream. Unbuffered (`buffering = 0`):
   * what one `recv()` would return, at most `size` bytes.
   *
   * @param size How many bytes or characters; -1 or null for all.
   * @returns The data.
   * @throws {RangeError} on a closed file; `UnicodeDecodeError` as `readline()`.
   * @throws {UnsupportedOperation} on a file not opened for reading.
   * @throws {TypeError} for a `size` that is not an integer.
   * @throws {OSError} as `readline()`.
   */
  read(size: number | null = -1): Promise<T> {
    try {
      this.#checkRead("read");
      if (size !== -1) size = sizeArg(size);
      const br = this.#br;
      if (br !== null) {
        const data = br.readNow(size);
        if (data !== null) return Promise.resolve(data as T);
        return br.read(size) as Promise<T>;
      }
      return this.#tr!.read(size) as Promise<T>;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Like Python's `readlines(hint=-1)`, but returns a promise: lines up to
   * the end of the stream, or until they total `hint` bytes (characters)
   * or more when `hint` > 0.
   *
   * @param hint Stop once this much was read; 0, -1 or null for no limit.
   * @returns The lines.
   * @throws {RangeError} on a closed file.
   * @throws {UnsupportedOperation} on a file not opened for reading.
   * @throws {TypeError} for a `hint` that is not an integer.
   * @throws {OSError} as `readline()`.
   */
  async readlines(hint: number | null = -1): Promise<T[]> {
    this.#checkRead("");
    const limit = sizeArg(hint);
    const lines: T[] = [];
    let total = 0;
    for (;;) {
      const line = await this.readline();
      if (line.length === 0) break;
      lines.push(line);
      if (limit > 0) {
        total += typeof line === "string" ? codePoints(line) : line.length;
        if (total >= limit) break;
      }
    }
    return lines;
  }

  /**
   * Like Python's `readinto(b)` (binary modes), but returns a promise: reads
   * into `buffer` until it is full or the stream ends (unbuffered: what one
   * `recv_into()` would).
   *
   * @param buffer Where to put the bytes.
   * @returns How many bytes were read; 0 at end of stream.
   * @throws {RangeError} on a closed file.
   * @throws {UnsupportedOperation} in text mode, or not opened for reading.
   * @throws {TypeError} for a `buffer` that is not a writable bytes-like object.
   * @throws {OSError} as `readline()`.
   */
  async readinto(buffer: ArrayBufferView | ArrayBufferLike): Promise<number> {
    this.#checkRead("readinto");
    if (!this.#binary) throw new UnsupportedOperation("readinto");
    if (
      !(ArrayBuffer.isView(buffer) || buffer instanceof ArrayBuffer ||
        buffer instanceof SharedArrayBuffer)
    ) {
      throw new TypeError(
        `readinto() argument must be read-write bytes-like object, not ${pyTypeName(buffer)}`,
      );
    }
    const dst = toBytes(buffer);
    const data = await this.#br!.read(dst.length);
    dst.set(data);
    return data.length;
  }

  /** The binary reader, for `read1()`, `peek()` and `readinto1()`. */
  #bufferedReader(op: string, closedOp: string): BinaryReader {
    if (this.#closed && this.#reading && this.#binary) {
      throw new RangeError(`${closedOp} of closed file`);
    }
    if (!this.#binary || this.#bufsize === 0) {
      // Python's TextIOWrapper and raw SocketIO have no such method.
      throw new UnsupportedOperation(op);
    }
    if (!this.#reading) throw new UnsupportedOperation("read1");
    return this.#br!;
  }

  /**
   * Like Python's `BufferedReader.read1(size=-1)` (binary modes), but
   * returns a promise: up to `size` bytes of what is already received,
   * waiting for the socket only when nothing is; empty at end of stream.
   *
   * @param size The most bytes to return; -1 or null for all that is buffered.
   * @returns The bytes.
   * @throws {RangeError} `read of closed file` on a closed file.
   * @throws {UnsupportedOperation} in text mode, unbuffered, or not opened
   *   for reading.
   * @throws {OSError} as `readline()`.
   */
  read1(size: number | null = -1): Promise<Uint8Array> {
    try {
      const br = this.#bufferedReader("read1", "read");
      return br.read1(sizeArg(size));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Like Python's `BufferedReader.readinto1(b)` (binary modes), but returns
   * a promise: as `read1(buffer.length)`, into `buffer`.
   *
   * @param buffer Where to put the bytes.
   * @returns How many bytes were read; 0 at end of stream.
   * @throws as `read1()`; {TypeError} for a `buffer` that is not bytes-like.
   */
  async readinto1(buffer: ArrayBufferView | ArrayBufferLike): Promise<number> {
    const br = this.#bufferedReader("readinto1", "readinto");
    const dst = toBytes(buffer);
    const data = await br.read1(dst.length);
    dst.set(data);
    return data.length;
  }

  /**
   * Like Python's `BufferedReader.peek()` (binary modes), but returns a
   * promise: a copy of the bytes already received, consuming none, waiting
   * for the socket only when none are; empty at end of stream.
   *
   * @param _size Ignored, as in Python (which returns what is buffered).
   * @returns The bytes.
   * @throws {RangeError} `peek of closed file` on a closed file.
   * @throws {UnsupportedOperation} in text mode, unbuffered, or not opened
   *   for reading.
   * @throws {OSError} as `readline()`.
   */
  peek(_size: number = 0): Promise<Uint8Array> {
    try {
      return this.#bufferedReader("peek", "peek").peek();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  #checkWrite(op: string): void {
    if (this.#closed) {
      throw new RangeError(
        this.#binary && op !== "" ? `${op} closed file` : "I/O operation on closed file.",
      );
    }
    if (!this.#writing) throw new UnsupportedOperation(this.#binary ? "write" : "not writable");
  }

  /**
   * Like Python's `write(data)`, but returns a promise. Buffered: the data
   * goes out when the buffer (`buffering` bytes) is full, on `flush()` or
   * on `close()`; data larger than the buffer is sent at once, as Python's
   * `BufferedWriter` does. Text is encoded, with `\n` written as `newline`
   * when that is `"\r"` or `"\r\n"`.
   *
   * @param data Binary modes: any bytes-like value; text modes: a string.
   * @returns How many bytes (characters, in code points) were written:
   *   all of `data` (unbuffered, in timeout and non-blocking modes: what
   *   one `send()` took).
   * @throws {RangeError} on a closed file; `UnicodeEncodeError` for text the
   *   encoding cannot represent under `errors = "strict"`.
   * @throws {UnsupportedOperation} on a file not opened for writing.
   * @throws {TypeError} for a string in binary mode, bytes in text mode.
   * @throws {BlockingIOError} in non-blocking mode when the socket and the
   *   buffer cannot take all of `data`: `characters_written` bytes of it
   *   were taken (and will reach the peer), as Python's `BufferedWriter`.
   * @throws {OSError} when sending fails, or `TimeoutError` in timeout mode.
   *
   * @example Nothing is sent before flush()
   * ```ts
   * import * as socket from "@pysocket/socket";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = await socket.socketpair();
   * await using f = a.makefile("wb");
   * assert.equal(await f.write(new TextEncoder().encode("ping\n")), 5);
   * await f.flush();
   * assert.equal(new TextDecoder().decode(await b.recv(100)), "ping\n");
   * await a.close();
   * await b.close();
   * ```
   */
  write(data: T extends string ? string : ArrayBufferView | ArrayBufferLike): Promise<number> {
    try {
      this.#checkWrite("write to");
      if (this.#binary) {
        const bytes = toBytes(data);
        return this.#write(bytes, bytes.length);
      }
      if (typeof data !== "string") {
        throw new TypeError(`write() argument must be str, not ${pyTypeName(data)}`);
      }
      const count = codePoints(data);
      const text = this.#writeNl === null ? data : data.replaceAll("\n", this.#writeNl);
      // Fast path: UTF-8 straight into the buffer when it surely fits.
      if (
        this.#utf8 && this.#wbusy === 0 &&
        text.length * BYTES_PER_UNIT <= this.#bufsize - this.#wend && text.isWellFormed()
      ) {
        const buf = this.#wbuf ??= new Uint8Array(this.#bufsize);
        this.#wend += ENCODER.encodeInto(text, buf.subarray(this.#wend)).written;
        return Promise.resolve(count);
      }
      const encoder = this.#encoder!;
      const bytes = encoder.encode(text);
      if (!(bytes instanceof Uint8Array)) {
        throw new UnicodeEncodeError(encoder.name, text, bytes.start, bytes.end, bytes.reason);
      }
      return this.#write(bytes, count);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Like Python's `writelines(lines)`, but returns a promise: writes each
   * of `lines` (no newlines are added).
   *
   * @param lines What to write.
   * @throws as `write()`.
   */
  async writelines(
    lines: Iterable<T extends string ? string : ArrayBufferView | ArrayBufferLike>,
  ): Promise<void> {
    this.#checkWrite("");
    for (const line of lines) await this.write(line);
  }

  /** Whether writes go through partial sends (timeout and non-blocking modes). */
  #partial(): boolean {
    const b = this.#backend;
    return b.send !== undefined && (b.timeout ?? null) !== null;
  }

  /** Writes `bytes`; resolves `count` (what `write()` reports) once done. */
  #write(bytes: Uint8Array, count: number): Promise<number> {
    if (this.#wbusy === 0) {
      const n = bytes.length;
      if (this.#bufsize > 0 && n <= this.#bufsize - this.#wend) {
        this.#append(bytes);
        return Promise.resolve(count);
      }
      if (!this.#partial()) {
        const sending = this.#buffer(bytes);
        return sending === null ? Promise.resolve(count) : sending.then(() => count);
      }
    }
    return this.#serial(async () => {
      if (this.#partial()) return await this.#writePartial(bytes, count);
      await this.#buffer(bytes);
      return count;
    });
  }

  /** Runs `fn` after the writes and flushes that wait, in call order. */
  #serial<R>(fn: () => Promise<R>): Promise<R> {
    const run = async (): Promise<R> => {
      try {
        return await fn();
      } finally {
        this.#wbusy--;
      }
    };
    const result = this.#wbusy++ === 0 ? run() : this.#wtail.then(run);
    this.#wtail = result.then(noop, noop);
    return result;
  }

  /** Appends `bytes` to the write buffer, which has room for them. */
  #append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const buf = this.#wbuf ??= new Uint8Array(this.#bufsize);
    buf.set(bytes, this.#wend);
    this.#wend += bytes.length;
  }

  /**
   * Blocking mode: buffers `bytes` as Python's `BufferedWriter.write()`
   * does; returns the sends it started, or null when it only buffered.
   * Sends start at once and in order, so calls need not wait for each other.
   */
  #buffer(bytes: Uint8Array): Promise<void> | null {
    const n = bytes.length;
    const size = this.#bufsize;
    if (size === 0) return n === 0 ? null : this.#send(bytes);
    if (n <= size - this.#wend) {
      this.#append(bytes);
      return null;
    }
    // Full: send what is buffered, then the data itself if it is larger than
    // the buffer, else buffer it. Both sends start now, in order.
    const first = this.#sendBuffered();
    if (n > size) {
      const second = this.#send(bytes);
      return first === null ? second : Promise.all([first, second]).then(noop);
    }
    this.#append(bytes);
    return first;
  }

  /** Hands the buffered bytes to `sendall()`; the buffer is theirs now. */
  #sendBuffered(): Promise<void> | null {
    if (this.#wend === this.#wpos) return null;
    const data = this.#wbuf!.subarray(this.#wpos, this.#wend);
    this.#wbuf = null;
    this.#wpos = this.#wend = 0;
    return this.#send(data);
  }

  #send(data: Uint8Array): Promise<void> {
    const p = this.#backend.sendall(data);
    this.#sent = p.then(noop, noop);
    return p;
  }

  /**
   * Timeout and non-blocking modes: Python's `BufferedWriter.write()` over
   * a socket's `send()` (CPython's `_bufferedwriter_write`). What the socket
   * does not accept at once is buffered while the buffer has room; when it
   * has none, `BlockingIOError` says in `characters_written` how many bytes
   * of `bytes` were accepted (sent or buffered): exactly those reach the
   * peer, so the caller writes the rest again.
   */
  async #writePartial(bytes: Uint8Array, count: number): Promise<number> {
    const n = bytes.length;
    const size = this.#bufsize;
    if (size === 0) return n === 0 ? 0 : await this.#backend.send!(bytes);
    if (n <= size - this.#wend) {
      this.#append(bytes);
      return count;
    }
    try {
      await this.#flushPartial();
    } catch (e) {
      if (!(e instanceof BlockingIOError)) throw e;
      // Make room by moving what is left to the front, and buffer what fits.
      const buf = this.#wbuf!;
      buf.copyWithin(0, this.#wpos, this.#wend);
      this.#wend -= this.#wpos;
      this.#wpos = 0;
      const avail = size - this.#wend;
      if (n <= avail) {
        this.#append(bytes);
        return count;
      }
      this.#append(bytes.subarray(0, avail));
      throw wouldBlock(avail);
    }
    let written = 0;
    while (n - written > size) {
      let k: number;
      try {
        k = await this.#backend.send!(bytes.subarray(written));
      } catch (e) {
        if (!(e instanceof BlockingIOError)) throw e;
        this.#append(bytes.subarray(written, written + size));
        throw wouldBlock(written + size);
      }
      written += k;
    }
    this.#append(bytes.subarray(written));
    return count;
  }

  /**
   * Timeout and non-blocking modes: sends what is buffered with `send()`;
   * what the socket does not take stays buffered (`BlockingIOError` with
   * `characters_written` 0, or `TimeoutError`), as in Python.
   */
  async #flushPartial(): Promise<void> {
    while (this.#wpos < this.#wend) {
      let k: number;
      try {
        k = await this.#backend.send!(this.#wbuf!.subarray(this.#wpos, this.#wend));
      } catch (e) {
        throw e instanceof BlockingIOError ? wouldBlock(0) : e;
      }
      this.#wpos += k;
    }
    this.#wpos = this.#wend = 0;
  }

  /**
   * Like Python's `flush()`, but returns a promise: sends what is buffered.
   * Blocking mode: resolves once everything written so far has been sent.
   * Timeout and non-blocking modes: once the socket has accepted it all
   * (queued to send); what it does not accept stays buffered for the next
   * `flush()`, as in Python. Does nothing on a file not opened for writing.
   *
   * @throws {RangeError} on a closed file.
   * @throws {OSError} when sending fails; `TimeoutError` in timeout mode;
   *   `BlockingIOError` (`characters_written` 0) in non-blocking mode when
   *   the socket cannot take all of it now.
   */
  flush(): Promise<void> {
    if (this.#closed) {
      const message = this.#binary && this.#writing
        ? "flush of closed file"
        : "I/O operation on closed file.";
      return Promise.reject(new RangeError(message));
    }
    return this.#flush();
  }

  #flush(): Promise<void> {
    if (!this.#writing) return Promise.resolve();
    if (this.#wbusy === 0 && !this.#partial()) return this.#sendBuffered() ?? this.#sent;
    return this.#serial(() =>
      this.#partial() ? this.#flushPartial() : this.#sendBuffered() ?? this.#sent
    );
  }

  /**
   * Like Python's `close()`, but returns a promise: flushes, then lets go of
   * the socket (which closes once it is closed too and no other file
   * object of it is open). Later calls do nothing.
   *
   * @throws {OSError} when the last flush fails; the file is closed anyway.
   */
  close(): Promise<void> {
    if (this.#closing !== null) return this.#closing.catch(noop);
    this.#closed = true;
    this.#open = false;
    const flushed = this.#flush();
    const release = () => this.#backend.release();
    this.#closing = flushed.then(release, (e) => release().then(() => Promise.reject(e)));
    return this.#closing;
  }

  /**
   * Lines until the end of the stream: `for await (const line of f)`, as
   * Python's `for line in f`. A line that is already buffered is returned
   * without waiting for the socket.
   *
   * @returns An iterator of lines.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    const it: AsyncIterableIterator<T> = {
      next: (): Promise<IteratorResult<T>> => {
        try {
          if (!this.#open) this.#checkRead("readline");
          const line = this.#br !== null ? this.#br.lineNow(-1) : this.#tr!.lineNow();
          if (line !== null) return Promise.resolve({ value: line as T, done: false });
        } catch (e) {
          return Promise.reject(e);
        }
        const next = this.#br !== null ? this.#br.readline(-1) : this.#tr!.readline(-1);
        return next.then((line) =>
          line.length === 0 ? { value: undefined, done: true } : { value: line as T, done: false }
        );
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }

  /** Flushes and closes: `await using f = sock.makefile("w")`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
