// Copyright 2025 the pysocket authors. MIT license.
/**
 * Python 3.11's `http.client`, its socket usage ported line by line to
 * pysocket: `HTTPConnection.connect` (`create_connection`, TCP_NODELAY),
 * `HTTPSConnection.connect` (`wrap_socket` with `server_hostname`),
 * `send` (`sendall`), and `HTTPResponse` (`makefile("rb")`, status line
 * and headers with `readline(65537)`, Content-Length and chunked bodies
 * with `read(n)`), keeping the connection for the next request as
 * `http.client` does when the response allows it.
 *
 * @module
 */

import * as socket from "../../mod.ts";

const MAXLINE = 65536;
const latin1 = new TextDecoder("latin1");

/** A response: status, headers (lowercased names, in order) and the whole body. */
export interface Response {
  version: string;
  status: number;
  reason: string;
  headers: [string, string][];
  body: Uint8Array;
  chunked: boolean;
  willClose: boolean;
}

type Conn = socket.Socket | socket.ssl.SSLSocket;

/** `http.client.HTTPConnection` / `HTTPSConnection`, the parts that touch sockets. */
export class HTTPConnection {
  sock: Conn | null = null;
  /** http.client's `source_address`. */
  source_address: [string, number] | null = null;
  /**
   * How a Content-Length body is read: `read(n)` (`HTTPResponse.read()`)
   * or `readinto` 64 KiB at a time (`HTTPResponse.readinto`, what
   * `shutil.copyfileobj(response, f)` ends up calling).
   */
  bodyReader: "read" | "readinto" = "read";

  constructor(
    readonly host: string,
    readonly port: number,
    readonly timeout: number | null = null,
    readonly context: socket.ssl.SSLContext | null = null,
  ) {}

  /** `HTTPConnection.connect` (+ `HTTPSConnection.connect` with a context). */
  async connect(): Promise<void> {
    const sock = await socket.create_connection(
      [this.host, this.port],
      this.timeout,
      this.source_address,
    );
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1);
    if (this.context) {
      this.sock = await this.context.wrap_socket(sock, { server_hostname: this.host });
    } else this.sock = sock;
  }

  /** `HTTPConnection.send`: auto-connects, then `sendall`. */
  async send(data: string | Uint8Array): Promise<void> {
    if (this.sock === null) await this.connect();
    await this.sock!.sendall(data);
  }

  /** `request()` (GET/HEAD/POST with a body) then `getresponse()`. */
  async request(method: string, url: string, body?: Uint8Array): Promise<Response> {
    let head = `${method} ${url} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n` +
      "Accept-Encoding: identity\r\n";
    if (body) head += `Content-Length: ${body.length}\r\n`;
    await this.send(head + "\r\n");
    if (body) await this.send(body);
    return await this.getresponse(method);
  }

  /** `HTTPResponse.begin()` and `read()`, over `sock.makefile("rb")`. */
  async getresponse(method: string): Promise<Response> {
    const fp = this.sock!.makefile("rb");
    try {
      // _read_status
      const raw = await fp.readline(MAXLINE + 1);
      if (raw.length > MAXLINE) throw new Error("LineTooLong: status line");
      if (raw.length === 0) throw new Error("RemoteDisconnected");
      const line = latin1.decode(raw);
      const [version, status, ...rest] = line.trim().split(/\s+/);
      if (!version.startsWith("HTTP/")) throw new Error(`BadStatusLine: ${line}`);
      // parse_headers
      const headers: [string, string][] = [];
      while (true) {
        const h = await fp.readline(MAXLINE + 1);
        if (h.length > MAXLINE) throw new Error("LineTooLong: header line");
        const text = latin1.decode(h);
        if (text === "\r\n" || text === "\n" || text === "") break;
        const colon = text.indexOf(":");
        headers.push([text.slice(0, colon).toLowerCase(), text.slice(colon + 1).trim()]);
      }
      const get = (name: string) => headers.find(([n]) => n === name)?.[1] ?? null;
      const chunked = (get("transfer-encoding") ?? "").toLowerCase() === "chunked";
      const willClose = version === "HTTP/1.0" ||
        (get("connection") ?? "").toLowerCase() === "close";
      // getresponse(): "if response.will_close: self.close()" -- before the
      // body is read: the file object keeps the connection open.
      if (willClose) await this.close();
      const parts: Uint8Array[] = [];
      // _safe_read: exactly n bytes or IncompleteRead
      const safeRead = async (n: number) => {
        const data = await fp.read(n);
        if (data.length < n) {
          throw new Error(
            `IncompleteRead(${data.length} bytes read, ${n - data.length} more expected)`,
          );
        }
        return data;
      };
      if (method === "HEAD" || status === "204" || status === "304") {
        // no body
      } else if (chunked) {
        while (true) {
          // _read_next_chunk_size
          const sizeLine = latin1.decode(await fp.readline(MAXLINE + 1));
          const semi = sizeLine.indexOf(";");
          const size = parseInt(semi >= 0 ? sizeLine.slice(0, semi) : sizeLine, 16);
          if (Number.isNaN(size)) throw new Error(`IncompleteRead: bad chunk size ${sizeLine}`);
          if (size === 0) break;
          parts.push(await safeRead(size));
          await safeRead(2); // toss the CRLF at the end of the chunk
        }
        // _read_and_discard_trailer
        while (true) {
          const t = latin1.decode(await fp.readline(MAXLINE + 1));
          if (t === "\r\n" || t === "\n" || t === "") break;
        }
      } else if (get("content-length") !== null && this.bodyReader === "readinto") {
        let left = Number(get("content-length"));
        const b = new Uint8Array(65536);
        while (left > 0) {
          const n = await fp.readinto(b.subarray(0, Math.min(left, b.length)));
          if (n === 0) throw new Error(`IncompleteRead(${left} more expected)`);
          parts.push(b.slice(0, n));
          left -= n;
        }
      } else if (get("content-length") !== null) {
        parts.push(await safeRead(Number(get("content-length"))));
      } else {
        parts.push(await fp.read());
      }
      const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        body.set(p, at);
        at += p.length;
      }
      return {
        version,
        status: Number(status),
        reason: rest.join(" "),
        headers,
        body,
        chunked,
        willClose,
      };
    } finally {
      await fp.close();
    }
  }

  /** `HTTPConnection.close`. */
  async close(): Promise<void> {
    const sock = this.sock;
    this.sock = null;
    if (sock) await sock.close();
  }
}
