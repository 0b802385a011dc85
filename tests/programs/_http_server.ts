// Copyright 2025 the pysocket authors. MIT license.
/**
 * The python3 side of tests/programs/http_test.ts: `http.server`'s
 * `ThreadingHTTPServer` serving a directory with HTTP/1.1 keep-alive, a
 * `/chunked` path answered with `Transfer-Encoding: chunked`, `/echo`
 * answering a POST with its body's sha256, optionally wrapped in python's
 * `ssl`. It prints its port, then serves until killed.
 *
 * @module
 */

/** The python3 script; `cert`/`key` make it HTTPS; `protocol` "HTTP/1.0" closes after each response. */
export function httpServerScript(
  dir: string,
  tls?: { cert: string; key: string },
  protocol = "HTTP/1.1",
): string {
  return `
import hashlib, http.server, os, ssl, functools
class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = ${JSON.stringify(protocol)}
    def log_message(self, *args): pass
    def do_GET(self):
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(50):
                data = (f"chunk {i} " * (i + 1)).encode()
                self.wfile.write(b"%x; ext=1\\r\\n" % len(data) + data + b"\\r\\n")
            self.wfile.write(b"0\\r\\nX-Trailer: yes\\r\\n\\r\\n")
            return
        return super().do_GET()
    def do_POST(self):
        n = int(self.headers["Content-Length"])
        digest = hashlib.sha256(self.rfile.read(n)).hexdigest().encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(digest)))
        self.end_headers()
        self.wfile.write(digest)
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=${
    JSON.stringify(dir)
  }))
httpd.daemon_threads = True
${
    tls
      ? `ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(${JSON.stringify(tls.cert)}, ${JSON.stringify(tls.key)})
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)`
      : ""
  }
print(httpd.server_address[1], flush=True)
httpd.serve_forever()
`;
}
