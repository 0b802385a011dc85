/**
 * An echo server on several cores: N worker processes, each listening on
 * the same port with its own `create_server(addr, { reuse_port: true })`.
 * A JavaScript process runs on one core, so a pysocket server uses more
 * cores the way Python servers (and Node's `cluster`) do: more processes.
 * With `SO_REUSEPORT` the kernel gives each worker its own accept queue and
 * hashes every incoming connection (its addresses and ports) to one of
 * them, so the workers share no state and never contend for a lock.
 *
 * ```sh
 * deno run --unstable-net --allow-net --allow-run --allow-read examples/multicore_echo.ts --workers=2 --port=8007
 * # elsewhere: python3 -c "import socket; s = socket.create_connection(('127.0.0.1', 8007)); s.sendall(b'hi'); print(s.recv(9))"
 * ```
 *
 * Options: `--workers=N` (default: the number of cores), `--port=P`
 * (default 0: the first worker picks a free port, the others join it),
 * `--host=H` (default 127.0.0.1). Prints one line per worker
 * (`worker <pid> listening on <host>:<port>`), then `ready: <n> workers on
 * <host>:<port>`. Ctrl-C (or SIGTERM) stops the workers. Needs Linux or
 * another system with `SO_REUSEPORT` load balancing (on macOS the option
 * exists but the last listener gets every connection).
 *
 * @module
 */

import { create_server, type Socket } from "../mod.ts";

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return Deno.args.find((a) => a.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

/** Echoes what `conn` sends until it closes. */
async function echo(conn: Socket): Promise<void> {
  try {
    for (;;) {
      const data = await conn.recv(4096);
      if (data.length === 0) break;
      await conn.sendall(data);
    }
  } catch (e) {
    // A client that resets its connection ends only that connection.
    if (!(e instanceof Error && e.name === "ConnectionResetError")) console.error(e);
  } finally {
    await conn.close();
  }
}

/** A worker: one listener on the shared port, one task per connection. */
async function worker(host: string, port: number): Promise<void> {
  const server = create_server([host, port], { reuse_port: true, backlog: 4096 });
  const [, bound] = server.getsockname() as [string, number];
  console.log(`worker ${Deno.pid} listening on ${host}:${bound}`);
  for (;;) {
    const [conn] = await server.accept();
    echo(conn);
  }
}

/** Starts one worker process; resolves it and the port it listens on. */
async function spawn(
  host: string,
  port: number,
): Promise<{ child: Deno.ChildProcess; port: number }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--unstable-net",
      "--allow-net",
      import.meta.filename ?? import.meta.url,
      "--worker",
      `--host=${host}`,
      `--port=${port}`,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`worker exited before listening: ${await child.status}`);
    text += value;
    const m = text.match(/^worker \d+ listening on .*:(\d+)$/m);
    if (m) {
      console.log(text.trimEnd());
      // Relay whatever else the worker prints.
      (async () => {
        for (;;) {
          const next = await lines.read();
          if (next.done) break;
          await Deno.stdout.write(new TextEncoder().encode(next.value));
        }
      })();
      return { child, port: Number(m[1]) };
    }
  }
}

async function main(): Promise<void> {
  const host = option("host", "127.0.0.1");
  let port = Number(option("port", "0"));
  if (Deno.args.includes("--worker")) return await worker(host, port);
  const count = Number(option("workers", String(navigator.hardwareConcurrency)));
  if (!Number.isInteger(count) || count < 1) throw new RangeError("--workers must be at least 1");
  // The first worker binds (port 0: a free port); the others join its port.
  const first = await spawn(host, port);
  port = first.port;
  const children = [first.child];
  for (let i = 1; i < count; i++) children.push((await spawn(host, port)).child);
  console.log(`ready: ${count} workers on ${host}:${port}`);
  const stop = () => {
    for (const c of children) {
      try {
        c.kill("SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  // If one worker dies, stop the others and report it.
  const firstExit = await Promise.race(children.map((c) => c.status));
  stop();
  await Promise.all(children.map((c) => c.status));
  if (!firstExit.success && firstExit.signal !== "SIGTERM") Deno.exit(firstExit.code || 1);
  Deno.exit(0);
}

if (import.meta.main) await main();
