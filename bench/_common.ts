/**
 * Shared by the benchmark driver (`run.ts`) and the Deno workers: workload
 * parameters, result shapes, the data each workload sends and the checks
 * that make a fast wrong answer fail. The Python and Node scripts
 * (`_python.ts`, `_node.ts`) build the same data with the same formulas.
 *
 * @module
 */

import process from "node:process";

/** Period of the bulk byte pattern: a prime, so 64 KiB sends never align. */
export const BULK_PERIOD = 65521;
/** Largest single read or send in the bulk workload. */
export const BULK_CHUNK = 65536;

/** Lines per block of the lines workload; the stream repeats the block. */
export const LINE_BLOCK = 10_000;
const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Marker datagram that ends the UDP workload (4 bytes, all 0xff). */
export const UDP_END_LENGTH = 4;
/**
 * Datagrams a UDP sender may have in flight: well under what the kernel's
 * default receive buffer holds, so a receiver that keeps up loses nothing.
 */
export const UDP_WINDOW = 64;
/** How long a UDP sender waits for its window before assuming a loss. */
export const UDP_STALL_MS = 50;

/** Parameters of one measurement, as passed to a worker (any language). */
export type Params =
  | {
    workload: "bulk";
    total: number;
    mode: "recv_into" | "recv" | "fresh";
    timeout: number | null;
  }
  | {
    workload: "pingpong";
    rounds: number;
    warmup: number;
    size: number;
    preposted: boolean;
    timeout: number | null;
  }
  | { workload: "accept"; cycles: number; warmup: number }
  | {
    workload: "idle";
    count: number;
    warm: number;
    /** The accepted sockets' mode (Python: blocking; Node and raw Deno: n/a). */
    mode?: ServerMode;
    /** Each connection first does one exchange: one `recv`, one `sendall`. */
    exchange?: boolean;
  }
  | { workload: "echo"; mode: ServerMode }
  | { workload: "multicore"; workers: number }
  | {
    workload: "tls";
    impl: "pysocket" | "deno" | "python" | "node";
    kind: "bulk" | "handshake";
    total: number;
    seconds: number;
    /** Certificate files (made once by the driver). */
    files: { ca: string; cert: string; key: string };
  }
  | {
    workload: "select";
    /** What `_select.ts` measures (`python-*`: python3's `select` module). */
    api: "select" | "poll" | "selector" | "python-poll" | "python-select" | "register";
    sockets: number;
    seconds: number;
  }
  | {
    workload: "lines";
    blocks: number;
    mode:
      | "rb-readline"
      | "rb-iter"
      | "r-readline"
      | "r-iter"
      | "raw-b"
      | "raw-t";
  }
  | { workload: "udp"; count: number; size: number }
  | { workload: "probe-udp" };

/**
 * How a server handles its connections. pysocket: `settimeout(None)`,
 * `settimeout(5)`, `setblocking(False)` with `selectors`; Python: a thread
 * per connection (without and with `settimeout(5)`), or `selectors`; raw
 * Deno and Node have one way each (the mode is ignored).
 */
export type ServerMode = "blocking" | "timeout" | "nonblocking";

/** Size of the echo workload's requests. */
export const ECHO_SIZE = 32;
/** The timeout of the servers' sockets in timeout mode, seconds. */
export const SERVER_TIMEOUT = 5;

/** What a worker prints as the last line of its standard output. */
export interface Result {
  /** Seconds spent in the measured part. */
  seconds?: number;
  /** CPU seconds (user + system, all threads) spent in the measured part. */
  cpu?: number;
  /** bulk: bytes received; lines: total length of the lines read. */
  bytes?: number;
  /** bulk, pingpong, accept, udp: sampled checks that failed. */
  bad?: number;
  /** pingpong: round trips done; accept: cycles done. */
  count?: number;
  /** pingpong: median and 99th percentile round-trip time, microseconds. */
  p50?: number;
  /** pingpong: 99th percentile round-trip time, microseconds. */
  p99?: number;
  /** lines: number of lines read. */
  lines?: number;
  /** lines: the last line read, decoded as text. */
  last?: string;
  /** idle: resident set size growth, bytes. */
  rss?: number;
  /** idle: JavaScript heap growth (Deno and Node), bytes. */
  heap?: number;
  /** udp: distinct datagrams received, duplicates. */
  received?: number;
  /** udp: datagrams received twice. */
  dup?: number;
  /** udp: times the sender gave up waiting for its window (losses). */
  stalls?: number;
  /** tls: MiB/s (bulk) or handshakes/s. */
  value?: number;
  /** select: microseconds per call. */
  perCall?: number;
  /** Server workloads: the client process's CPU seconds. */
  clientCpu?: number;
  /** Set when the worker could not run the workload. */
  error?: string;
  /** Set when the module under test lacks what the workload needs. */
  unavailable?: string;
}

/**
 * The bulk pattern: byte `x` of the stream is `pattern[x % BULK_PERIOD]`,
 * and the array is one period plus one chunk long, so the bytes from stream
 * offset `o` are `pattern.subarray(o % BULK_PERIOD)` for up to a chunk.
 */
export function bulkPattern(): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(BULK_PERIOD + BULK_CHUNK);
  for (let k = 0; k < out.length; k++) {
    const j = k % BULK_PERIOD;
    out[k] = (j * 131 + (j >>> 9)) & 255;
  }
  return out;
}

/** Checks received bulk chunks against the pattern, three bytes a chunk. */
export class BulkChecker {
  /** Bytes seen so far. */
  bytes = 0;
  /** Chunks whose sampled bytes did not match. */
  bad = 0;
  #pattern: Uint8Array;

  /** Checks against `pattern` (from {@linkcode bulkPattern}). */
  constructor(pattern: Uint8Array) {
    this.#pattern = pattern;
  }

  /** Checks the first `n` bytes of `chunk`, the next bytes of the stream. */
  chunk(chunk: Uint8Array, n: number): void {
    const p = this.#pattern;
    const st = this.bytes % BULK_PERIOD;
    const mid = n >>> 1;
    if (
      chunk[0] !== p[st] || chunk[n - 1] !== p[st + n - 1] ||
      chunk[mid] !== p[st + mid]
    ) this.bad++;
    this.bytes += n;
  }
}

/** Line `j` of a block: 30 to 50 ASCII bytes ending in `\n`. */
export function blockLine(j: number): string {
  return `${String(j).padStart(8, "0")} ${ALPHABET.slice(0, 20 + (j * 7) % 21)}\n`;
}

/** One block of the lines workload, as bytes. */
export function lineBlock(): Uint8Array<ArrayBuffer> {
  let s = "";
  for (let j = 0; j < LINE_BLOCK; j++) s += blockLine(j);
  return new TextEncoder().encode(s);
}

/** What a correct run of the lines workload over `blocks` blocks reads. */
export function expectedLines(
  blocks: number,
): { lines: number; bytes: number; last: string } {
  return {
    lines: blocks * LINE_BLOCK,
    bytes: blocks * lineBlock().length,
    last: blockLine(LINE_BLOCK - 1),
  };
}

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Median of some numbers (NaN for none). */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >>> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Flow control for the UDP workload in one process: the sender keeps at
 * most {@linkcode UDP_WINDOW} datagrams in flight, so the figure is what
 * the receiver can take rather than what the kernel drops. A window that
 * does not open within {@linkcode UDP_STALL_MS} counts as a stall (datagrams
 * lost) and is forgiven.
 */
export class SendWindow {
  /** Datagrams sent so far. */
  sent = 0;
  /** Datagrams received so far (duplicates and damaged ones included). */
  got = 0;
  /** Times the window was forgiven. */
  stalls = 0;
  #wake: (() => void) | null = null;

  /** Resolves when the sender may send one more datagram. */
  async room(): Promise<void> {
    while (this.sent - this.got >= UDP_WINDOW) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const opened = await new Promise<boolean>((resolve) => {
        this.#wake = () => resolve(true);
        timer = setTimeout(() => resolve(false), UDP_STALL_MS);
      });
      clearTimeout(timer);
      this.#wake = null;
      if (!opened) {
        this.stalls++;
        this.got = this.sent;
      }
    }
  }

  /** Called by the receiver for each datagram. */
  arrived(): void {
    this.got++;
    if (this.#wake !== null && this.sent - this.got <= UDP_WINDOW / 2) {
      this.#wake();
    }
  }
}

/** Wall-clock and CPU time of the measured part of a workload. */
export class Stopwatch {
  #t0 = performance.now();
  #cpu0 = process.cpuUsage();

  /** Seconds and CPU seconds since construction. */
  read(): { seconds: number; cpu: number } {
    const seconds = (performance.now() - this.#t0) / 1000;
    const cpu = process.cpuUsage(this.#cpu0);
    return { seconds, cpu: (cpu.user + cpu.system) / 1e6 };
  }
}
