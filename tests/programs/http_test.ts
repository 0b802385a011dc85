// Copyright 2025 the pysocket authors. MIT license.
// Python's http.client, ported line by line (tests/programs/_http_client.ts),
// against python3's http.server (ThreadingHTTPServer, HTTP/1.1 keep-alive,
// a chunked handler; _http_server.ts), plain and wrapped in python's ssl.
// python3's own http.client, against the same server, is the oracle.

import assert from "node:assert/strict";
import * as socket from "../../mod.ts";
import { pythonJSON, randomBytes, sha256, withPythonPeer } from "../_utils.ts";
import { has, makeCerts } from "../_tls_certs.ts";
import { HTTPConnection, type Response } from "./_http_client.ts";
import { httpServerScript } from "./_http_server.ts";

const BIG = randomBytes(10 * 1024 * 1024, 21);
const SMALL = new TextEncoder().encode("hello, http\n");
const PATHS = ["/small.txt", "/chunked", "/big.bin", "/missing"];

interface Summary {
  status: number;
  reason: string;
  headers: [string, string][];
  sha: string;
  length: number;
}

async function summary(r: Response): Promise<Summary> {
  return {
    status: r.status,
    reason: r.reason,
    // The Date header is the only one that differs between two requests.
    headers: r.headers.filter(([n]) => n !== "date"),
    sha: await sha256(r.body),
    length: r.body.length,
  };
}

// python3's http.client: the same GETs on one connection (reconnecting
// after a "Connection: close" response, as http.client does by itself).
function oracle(port: number, cafile?: string): Promise<Summary[]> {
  return pythonJSON(
    `
import hashlib, http.client, json, ssl
cafile = ${cafile === undefined ? "None" : JSON.stringify(cafile)}
if cafile is None:
    c = http.client.HTTPConnection("127.0.0.1", ${port}, timeout=20)
else:
    ctx = ssl.create_default_context(cafile=cafile)
    c = http.client.HTTPSConnection("127.0.0.1", ${port}, timeout=20, context=ctx)
out = []
for path in ${JSON.stringify(PATHS)}:
    c.request("GET", path, headers={"Accept-Encoding": "identity"})
    r = c.getresponse()
    body = r.read()
    out.append({"status": r.status, "reason": r.reason,
                "headers": [[k.lower(), v] for k, v in r.getheaders() if k.lower() != "date"],
                "sha": hashlib.sha256(body).hexdigest(), "length": len(body)})
c.close()
print(json.dumps(out))
`,
    { timeout: 30 },
  );
}

async function serveDir(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "pysocket_http_" });
  await Deno.writeFile(`${dir}/small.txt`, SMALL);
  await Deno.writeFile(`${dir}/big.bin`, BIG);
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

async function run(conn: HTTPConnection): Promise<Summary[]> {
  const out: Summary[] = [];
  let first: unknown = null;
  for (const path of PATHS) {
    const r = await conn.request("GET", path);
    if (path === "/chunked") assert.ok(r.chunked, "the /chunked response is chunked");
    if (first === null) first = conn.sock;
    else if (path !== "/missing") assert.equal(conn.sock, first, "keep-alive: the same socket");
    out.push(await summary(r));
  }
  return out;
}

Deno.test({
  name:
    "http: http.client's socket usage against python3's http.server: keep-alive, chunked, 10 MiB",
  async fn() {
    await using d = await serveDir();
    await withPythonPeer(httpServerScript(d.dir), async (peer) => {
      const expected = await oracle(peer.port);
      const conn = new HTTPConnection("127.0.0.1", peer.port, 20);
      try {
        const got = await run(conn);
        assert.deepEqual(got, expected);
        assert.equal(got[0].sha, await sha256(SMALL));
        assert.equal(got[2].sha, await sha256(BIG));
        assert.equal(got[2].length, BIG.length);
        assert.equal(got[3].status, 404);
        assert.equal(conn.sock, null, "a Connection: close response closes the socket");
        // A POST on a new connection (http.client reconnects on send()).
        const body = randomBytes(1024 * 1024 + 3, 5);
        const r = await conn.request("POST", "/echo", body);
        assert.equal(r.status, 200);
        assert.equal(new TextDecoder().decode(r.body), await sha256(body));
      } finally {
        await conn.close();
      }
    }, 60);
  },
});

Deno.test({
  name:
    "http: source_address (connect from a bound socket): keep-alive, chunked, 10 MiB, as python3",
  async fn() {
    await using d = await serveDir();
    await withPythonPeer(httpServerScript(d.dir), async (peer) => {
      const expected = await oracle(peer.port);
      const conn = new HTTPConnection("127.0.0.1", peer.port, 20);
      conn.source_address = ["127.0.0.1", 0];
      try {
        assert.deepEqual(await run(conn), expected);
      } finally {
        await conn.close();
      }
    }, 60);
  },
});

Deno.test({
  name: "http: a response read with a timeout: TimeoutError when the server says nothing",
  async fn() {
    // A python3 peer that accepts and reads, but never answers.
    const script = `
import socket
s = socket.create_server(("127.0.0.1", 0)); print(s.getsockname()[1], flush=True)
c, _ = s.accept()
while c.recv(65536): pass
`;
    await withPythonPeer(script, async (peer) => {
      const conn = new HTTPConnection("127.0.0.1", peer.port, 0.3);
      try {
        await assert.rejects(conn.request("GET", "/"), socket.TimeoutError);
      } finally {
        await conn.close();
      }
    });
  },
});

Deno.test({
  name: "http: HTTPS with pysocket's ssl against python3's ssl-wrapped http.server",
  ignore: !(await has("openssl")),
  async fn() {
    await using d = await serveDir();
    await using certs = await makeCerts();
    await withPythonPeer(
      httpServerScript(d.dir, { cert: certs.cert, key: certs.key }),
      async (peer) => {
        const expected = await oracle(peer.port, certs.ca);
        const ctx = socket.ssl.create_default_context(socket.ssl.Purpose.SERVER_AUTH, {
          cafile: certs.ca,
        });
        const conn = new HTTPConnection("127.0.0.1", peer.port, 20, ctx);
        try {
          const got = await run(conn);
          assert.deepEqual(got, expected);
          assert.equal(got[2].sha, await sha256(BIG));
          // By name, as HTTPSConnection("localhost"): create_connection tries
          // each address (::1 is refused, 127.0.0.1 answers), SNI and the
          // hostname check use "localhost"; the body read with readinto.
          const named = new HTTPConnection("localhost", peer.port, 20, ctx);
          named.bodyReader = "readinto";
          try {
            const again = await run(named);
            assert.deepEqual(again.slice(1), expected.slice(1));
            assert.equal(again[0].sha, expected[0].sha);
          } finally {
            await named.close();
          }
          // The certificate is checked: a context trusting another CA refuses it.
          const strict = socket.ssl.create_default_context(socket.ssl.Purpose.SERVER_AUTH, {
            cafile: certs.strangerCert,
          });
          const bad = new HTTPConnection("127.0.0.1", peer.port, 20, strict);
          try {
            await assert.rejects(bad.connect(), socket.ssl.SSLCertVerificationError);
          } finally {
            await bad.close();
          }
        } finally {
          await conn.close();
        }
      },
      60,
    );
  },
});

Deno.test({
  name:
    "http: HTTP/1.0 server: the socket is closed after the headers, the body read through makefile",
  ignore: !(await has("openssl")),
  async fn() {
    await using d = await serveDir();
    await using certs = await makeCerts();
    for (const tls of [false, true]) {
      const script = httpServerScript(
        d.dir,
        tls ? { cert: certs.cert, key: certs.key } : undefined,
        "HTTP/1.0",
      );
      await withPythonPeer(script, async (peer) => {
        const expected = await oracle(peer.port, tls ? certs.ca : undefined);
        const ctx = tls
          ? socket.ssl.create_default_context(socket.ssl.Purpose.SERVER_AUTH, { cafile: certs.ca })
          : null;
        const conn = new HTTPConnection("127.0.0.1", peer.port, 20, ctx);
        try {
          const got: Summary[] = [];
          for (const path of PATHS) {
            const r = await conn.request("GET", path);
            assert.ok(r.willClose);
            assert.equal(conn.sock, null, "closed before the body was read, as http.client");
            got.push(await summary(r));
          }
          assert.deepEqual(got, expected, tls ? "HTTPS" : "HTTP");
          assert.equal(got[2].sha, await sha256(BIG));
        } finally {
          await conn.close();
        }
      }, 60);
    }
  },
});
