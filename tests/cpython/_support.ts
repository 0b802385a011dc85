// Copyright 2025 the pysocket authors. MIT license.
/**
 * The fixtures of CPython's `Lib/test/test_socket.py`, for the translated
 * tests in this folder. Python runs a test's server half (`testFoo`) and its
 * client half (`_testFoo`) in two threads; here they are two async
 * functions awaited together. Each fixture closes every socket it made, and
 * every test is bounded in time: at the deadline the sockets are closed (so
 * pending calls settle) and the test fails.
 *
 * @module
 */

import * as socket from "../../mod.ts";

/** Python's `socket_helper.HOST`. */
export const HOST = "127.0.0.1";
/** Python's `socket_helper.HOSTv6`. */
export const HOSTv6 = "::1";
/** `MSG` of test_socket.py: a unicode string and a carriage return, UTF-8. */
export const MSG: Uint8Array = utf8("Michael Gilfix was here\u1234\r\n");

/** UTF-8 bytes of `s` (Python's `'…'.encode()` / a `b'…'` literal of ASCII). */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Latin-1 bytes of `s` (a `b'\xff…'` literal). */
export function b(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** `a + b + …` for bytes. */
export function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `bytes * n`. */
export function repeat(bytes: Uint8Array, n: number): Uint8Array {
  return cat(...Array.from({ length: n }, () => bytes));
}

/** Python's `threading.Event`, for the two halves of a test. */
export class Event {
  #set = false;
  #waiters: (() => void)[] = [];

  /** `event.set()`. */
  set(): void {
    this.#set = true;
    for (const w of this.#waiters.splice(0)) w();
  }

  /** `event.is_set()`. */
  is_set(): boolean {
    return this.#set;
  }

  /** `event.wait(timeout)`: whether the event was set (false at the timeout). */
  wait(timeout = 5): Promise<boolean> {
    if (this.#set) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== done);
        resolve(false);
      }, timeout * 1000);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.#waiters.push(done);
    });
  }
}

/** `CPYTHON_RUN_IGNORED=1` runs the ignored tests too (to see which still fail). */
const RUN_IGNORED = Deno.env.get("CPYTHON_RUN_IGNORED") === "1";

function ignored(options: TestOptions): boolean {
  return (options.ignore ?? false) && !RUN_IGNORED;
}

/** How a translated test is registered. */
export interface TestOptions {
  /** `ignore: true` with a `// FAILS:` or `// DIFFERENCE:` comment beside it. */
  ignore?: boolean;
  /** Seconds before the test is failed and its sockets closed (default 10). */
  timeout?: number;
}

/** Sockets a fixture made; all closed at tear-down (already closed ones too). */
export class Fixture {
  /** Everything to close at tear-down. */
  readonly sockets: socket.Socket[] = [];
  /** `self.done`: set once the client half has finished (ThreadableTest). */
  readonly done: Event = new Event();
  /** Everything to run at tear-down (files to close, directories to remove). */
  readonly cleanups: (() => Promise<void> | void)[] = [];

  /** Registers `sock` for tear-down; returns it. */
  track<S extends socket.Socket>(sock: S): S {
    this.sockets.push(sock);
    return sock;
  }

  /** Python's `self.addCleanup(fn)`. */
  addCleanup(fn: () => Promise<void> | void): void {
    this.cleanups.push(fn);
  }

  /** Closes every socket and runs the clean-ups (errors ignored: the test already failed or passed). */
  async tearDown(): Promise<void> {
    for (const fn of this.cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch { /* as Python's tearDown: the outcome is the test's */ }
    }
    await Promise.all(this.sockets.map((s) => s.close().catch(() => {})));
  }
}

/**
 * Runs `halves` (the two halves of a test) with `fixture`, failing at `timeout`
 * seconds; tears the fixture down in every case, and waits for every half to
 * settle before returning (no pending operation outlives the test).
 */
async function bounded(
  fixture: Fixture,
  halves: (() => Promise<void>)[],
  timeout: number,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`test did not finish within ${timeout}s`)),
      timeout * 1000,
    );
  });
  const running = halves.map((h) => h());
  try {
    await Promise.race([Promise.all(running), deadline]);
  } finally {
    clearTimeout(timer);
    // A failed half may leave the other one waiting on a socket: closing
    // the sockets makes it settle.
    await fixture.tearDown();
    await Promise.allSettled(running);
  }
}

/** A plain `unittest.TestCase` test: `fn` with a fixture that closes what it tracks. */
export function test(
  name: string,
  fn: (t: Fixture) => Promise<void> | void,
  options: TestOptions = {},
): void {
  Deno.test({
    name,
    ignore: ignored(options),
    async fn() {
      const t = new Fixture();
      await bounded(t, [async () => await fn(t)], options.timeout ?? 10);
    },
  });
}

/** `SocketTCPTest` + `ThreadableTest`: a listening server and an unconnected client. */
export class TCPFixture extends Fixture {
  /** `self.serv`: bound to HOST, listening. */
  serv!: socket.Socket;
  /** `self.port`. */
  port!: number;
  /** `self.cli`: a fresh AF_INET stream socket. */
  cli!: socket.Socket;
  /** `self.cli_conn`: the server's accepted socket (SocketConnectedTest). */
  cli_conn!: socket.Socket;
  /** `self.serv_conn`: the client's connected socket (SocketConnectedTest). */
  serv_conn!: socket.Socket;
  /** `self.evt1`, `self.evt2`, `self.serv_finished`, `self.cli_finished` of the file tests. */
  readonly evt1: Event = new Event();
  /** See `evt1`. */
  readonly evt2: Event = new Event();
  /** See `evt1`. */
  readonly serv_finished: Event = new Event();
  /** See `evt1`. */
  readonly cli_finished: Event = new Event();
  /** `self.event` (NonBlockingTCPTests and others). */
  readonly event: Event = new Event();
  /** Extra state a test class sets in its setUp (Python's `self.xxx`). */
  // deno-lint-ignore no-explicit-any
  [key: string]: any;
}

/** What a threaded test class does around its halves. */
export interface ThreadedOptions<F extends Fixture> extends TestOptions {
  /** The class's `setUp` (after the base class's); runs with clientSetUp concurrently. */
  setUp?: (t: F) => Promise<void> | void;
  /** The class's `clientSetUp` (after the base class's). */
  clientSetUp?: (t: F) => Promise<void> | void;
}

type Half<F> = (t: F) => Promise<void> | void;

/**
 * The client half followed by Python's `clientTearDown`: the client's
 * socket is closed as soon as the client's half ends (the server's half
 * may still be reading until end of stream).
 */
function withClientTearDown(client: Half<TCPFixture>): Half<TCPFixture> {
  return async (t) => {
    try {
      await client(t);
    } finally {
      await t.cli?.close().catch(() => {});
    }
  };
}

/** `SocketTCPTest.setUp`: `serv` bound on HOST port 0, listening. */
function tcpServer(t: TCPFixture): void {
  t.serv = t.track(socket.socket(socket.AF_INET, socket.SOCK_STREAM));
  t.serv.bind([HOST, 0]);
  t.port = (t.serv.getsockname() as [string, number])[1];
  t.serv.listen();
}

/**
 * `ThreadedTCPSocketTest`: `server` (testFoo) and `client` (_testFoo) run
 * together; `serv` listens on `port`, `cli` is a fresh client socket.
 */
export function tcpTest(
  name: string,
  server: Half<TCPFixture>,
  client: Half<TCPFixture>,
  options: ThreadedOptions<TCPFixture> = {},
): void {
  threaded(
    name,
    () => {
      const t = new TCPFixture();
      tcpServer(t);
      return t;
    },
    [
      async (t) => await options.setUp?.(t),
      async (t) => {
        t.cli = t.track(socket.socket(socket.AF_INET, socket.SOCK_STREAM));
        await options.clientSetUp?.(t);
      },
    ],
    server,
    withClientTearDown(client),
    options,
  );
}

/** Options of `connectedTest`. */
export interface ConnectedOptions extends ThreadedOptions<TCPFixture> {
  /** Makes the client's connected socket (NetworkConnectionTest: `create_connection`). */
  connect?: (t: TCPFixture) => Promise<socket.Socket>;
}

/**
 * `SocketConnectedTest`: as `tcpTest`, with the connection made in setUp:
 * `cli_conn` is the server's end, `serv_conn` (= `cli`) the client's.
 */
export function connectedTest(
  name: string,
  server: Half<TCPFixture>,
  client: Half<TCPFixture>,
  options: ConnectedOptions = {},
): void {
  threaded(
    name,
    () => {
      const t = new TCPFixture();
      tcpServer(t);
      return t;
    },
    [
      async (t) => {
        const [conn] = await t.serv.accept();
        t.cli_conn = t.track(conn);
        await options.setUp?.(t);
      },
      async (t) => {
        if (options.connect) {
          t.cli = t.track(await options.connect(t));
        } else {
          t.cli = t.track(socket.socket(socket.AF_INET, socket.SOCK_STREAM));
          await t.cli.connect([HOST, t.port]);
        }
        t.serv_conn = t.cli;
        await options.clientSetUp?.(t);
      },
    ],
    server,
    withClientTearDown(client),
    options,
  );
}

/** `ThreadedUDPSocketTest`: `serv` bound on HOST, `cli` a fresh datagram socket. */
export function udpTest(
  name: string,
  server: Half<TCPFixture>,
  client: Half<TCPFixture>,
  options: ThreadedOptions<TCPFixture> = {},
): void {
  threaded(
    name,
    () => {
      const t = new TCPFixture();
      t.serv = t.track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM));
      t.serv.bind([HOST, 0]);
      t.port = (t.serv.getsockname() as [string, number])[1];
      return t;
    },
    [
      async (t) => await options.setUp?.(t),
      async (t) => {
        t.cli = t.track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM));
        await options.clientSetUp?.(t);
      },
    ],
    server,
    withClientTearDown(client),
    options,
  );
}

/** `SocketPairTest`: `serv, cli = socketpair()`. */
export function pairTest(
  name: string,
  server: Half<TCPFixture>,
  client: Half<TCPFixture>,
  options: ThreadedOptions<TCPFixture> = {},
): void {
  Deno.test({
    name,
    ignore: ignored(options),
    async fn() {
      const t = new TCPFixture();
      const [serv, cli] = await socket.socketpair();
      t.serv = t.track(serv);
      t.cli = t.track(cli);
      await bounded(t, [
        async () => {
          await options.setUp?.(t);
          await server(t);
        },
        async () => {
          try {
            await options.clientSetUp?.(t);
            await client(t);
          } finally {
            t.done.set();
          }
        },
      ], options.timeout ?? 10);
    },
  });
}

/**
 * The general form: `make()` builds the fixture (the part of setUp that
 * needs no peer), then `setUps[0]` (server) and `setUps[1]` (client) run
 * together, then the two halves of the test together.
 */
export function threaded<F extends Fixture>(
  name: string,
  make: () => F | Promise<F>,
  setUps: [Half<F>, Half<F>],
  server: Half<F>,
  client: Half<F>,
  options: TestOptions = {},
): void {
  Deno.test({
    name,
    ignore: ignored(options),
    async fn() {
      const t = await make();
      // Python's ThreadableTest: the client's half starts once its setUp is
      // done; the server's test waits for the client's setUp (client_ready).
      const clientReady = new Event();
      let serverFailed = false;
      await bounded(t, [
        async () => {
          try {
            await setUps[0](t);
          } catch (e) {
            serverFailed = true;
            throw e;
          }
          await clientReady.wait(options.timeout ?? 10);
          await server(t);
        },
        async () => {
          try {
            await setUps[1](t);
          } finally {
            clientReady.set();
          }
          try {
            if (!serverFailed) await client(t);
          } finally {
            t.done.set();
          }
        },
      ], options.timeout ?? 10);
    },
  });
}

// deno-lint-ignore no-explicit-any
type ErrorClass = abstract new (...args: any[]) => Error;

function matches(error: unknown, classes: ErrorClass[]): boolean {
  return classes.some((cls) => error instanceof cls);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
}

/**
 * Python's `assertRaises(cls, fn)` (`cls` or a subclass), whether `fn`
 * throws at once or returns a promise that rejects; `cls` may be a list
 * (Python's tuple of classes). Returns the error (`cm.exception`).
 */
export async function raises(
  cls: ErrorClass | ErrorClass[],
  fn: () => unknown,
  message?: string,
): Promise<Error> {
  const classes = Array.isArray(cls) ? cls : [cls];
  const names = classes.map((c) => c.name).join(" or ");
  let value: unknown;
  try {
    value = fn();
    if (value instanceof Promise) value = await value;
  } catch (e) {
    if (!matches(e, classes)) {
      throw new Error(`expected ${names}, got ${describe(e)}${message ? ` (${message})` : ""}`, {
        cause: e,
      });
    }
    return e as Error;
  }
  throw new Error(
    `expected ${names}, but it returned ${Deno.inspect(value)}${message ? ` (${message})` : ""}`,
  );
}

/** A name of Python's socket module that pysocket may lack (`getattr(socket, name, None)`). */
// deno-lint-ignore no-explicit-any
export function attr(name: string): any {
  return (socket as unknown as Record<string, unknown>)[name];
}

/** Python's `socket_helper.find_unused_port()`: a port bound and released. */
export async function findUnusedPort(family: number = socket.AF_INET): Promise<number> {
  await using s = socket.socket(family, socket.SOCK_STREAM);
  s.bind([family === socket.AF_INET6 ? HOSTv6 : HOST, 0]);
  return (s.getsockname() as [string, number])[1];
}

// The public `select` module (issue 10) when it exists; loaded by a
// computed specifier so this folder type-checks without it.
// deno-lint-ignore no-explicit-any
let selectModule: any = null;
try {
  selectModule = await import(new URL("../../select.ts", import.meta.url).href);
} catch { /* not there yet */ }

/**
 * Python's `select.select(rlist, [], [], timeout)[0]`: the sockets of
 * `rlist` that are readable within `timeout` seconds. Uses pysocket's
 * `select` module; without it, stream sockets are polled with
 * `recv(1, MSG_PEEK | MSG_DONTWAIT)` (which consumes nothing), and a
 * listening socket cannot be watched (an error says so).
 */
export async function selectReadable(
  rlist: socket.Socket[],
  timeout: number,
): Promise<socket.Socket[]> {
  if (selectModule?.select) {
    const [r] = await selectModule.select(rlist, [], [], timeout);
    return r;
  }
  const end = performance.now() + timeout * 1000;
  while (true) {
    const ready: socket.Socket[] = [];
    for (const s of rlist) {
      try {
        await s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT);
        ready.push(s);
      } catch (e) {
        if (e instanceof socket.BlockingIOError) continue;
        if (e instanceof socket.OSError && e.errno === socket.ENOTCONN) {
          throw new Error("select.select on a listening socket needs pysocket's select module");
        }
        ready.push(s); // an error is readable too
      }
    }
    if (ready.length > 0 || performance.now() >= end) return ready;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
