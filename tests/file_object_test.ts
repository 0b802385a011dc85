import assert from "node:assert/strict";
import {
  type FileBackend,
  FileObject,
  type MakefileOptions,
  UnicodeDecodeError,
  UnicodeEncodeError,
  UnsupportedOperation,
} from "../file_object.ts";
import { BlockingIOError, TimeoutError } from "../errors.ts";
import * as socket from "../mod.ts";

// ------------------------------------------------------------------ helpers

const enc = new TextEncoder();
const dec = new TextDecoder();

function bytes(s: string): Uint8Array {
  return enc.encode(s);
}

/** Bytes from a string of code units 0-255 (Python's latin-1). */
function latin1(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function str(b: Uint8Array): string {
  return dec.decode(b);
}

/** A deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts `data` into chunks of 1..max bytes (max 1: one byte each). */
function chunk(data: Uint8Array, max: number, rand: () => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length;) {
    const n = 1 + Math.floor(rand() * max);
    out.push(data.slice(i, i + n));
    i += n;
  }
  return out;
}

/**
 * An in-memory `FileBackend` that hands out `chunks` one per `fill()`, as a
 * socket receives them. Like the real one it never overwrites bytes it
 * handed out, holds at most `capacity` unread bytes, and can be told to
 * fail the next `fill()` (timeout, would block) without losing anything.
 */
class FakeBackend implements FileBackend {
  #pending: Uint8Array[];
  #store = new Uint8Array(0);
  #start = 0;
  #end = 0;
  #eof = false;
  readonly capacity: number;
  sent: Uint8Array[] = [];
  released = 0;
  fills = 0;
  total = 0;
  failNext: Error | null = null;

  constructor(chunks: Uint8Array[] = [], capacity = 1 << 20, eof = true) {
    this.#pending = chunks.slice();
    this.capacity = capacity;
    this.#eof = eof;
  }

  /** More bytes from the peer (for tests that deliver during a read). */
  deliver(data: Uint8Array | string, end = false): void {
    this.#pending.push(typeof data === "string" ? bytes(data) : data);
    if (end) this.#eof = true;
  }

  get received(): Uint8Array {
    const out = new Uint8Array(this.sent.reduce((n, c) => n + c.length, 0));
    let off = 0;
    for (const c of this.sent) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }

  buffered(): Uint8Array {
    return this.#store.subarray(this.#start, this.#end);
  }

  consume(n: number): void {
    if (!(n >= 0 && n <= this.#end - this.#start)) throw new Error(`bad consume(${n})`);
    this.#start += n;
    this.total += n;
  }

  fill(): Promise<boolean> {
    this.fills++;
    if (this.#end - this.#start >= this.capacity) return Promise.resolve(true);
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = null;
      return Promise.reject(e);
    }
    let c = this.#pending.shift();
    while (c !== undefined && c.length === 0) c = this.#pending.shift();
    if (c === undefined) {
      if (this.#eof) return Promise.resolve(false);
      return Promise.reject(new Error("FakeBackend: fill() with nothing to deliver and no EOF"));
    }
    const room = this.capacity - (this.#end - this.#start);
    if (c.length > room) {
      this.#pending.unshift(c.subarray(room));
      c = c.subarray(0, room);
    }
    if (this.#end + c.length <= this.#store.length) {
      // Room after the unread bytes: never handed out, so writable.
      this.#store.set(c, this.#end);
      this.#end += c.length;
    } else {
      const unread = this.#end - this.#start;
      const store = new Uint8Array(Math.max(64, 2 * (unread + c.length)));
      store.set(this.#store.subarray(this.#start, this.#end));
      store.set(c, unread);
      this.#store = store;
      this.#start = 0;
      this.#end = unread + c.length;
    }
    return Promise.resolve(true);
  }

  sendall(data: Uint8Array): Promise<void> {
    this.sent.push(data.slice());
    return Promise.resolve();
  }

  release(): Promise<void> {
    this.released++;
    return Promise.resolve();
  }

  fileno(): number {
    return 7;
  }
}

/** A `FakeBackend` that counts what was consumed, as `socket.ts` may. */
class CountingBackend extends FakeBackend {
  get consumed(): number {
    return this.total;
  }
}

function fake(counted: boolean, chunks: Uint8Array[], capacity?: number): FakeBackend {
  return counted ? new CountingBackend(chunks, capacity) : new FakeBackend(chunks, capacity);
}

function textFile(
  chunks: (string | Uint8Array)[],
  options: MakefileOptions = {},
  capacity?: number,
): FileObject<string> {
  const b = new FakeBackend(chunks.map((c) => typeof c === "string" ? bytes(c) : c), capacity);
  return new FileObject<string>(b, "r", options);
}

function binFile(
  chunks: (string | Uint8Array)[],
  capacity?: number,
  mode = "rb",
  options?: MakefileOptions,
  counted = false,
) {
  const b = fake(counted, chunks.map((c) => typeof c === "string" ? bytes(c) : c), capacity);
  return { b, f: new FileObject<Uint8Array>(b, mode, options) };
}

async function readAllLines<T extends string | Uint8Array>(f: FileObject<T>): Promise<T[]> {
  const lines: T[] = [];
  for (;;) {
    const line = await f.readline();
    if (line.length === 0) return lines;
    lines.push(line);
  }
}

async function python(code: string, input: string): Promise<string> {
  const cmd = new Deno.Command("python3", {
    args: ["-c", code],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const child = cmd.spawn();
  const writer = child.stdin.getWriter();
  await writer.write(bytes(input));
  await writer.close();
  const out = await child.output();
  if (!out.success) throw new Error(`python3 failed: ${str(out.stderr)}`);
  return str(out.stdout);
}

// --------------------------------------------------- text mode vs. Python

// Python reads each case with io.TextIOWrapper over io.BytesIO and reports
// what each operation returns. Under errors="strict", where Python's result
// depends on how the bytes were chunked (it decodes whole chunks), the
// expected result is ours: the lines before the first bad byte, then the
// error Python raises for the bytes from the start of that line.
const ORACLE = String.raw`
import io, json, sys
cases = json.load(sys.stdin)
ENDS = {None: ("\n",), "": ("\n", "\r"), "\n": ("\n",), "\r": ("\r",), "\r\n": ("\r\n",)}
out = []
for c in cases:
    data = c["data"].encode("latin-1")
    enc, errors, nl = c["encoding"], c["errors"], c["newline"]
    if errors != "strict":
        f = io.TextIOWrapper(io.BytesIO(data), encoding=enc, errors=errors, newline=nl)
        res = []
        for op, n in c["ops"]:
            res.append(["ok", f.readline(n) if op == "readline" else f.read(n)])
        out.append(res)
        continue
    try:
        data.decode(enc)
        p = None
    except UnicodeDecodeError as e:
        p = e.start
    f = io.TextIOWrapper(io.BytesIO(data if p is None else data[:p]), encoding=enc, newline=nl)
    lines = []
    while True:
        line = f.readline()
        if not line:
            break
        lines.append(line)
    if p is None:
        f = io.TextIOWrapper(io.BytesIO(data), encoding=enc, errors=errors, newline=nl)
        out.append([["ok", f.readline(n) if op == "readline" else f.read(n)] for op, n in c["ops"]])
        continue
    if lines and not lines[-1].endswith(ENDS[nl]):
        lines.pop()
    g = io.TextIOWrapper(io.BytesIO(data[:p]), encoding=enc, newline="" if nl is None else nl)
    start = sum(len(g.readline().encode(enc)) for _ in lines)
    try:
        data[start:].decode(enc)
        msg = "no error"
    except UnicodeDecodeError as e:
        msg = str(e)
    out.append([["ok", l] for l in lines] + [["err", msg]])
json.dump(out, sys.stdout)
`;

type Op = ["readline" | "read", number];
interface OracleCase {
  data: string; // latin-1
  encoding: string;
  errors: "strict" | "replace" | "ignore";
  newline: string | null;
  ops: Op[];
}
type Outcome = ["ok", string] | ["err", string];

const PIECES = [
  "a",
  "b",
  "xyz",
  "hello world",
  "\n",
  "\n",
  "\r",
  "\r\n",
  "\r\r",
  "\n\r",
  "\u00e9", // é, 2 bytes in UTF-8
  "\u20ac", // €, 3 bytes
  "\u{1F600}", // 😀, 4 bytes
  "\xff", // invalid start byte
  "\xe2\x82", // truncated 3-byte sequence
  "\xc3", // lone lead byte
  "\xed\xa0\x80", // encoded surrogate
  "\xf0\x9f", // truncated 4-byte sequence
  "\xe0\x80", // overlong
  "\x80",
  "\xef\xbb\xbf", // BOM
];

function utf8Latin1(s: string): string {
  // Non-latin-1 pieces are text to encode as UTF-8; the others are bytes.
  if ([...s].some((c) => c.codePointAt(0)! > 0xff) || s === "\u00e9") {
    return String.fromCharCode(...bytes(s));
  }
  return s;
}

function makeCorpus(): string[] {
  const corpus = [
    "",
    "no newline at all",
    "one\ntwo\nthree",
    "crlf\r\nline\r\n",
    "cr\rcr\r",
    "\r",
    "\r\n",
    "\n\n\n",
    "a\r\r\nb\n\rc",
    "caf\xc3\xa9\r\n\xe2\x82\xac\r",
    "bad \xff byte\nok\n",
    "\xff\n",
    "line\n\xe2\x82",
    "x\r\xffy\n",
    "trunc \xf0\x9f\x98",
    "ab\r",
  ];
  const rand = rng(1234);
  for (let i = 0; i < 120; i++) {
    let s = "";
    const n = 1 + Math.floor(rand() * 30);
    for (let j = 0; j < n; j++) s += utf8Latin1(PIECES[Math.floor(rand() * PIECES.length)]);
    corpus.push(s);
  }
  return corpus;
}

function makeOps(data: string, rand: () => number): Op[] {
  const ops: Op[] = [];
  const n = data.length + 4;
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.6) ops.push(["readline", -1]);
    else if (r < 0.8) ops.push(["readline", Math.floor(rand() * 6)]);
    else if (r < 0.97) ops.push(["read", Math.floor(rand() * 6)]);
    else ops.push(["read", -1]);
  }
  return ops;
}

async function runOps(f: FileObject<string>, c: OracleCase, lineLoop: boolean): Promise<Outcome[]> {
  const out: Outcome[] = [];
  if (lineLoop) {
    for (;;) {
      try {
        const line = await f.readline();
        if (line === "") return out;
        out.push(["ok", line]);
      } catch (e) {
        if (!(e instanceof UnicodeDecodeError)) throw e;
        out.push(["err", e.message]);
        return out;
      }
    }
  }
  for (const [op, n] of c.ops) {
    out.push(["ok", op === "readline" ? await f.readline(n) : await f.read(n)]);
  }
  return out;
}

Deno.test("FileObject text mode reads as Python's TextIOWrapper, for any chunking", async () => {
  const corpus = makeCorpus();
  const rand = rng(99);
  const cases: OracleCase[] = [];
  for (const data of corpus) {
    for (const encoding of ["utf-8", "ascii", "latin-1"]) {
      for (const errors of ["strict", "replace", "ignore"] as const) {
        for (const newline of [null, "", "\n", "\r", "\r\n"]) {
          cases.push({ data, encoding, errors, newline, ops: makeOps(data, rand) });
        }
      }
    }
  }
  const expected: Outcome[][] = JSON.parse(await python(ORACLE, JSON.stringify(cases)));
  assert.equal(expected.length, cases.length);
  let runs = 0;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const data = latin1(c.data);
    // Whole, one byte at a time, and random chunkings with several seeds.
    const chunkings: [Uint8Array[], number][] = [[[data], 1 << 20], [
      chunk(data, 1, rand),
      1 << 20,
    ]];
    for (let seed = 0; seed < 4; seed++) {
      const r = rng(i * 31 + seed);
      chunkings.push([chunk(data, 1 + Math.floor(r() * 8), r), 1 << 20]);
    }
    // A small socket buffer: long lines spill into the reader's accumulator.
    // (Under "ignore", a "\r" followed by a buffer full of bytes that decode
    // to nothing is taken as a line end: keep runs of those shorter.)
    chunkings.push([chunk(data, 5, rand), c.errors === "ignore" ? 128 : 8]);
    for (const [k, [chunks, capacity]] of chunkings.entries()) {
      const b = fake(k % 2 === 1, chunks, capacity);
      const f = new FileObject<string>(b, "r", {
        encoding: c.encoding,
        errors: c.errors,
        newline: c.newline,
      });
      const got = await runOps(f, c, expected[i].some(([k]) => k === "err"));
      let want = expected[i];
      if (capacity < 1 << 20 && c.errors === "strict") {
        // Positions count from the bytes still in the socket's buffer.
        const strip = (o: Outcome[]) =>
          o.map(([k, v]) => k === "err" ? [k, v.replace(/position [-\d]+/, "")] : [k, v]);
        assert.deepEqual(
          strip(got),
          strip(want),
          `case ${i} ${JSON.stringify(c)} capacity ${capacity}`,
        );
        want = got;
      }
      assert.deepEqual(
        got,
        want,
        `case ${i} ${JSON.stringify({ ...c, ops: undefined })} chunks ${chunks.length}`,
      );
      runs++;
    }
  }
  assert.ok(runs > 10000);
});

Deno.test("FileObject text mode consumes exactly the bytes of each line it returns", async () => {
  // recv() between readline() calls must see the bytes right after the line:
  // check the byte accounting with multi-byte and invalid bytes.
  const rand = rng(7);
  // (No lone "\r": under "ignore", "\r", bad bytes, "\n" make one "\r\n".)
  const pieces = ["ab", "\u00e9", "\u20ac", "\u{1F600}", "\xff", "\xe2\x82", "\r\n", "\n", "z"];
  for (let round = 0; round < 300; round++) {
    let s = "";
    for (let j = 0; j < 30; j++) s += utf8Latin1(pieces[Math.floor(rand() * pieces.length)]);
    const data = latin1(s + "\n");
    // The raw lines, as newline="" splits them.
    const raw: Uint8Array[] = [];
    for (let i = 0; i < data.length;) {
      let j = i;
      while (data[j] !== 10 && data[j] !== 13) j++;
      j += data[j] === 13 && data[j + 1] === 10 ? 2 : 1;
      raw.push(data.subarray(i, j));
      i = j;
    }
    const errors = (["replace", "ignore"] as const)[round % 2];
    const b = fake(
      round % 4 < 2,
      chunk(data, 1 + (round % 9), rand),
      round % 3 === 0 ? 16 : 1 << 20,
    );
    const f = new FileObject<string>(b, "r", { newline: "", errors });
    const replaced = new TextDecoder("utf-8", { ignoreBOM: true });
    for (let k = 0; k < raw.length; k++) {
      if (k % 3 === 1) {
        // recv() the whole next line straight from the socket's buffer.
        for (let got = 0; got < raw[k].length;) {
          if (b.buffered().length === 0) assert.ok(await b.fill());
          const v = b.buffered();
          const n = Math.min(v.length, raw[k].length - got);
          assert.deepEqual(v.slice(0, n), raw[k].slice(got, got + n), `round ${round} line ${k}`);
          b.consume(n);
          got += n;
        }
        continue;
      }
      let want = replaced.decode(raw[k]);
      if (errors === "ignore") {
        want = "";
        // Python's "ignore" drops what "replace" turns into U+FFFD (there is
        // no genuine U+FFFD in this data).
        for (const c of replaced.decode(raw[k])) if (c !== "\ufffd") want += c;
      }
      assert.equal(await f.readline(), want, `round ${round} line ${k}`);
    }
    assert.equal(await f.readline(), "");
  }
});

Deno.test("FileObject text mode reads encodings TextDecoder knows, as Python does", async () => {
  const text = "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\r\n2\u884c\u76ee\r3\n\u6700\u5f8c";
  const cases = [
    ["shift_jis", "shift_jis"],
    ["euc-jp", "euc_jp"],
    ["utf-16le", "utf-16-le"],
    ["utf-16be", "utf-16-be"],
  ];
  const code = `
import io, json, sys
text, cases = json.load(sys.stdin)
out = []
for enc, _ in cases:
    data = text.encode(enc)
    lines = io.TextIOWrapper(io.BytesIO(data), encoding=enc, newline=None).readlines()
    out.append([list(data), lines])
json.dump(out, sys.stdout)
`;
  const expected: [number[], string[]][] = JSON.parse(
    await python(code, JSON.stringify([text, cases])),
  );
  const rand = rng(3);
  for (let i = 0; i < cases.length; i++) {
    const [data, lines] = expected[i];
    for (let seed = 0; seed < 20; seed++) {
      const b = new FakeBackend(chunk(Uint8Array.from(data), 1 + (seed % 5), rand));
      const f = new FileObject<string>(b, "r", { encoding: cases[i][1] });
      assert.deepEqual(await readAllLines(f), lines, cases[i][0]);
    }
  }
  // Python's "utf-8-sig" drops a byte order mark; "utf-8" keeps it.
  assert.deepEqual(await readAllLines(textFile(["\ufeffa\nb"], { encoding: "utf-8-sig" })), [
    "a\n",
    "b",
  ]);
  assert.deepEqual(await readAllLines(textFile(["\ufeffa\nb"])), ["\ufeffa\n", "b"]);
});

Deno.test("FileObject.readline() returns the lines before invalid bytes, then raises UnicodeDecodeError", async () => {
  const f = textFile(["ok\nab", latin1("c\xffd\n"), "more\n"]);
  assert.equal(await f.readline(), "ok\n");
  for (let i = 0; i < 2; i++) {
    // The error repeats: the bad bytes stay in the socket's buffer.
    const e = await f.readline().then(() => null, (e) => e);
    assert.ok(e instanceof UnicodeDecodeError && e instanceof RangeError);
    assert.equal(e.name, "UnicodeDecodeError");
    assert.equal(
      e.message,
      "'utf-8' codec can't decode byte 0xff in position 3: invalid start byte",
    );
    assert.equal(e.encoding, "utf-8");
    assert.deepEqual(e.object, latin1("abc\xff"));
    assert.equal(e.start, 3);
    assert.equal(e.end, 4);
    assert.equal(e.reason, "invalid start byte");
  }
  const ascii = textFile([latin1("fine\ncaf\xe9\n")], { encoding: "ascii" });
  assert.equal(await ascii.readline(), "fine\n");
  await assert.rejects(ascii.readline(), {
    name: "UnicodeDecodeError",
    message: "'ascii' codec can't decode byte 0xe9 in position 3: ordinal not in range(128)",
  });
  // End of stream inside a character.
  const cut = textFile(["x\n", latin1("\xe2\x82")]);
  assert.equal(await cut.readline(), "x\n");
  await assert.rejects(cut.readline(), {
    message: "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data",
  });
  // read() raises too.
  await assert.rejects(textFile([latin1("a\xff")]).read(), UnicodeDecodeError);
});

Deno.test("FileObject.readline() after a TimeoutError returns the whole line", async () => {
  for (const mode of ["rb", "r"]) {
    for (const capacity of [1 << 20, 8]) {
      const b = capacity === 8
        ? new FakeBackend([bytes("first\nsec")], capacity, false)
        : new CountingBackend([bytes("first\nsec")], capacity, false);
      const f = new FileObject(b, mode);
      const asText = (x: string | Uint8Array) => typeof x === "string" ? x : str(x);
      assert.equal(asText(await f.readline()), "first\n");
      b.failNext = new TimeoutError("timed out");
      await assert.rejects(f.readline(), { name: "TimeoutError", message: "timed out" });
      b.failNext = new BlockingIOError(11, "Resource temporarily unavailable");
      await assert.rejects(f.readline(), { name: "BlockingIOError" });
      b.deliver("ond line that is longer than the buffer\r");
      b.failNext = new TimeoutError("timed out");
      await assert.rejects(f.readline(), TimeoutError);
      b.deliver("\nthird", true);
      // Text mode: the "\r" before the timeout and the "\n" after are one ending.
      const second = mode === "r"
        ? "second line that is longer than the buffer\n"
        : "second line that is longer than the buffer\r\n";
      assert.equal(asText(await f.readline()), second, `${mode} ${capacity}`);
      assert.equal(asText(await f.readline()), "third");
      assert.equal(asText(await f.readline()), "");
    }
  }
});

Deno.test("FileObject.read(n) after a TimeoutError loses nothing", async () => {
  for (const mode of ["rb", "r"]) {
    const b = new FakeBackend([bytes("abc")], 4, false);
    const f = new FileObject(b, mode);
    const asText = (x: string | Uint8Array) => typeof x === "string" ? x : str(x);
    b.failNext = new TimeoutError("timed out");
    await assert.rejects(f.read(10), TimeoutError);
    b.deliver("defghij");
    b.failNext = new TimeoutError("timed out");
    await assert.rejects(f.read(12), TimeoutError);
    b.deliver("klm", true);
    assert.equal(asText(await f.read(12)), "abcdefghijkl");
    assert.equal(asText(await f.read()), "m");
  }
});

Deno.test("FileObject.readline() calls are served in call order", async () => {
  for (const mode of ["rb", "r"]) {
    const b = new CountingBackend(["o", "ne\nt", "wo\nthr", "ee\n"].map(bytes));
    const f = new FileObject(b, mode);
    const all = await Promise.all([
      f.readline(),
      f.readline(),
      f.read(2),
      f.readline(),
      f.readline(),
    ]);
    assert.deepEqual(all.map((x) => typeof x === "string" ? x : str(x)), [
      "one\n",
      "two\n",
      "th",
      "ree\n",
      "",
    ]);
  }
});

// ------------------------------------------------------------ binary mode

Deno.test("FileObject.readline() in binary mode across chunks, with size, at EOF", async () => {
  const data = bytes("alpha\nbeta\n\ngamma without end");
  for (const max of [1, 2, 3, 7, 100]) {
    for (
      const [capacity, counted] of [[1 << 20, false], [4, false], [1 << 20, true], [
        4,
        true,
      ]] as const
    ) {
      const { f } = binFile(chunk(data, max, rng(max)), capacity, "rb", {}, counted);
      assert.deepEqual((await readAllLines(f)).map(str), [
        "alpha\n",
        "beta\n",
        "\n",
        "gamma without end",
      ]);
      const { f: g } = binFile(chunk(data, max, rng(max)), capacity, "rb", {}, counted);
      assert.equal(str(await g.readline(3)), "alp");
      assert.equal(str(await g.readline(0)), "");
      assert.equal(str(await g.readline(3)), "ha\n");
      assert.equal(str(await g.readline(5)), "beta\n");
      assert.equal(str(await g.readline(null)), "\n");
      assert.equal(str(await g.readline(100)), "gamma without end");
      assert.equal((await g.readline()).length, 0);
    }
  }
});

Deno.test("FileObject.readline() in binary mode leaves what follows in the socket's buffer", async () => {
  for (const counted of [false, true]) {
    const { b, f } = binFile(["HEAD\nline\nbody\nmore\n"], undefined, "rb", {}, counted);
    assert.equal(str(await f.readline()), "HEAD\n");
    assert.equal(str(b.buffered()), "line\nbody\nmore\n");
    // Something else (recv()) takes bytes between two lines.
    b.consume(5);
    assert.equal(str(await f.readline()), "body\n");
    assert.equal(str(b.buffered()), "more\n");
  }
});

Deno.test("FileObject.read() in binary mode returns n bytes however chunked", async () => {
  const data = new Uint8Array(1000).map((_, i) => i & 255);
  for (const max of [1, 13, 2000]) {
    for (const capacity of [1 << 20, 64]) {
      const { f } = binFile(chunk(data, max, rng(1)), capacity);
      assert.deepEqual(await f.read(0), new Uint8Array(0));
      assert.deepEqual(await f.read(10), data.subarray(0, 10));
      assert.deepEqual(await f.read(500), data.subarray(10, 510));
      assert.deepEqual(await f.read(), data.subarray(510));
      assert.equal((await f.read()).length, 0);
      assert.equal((await f.read(5)).length, 0);
    }
  }
  // Unbuffered: what one recv() gives.
  const { f: raw } = binFile(["abc", "defgh"], undefined, "rb", { buffering: 0 });
  assert.equal(str(await raw.read(5)), "abc");
  assert.equal(str(await raw.read(2)), "de");
  assert.equal(str(await raw.readline()), "fgh");
});

Deno.test("FileObject.readinto() fills the buffer", async () => {
  const { f } = binFile(["abc", "defg", "hij"]);
  const buf = new Uint8Array(5);
  assert.equal(await f.readinto(buf), 5);
  assert.equal(str(buf), "abcde");
  const words = new Uint16Array(2);
  assert.equal(await f.readinto(words), 4);
  assert.equal(str(new Uint8Array(words.buffer)), "fghi");
  assert.equal(await f.readinto(buf), 1);
  assert.equal(str(buf.subarray(0, 1)), "j");
  assert.equal(await f.readinto(buf), 0);
  await assert.rejects(f.readinto("x" as unknown as Uint8Array), {
    name: "TypeError",
    message: "readinto() argument must be read-write bytes-like object, not str",
  });
  const { f: raw } = binFile(["ab", "cd"], undefined, "rb", { buffering: 0 });
  assert.equal(await raw.readinto(buf), 2);
});

Deno.test("FileObject.readlines() stops once the hint is reached", async () => {
  const chunks = ["one\ntwo\n", "three\nfour\n"];
  const all = async (hint?: number) => (await binFile(chunks).f.readlines(hint)).map(str);
  assert.deepEqual(await all(), ["one\n", "two\n", "three\n", "four\n"]);
  assert.deepEqual(await all(0), ["one\n", "two\n", "three\n", "four\n"]);
  assert.deepEqual(await all(4), ["one\n"]);
  assert.deepEqual(await all(5), ["one\n", "two\n"]);
  assert.deepEqual(await all(8), ["one\n", "two\n"]);
  assert.deepEqual(await textFile(["\u00e9\u00e9\nb\n"]).readlines(3), ["\u00e9\u00e9\n"]);
  await assert.rejects(textFile([]).readlines(1.5), {
    name: "TypeError",
    message: "argument should be integer or None, not 'float'",
  });
});

Deno.test("FileObject[Symbol.asyncIterator]() yields lines to the end", async () => {
  const { f } = binFile(["a\nb", "\nc"]);
  const lines: string[] = [];
  for await (const line of f) lines.push(str(line));
  assert.deepEqual(lines, ["a\n", "b\n", "c"]);
  const t: string[] = [];
  for await (const line of textFile(["x\r\ny\rz"])) t.push(line);
  assert.deepEqual(t, ["x\n", "y\n", "z"]);
});

// ------------------------------------------------------------------ writing

Deno.test("FileObject.write() buffers until flush()", async () => {
  const b = new FakeBackend();
  const f = new FileObject<Uint8Array>(b, "wb");
  assert.equal(await f.write(bytes("hello ")), 6);
  assert.equal(await f.write(new Uint16Array([0x6977])), 2); // "wi"
  assert.equal(await f.write(bytes("th").buffer), 2);
  assert.equal(b.sent.length, 0);
  await f.flush();
  assert.equal(str(b.received), "hello with");
  await f.flush();
  assert.equal(b.sent.length, 1);
  await f.writelines([bytes("a"), bytes("b")]);
  assert.equal(b.sent.length, 1);
  await f.close();
  assert.equal(str(b.received), "hello withab");
  assert.equal(b.released, 1);
});

Deno.test("FileObject.write() sends when the buffer fills, as Python's BufferedWriter", async () => {
  const b = new FakeBackend();
  const f = new FileObject<Uint8Array>(b, "wb", { buffering: 10 });
  await f.write(bytes("123456"));
  assert.equal(b.sent.length, 0);
  // Does not fit: the buffered bytes go, the new ones are buffered.
  await f.write(bytes("abcdefg"));
  assert.deepEqual(b.sent.map(str), ["123456"]);
  // Larger than the buffer: the buffered bytes, then the data itself.
  await f.write(bytes("ABCDEFGHIJKL"));
  assert.deepEqual(b.sent.map(str), ["123456", "abcdefg", "ABCDEFGHIJKL"]);
  const big = new Uint8Array(100_000).map((_, i) => i * 7);
  await f.write(big);
  await f.flush();
  assert.deepEqual(b.sent.at(-1), big);
  // Unbuffered: every write goes at once.
  const u = new FakeBackend();
  const raw = new FileObject<Uint8Array>(u, "wb", { buffering: 0 });
  assert.equal(await raw.write(bytes("x")), 1);
  assert.deepEqual(u.sent.map(str), ["x"]);
});

Deno.test("FileObject.write() in text mode encodes and translates newlines", async () => {
  const sent = async (options: MakefileOptions, ...texts: string[]) => {
    const b = new FakeBackend();
    const f = new FileObject<string>(b, "w", options);
    for (const t of texts) await f.write(t);
    await f.close();
    return b.received;
  };
  assert.deepEqual(await sent({}, "a\nb\r\n", "\u20ac"), bytes("a\nb\r\n\u20ac"));
  assert.deepEqual(await sent({ newline: "" }, "a\nb"), bytes("a\nb"));
  assert.deepEqual(await sent({ newline: "\n" }, "a\nb"), bytes("a\nb"));
  assert.deepEqual(await sent({ newline: "\r\n" }, "a\nb\n"), bytes("a\r\nb\r\n"));
  assert.deepEqual(await sent({ newline: "\r" }, "a\nb"), bytes("a\rb"));
  assert.deepEqual(await sent({ encoding: "latin-1" }, "caf\u00e9"), latin1("caf\xe9"));
  assert.deepEqual(
    await sent({ encoding: "ascii", errors: "replace" }, "caf\u00e9 \u{1F600}"),
    bytes("caf? ?"),
  );
  assert.deepEqual(
    await sent({ encoding: "ascii", errors: "ignore" }, "caf\u00e9!"),
    bytes("caf!"),
  );
  assert.deepEqual(await sent({ errors: "replace" }, "a\ud800b"), bytes("a?b"));
  assert.deepEqual(await sent({}, "x".repeat(20000)), bytes("x".repeat(20000)));
  // The count is in code points, as Python's len().
  const f = new FileObject<string>(new FakeBackend(), "w");
  assert.equal(await f.write("\u{1F600}\u00e9"), 2);
  await assert.rejects(f.write("a\ud800"), {
    name: "UnicodeEncodeError",
    message: "'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed",
  });
  const ascii = new FileObject<string>(new FakeBackend(), "w", { encoding: "ascii" });
  const e = await ascii.write("ok \u00e9\u20ac!").then(() => null, (e) => e);
  assert.ok(e instanceof UnicodeEncodeError && e instanceof RangeError);
  assert.equal(
    e.message,
    "'ascii' codec can't encode characters in position 3-4: ordinal not in range(128)",
  );
  assert.deepEqual([e.start, e.end, e.object], [3, 5, "ok \u00e9\u20ac!"]);
});

Deno.test("FileObject.close() flushes, releases the socket once, and is idempotent", async () => {
  const b = new FakeBackend();
  const f = new FileObject<string>(b, "rw");
  await f.write("bye\n");
  await f.close();
  await f.close();
  assert.equal(str(b.received), "bye\n");
  assert.equal(b.released, 1);
  assert.equal(f.closed, true);
  assert.equal(f.name, -1);
  {
    await using g = new FileObject<string>(b, "w");
    await g.write("disposed\n");
  }
  assert.equal(str(b.received), "bye\ndisposed\n");
  assert.equal(b.released, 2);
});

// --------------------------------------------------------- bad arguments

Deno.test("FileObject() rejects what Python's makefile() rejects, with Python's messages", async () => {
  const code = `
import json, socket
a, b = socket.socketpair()
out = {}
def catch(key, fn):
    try:
        fn()
        out[key] = None
    except Exception as e:
        out[key] = [type(e).__name__, str(e)]
for m in ["x", "rt", "a", "r+", "rw'"]:
    catch("mode " + m, lambda: a.makefile(m))
catch("unbuffered", lambda: a.makefile("r", 0))
catch("newline", lambda: a.makefile("r", newline="x"))
catch("encoding", lambda: a.makefile("r", encoding="bogus"))
catch("float", lambda: a.makefile("rb", 2.5))
f = a.makefile("w")
catch("text read", lambda: f.read())
catch("text write bytes", lambda: f.write(b"x"))
f = a.makefile("wb")
catch("binary read", lambda: f.read())
catch("binary write str", lambda: f.write("x"))
f = a.makefile("r")
catch("text write", lambda: f.write("x"))
f = a.makefile("rb")
catch("binary write", lambda: f.write(b"x"))
catch("binary read float", lambda: f.read(1.5))
f.close()
catch("binary closed read", lambda: f.read())
catch("binary closed readline", lambda: f.readline())
catch("binary closed readable", lambda: f.readable())
f = a.makefile("wb"); f.close()
catch("binary closed write", lambda: f.write(b"x"))
catch("binary closed flush", lambda: f.flush())
f = a.makefile("r"); f.close()
catch("text closed read", lambda: f.read())
catch("text closed readline", lambda: f.readline())
f = a.makefile("w"); f.close()
catch("text closed write", lambda: f.write("x"))
print(json.dumps(out))
`;
  const py: Record<string, [string, string] | null> = JSON.parse(await python(code, ""));
  const name: Record<string, string> = {
    ValueError: "RangeError",
    TypeError: "TypeError",
    LookupError: "RangeError",
    UnsupportedOperation: "UnsupportedOperation",
  };
  const check = async (key: string, fn: () => unknown) => {
    const [cls, message] = py[key]!;
    let error: unknown;
    try {
      await fn();
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof Error, key);
    assert.deepEqual([error.name, error.message], [name[cls], message], key);
    if (cls === "UnsupportedOperation") {
      assert.ok(error instanceof UnsupportedOperation && error instanceof RangeError);
    }
  };
  const b = new FakeBackend();
  for (const m of ["x", "rt", "a", "r+", "rw'"]) {
    await check(`mode ${m}`, () => new FileObject(b, m));
  }
  await check("unbuffered", () => new FileObject(b, "r", { buffering: 0 }));
  await check("newline", () => new FileObject(b, "r", { newline: "x" }));
  await check("encoding", () => new FileObject(b, "r", { encoding: "bogus" }));
  await check("float", () => new FileObject(b, "rb", { buffering: 2.5 }));
  let f = new FileObject(b, "w");
  await check("text read", () => f.read());
  await check("text write bytes", () => f.write(bytes("x")));
  f = new FileObject(b, "wb");
  await check("binary read", () => f.read());
  await check("binary write str", () => f.write("x"));
  f = new FileObject(b, "r");
  await check("text write", () => f.write("x"));
  f = new FileObject(b, "rb");
  await check("binary write", () => f.write(bytes("x")));
  await check("binary read float", () => f.read(1.5));
  await f.close();
  await check("binary closed read", () => f.read());
  await check("binary closed readline", () => f.readline());
  await check("binary closed readable", () => f.readable());
  f = new FileObject(b, "wb");
  await f.close();
  await check("binary closed write", () => f.write(bytes("x")));
  await check("binary closed flush", () => f.flush());
  f = new FileObject(b, "r");
  await f.close();
  await check("text closed read", () => f.read());
  await check("text closed readline", () => f.readline());
  f = new FileObject(b, "w");
  await f.close();
  await check("text closed write", () => f.write("x"));
});

Deno.test("FileObject mode, name, readable() and writable() are Python's", () => {
  const b = new FakeBackend();
  const modes: [string, string, boolean, boolean][] = [
    ["r", "r", true, false],
    ["", "", true, false],
    ["w", "w", false, true],
    ["rw", "rw", true, true],
    ["wr", "wr", true, true],
    ["rb", "rb", true, false],
    ["b", "rb", true, false],
    ["br", "rb", true, false],
    ["wb", "wb", false, true],
    ["rwb", "rwb", true, true],
  ];
  for (const [mode, shown, r, w] of modes) {
    const f = new FileObject(b, mode);
    assert.deepEqual([f.mode, f.readable(), f.writable(), f.name, f.closed], [
      shown,
      r,
      w,
      7,
      false,
    ], mode);
  }
  // Python's makefile() ignores the text options in binary mode.
  assert.equal(new FileObject(b, "rb", { encoding: "bogus", newline: "x" }).mode, "rb");
  assert.throws(() => new FileObject(b, "r", { errors: "bogus" }), {
    name: "RangeError",
    message: "unknown error handler name 'bogus'",
  });
  assert.throws(() => new FileObject(b, "r", { errors: "backslashreplace" }), RangeError);
  assert.throws(() => new FileObject(b, "w", { encoding: "shift_jis" }), RangeError);
  for (const name of ["UTF8", "utf_8", "U8", "latin1", "ISO-8859-1", "l1", "US-ASCII", "646"]) {
    new FileObject(b, "rw", { encoding: name });
  }
  assert.throws(() => new FileObject(b, 5 as unknown as string), TypeError);
  assert.throws(() => new FileObject(b, "r", { newline: 5 as unknown as string }), TypeError);
  const text = new FileObject(b, "r");
  return text.readinto(new Uint8Array(1)).then(
    () => assert.fail("readinto() in text mode"),
    (e) => assert.ok(e instanceof UnsupportedOperation),
  );
});

Deno.test("FileObject.readline() rejects a size that is not an integer", async () => {
  await assert.rejects(binFile([]).f.readline(1.5), {
    name: "TypeError",
    message: "argument should be integer or None, not 'float'",
  });
  await assert.rejects(textFile([]).readline(1.5), {
    name: "TypeError",
    message: "'float' object cannot be interpreted as an integer",
  });
  await assert.rejects(textFile([]).read("2" as unknown as number), {
    message: "argument should be integer or None, not 'str'",
  });
});

// ------------------------------------------------------------ real sockets

async function pair(): Promise<[socket.Socket, socket.Socket]> {
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const client = socket.socket();
  await client.connect(server.getsockname());
  const [conn] = await server.accept();
  await server.close();
  return [client, conn];
}

Deno.test("Socket.makefile() keeps the connection open until the file is closed too (socket closed first)", async () => {
  const [a, b] = await pair();
  const f = a.makefile("rwb") as FileObject<Uint8Array>;
  const name = a.fileno();
  assert.equal(f.name, name);
  await a.close();
  // As Python: the number stays while the file keeps the connection open.
  assert.equal(a.fileno(), name);
  assert.equal(f.name, name);
  // Still connected through the file, both ways (the socket itself too, as
  // in Python: its descriptor stays open until the file is closed).
  await b.sendall("ping\n");
  assert.equal(str(await f.readline()), "ping\n");
  await f.write(bytes("pong\n"));
  await f.flush();
  assert.equal(str(await b.recv(100)), "pong\n");
  await f.close();
  // Now the connection is closed: the peer sees the end of the stream.
  assert.equal(a.fileno(), -1);
  assert.equal((await b.recv(100)).length, 0);
  await b.close();
});

Deno.test("Socket.makefile() keeps the connection open until the file is closed too (file closed first)", async () => {
  const [a, b] = await pair();
  const r = a.makefile("r") as FileObject<string>;
  const w = a.makefile("w") as FileObject<string>;
  await r.close();
  await w.write("still open\n");
  await w.close();
  assert.equal(str(await b.recv(100)), "still open\n");
  // Both files closed, the socket is not: it still works.
  await a.sendall("direct");
  assert.equal(str(await b.recv(100)), "direct");
  await a.close();
  assert.equal((await b.recv(100)).length, 0);
  await b.close();
});

Deno.test("FileObject.readline() that times out loses nothing, and recv() can be mixed in", async () => {
  for (const mode of ["rb", "r"]) {
    const [a, b] = await pair();
    a.settimeout(0.05);
    const f = a.makefile(mode);
    const text = (x: string | Uint8Array) => typeof x === "string" ? x : str(x);
    await b.sendall("HEADER one\r\npartial");
    assert.equal(text(await f.readline()), mode === "r" ? "HEADER one\n" : "HEADER one\r\n");
    await assert.rejects(f.readline(), { name: "TimeoutError", message: "timed out" });
    await b.sendall(" line\nBODY");
    assert.equal(text(await f.readline()), "partial line\n");
    // The body is still in the socket: recv() gets it.
    assert.equal(str(await a.recv(100)), "BODY");
    await b.sendall("after recv\n");
    assert.equal(text(await f.readline()), "after recv\n");
    // Non-blocking: BlockingIOError, and again nothing is lost.
    a.setblocking(false);
    await b.sendall("no");
    await assert.rejects(f.readline(), BlockingIOError);
    a.setblocking(true);
    await b.sendall("thing lost\n");
    assert.equal(text(await f.readline()), "nothing lost\n");
    await f.close();
    await a.close();
    await b.close();
  }
});

Deno.test("FileObject reads, recv() and a second file object of one socket share one buffer, in order", async () => {
  // Lines that are already buffered take the readers' fast paths, which
  // remember the socket's buffer from one line to the next: whatever else
  // consumes in between must be noticed. Text lines hold multi-byte
  // characters, so bytes and characters differ.
  let lines = "";
  for (let i = 0; i < 4000; i++) lines += `${i} ${"\u00e9\u20acx".repeat(i % 9)}\n`;
  const data = bytes(lines);
  for (const mode of ["rb", "r"]) {
    for (const timeout of [null, 5]) {
      const [a, b] = await pair();
      a.settimeout(timeout);
      const rand = rng(mode === "rb" ? 21 : 22);
      const sending = (async () => {
        for (let i = 0; i < data.length;) {
          const n = 1 + Math.floor(rand() * 3000);
          await b.sendall(data.subarray(i, i + n));
          i += n;
        }
        await b.shutdown(socket.SHUT_WR);
      })();
      const f = a.makefile(mode);
      const g = a.makefile(mode);
      const it = f[Symbol.asyncIterator]();
      const got: Uint8Array[] = [];
      let total = 0;
      const add = (x: string | Uint8Array) => {
        const chunk = typeof x === "string" ? bytes(x) : x.slice();
        got.push(chunk);
        total += chunk.length;
        return chunk.length;
      };
      for (let op = 0; total < data.length; op++) {
        const r = rand();
        let n: number;
        if (r < 0.35) n = add(await f.readline());
        else if (r < 0.55) n = add(await g.readline());
        else if (r < 0.7) {
          const step = await it.next();
          n = step.done ? 0 : add(step.value);
        } else if (r < 0.8) n = add(await f.readline(1 + Math.floor(rand() * 30)));
        else if (r < 0.9) n = add(await g.read(1 + Math.floor(rand() * 60)));
        else {
          // Whole characters only, so that text reads stay decodable.
          let k = Math.min(1 + Math.floor(rand() * 100), data.length - total);
          while (total + k < data.length && (data[total + k] & 0xc0) === 0x80) k++;
          n = add(await a.recv(k, socket.MSG_WAITALL));
        }
        assert.ok(n > 0, `op ${op}: end of stream after ${total} of ${data.length} bytes`);
      }
      const out = new Uint8Array(total);
      let off = 0;
      for (const c of got) {
        out.set(c, off);
        off += c.length;
      }
      assert.equal(str(out), lines, `${mode}, timeout ${timeout}`);
      assert.equal((await f.readline()).length, 0);
      await sending;
      await f.close();
      await g.close();
      await a.close();
      await b.close();
    }
  }
});

Deno.test("FileObject.write() sends nothing before flush(), everything after", async () => {
  const [a, b] = await pair();
  b.settimeout(0.05);
  const f = a.makefile("wb") as FileObject<Uint8Array>;
  await f.write(bytes("small"));
  await assert.rejects(b.recv(100), TimeoutError);
  await f.flush();
  assert.equal(str(await b.recv(100)), "small");
  // Larger than the buffer: goes at once, byte for byte.
  const big = new Uint8Array(1 << 20).map((_, i) => (i * 31) >> 3);
  const writing = f.write(big);
  b.settimeout(null);
  const got = new Uint8Array(big.length);
  for (let n = 0; n < got.length;) n += await b.recv_into(got.subarray(n));
  assert.equal(await writing, big.length);
  assert.deepEqual(got, big);
  await f.close();
  await a.close();
  await b.close();
});

const PY_KV_CLIENT = String.raw`
import json, socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
f = s.makefile("rw", encoding="utf-8", newline="\r\n")
replies = []
for cmd in ["SET name Zo\u00eb", "SET emoji \U0001F600", "GET name", "GET emoji", "GET nothing", "BAD", "QUIT"]:
    f.write(cmd + "\n")
    f.flush()
    replies.append(f.readline())
f.close()
s.close()
print(json.dumps(replies))
`;

Deno.test("FileObject serves a Python client's line protocol", async () => {
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const py = new Deno.Command("python3", {
    args: ["-c", PY_KV_CLIENT, String(server.getsockname()[1])],
    stdout: "piped",
  }).spawn();
  const [conn] = await server.accept();
  {
    await using f = conn.makefile("rw", { newline: "\r\n" }) as FileObject<string>;
    const store = new Map<string, string>();
    for await (const line of f) {
      assert.ok(line.endsWith("\r\n"), JSON.stringify(line));
      const [cmd, key, ...rest] = line.slice(0, -2).split(" ");
      if (cmd === "SET") store.set(key, rest.join(" "));
      await f.write(
        cmd === "SET"
          ? "OK\n"
          : cmd === "GET"
          ? `${store.get(key) ?? "-"}\n`
          : cmd === "QUIT"
          ? "BYE\n"
          : "ERR\n",
      );
      await f.flush();
      if (cmd === "QUIT") break;
    }
  }
  await conn.close();
  await server.close();
  const out = await py.output();
  assert.ok(out.success);
  assert.deepEqual(JSON.parse(str(out.stdout)), [
    "OK\r\n",
    "OK\r\n",
    "Zo\u00eb\r\n",
    "\u{1F600}\r\n",
    "-\r\n",
    "ERR\r\n",
    "BYE\r\n",
  ]);
});

const PY_UPPER_SERVER = String.raw`
import socket, sys
srv = socket.create_server(("127.0.0.1", 0))
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
r = conn.makefile("rb")
w = conn.makefile("wb")
for line in r:
    w.write(line.upper())
    w.flush()
w.close()
r.close()
conn.close()
srv.close()
`;

Deno.test("FileObject speaks a line protocol with a Python server", async () => {
  const py = new Deno.Command("python3", { args: ["-c", PY_UPPER_SERVER], stdout: "piped" })
    .spawn();
  const reader = py.stdout.getReader();
  let head = "";
  while (!head.includes("\n")) head += str((await reader.read()).value!);
  reader.releaseLock();
  const sock = await socket.create_connection(["127.0.0.1", Number(head.trim())]);
  const f = sock.makefile("rwb") as FileObject<Uint8Array>;
  const lines = ["hello\n", "caf\u00e9\n", "x".repeat(100_000) + "\n", "last line\n"];
  for (const line of lines) {
    await f.write(bytes(line));
    await f.flush();
    assert.equal(str(await f.readline()), line.toUpperCase().replace("\u00c9", "\u00e9"));
  }
  await sock.shutdown(socket.SHUT_WR);
  assert.equal((await f.readline()).length, 0);
  await f.close();
  await sock.close();
  assert.ok((await py.status).success);
  await py.stdout.cancel();
});

const PY_LINES_WRITER = String.raw`
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
data = (b"x" * 39 + b"\n") * 10000
for _ in range(int(sys.argv[2]) // 10000):
    s.sendall(data)
s.close()
`;

// Lines per second after the first fifth (JIT warm-up), Python the same way.
const PY_LINES_READER = String.raw`
import socket, subprocess, sys, time
n = int(sys.argv[1])
for mode in ["rb", "r"]:
    for kind in ["readline", "for"]:
        srv = socket.create_server(("127.0.0.1", 0))
        p = subprocess.Popen([sys.executable, "-c", sys.argv[2], str(srv.getsockname()[1]), str(n)])
        conn, _ = srv.accept()
        f = conn.makefile(mode)
        warm = n // 5
        for _ in range(warm):
            f.readline()
        t0 = time.perf_counter()
        if kind == "readline":
            count = 0
            while f.readline():
                count += 1
        else:
            count = sum(1 for _ in f)
        print(mode, kind, count / (time.perf_counter() - t0))
        f.close(); conn.close(); srv.close(); p.wait()
`;

Deno.test("FileObject reads lines fast (measured, not asserted)", async () => {
  const n = 1_000_000;
  const warm = n / 5;
  const results: string[] = [];
  for (const mode of ["rb", "r"]) {
    for (const kind of ["readline", "for"]) {
      const server = socket.socket();
      server.bind(["127.0.0.1", 0]);
      server.listen();
      const writer = new Deno.Command("python3", {
        args: ["-c", PY_LINES_WRITER, String(server.getsockname()[1]), String(n)],
      }).spawn();
      const [conn] = await server.accept();
      const f = conn.makefile(mode);
      for (let i = 0; i < warm; i++) await f.readline();
      const t0 = performance.now();
      let count = 0;
      if (kind === "readline") { while ((await f.readline()).length > 0) count++; }
      else for await (const _ of f) count++;
      const rate = count / (performance.now() - t0) * 1000;
      assert.equal(count, n - warm);
      await f.close();
      await conn.close();
      await server.close();
      assert.ok((await writer.status).success);
      results.push(`pysocket ${mode} ${kind}: ${(rate / 1e6).toFixed(2)}M lines/s`);
    }
  }
  const py = await new Deno.Command("python3", {
    args: ["-c", PY_LINES_READER, String(n), PY_LINES_WRITER],
    stdout: "piped",
  }).output();
  for (const line of str(py.stdout).trim().split("\n")) {
    const [mode, kind, rate] = line.split(" ");
    results.push(`python3  ${mode} ${kind}: ${(Number(rate) / 1e6).toFixed(2)}M lines/s`);
  }
  console.log(results.join("\n"));
});
Deno.test("findNewline() finds what Uint8Array.indexOf(10) finds", async () => {
  const { findNewline } = await import("../_file_reader.ts");
  const rand = rng(5);
  const buf = new Uint8Array(300);
  const words = new Int32Array(buf.buffer);
  for (let round = 0; round < 3000; round++) {
    for (let i = 0; i < buf.length; i++) {
      buf[i] = rand() < 0.02 ? 10 : 9 + Math.floor(rand() * 4) * (rand() < 0.5 ? 1 : 60);
    }
    const start = Math.floor(rand() * 100);
    const v = buf.subarray(start, start + Math.floor(rand() * 200));
    const from = Math.floor(rand() * (v.length + 1));
    const at = findNewline(buf, words, start + from, start + v.length);
    assert.equal(at === -1 ? -1 : at - start, v.indexOf(10, from), `round ${round}`);
  }
});
