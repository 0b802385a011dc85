// Copyright 2025 the pysocket authors. MIT license.
// Python's ftplib, ported line by line (tests/programs/_ftp_client.ts),
// against a real FTP server: Debian's vsftpd on 127.0.0.1 (see
// _ftp_server.ts). python3's own ftplib, run against the same server, is
// the oracle for every reply.

import assert from "node:assert/strict";
import * as socket from "../../mod.ts";
import { pythonJSON, randomBytes, rejects, sha256, timesOut, withPythonPeer } from "../_utils.ts";
import { FTP, FTP_TLS, FtpError, parse227, parse229 } from "./_ftp_client.ts";
import { has, makeCerts } from "../_tls_certs.ts";
import { canRunVsftpd, startVsftpd } from "./_ftp_server.ts";

const ignore = !canRunVsftpd();
if (ignore) {
  console.log("ftp_test: vsftpd not installed (apt-get install vsftpd) or not root; skipped");
}

const BIG = randomBytes(3 * 1024 * 1024 + 123, 7);
const SMALL = new TextEncoder().encode("line one\r\nline two\r\n");

// python3's ftplib against the same server: the replies we must match.
function oracle(port: number, abortFile = "pub/big.bin"): Promise<{
  welcome: string;
  help: string;
  nlst: string[];
  list: string[];
  sha: string;
  size: number;
  abort: string;
  after: string;
}> {
  return pythonJSON(
    `
import ftplib, hashlib, json
f = ftplib.FTP()
f.connect("127.0.0.1", ${port}, timeout=10)
out = {"welcome": f.getwelcome()}
f.login()
out["help"] = f.sendcmd("HELP")
out["nlst"] = f.nlst("pub")
lines = []
f.retrlines("LIST pub", lines.append)
out["list"] = lines
h = hashlib.sha256()
f.retrbinary("RETR pub/big.bin", h.update)
out["sha"] = h.hexdigest()
out["size"] = f.size("pub/big.bin")
f.voidcmd("TYPE I")
conn = f.transfercmd("RETR ${abortFile}")
conn.recv(8192)
conn.close()
out["abort"] = f.abort()
out["after"] = f.voidcmd("NOOP")
f.voidresp()
f.quit()
print(json.dumps(out))
`,
    { timeout: 30 },
  );
}

Deno.test({
  name: "ftp: parse227 and parse229 as ftplib's",
  fn() {
    assert.deepEqual(parse227("227 Entering Passive Mode (127,0,0,1,195,80)."), [
      "127.0.0.1",
      50000,
    ]);
    assert.deepEqual(parse229("229 Entering Extended Passive Mode (|||9691|)", ["::1", 21]), [
      "::1",
      9691,
    ]);
    assert.throws(() => parse229("229 no parens", ["::1", 21]), FtpError);
  },
});

Deno.test({
  name: "ftp: vsftpd, passive mode (PASV): login, HELP, NLST, LIST, RETR 3 MiB, SIZE, QUIT",
  ignore,
  async fn() {
    await using server = await startVsftpd({ "big.bin": BIG, "small.txt": SMALL });
    const expected = await oracle(server.port);
    const ftp = new FTP(10, "latin-1");
    try {
      assert.equal(await ftp.connect("127.0.0.1", server.port), expected.welcome);
      assert.equal(ftp.sock!.gettimeout(), 10);
      assert.match(await ftp.login(), /^230/);
      // A multi-line reply (214-... 214 ...) read with readline(), as ftplib.
      const help = await ftp.sendcmd("HELP");
      assert.equal(help, expected.help);
      assert.ok(help.split("\n").length > 2, "HELP is a multi-line reply");
      const names: string[] = [];
      await ftp.retrlines("NLST pub", (l) => names.push(l));
      assert.deepEqual(names, expected.nlst);
      const listing: string[] = [];
      assert.match(await ftp.retrlines("LIST pub", (l) => listing.push(l)), /^226/);
      assert.deepEqual(listing, expected.list);
      const parts: Uint8Array[] = [];
      let total = 0;
      const done = await ftp.retrbinary("RETR pub/big.bin", (d) => {
        parts.push(d.slice());
        total += d.length;
      });
      assert.match(done, /^226/);
      assert.equal(total, BIG.length);
      const all = new Uint8Array(total);
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      assert.equal(await sha256(all), expected.sha);
      assert.equal(await sha256(all), await sha256(BIG));
      assert.equal(await ftp.size("pub/big.bin"), expected.size);
      assert.match(await ftp.quit(), /^221/);
    } finally {
      await ftp.close();
    }
  },
});

Deno.test({
  name: "ftp: vsftpd, extended passive (EPSV) RETR and active mode (PORT, EPRT) RETR and LIST",
  ignore,
  async fn() {
    await using server = await startVsftpd({ "big.bin": BIG, "small.txt": SMALL });
    const want = await sha256(BIG);
    const ftp = new FTP(10, "latin-1");
    try {
      await ftp.connect("127.0.0.1", server.port);
      await ftp.login();
      const retr = async (extended: boolean) => {
        const chunks: Uint8Array[] = [];
        await ftp.retrbinary("RETR pub/big.bin", (d) => chunks.push(d.slice()), 65536, extended);
        const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          all.set(c, at);
          at += c.length;
        }
        return await sha256(all);
      };
      assert.equal(await retr(true), want, "EPSV");
      ftp.passiveserver = false;
      assert.equal(await retr(false), want, "PORT (active: we listen, vsftpd connects)");
      assert.equal(await retr(true), want, "EPRT");
      const lines: string[] = [];
      await ftp.retrlines("NLST pub", (l) => lines.push(l));
      assert.deepEqual(lines.sort(), ["pub/big.bin", "pub/small.txt"]);
      await ftp.quit();
    } finally {
      await ftp.close();
    }
  },
});

Deno.test({
  name: "ftp: vsftpd, source_address (connect from a bound socket): RETR 3 MiB and STOR, passive",
  ignore,
  async fn() {
    await using server = await startVsftpd({ "big.bin": BIG });
    const ftp = new FTP(10, "latin-1");
    ftp.source_address = ["127.0.0.1", 0];
    try {
      await ftp.connect("127.0.0.1", server.port);
      const [host, port] = ftp.sock!.getsockname() as [string, number];
      assert.equal(host, "127.0.0.1");
      assert.ok(port > 0);
      await ftp.login();
      const chunks: Uint8Array[] = [];
      await ftp.retrbinary("RETR pub/big.bin", (d) => chunks.push(d.slice()));
      const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        all.set(c, at);
        at += c.length;
      }
      assert.equal(await sha256(all), await sha256(BIG));
      const data = randomBytes(2 * 1024 * 1024, 9);
      assert.match(await ftp.storbinary("STOR up/src.bin", data, 65536), /^226/);
      assert.equal(
        await sha256(await Deno.readFile(`${server.root}/up/src.bin`)),
        await sha256(data),
      );
      await ftp.quit();
    } finally {
      await ftp.close();
    }
  },
});

Deno.test({
  name: "ftp: vsftpd, STOR 1 MiB (passive and active) then RETR it back",
  ignore,
  async fn() {
    await using server = await startVsftpd({ "small.txt": SMALL });
    const data = randomBytes(1024 * 1024 + 5, 11);
    const ftp = new FTP(10, "latin-1");
    try {
      await ftp.connect("127.0.0.1", server.port);
      await ftp.login();
      assert.match(await ftp.storbinary("STOR up/a.bin", data), /^226/);
      ftp.passiveserver = false;
      assert.match(await ftp.storbinary("STOR up/b.bin", data, 65536), /^226/);
      ftp.passiveserver = true;
      for (const name of ["a.bin", "b.bin"]) {
        assert.equal(
          await sha256(await Deno.readFile(`${server.root}/up/${name}`)),
          await sha256(data),
        );
        assert.equal(await ftp.size(`up/${name}`), data.length);
      }
      await ftp.quit();
    } finally {
      await ftp.close();
    }
  },
});

Deno.test({
  name: "ftp: vsftpd, abort(): MSG_OOB raises EOPNOTSUPP; in band, the replies are python3's",
  ignore,
  async fn() {
    // Big enough that vsftpd cannot have written it all when we close.
    const huge = new Uint8Array(48 * 1024 * 1024);
    await using server = await startVsftpd({ "big.bin": BIG, "huge.bin": huge });
    const expected = await oracle(server.port, "pub/huge.bin");
    assert.match(expected.abort, /^426/);
    const ftp = new FTP(10, "latin-1");
    try {
      await ftp.connect("127.0.0.1", server.port);
      await ftp.login();
      await ftp.voidcmd("TYPE I");
      const conn = await ftp.ntransfercmd("RETR pub/huge.bin");
      assert.ok((await conn.recv(8192)).length > 0);
      await conn.close();
      // ftplib: self.sock.sendall(line, MSG_OOB). Deno cannot send TCP urgent data.
      await rejects(ftp.abort(socket.MSG_OOB), socket.OSError, {
        errno: socket.EOPNOTSUPP,
        message: /MSG_OOB/,
      });
      // Nothing was sent: the control connection is intact; ABOR in band.
      assert.equal(await ftp.abort(0), expected.abort);
      assert.equal(await ftp.voidcmd("NOOP"), expected.after);
      assert.match(await ftp.voidresp(), /^200/);
      await ftp.quit();
    } finally {
      await ftp.close();
    }
  },
});

Deno.test({
  name: "ftp: vsftpd, a reply read that times out loses nothing (readline again after NOOP)",
  ignore,
  async fn() {
    await using server = await startVsftpd({});
    const ftp = new FTP(0.3, "latin-1");
    try {
      await ftp.connect("127.0.0.1", server.port);
      await ftp.login();
      // No command pending: ftplib's getline() times out (Python's file object
      // would be unusable after this; pysocket's is not).
      await timesOut(ftp.getresp(), 0.3);
      assert.match(await ftp.voidcmd("NOOP"), /^200/);
      await ftp.quit();
    } finally {
      await ftp.close();
    }
  },
});

Deno.test({
  name: "ftp: vsftpd on ::1: EPSV and EPRT, a non-ASCII name in utf-8 and latin-1, as python3",
  ignore,
  async fn() {
    const cafe = new TextEncoder().encode("café au lait\n");
    await using server = await startVsftpd({ "big.bin": BIG, "café.txt": cafe }, true);
    const expected = await pythonJSON<Record<string, string[]>>(
      `
import ftplib, json
out = {}
for enc in ("utf-8", "latin-1"):
    f = ftplib.FTP(encoding=enc)
    f.connect("::1", ${server.port}, timeout=10)
    f.login()
    out[enc] = sorted(f.nlst("pub"))
    f.quit()
print(json.dumps(out))
`,
    );
    assert.ok(expected["utf-8"].includes("pub/café.txt"));
    for (const encoding of ["utf-8", "latin-1"]) {
      const ftp = new FTP(10, encoding);
      try {
        await ftp.connect("::1", server.port);
        assert.equal(ftp.af, socket.AF_INET6);
        await ftp.login();
        for (const passive of [true, false]) {
          ftp.passiveserver = passive; // EPSV, then EPRT |2|::1|port|
          const names: string[] = [];
          await ftp.retrlines("NLST pub", (l) => names.push(l));
          assert.deepEqual(names.sort(), expected[encoding], `${encoding} passive=${passive}`);
          // RETR of the name as listed: encoded back with the same codec.
          const name = names.find((n) => n.startsWith("pub/caf"))!;
          const parts: Uint8Array[] = [];
          await ftp.retrbinary(`RETR ${name}`, (d) => parts.push(d.slice()));
          assert.deepEqual(parts.length, 1);
          assert.deepEqual(parts[0], cafe);
        }
        await ftp.quit();
      } finally {
        await ftp.close();
      }
    }
  },
});

const noTls = ignore || !(await has("openssl"));

// An FTPS session, as python3's ftplib.FTP_TLS does it against the same
// server; `store` adds STOR uploads over PROT P data connections.
async function ftps(store: boolean): Promise<void> {
  {
    await using certs = await makeCerts();
    await using server = await startVsftpd(
      { "big.bin": BIG, "small.txt": SMALL },
      false,
      { cert: certs.cert, key: certs.key },
    );
    const expected = await pythonJSON<{ nlst: string[]; sha: string; stored: string }>(
      `
import ftplib, hashlib, io, json, ssl
ctx = ssl.create_default_context(cafile=${JSON.stringify(certs.ca)})
f = ftplib.FTP_TLS(context=ctx, timeout=10)
f.connect("127.0.0.1", ${server.port})
f.auth(); f.login(); f.prot_p()
out = {"nlst": sorted(f.nlst("pub"))}
h = hashlib.sha256()
f.retrbinary("RETR pub/big.bin", h.update)
out["sha"] = h.hexdigest()
out["stored"] = f.storbinary("STOR up/py.bin", io.BytesIO(b"x" * 100000))
f.quit()
print(json.dumps(out))
`,
    );
    const ctx = socket.ssl.create_default_context(socket.ssl.Purpose.SERVER_AUTH, {
      cafile: certs.ca,
    });
    const ftp = new FTP_TLS(ctx, 10);
    try {
      await ftp.connect("127.0.0.1", server.port);
      assert.match(await ftp.auth(), /^234/);
      assert.ok(ftp.sock instanceof socket.ssl.SSLSocket);
      assert.match(await ftp.login(), /^230/);
      assert.match(await ftp.prot_p(), /^200/);
      for (const passive of [true, false]) {
        ftp.passiveserver = passive;
        const names: string[] = [];
        await ftp.retrlines("NLST pub", (l) => names.push(l));
        assert.deepEqual(names.sort(), expected.nlst);
        const parts: Uint8Array[] = [];
        await ftp.retrbinary("RETR pub/big.bin", (d) => parts.push(d.slice()));
        const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          all.set(p, at);
          at += p.length;
        }
        assert.equal(await sha256(all), expected.sha);
        if (!store) continue;
        const data = randomBytes(300_000, passive ? 3 : 4);
        assert.equal(await ftp.storbinary(`STOR up/ts${passive}.bin`, data), expected.stored);
        assert.equal(
          await sha256(await Deno.readFile(`${server.root}/up/ts${passive}.bin`)),
          await sha256(data),
        );
      }
      assert.match(await ftp.quit(), /^221/);
    } finally {
      await ftp.close();
    }
  }
}

Deno.test({
  name:
    "ftp: vsftpd FTPS (FTP_TLS): AUTH TLS on the control connection, PROT P NLST and RETR, as python3",
  ignore: noTls,
  fn: () => ftps(false),
});

Deno.test({
  name: "ftp: vsftpd FTPS (FTP_TLS): STOR over a PROT P data connection, as python3",
  // ftplib ends each data connection with conn.unwrap() (close_notify both
  // ways): vsftpd answers "226 Transfer complete.", as to python3.
  ignore: noTls,
  fn: () => ftps(true),
});

Deno.test({
  name:
    "ftp: SSLSocket.shutdown(SHUT_WR) then close() delivers close_notify (peer reads a clean end)",
  // Was a BUG (fixed: no empty write before end(), which failed with EPERM in
  // Deno's node:tls and lost the close_notify): a python3 ssl server with
  // suppress_ragged_eofs=False raised SSLEOFError UNEXPECTED_EOF_WHILE_READING.
  ignore: noTls,
  async fn() {
    await using certs = await makeCerts();
    const script = `
import socket, ssl
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(${JSON.stringify(certs.cert)}, ${JSON.stringify(certs.key)})
s = socket.create_server(("127.0.0.1", 0)); print(s.getsockname()[1], flush=True)
c, _ = s.accept(); c.settimeout(10)
t = ctx.wrap_socket(c, server_side=True, suppress_ragged_eofs=False)
n = 0
try:
    while True:
        d = t.recv(65536)
        if not d: break
        n += len(d)
    print("clean", n, flush=True)
except ssl.SSLError as e:
    print("ragged", n, e.reason, flush=True)
`;
    await withPythonPeer(script, async (peer) => {
      const ctx = socket.ssl.create_default_context(socket.ssl.Purpose.SERVER_AUTH, {
        cafile: certs.ca,
      });
      const raw = await socket.create_connection(["127.0.0.1", peer.port], 10);
      const t = await ctx.wrap_socket(raw, { server_hostname: "localhost" });
      await t.sendall(new Uint8Array(10));
      await t.shutdown(socket.SHUT_WR);
      await t.close();
      assert.equal(await peer.line(), "clean 10");
    });
  },
});

Deno.test({
  name: "ftp: FTP_TLS.auth() as ftplib (plain file object dropped, not closed) leaves nothing open",
  // Was a BUG (fixed: wrap_socket detaches): Python's SSLContext.wrap_socket() detaches the plain socket
  // (fileno() -1 at once; the makefile() object taken before AUTH TLS then
  // raises EBADF), so the file object ftplib drops at AUTH TLS holds
  // nothing. pysocket's wrap_socket leaves the plain Socket open
  // (fileno() stays >= 0) and that file object keeps the connection: after
  // quit() and close() of the SSLSocket and its file, Deno's sanitizer
  // reports "A TCP connection was opened/accepted during the test, but not
  // closed" (against vsftpd; a python3 ssl peer did not show the leak, the
  // fileno() difference shows with both).
  async fn() {
    await using certs = await makeCerts();
    await using server = await startVsftpd({}, false, { cert: certs.cert, key: certs.key });
    const ctx = socket.ssl.create_default_context(socket.ssl.Purpose.SERVER_AUTH, {
      cafile: certs.ca,
    });
    const ftp = new FTP_TLS(ctx, 10);
    ftp.closeOldFile = false;
    try {
      await ftp.connect("127.0.0.1", server.port);
      const raw = ftp.sock!;
      await ftp.auth();
      assert.equal(raw.fileno(), -1, "python3: the plain socket is detached by wrap_socket");
      await ftp.login();
      await ftp.quit();
    } finally {
      await ftp.close();
    }
  },
});
