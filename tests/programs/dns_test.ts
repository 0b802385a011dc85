// Copyright 2025 the pysocket authors. MIT license.
// A DNS stub client ported from dnspython's dns.query (tests/programs/
// _dns_client.ts) against a real DNS server, Debian's dnsmasq on
// 127.0.0.1 (_dns_server.ts); the same queries made by a python3 script
// are the oracle. A python3 peer checks that replies from the wrong
// address or with the wrong id are ignored.

import assert from "node:assert/strict";
import * as socket from "../../mod.ts";
import { pythonJSON, timesOut, withPythonPeer } from "../_utils.ts";
import {
  A,
  AAAA,
  FLAG_TC,
  makeQuery,
  messageId,
  parseResponse,
  tcp,
  tcpPipelined,
  TXT,
  udp,
  udpNonBlocking,
  udpWithFallback,
} from "./_dns_client.ts";
import { canRunDnsmasq, startDnsmasq } from "./_dns_server.ts";

const ignore = !canRunDnsmasq();
if (ignore) console.log("dns_test: dnsmasq not installed (apt-get install dnsmasq); skipped");

const HOSTS = [
  "10.9.8.7 one.test",
  "fd00::7 one.test",
  ...Array.from({ length: 40 }, (_, i) => `10.0.1.${i + 1} many.test`),
];
const TXTS = { "big.test": ["x".repeat(250), "y".repeat(250), "z".repeat(200)] };

const QUESTIONS: [string, number][] = [
  ["one.test", A],
  ["one.test", AAAA],
  ["many.test", A],
  ["big.test", TXT],
  ["nope.test", A],
];

interface Answer {
  tcFlagOnUdp: boolean;
  flags: number;
  rcode: number;
  counts: number[];
  answers: string[];
}

// The same queries from python3 (socket module, same wire format).
function oracle(port: number): Promise<Answer[]> {
  return pythonJSON(
    `
import json, socket, struct, random
def query(name, t):
    w = struct.pack(">HHHHHH", random.getrandbits(16), 0x0100, 1, 0, 0, 0)
    w += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\\0"
    return w + struct.pack(">HH", t, 1)
def skip(w, at):
    while True:
        n = w[at]
        if n == 0: return at + 1
        if n & 0xc0 == 0xc0: return at + 2
        at += 1 + n
def parse(w):
    flags = struct.unpack(">H", w[2:4])[0]
    counts = list(struct.unpack(">HHHH", w[4:12]))
    at = 12
    for _ in range(counts[0]): at = skip(w, at) + 4
    out = []
    for _ in range(counts[1]):
        at = skip(w, at)
        t, _, _, n = struct.unpack(">HHIH", w[at:at + 10])
        d = w[at + 10:at + 10 + n]; at += 10 + n
        if t == 1: out.append("A " + socket.inet_ntop(socket.AF_INET, d))
        elif t == 28: out.append("AAAA " + socket.inet_ntop(socket.AF_INET6, d))
        elif t == 16:
            s, j = [], 0
            while j < len(d): s.append(d[j + 1:j + 1 + d[j]].decode()); j += 1 + d[j]
            out.append("TXT " + " ".join(s))
    return flags, counts, out
res = []
where = ("127.0.0.1", ${port})
for name, t in ${JSON.stringify(QUESTIONS)}:
    q = query(name, t)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(5)
    u.sendto(q, where)
    while True:
        w, src = u.recvfrom(65535)
        if src == where and w[:2] == q[:2]: break
    u.close()
    tc = bool(parse(w)[0] & 0x0200)
    if tc:
        s = socket.create_connection(where, 5)
        s.sendall(struct.pack(">H", len(q)) + q)
        def read(n):
            b = b""
            while len(b) < n:
                c = s.recv(n - len(b))
                if not c: raise EOFError
                b += c
            return b
        w = read(struct.unpack(">H", read(2))[0]); s.close()
    flags, counts, answers = parse(w)
    res.append({"tcFlagOnUdp": tc, "flags": flags, "rcode": flags & 15, "counts": counts, "answers": answers})
print(json.dumps(res))
`,
    { timeout: 20 },
  );
}

Deno.test({
  name: "dns: dnsmasq, A / AAAA / NXDOMAIN over UDP, TC answers retried over TCP, as python3",
  ignore,
  async fn() {
    await using server = await startDnsmasq(HOSTS, TXTS);
    const where: [string, number] = ["127.0.0.1", server.port];
    const expected = await oracle(server.port);
    const got: Answer[] = [];
    for (const [name, type] of QUESTIONS) {
      const query = makeQuery(name, type);
      const { wire: first } = await udp(query, where, 5);
      assert.equal(messageId(first), messageId(query));
      // dnspython's real wait: non-blocking socket + selectors.
      const nb = await udpNonBlocking(query, where, 5);
      assert.equal(messageId(nb.wire), messageId(query));
      // (A truncated answer holds a rotating subset: compare flags only.)
      assert.equal(parseResponse(nb.wire).flags, parseResponse(first).flags);
      if (!(parseResponse(first).flags & FLAG_TC)) {
        assert.deepEqual(
          [...parseResponse(nb.wire).answers].sort(),
          [...parseResponse(first).answers].sort(),
        );
      }
      assert.equal(nb.wouldBlock, 0, "readable means recvfrom does not block");
      const { wire, tcp: usedTcp } = await udpWithFallback(query, where, 5);
      assert.equal(messageId(wire), messageId(query));
      const p = parseResponse(wire);
      got.push({
        tcFlagOnUdp: usedTcp,
        flags: p.flags,
        rcode: p.rcode,
        counts: p.counts,
        answers: [...p.answers].sort(), // dnsmasq rotates the order of a set
      });
      assert.equal(usedTcp, (parseResponse(first).flags & FLAG_TC) !== 0);
    }
    for (const e of expected) e.answers.sort();
    assert.deepEqual(got, expected);
    // And against the hosts file itself.
    assert.deepEqual(got[0].answers, ["A 10.9.8.7"]);
    assert.deepEqual(got[1].answers, ["AAAA fd00::7"]);
    assert.equal(got[2].tcFlagOnUdp, true, "40 A records do not fit in 512 bytes");
    assert.deepEqual(
      got[2].answers,
      Array.from({ length: 40 }, (_, i) => `A 10.0.1.${i + 1}`).sort(),
    );
    assert.equal(got[3].tcFlagOnUdp, true);
    assert.deepEqual(got[3].answers, [`TXT ${TXTS["big.test"].join(" ")}`]);
    assert.equal(got[4].rcode, 5, "REFUSED: no upstream for a name it does not know");
  },
});

Deno.test({
  name: "dns: dnsmasq, 200 concurrent UDP queries on one port each, and TCP directly",
  ignore,
  async fn() {
    await using server = await startDnsmasq(HOSTS, TXTS);
    const where: [string, number] = ["127.0.0.1", server.port];
    const results = await Promise.all(
      Array.from({ length: 200 }, () => udp(makeQuery("one.test", A), where, 5)),
    );
    for (const { wire, ignored } of results) {
      assert.equal(ignored, 0);
      assert.deepEqual(parseResponse(wire).answers, ["A 10.9.8.7"]);
    }
    const big = parseResponse(await tcp(makeQuery("big.test", TXT), where, 5));
    assert.equal(big.flags & FLAG_TC, 0);
    assert.equal(big.answers.length, 1);
  },
});

Deno.test({
  name: "dns: recvfrom loop ignores a reply from the wrong address and one with the wrong id",
  async fn() {
    // A python3 "server" that answers first from another socket, then with
    // the wrong id, then correctly.
    const script = `
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); other.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
q, src = s.recvfrom(512)
other.sendto(q[:2] + b"\\x81\\x80" + q[4:], src)
s.sendto(struct.pack(">H", (struct.unpack(">H", q[:2])[0] + 1) & 0xffff) + b"\\x81\\x80" + q[4:], src)
s.sendto(q[:2] + b"\\x81\\x80" + q[4:], src)
print("sent")
`;
    for (const recv of [udp, udpNonBlocking]) {
      await withPythonPeer(script, async (peer) => {
        const query = makeQuery("example.test", A, 0x4242);
        const { wire, ignored } = await recv(query, ["127.0.0.1", peer.port], 5);
        assert.equal(ignored, 2, recv.name);
        assert.equal(messageId(wire), 0x4242);
        assert.equal(parseResponse(wire).flags, 0x8180);
        assert.equal(await peer.line(), "sent");
        assert.equal((await peer.wait()).code, 0);
      });
    }
  },
});

Deno.test({
  name: "dns: no answer: recvfrom times out after settimeout's seconds",
  async fn() {
    await using quiet = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    quiet.bind(["127.0.0.1", 0]);
    const where = quiet.getsockname() as [string, number];
    await timesOut(udp(makeQuery("one.test", A), where, 0.2), 0.2);
    await timesOut(udpNonBlocking(makeQuery("one.test", A), where, 0.2), 0.2);
    // The queries did arrive.
    for (let i = 0; i < 2; i++) {
      const [q] = await quiet.recvfrom(512);
      assert.equal(parseResponse(q).counts[0], 1);
    }
  },
});

Deno.test({
  name:
    "dns: dnsmasq, EDNS0 (4096): the 40 records come whole over UDP; 10 queries pipelined on one TCP connection",
  ignore,
  async fn() {
    await using server = await startDnsmasq(HOSTS, TXTS);
    const where: [string, number] = ["127.0.0.1", server.port];
    const { wire } = await udp(makeQuery("many.test", A, undefined, 4096), where, 5);
    assert.ok(wire.length > 512, `one ${wire.length}-byte datagram`);
    const p = parseResponse(wire);
    assert.equal(p.flags & FLAG_TC, 0);
    assert.equal(p.answers.length, 40);
    const queries = Array.from(
      { length: 10 },
      (_, i) => makeQuery(i % 2 ? "many.test" : "big.test", i % 2 ? A : TXT, 1000 + i),
    );
    const answers = await tcpPipelined(queries, where, 5);
    assert.deepEqual([...answers.keys()].sort(), queries.map(messageId).sort());
    for (const [id, w] of answers) {
      assert.equal(parseResponse(w).answers.length, id % 2 ? 40 : 1);
    }
  },
});
