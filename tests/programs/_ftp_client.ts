// Copyright 2025 the pysocket authors. MIT license.
/**
 * Python 3.11's `ftplib.FTP`, its socket usage ported line by line to
 * pysocket (what it does with sockets and file objects, in the same order;
 * error classes reduced to one `FtpError` carrying the reply).
 *
 * @module
 */

import * as socket from "../../mod.ts";
import type { FileObject } from "../../file_object.ts";

const MAXLINE = 8192;

type Conn = socket.Socket | socket.ssl.SSLSocket;
const CRLF = "\r\n";

/** ftplib's error_reply / error_temp / error_perm / error_proto, as one class. */
export class FtpError extends Error {
  constructor(readonly kind: "reply" | "temp" | "perm" | "proto", readonly resp: string) {
    super(resp);
    this.name = `error_${kind}`;
  }
}

/** `ftplib.parse227`: host and port of a PASV reply. */
export function parse227(resp: string): [string, number] {
  if (resp.slice(0, 3) !== "227") throw new FtpError("reply", resp);
  const m = /(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/.exec(resp);
  if (!m) throw new FtpError("proto", resp);
  const numbers = m.slice(1).map(Number);
  return [numbers.slice(0, 4).join("."), (numbers[4] << 8) + numbers[5]];
}

/** `ftplib.parse229`: host (the peer's) and port of an EPSV reply. */
export function parse229(resp: string, peer: [string, number]): [string, number] {
  if (resp.slice(0, 3) !== "229") throw new FtpError("reply", resp);
  const left = resp.indexOf("(");
  if (left < 0) throw new FtpError("proto", resp);
  const right = resp.indexOf(")", left + 1);
  if (right < 0) throw new FtpError("proto", resp);
  if (resp[left + 1] !== resp[right - 1]) throw new FtpError("proto", resp);
  const parts = resp.slice(left + 1, right).split(resp[left + 1]);
  if (parts.length !== 5) throw new FtpError("proto", resp);
  return [peer[0], Number(parts[3])];
}

/** `ftplib.FTP`, the parts that touch sockets. */
export class FTP {
  sock: Conn | null = null;
  file: FileObject<string> | null = null;
  welcome = "";
  passiveserver = true;
  af = socket.AF_INET;
  /** ftplib's `source_address`, for the control and passive data connections. */
  source_address: [string, number] | null = null;
  /** Every reply line read, for the tests. */
  readonly lines: string[] = [];

  constructor(readonly timeout: number | null = null, readonly encoding = "utf-8") {}

  /** `FTP.connect`. */
  async connect(host: string, port: number): Promise<string> {
    this.sock = await socket.create_connection([host, port], this.timeout, this.source_address);
    this.af = this.sock.family;
    this.file = this.sock.makefile("r", { encoding: this.encoding });
    this.welcome = await this.getresp();
    return this.welcome;
  }

  /** `FTP.putline`. */
  async putline(line: string): Promise<void> {
    if (line.includes("\r") || line.includes("\n")) {
      throw new RangeError("an illegal newline character should not be contained");
    }
    await this.sock!.sendall(this.encode(line + CRLF));
  }

  /** `str.encode(self.encoding)` for utf-8 and latin-1. */
  encode(text: string): Uint8Array {
    if (this.encoding === "utf-8") return new TextEncoder().encode(text);
    return Uint8Array.from(text, (c) => {
      const code = c.charCodeAt(0);
      if (code > 255) throw new RangeError(`'latin-1' codec can't encode character ${c}`);
      return code;
    });
  }

  /** `FTP.getline`. */
  async getline(): Promise<string> {
    let line = await this.file!.readline(MAXLINE + 1);
    if (line.length > MAXLINE) throw new FtpError("proto", "got more than 8192 bytes");
    if (!line) throw new Error("EOFError");
    if (line.endsWith(CRLF)) line = line.slice(0, -2);
    else if (line.endsWith("\r") || line.endsWith("\n")) line = line.slice(0, -1);
    this.lines.push(line);
    return line;
  }

  /** `FTP.getmultiline`. */
  async getmultiline(): Promise<string> {
    let line = await this.getline();
    if (line.slice(3, 4) === "-") {
      const code = line.slice(0, 3);
      while (true) {
        const nextline = await this.getline();
        line = line + "\n" + nextline;
        if (nextline.slice(0, 3) === code && nextline.slice(3, 4) !== "-") break;
      }
    }
    return line;
  }

  /** `FTP.getresp`. */
  async getresp(): Promise<string> {
    const resp = await this.getmultiline();
    const c = resp.slice(0, 1);
    if ("123".includes(c) && c !== "") return resp;
    if (c === "4") throw new FtpError("temp", resp);
    if (c === "5") throw new FtpError("perm", resp);
    throw new FtpError("proto", resp);
  }

  /** `FTP.voidresp`. */
  async voidresp(): Promise<string> {
    const resp = await this.getresp();
    if (resp[0] !== "2") throw new FtpError("reply", resp);
    return resp;
  }

  /** `FTP.sendcmd`. */
  async sendcmd(cmd: string): Promise<string> {
    await this.putline(cmd);
    return await this.getresp();
  }

  /** `FTP.voidcmd`. */
  async voidcmd(cmd: string): Promise<string> {
    await this.putline(cmd);
    return await this.voidresp();
  }

  /** `FTP.login` (anonymous). */
  async login(user = "anonymous", passwd = "anonymous@"): Promise<string> {
    let resp = await this.sendcmd("USER " + user);
    if (resp[0] === "3") resp = await this.sendcmd("PASS " + passwd);
    if (resp[0] !== "2") throw new FtpError("reply", resp);
    return resp;
  }

  /** `FTP.makepasv` (trust_server_pasv_ipv4_address false: the peer's host). */
  async makepasv(useEpsv = this.af !== socket.AF_INET): Promise<[string, number]> {
    const peer = this.sock!.getpeername() as [string, number];
    if (!useEpsv) {
      const [, port] = parse227(await this.sendcmd("PASV"));
      return [peer[0], port];
    }
    return parse229(await this.sendcmd("EPSV"), peer);
  }

  /**
   * `FTP.makeport`: `create_server` for the data connection, then PORT or
   * EPRT. (ftplib binds `("", 0)`; here the control connection's own
   * address, to stay on loopback.)
   */
  async makeport(useEprt = this.af !== socket.AF_INET): Promise<socket.Socket> {
    const host = (this.sock!.getsockname() as [string, number])[0];
    const sock = socket.create_server([host, 0], { family: this.af, backlog: 1 });
    try {
      const port = (sock.getsockname() as [string, number])[1];
      if (!useEprt) {
        const bytes = [...host.split("."), String(port >> 8), String(port & 255)];
        await this.voidcmd("PORT " + bytes.join(","));
      } else {
        const af = this.af === socket.AF_INET ? 1 : 2;
        await this.voidcmd(`EPRT |${af}|${host}|${port}|`);
      }
      if (this.timeout !== null) sock.settimeout(this.timeout);
    } catch (e) {
      await sock.close();
      throw e;
    }
    return sock;
  }

  /** `FTP.ntransfercmd`. */
  async ntransfercmd(cmd: string, useExtended = false): Promise<Conn> {
    if (this.passiveserver) {
      const [host, port] = await this.makepasv(useExtended || this.af !== socket.AF_INET);
      const conn = await socket.create_connection([host, port], this.timeout, this.source_address);
      try {
        let resp = await this.sendcmd(cmd);
        if (resp[0] === "2") resp = await this.getresp();
        if (resp[0] !== "1") throw new FtpError("reply", resp);
      } catch (e) {
        await conn.close();
        throw e;
      }
      return await this.wrapData(conn);
    }
    await using sock = await this.makeport(useExtended || this.af !== socket.AF_INET);
    let resp = await this.sendcmd(cmd);
    if (resp[0] === "2") resp = await this.getresp();
    if (resp[0] !== "1") throw new FtpError("reply", resp);
    const [conn] = await sock.accept();
    if (this.timeout !== null) conn.settimeout(this.timeout);
    return await this.wrapData(conn);
  }

  /** `FTP_TLS.ntransfercmd`'s wrap of the data connection (FTP: none). */
  wrapData(conn: socket.Socket): Promise<Conn> {
    return Promise.resolve(conn);
  }

  /**
   * retrbinary/retrlines/storbinary end, as ftplib: "if isinstance(conn,
   * SSLSocket): conn.unwrap()" (the TLS shutdown: close_notify both ways).
   */
  async endData(conn: Conn): Promise<void> {
    if (conn instanceof socket.ssl.SSLSocket) await conn.unwrap();
  }

  /** `FTP.retrbinary`. */
  async retrbinary(
    cmd: string,
    callback: (data: Uint8Array) => void,
    blocksize = 8192,
    extended = false,
  ): Promise<string> {
    await this.voidcmd("TYPE I");
    {
      await using conn = await this.ntransfercmd(cmd, extended);
      while (true) {
        const data = await conn.recv(blocksize);
        if (data.length === 0) break;
        callback(data);
      }
      await this.endData(conn);
    }
    return await this.voidresp();
  }

  /** `FTP.retrlines`. */
  async retrlines(cmd: string, callback: (line: string) => void): Promise<string> {
    await this.sendcmd("TYPE A");
    {
      await using conn = await this.ntransfercmd(cmd);
      const fp = conn.makefile("r", { encoding: this.encoding });
      try {
        while (true) {
          let line = await fp.readline(MAXLINE + 1);
          if (line.length > MAXLINE) throw new FtpError("proto", "got more than 8192 bytes");
          if (!line) break;
          if (line.endsWith(CRLF)) line = line.slice(0, -2);
          else if (line.endsWith("\n")) line = line.slice(0, -1);
          callback(line);
        }
      } finally {
        await fp.close();
      }
      await this.endData(conn);
    }
    return await this.voidresp();
  }

  /** `FTP.storbinary` (from bytes in memory, `blocksize` at a time). */
  async storbinary(cmd: string, data: Uint8Array, blocksize = 8192): Promise<string> {
    await this.voidcmd("TYPE I");
    {
      await using conn = await this.ntransfercmd(cmd);
      for (let at = 0; at < data.length; at += blocksize) {
        await conn.sendall(data.subarray(at, at + blocksize));
      }
      await this.endData(conn);
    }
    return await this.voidresp();
  }

  /** `FTP.size`. */
  async size(filename: string): Promise<number | null> {
    const resp = await this.sendcmd("SIZE " + filename);
    return resp.slice(0, 3) === "213" ? Number(resp.slice(3).trim()) : null;
  }

  /**
   * `FTP.abort`, with the flag ftplib passes: `sendall(line, MSG_OOB)`.
   * pysocket cannot send TCP urgent data, so that raises EOPNOTSUPP; the
   * caller then passes `flags = 0` (the ABOR goes in band).
   */
  async abort(flags: number = socket.MSG_OOB): Promise<string> {
    await this.sock!.sendall(this.encode("ABOR" + CRLF), flags);
    const resp = await this.getmultiline();
    if (!["426", "225", "226"].includes(resp.slice(0, 3))) throw new FtpError("proto", resp);
    return resp;
  }

  /** `FTP.quit`. */
  async quit(): Promise<string> {
    const resp = await this.voidcmd("QUIT");
    await this.close();
    return resp;
  }

  /** `FTP.close`. */
  async close(): Promise<void> {
    try {
      const file = this.file;
      this.file = null;
      if (file) await file.close();
    } finally {
      const sock = this.sock;
      this.sock = null;
      if (sock) await sock.close();
    }
  }
}

/** `ftplib.FTP_TLS`: AUTH TLS on the control connection, PROT P for data. */
export class FTP_TLS extends FTP {
  private protP = false;
  host = "";
  /** Close the plain file object at AUTH TLS (ftplib drops it). */
  closeOldFile = true;

  constructor(
    readonly context: socket.ssl.SSLContext,
    timeout: number | null = null,
    encoding = "utf-8",
  ) {
    super(timeout, encoding);
  }

  override connect(host: string, port: number): Promise<string> {
    this.host = host;
    return super.connect(host, port);
  }

  /**
   * `FTP_TLS.auth`: the control socket is wrapped and a new file object
   * made.
   */
  async auth(): Promise<string> {
    const resp = await this.voidcmd("AUTH TLS");
    // Python's wrap_socket() detaches the descriptor, so the file object
    // ftplib abandons here is dead; in pysocket it would keep the TCP
    // connection open after quit() (see ftp_test.ts), so close it.
    if (this.closeOldFile) await this.file!.close();
    this.sock = await this.context.wrap_socket(this.sock as socket.Socket, {
      server_hostname: this.host,
    });
    this.file = this.sock.makefile("r", { encoding: this.encoding });
    return resp;
  }

  /** `FTP_TLS.prot_p`. */
  async prot_p(): Promise<string> {
    await this.voidcmd("PBSZ 0");
    const resp = await this.voidcmd("PROT P");
    this.protP = true;
    return resp;
  }

  override async wrapData(conn: socket.Socket): Promise<Conn> {
    if (!this.protP) return conn;
    return await this.context.wrap_socket(conn, { server_hostname: this.host });
  }
}
