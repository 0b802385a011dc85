// Copyright 2025 the pysocket authors. MIT license.
// Interop with a real peer: Python's own socket module (python3, stdlib
// only) as server for our client and as client for our server, including
// half-close both ways, a Python client with a timeout, and a reset.
// Every python3 process has a hard deadline and is always awaited.

import assert from "node:assert/strict";
import * as socket from "../mod.ts";
import {
  assertBytes,
  FAMILIES,
  type FamilyCase,
  listener,
  randomBytes,
  recvAll,
  recvExactly,
  rejects,
  sha256,
  tempPath,
  text,
  timesOut,
  withPythonPeer,
} from "./_utils.ts";

const { AF_UNIX, AF_INET6, SHUT_WR, MSG_WAITALL } = socket;

/** Python source for the family's constant and a loopback address to bind. */
function pyFamily(f: FamilyCase, path?: string): { family: string; bind: string } {
  if (f.family === AF_UNIX) return { family: "socket.AF_UNIX", bind: JSON.stringify(path) };
  return {
    family: f.family === AF_INET6 ? "socket.AF_INET6" : "socket.AF_INET",
    bind: `(${JSON.stringify(f.host)}, 0)`,
  };
}

/** The address our socket connects to, from what the Python server printed. */
function addressOf(f: FamilyCase, first: string, path?: string): socket.Address {
  if (f.family === AF_UNIX) return path!;
  return [f.host!, Number(first)];
}

/** Python source: the address to connect to our server at `address`. */
function pyAddress(address: socket.Address): string {
  if (typeof address === "string") return JSON.stringify(address);
  return `(${JSON.stringify(address[0])}, ${address[1]})`;
}

/** Python prints what an AF_UNIX server printed as its "port": the path. */
const PRINT_ADDRESS =
  `print(srv.getsockname()[1] if srv.family != socket.AF_UNIX else "unix", flush=True)`;

for (const f of FAMILIES) {
  Deno.test(`Socket.connect() to a Python server: echo with half-close both ways (${f.name})`, async () => {
    await using temp = await tempPath();
    const { family, bind } = pyFamily(f, temp.path);
    const script = `
import hashlib, socket
srv = socket.socket(${family}, socket.SOCK_STREAM)
srv.bind(${bind})
srv.listen(1)
srv.settimeout(15)
${PRINT_ADDRESS}
conn, _ = srv.accept()
conn.settimeout(15)
h = hashlib.sha256(); n = 0
while True:
    data = conn.recv(65536)
    if not data:
        break            # our SHUT_WR reached Python as EOF
    h.update(data); n += len(data)
    conn.sendall(data)   # we can still receive after our half-close
conn.sendall(b"END")
conn.shutdown(socket.SHUT_WR)
print(n, h.hexdigest(), flush=True)
conn.close(); srv.close()
`;
    await withPythonPeer(script, async (peer) => {
      await using s = socket.socket(f.family);
      await s.connect(addressOf(f, peer.first, temp.path));
      const payload = randomBytes(1024 * 1024 + 17, 31);
      const [, echoed] = await Promise.all([
        s.sendall(payload).then(() => s.shutdown(SHUT_WR)),
        recvAll(s),
      ]);
      assertBytes(echoed.subarray(0, payload.length), payload, "echo");
      assert.equal(text(echoed.subarray(payload.length)), "END");
      const report = await peer.line();
      assert.equal(report, `${payload.length} ${await sha256(payload)}`);
      assert.equal((await peer.wait()).code, 0);
    });
  });

  Deno.test(`Socket.accept() serves a Python client: request, half-close, response (${f.name})`, async () => {
    await using server = await listener(f.family);
    const script = `
import hashlib, socket
c = socket.socket(${pyFamily(f).family}, socket.SOCK_STREAM)
c.settimeout(15)
c.connect(${pyAddress(server.address)})
print("READY", flush=True)
payload = bytes(range(256)) * 4096
c.sendall(payload)
c.shutdown(socket.SHUT_WR)   # Python half-closes; it still reads our answer
got = bytearray()
while True:
    data = c.recv(65536)
    if not data:
        break
    got += data
print(len(got), hashlib.sha256(bytes(got)).hexdigest(), flush=True)
c.close()
`;
    await withPythonPeer(script, async (peer) => {
      assert.equal(peer.first, "READY");
      const [conn, address] = await server.sock.accept();
      await using _conn = conn;
      if (f.family === AF_UNIX) assert.equal(address, "");
      else assert.equal((address as [string, number])[0], f.host);
      const request = await recvAll(conn);
      const expected = new Uint8Array(256 * 4096).map((_, i) => i % 256);
      assertBytes(request, expected, "request");
      // Python's SHUT_WR reached us as EOF; we answer, then half-close too.
      const response = randomBytes(700_001, 41);
      await conn.sendall(response);
      await conn.shutdown(SHUT_WR);
      assert.equal(await peer.line(), `${response.length} ${await sha256(response)}`);
      assert.equal((await peer.wait()).code, 0);
    });
  });
}

Deno.test("Socket.sendall() reaches a Python client whose recv() times out first", async () => {
  await using server = await listener(socket.AF_INET);
  const script = `
import socket
c = socket.socket()
c.connect(${pyAddress(server.address)})
c.settimeout(0.2)
try:
    c.recv(10)
    print("no timeout", flush=True)
except socket.timeout as e:   # TimeoutError('timed out'), as ours
    print("timeout", type(e).__name__, str(e), flush=True)
c.sendall(b"go")
c.settimeout(15)
data = b""
while len(data) < 5:
    more = c.recv(10)
    if not more:
        break
    data += more
print(data.decode(), flush=True)
c.close()
`;
  await withPythonPeer(script, async (peer) => {
    const [conn] = await server.sock.accept();
    await using _conn = conn;
    assert.equal(peer.first, "timeout TimeoutError timed out");
    // Python timed out and told us so by sending "go": now we answer.
    assert.equal(text(await recvExactly(conn, 2)), "go");
    await conn.sendall("hello");
    assert.equal(await peer.line(), "hello");
    assert.equal((await peer.wait()).code, 0);
  });
});

Deno.test("Socket.recv() in timeout mode against a silent Python server times out, then gets late data", async () => {
  const script = `
import socket
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1); srv.settimeout(15)
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept(); conn.settimeout(15)
assert conn.recv(10) == b"timed out"   # we tell Python when our recv gave up
conn.sendall(b"late data")
assert conn.recv(10) == b""
conn.close(); srv.close()
`;
  await withPythonPeer(script, async (peer) => {
    await using s = socket.socket();
    await s.connect(["127.0.0.1", peer.port]);
    s.settimeout(0.1);
    await timesOut(s.recv(100), 0.1);
    await s.sendall("timed out");
    s.settimeout(10);
    assert.equal(text(await s.recv(9, MSG_WAITALL)), "late data");
    await s.shutdown(SHUT_WR);
    assert.equal((await s.recv(10)).length, 0);
    assert.equal((await peer.wait()).code, 0);
  });
});

Deno.test("Socket.recv() raises ConnectionResetError when a Python peer closes with unread data", async () => {
  // Python's close() of a socket with unread bytes resets the connection.
  const script = `
import socket
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1); srv.settimeout(15)
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept(); conn.settimeout(15)
assert conn.recv(5) == b"first"
conn.sendall(b"ok")
import select
select.select([conn], [], [], 15)   # the unread second message is there
conn.close()
print("closed", flush=True)
srv.close()
`;
  await withPythonPeer(script, async (peer) => {
    await using s = socket.socket();
    await s.connect(["127.0.0.1", peer.port]);
    await s.sendall("first");
    assert.equal(text(await recvExactly(s, 2)), "ok");
    await s.sendall("second, never read");
    assert.equal(await peer.line(), "closed");
    await rejects(s.recv(10), socket.ConnectionResetError, {
      errno: socket.ECONNRESET,
      message: "[Errno 104] Connection reset by peer",
    });
    // As Python: the error is reported once, then end of stream.
    assert.equal((await s.recv(10)).length, 0);
    assert.equal((await peer.wait()).code, 0);
  });
});

Deno.test("Socket.connect_ex() in non-blocking mode to a Python server: EINPROGRESS … 0, then data flows", async () => {
  const script = `
import socket
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1); srv.settimeout(15)
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept(); conn.settimeout(15)
conn.sendall(b"welcome")
conn.shutdown(socket.SHUT_WR)
assert conn.recv(10) == b""
conn.close(); srv.close()
`;
  await withPythonPeer(script, async (peer) => {
    await using s = socket.socket();
    s.setblocking(false);
    const address: socket.Address = ["127.0.0.1", peer.port];
    assert.equal(await s.connect_ex(address), socket.EINPROGRESS);
    let result = socket.EALREADY;
    while (result === socket.EALREADY) {
      await new Promise((r) => setTimeout(r, 1));
      result = await s.connect_ex(address);
    }
    assert.equal(result, 0);
    assert.equal(await s.connect_ex(address), socket.EISCONN);
    s.settimeout(10);
    assert.equal(text(await recvAll(s)), "welcome");
    await s.close();
    assert.equal((await peer.wait()).code, 0);
  });
});

Deno.test("Socket.sendall() in timeout mode times out against a Python reader that does not read; what it accepted arrives intact", async () => {
  const script = `
import hashlib, socket
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
srv.bind(("127.0.0.1", 0)); srv.listen(1); srv.settimeout(15)
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept(); conn.settimeout(15)
ctl, _ = srv.accept()                  # we connect again once our sendall gave up
ctl.close()
got = bytearray()
while True:
    data = conn.recv(1 << 20)
    if not data:
        break
    got += data
print(len(got), hashlib.sha256(bytes(got)).hexdigest(), flush=True)
conn.close(); srv.close()
`;
  await withPythonPeer(script, async (peer) => {
    await using s = socket.socket();
    await s.connect(["127.0.0.1", peer.port]);
    s.settimeout(0.5);
    const payload = randomBytes(64 * 1024 * 1024, 77);
    await timesOut(s.sendall(payload), 0.5);
    s.settimeout(null);
    await using ctl = socket.socket();
    await ctl.connect(["127.0.0.1", peer.port]);
    await s.close(); // delivers what sendall() had accepted, then EOF
    const [length, digest] = (await peer.line())!.split(" ");
    const n = Number(length);
    assert.ok(n > 0 && n < payload.length, `Python got ${n}`);
    assert.equal(digest, await sha256(payload.subarray(0, n)));
    assert.equal((await peer.wait()).code, 0);
  });
});
