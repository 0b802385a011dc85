// Copyright 2025 the pysocket authors. MIT license.
// CPython's Lib/test/test_socket.py (3.11, the python3 on this machine)
// translated to pysocket: same test names (Class.method, as unittest names
// them), same assertions, adapted only for promises, Uint8Array and arrays.
// Python's threaded tests (testFoo in the server thread, _testFoo in the
// client thread) are two async halves awaited together (see _support.ts).
// Python's exceptions: OSError and its subclasses are pysocket's; ValueError
// and OverflowError are RangeError; UnicodeEncodeError is a RangeError.
//
// Counts (unittest collects 717 tests from test_socket.py on Linux):
//   applicable 223, translated 223,
//   passing 191,
//   ignored as documented differences 32 (`// DIFFERENCE:` beside each; each
//   is in mod.ts's "Differences from Python"),
//   ignored as FAILS 0 (a `// FAILS:` comment would mark one: pysocket wrong),
//   not applicable 494: recvmsg/sendmsg, ancillary data and CMSG macros
//   (Sendmsg*, Recvmsg*, SCMRights, RFC3542, CmsgMacroTests) 380;
//   CAN/ISOTP/J1939/RDS/QIPCRTR/VSOCK/Bluetooth/TIPC/AF_ALG 53; UDP-Lite 5;
//   os.sendfile (SendfileUsingSendfileTest) 11; signals (Interrupted*,
//   test_sendall_interrupted*, testInterruptedTimeout) 12; Windows or macOS
//   only 12; CPython internals (refcounts, weakref, gc warnings, pickle,
//   _socket, enum._test_simple_enum, private methods) 11; real OS
//   descriptors (fromfd, fcntl, send_fds, a regular file's fd) 6; internet 1;
//   a mock of socket.socket 1; skipped by CPython on Linux 1; sethostname
//   (root) 1. The tests of translated classes left out are named in the
//   comments below.
// CPYTHON_RUN_IGNORED=1 runs the ignored tests too.

import assert from "node:assert/strict";
import * as socket from "../../mod.ts";
import {
  attr,
  b,
  cat,
  connectedTest,
  Event,
  findUnusedPort,
  HOST,
  HOSTv6,
  MSG,
  pairTest,
  raises,
  repeat,
  selectReadable,
  tcpTest,
  test,
  udpTest,
  utf8,
} from "./_support.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

// ---------------------------------------------------------------------------
// GeneralModuleTests

// Not applicable: test_csocket_repr (_socket), test_weakref (weakref.proxy),
// testRefCountGetNameInfo (sys.getrefcount), test_sendall_interrupted and
// test_sendall_interrupted_with_timeout (signal.alarm), test_dealloc_warn
// (ResourceWarning at garbage collection), test_pickle, test_sock_ioctl and
// test_sio_loopback_fast_path and testWindowsSpecificConstants (Windows),
// test3542SocketOptions (macOS), test_sethostname (root), test_idna
// (internet), test_socket_fileno_requires_socket_fd (a regular file's OS
// descriptor), test__sendfile_use_sendfile
// (private), test_addressfamily_enum, test_socketkind_enum,
// test_msgflag_enum, test_addressinfo_enum (CPython's enum._test_simple_enum),
// test_getaddrinfo_ipv6_scopeid_numeric and test_getnameinfo_ipv6_scopeid_numeric
// (Windows only).

test("GeneralModuleTests.test_SocketType_is_socketobject", async () => {
  assert.ok(attr("SocketType") === socket.Socket);
  const s = socket.socket();
  assert.ok(s instanceof attr("SocketType"));
  await s.close();
});

test("GeneralModuleTests.test_repr", async () => {
  const s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  {
    await using _ = s;
    assert.ok(Deno.inspect(s).includes(`fd=${s.fileno()}`));
    assert.ok(Deno.inspect(s).includes(`family=${socket.AF_INET}`));
    assert.ok(Deno.inspect(s).includes(`type=${socket.SOCK_STREAM}`));
    assert.ok(Deno.inspect(s).includes("proto=0"));
    assert.ok(!Deno.inspect(s).includes("raddr"));
    s.bind(["127.0.0.1", 0]);
    assert.ok(Deno.inspect(s).includes("laddr"));
    const [host, port] = s.getsockname() as [string, number];
    assert.ok(Deno.inspect(s).includes(`('${host}', ${port})`));
  }
  assert.ok(Deno.inspect(s).includes("[closed]"));
  assert.ok(!Deno.inspect(s).includes("laddr"));
});

test("GeneralModuleTests.testSocketError", () => {
  assert.throws(() => {
    throw new socket.OSError();
  }, socket.OSError);
  assert.throws(() => {
    throw new socket.herror();
  }, socket.OSError);
  assert.throws(() => {
    throw new socket.gaierror();
  }, socket.OSError);
});

test("GeneralModuleTests.testSendtoErrors", async (t) => {
  const s = t.track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM));
  s.bind(["", 0]);
  const sockname = s.getsockname();
  const sendto = s.sendto.bind(s) as Any;
  // 2 args
  let e = await raises(TypeError, () => sendto("\u2620", sockname));
  assert.equal(e.message, "a bytes-like object is required, not 'str'");
  e = await raises(TypeError, () => sendto({ re: 0, im: 5 }, sockname));
  assert.match(e.message, /^a bytes-like object is required, not /);
  e = await raises(TypeError, () => sendto(utf8("foo"), null));
  assert.ok(e.message.includes("not NoneType"));
  // 3 args
  e = await raises(TypeError, () => sendto("\u2620", 0, sockname));
  assert.equal(e.message, "a bytes-like object is required, not 'str'");
  e = await raises(TypeError, () => sendto({ re: 0, im: 5 }, 0, sockname));
  assert.match(e.message, /^a bytes-like object is required, not /);
  e = await raises(TypeError, () => sendto(utf8("foo"), 0, null));
  assert.ok(e.message.includes("not NoneType"));
  await raises(TypeError, () => sendto(utf8("foo"), "bar", sockname));
  await raises(TypeError, () => sendto(utf8("foo"), null, null));
  // wrong number of args
  e = await raises(TypeError, () => sendto(utf8("foo")));
  assert.ok(e.message.includes("(1 given)"));
  e = await raises(TypeError, () => sendto(utf8("foo"), 0, sockname, 4));
  assert.ok(e.message.includes("(4 given)"));
}, { ignore: true }); // DIFFERENCE: data may be a string (sent as UTF-8; DESIGN.md, "bytes" row).

test("GeneralModuleTests.testCrucialConstants", () => {
  for (
    const name of [
      "AF_INET",
      "AF_INET6",
      "SOCK_STREAM",
      "SOCK_DGRAM",
      "SOCK_RAW",
      "SOCK_RDM",
      "SOCK_SEQPACKET",
      "SOL_SOCKET",
      "SO_REUSEADDR",
    ]
  ) assert.equal(typeof attr(name), "number", name);
  assert.equal(socket.has_ipv6, true);
});

test("GeneralModuleTests.testCrucialIpProtoConstants", () => {
  for (const name of ["IPPROTO_TCP", "IPPROTO_UDP", "IPPROTO_IPV6"]) {
    assert.equal(typeof attr(name), "number", name);
  }
});

test("GeneralModuleTests.test_socket_methods", () => {
  // "_accept" is CPython's private half of accept(): accept itself here.
  const names = [
    "accept",
    "bind",
    "connect",
    "connect_ex",
    "getpeername",
    "getsockname",
    "listen",
    "recvfrom",
    "recvfrom_into",
    "sendto",
    "setsockopt",
    "shutdown",
  ];
  for (const name of names) {
    assert.equal(typeof (socket.Socket.prototype as Any)[name], "function", name);
  }
});

test("GeneralModuleTests.testHostnameRes", async () => {
  const hostname = socket.gethostname();
  let ip: string;
  try {
    ip = await socket.gethostbyname(hostname);
  } catch (e) {
    if (e instanceof socket.OSError) return; // skipTest('name lookup failure')
    throw e;
  }
  assert.ok(ip.indexOf(".") >= 0, "Error resolving host to ip.");
  let hname: string, aliases: string[];
  try {
    [hname, aliases] = await socket.gethostbyaddr(ip);
  } catch (e) {
    if (e instanceof socket.OSError) return; // skipTest('name lookup failure')
    throw e;
  }
  const allHostNames = [hostname, hname, ...aliases];
  const fqhn = await socket.getfqdn(ip);
  assert.ok(
    allHostNames.includes(fqhn),
    `Error testing host resolution mechanisms. (fqdn: ${fqhn}, all: ${allHostNames})`,
  );
});

test("GeneralModuleTests.test_host_resolution", async () => {
  for (const addr of [HOST, "10.0.0.1", "255.255.255.255"]) {
    assert.equal(await socket.gethostbyname(addr), addr);
  }
  for (const host of [HOST]) {
    assert.ok((await socket.gethostbyaddr(host))[2].includes(host));
  }
});

test("GeneralModuleTests.test_host_resolution_bad_address", async () => {
  for (const addr of ["0.1.1.~1", "1+.1.1.1", "::1q", "::1::2", "1:1:1:1:1:1:1:1:1"]) {
    await raises(socket.OSError, () => socket.gethostbyname(addr), addr);
    await raises(socket.OSError, () => socket.gethostbyaddr(addr), addr);
  }
});

test("GeneralModuleTests.testInterfaceNameIndex", () => {
  const interfaces: [number, string][] = attr("if_nameindex")();
  for (const [index, name] of interfaces) {
    assert.ok(Number.isInteger(index));
    assert.equal(typeof name, "string");
    assert.ok(index > 0);
    const _index = attr("if_nametoindex")(name);
    assert.ok(Number.isInteger(_index));
    assert.equal(index, _index);
    const _name = attr("if_indextoname")(index);
    assert.equal(typeof _name, "string");
    assert.equal(name, _name);
  }
});

test("GeneralModuleTests.testInvalidInterfaceIndexToName", async () => {
  await raises(socket.OSError, () => attr("if_indextoname")(0));
  await raises(TypeError, () => attr("if_indextoname")("_DEADBEEF"));
});

test("GeneralModuleTests.testInvalidInterfaceNameToIndex", async () => {
  await raises(TypeError, () => attr("if_nametoindex")(0));
  await raises(socket.OSError, () => attr("if_nametoindex")("_DEADBEEF"));
});

test("GeneralModuleTests.testInterpreterCrash", async () => {
  try {
    await socket.getnameinfo(["x", 0, 0, 0], 0);
  } catch (e) {
    if (!(e instanceof socket.OSError)) throw e;
  }
});

test("GeneralModuleTests.testNtoH", () => {
  const sizes: [(x: number) => number, number][] = [
    [socket.htonl, 32],
    [socket.ntohl, 32],
    [socket.htons, 16],
    [socket.ntohs, 16],
  ];
  for (const [func, size] of sizes) {
    const mask = 2 ** size - 1;
    const and = (i: number) => Number(BigInt(i) & BigInt(mask));
    for (const i of [0, 1, 0xffff, ~0xffff, 2, 0x01234567, 0x76543210]) {
      assert.equal(and(i), and(func(func(and(i)))));
    }
    const swapped = func(mask);
    assert.equal(and(swapped), mask);
    assert.throws(() => func(2 ** 34), RangeError);
  }
});

test("GeneralModuleTests.testNtoHErrors", () => {
  const INT_MIN = -(2 ** 31), INT_MAX = 2 ** 31 - 1;
  const sGood = [0, 1, 2, 0xffff];
  const lGood = [...sGood, 0xffffffff];
  const lBad = [-1, -2, 2 ** 32, 2 ** 1000];
  const sBad = [...lBad, INT_MIN - 1, INT_MAX + 1, 1 << 16, INT_MAX];
  for (const k of sGood) {
    socket.ntohs(k);
    socket.htons(k);
  }
  for (const k of lGood) {
    socket.ntohl(k);
    socket.htonl(k);
  }
  for (const k of sBad) {
    assert.throws(() => socket.ntohs(k), RangeError, `ntohs(${k})`);
    assert.throws(() => socket.htons(k), RangeError, `htons(${k})`);
  }
  for (const k of lBad) {
    assert.throws(() => socket.ntohl(k), RangeError, `ntohl(${k})`);
    assert.throws(() => socket.htonl(k), RangeError, `htonl(${k})`);
  }
});

test("GeneralModuleTests.testGetServBy", async () => {
  let port: number | undefined;
  let service = "";
  for (service of ["daytime", "qotd", "domain"]) {
    try {
      port = socket.getservbyname(service, "tcp");
      break;
    } catch (e) {
      if (!(e instanceof socket.OSError)) throw e;
    }
  }
  if (port === undefined) throw new socket.OSError();
  const port2 = socket.getservbyname(service);
  assert.equal(port, port2);
  let udpport: number | null;
  try {
    udpport = socket.getservbyname(service, "udp");
  } catch (e) {
    if (!(e instanceof socket.OSError)) throw e;
    udpport = null;
  }
  if (udpport !== null) assert.equal(udpport, port);
  assert.equal(socket.getservbyport(port2), service);
  assert.equal(socket.getservbyport(port, "tcp"), service);
  if (udpport !== null) assert.equal(socket.getservbyport(udpport, "udp"), service);
  await raises(RangeError, () => socket.getservbyport(-1));
  await raises(RangeError, () => socket.getservbyport(65536));
});

test("GeneralModuleTests.testDefaultTimeout", async () => {
  assert.equal(socket.getdefaulttimeout(), null);
  {
    await using s = socket.socket();
    assert.equal(s.gettimeout(), null);
  }
  const old = socket.getdefaulttimeout();
  try {
    socket.setdefaulttimeout(10);
    assert.equal(socket.getdefaulttimeout(), 10);
    {
      await using sock = socket.socket();
      assert.equal(sock.gettimeout(), 10);
    }
    socket.setdefaulttimeout(null);
    assert.equal(socket.getdefaulttimeout(), null);
    {
      await using sock = socket.socket();
      assert.equal(sock.gettimeout(), null);
    }
  } finally {
    socket.setdefaulttimeout(old);
  }
  assert.throws(() => socket.setdefaulttimeout(-1), RangeError);
  assert.throws(() => socket.setdefaulttimeout("spam" as Any), TypeError);
});

test("GeneralModuleTests.testIPv4_inet_aton_fourbytes", () => {
  assert.deepEqual(socket.inet_aton("0.0.0.0"), b("\x00\x00\x00\x00"));
  assert.deepEqual(socket.inet_aton("255.255.255.255"), b("\xff\xff\xff\xff"));
});

const INVALID = [socket.OSError, RangeError];

test("GeneralModuleTests.testIPv4toString", async () => {
  const f = socket.inet_aton;
  const g = (a: string) => socket.inet_pton(socket.AF_INET, a);
  assert.deepEqual(f("0.0.0.0"), b("\x00\x00\x00\x00"));
  assert.deepEqual(f("255.0.255.0"), b("\xff\x00\xff\x00"));
  assert.deepEqual(f("170.170.170.170"), b("\xaa\xaa\xaa\xaa"));
  assert.deepEqual(f("1.2.3.4"), b("\x01\x02\x03\x04"));
  assert.deepEqual(f("255.255.255.255"), b("\xff\xff\xff\xff"));
  for (const a of ["0.0.0.", "300.0.0.0", "a.0.0.0", "1.2.3.4.5", "::1"]) {
    await raises(INVALID, () => f(a), a);
  }
  assert.deepEqual(g("0.0.0.0"), b("\x00\x00\x00\x00"));
  assert.deepEqual(g("255.0.255.0"), b("\xff\x00\xff\x00"));
  assert.deepEqual(g("170.170.170.170"), b("\xaa\xaa\xaa\xaa"));
  assert.deepEqual(g("255.255.255.255"), b("\xff\xff\xff\xff"));
  for (const a of ["0.0.0.", "300.0.0.0", "a.0.0.0", "1.2.3.4.5", "::1"]) {
    await raises(INVALID, () => g(a), a);
  }
});

test("GeneralModuleTests.testIPv6toString", async () => {
  const f = (a: string) => socket.inet_pton(socket.AF_INET6, a);
  const z = (n: number) => new Uint8Array(n);
  assert.deepEqual(f("::"), z(16));
  assert.deepEqual(f("0::0"), z(16));
  assert.deepEqual(f("1::"), cat(b("\x00\x01"), z(14)));
  assert.deepEqual(
    f("45ef:76cb:1a:56ef:afeb:bac:1924:aeae"),
    b("\x45\xef\x76\xcb\x00\x1a\x56\xef\xaf\xeb\x0b\xac\x19\x24\xae\xae"),
  );
  assert.deepEqual(
    f("ad42:abc::127:0:254:2"),
    cat(b("\xad\x42\x0a\xbc"), z(4), b("\x01\x27\x00\x00\x02\x54\x00\x02")),
  );
  assert.deepEqual(f("12:a::"), cat(b("\x00\x12\x00\x0a"), z(12)));
  for (
    const a of [
      "0x20::",
      ":::",
      "::0::",
      "1::abc::",
      "1::abc::def",
      "1:2:3:4:5:6",
      "1:2:3:4:5:6:",
      "1:2:3:4:5:6:7:8:0",
      "1:2:3:4:5:6:7:8:",
    ]
  ) await raises(INVALID, () => f(a), a);
  assert.deepEqual(f("::254.42.23.64"), cat(z(12), b("\xfe\x2a\x17\x40")));
  assert.deepEqual(
    f("42::a29b:254.42.23.64"),
    cat(b("\x00\x42"), z(8), b("\xa2\x9b\xfe\x2a\x17\x40")),
  );
  assert.deepEqual(
    f("42:a8b9:0:2:ffff:a29b:254.42.23.64"),
    b("\x00\x42\xa8\xb9\x00\x00\x00\x02\xff\xff\xa2\x9b\xfe\x2a\x17\x40"),
  );
  for (
    const a of [
      "255.254.253.252",
      "1::260.2.3.0",
      "1::0.be.e.0",
      "1:2:3:4:5:6:7:1.2.3.4",
      "::1.2.3.4:0",
      "0.100.200.0:3:4:5:6:7:8",
    ]
  ) await raises(INVALID, () => f(a), a);
});

test("GeneralModuleTests.testStringToIPv4", async () => {
  const f = socket.inet_ntoa;
  const g = (a: Uint8Array) => socket.inet_ntop(socket.AF_INET, a);
  assert.equal(f(b("\x01\x00\x01\x00")), "1.0.1.0");
  assert.equal(f(b("\xaa\x55\xaa\x55")), "170.85.170.85");
  assert.equal(f(b("\xff\xff\xff\xff")), "255.255.255.255");
  assert.equal(f(b("\x01\x02\x03\x04")), "1.2.3.4");
  for (const n of [3, 5, 16]) await raises(INVALID, () => f(new Uint8Array(n)));
  assert.equal(f(new Uint8Array(b("\xaa\x55\xaa\x55")).buffer), "170.85.170.85");
  assert.equal(g(b("\x01\x00\x01\x00")), "1.0.1.0");
  assert.equal(g(b("\xaa\x55\xaa\x55")), "170.85.170.85");
  assert.equal(g(b("\xff\xff\xff\xff")), "255.255.255.255");
  for (const n of [3, 5, 16]) await raises(INVALID, () => g(new Uint8Array(n)));
  assert.equal(
    socket.inet_ntop(socket.AF_INET, new Uint8Array(b("\xaa\x55\xaa\x55")).buffer),
    "170.85.170.85",
  );
});

test("GeneralModuleTests.testStringToIPv6", async () => {
  const f = (a: Uint8Array | ArrayBuffer) => socket.inet_ntop(socket.AF_INET6, a);
  assert.equal(f(new Uint8Array(16)), "::");
  assert.equal(f(cat(new Uint8Array(15), b("\x01"))), "::1");
  assert.equal(
    f(b("\x0a\xef\x0b\x01\x05\x06\x10\x01\xff\xff\x99\x97\x00\x55\x01\x70")),
    "aef:b01:506:1001:ffff:9997:55:170",
  );
  assert.equal(f(cat(new Uint8Array(15), b("\x01")).buffer as ArrayBuffer), "::1");
  for (const n of [15, 17, 4]) await raises(INVALID, () => f(repeat(b("\x12"), n)));
});

test("GeneralModuleTests.testSockName", async (t) => {
  const sock = t.track(socket.socket(socket.AF_INET, socket.SOCK_STREAM));
  let port = 0;
  for (let i = 0;; i++) {
    port = await findUnusedPort();
    try {
      sock.bind(["0.0.0.0", port]);
      break;
    } catch (e) {
      if (!(e instanceof socket.OSError) || e.errno !== socket.EADDRINUSE || i === 5) throw e;
    }
  }
  const name = sock.getsockname() as [string, number];
  let myIpAddr: string;
  try {
    myIpAddr = await socket.gethostbyname(socket.gethostname());
  } catch (e) {
    if (e instanceof socket.OSError) return; // skipTest('name lookup failure')
    throw e;
  }
  assert.ok(["0.0.0.0", myIpAddr].includes(name[0]), `${name[0]} invalid`);
  assert.equal(name[1], port);
});

test("GeneralModuleTests.testGetSockOpt", (t) => {
  const sock = t.track(socket.socket(socket.AF_INET, socket.SOCK_STREAM));
  const reuse = sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR);
  assert.ok(!(reuse !== 0), "initial mode is reuse");
});

test("GeneralModuleTests.testSetSockOpt", (t) => {
  const sock = t.track(socket.socket(socket.AF_INET, socket.SOCK_STREAM));
  sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  const reuse = sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR);
  assert.ok(!(reuse === 0), "failed to set reuse mode");
});

test("GeneralModuleTests.testSendAfterClose", async () => {
  const sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  {
    await using _ = sock;
    sock.settimeout(1);
  }
  await raises(socket.OSError, () => sock.send(utf8("spam")));
});

test("GeneralModuleTests.testNewAttributes", async () => {
  await using sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  assert.equal(sock.family, socket.AF_INET);
  assert.ok(
    [socket.SOCK_STREAM | socket.SOCK_CLOEXEC, socket.SOCK_STREAM].includes(sock.type),
  );
  assert.equal(sock.proto, 0);
});

test("GeneralModuleTests.test_getsockaddrarg", async (t) => {
  const sock = t.track(socket.socket());
  let port = await findUnusedPort();
  const bigPort = port + 65536;
  const negPort = port - 65536;
  await raises(RangeError, () => sock.bind([HOST, bigPort]));
  await raises(RangeError, () => sock.bind([HOST, negPort]));
  for (let i = 0;; i++) {
    port = await findUnusedPort();
    try {
      sock.bind([HOST, port]);
      break;
    } catch (e) {
      if (!(e instanceof socket.OSError) || e.errno !== socket.EADDRINUSE || i === 5) throw e;
    }
  }
});

test("GeneralModuleTests.testGetaddrinfo", async () => {
  try {
    await socket.getaddrinfo("localhost", 80);
  } catch (e) {
    if (e instanceof socket.gaierror && e.errno === socket.EAI_SERVICE) return;
    throw e;
  }
  for (const info of await socket.getaddrinfo(HOST, null)) assert.equal(info.length, 5);
  await socket.getaddrinfo("localhost", 80);
  await socket.getaddrinfo("127.0.0.1", 80);
  await socket.getaddrinfo(null, 80);
  await socket.getaddrinfo("::1", 80);
  await socket.getaddrinfo(HOST, "http");
  await socket.getaddrinfo(HOST, 80);
  await socket.getaddrinfo(HOST, null);
  let infos = await socket.getaddrinfo(HOST, 80, socket.AF_INET, socket.SOCK_STREAM);
  for (const [family, type] of infos) {
    assert.equal(Number(family), socket.AF_INET);
    assert.equal(Deno.inspect(family), `<AddressFamily.AF_INET: ${Number(family)}>`);
    assert.equal(String(family), String(Number(family)));
    assert.equal(Number(type), socket.SOCK_STREAM);
    assert.equal(Deno.inspect(type), `<SocketKind.SOCK_STREAM: ${Number(type)}>`);
    assert.equal(String(type), String(Number(type)));
  }
  infos = await socket.getaddrinfo(HOST, null, 0, socket.SOCK_STREAM);
  for (const [, socktype] of infos) assert.equal(socktype, socket.SOCK_STREAM);
  await socket.getaddrinfo(HOST, null, 0, 0, socket.SOL_TCP);
  await socket.getaddrinfo(HOST, null, 0, 0, 0, socket.AI_PASSIVE);
  await socket.getaddrinfo(null, 0, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE);
  // (keyword arguments: TypeScript has none; the positional calls above.)
  assert.deepEqual(await socket.getaddrinfo(HOST, null), await socket.getaddrinfo(HOST, null));
  await raises(RangeError, () => socket.getaddrinfo("localhost", "\uD800")); // UnicodeEncodeError
  try {
    await socket.getaddrinfo("localhost", null, 0, 0, 0, socket.AI_NUMERICSERV);
  } catch (e) {
    if (!(e instanceof socket.gaierror)) throw e;
  }
}, { ignore: true }); // DIFFERENCE: getaddrinfo's family/type are plain numbers, not AddressFamily/SocketKind IntEnums (their repr is AddressFamily.repr(n); "Differences from Python")

test("GeneralModuleTests.test_getnameinfo", async () => {
  await raises(socket.OSError, () => socket.getnameinfo(["mail.python.org", 0], 0));
});

test("GeneralModuleTests.test_name_closed_socketio", async () => {
  await using sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  const fp = sock.makefile("rb");
  await fp.close();
  assert.equal(Deno.inspect(fp), "<_io.BufferedReader name=-1>");
});

test("GeneralModuleTests.test_unusable_closed_socketio", async () => {
  await using sock = socket.socket();
  const fp = sock.makefile("rb", { buffering: 0 }) as Any;
  assert.ok(fp.readable());
  assert.ok(!fp.writable());
  assert.ok(!fp.seekable());
  await fp.close();
  assert.throws(() => fp.readable(), RangeError);
  assert.throws(() => fp.writable(), RangeError);
  assert.throws(() => fp.seekable(), RangeError);
});

test("GeneralModuleTests.test_socket_close", async () => {
  const sock = socket.socket();
  try {
    sock.bind([HOST, 0]);
    attr("close")(sock.fileno());
    await raises(socket.OSError, () => sock.listen(1));
  } finally {
    await raises(socket.OSError, () => sock.close());
  }
  await raises(TypeError, () => attr("close")(null));
  await raises(socket.OSError, () => attr("close")(-1));
});

test("GeneralModuleTests.test_makefile_mode", async () => {
  for (const mode of ["r", "rb", "rw", "w", "wb"]) {
    await using sock = socket.socket();
    const encoding = mode.includes("b") ? null : "utf-8";
    await using fp = sock.makefile(mode, { encoding });
    assert.equal(fp.mode, mode);
  }
});

test("GeneralModuleTests.test_makefile_invalid_mode", async () => {
  for (const mode of ["rt", "x", "+", "a"]) {
    await using sock = socket.socket();
    const e = await raises(RangeError, () => sock.makefile(mode));
    assert.match(e.message, /invalid mode/);
  }
});

test("GeneralModuleTests.test_listen_backlog", async () => {
  for (const backlog of [0, -1]) {
    await using srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
    srv.bind([HOST, 0]);
    srv.listen(backlog);
  }
  await using srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  srv.bind([HOST, 0]);
  srv.listen();
});

test("GeneralModuleTests.test_listen_backlog_overflow", async () => {
  await using srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  srv.bind([HOST, 0]);
  await raises(RangeError, () => srv.listen(2 ** 31 - 1 + 1));
});

test("GeneralModuleTests.test_flowinfo", async () => {
  await raises(RangeError, () => socket.getnameinfo([HOSTv6, 0, 0xffffffff], 0));
  await using s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM);
  await raises(RangeError, () => s.bind([HOSTv6, 0, -10] as Any));
});

test("GeneralModuleTests.test_getaddrinfo_ipv6_basic", async () => {
  const infos = await socket.getaddrinfo(
    "ff02::1de:c0:face:8D",
    1234,
    socket.AF_INET6,
    socket.SOCK_DGRAM,
    socket.IPPROTO_UDP,
  );
  assert.equal(infos.length, 1);
  assert.deepEqual(infos[0][4], ["ff02::1de:c0:face:8d", 1234, 0, 0]);
});

test("GeneralModuleTests.test_getfqdn_filter_localhost", async () => {
  assert.equal(await socket.getfqdn(), await socket.getfqdn("0.0.0.0"));
  assert.equal(await socket.getfqdn(), await socket.getfqdn("::"));
});

test("GeneralModuleTests.test_getaddrinfo_ipv6_scopeid_symbolic", async () => {
  const [ifindex, testInterface] = attr("if_nameindex")()[0];
  const infos = await socket.getaddrinfo(
    "ff02::1de:c0:face:8D%" + testInterface,
    1234,
    socket.AF_INET6,
    socket.SOCK_DGRAM,
    socket.IPPROTO_UDP,
  );
  assert.equal(infos.length, 1);
  assert.deepEqual(infos[0][4], ["ff02::1de:c0:face:8d", 1234, 0, ifindex]);
});

test("GeneralModuleTests.test_getnameinfo_ipv6_scopeid_symbolic", async () => {
  const [ifindex, testInterface] = attr("if_nameindex")()[0];
  const sockaddr: socket.Address = ["ff02::1de:c0:face:8D", 1234, 0, ifindex];
  const nameinfo = await socket.getnameinfo(
    sockaddr,
    socket.NI_NUMERICHOST | socket.NI_NUMERICSERV,
  );
  assert.deepEqual(nameinfo, ["ff02::1de:c0:face:8d%" + testInterface, "1234"]);
});

test("GeneralModuleTests.test_str_for_enums", async () => {
  await using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  assert.equal(Deno.inspect(s.family), `<AddressFamily.AF_INET: ${Number(s.family)}>`);
  assert.equal(Deno.inspect(s.type), `<SocketKind.SOCK_STREAM: ${Number(s.type)}>`);
  assert.equal(String(s.family), String(Number(s.family)));
  assert.equal(String(s.type), String(Number(s.type)));
}, { ignore: true }); // DIFFERENCE: family/type are plain numbers, not AddressFamily/SocketKind IntEnums ("Differences from Python")

test("GeneralModuleTests.test_socket_consistent_sock_type", async () => {
  const sockType = socket.SOCK_STREAM | socket.SOCK_NONBLOCK | socket.SOCK_CLOEXEC;
  await using s = socket.socket(socket.AF_INET, sockType);
  assert.equal(s.type, socket.SOCK_STREAM);
  s.settimeout(1);
  assert.equal(s.type, socket.SOCK_STREAM);
  s.settimeout(0);
  assert.equal(s.type, socket.SOCK_STREAM);
  s.setblocking(true);
  assert.equal(s.type, socket.SOCK_STREAM);
  s.setblocking(false);
  assert.equal(s.type, socket.SOCK_STREAM);
});

// socket(family, type, proto, fileno): Python's fourth argument adopts an
// existing descriptor. pysocket's descriptors are its own numbers, so the
// tests that need only that (one process) are translated.

/** `socket.socket(family, type, proto, fileno)`, through the untyped fourth argument. */
function socketWithFileno(
  family: number,
  type: number,
  proto: number,
  fileno: unknown,
): socket.Socket {
  return (socket.socket as Any)(family, type, proto, fileno);
}

test("GeneralModuleTests.testCloseException", async () => {
  const sock = socket.socket();
  sock.bind([HOST, 0]);
  await socketWithFileno(socket.AF_INET, socket.SOCK_STREAM, 0, sock.fileno()).close();
  const err = await raises(
    socket.OSError,
    () => sock.close(),
    "close() should raise EBADF/ENOTSOCK",
  );
  assert.ok([socket.EBADF, socket.ENOTSOCK].includes((err as socket.OSError).errno!));
}, { ignore: true }); // DIFFERENCE: socket(fileno=…) of an open socket is refused (EOPNOTSUPP: no OS descriptors to share; "Not supported, and why")

test("GeneralModuleTests.test_unknown_socket_family_repr", async () => {
  const sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  const fd = (sock as Any).detach();
  const unknownFamily = Math.max(...Object.values(attr("AddressFamily") as object)) + 1;
  const unknownType = Math.max(
    ...Object.entries(attr("SocketKind") as object)
      .filter(([name]) => !["SOCK_NONBLOCK", "SOCK_CLOEXEC"].includes(name))
      .map(([, kind]) => kind),
  ) + 1;
  await using s = socketWithFileno(unknownFamily, unknownType, 23, fd);
  assert.equal(s.family, unknownFamily);
  assert.equal(s.type, unknownType);
  assert.ok([0, 23].includes(s.proto));
}, { ignore: true }); // DIFFERENCE: socket(fileno=…) takes family/type/proto from the detached socket, and cannot make a second object over an open one ("Differences from Python")

test("GeneralModuleTests.test_socket_fileno", async (t) => {
  const check = (s: socket.Socket, family: number, stype: number) => {
    assert.equal(s.family, family);
    assert.equal(s.type, stype);
    const fd = s.fileno();
    const s2 = t.track(socketWithFileno(-1, -1, -1, fd));
    (s as Any).detach();
    assert.equal(s2.family, family);
    assert.equal(s2.type, stype);
    assert.equal(s2.fileno(), fd);
  };
  let s: socket.Socket = t.track(socket.socket(socket.AF_INET, socket.SOCK_STREAM));
  s.bind([HOST, 0]);
  check(s, socket.AF_INET, socket.SOCK_STREAM);
  s = t.track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM));
  s.bind([HOST, 0]);
  check(s, socket.AF_INET, socket.SOCK_DGRAM);
  s = t.track(socket.socket(socket.AF_INET6, socket.SOCK_STREAM));
  s.bind([HOSTv6, 0, 0, 0]);
  check(s, socket.AF_INET6, socket.SOCK_STREAM);
  const dir = await Deno.makeTempDir({ prefix: "pysocket_cpython_" });
  t.addCleanup(() => Deno.remove(dir, { recursive: true }));
  s = t.track(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM));
  s.bind(`${dir}/socket`);
  check(s, socket.AF_UNIX, socket.SOCK_STREAM);
}, { ignore: true }); // DIFFERENCE: socket(fileno=…) takes family/type/proto from the detached socket, and cannot make a second object over an open one ("Differences from Python")

test("GeneralModuleTests.test_socket_fileno_rejects_float", async () => {
  await raises(TypeError, () => socketWithFileno(socket.AF_INET, socket.SOCK_STREAM, 0, 42.5));
});

test("GeneralModuleTests.test_socket_fileno_rejects_other_types", async () => {
  await raises(TypeError, () => socketWithFileno(socket.AF_INET, socket.SOCK_STREAM, 0, "foo"));
});

test("GeneralModuleTests.test_socket_fileno_rejects_invalid_socket", async () => {
  const e = await raises(
    RangeError,
    () => socketWithFileno(socket.AF_INET, socket.SOCK_STREAM, 0, -1),
  );
  assert.match(e.message, /negative file descriptor/);
});

test("GeneralModuleTests.test_socket_fileno_rejects_negative", async () => {
  const e = await raises(
    RangeError,
    () => socketWithFileno(socket.AF_INET, socket.SOCK_STREAM, 0, -42),
  );
  assert.match(e.message, /negative file descriptor/);
});

test("GeneralModuleTests.test_socket_fileno_requires_valid_fd", async () => {
  // os_helper.make_bad_fd(): a descriptor number that is not open (here: a
  // closed socket's number, which pysocket never reuses).
  const closed = socket.socket();
  const badFd = closed.fileno();
  await closed.close();
  let e = await raises(socket.OSError, () => socketWithFileno(-1, -1, -1, badFd));
  assert.equal((e as socket.OSError).errno, socket.EBADF);
  e = await raises(
    socket.OSError,
    () => socketWithFileno(socket.AF_INET, socket.SOCK_STREAM, 0, badFd),
  );
  assert.equal((e as socket.OSError).errno, socket.EBADF);
});

// ---------------------------------------------------------------------------
// BasicTCPTest (SocketConnectedTest), and BasicTCPTest2 (the same tests with
// the client made by create_connection: NetworkConnectionTest).
// Not applicable: testFromFd (socket.fromfd over a real descriptor), in both.

type TCPHalf = (t: Any) => Promise<void> | void;

function basicTCP(
  name: string,
  server: TCPHalf,
  client: TCPHalf,
  options: { ignore?: boolean } = {},
) {
  connectedTest(`BasicTCPTest.${name}`, server, client, options);
  connectedTest(`BasicTCPTest2.${name}`, server, client, {
    ...options,
    connect: (t) => socket.create_connection([HOST, t.port]),
  });
}

basicTCP("testRecv", async (t) => {
  const msg = await t.cli_conn.recv(1024);
  assert.deepEqual(msg, MSG);
}, async (t) => {
  await t.serv_conn.send(MSG);
});

basicTCP("testOverFlowRecv", async (t) => {
  const seg1 = await t.cli_conn.recv(MSG.length - 3);
  const seg2 = await t.cli_conn.recv(1024);
  assert.deepEqual(cat(seg1, seg2), MSG);
}, async (t) => {
  await t.serv_conn.send(MSG);
});

basicTCP("testRecvFrom", async (t) => {
  const [msg] = await t.cli_conn.recvfrom(1024);
  assert.deepEqual(msg, MSG);
}, async (t) => {
  await t.serv_conn.send(MSG);
});

basicTCP("testOverFlowRecvFrom", async (t) => {
  const [seg1] = await t.cli_conn.recvfrom(MSG.length - 3);
  const [seg2] = await t.cli_conn.recvfrom(1024);
  assert.deepEqual(cat(seg1, seg2), MSG);
}, async (t) => {
  await t.serv_conn.send(MSG);
});

basicTCP("testSendAll", async (t) => {
  let msg: Uint8Array = new Uint8Array(0);
  while (true) {
    const read = await t.cli_conn.recv(1024);
    if (read.length === 0) break;
    msg = cat(msg, read);
  }
  assert.deepEqual(msg, repeat(utf8("f"), 2048));
}, async (t) => {
  const bigChunk = repeat(utf8("f"), 2048);
  await t.serv_conn.sendall(bigChunk);
});

basicTCP("testDup", async (t) => {
  const sock = t.track((t.cli_conn as Any).dup() as socket.Socket);
  const msg = await sock.recv(1024);
  assert.deepEqual(msg, MSG);
}, async (t) => {
  await t.serv_conn.send(MSG);
}, { ignore: true }); // DIFFERENCE: dup is not supported ("Not supported, and why")

basicTCP("testShutdown", async (t) => {
  const msg = await t.cli_conn.recv(1024);
  assert.deepEqual(msg, MSG);
  await t.done.wait();
}, async (t) => {
  await t.serv_conn.send(MSG);
  await t.serv_conn.shutdown(2);
});

basicTCP("testShutdown_overflow", async (t) => {
  const msg = await t.cli_conn.recv(1024);
  assert.deepEqual(msg, MSG);
  await t.done.wait();
}, async (t) => {
  const INT_MAX = 2 ** 31 - 1, UINT_MAX = 2 ** 32 - 1;
  await t.serv_conn.send(MSG);
  await raises(RangeError, () => t.serv_conn.shutdown(INT_MAX + 1));
  await raises(RangeError, () => t.serv_conn.shutdown(2 + (UINT_MAX + 1)));
  await t.serv_conn.shutdown(2);
});

basicTCP("testDetach", async (t) => {
  const fileno = t.cli_conn.fileno();
  const f = (t.cli_conn as Any).detach();
  assert.equal(f, fileno);
  assert.equal(t.cli_conn.fileno(), -1); // Python: cli_conn._closed
  await raises(socket.OSError, () => t.cli_conn.recv(1024));
  await t.cli_conn.close();
  const sock = t.track((socket.socket as Any)(socket.AF_INET, socket.SOCK_STREAM, 0, f));
  const msg = await sock.recv(1024);
  assert.deepEqual(msg, MSG);
}, async (t) => {
  await t.serv_conn.send(MSG);
});

// ---------------------------------------------------------------------------
// BasicUDPTest (ThreadedUDPSocketTest)

udpTest("BasicUDPTest.testSendtoAndRecv", async (t) => {
  const msg = await t.serv.recv(MSG.length);
  assert.deepEqual(msg, MSG);
}, async (t) => {
  await t.cli.sendto(MSG, 0, [HOST, t.port]);
});

udpTest("BasicUDPTest.testRecvFrom", async (t) => {
  const [msg] = await t.serv.recvfrom(MSG.length);
  assert.deepEqual(msg, MSG);
}, async (t) => {
  await t.cli.sendto(MSG, 0, [HOST, t.port]);
});

udpTest("BasicUDPTest.testRecvFromNegative", async (t) => {
  await raises(RangeError, () => t.serv.recvfrom(-1));
}, async (t) => {
  await t.cli.sendto(MSG, 0, [HOST, t.port]);
});

// ---------------------------------------------------------------------------
// TCPCloserTest (ThreadedTCPSocketTest)

tcpTest("TCPCloserTest.testClose", async (t) => {
  const [conn] = await t.serv.accept();
  await conn.close();
  const sd = t.cli;
  const read = await selectReadable([sd], 1.0);
  assert.deepEqual(read, [sd]);
  assert.deepEqual(await sd.recv(1), b(""));
  // Calling close() many times should be safe.
  await conn.close();
  await conn.close();
}, async (t) => {
  await t.cli.connect([HOST, t.port]);
  await new Promise((resolve) => setTimeout(resolve, 1000));
});

// ---------------------------------------------------------------------------
// BasicSocketPairTest (SocketPairTest)

function checkDefaults(sock: socket.Socket): void {
  assert.ok(sock instanceof socket.Socket);
  assert.equal(sock.family, socket.AF_UNIX);
  assert.equal(sock.type, socket.SOCK_STREAM);
  assert.equal(sock.proto, 0);
}

pairTest("BasicSocketPairTest.testDefaults", (t) => {
  checkDefaults(t.serv);
}, (t) => {
  checkDefaults(t.cli);
});

pairTest("BasicSocketPairTest.testRecv", async (t) => {
  const msg = await t.serv.recv(1024);
  assert.deepEqual(msg, MSG);
}, async (t) => {
  await t.cli.send(MSG);
});

pairTest("BasicSocketPairTest.testSend", async (t) => {
  await t.serv.send(MSG);
}, async (t) => {
  const msg = await t.cli.recv(1024);
  assert.deepEqual(msg, MSG);
});

// ---------------------------------------------------------------------------
// NonBlockingTCPTests (ThreadedTCPSocketTest)
// assert_sock_timeout's fcntl(O_NONBLOCK) part does not apply (no OS
// descriptor); the rest is translated.

function assertSockTimeout(t: Any, sock: socket.Socket, timeout: number | null): void {
  assert.equal(t.serv.gettimeout(), timeout);
  const blocking = timeout !== 0.0;
  assert.equal(sock.getblocking(), blocking);
}

const noop = () => {};

tcpTest("NonBlockingTCPTests.testSetBlocking", (t) => {
  t.serv.setblocking(true);
  assertSockTimeout(t, t.serv, null);
  t.serv.setblocking(false);
  assertSockTimeout(t, t.serv, 0.0);
  t.serv.settimeout(null);
  assertSockTimeout(t, t.serv, null);
  t.serv.settimeout(0);
  assertSockTimeout(t, t.serv, 0);
  t.serv.settimeout(10);
  assertSockTimeout(t, t.serv, 10);
  t.serv.settimeout(0);
  assertSockTimeout(t, t.serv, 0);
}, noop);

tcpTest("NonBlockingTCPTests.testSetBlocking_overflow", (t) => {
  const UINT_MAX = 2 ** 32 - 1;
  t.serv.setblocking(false);
  assertSockTimeout(t, t.serv, 0.0);
  t.serv.setblocking((UINT_MAX + 1) as Any);
  assertSockTimeout(t, t.serv, null);
}, noop);

tcpTest("NonBlockingTCPTests.testInitNonBlocking", async (t) => {
  await t.serv.close();
  t.serv = t.track(socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK));
  assertSockTimeout(t, t.serv, 0);
}, noop);

tcpTest("NonBlockingTCPTests.testInheritFlagsBlocking", async (t) => {
  const old = socket.getdefaulttimeout();
  socket.setdefaulttimeout(null);
  try {
    t.serv.settimeout(10);
    const [conn] = await t.serv.accept();
    t.track(conn);
    assert.equal(conn.gettimeout(), null);
  } finally {
    socket.setdefaulttimeout(old);
  }
}, async (t) => {
  await t.cli.connect([HOST, t.port]);
});

tcpTest("NonBlockingTCPTests.testInheritFlagsTimeout", async (t) => {
  const defaultTimeout = 20.0;
  const old = socket.getdefaulttimeout();
  socket.setdefaulttimeout(defaultTimeout);
  try {
    t.serv.settimeout(10);
    const [conn] = await t.serv.accept();
    t.track(conn);
    assert.equal(conn.gettimeout(), defaultTimeout);
  } finally {
    socket.setdefaulttimeout(old);
  }
}, async (t) => {
  await t.cli.connect([HOST, t.port]);
});

tcpTest("NonBlockingTCPTests.testAccept", async (t) => {
  t.serv.setblocking(false);
  const start = performance.now();
  await raises(socket.BlockingIOError, () => t.serv.accept());
  const dt = (performance.now() - start) / 1000;
  assert.ok(dt < 1.0);
  t.event.set();
  const read = await selectReadable([t.serv], 5);
  if (!read.includes(t.serv)) assert.fail("Error trying to do accept after select.");
  const [conn] = await t.serv.accept();
  t.track(conn);
  assert.equal(conn.gettimeout(), null);
}, async (t) => {
  await t.event.wait();
  await t.cli.connect([HOST, t.port]);
});

tcpTest("NonBlockingTCPTests.testRecv", async (t) => {
  const [conn] = await t.serv.accept();
  t.track(conn);
  conn.setblocking(false);
  await raises(socket.BlockingIOError, () => conn.recv(MSG.length));
  t.event.set();
  const read = await selectReadable([conn], 5);
  if (!read.includes(conn)) assert.fail("Error during select call to non-blocking socket.");
  const msg = await conn.recv(MSG.length);
  assert.deepEqual(msg, MSG);
}, async (t) => {
  await t.cli.connect([HOST, t.port]);
  await t.event.wait();
  await t.cli.sendall(MSG);
});

// ---------------------------------------------------------------------------
// FileObjectClassTestCase and its subclasses (SocketConnectedTest + makefile)
// Not applicable: UnbufferedFileObjectClassTestCase.testMakefileCloseSocketDestroy
// (sys.getrefcount).

/** The class attributes of FileObjectClassTestCase (read_mode is readMode, …). */
interface FileClass {
  bufsize: number;
  readMode: string;
  readMsg: Uint8Array | string;
  writeMode: string;
  writeMsg: Uint8Array | string;
  newline: string | null;
}

const FILE_BASE: FileClass = {
  bufsize: -1,
  readMode: "rb",
  readMsg: MSG,
  writeMode: "wb",
  writeMsg: MSG,
  newline: null,
};

type FileHalf = (t: Any, c: FileClass) => Promise<void> | void;

/** Registers `testName` of class `cls`, with FileObjectClassTestCase's setUp and tearDown. */
function fileTest(
  cls: string,
  c: FileClass,
  testName: string,
  server: FileHalf,
  client: FileHalf,
  ignore?: boolean,
): void {
  const options = { encoding: "utf-8", errors: "strict", newline: c.newline, buffering: c.bufsize };
  connectedTest(`${cls}.${testName}`, async (t) => {
    try {
      await server(t, c);
    } finally {
      t.serv_finished.set();
      await t.read_file.close();
      assert.ok(t.read_file.closed);
    }
  }, async (t) => {
    try {
      await client(t, c);
    } finally {
      t.cli_finished.set();
      await t.write_file.close();
      assert.ok(t.write_file.closed);
    }
  }, {
    ignore,
    setUp(t) {
      t.read_file = t.cli_conn.makefile(c.readMode, options);
    },
    clientSetUp(t) {
      t.write_file = t.serv_conn.makefile(c.writeMode, options);
    },
  });
}

/** `a + b` for the file tests' messages (bytes or str). */
function plus<T extends Uint8Array | string>(a: T, b: T): T {
  return (typeof a === "string" ? a + b : cat(a as Uint8Array, b as Uint8Array)) as T;
}

const FILE_TESTS: Record<string, [FileHalf, FileHalf]> = {
  testReadAfterTimeout: [async (t) => {
    t.cli_conn.settimeout(1);
    await t.read_file.read(3);
    await raises(socket.TimeoutError, () => t.read_file.read(1));
    const e = await raises(socket.OSError, () => t.read_file.read(1));
    assert.ok(e.message.includes("cannot read from timed out object"));
  }, async (t, c) => {
    await t.write_file.write(c.writeMsg.slice(0, 3));
    await t.write_file.flush();
    await t.serv_finished.wait();
  }],
  testSmallRead: [async (t, c) => {
    const firstSeg = await t.read_file.read(c.readMsg.length - 3);
    const secondSeg = await t.read_file.read(3);
    assert.deepEqual(plus(firstSeg, secondSeg), c.readMsg);
  }, async (t, c) => {
    await t.write_file.write(c.writeMsg);
    await t.write_file.flush();
  }],
  testFullRead: [async (t, c) => {
    const msg = await t.read_file.read();
    assert.deepEqual(msg, c.readMsg);
  }, async (t, c) => {
    await t.write_file.write(c.writeMsg);
    await t.write_file.close();
  }],
  testUnbufferedRead: [async (t, c) => {
    let buf: Uint8Array | string = typeof c.readMsg === "string" ? "" : new Uint8Array(0);
    while (true) {
      const char = await t.read_file.read(1);
      if (char.length === 0) break;
      buf = plus(buf, char);
    }
    assert.deepEqual(buf, c.readMsg);
  }, async (t, c) => {
    await t.write_file.write(c.writeMsg);
    await t.write_file.flush();
  }],
  testReadline: [async (t, c) => {
    const line = await t.read_file.readline();
    assert.deepEqual(line, c.readMsg);
  }, async (t, c) => {
    await t.write_file.write(c.writeMsg);
    await t.write_file.flush();
  }],
  testCloseAfterMakefile: [async (t, c) => {
    await t.cli_conn.close();
    const msg = await t.read_file.read();
    assert.deepEqual(msg, c.readMsg);
  }, async (t, c) => {
    await t.write_file.write(c.writeMsg);
    await t.write_file.flush();
  }],
  testMakefileAfterMakefileClose: [async (t, c) => {
    await t.read_file.close();
    const data: Uint8Array = await t.cli_conn.recv(MSG.length);
    const msg = typeof c.readMsg === "string" ? new TextDecoder().decode(data) : data;
    assert.deepEqual(msg, c.readMsg);
  }, async (t, c) => {
    await t.write_file.write(c.writeMsg);
    await t.write_file.flush();
  }],
  testClosedAttr: [(t) => {
    assert.ok(!t.read_file.closed);
  }, (t) => {
    assert.ok(!t.write_file.closed);
  }],
  testAttributes: [(t, c) => {
    assert.equal(t.read_file.mode, c.readMode);
    assert.equal(t.read_file.name, t.cli_conn.fileno());
  }, (t, c) => {
    assert.equal(t.write_file.mode, c.writeMode);
    assert.equal(t.write_file.name, t.serv_conn.fileno());
  }],
  testRealClose: [async (t) => {
    await t.read_file.close();
    await raises(RangeError, () => t.read_file.fileno());
    await t.cli_conn.close();
    await raises(socket.OSError, () => t.cli_conn.getsockname());
  }, noop],
};

const UNBUFFERED_TESTS: Record<string, [FileHalf, FileHalf]> = {
  testUnbufferedReadline: [async (t, c) => {
    let line = await t.read_file.readline();
    assert.deepEqual(line, cat(utf8("A. "), c.writeMsg as Uint8Array));
    const first = t.read_file; // Python drops it: garbage collection closes it.
    t.addCleanup(() => first.close());
    t.read_file = t.cli_conn.makefile("rb", { buffering: 0 });
    line = await t.read_file.readline();
    assert.deepEqual(line, cat(utf8("B. "), c.writeMsg as Uint8Array));
  }, async (t, c) => {
    await t.write_file.write(cat(utf8("A. "), c.writeMsg as Uint8Array));
    await t.write_file.write(cat(utf8("B. "), c.writeMsg as Uint8Array));
    await t.write_file.flush();
  }],
  testMakefileClose: [async (t, c) => {
    await t.cli_conn.close();
    const msg = await t.cli_conn.recv(1024);
    assert.deepEqual(msg, c.readMsg);
    await t.read_file.close();
    await raises(socket.OSError, () => t.cli_conn.recv(1024));
  }, async (t, c) => {
    await t.write_file.write(c.writeMsg);
    await t.write_file.flush();
  }],
  testSmallReadNonBlocking: [async (t, c) => {
    t.cli_conn.setblocking(false);
    assert.equal(await t.read_file.readinto(new Uint8Array(10)), null);
    assert.equal(await t.read_file.read(c.readMsg.length - 3), null);
    t.evt1.set();
    await t.evt2.wait(1.0);
    let firstSeg = await t.read_file.read(c.readMsg.length - 3);
    if (firstSeg === null) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      firstSeg = await t.read_file.read(c.readMsg.length - 3);
    }
    const buf = new Uint8Array(10);
    const n = await t.read_file.readinto(buf);
    assert.equal(n, 3);
    assert.deepEqual(cat(firstSeg, buf.subarray(0, n)), c.readMsg);
    assert.equal(await t.read_file.readinto(new Uint8Array(16)), null);
    assert.equal(await t.read_file.read(1), null);
  }, async (t, c) => {
    await t.evt1.wait(1.0);
    await t.write_file.write(c.writeMsg);
    await t.write_file.flush();
    t.evt2.set();
    await t.serv_finished.wait(5.0);
  }],
  testWriteNonBlocking: [async (t) => {
    await t.cli_finished.wait(5.0);
    if (t.serv_skipped) assert.fail(`skipped: ${t.serv_skipped}`);
  }, async (t) => {
    t.serv_skipped = null;
    t.serv_conn.setblocking(false);
    const BIG = new Uint8Array(16 * 1024 * 1024).fill(0x78); // support.SOCK_MAX_SIZE
    const LIMIT = 10;
    let n = await t.write_file.write(BIG);
    assert.ok(n > 0);
    let i = 0;
    for (; i < LIMIT; i++) {
      n = await t.write_file.write(BIG);
      if (n === null) break;
      assert.ok(n > 0);
    }
    if (i === LIMIT) t.serv_skipped = "failed to saturate the socket buffer";
  }],
};

function fileClass(
  cls: string,
  c: FileClass,
  tests: Record<string, [FileHalf, FileHalf]>,
  ignores: Record<string, string>,
): void {
  for (const [name, [server, client]] of Object.entries(tests)) {
    fileTest(cls, c, name, server, client, name in ignores);
  }
}

// Why a file test is ignored, by test name (FAILS: pysocket is wrong;
// DIFFERENCE: a documented difference).
const FILE_IGNORES: Record<string, string> = {
  // DIFFERENCE: makefile: "a read that times out loses nothing and can be retried (Python's cannot)"
  testReadAfterTimeout: "DIFFERENCE",
};
const UNBUFFERED_IGNORES: Record<string, string> = {
  ...FILE_IGNORES,
  // DIFFERENCE: "File objects": an unbuffered non-blocking read()/readinto() with nothing to read raises BlockingIOError (Python: None)
  testSmallReadNonBlocking: "DIFFERENCE",
  // DIFFERENCE: "File objects": an unbuffered non-blocking write() the socket takes nothing of raises BlockingIOError (Python: None)
  testWriteNonBlocking: "DIFFERENCE",
};

// Each class is FileObjectClassTestCase with other settings; evt1, evt2,
// serv_finished and cli_finished are made before setUp.
const FILE_CLASSES: [
  string,
  FileClass,
  Record<string, [FileHalf, FileHalf]>,
  Record<string, string>,
][] = [
  ["FileObjectClassTestCase", FILE_BASE, FILE_TESTS, FILE_IGNORES],
  [
    "UnbufferedFileObjectClassTestCase",
    { ...FILE_BASE, bufsize: 0 },
    { ...FILE_TESTS, ...UNBUFFERED_TESTS },
    UNBUFFERED_IGNORES,
  ],
  ["LineBufferedFileObjectClassTestCase", { ...FILE_BASE, bufsize: 1 }, FILE_TESTS, FILE_IGNORES],
  ["SmallBufferedFileObjectClassTestCase", { ...FILE_BASE, bufsize: 2 }, FILE_TESTS, FILE_IGNORES],
  [
    "UnicodeReadFileObjectClassTestCase",
    { ...FILE_BASE, readMode: "r", readMsg: new TextDecoder().decode(MSG), newline: "" },
    FILE_TESTS,
    FILE_IGNORES,
  ],
  [
    "UnicodeWriteFileObjectClassTestCase",
    { ...FILE_BASE, writeMode: "w", writeMsg: new TextDecoder().decode(MSG), newline: "" },
    FILE_TESTS,
    FILE_IGNORES,
  ],
  [
    "UnicodeReadWriteFileObjectClassTestCase",
    {
      ...FILE_BASE,
      readMode: "r",
      readMsg: new TextDecoder().decode(MSG),
      writeMode: "w",
      writeMsg: new TextDecoder().decode(MSG),
      newline: "",
    },
    FILE_TESTS,
    FILE_IGNORES,
  ],
];
for (const [cls, c, tests, ignores] of FILE_CLASSES) fileClass(cls, c, tests, ignores);

// ---------------------------------------------------------------------------
// NetworkConnectionNoServer
// Not applicable: test_create_connection_timeout (replaces socket.socket by a
// mock class, which an ES module cannot do to another module).

test("NetworkConnectionNoServer.test_connect", async (t) => {
  const port = await findUnusedPort();
  const cli = t.track(socket.socket(socket.AF_INET, socket.SOCK_STREAM));
  const e = await raises(socket.OSError, () => cli.connect([HOST, port])) as socket.OSError;
  assert.equal(e.errno, socket.ECONNREFUSED);
});

test("NetworkConnectionNoServer.test_create_connection", async () => {
  const port = await findUnusedPort();
  const e = await raises(socket.OSError, () => socket.create_connection([HOST, port]));
  // socket_helper.get_socket_conn_refused_errs()
  const expected = [socket.ECONNREFUSED, socket.EADDRNOTAVAIL, socket.ENETUNREACH];
  assert.ok(expected.includes((e as socket.OSError).errno!));
});

test("NetworkConnectionNoServer.test_create_connection_all_errors", async () => {
  const port = await findUnusedPort();
  let eg: AggregateError;
  try {
    await (socket.create_connection as Any)([HOST, port], undefined, null, { all_errors: true });
    assert.fail("expected connection to fail");
  } catch (e) {
    eg = e as AggregateError;
  }
  assert.ok(eg instanceof AggregateError); // Python's ExceptionGroup
  for (const e of eg.errors) assert.ok(e instanceof socket.OSError);
  const addresses = await socket.getaddrinfo("localhost", port, 0, socket.SOCK_STREAM);
  assert.equal(addresses.length, eg.errors.length);
});

// ---------------------------------------------------------------------------
// NetworkConnectionAttributesTest (SocketTCPTest + ThreadableTest)

async function justAccept(t: Any): Promise<void> {
  const [conn] = await t.serv.accept();
  await conn.close();
}

function attributesTest(name: string, client: TCPHalf, options: { ignore?: boolean } = {}) {
  tcpTest(`NetworkConnectionAttributesTest.${name}`, justAccept, async (t) => {
    try {
      await client(t);
    } finally {
      await t.cli2?.close();
    }
  }, {
    ...options,
    clientSetUp: async (t) => void (t.source_port = await findUnusedPort()),
  });
}

// support.LOOPBACK_TIMEOUT
const LOOPBACK_TIMEOUT = 5;

attributesTest("testFamily", async (t) => {
  t.cli2 = await socket.create_connection([HOST, t.port], LOOPBACK_TIMEOUT);
  assert.equal(t.cli2.family, 2);
});

attributesTest("testSourceAddress", async (t) => {
  t.cli2 = await socket.create_connection([HOST, t.port], LOOPBACK_TIMEOUT, ["", t.source_port]);
  assert.equal(t.cli2.getsockname()[1], t.source_port);
}, { ignore: true }); // DIFFERENCE: create_connection's source_address must be a wildcard on port 0 (Deno cannot choose the source address)

attributesTest("testTimeoutDefault", async (t) => {
  assert.ok(socket.getdefaulttimeout() === null);
  socket.setdefaulttimeout(42);
  try {
    t.cli2 = await socket.create_connection([HOST, t.port]);
  } finally {
    socket.setdefaulttimeout(null);
  }
  assert.equal(t.cli2.gettimeout(), 42);
});

attributesTest("testTimeoutNone", async (t) => {
  assert.ok(socket.getdefaulttimeout() === null);
  socket.setdefaulttimeout(30);
  try {
    t.cli2 = await socket.create_connection([HOST, t.port], null);
  } finally {
    socket.setdefaulttimeout(null);
  }
  assert.equal(t.cli2.gettimeout(), null);
});

attributesTest("testTimeoutValueNamed", async (t) => {
  t.cli2 = await socket.create_connection([HOST, t.port], 30);
  assert.equal(t.cli2.gettimeout(), 30);
});

attributesTest("testTimeoutValueNonamed", async (t) => {
  t.cli2 = await socket.create_connection([HOST, t.port], 30);
  assert.equal(t.cli2.gettimeout(), 30);
});

// ---------------------------------------------------------------------------
// NetworkConnectionBehaviourTest (SocketTCPTest + ThreadableTest)

async function insideTimeout(t: Any): Promise<void> {
  const [conn] = await t.serv.accept();
  t.track(conn);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await conn.send(utf8("done!"));
}

tcpTest("NetworkConnectionBehaviourTest.testInsideTimeout", insideTimeout, async (t) => {
  const sock = t.track(await socket.create_connection([HOST, t.port]));
  const data = await sock.recv(5);
  assert.deepEqual(data, utf8("done!"));
});

tcpTest("NetworkConnectionBehaviourTest.testOutsideTimeout", insideTimeout, async (t) => {
  const sock = t.track(await socket.create_connection([HOST, t.port], 1));
  await raises(socket.TimeoutError, () => sock.recv(5));
});

// ---------------------------------------------------------------------------
// TCPTimeoutTest (SocketTCPTest), UDPTimeoutTest (SocketUDPTest)
// Not applicable: TCPTimeoutTest.testInterruptedTimeout (signal.alarm).

function tcpServer(t: Any): void {
  t.serv = t.track(socket.socket(socket.AF_INET, socket.SOCK_STREAM));
  t.serv.bind([HOST, 0]);
  t.serv.listen();
}

function udpServer(t: Any): void {
  t.serv = t.track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM));
  t.serv.bind([HOST, 0]);
}

test("TCPTimeoutTest.testTCPTimeout", async (t: Any) => {
  tcpServer(t);
  await raises(socket.TimeoutError, async () => {
    t.serv.settimeout(1.0);
    await t.serv.accept();
  }, "Error generating a timeout exception (TCP)");
});

test("TCPTimeoutTest.testTimeoutZero", async (t: Any) => {
  tcpServer(t);
  let ok = false;
  try {
    t.serv.settimeout(0.0);
    await t.serv.accept();
  } catch (e) {
    if (e instanceof socket.TimeoutError) assert.fail("caught timeout instead of error (TCP)");
    else if (e instanceof socket.OSError) ok = true;
    else assert.fail("caught unexpected exception (TCP)");
  }
  if (!ok) assert.fail("accept() returned success when we did not expect it");
});

test("UDPTimeoutTest.testUDPTimeout", async (t: Any) => {
  udpServer(t);
  await raises(socket.TimeoutError, async () => {
    t.serv.settimeout(1.0);
    await t.serv.recv(1024);
  }, "Error generating a timeout exception (UDP)");
});

test("UDPTimeoutTest.testTimeoutZero", async (t: Any) => {
  udpServer(t);
  let ok = false;
  try {
    t.serv.settimeout(0.0);
    await t.serv.recv(1024);
  } catch (e) {
    if (e instanceof socket.TimeoutError) assert.fail("caught timeout instead of error (UDP)");
    else if (e instanceof socket.OSError) ok = true;
    else assert.fail("caught unexpected exception (UDP)");
  }
  if (!ok) assert.fail("recv() returned success when we did not expect it");
});

// ---------------------------------------------------------------------------
// TestExceptions

test("TestExceptions.testExceptionTree", () => {
  assert.ok(socket.OSError.prototype instanceof Error);
  assert.ok(socket.herror.prototype instanceof socket.OSError);
  assert.ok(socket.gaierror.prototype instanceof socket.OSError);
  assert.ok(socket.timeout.prototype instanceof socket.OSError);
  assert.equal(socket.error, socket.OSError);
  assert.equal(socket.timeout, socket.TimeoutError);
});

test("TestExceptions.test_setblocking_invalidfd", async (t) => {
  const sock0 = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0);
  const sock = t.track(socketWithFileno(socket.AF_INET, socket.SOCK_STREAM, 0, sock0.fileno()));
  await sock0.close();
  t.addCleanup(() => (sock as Any).detach());
  await raises(socket.OSError, () => sock.setblocking(false));
}, { ignore: true }); // DIFFERENCE: socket(fileno=…) takes family/type/proto from the detached socket, and cannot make a second object over an open one ("Differences from Python")

// ---------------------------------------------------------------------------
// TestLinuxAbstractNamespace
// DIFFERENCE (all but testNameOverflow): abstract unix addresses are not
// supported, and unix sockets cannot be autobound ("Different, and how").

const UNIX_PATH_MAX = 108;

test("TestLinuxAbstractNamespace.testLinuxAbstractNamespace", async () => {
  const address = b("\x00python-test-hello\x00\xff");
  await using s1 = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
  s1.bind(address as Any);
  s1.listen();
  await using s2 = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
  await s2.connect(s1.getsockname());
  const [s3] = await s1.accept();
  await using _ = s3;
  assert.deepEqual(s1.getsockname(), address);
  assert.deepEqual(s2.getpeername(), address);
}, { ignore: true }); // DIFFERENCE: abstract unix addresses are not supported

test("TestLinuxAbstractNamespace.testMaxName", async () => {
  const address = cat(b("\x00"), repeat(b("h"), UNIX_PATH_MAX - 1));
  await using s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
  s.bind(address as Any);
  assert.deepEqual(s.getsockname(), address);
}, { ignore: true }); // DIFFERENCE: abstract unix addresses are not supported

test("TestLinuxAbstractNamespace.testNameOverflow", async () => {
  const address = "\x00" + "h".repeat(UNIX_PATH_MAX);
  await using s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
  await raises(socket.OSError, () => s.bind(address));
});

test("TestLinuxAbstractNamespace.testStrName", async () => {
  await using s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
  s.bind("\x00python\x00test\x00");
  assert.deepEqual(s.getsockname(), b("\x00python\x00test\x00"));
}, { ignore: true }); // DIFFERENCE: abstract unix addresses are not supported

test("TestLinuxAbstractNamespace.testBytearrayName", async () => {
  await using s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
  s.bind(new Uint8Array(b("\x00python\x00test\x00")) as Any);
  assert.deepEqual(s.getsockname(), b("\x00python\x00test\x00"));
}, { ignore: true }); // DIFFERENCE: abstract unix addresses are not supported

test("TestLinuxAbstractNamespace.testAutobind", async () => {
  const abstractAddress = /^\0[0-9a-f]{5}/;
  await using s1 = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
  s1.bind("");
  assert.match(new TextDecoder().decode(s1.getsockname() as Any), abstractAddress);
  await using s2 = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
  s2.bind("");
  assert.match(new TextDecoder().decode(s2.getsockname() as Any), abstractAddress);
  assert.notDeepEqual(s1.getsockname(), s2.getsockname());
}, { ignore: true }); // DIFFERENCE: unix sockets cannot be autobound

// ---------------------------------------------------------------------------
// TestUnixDomain (os_helper.TESTFN in a temporary directory)
// Not applicable: testEmptyAddress (skipped on Linux by CPython).

/** TestUnixDomain's setUp: `sock`, and a temporary directory for TESTFN. */
function unixTest(
  name: string,
  fn: (sock: socket.Socket, dir: string) => Promise<void> | void,
  options: { ignore?: boolean } = {},
) {
  test(`TestUnixDomain.${name}`, async (t) => {
    const sock = t.track(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM));
    const dir = await Deno.makeTempDir({ prefix: "pysocket_cpython_" });
    t.addCleanup(() => Deno.remove(dir, { recursive: true }));
    await fn(sock, dir);
  }, options);
}

const TESTFN = `@test_${Deno.pid}_tmp`;

/** TestUnixDomain.bind: socket_helper.bind_unix_socket (skips when the path is too long). */
function bindUnix(sock: socket.Socket, path: Any): void {
  sock.bind(path);
}

unixTest("testUnbound", (sock) => {
  assert.ok(["", null].includes(sock.getsockname() as Any));
});

unixTest("testStrAddr", (sock, dir) => {
  const path = `${dir}/${TESTFN}`;
  bindUnix(sock, path);
  assert.equal(sock.getsockname(), path);
});

unixTest("testBytesAddr", (sock, dir) => {
  const path = `${dir}/${TESTFN}`;
  bindUnix(sock, utf8(path));
  assert.equal(sock.getsockname(), path);
});

unixTest("testSurrogateescapeBind", (sock, dir) => {
  const path = `${dir}/${TESTFN}-\xe0\xf2\u0258\u0141\u011f`; // TESTFN_UNICODE
  // b.decode("ascii", "surrogateescape"): each non-ASCII byte as U+DC80+byte.
  const escaped = Array.from(utf8(path), (x) => String.fromCharCode(x < 128 ? x : 0xdc00 + x))
    .join("");
  bindUnix(sock, escaped);
  assert.equal(sock.getsockname(), path);
}, { ignore: true }); // DIFFERENCE: Deno's paths are strings: surrogate escapes U+DC80..U+DCFF in a unix path raise UnicodeEncodeError (Python binds the raw bytes, os.fsencode; "Differences from Python")

unixTest("testUnencodableAddr", (sock, dir) => {
  const path = `${dir}/${TESTFN}-\udcff`; // TESTFN_UNENCODABLE
  bindUnix(sock, path);
  assert.equal(sock.getsockname(), path);
}, { ignore: true }); // DIFFERENCE: Deno's paths are strings: "\udcff" in a unix path raises UnicodeEncodeError (Python binds byte 0xff, os.fsencode; "Differences from Python")

// ---------------------------------------------------------------------------
// BufferIOTest (SocketConnectedTest)
// array.array("B"), bytearray and memoryview are all Uint8Array here.

async function sendMsg(t: Any): Promise<void> {
  await t.serv_conn.send(new Uint8Array(MSG));
}

connectedTest("BufferIOTest.testRecvIntoArray", async (t) => {
  const buf = new Uint8Array(MSG.length);
  const nbytes = await t.cli_conn.recv_into(buf);
  assert.equal(nbytes, MSG.length);
  assert.deepEqual(buf.slice(0, MSG.length), MSG);
}, sendMsg);

connectedTest("BufferIOTest.testRecvIntoBytearray", async (t) => {
  const buf = new Uint8Array(1024);
  const nbytes = await t.cli_conn.recv_into(buf);
  assert.equal(nbytes, MSG.length);
  assert.deepEqual(buf.slice(0, MSG.length), MSG);
}, sendMsg);

connectedTest("BufferIOTest.testRecvIntoMemoryview", async (t) => {
  const buf = new Uint8Array(1024);
  const nbytes = await t.cli_conn.recv_into(new DataView(buf.buffer));
  assert.equal(nbytes, MSG.length);
  assert.deepEqual(buf.slice(0, MSG.length), MSG);
}, sendMsg);

connectedTest("BufferIOTest.testRecvFromIntoArray", async (t) => {
  const buf = new Uint8Array(MSG.length);
  const [nbytes] = await t.cli_conn.recvfrom_into(buf);
  assert.equal(nbytes, MSG.length);
  assert.deepEqual(buf.slice(0, MSG.length), MSG);
}, sendMsg);

connectedTest("BufferIOTest.testRecvFromIntoBytearray", async (t) => {
  const buf = new Uint8Array(1024);
  const [nbytes] = await t.cli_conn.recvfrom_into(buf);
  assert.equal(nbytes, MSG.length);
  assert.deepEqual(buf.slice(0, MSG.length), MSG);
}, sendMsg);

connectedTest("BufferIOTest.testRecvFromIntoMemoryview", async (t) => {
  const buf = new Uint8Array(1024);
  const [nbytes] = await t.cli_conn.recvfrom_into(new DataView(buf.buffer));
  assert.equal(nbytes, MSG.length);
  assert.deepEqual(buf.slice(0, MSG.length), MSG);
}, sendMsg);

connectedTest("BufferIOTest.testRecvFromIntoSmallBuffer", async (t) => {
  const buf = new Uint8Array(8);
  await raises(RangeError, () => t.cli_conn.recvfrom_into(buf, 1024));
}, async (t) => {
  await t.serv_conn.send(MSG);
});

connectedTest("BufferIOTest.testRecvFromIntoEmptyBuffer", async (t) => {
  const buf = new Uint8Array(0);
  await t.cli_conn.recvfrom_into(buf);
  await t.cli_conn.recvfrom_into(buf, 0);
}, sendMsg);

// ---------------------------------------------------------------------------
// ContextManagersTest (ThreadedTCPSocketTest); `with` is `await using`, and
// Python's `sock._closed` is `fileno() === -1`.

async function echoOnce(t: Any): Promise<void> {
  const [conn] = await t.serv.accept();
  t.track(conn);
  const data = await conn.recv(1024);
  await conn.sendall(data);
}

tcpTest("ContextManagersTest.testCreateConnectionBase", echoOnce, async (t) => {
  const address = t.serv.getsockname();
  const sock = await socket.create_connection(address as [string, number]);
  {
    await using _ = sock;
    assert.ok(!(sock.fileno() === -1));
    await sock.sendall(utf8("foo"));
    assert.deepEqual(await sock.recv(1024), utf8("foo"));
  }
  assert.ok(sock.fileno() === -1);
});

tcpTest("ContextManagersTest.testCreateConnectionClose", echoOnce, async (t) => {
  const address = t.serv.getsockname();
  const sock = await socket.create_connection(address as [string, number]);
  {
    await using _ = sock;
    await sock.close();
  }
  assert.ok(sock.fileno() === -1);
  await raises(socket.OSError, () => sock.sendall(utf8("foo")));
});

// ---------------------------------------------------------------------------
// InheritanceTest
// Not applicable: test_get_inheritable_cloexec, test_set_inheritable_cloexec
// (fcntl on a real descriptor).

test("InheritanceTest.test_SOCK_CLOEXEC", async () => {
  await using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_CLOEXEC);
  assert.equal(s.type, socket.SOCK_STREAM);
  assert.equal((s as Any).get_inheritable(), false);
}, { ignore: true }); // DIFFERENCE: get_inheritable is not supported

test("InheritanceTest.test_default_inheritable", async () => {
  await using sock = socket.socket();
  assert.equal((sock as Any).get_inheritable(), false);
}, { ignore: true }); // DIFFERENCE: get_inheritable is not supported

test("InheritanceTest.test_dup", async () => {
  await using sock = socket.socket();
  const newsock = (sock as Any).dup() as socket.Socket;
  await sock.close();
  await using _ = newsock;
  assert.equal((newsock as Any).get_inheritable(), false);
}, { ignore: true }); // DIFFERENCE: dup and get_inheritable are not supported

test("InheritanceTest.test_set_inheritable", async () => {
  await using sock = socket.socket();
  (sock as Any).set_inheritable(true);
  assert.equal((sock as Any).get_inheritable(), true);
  (sock as Any).set_inheritable(false);
  assert.equal((sock as Any).get_inheritable(), false);
}, { ignore: true }); // DIFFERENCE: set_inheritable / get_inheritable are not supported

test("InheritanceTest.test_socketpair", async (t) => {
  const [s1, s2] = await socket.socketpair();
  t.track(s1);
  t.track(s2);
  assert.equal((s1 as Any).get_inheritable(), false);
  assert.equal((s2 as Any).get_inheritable(), false);
}, { ignore: true }); // DIFFERENCE: get_inheritable is not supported

// ---------------------------------------------------------------------------
// NonblockConstantTest (checkNonblock's fcntl(O_NONBLOCK) part does not apply)

function checkNonblock(s: socket.Socket, nonblock = true, timeout = 0.0): void {
  if (nonblock) {
    assert.equal(s.type, socket.SOCK_STREAM);
    assert.equal(s.gettimeout(), timeout);
    if (timeout === 0) assert.ok(!s.getblocking());
    else assert.ok(s.getblocking());
  } else {
    assert.equal(s.type, socket.SOCK_STREAM);
    assert.equal(s.gettimeout(), null);
    assert.ok(s.getblocking());
  }
}

test("NonblockConstantTest.test_SOCK_NONBLOCK", async () => {
  {
    await using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK);
    checkNonblock(s);
    s.setblocking(true);
    checkNonblock(s, false);
    s.setblocking(false);
    checkNonblock(s);
    s.settimeout(null);
    checkNonblock(s, false);
    s.settimeout(2.0);
    checkNonblock(s, true, 2.0);
    s.setblocking(true);
    checkNonblock(s, false);
  }
  const t = socket.getdefaulttimeout();
  try {
    socket.setdefaulttimeout(0.0);
    {
      await using s = socket.socket();
      checkNonblock(s);
    }
    socket.setdefaulttimeout(null);
    {
      await using s = socket.socket();
      checkNonblock(s, false);
    }
    socket.setdefaulttimeout(2.0);
    {
      await using s = socket.socket();
      checkNonblock(s, true, 2.0);
    }
    socket.setdefaulttimeout(null);
    {
      await using s = socket.socket();
      checkNonblock(s, false);
    }
  } finally {
    socket.setdefaulttimeout(t);
  }
});

// ---------------------------------------------------------------------------
// CreateServerTest, CreateServerFunctionalTest

test("CreateServerTest.test_address", async () => {
  const port = await findUnusedPort();
  {
    await using sock = socket.create_server(["127.0.0.1", port]);
    assert.equal(sock.getsockname()[0], "127.0.0.1");
    assert.equal(sock.getsockname()[1], port);
  }
  await using sock = socket.create_server(["::1", port], { family: socket.AF_INET6 });
  assert.equal(sock.getsockname()[0], "::1");
  assert.equal(sock.getsockname()[1], port);
});

test("CreateServerTest.test_family_and_type", async () => {
  const sock = socket.create_server(["127.0.0.1", 0]);
  {
    await using _ = sock;
    assert.equal(sock.family, socket.AF_INET);
    assert.equal(sock.type, socket.SOCK_STREAM);
  }
  await using s = socket.create_server(["::1", 0], { family: socket.AF_INET6 });
  assert.equal(s.family, socket.AF_INET6);
  assert.equal(sock.type, socket.SOCK_STREAM);
});

test("CreateServerTest.test_reuse_port", async () => {
  {
    await using sock = socket.create_server(["localhost", 0]);
    const opt = sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT);
    assert.equal(opt, 0);
  }
  await using sock = socket.create_server(["localhost", 0], { reuse_port: true });
  const opt = sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT);
  assert.notEqual(opt, 0);
});

test("CreateServerTest.test_ipv6_only_default", async () => {
  await using sock = socket.create_server(["::1", 0], { family: socket.AF_INET6 });
  assert.ok(sock.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY));
});

test("CreateServerTest.test_dualstack_ipv6_family", async () => {
  if (!socket.has_dualstack_ipv6()) return; // skipIf(not has_dualstack_ipv6())
  await using sock = socket.create_server(["::1", 0], {
    family: socket.AF_INET6,
    dualstack_ipv6: true,
  });
  assert.equal(sock.family, socket.AF_INET6);
});

/** CreateServerFunctionalTest: echo_server (a task instead of a thread) and echo_client. */
async function serverFunctional(
  t: Any,
  address: [string, number],
  options: socket.CreateServerOptions,
  clientAddr: [string, number],
  family: number,
): Promise<void> {
  const timeout = LOOPBACK_TIMEOUT;
  const sock = t.track(socket.create_server(address, options));
  const event = new Event();
  sock.settimeout(timeout);
  const run = async () => {
    await using _ = sock;
    const [conn] = await sock.accept();
    await using __ = conn;
    await event.wait(timeout);
    const msg = await conn.recv(1024);
    if (msg.length === 0) return;
    await conn.sendall(msg);
  };
  const server = run();
  event.set();
  const client = async () => {
    await using c = socket.socket(family);
    c.settimeout(timeout);
    await c.connect(clientAddr);
    await c.sendall(utf8("foo"));
    assert.deepEqual(await c.recv(1024), utf8("foo"));
  };
  await Promise.all([server, client()]);
}

test("CreateServerFunctionalTest.test_tcp4", async (t) => {
  const port = await findUnusedPort();
  await serverFunctional(t, ["", port], {}, ["127.0.0.1", port], socket.AF_INET);
});

test("CreateServerFunctionalTest.test_tcp6", async (t) => {
  const port = await findUnusedPort();
  await serverFunctional(
    t,
    ["", port],
    { family: socket.AF_INET6 },
    ["::1", port],
    socket.AF_INET6,
  );
});

test("CreateServerFunctionalTest.test_dual_stack_client_v4", async (t) => {
  if (!socket.has_dualstack_ipv6()) return;
  const port = await findUnusedPort();
  await serverFunctional(t, ["", port], { family: socket.AF_INET6, dualstack_ipv6: true }, [
    "127.0.0.1",
    port,
  ], socket.AF_INET);
});

test("CreateServerFunctionalTest.test_dual_stack_client_v6", async (t) => {
  if (!socket.has_dualstack_ipv6()) return;
  const port = await findUnusedPort();
  await serverFunctional(t, ["", port], { family: socket.AF_INET6, dualstack_ipv6: true }, [
    "::1",
    port,
  ], socket.AF_INET6);
});

// ---------------------------------------------------------------------------
// SendfileUsingSendTest (ThreadedTCPSocketTest). CPython's meth_from_sock
// picks the private _sendfile_use_send; pysocket's public sendfile() is that
// implementation ("copies through the socket"), so it is the method here.
// Not applicable: SendfileUsingSendfileTest (os.sendfile; pysocket has no
// sendfile(2), "Different, and how").

const FILESIZE = 10 * 1024 * 1024;
const BUFSIZE = 8192;
const FILEDATA: Uint8Array = (() => {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let seed = 7;
  const chunk = Uint8Array.from({ length: BUFSIZE }, () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return letters.charCodeAt(seed % letters.length);
  });
  const data = new Uint8Array(FILESIZE);
  for (let at = 0; at < FILESIZE; at += BUFSIZE) data.set(chunk.subarray(0, FILESIZE - at), at);
  return data;
})();

async function acceptConn(t: Any): Promise<socket.Socket> {
  t.serv.settimeout(30); // support.LONG_TIMEOUT
  const [conn] = await t.serv.accept();
  conn.settimeout(LOOPBACK_TIMEOUT);
  return t.track(conn);
}

async function recvData(conn: socket.Socket): Promise<Uint8Array> {
  const received: Uint8Array[] = [];
  while (true) {
    const chunk = await conn.recv(BUFSIZE);
    if (chunk.length === 0) break;
    received.push(chunk);
  }
  return cat(...received);
}

/** setUpClass: TESTFN holding FILEDATA, in a temporary directory removed at tear-down. */
async function testFile(t: Any, data: Uint8Array = FILEDATA): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "pysocket_cpython_" });
  t.addCleanup(() => Deno.remove(dir, { recursive: true }));
  const path = `${dir}/${TESTFN}`;
  await Deno.writeFile(path, data);
  return path;
}

function tell(file: Deno.FsFile): Promise<number> {
  return file.seek(0, Deno.SeekMode.Current);
}

function sendfileTest(
  name: string,
  server: TCPHalf,
  client: TCPHalf,
  options: { ignore?: boolean } = {},
) {
  tcpTest(`SendfileUsingSendTest.${name}`, server, client, { timeout: 30, ...options });
}

sendfileTest("testRegularFile", async (t) => {
  const conn = await acceptConn(t);
  const data = await recvData(conn);
  assert.equal(data.length, FILESIZE);
  assert.ok(data.every((x, i) => x === FILEDATA[i]));
}, async (t) => {
  const address = t.serv.getsockname();
  using file = await Deno.open(await testFile(t));
  await using sock = await socket.create_connection(address);
  const sent = await sock.sendfile(file);
  assert.equal(sent, FILESIZE);
  assert.equal(await tell(file), FILESIZE);
});

sendfileTest("testNonRegularFile", async (t) => {
  const conn = await acceptConn(t);
  const data = await recvData(conn);
  assert.equal(data.length, FILESIZE);
  assert.ok(data.every((x, i) => x === FILEDATA[i]));
}, async (t) => {
  const address = t.serv.getsockname();
  const file = new Blob([FILEDATA as Uint8Array<ArrayBuffer>]).stream(); // io.BytesIO(FILEDATA)
  await using sock = await socket.create_connection(address);
  const sent = await sock.sendfile(file as Any);
  assert.equal(sent, FILESIZE);
}, { ignore: true }); // DIFFERENCE: sendfile takes a Deno.FsFile only

sendfileTest("testEmptyFileSend", async (t) => {
  const conn = await acceptConn(t);
  const data = await recvData(conn);
  assert.deepEqual(data, b(""));
}, async (t) => {
  const address = t.serv.getsockname();
  using file = await Deno.open(await testFile(t, new Uint8Array(0)));
  await using sock = await socket.create_connection(address);
  const sent = await sock.sendfile(file);
  assert.equal(sent, 0);
  assert.equal(await tell(file), 0);
});

sendfileTest("testOffset", async (t) => {
  const conn = await acceptConn(t);
  const data = await recvData(conn);
  assert.equal(data.length, FILESIZE - 5000);
  assert.ok(data.every((x, i) => x === FILEDATA[5000 + i]));
}, async (t) => {
  const address = t.serv.getsockname();
  using file = await Deno.open(await testFile(t));
  await using sock = await socket.create_connection(address);
  const sent = await sock.sendfile(file, 5000);
  assert.equal(sent, FILESIZE - 5000);
  assert.equal(await tell(file), FILESIZE);
});

sendfileTest("testCount", async (t) => {
  const count = 5000007;
  const conn = await acceptConn(t);
  const data = await recvData(conn);
  assert.equal(data.length, count);
  assert.ok(data.every((x, i) => x === FILEDATA[i]));
}, async (t) => {
  const address = t.serv.getsockname();
  using file = await Deno.open(await testFile(t));
  await using sock = await socket.create_connection(address, LOOPBACK_TIMEOUT);
  const count = 5000007;
  const sent = await sock.sendfile(file, 0, count);
  assert.equal(sent, count);
  assert.equal(await tell(file), count);
});

sendfileTest("testCountSmall", async (t) => {
  const count = 1;
  const conn = await acceptConn(t);
  const data = await recvData(conn);
  assert.equal(data.length, count);
  assert.deepEqual(data, FILEDATA.slice(0, count));
}, async (t) => {
  const address = t.serv.getsockname();
  using file = await Deno.open(await testFile(t));
  await using sock = await socket.create_connection(address, LOOPBACK_TIMEOUT);
  const count = 1;
  const sent = await sock.sendfile(file, 0, count);
  assert.equal(sent, count);
  assert.equal(await tell(file), count);
});

sendfileTest("testCountWithOffset", async (t) => {
  const count = 100007;
  const conn = await acceptConn(t);
  const data = await recvData(conn);
  assert.equal(data.length, count);
  assert.deepEqual(data, FILEDATA.slice(2007, count + 2007));
}, async (t) => {
  const address = t.serv.getsockname();
  using file = await Deno.open(await testFile(t));
  await using sock = await socket.create_connection(address, 2);
  const count = 100007;
  const sent = await sock.sendfile(file, 2007, count);
  assert.equal(sent, count);
  assert.equal(await tell(file), count + 2007);
});

sendfileTest("testNonBlocking", async (t) => {
  const conn = await acceptConn(t);
  if ((await conn.recv(8192)).length > 0) assert.fail("was not supposed to receive any data");
}, async (t) => {
  const address = t.serv.getsockname();
  using file = await Deno.open(await testFile(t));
  await using sock = await socket.create_connection(address);
  sock.setblocking(false);
  await raises(RangeError, () => sock.sendfile(file));
  await raises(RangeError, () => sock.sendfile(file));
});

sendfileTest("testWithTimeout", async (t) => {
  const conn = await acceptConn(t);
  const data = await recvData(conn);
  assert.equal(data.length, FILESIZE);
  assert.ok(data.every((x, i) => x === FILEDATA[i]));
}, async (t) => {
  const address = t.serv.getsockname();
  using file = await Deno.open(await testFile(t));
  await using sock = await socket.create_connection(address, LOOPBACK_TIMEOUT);
  const sent = await sock.sendfile(file);
  assert.equal(sent, FILESIZE);
});

sendfileTest("testWithTimeoutTriggeredSend", async (t) => {
  const conn = await acceptConn(t);
  await conn.recv(88192);
  await new Promise((resolve) => setTimeout(resolve, 1000));
}, async (t) => {
  const address = t.serv.getsockname();
  using file = await Deno.open(await testFile(t));
  await using sock = await socket.create_connection(address);
  sock.settimeout(0.01);
  await raises(socket.TimeoutError, () => sock.sendfile(file));
});

sendfileTest("test_errors", async (t) => {
  const path = await testFile(t);
  {
    using file = await Deno.open(path);
    await using s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    const e = await raises(RangeError, () => s.sendfile(file));
    assert.match(e.message, /SOCK_STREAM/);
  }
  // (open(TESTFN, encoding="utf-8"), a text file: Deno has no text-mode
  // files; the "binary mode" check has nothing to translate to.)
  {
    using file = await Deno.open(path);
    await using s = socket.socket();
    let e = await raises(TypeError, () => s.sendfile(file, 0, "2" as Any));
    assert.match(e.message, /positive integer/);
    e = await raises(TypeError, () => s.sendfile(file, 0, 0.1));
    assert.match(e.message, /positive integer/);
    e = await raises(RangeError, () => s.sendfile(file, 0, 0));
    assert.match(e.message, /positive integer/);
    e = await raises(RangeError, () => s.sendfile(file, 0, -1));
    assert.match(e.message, /positive integer/);
  }
}, noop);
