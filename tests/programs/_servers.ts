// Copyright 2025 the pysocket authors. MIT license.
/**
 * Real servers for the ported-program tests: a free loopback port, a
 * server process started on it (redis-server, memcached, a python3 script)
 * that is always killed and awaited, and a python3 oracle runner.
 *
 * @module
 */

import * as socket from "../../mod.ts";

/** Whether `program` is on PATH (runs `program --version`). */
export async function have(program: string): Promise<boolean> {
  try {
    const out = await new Deno.Command(program, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.code !== 127;
  } catch {
    return false;
  }
}

/** A loopback TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  await using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  s.bind(["127.0.0.1", 0]);
  return (s.getsockname() as [string, number])[1];
}

/** A server process listening on `port` (or a unix socket path). */
export interface Running {
  /** The port (or path) it listens on. */
  port: number | string;
  /** Everything it printed on stdout and stderr so far (for messages). */
  output(): string;
}

/**
 * Starts `program args`, waits until 127.0.0.1:`port` (or the unix socket
 * at path `port`) accepts connections (10 s at most), runs `fn`, then
 * kills the process and awaits it, whatever happened. The process is
 * killed anyway after `timeout` seconds.
 */
export async function withServer<T>(
  program: string,
  args: string[],
  port: number | string,
  fn: (server: Running) => Promise<T>,
  timeout = 60,
): Promise<T> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeout * 1000);
  const child = new Deno.Command(program, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: abort.signal,
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  try {
    const end = performance.now() + 10_000;
    while (true) {
      if (exited) throw new Error(`${program} exited before listening:\n${text}`);
      try {
        const conn = typeof port === "number"
          ? await Deno.connect({ hostname: "127.0.0.1", port })
          : await Deno.connect({ transport: "unix", path: port });
        conn.close();
        break;
      } catch {
        if (performance.now() > end) throw new Error(`${program} never listened:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    return await fn({ port, output: () => text });
  } finally {
    if (!exited) {
      try {
        child.kill("SIGKILL");
      } catch { /* exited meanwhile */ }
    }
    await status;
    await drained;
    clearTimeout(timer);
  }
}

/**
 * Runs the python3 script `name` (a file beside this one) with `args`
 * (killed after `timeout` s) and parses its stdout as JSON.
 */
export async function pythonOracle<T>(name: string, args: string[], timeout = 30): Promise<T> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeout * 1000);
  try {
    const out = await new Deno.Command("python3", {
      args: [new URL(name, import.meta.url).pathname, ...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: abort.signal,
    }).output();
    const decoder = new TextDecoder();
    if (out.code !== 0) {
      throw new Error(`python3 failed (${out.code}):\n${decoder.decode(out.stderr)}`);
    }
    return JSON.parse(decoder.decode(out.stdout)) as T;
  } finally {
    clearTimeout(timer);
  }
}

/** A daemon started by `spawnDaemon()`. */
export interface Daemon {
  /** Whether the process has exited. */
  exited(): boolean;
  /** What it wrote on stderr (complete once it exited). */
  stderr: Promise<string>;
  /** Kills it with `signal` (if still running), awaits it, removes `dir`. */
  stop(): Promise<void>;
}

/**
 * Starts `program args` (stdout discarded, stderr kept), killed anyway
 * after 60 s; `stop()` kills it with `signal`, awaits it and removes the
 * scratch directory `dir`.
 */
export function spawnDaemon(
  program: string,
  args: string[],
  dir: string,
  signal: Deno.Signal,
): Daemon {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 60_000);
  const child = new Deno.Command(program, {
    args,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    signal: abort.signal,
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  return {
    exited: () => exited,
    stderr,
    async stop() {
      if (!exited) {
        try {
          child.kill(signal);
        } catch { /* exited meanwhile */ }
      }
      await status;
      await stderr;
      clearTimeout(timer);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
