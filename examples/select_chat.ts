/**
 * A chat server written around `select.select()`, ported line by line from
 * the classic Python program: every line a client sends goes to every other
 * client. Run it with
 * `deno run --allow-net examples/select_chat.ts [port]` and connect with
 * `nc 127.0.0.1 <port>` from several terminals.
 *
 * The Python it ports:
 *
 * ```python
 * server = socket.socket(); server.bind(("127.0.0.1", port)); server.listen()
 * inputs = [server]
 * while True:
 *     readable, _, _ = select.select(inputs, [], [])
 *     for s in readable:
 *         if s is server:
 *             conn, addr = server.accept(); inputs.append(conn)
 *             broadcast(f"* {addr} joined ({len(inputs) - 1} online)\n")
 *         else:
 *             data = s.recv(4096)
 *             if data:
 *                 broadcast(f"{name[s]}: ".encode() + data, exclude=s)
 *             else:
 *                 inputs.remove(s); s.close()
 * ```
 *
 * @module
 */

import * as socket from "../mod.ts";
import * as select from "../select.ts";

/** How the server stops (for tests): after this many clients have left. */
export interface ChatOptions {
  /** Stop once this many clients have joined and left (default: never). */
  stopAfter?: number;
}

/**
 * Serves the chat on the listening socket `server` until `stopAfter`
 * clients have come and gone (forever by default); closes the clients'
 * sockets, not `server`.
 *
 * @param server A listening socket.
 * @param options When to stop.
 * @returns How many messages were relayed.
 */
export async function chatServer(
  server: socket.Socket,
  options: ChatOptions = {},
): Promise<number> {
  const inputs: socket.Socket[] = [server];
  const names = new Map<socket.Socket, string>();
  const pending = new Map<socket.Socket, Uint8Array>();
  const encoder = new TextEncoder();
  let left = 0;
  let relayed = 0;

  async function broadcast(data: Uint8Array, exclude: socket.Socket | null): Promise<void> {
    for (const s of inputs) {
      if (s !== server && s !== exclude) await s.sendall(data);
    }
  }

  while (options.stopAfter === undefined || left < options.stopAfter) {
    const [readable] = await select.select(inputs, [], []);
    for (const s of readable) {
      if (s === server) {
        const [conn, addr] = await server.accept();
        const [host, port] = addr as [string, number];
        inputs.push(conn);
        names.set(conn, `${host}:${port}`);
        await conn.sendall(`* welcome, ${inputs.length - 1} online\n`);
        await broadcast(
          encoder.encode(`* ${names.get(conn)} joined (${inputs.length - 1} online)\n`),
          conn,
        );
        continue;
      }
      const data = await s.recv(4096);
      if (data.length > 0) {
        // Relay whole lines only, so that messages never interleave.
        const before = pending.get(s);
        const buffer = before ? concat(before, data) : data;
        const end = buffer.lastIndexOf(10) + 1;
        pending.set(s, buffer.slice(end));
        if (end > 0) {
          for (const line of split(buffer.subarray(0, end))) {
            await broadcast(concat(encoder.encode(`${names.get(s)}: `), line), s);
            relayed++;
          }
        }
      } else {
        inputs.splice(inputs.indexOf(s), 1);
        names.delete(s);
        pending.delete(s);
        await s.close();
        left++;
      }
    }
  }
  for (const s of inputs) if (s !== server) await s.close();
  return relayed;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function* split(lines: Uint8Array): Generator<Uint8Array> {
  let start = 0;
  while (start < lines.length) {
    const end = lines.indexOf(10, start) + 1;
    yield lines.subarray(start, end);
    start = end;
  }
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? 0);
  await using server = socket.socket();
  server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  server.bind(["127.0.0.1", port]);
  server.listen();
  console.log(`chat: listening on port ${(server.getsockname() as [string, number])[1]}`);
  await chatServer(server);
}
