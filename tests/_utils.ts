// Copyright 2025 the pysocket authors. MIT license.
/**
 * Helpers shared by the test files: connected pairs of sockets over each
 * family, a python3 runner (Python is the oracle), a python3 peer process
 * that is always killed and awaited, error assertions, and deterministic
 * random bytes.
 *
 * @module
 */

import assert from "node:assert/strict";
import * as socket from "../mod.ts";

/** A family the stream tests run over, with the host to use on loopback. */
export interface FamilyCase {
  /** Shown in test names. */
  name: string;
  /** `AF_INET`, `AF_INET6` or `AF_UNIX`. */
  family: number;
  /** Loopback host (`null` for AF_UNIX, whose addresses are paths). */
  host: string | null;
}

/** IPv4, IPv6 (`::1`) and AF_UNIX. */
export const FAMILIES: readonly FamilyCase[] = [
  { name: "IPv4", family: socket.AF_INET, host: "127.0.0.1" },
  { name: "IPv6", family: socket.AF_INET6, host: "::1" },
  { name: "AF_UNIX", family: socket.AF_UNIX, host: null },
];

/** A fresh path for an AF_UNIX socket in its own temporary directory. */
export interface TempPath extends AsyncDisposable {
  /** The socket's path (nothing exists there yet). */
  path: string;
  /** The directory holding it (removed on dispose). */
  dir: string;
}

/** Makes a temporary directory and a socket path inside it; dispose removes both. */
export async function tempPath(name = "sock"): Promise<TempPath> {
  const dir = await Deno.makeTempDir({ prefix: "pysocket_test_" });
  return {
    path: `${dir}/${name}`,
    dir,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** A local address to bind for `family` (port 0, or a fresh path). */
export async function localAddress(
  family: number,
): Promise<{ address: socket.Address } & AsyncDisposable> {
  if (family === socket.AF_UNIX) {
    const temp = await tempPath();
    return { address: temp.path, [Symbol.asyncDispose]: () => temp[Symbol.asyncDispose]() };
  }
  const host = family === socket.AF_INET6 ? "::1" : "127.0.0.1";
  return { address: [host, 0], [Symbol.asyncDispose]: () => Promise.resolve() };
}

/** A listening socket; dispose closes it (and removes its AF_UNIX directory). */
export interface Server extends AsyncDisposable {
  /** The listening socket. */
  sock: socket.Socket;
  /** Its address (`getsockname()`), for clients to connect to. */
  address: socket.Address;
}

/** A socket of `family` bound to loopback (port 0 or a temp path) and listening. */
export async function listener(family: number = socket.AF_INET, backlog?: number): Promise<Server> {
  const local = await localAddress(family);
  const sock = socket.socket(family, socket.SOCK_STREAM);
  try {
    sock.bind(local.address);
    sock.listen(backlog);
  } catch (e) {
    await sock.close();
    await local[Symbol.asyncDispose]();
    throw e;
  }
  return {
    sock,
    address: sock.getsockname(),
    async [Symbol.asyncDispose]() {
      await sock.close();
      await local[Symbol.asyncDispose]();
    },
  };
}

/** `[client, server]` of one connection, plus the listener that made it. */
export type Pair = [client: socket.Socket, server: socket.Socket] & AsyncDisposable & {
  /** The listening socket (still open until dispose). */
  listener: Server;
};

/**
 * A connected `[client, server]` over `family` (blocking mode on both
 * sides unless `getdefaulttimeout()` says otherwise). `await using` closes
 * both sockets and the listener, and removes any AF_UNIX directory.
 */
export async function pair(family: number = socket.AF_INET): Promise<Pair> {
  const server = await listener(family);
  const client = socket.socket(family, socket.SOCK_STREAM);
  try {
    await client.connect(server.address);
    const [conn] = await server.sock.accept();
    const result = [client, conn] as unknown as Pair;
    result.listener = server;
    result[Symbol.asyncDispose] = async () => {
      await Promise.all([client.close(), conn.close()]);
      await server[Symbol.asyncDispose]();
    };
    return result;
  } catch (e) {
    await client.close();
    await server[Symbol.asyncDispose]();
    throw e;
  }
}

/** What a python3 run produced. */
export interface PythonResult {
  /** Exit code (nonzero also when killed at the deadline). */
  code: number;
  /** Standard output, decoded. */
  stdout: string;
  /** Standard error, decoded. */
  stderr: string;
}

const decoder = new TextDecoder();

/**
 * Runs `python3 -c code`, feeding it `stdin`, killed after `timeout`
 * seconds at the latest. Always awaited: nothing is left running.
 */
export async function python(
  code: string,
  options: { stdin?: string | Uint8Array; timeout?: number } = {},
): Promise<PythonResult> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), (options.timeout ?? 20) * 1000);
  try {
    const child = new Deno.Command("python3", {
      args: ["-c", code],
      stdin: options.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
      signal: abort.signal,
    }).spawn();
    if (options.stdin !== undefined) {
      const writer = child.stdin.getWriter();
      const input = typeof options.stdin === "string"
        ? new TextEncoder().encode(options.stdin)
        : options.stdin;
      await writer.write(input).catch(() => {});
      await writer.close().catch(() => {});
    }
    const out = await child.output();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `python3 -c code` and parses its stdout as JSON; fails on a nonzero exit. */
export async function pythonJSON<T>(
  code: string,
  options: { stdin?: string; timeout?: number } = {},
): Promise<T> {
  const result = await python(code, options);
  assert.equal(result.code, 0, `python3 failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** A running python3 peer. */
export interface PythonPeer {
  /** The first line the script printed: its port, its path, or `READY`. */
  first: string;
  /** The first line as a number (a port). */
  port: number;
  /** The next line the script prints, without its newline (`null` at end of output). */
  line(): Promise<string | null>;
  /** Waits for the script to exit by itself; its exit code and remaining output. */
  wait(): Promise<PythonResult>;
}

/**
 * Starts `python3 -u -c script`, waits for the first line it prints (say,
 * the port it listens on) and runs `fn` with it. Whatever happens, the
 * process is killed (if still running) and awaited before this returns; it
 * is killed anyway after `timeout` seconds. Python's stderr is appended to
 * the message of an error `fn` throws.
 */
export async function withPythonPeer<T>(
  script: string,
  fn: (peer: PythonPeer) => Promise<T>,
  timeout = 20,
): Promise<T> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeout * 1000);
  const child = new Deno.Command("python3", {
    args: ["-u", "-c", script],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: abort.signal,
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  let ended = false;
  const line = async (): Promise<string | null> => {
    while (true) {
      const at = pending.indexOf("\n");
      if (at >= 0) {
        const text = pending.slice(0, at);
        pending = pending.slice(at + 1);
        return text;
      }
      if (ended) {
        if (pending === "") return null;
        const text = pending;
        pending = "";
        return text;
      }
      const { value, done } = await reader.read();
      if (done) ended = true;
      else pending += value;
    }
  };
  const rest = async (): Promise<string> => {
    let text = pending;
    pending = "";
    while (!ended) {
      const { value, done } = await reader.read();
      if (done) ended = true;
      else text += value;
    }
    return text;
  };
  try {
    const first = await line();
    if (first === null) throw new Error("python3 peer printed nothing");
    return await fn({
      first,
      port: Number(first),
      line,
      async wait() {
        const stdout = await rest();
        const { code } = await status;
        return { code, stdout, stderr: await stderr };
      },
    });
  } catch (e) {
    if (!exited) {
      try {
        child.kill("SIGKILL");
      } catch { /* exited meanwhile */ }
    }
    await status;
    await rest().catch(() => "");
    const text = await stderr;
    if (e instanceof Error && text.trim() !== "") e.message += `\n--- python3 stderr ---\n${text}`;
    throw e;
  } finally {
    if (!exited) {
      try {
        child.kill("SIGKILL");
      } catch { /* exited meanwhile */ }
    }
    await status;
    await rest().catch(() => "");
    await stderr;
    clearTimeout(timer);
  }
}

/** What an expected error must look like. */
export interface Expected {
  /** The exact `errno` (`null` for TimeoutError("timed out") and friends). */
  errno?: number | null;
  /** The exact message, or a pattern it matches. */
  message?: string | RegExp;
}

// deno-lint-ignore no-explicit-any
type ErrorClass = abstract new (...args: any[]) => Error;

function check(error: unknown, cls: ErrorClass, expected: Expected): Error {
  assert.ok(
    error instanceof cls,
    `expected ${cls.name}, got ${
      error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    }`,
  );
  assert.equal((error as Error).name, cls.name, "the exact class, not a subclass");
  if (expected.errno !== undefined) {
    assert.equal((error as { errno?: unknown }).errno, expected.errno);
  }
  if (typeof expected.message === "string") {
    assert.equal((error as Error).message, expected.message);
  } else if (expected.message) assert.match((error as Error).message, expected.message);
  return error as Error;
}

/** Asserts `promise` rejects with exactly class `cls` (and the given fields); returns the error. */
export async function rejects(
  promise: Promise<unknown>,
  cls: ErrorClass,
  expected: Expected = {},
): Promise<Error> {
  let value: unknown;
  try {
    value = await promise;
  } catch (e) {
    return check(e, cls, expected);
  }
  return assert.fail(`expected ${cls.name}, but it resolved ${Deno.inspect(value)}`);
}

/** Asserts `fn()` throws exactly class `cls` (and the given fields); returns the error. */
export function throws(fn: () => unknown, cls: ErrorClass, expected: Expected = {}): Error {
  let value: unknown;
  try {
    value = fn();
  } catch (e) {
    return check(e, cls, expected);
  }
  if (value instanceof Promise) value.catch(() => {});
  return assert.fail(`expected ${cls.name} thrown, but it returned ${Deno.inspect(value)}`);
}

/**
 * Asserts a call fails with class `cls`, whether it throws at once or
 * returns a promise that rejects (both are accepted: which one a bad
 * argument gives is the implementation's choice for an async method).
 */
export async function fails(
  fn: () => unknown,
  cls: ErrorClass,
  expected: Expected = {},
): Promise<Error> {
  let value: unknown;
  try {
    value = fn();
  } catch (e) {
    return check(e, cls, expected);
  }
  return await rejects(Promise.resolve(value), cls, expected);
}

/** Checks `promise` rejects with `TimeoutError("timed out")` no sooner than `seconds`. */
export async function timesOut(promise: Promise<unknown>, seconds: number): Promise<void> {
  const start = performance.now();
  await rejects(promise, socket.TimeoutError, { errno: null, message: "timed out" });
  const elapsed = (performance.now() - start) / 1000;
  // Loosely: timers may fire a little early by rounding, never much.
  assert.ok(elapsed >= seconds * 0.9, `timed out after ${elapsed}s, before its ${seconds}s`);
}

/** Checks `promise` rejects with `BlockingIOError` EAGAIN, as a non-blocking call that would block. */
export async function wouldBlock(promise: Promise<unknown>): Promise<void> {
  await rejects(promise, socket.BlockingIOError, {
    errno: socket.EAGAIN,
    message: "[Errno 11] Resource temporarily unavailable",
  });
}

/**
 * The non-blocking idiom: retries `fn` while it raises `BlockingIOError`,
 * yielding to the event loop between tries, for at most `seconds`.
 */
export async function retry<T>(fn: () => Promise<T>, seconds = 10): Promise<T> {
  const until = performance.now() + seconds * 1000;
  while (true) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof socket.BlockingIOError) || performance.now() > until) throw e;
    }
    await tick();
  }
}

/** Waits for `predicate()` to hold, yielding between checks, for at most `seconds`. */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  seconds = 10,
): Promise<void> {
  const end = performance.now() + seconds * 1000;
  while (!(await predicate())) {
    if (performance.now() > end) assert.fail(`gave up waiting for ${what}`);
    await tick();
  }
}

/** One turn of the event loop (lets pending I/O complete). */
export function tick(ms = 1): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether `promise` has settled (checked without waiting on it). */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol();
  const winner = await Promise.race([
    promise.then(() => true, () => true),
    Promise.resolve(marker),
  ]);
  return winner !== marker;
}

/** A small seeded PRNG (mulberry32): deterministic tests that vary by seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` deterministic pseudo-random bytes for `seed` (fast: xorshift32 over words). */
export function randomBytes(n: number, seed = 1): Uint8Array {
  const words = new Uint32Array(Math.ceil(n / 4));
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer, 0, n);
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Compares bytes, reporting the first difference instead of dumping arrays. */
export function assertBytes(actual: Uint8Array, expected: Uint8Array, what = "bytes"): void {
  if (actual.length === expected.length) {
    let i = 0;
    while (i < actual.length && actual[i] === expected[i]) i++;
    if (i === actual.length) return;
    assert.fail(
      `${what}: differ at byte ${i} of ${actual.length} (${actual[i]} != ${expected[i]})`,
    );
  }
  let i = 0;
  const n = Math.min(actual.length, expected.length);
  while (i < n && actual[i] === expected[i]) i++;
  assert.fail(`${what}: length ${actual.length} != ${expected.length} (first difference at ${i})`);
}

/** Reads from `sock` until end of stream; all the bytes. */
export async function recvAll(sock: socket.Socket, bufsize = 65536): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  while (true) {
    const data = await sock.recv(bufsize);
    if (data.length === 0) return concat(parts);
    parts.push(data.slice());
  }
}

/** Reads exactly `n` bytes from `sock` (fewer only at end of stream). */
export async function recvExactly(sock: socket.Socket, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const count = await sock.recv_into(out.subarray(got));
    if (count === 0) return out.subarray(0, got);
    got += count;
  }
  return out;
}

/** UTF-8 text of bytes. */
export function text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** UTF-8 bytes of text. */
export function bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Hex SHA-256 of bytes. */
export async function sha256(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
