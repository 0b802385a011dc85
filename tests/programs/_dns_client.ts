// Copyright 2025 the pysocket authors. MIT license.
/**
 * A minimal DNS stub client, its socket usage ported from dnspython's
 * `dns.query.udp` / `dns.query.tcp` (receive loop ignoring replies from the
 * wrong address or with the wrong id, TCP with a 2-byte length prefix),
 * plus the little wire format it needs (A, AAAA, TXT).
 *
 * @module
 */

import * as socket from "../../mod.ts";

/** Record types used by the tests. */
export const A = 1, TXT = 16, AAAA = 28;
/** The TC (truncated) flag. */
export const FLAG_TC = 0x0200;

/**
 * A query in wire format, with a random id (as dnspython's `make_query`);
 * `payload` adds an EDNS0 OPT record advertising that UDP payload size.
 */
export function makeQuery(
  name: string,
  rdtype: number,
  id?: number,
  payload?: number,
): Uint8Array {
  const qid = id ?? crypto.getRandomValues(new Uint16Array(1))[0];
  const labels = name.split(".").filter((l) => l !== "");
  const size = 12 + labels.reduce((n, l) => n + 1 + l.length, 0) + 1 + 4 +
    (payload === undefined ? 0 : 11);
  const wire = new Uint8Array(size);
  const view = new DataView(wire.buffer);
  view.setUint16(0, qid);
  view.setUint16(2, 0x0100); // RD
  view.setUint16(4, 1);
  let at = 12;
  for (const label of labels) {
    wire[at++] = label.length;
    for (const c of label) wire[at++] = c.charCodeAt(0);
  }
  wire[at++] = 0;
  view.setUint16(at, rdtype);
  view.setUint16(at + 2, 1); // IN
  if (payload !== undefined) {
    view.setUint16(10, 1); // ARCOUNT
    // root name, type OPT, class = payload size, ttl 0, no rdata
    view.setUint16(at + 5, 41);
    view.setUint16(at + 7, payload);
  }
  return wire;
}

/** The id of a message. */
export function messageId(wire: Uint8Array): number {
  return (wire[0] << 8) | wire[1];
}

/** What the tests compare: flags, rcode, counts and the answers as text. */
export interface Parsed {
  id: number;
  flags: number;
  rcode: number;
  counts: number[];
  answers: string[];
}

function skipName(wire: Uint8Array, at: number): number {
  while (true) {
    const len = wire[at];
    if (len === 0) return at + 1;
    if ((len & 0xc0) === 0xc0) return at + 2;
    at += 1 + len;
  }
}

/** Parses a response's header and answer section. */
export function parseResponse(wire: Uint8Array): Parsed {
  const view = new DataView(wire.buffer, wire.byteOffset, wire.byteLength);
  const counts = [4, 6, 8, 10].map((o) => view.getUint16(o));
  let at = 12;
  for (let i = 0; i < counts[0]; i++) at = skipName(wire, at) + 4;
  const answers: string[] = [];
  for (let i = 0; i < counts[1]; i++) {
    at = skipName(wire, at);
    const type = view.getUint16(at);
    const rdlength = view.getUint16(at + 8);
    const rdata = wire.subarray(at + 10, at + 10 + rdlength);
    at += 10 + rdlength;
    if (type === A) answers.push(`A ${socket.inet_ntop(socket.AF_INET, rdata)}`);
    else if (type === AAAA) answers.push(`AAAA ${socket.inet_ntop(socket.AF_INET6, rdata)}`);
    else if (type === TXT) {
      const strings: string[] = [];
      for (let j = 0; j < rdata.length; j += 1 + rdata[j]) {
        strings.push(new TextDecoder().decode(rdata.subarray(j + 1, j + 1 + rdata[j])));
      }
      answers.push(`TXT ${strings.join(" ")}`);
    } else answers.push(`type${type}`);
  }
  const flags = view.getUint16(2);
  return { id: view.getUint16(0), flags, rcode: flags & 0xf, counts, answers };
}

function sameAddress(a: socket.Address, b: socket.Address): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * dnspython's `dns.query.udp`: `socket(AF_INET, SOCK_DGRAM)`,
 * `settimeout`, `sendto`, then `recvfrom` until a reply comes from the
 * server's address with the query's id (others are ignored, as with
 * `ignore_unexpected=True`). Returns the reply and how many were ignored.
 */
export async function udp(
  query: Uint8Array,
  where: [string, number],
  timeout: number,
): Promise<{ wire: Uint8Array; ignored: number }> {
  await using s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  s.settimeout(timeout);
  await s.sendto(query, where);
  let ignored = 0;
  while (true) {
    const [wire, from] = await s.recvfrom(65535);
    if (!sameAddress(from, where)) {
      ignored++;
      continue;
    }
    if (wire.length < 12 || messageId(wire) !== messageId(query)) {
      ignored++;
      continue;
    }
    return { wire, ignored };
  }
}

// dnspython's _net_read: exactly count bytes or EOFError.
async function netRead(sock: socket.Socket, count: number): Promise<Uint8Array> {
  const out = new Uint8Array(count);
  let at = 0;
  while (at < count) {
    const chunk = await sock.recv(count - at);
    if (chunk.length === 0) throw new Error("EOFError");
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** dnspython's `dns.query.tcp`: length-prefixed query with `sendall`, then `recv` loops. */
export async function tcp(
  query: Uint8Array,
  where: [string, number],
  timeout: number,
): Promise<Uint8Array> {
  await using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  s.settimeout(timeout);
  await s.connect(where);
  const framed = new Uint8Array(2 + query.length);
  new DataView(framed.buffer).setUint16(0, query.length);
  framed.set(query, 2);
  await s.sendall(framed);
  const len = await netRead(s, 2);
  return await netRead(s, (len[0] << 8) | len[1]);
}

/**
 * Several queries on one TCP connection, all sent first (pipelined, as
 * dnspython's `dns.query.tcp` with a reused socket allows), then the
 * answers read back (a server may answer out of order: returned by id).
 */
export async function tcpPipelined(
  queries: Uint8Array[],
  where: [string, number],
  timeout: number,
): Promise<Map<number, Uint8Array>> {
  await using s = await socket.create_connection(where, timeout);
  const framed = queries.map((q) => {
    const f = new Uint8Array(2 + q.length);
    new DataView(f.buffer).setUint16(0, q.length);
    f.set(q, 2);
    return f;
  });
  await s.sendall(new Uint8Array(framed.flatMap((f) => [...f])));
  const answers = new Map<number, Uint8Array>();
  for (let i = 0; i < queries.length; i++) {
    const len = await netRead(s, 2);
    const wire = await netRead(s, (len[0] << 8) | len[1]);
    answers.set(messageId(wire), wire);
  }
  return answers;
}

/** dnspython's `udp_with_fallback`: UDP, then TCP when the reply has TC set. */
export async function udpWithFallback(
  query: Uint8Array,
  where: [string, number],
  timeout: number,
): Promise<{ wire: Uint8Array; tcp: boolean }> {
  const { wire } = await udp(query, where, timeout);
  if (parseResponse(wire).flags & FLAG_TC) {
    return { wire: await tcp(query, where, timeout), tcp: true };
  }
  return { wire, tcp: false };
}

/**
 * dnspython's `dns.query.udp` as it really waits: a non-blocking socket
 * (`setblocking(False)`), `selectors.DefaultSelector` to wait until it is
 * readable before each `recvfrom` (`_wait_for_readable`), and an overall
 * expiration; `socket.timeout` when it passes (dnspython raises
 * `dns.exception.Timeout`).
 */
export async function udpNonBlocking(
  query: Uint8Array,
  where: [string, number],
  timeout: number,
): Promise<{ wire: Uint8Array; ignored: number; wouldBlock: number }> {
  const expiration = performance.now() / 1000 + timeout;
  await using s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  s.setblocking(false);
  const waitFor = async (events: number) => {
    const sel = new socket.selectors.DefaultSelector();
    try {
      sel.register(s, events);
      const left = expiration - performance.now() / 1000;
      if (left <= 0 || (await sel.select(left)).length === 0) {
        throw new socket.TimeoutError("timed out");
      }
    } finally {
      sel.close();
    }
  };
  await waitFor(socket.selectors.EVENT_WRITE);
  await s.sendto(query, where);
  let ignored = 0;
  let wouldBlock = 0;
  while (true) {
    await waitFor(socket.selectors.EVENT_READ);
    let wire: Uint8Array, from: socket.Address;
    try {
      [wire, from] = await s.recvfrom(65535);
    } catch (e) {
      if (e instanceof socket.BlockingIOError) {
        wouldBlock++;
        continue;
      }
      throw e;
    }
    if (!sameAddress(from, where) || wire.length < 12 || messageId(wire) !== messageId(query)) {
      ignored++;
      continue;
    }
    return { wire, ignored, wouldBlock };
  }
}
