// Copyright 2025 the pysocket authors. MIT license.
// Python's names and shapes, and types a porter can live with.
//
// The first tests are Python programs ported line by line: `deno check`
// must accept them as written (no casts), and they run. The last block is
// wrong code that `deno check` must refuse: each line carries a
// `@ts-expect-error`, so the file stops type-checking the day one of them
// is accepted. Then Python's repr of sockets, compared with python3's.

import assert from "node:assert/strict";
import * as socket from "../mod.ts";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  SO_RCVBUF,
  SO_REUSEADDR,
  SOCK_DGRAM,
  SOCK_STREAM,
  SOL_SOCKET,
} from "../mod.ts";
import { pythonJSON, tempPath } from "./_utils.ts";

Deno.test("types: a UDP echo ports as written (recvfrom's address goes back to sendto)", async () => {
  await using server = socket.socket(AF_INET, SOCK_DGRAM);
  server.bind(["127.0.0.1", 0]);
  const [host, port] = server.getsockname();
  const portNumber: number = port;
  const hostName: string = host;
  await using client = socket.socket(AF_INET, SOCK_DGRAM);
  client.setblocking(0);
  client.setblocking(1);
  await client.sendto("ping", [hostName, portNumber]);
  const [data, addr] = await server.recvfrom(1024);
  await server.sendto(data, addr);
  const [reply, from] = await client.recvfrom(1024);
  assert.equal(new TextDecoder().decode(reply), "ping");
  assert.deepEqual(from, [host, port]);
  const [clientHost, clientPort] = addr;
  assert.equal(clientHost, "127.0.0.1");
  assert.equal(typeof clientPort, "number");
});

Deno.test("types: TCP accept, IPv6 addresses, getsockopt and makefile port as written", async () => {
  await using server = socket.socket(AF_INET6, SOCK_STREAM);
  server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
  server.bind(["::1", 0]);
  server.listen(1);
  const [, port, flowinfo, scopeId] = server.getsockname();
  const total: number = port + flowinfo + scopeId;
  assert.ok(total > 0);
  await using client = socket.socket(AF_INET6, SOCK_STREAM);
  await client.connect(["::1", port]);
  const [conn, [peerHost, peerPort]] = await server.accept();
  await using _conn = conn;
  assert.equal(peerHost, "::1");
  assert.equal(peerPort, client.getsockname()[1]);
  const reuse: number = server.getsockopt(SOL_SOCKET, SO_REUSEADDR);
  const raw: Uint8Array = server.getsockopt(SOL_SOCKET, SO_RCVBUF, 4);
  assert.equal(reuse, 1);
  assert.equal(raw.length, 4);
  await client.sendall("line\n");
  await using rfile = conn.makefile("rb");
  const line: Uint8Array = await rfile.readline();
  assert.equal(new TextDecoder().decode(line), "line\n");
  await client.sendall("text\n");
  await using tfile = conn.makefile("r");
  const text: string = await tfile.readline();
  assert.equal(text, "text\n");
  // A stream socket's recvfrom gives None, as Python's.
  await client.sendall("x");
  const [, none] = await conn.recvfrom(1);
  assert.equal(none, null);
});

Deno.test("types: getaddrinfo entries feed socket() and connect() as in Python", async () => {
  await using server = socket.create_server(["127.0.0.1", 0]);
  const [, port] = server.getsockname();
  for (const [family, type, proto, , sockaddr] of await socket.getaddrinfo("127.0.0.1", port)) {
    if (type !== SOCK_STREAM) continue;
    assert.equal(socket.AddressFamily.repr(family), "<AddressFamily.AF_INET: 2>");
    assert.equal(socket.SocketKind.repr(type), "<SocketKind.SOCK_STREAM: 1>");
    await using s = socket.socket(family, type, proto);
    await s.connect(sockaddr);
    const [conn] = await server.accept();
    await conn.close();
  }
  // smtplib's and ftplib's default: leave the default timeout.
  await using c = await socket.create_connection(
    ["127.0.0.1", port],
    socket._GLOBAL_DEFAULT_TIMEOUT,
  );
  assert.equal(c.gettimeout(), socket.getdefaulttimeout());
  const [conn] = await server.accept();
  await conn.close();
});

Deno.test("types: AF_UNIX paths are strings; an unnamed sender is null", async () => {
  await using temp = await tempPath();
  await using u = socket.socket(AF_UNIX, SOCK_DGRAM);
  u.bind(temp.path);
  const path: string = u.getsockname();
  assert.equal(path, temp.path);
  await using sender = socket.socket(AF_UNIX, SOCK_DGRAM);
  await sender.sendto("hi", path);
  const [data, from] = await u.recvfrom(10);
  assert.equal(new TextDecoder().decode(data), "hi");
  if (from !== null) await u.sendto("back", from);
  // SocketType is Python's name for the class.
  const same: socket.SocketType = u;
  assert.ok(same instanceof socket.SocketType);
});

// Wrong code: never run, only type-checked. Each line must be refused.
async function wrongCode(): Promise<void> {
  const udp = socket.socket(AF_INET, SOCK_DGRAM);
  const tcp = socket.socket();
  const unix = socket.socket(AF_UNIX, SOCK_DGRAM);
  const [data, addr] = await udp.recvfrom(10);
  // @ts-expect-error sendto() needs an address.
  await udp.sendto(data);
  // @ts-expect-error a port is a number.
  udp.bind(["127.0.0.1", "80"]);
  // @ts-expect-error an IPv4 address has no flowinfo to read.
  const _flowinfo: number = addr[2];
  // @ts-expect-error a host is a string.
  const _host: number = tcp.getsockname()[0];
  // @ts-expect-error a stream socket's recvfrom() gives no address to reply to.
  await tcp.sendto(data, (await tcp.recvfrom(10))[1]);
  // @ts-expect-error a unix sender may have no name: check for null first.
  await unix.sendto(data, (await unix.recvfrom(10))[1]);
  // @ts-expect-error a unix socket's address is a path, not a tuple.
  const _port: number = unix.getsockname()[1];
  // @ts-expect-error getsockopt() with buflen gives bytes.
  const _int: number = tcp.getsockopt(SOL_SOCKET, SO_RCVBUF, 4);
  // @ts-expect-error getsockopt() without buflen gives an integer.
  const _bytes: Uint8Array = tcp.getsockopt(SOL_SOCKET, SO_RCVBUF);
  // @ts-expect-error a binary file reads bytes.
  const _line: string = await tcp.makefile("rb").readline();
  // @ts-expect-error family is read-only.
  tcp.family = AF_INET6;
  // @ts-expect-error Python's socket() takes numbers, not names.
  socket.socket("AF_INET");
  // @ts-expect-error a timeout is a number of seconds, null or _GLOBAL_DEFAULT_TIMEOUT.
  await socket.create_connection(["localhost", 80], "5");
  // @ts-expect-error settimeout() takes seconds.
  tcp.settimeout("1");
  // @ts-expect-error setblocking() takes a flag.
  tcp.setblocking("no");
}

Deno.test("types: the wrong-code block exists (checked by deno check, never run)", () => {
  assert.equal(typeof wrongCode, "function");
});

// ------------------------------------------------------------------ repr

/** The repr with what differs between two runs (descriptors, ports, the temp path) made equal. */
function normalize(repr: string, path: string): string {
  return repr.replaceAll(path, "PATH").replace(/fd=\d+/, "fd=N").replace(
    /, (\d+)(?=[,)])/g,
    (match, port) => Number(port) > 1023 ? ", PORT" : match,
  );
}

Deno.test("repr: String(sock) and Deno.inspect(sock) show Python's repr in every state", async () => {
  await using temp = await tempPath();
  const expected = await pythonJSON<string[]>(`
import json, os, socket, sys
path = sys.argv[1] if len(sys.argv) > 1 else ${JSON.stringify(temp.path)}
out = []
def show(s): out.append(repr(s))
s = socket.socket(); show(s)
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(); show(l)
c = socket.socket(); c.connect(l.getsockname()); show(c)
a, _ = l.accept(); show(a)
c.close(); show(c)
d = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); show(d)
d.bind(("::1", 0)); show(d)
u = socket.socket(socket.AF_UNIX); show(u)
u.bind(path); u.listen(); show(u)
uc = socket.socket(socket.AF_UNIX); uc.connect(path); show(uc)
ua, _ = u.accept(); show(ua)
for x in (s, l, a, d, u, uc, ua): x.close()
os.remove(path)
print(json.dumps(out))
`);
  const ours: string[] = [];
  const show = (s: socket.Socket) => {
    assert.equal(Deno.inspect(s), String(s));
    ours.push(String(s));
  };
  const s = socket.socket();
  show(s);
  const l = socket.socket();
  l.bind(["127.0.0.1", 0]);
  l.listen();
  show(l);
  const c = socket.socket();
  await c.connect(l.getsockname());
  show(c);
  const [a] = await l.accept();
  show(a);
  await c.close();
  show(c);
  const d = socket.socket(AF_INET6, SOCK_DGRAM);
  show(d);
  d.bind(["::1", 0]);
  show(d);
  const u = socket.socket(AF_UNIX);
  show(u);
  u.bind(temp.path);
  u.listen();
  show(u);
  const uc = socket.socket(AF_UNIX);
  await uc.connect(temp.path);
  show(uc);
  const [ua] = await u.accept();
  show(ua);
  await Promise.all([s, l, a, d, u, uc, ua].map((x) => x.close()));
  assert.deepEqual(
    ours.map((r) => normalize(r, temp.path)),
    expected.map((r) => normalize(r, temp.path)),
  );
  assert.match(ours[4], /^<socket\.socket \[closed\] fd=-1, family=2, type=1, proto=0>$/);
});

Deno.test("types: makefile() modes give binary or text files, as in Python", async () => {
  const [a, b] = await socket.socketpair();
  await using wb = a.makefile("wb");
  await wb.write(new Uint8Array([104, 105, 10]));
  await wb.write(new Uint16Array([0x0a0a]));
  await wb.flush();
  await using rb = b.makefile("rb");
  const raw: Uint8Array = await rb.read(3);
  assert.equal(new TextDecoder().decode(raw), "hi\n");
  await using w = a.makefile("w");
  await w.write("text\n");
  await w.writelines(["more\n"]);
  await w.flush();
  await using r = b.makefile();
  assert.equal(await r.readline(), "\n");
  const line: string = await r.readline();
  assert.equal(line, "\n");
  assert.equal(await r.readline(), "text\n");
  const enc: string | null = r.encoding;
  assert.equal(enc, "UTF-8");
  await a.close();
  await b.close();
});

// Wrong code with file objects: never run, only type-checked.
async function wrongFileCode(): Promise<void> {
  const tcp = socket.socket();
  // @ts-expect-error a text file writes strings.
  await tcp.makefile("w").write(new Uint8Array(1));
  // @ts-expect-error a binary file writes bytes.
  await tcp.makefile("wb").write("text");
  // @ts-expect-error a text file reads strings.
  const _bytes: Uint8Array = await tcp.makefile().read();
  // @ts-expect-error a binary file's lines are bytes.
  await tcp.makefile("rwb").writelines(["a\n"]);
}
void wrongFileCode;
