/**
 * An echo server and a client in one program, in each of Python's three
 * modes. Run it with `deno task demo`; it exits by itself.
 *
 * The Python it ports:
 *
 * ```python
 * server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen()
 * client = socket.create_connection(server.getsockname())
 * conn, addr = server.accept()
 * client.sendall(b"hello"); print(conn.recv(1024))
 * ```
 *
 * @module
 */

import * as socket from "../mod.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Echoes everything each connection sends until it closes its side. */
async function serve(server: socket.Socket): Promise<void> {
  const [conn, address] = await server.accept();
  console.log(`server: accepted a connection from ${JSON.stringify(address)}`);
  await using _ = conn;
  while (true) {
    const data = await conn.recv(4096);
    if (data.length === 0) break;
    await conn.sendall(data);
  }
  console.log("server: the client closed its side; closing");
}

await using server = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
server.bind(["127.0.0.1", 0]);
server.listen();
const [host, port] = server.getsockname() as [string, number];
console.log(`server: listening on ${host}:${port}`);
const serving = serve(server);

await using client = socket.socket();
await client.connect([host, port]);

// Blocking mode (the default): each call waits as long as it takes.
console.log(`blocking: timeout is ${client.gettimeout()}`);
await client.sendall("hello, blocking world");
console.log(`blocking: echoed ${JSON.stringify(text(await client.recv(1024)))}`);

// Timeout mode: a call that takes longer than the timeout rejects with
// TimeoutError, and loses nothing: the echo that arrives later is there
// for the next call.
client.settimeout(0.2);
try {
  await client.recv(1024);
} catch (e) {
  if (!(e instanceof socket.TimeoutError)) throw e;
  console.log(`timeout: recv() with nothing to read raised ${e.name}: ${e.message}`);
}
await client.sendall("hello, timeout world");
console.log(`timeout: echoed ${JSON.stringify(text(await client.recv(1024)))}`);

// Non-blocking mode: a call that cannot complete at once rejects with
// BlockingIOError; retry later, as a select() loop in Python would.
client.setblocking(false);
await client.sendall("hello, non-blocking world");
let tries = 0;
while (true) {
  tries++;
  try {
    const data = await client.recv(1024);
    console.log(`non-blocking: echoed ${JSON.stringify(text(data))} after ${tries} tries`);
    break;
  } catch (e) {
    if (!(e instanceof socket.BlockingIOError)) throw e;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

client.setblocking(true);
await client.shutdown(socket.SHUT_WR);
await serving;
console.log(`client: end of stream is ${(await client.recv(1024)).length} bytes; done`);
