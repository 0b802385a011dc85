/**
 * A small HTTPS server on pysocket + `ssl` + `makefile()`, in the shape of
 * the Python it ports. `curl` can fetch from it.
 *
 * ```sh
 * deno run --unstable-net --allow-net --allow-read examples/https_server.ts cert.pem key.pem 8443 [count]
 * curl --cacert ca.pem https://localhost:8443/hello
 * ```
 *
 * It serves `count` requests (default: forever) and exits. The Python it ports:
 *
 * ```python
 * ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
 * ctx.load_cert_chain(certfile, keyfile)
 * with socket.create_server(("127.0.0.1", port)) as server:
 *     while True:
 *         conn, addr = server.accept()
 *         with ctx.wrap_socket(conn, server_side=True) as tls:
 *             f = tls.makefile("rwb")
 *             request = f.readline()
 *             while f.readline() not in (b"\r\n", b""): pass
 *             body = b"hello from pysocket over TLS\n"
 *             f.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
 *             f.close()
 * ```
 *
 * @module
 */

import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Serves one HTTP/1.1 request on an accepted connection. */
export async function serveOne(ctx: ssl.SSLContext, conn: socket.Socket): Promise<void> {
  await using tls = await ctx.wrap_socket(conn, { server_side: true });
  const f = tls.makefile("rwb");
  try {
    const request = decoder.decode(await f.readline()).trim();
    while (true) {
      const header = decoder.decode(await f.readline());
      if (header === "\r\n" || header === "\n" || header === "") break;
    }
    const [method, path] = request.split(" ");
    const body = encoder.encode(
      `hello from pysocket over TLS: ${method} ${path} (${tls.version()}, ${tls.cipher()?.[0]})\n`,
    );
    await f.write(encoder.encode(
      `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n` +
        `Connection: close\r\n\r\n`,
    ));
    await f.write(body);
    await f.flush();
  } finally {
    await f.close();
  }
}

/** Runs the server on `port` for `count` requests (Infinity: forever). */
export async function main(
  certfile: string,
  keyfile: string,
  port: number,
  count = Infinity,
  ready?: (port: number) => void,
): Promise<void> {
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  ctx.load_cert_chain(certfile, keyfile);
  await using server = socket.create_server(["127.0.0.1", port]);
  const actual = (server.getsockname() as [string, number])[1];
  if (ready) ready(actual);
  else console.log(`serving https://localhost:${actual}/`);
  for (let served = 0; served < count; served++) {
    const [conn] = await server.accept();
    try {
      await serveOne(ctx, conn);
    } catch (e) {
      console.error(`request failed: ${(e as Error).message}`);
    } finally {
      await conn.close();
    }
  }
}

if (import.meta.main) {
  const [certfile, keyfile, port = "8443", count] = Deno.args;
  if (!certfile || !keyfile) {
    console.error("usage: https_server.ts cert.pem key.pem [port] [count]");
    Deno.exit(2);
  }
  await main(certfile, keyfile, Number(port), count === undefined ? Infinity : Number(count));
}
