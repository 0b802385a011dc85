/**
 * The cost of a call that would block, next to python3's: non-blocking
 * `recv()`, `recv(…, MSG_DONTWAIT)` and `accept()` with nothing to take, and
 * `select.select(…, 0)` with nothing ready, 20,000 times each. Not part of
 * `deno task bench` (it takes seconds); run it alone:
 *
 * ```sh
 * deno run -A bench/wouldblock.ts
 * ```
 *
 * @module
 */

import * as socket from "../mod.ts";

const N = 20_000;

async function perCall(call: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    try {
      await call();
    } catch (e) {
      if (!(e instanceof socket.BlockingIOError)) throw e;
    }
  }
  return (performance.now() - start) * 1000 / N;
}

const server = socket.socket();
server.bind(["127.0.0.1", 0]);
server.listen();
const client = socket.socket();
await client.connect(server.getsockname());
const [conn] = await server.accept();
conn.setblocking(false);
server.setblocking(false);
// The first would-block of a socket gives its new read one real turn; time the rest.
await perCall(() => conn.recv(10)).catch(() => {});
const rows: [string, number][] = [
  ["pysocket recv() non-blocking", await perCall(() => conn.recv(10))],
  ["pysocket recv(MSG_DONTWAIT)", await perCall(() => conn.recv(10, socket.MSG_DONTWAIT))],
  ["pysocket accept() non-blocking", await perCall(() => server.accept())],
  [
    "pysocket select.select([s], [], [], 0)",
    await perCall(() => socket.select.select([conn], [], [], 0)),
  ],
];
await Promise.all([conn.close(), client.close(), server.close()]);

const python = new Deno.Command("python3", {
  args: [
    "-c",
    `
import socket, select, time
N = ${N}
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname()); k, _ = s.accept()
k.setblocking(False); s.setblocking(False)
def per(f):
    t = time.perf_counter()
    for _ in range(N):
        try: f()
        except BlockingIOError: pass
    return (time.perf_counter() - t) / N * 1e6
print(per(lambda: k.recv(10)))
print(per(lambda: k.recv(10, socket.MSG_DONTWAIT)))
print(per(lambda: s.accept()))
print(per(lambda: select.select([k], [], [], 0)))
`,
  ],
}).outputSync();
const py = new TextDecoder().decode(python.stdout).trim().split("\n").map(Number);
console.log("| call | pysocket µs | python3 µs | × python3 |\n| --- | ---: | ---: | ---: |");
rows.forEach(([name, us], i) => {
  console.log(`| ${name} | ${us.toFixed(1)} | ${py[i].toFixed(1)} | ${(us / py[i]).toFixed(1)}× |`);
});
