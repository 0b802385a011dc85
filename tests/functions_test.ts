// Copyright 2025 the pysocket authors. MIT license.
/**
 * Tests of functions.ts. Python is the oracle: each table of inputs is sent
 * to one python3 process, which calls the `socket` function of the same
 * name on each and reports the result or the error (class, message, errno);
 * the TypeScript function must give the same on this machine.
 */

import assert from "node:assert/strict";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  AF_UNSPEC,
  AI_ADDRCONFIG,
  AI_ALL,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_NUMERICSERV,
  AI_PASSIVE,
  AI_V4MAPPED,
  EADDRINUSE,
  ECONNREFUSED,
  EOPNOTSUPP,
  IPPROTO_SCTP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  NI_DGRAM,
  NI_NAMEREQD,
  NI_NOFQDN,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_SEQPACKET,
  SOCK_STREAM,
} from "../constants.ts";
import { ConnectionRefusedError, gaierror, OSError, TimeoutError } from "../errors.ts";
import * as functions from "../functions.ts";
import {
  create_connection,
  create_server,
  getaddrinfo,
  gethostname,
  has_dualstack_ipv6,
  socketpair,
} from "../functions.ts";
import { getdefaulttimeout, setdefaulttimeout, type Socket } from "../socket.ts";
import { pythonJSON, rejects, text, throws } from "./_utils.ts";

// ------------------------------------------------------------ the oracle

/** A value as JSON for both sides: bytes, big integers and floats tagged. */
type Wire =
  | null
  | boolean
  | number
  | string
  | Wire[]
  | { $b: string }
  | { $int: string }
  | { $float: number };

/** One call: the function's name and its arguments. */
type Case = [fn: string, args: Wire[]];

/** What python3 reported for a call. */
type Outcome = { ok: Wire } | {
  err: string;
  msg: string;
  errno: number | null;
};

// Arrays become tuples (addresses are tuples in Python).
const ORACLE = `
import json, socket, sys
def dec(v):
    if isinstance(v, dict):
        if "$b" in v: return bytes.fromhex(v["$b"])
        if "$int" in v: return int(v["$int"])
        if "$float" in v: return float(v["$float"])
    if isinstance(v, list): return tuple(dec(x) for x in v)
    return v
def enc(v):
    if isinstance(v, (bytes, bytearray)): return {"$b": bytes(v).hex()}
    if isinstance(v, (list, tuple)): return [enc(x) for x in v]
    if isinstance(v, bool) or v is None or isinstance(v, str): return v
    if isinstance(v, int): return int(v) if abs(v) < 2**53 else {"$int": str(v)}
    return v
out = []
for fn, args in json.load(sys.stdin):
    try:
        out.append({"ok": enc(getattr(socket, fn)(*[dec(a) for a in args]))})
    except Exception as e:
        errno = e.errno if isinstance(e, OSError) else None
        out.append({"err": type(e).__name__, "msg": str(e), "errno": errno})
print(json.dumps(out))
`;

function b(hex: string): Wire {
  return { $b: hex };
}

function big(n: bigint): Wire {
  return { $int: String(n) };
}

function float(x: number): Wire {
  return { $float: x };
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** A wire argument as the TypeScript function takes it. */
function decode(v: Wire): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") {
    if ("$b" in v) {
      return new Uint8Array(
        (v.$b.match(/../g) ?? []).map((x) => parseInt(x, 16)),
      );
    }
    if ("$int" in v) {
      const n = BigInt(v.$int);
      return Number.isSafeInteger(Number(n)) ? Number(n) : n;
    }
    if ("$float" in v) return v.$float;
  }
  return v;
}

/** A TypeScript result in the wire form, to compare with Python's. */
function encode(v: unknown): Wire {
  if (v instanceof Uint8Array) return { $b: hex(v) };
  if (Array.isArray(v)) return v.map(encode);
  return v as Wire;
}

// The TypeScript side of each function name.
const FUNCTIONS = functions as unknown as Record<
  string,
  (...args: unknown[]) => unknown
>;

// Python's exception class → the class the TypeScript function must throw.
function expectedClass(pyClass: string): string {
  if (
    pyClass === "ValueError" || pyClass === "OverflowError" ||
    pyClass === "UnicodeError"
  ) return "RangeError";
  return pyClass;
}

/**
 * Runs every case through python3 (one process) and through functions.ts,
 * and returns a description of each disagreement.
 */
async function compareWithPython(cases: Case[]): Promise<string[]> {
  const outcomes = await pythonJSON<Outcome[]>(ORACLE, {
    stdin: JSON.stringify(cases),
    timeout: 60,
  });
  assert.equal(outcomes.length, cases.length);
  const problems: string[] = [];
  for (const [i, [fn, args]] of cases.entries()) {
    const expected = outcomes[i];
    const call = `${fn}(${args.map((a) => JSON.stringify(a)).join(", ")})`;
    let actual: Outcome;
    try {
      actual = { ok: encode(await FUNCTIONS[fn](...args.map(decode))) };
    } catch (e) {
      const err = e as Error & { errno?: number | null };
      actual = { err: err.name, msg: err.message, errno: err.errno ?? null };
    }
    if ("ok" in expected) {
      try {
        assert.deepEqual(actual, expected);
      } catch {
        problems.push(
          `${call}: python3 ${JSON.stringify(expected)}, pysocket ${JSON.stringify(actual)}`,
        );
      }
      continue;
    }
    const want = {
      err: expectedClass(expected.err),
      msg: expected.msg,
      errno: expected.errno,
    };
    if (
      "ok" in actual || actual.err !== want.err || actual.msg !== want.msg ||
      actual.errno !== want.errno
    ) {
      problems.push(
        `${call}: python3 ${JSON.stringify(expected)}, pysocket ${JSON.stringify(actual)}`,
      );
    }
  }
  return problems;
}

// ----------------------------------------------------- conversion tables

const INET_ATON_INPUTS: string[] = [
  "127.0.0.1",
  "0.0.0.0",
  "255.255.255.255",
  "127.1",
  "1",
  "0",
  "1.2.3",
  "1.2.256",
  "1.65536",
  "1.16777215",
  "1.16777216",
  "0x7f.1",
  "0X7F.0.0.1",
  "0177.0.0.1",
  "0x7f000001",
  "017700000001",
  "4294967295",
  "4294967296",
  "0xffffffff",
  "0x100000000",
  "00000000000000000000001",
  "1.0x2.3.4",
  "1.2.3.4 ",
  "1.2.3.4\n",
  "1.2.3.4 garbage",
  "1.2.3.4\tx",
  "1.2.3.4x",
  "  1.2.3.4",
  "",
  "1.2.3.4.5",
  "1.2.3.256",
  "256.1",
  "1..2",
  "1.",
  "1.2.3.4.",
  ".1",
  "0x",
  "0x.1",
  "09",
  "08.1",
  "0xg",
  "1.2.3.-4",
  "+1.2.3.4",
  "1e1",
  "a.b.c.d",
  "localhost",
  "１.2.3.4",
  "99999999999999999999999",
];

const INET_PTON4_INPUTS: string[] = [
  "1.2.3.4",
  "0.0.0.0",
  "255.255.255.255",
  "127.1",
  "01.2.3.4",
  "1.2.3.00",
  "256.0.0.0",
  "1.2.3.4 ",
  "1.2.3",
  "1.2.3.4.",
  "0x1.2.3.4",
  "",
];

const INET_PTON6_INPUTS: string[] = [
  "::",
  "::1",
  "1::",
  "1:2:3:4:5:6:7:8",
  "1:2:3:4:5:6:7::",
  "::2:3:4:5:6:7:8",
  "1::8",
  "1:0:0:0:0:0:0:8",
  "ABCD::EF",
  "0001::",
  "::ffff:1.2.3.4",
  "::1.2.3.4",
  "1:2:3:4:5:6:1.2.3.4",
  "fe80::1%lo",
  "fe80::1%1",
  "1:2:3:4:5:6:7:1.2.3.4",
  "::ffff:1.2.3",
  "::ffff:01.2.3.4",
  "::ffff:256.1.1.1",
  "12345::",
  "00001::",
  "1:::2",
  "1::2::3",
  ":1::",
  ":::",
  "1:",
  "1:2:3:4:5:6:7:8:9",
  "1:2:3:4:5:6:7::8",
  "g::",
  "",
  " ::",
  "::1 ",
];

const INET_NTOP6_INPUTS: string[] = [
  "00000000000000000000000000000000",
  "00000000000000000000000000000001",
  "00010000000000000000000000000000",
  "0000000000000000000000000000ffff",
  "00000000000000000000ffff01020304",
  "00000000000000000000000001020304",
  "00000000000000000000000101020304",
  "00010000000000000001000000000001",
  "00010002000300040005000600070008",
  "00010000000200000000000000000003",
  "abcd0000000000000000000000000000",
  "0000000000000000ffff000000000000",
  "00000000000000000000ffff00000000",
  "00000000000000000000000000010000",
  "00010001000000000001000100000000",
  "00000000000000000000fffe01020304",
  "0000000000000000ffff000001020304",
  "00010000000100000000000000000000",
  "fe800000000000000000000000000001",
  "20010db8000000000000000000000001",
  "000000000000000000000000000000",
  "0000000000000000000000000000000000",
];

const INTEGERS: Wire[] = [
  0,
  1,
  0x1234,
  0xffff,
  0x10000,
  0x12345678,
  0x7fffffff,
  0x80000000,
  0xffffffff,
  0x100000000,
  -1,
  -0x80000000,
  -0x80000001,
  big(2n ** 63n - 1n),
  big(2n ** 63n),
  big(2n ** 64n - 1n),
  big(2n ** 64n),
  big(-(2n ** 63n) - 1n),
  float(1.5),
  "1",
  null,
  true,
];

function conversionCases(): Case[] {
  const cases: Case[] = [];
  for (const s of INET_ATON_INPUTS) cases.push(["inet_aton", [s]]);
  cases.push(["inet_aton", ["1.2.3.4\0"]], ["inet_aton", [b("31")]], [
    "inet_aton",
    [5],
  ], ["inet_aton", [null]]);
  for (const h of ["7f000001", "ffffffff", "", "010203", "0102030405"]) {
    cases.push(["inet_ntoa", [b(h)]]);
  }
  cases.push(["inet_ntoa", ["abcd"]], ["inet_ntoa", [5]], ["inet_ntoa", [
    null,
  ]]);
  for (const s of INET_PTON4_INPUTS) cases.push(["inet_pton", [AF_INET, s]]);
  for (const s of INET_PTON6_INPUTS) cases.push(["inet_pton", [AF_INET6, s]]);
  cases.push(
    ["inet_pton", [AF_UNIX, "1.2.3.4"]],
    ["inet_pton", [99, "x"]],
    ["inet_pton", [AF_INET, b("31")]],
    ["inet_pton", ["2", "1.2.3.4"]],
    ["inet_pton", [AF_INET, "1.2.3.4\0"]],
  );
  for (const h of ["7f000001", "00000000", "7f0000", ""]) {
    cases.push(["inet_ntop", [AF_INET, b(h)]]);
  }
  for (const h of INET_NTOP6_INPUTS) {
    cases.push(["inet_ntop", [AF_INET6, b(h)]]);
  }
  cases.push(
    ["inet_ntop", [AF_INET6, b("31323334")]],
    ["inet_ntop", [99, b("31323334")]],
    ["inet_ntop", [AF_UNIX, b("31323334")]],
    ["inet_ntop", [AF_INET, "1234"]],
  );
  for (const fn of ["htons", "ntohs", "htonl", "ntohl"]) {
    for (const x of INTEGERS) cases.push([fn, [x]]);
  }
  return cases;
}

function databaseCases(): Case[] {
  const cases: Case[] = [];
  for (
    const args of [
      ["http"],
      ["http", "tcp"],
      ["http", "udp"],
      ["www"],
      ["domain", "udp"],
      ["HTTP"],
      ["nosuch"],
      ["http", "sctp"],
      ["http", ""],
      [""],
      ["80"],
      ["ssh", "TCP"],
      ["amqp", "sctp"],
      [b("68747470")],
      ["http", null],
      ["ht\0tp"],
    ] as Wire[][]
  ) cases.push(["getservbyname", args]);
  for (
    const args of [
      [80],
      [80, "tcp"],
      [80, "udp"],
      [53, "udp"],
      [22, "udp"],
      [1],
      [7, "udp"],
      [0],
      [65535],
      [65536],
      [-1],
      [0x80000000],
      ["80"],
      [float(80.5)],
      [80, ""],
      [80, null],
    ] as Wire[][]
  ) cases.push(["getservbyport", args]);
  for (
    const name of [
      "tcp",
      "udp",
      "icmp",
      "ip",
      "TCP",
      "IPv6",
      "ipv6-icmp",
      "sctp",
      "raw",
      "nosuch",
      "",
      "0",
    ]
  ) {
    cases.push(["getprotobyname", [name]]);
  }
  cases.push(["getprotobyname", [b("746370")]], ["getprotobyname", [null]]);
  return cases;
}

Deno.test("inet_aton(), inet_ntoa(), inet_pton(), inet_ntop(), htons() and friends match python3", async () => {
  const cases = conversionCases();
  assert.ok(cases.length >= 200, `${cases.length} cases`);
  const problems = await compareWithPython(cases);
  assert.deepEqual(
    problems,
    [],
    `${problems.length} of ${cases.length} differ:\n${problems.join("\n")}`,
  );
});

Deno.test("getservbyname(), getservbyport() and getprotobyname() match python3", async () => {
  const cases = databaseCases();
  const problems = await compareWithPython(cases);
  assert.deepEqual(
    problems,
    [],
    `${problems.length} of ${cases.length} differ:\n${problems.join("\n")}`,
  );
});

// ------------------------------------------------------------ resolution

function getaddrinfoCases(): Case[] {
  const cases: Wire[][] = [
    ["localhost", 80],
    ["localhost", null],
    ["localhost", "http"],
    ["localhost", "domain"],
    ["localhost", "amqp"],
    ["localhost", "ssh", AF_INET, SOCK_STREAM],
    ["localhost", "nosuch"],
    ["localhost", "80"],
    ["localhost", " 80"],
    ["localhost", "080"],
    ["localhost", "+80"],
    ["localhost", "80 "],
    ["localhost", "0x50"],
    ["localhost", ""],
    ["localhost", "-1"],
    ["localhost", "4294967297"],
    ["localhost", "-4294967295"],
    ["localhost", 70000],
    ["localhost", -1],
    ["localhost", 0x80000000],
    ["localhost", big(2n ** 63n)],
    ["localhost", float(80.5)],
    ["localhost", b("3830")],
    ["LocalHost", 80],
    ["localhost.", 80],
    ["127.0.0.1", 80],
    ["127.1", 80],
    ["0x7f.1", 80],
    ["0", 80],
    ["1.2.3.4 ", 80],
    ["256.1.1.1", 80],
    ["::1", 80],
    ["::ffff:1.2.3.4", 80],
    ["::ffff:1.2.3.4", 80, AF_INET],
    ["fe80::1%lo", 80],
    ["fe80::1%1", 80],
    ["fe80::1%99", 80],
    ["fe80::1%nosuch", 80],
    ["fe80::1%", 80],
    ["::1%lo", 80],
    ["::1%1", 80],
    [null, 80],
    [null, 0],
    [null, ""],
    [null, null],
    ["", 80],
    [null, 80, AF_UNSPEC, 0, 0, AI_PASSIVE],
    [null, 80, AF_INET, 0, 0, AI_PASSIVE],
    [null, 80, AF_INET6, 0, 0, AI_PASSIVE],
    [null, 80, AF_INET6],
    [null, 80, AF_INET],
    [null, 80, AF_UNSPEC, SOCK_STREAM],
    [null, 80, AF_UNSPEC, 0, 0, AI_CANONNAME],
    ["localhost", 80, AF_INET],
    ["localhost", 80, AF_INET6],
    ["localhost", 80, AF_UNIX],
    ["localhost", 80, 99],
    ["127.1", 80, AF_INET6],
    ["::1", 80, AF_INET],
    ["127.0.0.1", 80, AF_INET6, 0, 0, AI_V4MAPPED],
    ["localhost", 80, AF_INET6, 0, 0, AI_V4MAPPED],
    ["localhost", 80, AF_INET6, 0, 0, AI_V4MAPPED | AI_ALL],
    ["localhost", 80, AF_UNSPEC, 0, 0, AI_V4MAPPED],
    ["localhost", 80, AF_INET6, 0, 0, AI_V4MAPPED | AI_CANONNAME],
    ["localhost", 80, AF_UNSPEC, SOCK_STREAM],
    ["localhost", 80, AF_UNSPEC, SOCK_DGRAM],
    ["localhost", 80, AF_UNSPEC, SOCK_RAW],
    ["localhost", null, AF_UNSPEC, SOCK_RAW],
    ["localhost", null, AF_UNSPEC, SOCK_RAW, 99],
    ["localhost", 80, AF_UNSPEC, SOCK_SEQPACKET],
    ["localhost", 80, AF_UNSPEC, 99],
    ["localhost", 80, AF_UNSPEC, 0, IPPROTO_TCP],
    ["localhost", 80, AF_UNSPEC, 0, IPPROTO_UDP],
    ["localhost", 80, AF_UNSPEC, 0, IPPROTO_SCTP],
    ["localhost", 80, AF_UNSPEC, 0, 99],
    ["localhost", 80, AF_UNSPEC, SOCK_STREAM, IPPROTO_UDP],
    ["localhost", "http", AF_UNSPEC, SOCK_DGRAM],
    ["localhost", "http", AF_UNSPEC, 0, IPPROTO_SCTP],
    ["localhost", 80, AF_UNSPEC, 0, 0, AI_CANONNAME],
    ["LOCALHOST", 80, AF_UNSPEC, 0, 0, AI_CANONNAME],
    ["127.0.0.1", 80, AF_UNSPEC, 0, 0, AI_CANONNAME],
    ["::1", 80, AF_UNSPEC, 0, 0, AI_CANONNAME],
    ["localhost", 80, AF_UNSPEC, SOCK_STREAM, 0, AI_CANONNAME],
    ["localhost", 80, AF_UNSPEC, 0, 0, AI_NUMERICHOST],
    ["127.1", 80, AF_UNSPEC, 0, 0, AI_NUMERICHOST],
    ["nonexistent.invalid", 80, AF_UNSPEC, 0, 0, AI_NUMERICHOST],
    ["localhost", "http", AF_UNSPEC, 0, 0, AI_NUMERICSERV],
    ["localhost", "80", AF_UNSPEC, 0, 0, AI_NUMERICSERV],
    ["localhost", 80, AF_UNSPEC, 0, 0, AI_ADDRCONFIG],
    [null, 80, AF_UNSPEC, 0, 0, AI_ADDRCONFIG],
    ["localhost", 80, AF_UNSPEC, 0, 0, 0x4000],
    [null, null, 99, 0, 0, 0x4000],
    [null, 80, 99, 0, 0, 0x4000],
    ["localhost", 80, 99, 99],
    ["localhost", "nosuch", 99],
    ["nonexistent.invalid", 80],
    ["nonexistent.invalid", "nosuch"],
    ["nonexistent.invalid", 80, AF_UNSPEC, 99],
    ["<broadcast>", 80],
    ["a..b", 80],
    ["a".repeat(64), 80],
    ["é.invalid", 80],
    ["localhost\0x", 80],
    ["localhost", "8\x000"],
    [123, 80],
    ["localhost", 80, "2"],
    ["localhost", 80, 0x80000000],
  ];
  const host = Deno.hostname();
  cases.push([host, 80], [host, 80, AF_UNSPEC, SOCK_STREAM, 0, AI_CANONNAME]);
  return cases.map((args) => ["getaddrinfo", args]);
}

function lookupCases(): Case[] {
  const host = Deno.hostname();
  const names = [
    "localhost",
    "LocalHost",
    host,
    "127.0.0.1",
    "127.1",
    "127.000.0.1",
    "0x7f.1",
    "4294967295",
    "0",
    "::1",
    "",
    "<broadcast>",
    "255.255.255.255",
    "0.0.0.0",
    "1.2.3.4",
    "::ffff:1.2.3.4",
    "fe80::1%lo",
    "nonexistent.invalid",
    "999.1.1.1",
    "1.2.3.4.",
    " localhost",
    "a..b",
  ];
  // gethostbyaddr() of an address missing from /etc/hosts asks DNS: a few
  // such addresses are enough.
  const reverse = new Set([
    "localhost",
    "LocalHost",
    host,
    "127.0.0.1",
    "127.1",
    "0x7f.1",
    "::1",
    "",
    "<broadcast>",
    "1.2.3.4",
    "nonexistent.invalid",
    "a..b",
  ]);
  const cases: Case[] = [];
  for (const name of names) {
    cases.push(["gethostbyname", [name]], ["gethostbyname_ex", [name]]);
    if (reverse.has(name)) cases.push(["gethostbyaddr", [name]]);
  }
  cases.push(
    ["gethostbyname", [null]],
    ["gethostbyname", [5]],
    ["gethostbyname", [b("6c6f63616c686f7374")]],
    ["gethostbyname", ["local\0host"]],
    ["gethostbyaddr", [null]],
  );
  for (
    const name of [
      "",
      "localhost",
      host,
      "127.0.0.1",
      "::1",
      "0.0.0.0",
      "::",
      "  localhost  ",
    ]
  ) {
    cases.push(["getfqdn", [name]]);
  }
  cases.push(["getfqdn", []], ["gethostname", []]);
  const nameinfo: [Wire, Wire][] = [
    [["127.0.0.1", 80], 0],
    [["127.0.0.1", 80], NI_NUMERICHOST],
    [["127.0.0.1", 80], NI_NUMERICSERV],
    [["127.0.0.1", 53], NI_DGRAM],
    [["127.0.0.1", 22], NI_DGRAM],
    [["127.0.0.1", 7], NI_DGRAM],
    [["127.0.0.1", 1], 0],
    [["127.0.0.1", 0], 0],
    [["127.0.0.1", 65535], 0],
    [["127.0.0.1", 70000], 0],
    [["127.0.0.1", -1], 0],
    [["127.0.0.1", 80], NI_NOFQDN],
    [["127.0.0.1", 80], NI_NAMEREQD],
    [["127.0.0.1", 80], 32],
    [["127.0.0.1", 80], 256],
    [["127.0.0.1", 80], 99999],
    [["127.1", 80], 0],
    [["::1", 80], 0],
    [["::1", 80], NI_NAMEREQD | NI_DGRAM],
    // Reverse look-ups of an address not in /etc/hosts reach DNS: the
    // variations below ask for the numeric host to spare the resolver.
    [["::1", 80, 0, 0], NI_NUMERICHOST],
    [["::1", 80, 1, 5], NI_NUMERICHOST],
    [["::1", 80, 0, -1], NI_NUMERICHOST | NI_NUMERICSERV],
    [["::1", 80, 0x100000, 0], 0],
    [["::1", 80, -1, 0], 0],
    [["fe80::1", 80, 0, 1], 0],
    [["fe80::1", 80, 0, 1], NI_NUMERICHOST],
    [["fe80::1%lo", 80], NI_NUMERICHOST],
    [["::ffff:127.0.0.1", 80], 0],
    [["1.2.3.4", 80], NI_NAMEREQD],
    [["localhost", 80], 0],
    [["", 80], 0],
    [["a..b", 80], 0],
    [["127.0.0.1", 80, 0, 0], 0],
    [["127.0.0.1", 80, 0], 0],
    [["127.0.0.1"], 0],
    [["127.0.0.1", 80, 0, 0, 0], 0],
    [["127.0.0.1", "80"], 0],
    [["::1", 80, "x"], 0],
    [[1, 80], 0],
    [[null, 80], 0],
    [["127.0.0.1", 80], "0"],
    ["127.0.0.1", 0],
  ];
  for (const [sockaddr, flags] of nameinfo) {
    cases.push(["getnameinfo", [sockaddr, flags]]);
  }
  return cases;
}

// The fuzz: each argument of each function crossed with values Python
// refuses in different ways (past C's int and long, floats, strings, None,
// lone surrogates, NUL characters).
function fuzzCases(): Case[] {
  const strings: Wire[] = ["\ud800", "\udcff", "a\udfffb", "a\0b", "", "x".repeat(300)];
  const ints: Wire[] = [
    2 ** 31,
    2 ** 32,
    big(2n ** 63n),
    big(2n ** 64n),
    -1,
    -(2 ** 31) - 1,
    big(-(2n ** 64n)),
    float(1.5),
    "1",
    null,
    true,
  ];
  const cases: Case[] = [];
  const withString: [string, (v: Wire) => Wire[]][] = [
    ["inet_aton", (v) => [v]],
    ["inet_pton", (v) => [2, v]],
    ["inet_pton", (v) => [10, v]],
    ["gethostbyname", (v) => [v]],
    ["gethostbyname_ex", (v) => [v]],
    ["gethostbyaddr", (v) => [v]],
    ["getaddrinfo", (v) => [v, 80]],
    ["getaddrinfo", (v) => ["127.0.0.1", v]],
    ["getnameinfo", (v) => [[v, 80], 0]],
    ["getservbyname", (v) => [v]],
    ["getservbyname", (v) => ["http", v]],
    ["getservbyport", (v) => [80, v]],
    ["getprotobyname", (v) => [v]],
    ["if_nametoindex", (v) => [v]],
  ];
  for (const [fn, args] of withString) {
    for (const v of strings) cases.push([fn, args(v)]);
  }
  const withInt: [string, (v: Wire) => Wire[]][] = [
    ["htons", (v) => [v]],
    ["ntohs", (v) => [v]],
    ["htonl", (v) => [v]],
    ["ntohl", (v) => [v]],
    ["getservbyport", (v) => [v]],
    ["inet_pton", (v) => [v, "1.2.3.4"]],
    ["inet_ntop", (v) => [v, b("01020304")]],
    ["getaddrinfo", (v) => ["127.0.0.1", v]],
    ["getaddrinfo", (v) => ["127.0.0.1", 80, v]],
    ["getaddrinfo", (v) => ["127.0.0.1", 80, 0, v]],
    ["getaddrinfo", (v) => ["127.0.0.1", 80, 0, 0, v]],
    ["getaddrinfo", (v) => ["127.0.0.1", 80, 0, 0, 0, v]],
    ["getnameinfo", (v) => [["127.0.0.1", v], 0]],
    ["getnameinfo", (v) => [["127.0.0.1", 80], v]],
    ["getnameinfo", (v) => [["::1", 80, v, 0], 0]],
    ["if_indextoname", (v) => [v]],
    ["CMSG_LEN", (v) => [v]],
    ["CMSG_SPACE", (v) => [v]],
  ];
  for (const [fn, args] of withInt) {
    for (const v of ints) cases.push([fn, args(v)]);
  }
  for (const n of [0, 1, 5, 8, 2147483624, 2147483625, 2147483631, 2147483632]) {
    cases.push(["CMSG_LEN", [n]], ["CMSG_SPACE", [n]]);
  }
  cases.push(["if_indextoname", [1]], ["if_indextoname", [0]], ["if_indextoname", [99999]]);
  cases.push(["if_nametoindex", ["lo"]], ["if_nametoindex", ["nonexistent0"]]);
  cases.push(["if_nameindex", []]);
  return cases;
}

Deno.test("module functions reject bad input as python3 does (fuzz of every argument)", async () => {
  const cases = fuzzCases();
  assert.ok(cases.length >= 300, `${cases.length} cases`);
  const problems = await compareWithPython(cases);
  assert.deepEqual(
    problems,
    [],
    `${problems.length} of ${cases.length} differ:\n${problems.join("\n")}`,
  );
});

Deno.test("getaddrinfo() matches python3 on this machine: entries, order, flags, families, types and errors", async () => {
  const cases = getaddrinfoCases();
  const problems = await compareWithPython(cases);
  assert.deepEqual(
    problems,
    [],
    `${problems.length} of ${cases.length} differ:\n${problems.join("\n")}`,
  );
});

Deno.test("gethostbyname(), gethostbyname_ex(), gethostbyaddr(), getfqdn(), getnameinfo() and gethostname() match python3", async () => {
  const cases = lookupCases();
  const problems = await compareWithPython(cases);
  assert.deepEqual(
    problems,
    [],
    `${problems.length} of ${cases.length} differ:\n${problems.join("\n")}`,
  );
});

Deno.test("getaddrinfo() raises gaierror EAI_NONAME for a name under .invalid", async () => {
  await rejects(getaddrinfo("nonexistent.invalid", 80), gaierror, {
    errno: -2,
    message: "[Errno -2] Name or service not known",
  });
});

Deno.test("getaddrinfo() gives localhost's loopback address, whatever else it gives", async () => {
  const entries = await getaddrinfo("localhost", 8080, AF_UNSPEC, SOCK_STREAM);
  assert.ok(entries.length >= 1);
  for (const [family, type, proto, canonname, sockaddr] of entries) {
    assert.equal(type, SOCK_STREAM);
    assert.equal(proto, IPPROTO_TCP);
    assert.equal(canonname, "");
    assert.ok(
      family === AF_INET ? sockaddr[0] === "127.0.0.1" : sockaddr[0] === "::1",
      `unexpected ${JSON.stringify(sockaddr)}`,
    );
  }
});

Deno.test("gethostname() equals python3's socket.gethostname()", async () => {
  const expected = await pythonJSON<string>(
    "import json, socket; print(json.dumps(socket.gethostname()))",
  );
  assert.equal(gethostname(), expected);
});

// ------------------------------------------------ convenience constructors

/** Python's message for binding an address that is in use, for the same address. */
async function pythonBindInUseMessage(
  host: string,
  port: number,
): Promise<string> {
  return await pythonJSON<string>(
    `import json, socket
s = socket.create_server((${JSON.stringify(host)}, 0))
port = s.getsockname()[1]
try:
    socket.create_server((${JSON.stringify(host)}, port))
except OSError as e:
    print(json.dumps(str(e).replace(str(port), "PORT")))`,
  ).then((m) => m.replace("PORT", String(port)));
}

Deno.test("create_connection() tries each address in order: a server only on 127.0.0.1 for a null host", async () => {
  await using server = create_server(["127.0.0.1", 0]);
  const [, port] = server.getsockname() as [string, number];
  // getaddrinfo(null, port) is [::1, 127.0.0.1]: ::1 is refused, then 127.0.0.1 connects.
  const order = (await getaddrinfo(null, port, 0, SOCK_STREAM)).map((e) => e[4][0]);
  assert.deepEqual(order, ["::1", "127.0.0.1"]);
  await using client = await create_connection([null, port]);
  assert.equal(client.family, AF_INET);
  assert.deepEqual(client.getpeername(), ["127.0.0.1", port]);
  const [conn] = await server.accept();
  await conn.close();
});

Deno.test("create_connection() tries each address in order: a server only on ::1 for a null host", async () => {
  await using server = create_server(["::1", 0], { family: AF_INET6 });
  const [, port] = server.getsockname() as [string, number];
  await using client = await create_connection([null, port]);
  assert.equal(client.family, AF_INET6);
  assert.deepEqual(client.getpeername(), ["::1", port, 0, 0]);
  const [conn] = await server.accept();
  await conn.close();
});

Deno.test("create_connection() connects to localhost through the OS resolver", async () => {
  await using server = create_server(["127.0.0.1", 0]);
  const [, port] = server.getsockname() as [string, number];
  await using client = await create_connection(["localhost", port]);
  const [conn] = await server.accept();
  await client.sendall("hello");
  assert.equal(text(await conn.recv(5)), "hello");
  await conn.close();
});

/** A port nothing listens on, on both loopback addresses. */
async function closedPort(): Promise<number> {
  const sock = create_server(["::", 0], {
    family: AF_INET6,
    dualstack_ipv6: has_dualstack_ipv6(),
  });
  const [, port] = sock.getsockname() as [string, number];
  await sock.close();
  return port;
}

Deno.test("create_connection() raises the last attempt's error when every address refuses", async () => {
  const port = await closedPort();
  await rejects(create_connection([null, port]), ConnectionRefusedError, {
    errno: ECONNREFUSED,
    message: `[Errno ${ECONNREFUSED}] Connection refused`,
  });
});

Deno.test("create_connection() with all_errors rejects with every attempt's error", async () => {
  const port = await closedPort();
  const error = await rejects(
    create_connection([null, port], undefined, null, { all_errors: true }),
    AggregateError,
    {
      message: "create_connection failed",
    },
  ) as AggregateError;
  assert.equal(error.errors.length, 2);
  for (const e of error.errors) {
    assert.ok(e instanceof ConnectionRefusedError);
    assert.equal(e.errno, ECONNREFUSED);
  }
});

Deno.test("create_connection() leaves its timeout set on the socket, and omitted means getdefaulttimeout()", async () => {
  await using server = create_server(["127.0.0.1", 0], { backlog: 8 });
  const address: [string, number] = [
    "127.0.0.1",
    (server.getsockname() as [string, number])[1],
  ];
  const sockets: Socket[] = [];
  const previous = getdefaulttimeout();
  try {
    setdefaulttimeout(7);
    sockets.push(await create_connection(address, 2.5));
    assert.equal(sockets.at(-1)!.gettimeout(), 2.5);
    sockets.push(await create_connection(address));
    assert.equal(sockets.at(-1)!.gettimeout(), 7);
    sockets.push(await create_connection(address, null));
    assert.equal(sockets.at(-1)!.gettimeout(), null);
  } finally {
    setdefaulttimeout(previous);
    for (const s of sockets) await s.close();
  }
});

Deno.test("create_connection() times out each attempt against a server whose backlog is full", async () => {
  // A backlog of 0 holds one connection; later handshakes get no answer.
  const listener = Deno.listen({
    hostname: "127.0.0.1",
    port: 0,
    tcpBacklog: 0,
  });
  const port = (listener.addr as Deno.NetAddr).port;
  const filler = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const start = performance.now();
    await rejects(create_connection(["127.0.0.1", port], 0.3), TimeoutError, {
      errno: null,
      message: "timed out",
    });
    const elapsed = performance.now() - start;
    assert.ok(elapsed >= 250 && elapsed < 5000, `${elapsed} ms`);
  } finally {
    filler.close();
    listener.close();
  }
});

Deno.test("create_connection() binds source_address before connecting, as Python", async () => {
  await using server = create_server(["127.0.0.1", 0]);
  const address: [string, number] = [
    "127.0.0.1",
    (server.getsockname() as [string, number])[1],
  ];
  // A chosen source host (127.0.0.2 is loopback too on Linux) and port 0.
  await using client = await create_connection(address, undefined, ["127.0.0.2", 0]);
  const [conn, peer] = await server.accept();
  assert.equal((peer as [string, number])[0], "127.0.0.2");
  assert.deepEqual(peer, client.getsockname());
  await conn.close();
  // A wildcard source (what Python programs pass by default) connects as usual.
  await using other = await create_connection(address, undefined, ["", 0]);
  const [conn2] = await server.accept();
  assert.deepEqual(conn2.getpeername(), other.getsockname());
  await conn2.close();
});

Deno.test("create_server() binds, listens and sets SO_REUSEADDR as Python on POSIX", async () => {
  await using server = create_server(["127.0.0.1", 0]);
  const [host, port] = server.getsockname() as [string, number];
  assert.equal(host, "127.0.0.1");
  assert.ok(port > 0);
  assert.equal(server.type, SOCK_STREAM);
  assert.equal(server.getsockopt(1, /* SOL_SOCKET */ 2 /* SO_REUSEADDR */), 1);
  await using client = await create_connection(["127.0.0.1", port]);
  const [conn, peer] = await server.accept();
  assert.deepEqual(peer, client.getsockname());
  await conn.close();
});

Deno.test("create_server() with reuse_port lets two servers share a port", async () => {
  await using first = create_server(["127.0.0.1", 0], { reuse_port: true });
  const [, port] = first.getsockname() as [string, number];
  await using second = create_server(["127.0.0.1", port], { reuse_port: true });
  assert.deepEqual(second.getsockname(), ["127.0.0.1", port]);
});

Deno.test("create_server() without reuse_port raises Python's EADDRINUSE message", async () => {
  await using first = create_server(["127.0.0.1", 0]);
  const [, port] = first.getsockname() as [string, number];
  const expected = await pythonBindInUseMessage("127.0.0.1", port);
  throws(() => create_server(["127.0.0.1", port]), OSError, {
    errno: EADDRINUSE,
    message: expected,
  });
  assert.match(
    expected,
    /\(while attempting to bind on address \('127\.0\.0\.1', \d+\)\)$/,
  );
});

Deno.test("has_dualstack_ipv6() equals python3's", async () => {
  const expected = await pythonJSON<boolean>(
    "import json, socket; print(json.dumps(socket.has_dualstack_ipv6()))",
  );
  assert.equal(has_dualstack_ipv6(), expected);
});

Deno.test("create_server() with dualstack_ipv6 accepts IPv4 and IPv6 clients on one socket", async () => {
  await using server = create_server(["::", 0], {
    family: AF_INET6,
    dualstack_ipv6: true,
  });
  const [, port] = server.getsockname() as [string, number];
  await using v4 = await create_connection(["127.0.0.1", port]);
  const [conn4, peer4] = await server.accept();
  assert.equal(peer4[0], "::ffff:127.0.0.1");
  await using v6 = await create_connection(["::1", port]);
  const [conn6, peer6] = await server.accept();
  assert.equal(peer6[0], "::1");
  await v4.sendall("4");
  await v6.sendall("6");
  assert.equal(text(await conn4.recv(1)), "4");
  assert.equal(text(await conn6.recv(1)), "6");
  await conn4.close();
  await conn6.close();
});

Deno.test("create_server() refuses dualstack_ipv6 for AF_INET, as Python", () => {
  throws(() => create_server(["", 0], { dualstack_ipv6: true }), RangeError, {
    message: "dualstack_ipv6 requires AF_INET6 family",
  });
});

for (
  const [name, family] of [["AF_UNIX (the default)", null], [
    "AF_INET",
    AF_INET,
  ], ["AF_INET6", AF_INET6]] as const
) {
  Deno.test(`socketpair() over ${name} gives two sockets connected both ways`, async () => {
    const before = tempEntries();
    const [a, b] = await socketpair(family);
    try {
      assert.equal(a.family, family ?? AF_UNIX);
      assert.equal(b.type, SOCK_STREAM);
      await a.sendall("ping");
      assert.equal(text(await b.recv(4)), "ping");
      await b.sendall("pong");
      assert.equal(text(await a.recv(4)), "pong");
      await a.shutdown(1 /* SHUT_WR */);
      assert.equal((await b.recv(10)).length, 0);
    } finally {
      await a.close();
      await b.close();
    }
    assert.deepEqual(
      tempEntries(),
      before,
      "the temporary socket directory is removed",
    );
  });
}

/** The pysocket temporary directories that exist now. */
function tempEntries(): string[] {
  const dir = Deno.env.get("TMPDIR") ?? "/tmp";
  return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith("pysocket-"))
    .sort();
}

Deno.test("socketpair() gives both sockets the default timeout, as Python", async () => {
  const previous = getdefaulttimeout();
  setdefaulttimeout(3);
  try {
    const [a, b] = await socketpair();
    assert.equal(a.gettimeout(), 3);
    assert.equal(b.gettimeout(), 3);
    await a.close();
    await b.close();
  } finally {
    setdefaulttimeout(previous);
  }
});

Deno.test("socketpair() refuses SOCK_DGRAM with EOPNOTSUPP", async () => {
  await rejects(socketpair(AF_UNIX, SOCK_DGRAM), OSError, {
    errno: EOPNOTSUPP,
  });
});
