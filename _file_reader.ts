/**
 * The read side of `FileObject`: Python's `BufferedReader` (binary) and
 * `TextIOWrapper` (text) over a socket's receive buffer (`FileBackend`).
 *
 * Both keep unreturned bytes in the socket's buffer rather than in a buffer
 * of their own: a line is consumed from the socket only when it is returned.
 * So `recv()` after `readline()` sees the bytes after the line (Python's
 * file object would have read ahead), and a call that times out or would
 * block loses nothing: the next call finds the partial line where it was.
 * Only data that cannot stay there (a line or a `read(n)` longer than the
 * socket's buffer, the characters a text `read(n)` has gathered so far)
 * moves to the reader's own accumulator, which the next call continues
 * from.
 *
 * Speed: a binary line is a view of the socket's buffer (no copy). Text is
 * decoded a block at a time (one `TextDecoder` call for many lines) and
 * lines are slices of the decoded string; the reader consumes each line's
 * bytes from the socket as it returns it, knowing how many bytes each
 * character took. If something else consumed from the socket in between
 * (`recv()`), the decoded text no longer matches and is decoded afresh.
 * When a line is ready no call waits for anything, and the reader works on
 * the socket's `ReceiveBuffer` itself (`FileBackend.receiver()`), not
 * through the backend's closures. There it consumes lazily (`defer()`): it
 * counts the bytes of the lines it returns and consumes them when the
 * buffer asks it to settle, before anything else looks at the buffer
 * (`recv()`, another file object, the buffer's own reads). So a line costs
 * a newline scan, a view or a slice, and a few field updates.
 *
 * @module
 */

import type { FileBackend, ReceiveView } from "./_backend.ts";
import {
  advanceCodePoints,
  type Codec,
  codecName,
  codePoints,
  decode,
  type Decoded,
  type Encoding,
  type Errors,
  findLineEnd,
  MapKind,
  type Newline,
  readBOM,
  tableOf,
  translateNewlines,
  UnicodeDecodeError,
  utf8Length,
} from "./_text.ts";

/**
 * The socket's side, with an optional count of the bytes consumed from its
 * buffer so far (by anyone): where it exists, a reader keeps its view of the
 * buffer from one line to the next instead of asking for a fresh one, for as
 * long as the count says nothing else consumed.
 */
export type Backend = FileBackend & { readonly consumed?: number };

function noop(): void {}

const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_WORDS = new Int32Array(0);

/** The socket's buffer through the backend, for a backend without `receiver()`. */
function viewOf(b: Backend): ReceiveView {
  return {
    view: () => b.buffered(),
    transientView: () => b.buffered(),
    skip: (n) => b.consume(n),
    consume: (n) => b.consume(n),
    get consumed() {
      return b.consumed ?? NaN;
    },
  };
}

/**
 * Where a reader finds the socket's buffer: the socket's `ReceiveBuffer`
 * once it has one, else (not connected yet, or a backend without
 * `receiver()`) the backend. Both count consumed bytes alike.
 */
class Source {
  #b: Backend;
  /** What `get()` returns: the receiver once there is one. */
  current: ReceiveView;
  direct = false;

  constructor(b: Backend) {
    this.#b = b;
    this.current = viewOf(b);
  }

  get(): ReceiveView {
    if (!this.direct) {
      const r = this.#b.receiver?.() ?? null;
      if (r !== null) {
        this.current = r;
        this.direct = true;
      }
    }
    return this.current;
  }
}

/**
 * Index of the first newline in `bytes[from, end)`, or -1. `words` is an
 * `Int32Array` over the whole of `bytes`' buffer (`bytes` spans it all):
 * four bytes at a time, about half the cost of `Uint8Array.indexOf()` (a
 * builtin call) for lines of tens of bytes.
 */
export function findNewline(
  bytes: Uint8Array,
  words: Int32Array<ArrayBufferLike>,
  from: number,
  end: number,
): number {
  let i = from;
  if (end - i < 16) {
    for (; i < end; i++) if (bytes[i] === 10) return i;
    return -1;
  }
  for (; (i & 3) !== 0; i++) if (bytes[i] === 10) return i;
  let k = i >> 2;
  const last = end >> 2;
  for (; k < last; k++) {
    const x = words[k] ^ 0x0a0a0a0a;
    // Nonzero exactly when one of the four bytes of x is zero.
    if (((x - 0x01010101) & ~x & 0x80808080) !== 0) {
      for (let j = k << 2;; j++) if (bytes[j] === 10) return j;
    }
  }
  for (i = k << 2; i < end; i++) if (bytes[i] === 10) return i;
  return -1;
}

/** Serializes calls that wait: each runs after the previous one settled. */
class Queue {
  /** Calls running or waiting; while nonzero, no call may take a fast path. */
  busy = 0;
  #tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const task = async (): Promise<T> => {
      try {
        return await fn();
      } finally {
        // Before the caller resumes, so its next call can take the fast path.
        this.busy--;
      }
    };
    const result = this.busy++ === 0 ? task() : this.#tail.then(task);
    this.#tail = result.then(noop, noop);
    return result;
  }
}

/** Python's `BufferedReader` (and the raw `SocketIO` for `buffering = 0`). */
export class BinaryReader {
  #b: Backend;
  #raw: boolean;
  #queue = new Queue();
  /** Bytes taken from the socket but not yet returned, in order. */
  #acc: Uint8Array[] = [];
  #accLen = 0;
  #src: Source;
  /**
   * The socket's buffer as last seen, by absolute index in its
   * `ArrayBuffer` (`#bytes`, and `#words` for `findNewline()`): `#pos` to
   * `#end` is unread.
   */
  #ab: ArrayBufferLike = EMPTY_BYTES.buffer;
  #bytes: Uint8Array = EMPTY_BYTES;
  #words: Int32Array<ArrayBufferLike> = EMPTY_WORDS;
  #pos = 0;
  #end = 0;
  /**
   * Whether `#pos` to `#end` is still the socket's whole buffer: set when
   * the socket's receiver lets this reader consume lazily (`defer()`),
   * cleared by `settle()`, which it calls before anything else reads.
   */
  #live = false;
  /** Bytes returned since then and not yet consumed from the socket. */
  #owed = 0;

  constructor(backend: Backend, raw: boolean) {
    this.#b = backend;
    this.#raw = raw;
    this.#src = new Source(backend);
  }

  /** A line if one is buffered, else null; throws what the socket throws. */
  lineNow(size: number): Uint8Array | null {
    if (this.#queue.busy !== 0 || this.#accLen !== 0) return null;
    // The view from last time is good while nothing else looked.
    let i = this.#live ? findNewline(this.#bytes, this.#words, this.#pos, this.#end) : -1;
    if (i === -1) {
      this.#refresh();
      i = findNewline(this.#bytes, this.#words, this.#pos, this.#end);
    }
    const pos = this.#pos;
    let n = i - pos + 1;
    if (i === -1 || (size >= 0 && n > size)) {
      if (size < 0 || this.#end - pos < size) return null;
      n = size;
    }
    this.#pos = pos + n;
    if (this.#live) this.#owed += n;
    else this.#src.get().consume(n);
    return new Uint8Array(this.#ab, pos, n);
  }

  /** Takes a fresh view of the socket's buffer. */
  #refresh(): void {
    const src = this.#src.get();
    // Settles what this reader owes (see `defer()`), and reads on if there
    // is room now.
    src.consume(0);
    const v = src.view();
    const ab = v.buffer;
    if (ab !== this.#ab) {
      this.#ab = ab;
      this.#bytes = new Uint8Array(ab);
      this.#words = new Int32Array(ab, 0, ab.byteLength >> 2);
    }
    this.#pos = v.byteOffset;
    this.#end = v.byteOffset + v.length;
    if (src.defer !== undefined) {
      src.defer(this);
      this.#live = true;
    }
  }

  /**
   * Consumes from the socket what this reader returned since it last took a
   * view; the view is stale from now on. Called by the socket's receive
   * buffer before anything else reads from it.
   */
  settle(): void {
    this.#live = false;
    const n = this.#owed;
    if (n !== 0) {
      this.#owed = 0;
      this.#src.current.skip(n);
    }
  }

  /** `readline(size)` once no line is ready: waits for one. */
  readline(size: number): Promise<Uint8Array> {
    return this.#queue.run(() => this.#readline(size));
  }

  async #readline(size: number): Promise<Uint8Array> {
    const b = this.#b;
    if (this.#accLen > 0) {
      // Left by a read that gave up: the line may end in there.
      let off = 0;
      for (const chunk of this.#acc) {
        const j = chunk.indexOf(10);
        if (j !== -1) {
          const n = off + j + 1;
          return this.#takeAcc(size >= 0 && size < n ? size : n);
        }
        off += chunk.length;
      }
      if (size >= 0 && this.#accLen >= size) return this.#takeAcc(size);
    }
    let scanned = 0;
    let last: Uint8Array | null = null;
    for (;;) {
      const v = b.buffered();
      if (last === null || v.buffer !== last.buffer || v.byteOffset !== last.byteOffset) {
        scanned = 0;
      }
      last = v;
      const room = size < 0 ? Infinity : size - this.#accLen;
      const i = v.indexOf(10, scanned);
      if (i !== -1 && i < room) return this.#take(v, i + 1);
      if (v.length >= room) return this.#take(v, room);
      if (v.length >= b.capacity) {
        this.#spill(v);
        last = null;
        continue;
      }
      scanned = v.length;
      if (!(await b.fill())) {
        const rest = b.buffered();
        return this.#take(rest, Math.min(rest.length, room));
      }
    }
  }

  /** `read(size)` when it can be served now, else null. */
  readNow(size: number): Uint8Array | null {
    if (size < 0 || this.#queue.busy !== 0 || this.#accLen !== 0) return null;
    const v = this.#b.buffered();
    const n = v.length >= size ? size : this.#raw && v.length > 0 ? v.length : -1;
    if (n < 0) return null;
    this.#b.consume(n);
    return v.subarray(0, n);
  }

  /** `read(size)`: `size` bytes (all, when negative) unless the stream ends. */
  read(size: number): Promise<Uint8Array> {
    return this.#queue.run(() => this.#read(size));
  }

  async #read(size: number): Promise<Uint8Array> {
    const b = this.#b;
    if (size >= 0 && this.#accLen >= size) return this.#takeAcc(size);
    for (;;) {
      const v = b.buffered();
      if (size >= 0 && this.#accLen + v.length >= size) return this.#take(v, size - this.#accLen);
      // Python's raw SocketIO.read(n) returns what one recv() gives.
      if (this.#raw && size >= 0 && this.#accLen + v.length > 0) return this.#take(v, v.length);
      if (v.length >= b.capacity) {
        this.#spill(v);
        continue;
      }
      if (!(await b.fill())) {
        const rest = b.buffered();
        return this.#take(
          rest,
          size < 0 ? rest.length : Math.min(rest.length, size - this.#accLen),
        );
      }
    }
  }

  /**
   * Python's `read1(size)`: what is buffered, up to `size` (all of it when
   * negative), waiting for the socket only when nothing is.
   */
  read1(size: number): Promise<Uint8Array> {
    return this.#queue.run(async () => {
      if (this.#accLen > 0) {
        return this.#takeAcc(size < 0 ? this.#accLen : Math.min(size, this.#accLen));
      }
      let v = this.#b.buffered();
      if (v.length === 0 && size !== 0) {
        if (!(await this.#b.fill())) return EMPTY_BYTES;
        v = this.#b.buffered();
      }
      return this.#take(v, size < 0 ? v.length : Math.min(size, v.length));
    });
  }

  /**
   * Python's `peek()`: a copy of what is buffered, consuming nothing,
   * waiting for the socket only when nothing is; empty at end of stream.
   */
  peek(): Promise<Uint8Array> {
    return this.#queue.run(async () => {
      let v = this.#b.buffered();
      if (v.length === 0 && this.#accLen === 0) {
        if (!(await this.#b.fill())) return EMPTY_BYTES;
        v = this.#b.buffered();
      }
      const out = new Uint8Array(this.#accLen + v.length);
      let off = 0;
      for (const chunk of this.#acc) {
        out.set(chunk, off);
        off += chunk.length;
      }
      out.set(v, off);
      return out;
    });
  }

  /** Moves what the socket buffers to the accumulator (no copy). */
  #spill(v: Uint8Array): void {
    this.#acc.push(v);
    this.#accLen += v.length;
    this.#b.consume(v.length);
  }

  /** The accumulator plus the first `n` bytes of `v`, consumed. */
  #take(v: Uint8Array, n: number): Uint8Array {
    if (this.#accLen === 0) {
      this.#b.consume(n);
      return n === 0 ? EMPTY_BYTES : v.subarray(0, n);
    }
    const out = new Uint8Array(this.#accLen + n);
    let off = 0;
    for (const chunk of this.#acc) {
      out.set(chunk, off);
      off += chunk.length;
    }
    out.set(v.subarray(0, n), off);
    this.#acc = [];
    this.#accLen = 0;
    this.#b.consume(n);
    return out;
  }

  /** The first `n` bytes of the accumulator. */
  #takeAcc(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let off = 0;
    while (off < n) {
      const chunk = this.#acc[0];
      const k = Math.min(chunk.length, n - off);
      out.set(chunk.subarray(0, k), off);
      off += k;
      if (k === chunk.length) this.#acc.shift();
      else this.#acc[0] = chunk.subarray(k);
    }
    this.#accLen -= n;
    return out;
  }
}

/** Python's `TextIOWrapper` reading side. */
export class TextReader {
  #b: Backend;
  #src: Source;
  #codec: Codec | null;
  #name: string;
  #errors: Errors;
  #nl: Newline;
  /** `newline` null or "": `\r`, `\n`, `\r\n` all end lines. */
  #universal: boolean;
  /** `newline` null: they read as `\n`. */
  #translate: boolean;
  /** What the fast path searches for (`\r\n` modes: the whole ending). */
  #ending: string;
  /** For encodings `TextDecoder` decodes (read ahead; see `#fill()`). */
  #decoder: TextDecoder | null = null;
  #stripBOM: boolean;
  /** A byte order mark still to be read (`utf-16`, `utf-32`, `utf-8-sig`). */
  #bom: Encoding["bom"];
  #queue = new Queue();

  /** Decoded text; `#text[#pos..]` is not yet returned. */
  #text = "";
  #pos = 0;
  /** Index of the first `\r` at or after `#pos` (universal modes), else Infinity. */
  #crAt = Infinity;
  /** How many bytes at the front of the socket's buffer `#text[#pos..]` covers. */
  #decBytes = 0;
  #kind: MapKind = MapKind.IDENTITY;
  #table: Int32Array | null = null;
  /** Bytes after `#text` that decoded to nothing (errors="ignore"). */
  #tail = 0;
  /** Under strict: bad bytes follow `#text` in the socket's buffer. */
  #bad: { length: number; reason: string } | null = null;
  /**
   * The socket's `consumed` count (NaN without one) matching `#text`, with
   * `#owed` counted as consumed.
   */
  #mark = NaN;
  /**
   * Whether `#text` surely still matches the socket's buffer: set when the
   * socket's receiver lets this reader consume lazily (`defer()`), cleared
   * by `settle()`, which it calls before anything else reads.
   */
  #live = false;
  /** Bytes of returned lines not yet consumed from the socket. */
  #owed = 0;
  /** Without a count: where the socket's buffer starts, to match `#text`. */
  #viewBuf: ArrayBufferLike | null = null;
  #viewOff = -1;
  /** Text taken from the socket but not yet returned (translated). */
  #acc = "";
  #accCP = 0;
  /**
   * Set when the socket's buffer is full and nothing but a `\r` waiting for
   * its next character precedes bytes that decode to nothing
   * (errors="ignore"): the `\r` is then taken as not followed by `\n`, as
   * the only way on. Python, which buffers without limit, would wait.
   */
  #releaseCR = false;

  constructor(backend: Backend, encoding: Encoding, errors: Errors, newline: Newline) {
    this.#b = backend;
    this.#src = new Source(backend);
    this.#codec = encoding.codec;
    this.#name = encoding.name;
    this.#errors = errors;
    this.#nl = newline;
    this.#universal = newline === null || newline === "";
    this.#translate = newline === null;
    this.#ending = newline === null || newline === "" ? "\n" : newline;
    this.#stripBOM = encoding.stripBOM;
    this.#bom = encoding.bom;
    if (encoding.codec === null) this.#decoder = this.#newDecoder(encoding.label);
  }

  #newDecoder(label: string): TextDecoder {
    return new TextDecoder(label, { fatal: this.#errors === "strict", ignoreBOM: !this.#stripBOM });
  }

  /** A line if one is decoded and ready, else null (no size limit). */
  lineNow(): string | null {
    if (this.#queue.busy !== 0 || this.#acc !== "") return null;
    const t = this.#text;
    const pos = this.#pos;
    const i = t.indexOf(this.#ending, pos);
    if (i === -1 || i >= this.#crAt) return null;
    if (this.#decoder === null && !this.#live && !this.#revive()) return null;
    const end = i + this.#ending.length;
    const line = t.slice(pos, end);
    this.#advance(end);
    return line;
  }

  /** `readline(size)`: waits for a whole line (or `size` characters). */
  readline(size: number): Promise<string> {
    return this.#queue.run(() => this.#readline(size));
  }

  async #readline(size: number): Promise<string> {
    let final = false;
    for (;;) {
      const v = this.#refresh(final);
      const line = this.#lineAt(size, this.#avail(final), final);
      if (line !== null) return line;
      if (this.#bad !== null) throw this.#decodeError(v);
      if (this.#decoder === null && v.length >= this.#b.capacity) {
        // A line longer than the socket's buffer: keep what there is.
        if (!this.#spill(this.#avail(false), true)) this.#releaseCR = true;
        continue;
      }
      final = !(await this.#b.fill());
    }
  }

  /** `read(size)`: `size` characters (all, when negative) unless the stream ends. */
  read(size: number): Promise<string> {
    return this.#queue.run(() => this.#read(size));
  }

  async #read(size: number): Promise<string> {
    let final = false;
    for (;;) {
      const v = this.#refresh(final);
      const avail = this.#avail(final);
      if (size >= 0) {
        if (this.#accCP >= size) return this.#takeAcc(size);
        const c = advanceCodePoints(
          this.#text,
          this.#pos,
          avail,
          size - this.#accCP,
          this.#translate,
        );
        if (c !== -1) return this.#take(c);
      }
      if (this.#bad !== null) throw this.#decodeError(v);
      if (final) return this.#take(this.#text.length, true);
      // All of it is needed: gather it, so the next round counts only what is new.
      if (!this.#spill(avail, false) && this.#decoder === null && v.length >= this.#b.capacity) {
        this.#releaseCR = true;
        continue;
      }
      final = !(await this.#b.fill());
    }
  }

  /**
   * Brings `#text` up to date with the socket's buffer and returns the
   * buffer's view. If something else consumed from the socket since the
   * text was decoded, the text no longer matches: decode afresh.
   */
  #refresh(final: boolean): Uint8Array {
    const src = this.#src.get();
    // Lines are consumed with skip(), which does not read on: now it may.
    src.consume(0);
    // Decoded (copied), never handed out: the socket may reuse its storage.
    let v = src.transientView();
    if (this.#bom !== null) {
      // Nothing is decoded before the byte order mark is read: it says how.
      const found = readBOM(this.#bom, v, final);
      if (found === null) return v;
      this.#bom = null;
      this.#codec = found.codec;
      this.#name = codecName(found.codec);
      if (found.skip > 0) {
        src.skip(found.skip);
        v = src.transientView();
      }
    }
    if (this.#decoder !== null) {
      this.#decodeAhead(v, final);
      return v;
    }
    if (!this.#fresh(v)) {
      this.#mark = src.consumed;
      this.#text = "";
      this.#pos = 0;
      this.#crAt = Infinity;
      this.#decBytes = 0;
      this.#kind = MapKind.IDENTITY;
      this.#table = null;
      this.#tail = 0;
      this.#bad = null;
      this.#viewBuf = v.buffer;
      this.#viewOff = v.byteOffset;
    }
    if (this.#bad !== null || (this.#decBytes === v.length && !final)) return v;
    const d = decode(this.#codec!, this.#errors, v, this.#decBytes, v.length, final);
    this.#decBytes += d.used;
    if (d.text.length > 0) this.#append(d);
    else this.#tail += d.used;
    if (d.error !== null) {
      this.#bad = { length: d.error.end - d.error.start, reason: d.error.reason };
    }
    return v;
  }

  /** For `TextDecoder` encodings: decodes and consumes all that is buffered. */
  #decodeAhead(v: Uint8Array, final: boolean): void {
    if (v.length === 0 && !final) return;
    let s: string;
    try {
      s = this.#decoder!.decode(v, { stream: !final });
    } catch {
      // TextDecoder does not say where; report the block, keep the bytes.
      this.#decoder = this.#newDecoder(this.#decoder!.encoding);
      this.#bad = { length: v.length, reason: "invalid data" };
      return;
    }
    this.#bad = null;
    this.#src.get().consume(v.length);
    if (s.length > 0) {
      this.#append({
        text: s,
        used: v.length,
        kind: MapKind.IDENTITY,
        table: null,
        tail: 0,
        error: null,
      });
    }
  }

  /** Appends decoded text, keeping the map from characters to bytes. */
  #append(d: Decoded): void {
    const old = this.#text;
    const pos = this.#pos;
    const rest = old.length - pos;
    if (d.kind === MapKind.TABLE || this.#tail > 0 || (rest > 0 && this.#kind === MapKind.TABLE)) {
      // See Decoded.table: bytes that decoded to nothing before a character
      // go with it, so a line's bytes end where its newline ends.
      const a = this.#kind === MapKind.TABLE
        ? this.#table!.subarray(pos).map((x, _i, arr) => x - arr[0])
        : tableOf(old, pos, old.length, this.#kind);
      const b = d.table ?? tableOf(d.text, 0, d.text.length, d.kind);
      const table = new Int32Array(rest + d.text.length + 1);
      table.set(a.subarray(0, rest + 1));
      const base = a[rest] + this.#tail;
      for (let i = 1; i < b.length; i++) table[rest + i] = b[i] + base;
      this.#table = table;
      this.#kind = MapKind.TABLE;
      this.#tail = d.tail;
    } else if (rest === 0) {
      this.#kind = d.kind;
      this.#table = d.table;
    } else if (this.#kind !== d.kind) {
      this.#kind = MapKind.UTF8;
    }
    this.#text = rest === 0 ? d.text : old.slice(pos) + d.text;
    this.#pos = 0;
    if (this.#universal) {
      const cr = this.#text.indexOf("\r");
      this.#crAt = cr === -1 ? Infinity : cr;
    }
  }

  /**
   * Where usable text ends: in universal modes a final `\r` waits for the
   * next character (a `\n` would make it one `\r\n`), as in Python.
   */
  #avail(final: boolean): number {
    const t = this.#text;
    const n = t.length;
    if (
      this.#universal && !final && this.#bad === null && !this.#releaseCR && n > this.#pos &&
      t.charCodeAt(n - 1) === 13
    ) return n - 1;
    return n;
  }

  /** The next line (Python's `readline(size)` rules), or null to wait. */
  #lineAt(size: number, avail: number, final: boolean): string | null {
    if (size >= 0 && this.#accCP >= size) return this.#takeAcc(size);
    const t = this.#text;
    const pos = this.#pos;
    let end = findLineEnd(t, pos, avail, this.#nl);
    if (size >= 0) {
      const c = advanceCodePoints(
        t,
        pos,
        end === -1 ? avail : end,
        size - this.#accCP,
        this.#translate,
      );
      if (c !== -1) end = c;
    }
    if (end === -1) {
      if (!final || this.#bad !== null) return null;
      return this.#take(t.length, true);
    }
    return this.#take(end);
  }

  /**
   * Returns the accumulator and `#text[#pos, end)`, consumed (at the end of
   * the stream, with any bytes after them that decoded to nothing).
   */
  #take(end: number, atEnd = false): string {
    let s = this.#text.slice(this.#pos, end);
    if (this.#translate && this.#crAt < end) s = translateNewlines(s);
    this.#advance(end);
    if (atEnd && this.#tail > 0) this.#dropTail();
    if (this.#acc !== "") {
      s = this.#acc + s;
      this.#acc = "";
      this.#accCP = 0;
    }
    return s;
  }

  /** The first `n` code points of the accumulator. */
  #takeAcc(n: number): string {
    const i = advanceCodePoints(this.#acc, 0, this.#acc.length, n, false);
    const s = this.#acc.slice(0, i);
    this.#acc = this.#acc.slice(i);
    this.#accCP -= n;
    return s;
  }

  /** Moves `#text[#pos, avail)` to the accumulator, consumed; false if empty. */
  #spill(avail: number, forLine: boolean): boolean {
    let to = avail;
    // A `\r` that may start a `\r\n` ending stays with what follows.
    if (
      forLine && this.#nl === "\r\n" && !this.#releaseCR && to > this.#pos &&
      this.#text.charCodeAt(to - 1) === 13
    ) to--;
    if (to <= this.#pos) {
      // Only bytes that decode to nothing: make room.
      if (this.#pos === this.#text.length && this.#tail > 0) {
        this.#dropTail();
        return true;
      }
      return false;
    }
    let s = this.#text.slice(this.#pos, to);
    if (this.#translate && this.#crAt < to) s = translateNewlines(s);
    this.#advance(to);
    this.#acc += s;
    this.#accCP += codePoints(s);
    return true;
  }

  /** Moves `#pos` to `end`, consuming the bytes of what it passed. */
  #advance(end: number): void {
    const pos = this.#pos;
    this.#releaseCR = false;
    if (this.#decoder === null) {
      this.#consume(
        this.#kind === MapKind.IDENTITY
          ? end - pos
          : this.#kind === MapKind.UTF8
          ? utf8Length(this.#text, pos, end)
          : this.#table![end] - this.#table![pos],
      );
    }
    this.#pos = end;
    if (this.#crAt < end) {
      const cr = this.#text.indexOf("\r", end);
      this.#crAt = cr === -1 ? Infinity : cr;
    }
  }

  #dropTail(): void {
    if (this.#decoder === null) this.#consume(this.#tail);
    this.#tail = 0;
  }

  /** Consumes `n` decoded bytes from the socket's buffer. */
  #consume(n: number): void {
    if (this.#live) this.#owed += n;
    else this.#src.get().skip(n);
    this.#decBytes -= n;
    this.#viewOff += n;
    this.#mark += n;
  }

  /**
   * Whether `#text` still matches the socket's buffer (`#fresh()`); if so,
   * consumes lazily from now on where the socket allows it.
   */
  #revive(): boolean {
    if (!this.#fresh(null)) return false;
    const src = this.#src.get();
    if (src.defer !== undefined) {
      src.defer(this);
      this.#live = true;
    }
    return true;
  }

  /**
   * Consumes from the socket the bytes of the lines returned since
   * `#revive()`; `#text` must be checked again from now on. Called by the
   * socket's receive buffer before anything else reads from it.
   */
  settle(): void {
    this.#live = false;
    const n = this.#owed;
    if (n !== 0) {
      this.#owed = 0;
      this.#src.current.skip(n);
    }
  }

  /**
   * Whether `#text` still matches the front of the socket's buffer: nothing
   * else consumed from it since (by the socket's count, or else by the
   * buffer's view (`v`, or a fresh one) starting where it did).
   */
  #fresh(v: Uint8Array | null): boolean {
    const src = this.#src.get();
    const count = src.consumed;
    // deno-lint-ignore no-self-compare
    if (count === count) return count === this.#mark; // NaN: no count
    v ??= src.transientView();
    return v.buffer === this.#viewBuf && v.byteOffset === this.#viewOff;
  }

  #decodeError(v: Uint8Array): UnicodeDecodeError {
    const bad = this.#bad!;
    const start = this.#decoder === null ? this.#decBytes : 0;
    const end = start + bad.length;
    return new UnicodeDecodeError(this.#name, v.slice(0, end), start, end, bad.reason);
  }
}
