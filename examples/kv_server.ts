/**
 * A tiny key-value server and a client in one program, speaking a line
 * protocol through `makefile()`. Run it with
 * `deno run --allow-net examples/kv_server.ts`; it exits by itself.
 *
 * The protocol: one command per line, one reply per line.
 *
 * ```text
 * SET key value   ->  OK
 * GET key         ->  VALUE value   or   NOT_FOUND
 * DEL key         ->  DELETED       or   NOT_FOUND
 * QUIT            ->  BYE (and the server closes the connection)
 * ```
 *
 * The Python it ports:
 *
 * ```python
 * conn, addr = server.accept()
 * with conn, conn.makefile("rw", encoding="utf-8", newline="\r\n") as f:
 *     for line in f:
 *         command, _, rest = line.rstrip("\r\n").partition(" ")
 *         ...
 *         f.write(reply + "\n")
 *         f.flush()
 * ```
 *
 * @module
 */

import * as socket from "../mod.ts";
import type { FileObject } from "../file_object.ts";

/** Answers one command; null ends the session. */
function answer(store: Map<string, string>, line: string): string | null {
  const [command, key = "", ...rest] = line.split(" ");
  switch (command.toUpperCase()) {
    case "SET":
      store.set(key, rest.join(" "));
      return "OK";
    case "GET":
      return store.has(key) ? `VALUE ${store.get(key)}` : "NOT_FOUND";
    case "DEL":
      return store.delete(key) ? "DELETED" : "NOT_FOUND";
    case "QUIT":
      return null;
    default:
      return `ERROR unknown command ${JSON.stringify(command)}`;
  }
}

/** Serves one connection: reads commands line by line until QUIT or EOF. */
async function serve(server: socket.Socket, store: Map<string, string>): Promise<void> {
  const [conn, address] = await server.accept();
  console.log(`server: connection from ${JSON.stringify(address)}`);
  await using _ = conn;
  // Text mode, lines end in "\r\n" on the wire (newline="\r\n": "\n" is
  // written as "\r\n", and only "\r\n" ends a line when reading).
  await using f = conn.makefile("rw", { newline: "\r\n" }) as FileObject<string>;
  for await (const line of f) {
    const reply = answer(store, line.replace(/\r\n$/, ""));
    await f.write(`${reply ?? "BYE"}\n`);
    // Buffered: nothing goes out before flush() (or a full buffer).
    await f.flush();
    if (reply === null) break;
  }
  console.log("server: session over");
}

await using server = socket.socket();
server.bind(["127.0.0.1", 0]);
server.listen();
const address = server.getsockname() as [string, number];
console.log(`server: listening on ${address[0]}:${address[1]}`);
const serving = serve(server, new Map());

// The client: a text file object for each direction, as a Python client
// might use (sock.makefile("w") and sock.makefile("r")).
await using client = await socket.create_connection(address);
await using out = client.makefile("w", { newline: "\r\n" }) as FileObject<string>;
await using inp = client.makefile("r", { newline: "\r\n" }) as FileObject<string>;

const commands = [
  "SET greeting hello, world",
  "SET caf\u00e9 cr\u00e8me br\u00fbl\u00e9e",
  "GET greeting",
  "GET caf\u00e9",
  "DEL greeting",
  "GET greeting",
  "PING",
  "QUIT",
];
for (const command of commands) {
  await out.write(command + "\n");
  await out.flush();
  const reply = await inp.readline();
  console.log(`client: ${command}  ->  ${reply.trimEnd()}`);
}
// The server closed its side after BYE: the next read is the end of stream.
console.log(`client: after QUIT, readline() gives ${JSON.stringify(await inp.readline())}`);
await serving;
