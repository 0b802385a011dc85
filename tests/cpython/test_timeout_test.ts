// Copyright 2025 the pysocket authors. MIT license.
// CPython's Lib/test/test_timeout.py (3.11) translated to pysocket: same
// test names, same assertions, adapted only for promises, Uint8Array and
// arrays. Loopback only: the tests that need the internet
// (TCPTimeoutTestCase.testConnectTimeout and testRecvTimeout, which talk to
// pythontest.net and www.python.org) are not translated, and
// TCPTimeoutTestCase's setUp is translated without its lookup of
// www.python.org (the translated tests never use that address).
//
// Counts (of test_timeout.py's 14 tests): applicable 12, translated 12,
// passing 12, ignored as documented differences 0, ignored as FAILS 0,
// not applicable 2 (internet).

import assert from "node:assert/strict";
import * as socket from "../../mod.ts";
import { HOST, raises, test, utf8 } from "./_support.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

// ---------------------------------------------------------------------------
// CreationTestCase

function creationTest(name: string, fn: (sock: socket.Socket) => Promise<void> | void): void {
  test(`CreationTestCase.${name}`, async (t) => {
    const sock = t.track(socket.socket(socket.AF_INET, socket.SOCK_STREAM));
    await fn(sock);
  });
}

creationTest("testObjectCreation", (sock) => {
  assert.equal(sock.gettimeout(), null, "timeout not disabled by default");
});

creationTest("testFloatReturnValue", (sock) => {
  sock.settimeout(7.345);
  assert.equal(sock.gettimeout(), 7.345);
  sock.settimeout(3);
  assert.equal(sock.gettimeout(), 3);
  sock.settimeout(null);
  assert.equal(sock.gettimeout(), null);
});

creationTest("testReturnType", (sock) => {
  // Python: type(gettimeout()) is float; a JavaScript number is both.
  sock.settimeout(1);
  assert.equal(typeof sock.gettimeout(), "number");
  sock.settimeout(3.9);
  assert.equal(typeof sock.gettimeout(), "number");
});

creationTest("testTypeCheck", async (sock) => {
  sock.settimeout(0);
  sock.settimeout(0);
  sock.settimeout(0.0);
  sock.settimeout(null);
  const settimeout = sock.settimeout.bind(sock) as (v: Any) => void;
  await raises(TypeError, () => settimeout(""));
  await raises(TypeError, () => settimeout(""));
  await raises(TypeError, () => settimeout([])); // ()
  await raises(TypeError, () => settimeout([]));
  await raises(TypeError, () => settimeout({}));
  await raises(TypeError, () => settimeout({ re: 0, im: 0 })); // 0j
});

creationTest("testRangeCheck", async (sock) => {
  await raises(RangeError, () => sock.settimeout(-1));
  await raises(RangeError, () => sock.settimeout(-1));
  await raises(RangeError, () => sock.settimeout(-1.0));
});

creationTest("testTimeoutThenBlocking", (sock) => {
  sock.settimeout(10);
  sock.setblocking(true);
  assert.equal(sock.gettimeout(), null);
  sock.setblocking(false);
  assert.equal(sock.gettimeout(), 0.0);
  sock.settimeout(10);
  sock.setblocking(false);
  assert.equal(sock.gettimeout(), 0.0);
  sock.setblocking(true);
  assert.equal(sock.gettimeout(), null);
});

creationTest("testBlockingThenTimeout", (sock) => {
  sock.setblocking(false);
  sock.settimeout(1);
  assert.equal(sock.gettimeout(), 1);
  sock.setblocking(true);
  sock.settimeout(1);
  assert.equal(sock.gettimeout(), 1);
});

// ---------------------------------------------------------------------------
// TimeoutTestCase

const FUZZ = 2.0;

/**
 * `_sock_operation`: runs `method` at most `count` times; it must raise
 * TimeoutError within `timeout` + fuzz seconds.
 */
async function sockOperation(
  sock: socket.Socket,
  count: number,
  timeout: number,
  method: () => Promise<unknown>,
): Promise<void> {
  sock.settimeout(timeout);
  let delta: number | undefined;
  for (let i = 0; i < count; i++) {
    const t1 = performance.now();
    try {
      await method();
    } catch (e) {
      if (!(e instanceof socket.TimeoutError)) throw e;
      delta = (performance.now() - t1) / 1000;
      break;
    }
  }
  if (delta === undefined) assert.fail("TimeoutError was not raised");
  assert.ok(delta < timeout + FUZZ, `${delta} < ${timeout + FUZZ}`);
  assert.ok(delta > timeout - 1.0, `${delta} > ${timeout - 1.0}`);
}

// TCPTimeoutTestCase

function tcpTimeoutTest(name: string, fn: (sock: socket.Socket) => Promise<void>): void {
  test(`TCPTimeoutTestCase.${name}`, async (t) => {
    const sock = t.track(socket.socket(socket.AF_INET, socket.SOCK_STREAM));
    await fn(sock);
  }, { timeout: 30 });
}

tcpTimeoutTest("testAcceptTimeout", async (sock) => {
  sock.bind([HOST, 0]);
  sock.listen();
  await sockOperation(sock, 1, 1.5, () => sock.accept());
});

tcpTimeoutTest("testSend", async (sock) => {
  await using serv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  serv.bind([HOST, 0]);
  serv.listen();
  await sock.connect(serv.getsockname());
  const data = utf8("X".repeat(200000));
  await sockOperation(sock, 100, 1.5, () => sock.send(data));
});

tcpTimeoutTest("testSendto", async (sock) => {
  await using serv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  serv.bind([HOST, 0]);
  serv.listen();
  await sock.connect(serv.getsockname());
  const data = utf8("X".repeat(200000));
  await sockOperation(sock, 100, 1.5, () => sock.sendto(data, serv.getsockname()));
});

tcpTimeoutTest("testSendall", async (sock) => {
  await using serv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  serv.bind([HOST, 0]);
  serv.listen();
  await sock.connect(serv.getsockname());
  const data = utf8("X".repeat(200000));
  await sockOperation(sock, 100, 1.5, () => sock.sendall(data));
});

// UDPTimeoutTestCase

test("UDPTimeoutTestCase.testRecvfromTimeout", async (t) => {
  const sock = t.track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM));
  sock.bind([HOST, 0]);
  await sockOperation(sock, 1, 1.5, () => sock.recvfrom(1024));
}, { timeout: 30 });
