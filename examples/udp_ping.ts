/**
 * UDP ping/pong, written as a Python programmer would write it: a server
 * that answers each datagram with `PONG <n>`, and a client that sends
 * `PING <n>` with a timeout, retries a lost ping, and prints round-trip
 * times. Both run in this process over loopback; the program exits by
 * itself.
 *
 * ```sh
 * deno run --unstable-net --allow-net examples/udp_ping.ts [count]
 * ```
 *
 * @module
 */

import * as socket from "../mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `host:port`, as a log line shows an address. */
function show(address: socket.Address): string {
  return typeof address === "string" ? address : `${address[0]}:${address[1]}`;
}

/** Answers `PING <n>` with `PONG <n>` until it gets `BYE`. */
async function serve(server: socket.Socket): Promise<number> {
  let answered = 0;
  while (true) {
    const [data, client] = await server.recvfrom(1024);
    const message = decoder.decode(data);
    if (message === "BYE") return answered;
    if (!message.startsWith("PING ")) continue; // not for us: drop it, as UDP servers do
    await server.sendto(encoder.encode(`PONG ${message.slice(5)}`), client!);
    answered++;
  }
}

/** Sends `count` pings over a connected socket; retries each up to 3 times. */
async function ping(address: socket.Address, count: number): Promise<void> {
  await using client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  await client.connect(address); // the default peer; only its datagrams come back
  client.settimeout(0.5);
  for (let n = 1; n <= count; n++) {
    for (let attempt = 1;; attempt++) {
      const start = performance.now();
      await client.send(`PING ${n}`);
      try {
        let reply = decoder.decode(await client.recv(1024));
        while (reply !== `PONG ${n}`) reply = decoder.decode(await client.recv(1024)); // a late pong
        const ms = (performance.now() - start).toFixed(3);
        console.log(`${reply} from ${show(client.getpeername())}: time=${ms} ms`);
        break;
      } catch (e) {
        if (!(e instanceof socket.TimeoutError) || attempt === 3) throw e;
        console.log(`PING ${n}: timed out, retrying`);
      }
    }
  }
  await client.send("BYE");
}

if (import.meta.main) {
  const count = Number(Deno.args[0] ?? 4);
  await using server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  server.bind(["127.0.0.1", 0]);
  console.log(`UDP server on ${show(server.getsockname())}`);
  const served = serve(server);
  await ping(server.getsockname(), count);
  console.log(`server answered ${await served} pings, dropped ${server.dropped}`);
}
